import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseDeadlines } from '../src/clocks/clock.service.js';
import { seedBulkCases } from '../src/demo/demo-cases.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

const COUNT = 400;

describe('bulk demo data (trustdesk seed --bulk)', () => {
  it('loads cases that each have an owner, clocks, a verifiable history and the deadline their clocks give', async () => {
    const orgId = tree.org.id;
    const written = await seedBulkCases(t.database, orgId, COUNT, t.clock.now());
    expect(written).toBe(COUNT);
    const [counts] = await t.database.query<{ cases: number; owned: number; without_clocks: number; without_history: number }>(`
      SELECT count(*)::int AS cases,
             count(*) FILTER (WHERE owner_id IN (SELECT id FROM users WHERE organisation_id = $1 AND active))::int AS owned,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id))::int AS without_clocks,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM history_events e WHERE e.organisation_id = $1 AND e.stream = 'case:' || c.id AND e.type = 'case.created'))::int AS without_history
      FROM cases c WHERE organisation_id = $1`, [orgId]);
    expect(counts).toEqual({ cases: COUNT, owned: COUNT, without_clocks: 0, without_history: 0 });

    // Every chain and head recomputes.
    const verify = (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: tree.org.adminToken })).json();
    expect(verify.ok, JSON.stringify(verify.problems)).toBe(true);

    // The inbox order and breach flags are exactly what the clocks give.
    const snapshot = () => t.database.query<{ id: string; next_due_at: string | null; sort_due_at: string; breached: boolean }>(
      'SELECT id, next_due_at, sort_due_at, breached FROM cases WHERE organisation_id = $1 ORDER BY id', [orgId]);
    const loaded = await snapshot();
    const ids = loaded.map((r) => r.id);
    await t.ctx.db.transaction((tx) => refreshCaseDeadlines(tx, orgId, ids));
    expect(await snapshot()).toEqual(loaded);

    // Agents find their share in their inbox, in deadline order.
    const inbox = await t.request({ method: 'GET', url: '/api/v1/cases?ownerId=me&status=open&sort=due&limit=50', token: tree.users.agentA.token });
    expect(inbox.statusCode).toBe(200);
    const due = inbox.json().items.map((c: { nextDueAt: string | null }) => c.nextDueAt).filter((d: string | null) => d !== null);
    expect(due).toEqual([...due].sort());
  });

  it('refuses an organisation with nobody to own the cases', async () => {
    const empty = await t.createOrg();
    await expect(seedBulkCases(t.database, empty.id, 10, t.clock.now())).rejects.toThrow(/no agent/);
  });
});
