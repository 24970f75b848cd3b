import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { api, caseBody, openProcessDatabase, PROCESS_PASSWORD, type ProcessDatabase } from './helpers/process-database.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { startSmtpServer } from './helpers/smtp.js';

const onPostgres = process.env.TRUSTDESK_TEST_DB === 'postgres';
let target: ProcessDatabase;
let servers: ServerProcess[] = [];
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
// Both processes read "now" as the real time plus the offset in this file: the test moves it for both.
const clockFile = path.join(os.tmpdir(), `trustdesk-clock-${process.pid}`);
const advanceBoth = async (ms: number) => {
  fs.writeFileSync(clockFile, String(ms));
  await new Promise((r) => setTimeout(r, 400)); // each process re-reads the file every 100 ms
};

beforeAll(async () => {
  if (!onPostgres) return;
  target = await openProcessDatabase('Twin Bank');
  smtp = await startSmtpServer();
  // Two processes behind an imaginary load balancer, both sweeping every 150 ms, both sending mail.
  fs.writeFileSync(clockFile, '0');
  const env = { ...target.env, TRUSTDESK_JOB_INTERVAL_MS: '150', SMTP_URL: smtp.url, TRUSTDESK_TEST_CLOCK_FILE: clockFile };
  servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await smtp?.stop();
  await target?.close();
  fs.rmSync(clockFile, { force: true });
});

/** How many times the mail server received each outbox message (by its Message-ID <outbox id@trustdesk>). */
function deliveriesById() {
  const deliveries = new Map<string, number>();
  for (const mail of smtp.mails) {
    const id = /^Message-ID:\s*<([^@>]+)@trustdesk>/im.exec(mail.raw)?.[1];
    if (id) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
  }
  return deliveries;
}

async function waitFor(what: string, condition: () => Promise<boolean>) {
  const deadline = Date.now() + 100_000; // generous: a loaded 2-core CI machine runs other test files alongside
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

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
    onTestFailed(() => servers.forEach((s, i) => console.error(`server ${i} output:\n${s.output()}\nexit: ${s.child.exitCode} ${s.child.signalCode}`)));
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
    const allSent = async () => (await database.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE organisation_id = $1 AND status <> 'sent'", [org.id]))[0].n === 0;
    await waitFor('every case escalated and mailed', async () => {
      const [{ n }] = await database.query<{ n: number }>('SELECT count(DISTINCT case_id)::int AS n FROM escalations WHERE organisation_id = $1', [org.id]);
      return n === ids.length && await allSent();
    });
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
    const deliveries = deliveriesById();
    for (const m of outbox) expect(deliveries.get(m.id), `${m.subject} to ${m.to_address}`).toBe(1);
    expect(smtp.mails.filter((m) => m.raw.includes('Escalated to you') && m.to.includes(org.leadEmail))).toHaveLength(ids.length);

    // A week later for both processes: every escalation is past its acknowledgement deadline, so
    // its person is reminded once, and it climbs the ladder once — by whichever process gets there first.
    await advanceBoth(7 * 86_400_000);
    await waitFor('every escalation reminded and its mail sent', async () => {
      const [{ n }] = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE organisation_id = $1 AND kind = 'escalation_reminder'", [org.id]);
      return n >= ids.length && await allSent();
    });
    await new Promise((r) => setTimeout(r, 1000));
    const reminders = await database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications WHERE organisation_id = $1 AND kind = 'escalation_reminder' GROUP BY escalation_id", [org.id]);
    expect(reminders).toHaveLength(ids.length);
    expect(reminders.every((r) => r.n === 1)).toBe(true);
    const climbs = await database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM history_events WHERE organisation_id = $1 AND type = 'escalation.climbed' GROUP BY stream", [org.id]);
    expect(climbs.every((r) => r.n === 1)).toBe(true);
    const after = await database.query<{ id: string; subject: string; status: string }>('SELECT id, subject, status FROM outbox WHERE organisation_id = $1', [org.id]);
    expect(after.filter((m) => m.subject.includes('Please acknowledge'))).toHaveLength(ids.length);
    const deliveredNow = deliveriesById();
    for (const m of after) expect(deliveredNow.get(m.id), m.subject).toBe(1);
  }, 240_000);
});
