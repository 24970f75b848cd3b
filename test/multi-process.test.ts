import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, caseBody, openProcessDatabase, PROCESS_PASSWORD, type ProcessDatabase } from './helpers/process-database.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { startSmtpServer } from './helpers/smtp.js';

const onPostgres = process.env.TRUSTDESK_TEST_DB === 'postgres';
let target: ProcessDatabase;
let servers: ServerProcess[] = [];
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  if (!onPostgres) return;
  target = await openProcessDatabase('Twin Bank');
  smtp = await startSmtpServer();
  // Two processes behind an imaginary load balancer, both sweeping every 150 ms, both sending mail.
  const env = { ...target.env, TRUSTDESK_JOB_INTERVAL_MS: '150', SMTP_URL: smtp.url };
  servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await smtp?.stop();
  await target?.close();
});

/** Cookies as a browser keeps them: name=value of every Set-Cookie. */
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

describe.skipIf(!onPostgres)('two server processes on one PostgreSQL', () => {
  it('a browser session started on one process works on the other, writes included, and so does signing out', async () => {
    const [a, b] = servers;
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: target.org.adminEmail, password: PROCESS_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = await login.json();
    const cookie = cookiesOf(login);

    const me = await fetch(`${b.url}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).user.email).toBe(target.org.adminEmail);
    const created = await fetch(`${b.url}/api/v1/cases`, {
      method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: caseBody(target.org, 'Opened on process B with a session from A'),
    });
    expect(created.status).toBe(201);

    const logout = await fetch(`${b.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(logout.status).toBeLessThan(300);
    expect((await fetch(`${a.url}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('fire every clock event once, raise one escalation per case and deliver every e-mail exactly once', async () => {
    const { org } = target;
    const database = target.database!;
    const received = new Date(Date.now() - 63 * 86_400_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await api(`${servers[i % 2].url}/api/v1/cases`, org.token, 'POST', caseBody(org, `Old complaint ${i}`, { receivedAt: received }));
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    // Wait until every case has been escalated and the outbox is empty (both processes deliver).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ escalated, queued }] = await database.query<{ escalated: number; queued: number }>(
        `SELECT (SELECT count(DISTINCT case_id) FROM escalations WHERE organisation_id = $1)::int AS escalated,
                (SELECT count(*) FROM outbox WHERE organisation_id = $1 AND status <> 'sent')::int AS queued`, [org.id]);
      if ((escalated === ids.length && queued === 0) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000)); // a few more sweeps by both

    const perClock = await database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM history_events WHERE organisation_id = $1 AND type = 'clock.breached' GROUP BY stream, data->>'clock'", [org.id]);
    expect(perClock.length).toBe(ids.length * 2); // acknowledge and final response of every case
    expect(perClock.every((r) => r.n === 1)).toBe(true);
    const perCase = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM escalations WHERE organisation_id = $1 GROUP BY case_id', [org.id]);
    expect(perCase).toHaveLength(ids.length);
    expect(perCase.every((r) => r.n === 1)).toBe(true);

    // What the mail server received: each message of the outbox once, by its Message-ID.
    const outbox = await database.query<{ id: string; to_address: string; subject: string; status: string }>(
      'SELECT id, to_address, subject, status FROM outbox WHERE organisation_id = $1', [org.id]);
    expect(outbox.filter((m) => m.subject.includes('Escalated to you'))).toHaveLength(ids.length);
    expect(outbox.every((m) => m.status === 'sent')).toBe(true);
    const deliveries = new Map<string, number>();
    for (const mail of smtp.mails) {
      const id = /^Message-ID:\s*<([^@>]+)@trustdesk>/im.exec(mail.raw)?.[1];
      if (id) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    for (const m of outbox) expect(deliveries.get(m.id), `${m.subject} to ${m.to_address}`).toBe(1);
    expect(smtp.mails.filter((m) => m.raw.includes('Escalated to you') && m.to.includes(org.leadEmail))).toHaveLength(ids.length);
  }, 120_000);
});
