import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../src/auth/auth.service.js';
import type { Database } from '../src/db/client.js';
import { createOrganisation } from '../src/org/organisation.service.js';
import { insertUser } from '../src/org/user.service.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { openTestDatabase } from './helpers/test-database.js';

let database: Database & { url?: string };
let servers: ServerProcess[] = [];

beforeAll(async () => { database = await openTestDatabase(); });
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await database?.close();
});

describe.skipIf(process.env.TRUSTDESK_TEST_DB !== 'postgres')('two server processes on one PostgreSQL', () => {
  it('fire every clock event once and raise one escalation per case', async () => {
    const org = await createOrganisation(database.db, { name: 'Twin Bank', adminEmail: 'admin@twin.example', adminPassword: 'a-strong-password' }, new Date());
    await database.db.transaction(async (tx) => {
      await insertUser(tx, org.id, null, new Date(), { email: 'agent@twin.example', name: 'Agent', role: 'agent', unitId: org.rootUnitId });
      await insertUser(tx, org.id, null, new Date(), { email: 'lead@twin.example', name: 'Lead', role: 'lead', unitId: org.rootUnitId });
    });
    const { token } = await issueApiToken(database.db, org.id, org.adminId, 'test', null, new Date());
    const env = { DATABASE_URL: database.url!, TRUSTDESK_JOB_INTERVAL_MS: '150' };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const received = new Date(Date.now() - 63 * 86_400_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${servers[i % 2].url}/api/v1/cases`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: `Old complaint ${i}`, description: 'Nine weeks old', customer: { name: 'C' }, unitId: org.rootUnitId, receivedAt: received }),
      });
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    // Both processes sweep every 150 ms; wait until every case has been escalated.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [{ n }] = await database.query<{ n: number }>("SELECT count(DISTINCT case_id)::int AS n FROM escalations WHERE organisation_id = $1", [org.id]);
      if (n === ids.length || Date.now() > deadline) break;
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
    const mails = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE organisation_id = $1 AND subject LIKE '%Escalated to you%' GROUP BY subject", [org.id]);
    expect(mails.every((r) => r.n === 1)).toBe(true);
  }, 120_000);
});
