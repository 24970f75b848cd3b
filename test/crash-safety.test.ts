import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { api, caseBody, openProcessDatabase, type ProcessDatabase } from './helpers/process-database.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { startSmtpServer } from './helpers/smtp.js';

// Real server processes on the database of this run: the embedded one in a folder on disk with
// `npm test`, PostgreSQL with `npm run test:pg`. Both tests share one database; the second goes
// on with the server the first restarted (process starts are the slow part).
let target: ProcessDatabase;
const servers: ServerProcess[] = [];

beforeAll(async () => { target = await openProcessDatabase('Crash Bank'); });
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await target?.close();
});

const kind = process.env.TRUSTDESK_TEST_DB === 'postgres' ? 'PostgreSQL' : 'the embedded database';

describe(`crash safety on ${kind}`, () => {
  it('keeps every case whose 201 was received when the server is killed with SIGKILL mid-run', async () => {
    const { org } = target;
    const first = await startServerProcess(target.env);
    servers.push(first);

    // 8 clients create cases until the server dies under them.
    const acknowledged: string[] = [];
    const otherStatuses: number[] = [];
    let sent = 0;
    let finished = 0;
    const client = async (n: number) => {
      for (let i = 0; ; i++) {
        try {
          const res = await api(`${first.url}/api/v1/cases`, org.token, 'POST', caseBody(org, `Crash test ${n}-${i}`));
          const body = await res.json();
          sent++;
          if (res.status === 201) acknowledged.push(body.id);
          else otherStatuses.push(res.status);
        } catch {
          finished++;
          return; // connection refused or reset: the server is gone; this request was never acknowledged
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));
    while (acknowledged.length < 80 && finished === 0) await new Promise((r) => setTimeout(r, 20));
    expect(finished, first.output()).toBe(0); // all 8 still writing when the kill comes
    await first.stop('SIGKILL');
    await Promise.all(clients);
    expect(otherStatuses).toEqual([]);
    expect(first.child.signalCode).toBe('SIGKILL');

    // Same data, new process: every acknowledged case is there with its history, and the chain verifies.
    const second = await startServerProcess(target.env);
    servers.push(second);
    const check = async (id: string) => {
      const res = await api(`${second.url}/api/v1/cases/${id}`, org.token);
      expect(res.status, `case ${id} acknowledged before the crash`).toBe(200);
      const events = await (await api(`${second.url}/api/v1/cases/${id}/events`, org.token)).json();
      expect(events.items[0]).toMatchObject({ seq: 1, type: 'case.created' });
    };
    for (let i = 0; i < acknowledged.length; i += 8) await Promise.all(acknowledged.slice(i, i + 8).map(check));
    const verify = await (await api(`${second.url}/api/v1/audit/verify`, org.token)).json();
    expect(verify).toMatchObject({ ok: true, problems: [] });
    // A case may have committed with its response lost in the crash, never the other way round.
    expect(sent).toBeGreaterThanOrEqual(acknowledged.length);
    // And it keeps working.
    expect((await api(`${second.url}/api/v1/cases`, org.token, 'POST', caseBody(org, 'After the crash'))).status).toBe(201);
  }, 120_000);

  it('on SIGTERM stops accepting, answers the request in flight, and exits 0', async () => {
    const { org } = target;
    const server = servers.at(-1)!; // the one the crash test restarted
    expect(server.child.exitCode).toBeNull();

    // A slow client: the request is under way (headers sent, half the body) when SIGTERM arrives.
    const body = caseBody(org, 'Sent slowly across a shutdown');
    const { port } = new URL(server.url);
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port, method: 'POST', path: '/api/v1/cases',
        headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => req.end(body.slice(20)), 1_500);
    });
    await new Promise((r) => setTimeout(r, 300));
    const exited = server.stop('SIGTERM');

    // Not accepting new connections any more while it drains.
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${server.url}/api/v1/health`)).rejects.toThrow();

    const answered = await response;
    expect(answered.status).toBe(201);
    const created = JSON.parse(answered.body);
    expect(await exited).toBe(0);

    // The case it acknowledged is there after a restart.
    const again = await startServerProcess(target.env);
    servers.push(again);
    expect((await api(`${again.url}/api/v1/cases/${created.id}`, org.token)).status).toBe(200);
  }, 120_000);

  it('on SIGTERM finishes sending the e-mail in hand, marks it sent, and exits 0', async () => {
    const { org } = target;
    await servers.at(-1)?.stop('SIGTERM'); // one process per embedded data folder
    let sending!: () => void;
    const started = new Promise<void>((r) => { sending = r; });
    // A slow mail server: it holds each message for 1.5 s before accepting it.
    const smtp = await startSmtpServer(0, { onData: () => sending(), delayMs: 1_500 });
    try {
      const server = await startServerProcess({ ...target.env, SMTP_URL: smtp.url, TRUSTDESK_JOB_INTERVAL_MS: '200' });
      servers.push(server);
      const created = await (await api(`${server.url}/api/v1/cases`, org.token, 'POST',
        caseBody(org, 'Mail across a shutdown', { customer: { name: 'Ann', email: 'ann@customer.example' } }))).json();
      const message = await api(`${server.url}/api/v1/cases/${created.id}/messages`, org.token, 'POST',
        JSON.stringify({ body: 'Sent while the server was asked to stop.', visibleToCustomer: true }));
      expect(message.status).toBe(201);

      await started; // the outbox step is in the middle of a send
      expect(await server.stop('SIGTERM')).toBe(0);
      expect(smtp.mails.filter((m) => m.raw.includes('Sent while the server was asked to stop'))).toHaveLength(1);

      // The step finished its bookkeeping before the database closed: marked sent, not left claimed.
      const database = target.database ?? await openDatabase({ dataDir: target.env.TRUSTDESK_DATA_DIR, migrate: false });
      try {
        const rows = await database.query<{ status: string; body: string }>('SELECT status, body FROM outbox WHERE case_id = $1', [created.id]);
        expect(rows.find((r) => r.body.includes('Sent while the server was asked to stop'))?.status).toBe('sent');
      } finally {
        if (!target.database) await database.close();
      }
    } finally {
      await smtp.stop();
    }
  }, 120_000);
});
