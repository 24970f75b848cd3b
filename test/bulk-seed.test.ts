import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseDeadlines } from '../src/clocks/clock.service.js';
import { seedBulkCases } from '../src/demo/demo-cases.js';
import { refreshReportRollups } from '../src/reports/rollup.service.js';
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
const LOADED = ['cases', 'case_clocks', 'case_messages', 'history_events', 'history_streams'];

/** The indexes and foreign keys of the tables a bulk load writes, as the catalogue defines them. */
async function schemaObjects() {
  const indexes = await t.database.query<{ d: string }>(
    'SELECT indexdef AS d FROM pg_indexes WHERE tablename = ANY($1) ORDER BY indexname', [LOADED]);
  const keys = await t.database.query<{ d: string }>(
    `SELECT conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
     WHERE conrelid::regclass::text = ANY($1) AND contype IN ('f', 'p', 'u') ORDER BY conname`, [LOADED]);
  // Every index of cases as the migrations (up to 0017) define them.
  expect(indexes.map((i) => i.d).filter((d) => d.includes(' ON public.cases '))).toHaveLength(11);
  return { indexes: indexes.map((i) => i.d), keys: keys.map((k) => k.d) };
}

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

  it('a large load (indexes and foreign keys built after the rows) leaves every index and key in place, and its cases listed, searchable and verifiable', async () => {
    const orgId = tree.org.id;
    const before = await schemaObjects();
    const [{ n: existing }] = await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1', [orgId]);
    const progress: number[] = [];
    await seedBulkCases(t.database, orgId, 300, t.clock.now(), { deferIndexes: true, onProgress: (done) => progress.push(done) });
    expect(progress[progress.length - 1]).toBe(300);
    expect(await schemaObjects()).toEqual(before);
    const [{ n: after }] = await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1', [orgId]);
    expect(after).toBe(existing + 300);

    // The newest loaded case: listed (as the whole organisation sees it), and found by words of its subject and name.
    const [probe] = await t.database.query<{ id: string; ref: string; subject: string; customer_name: string }>(
      'SELECT id, ref, subject, customer_name FROM cases WHERE organisation_id = $1 ORDER BY ref DESC LIMIT 1', [orgId]);
    const listed = await t.request({ method: 'GET', url: `/api/v1/cases/${probe.id}`, token: tree.org.adminToken });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().ref).toBe(probe.ref);
    const word = probe.subject.split(/[^A-Za-z]+/).filter((w) => w.length >= 6).sort((a, b) => b.length - a.length)[0];
    const q = encodeURIComponent(`${word} ${probe.customer_name.split(' ')[0]}`);
    const found: string[] = [];
    for (let cursor: string | undefined, page = 0; page === 0 || (cursor && page < 20); page++) {
      const res = await t.request({ method: 'GET', url: `/api/v1/cases?q=${q}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token: tree.org.adminToken });
      expect(res.statusCode).toBe(200);
      found.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor ?? undefined;
    }
    expect(found).toContain(probe.id);

    const verify = (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: tree.org.adminToken })).json();
    expect(verify.ok, JSON.stringify(verify.problems)).toBe(true);
  });

  it('a large load that fails midway leaves every index and key in place (and, on PostgreSQL, no case of it)', async () => {
    const orgId = tree.org.id;
    const before = await schemaObjects();
    const count = async () => (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1', [orgId]))[0].n;
    const existing = await count();
    await expect(seedBulkCases(t.database, orgId, 200, t.clock.now(), {
      deferIndexes: true,
      onProgress: () => { throw new Error('stopped by the test'); },
    })).rejects.toThrow(/stopped by the test/);
    expect(await schemaObjects()).toEqual(before);
    // PostgreSQL loads in one transaction; the embedded database commits chunk by chunk (the first, here, stays).
    if (t.database.kind === 'postgres') expect(await count()).toBe(existing);
    const verify = (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: tree.org.adminToken })).json();
    expect(verify.ok, JSON.stringify(verify.problems)).toBe(true);
  });

  it('writes the report facts and rollup rows the job would make, so reports are right at once and the job passes over the load', async () => {
    const orgId = tree.org.id;
    // Earlier tests loaded cases already; everything of theirs is settled.
    await refreshReportRollups(t.ctx, { settleMs: 0 });
    await seedBulkCases(t.database, orgId, 150, t.clock.now());
    const [{ loaded }] = await t.database.query<{ loaded: number }>('SELECT count(*)::int AS loaded FROM cases WHERE organisation_id = $1', [orgId]);
    const facts = () => t.database.query<Record<string, unknown>>(
      `SELECT case_id, unit_id, kind, product, category, channel, vulnerable, received_at, received_day::text, resolved_at, resolved_day::text, outcome,
              calendar_days, business_days, within_8_weeks, redress_amount, redress_kind, reopen_count, clocks, breached_clocks, phrases
       FROM report_case_facts WHERE organisation_id = $1 ORDER BY case_id`, [orgId]);
    // Pair lists ("name=count") are sets: their order follows the order the facts were read in.
    const rollup = async () => (await t.database.query<{ dimension: string; received: number; clock_counts: string[]; breach_counts: string[] }>(
      `SELECT day::text, unit_id, dimension, value, received, resolved, resolved_within_3bd, resolved_within_8w, upheld, reopened, open_now,
              redress_compensation, redress_refund, redress_goodwill, redress_interest, clock_counts, breach_counts, calendar_histogram, business_histogram
       FROM report_daily WHERE organisation_id = $1 ORDER BY day, unit_id, dimension, value`, [orgId]))
      .map((r) => ({ ...r, clock_counts: [...r.clock_counts].sort(), breach_counts: [...r.breach_counts].sort() }));
    const asLoaded = { facts: await facts(), rollup: await rollup() };
    expect(asLoaded.facts).toHaveLength(loaded);
    expect(asLoaded.facts.filter((f) => (f.phrases as string[]).length > 0).length).toBeGreaterThan(loaded / 2);
    const week = asLoaded.rollup.filter((r) => r.dimension === 'week').reduce((n, r) => n + r.received, 0);
    const days = asLoaded.rollup.filter((r) => r.dimension === 'all').reduce((n, r) => n + r.received, 0);
    expect(days).toBe(asLoaded.facts.filter((f) => f.kind === 'complaint').length);
    expect(week).toBeLessThanOrEqual(days);

    // The job reads the load's events and refreshes none of their cases.
    expect(await refreshReportRollups(t.ctx, { settleMs: 0 })).toBe(0);
    const [mark] = await t.database.query<{ behind: number }>(
      'SELECT count(*)::int AS behind FROM history_events e JOIN report_watermarks w USING (organisation_id) WHERE e.organisation_id = $1 AND e.id > w.last_event_id', [orgId]);
    expect(mark.behind).toBe(0);

    // A change to a loaded case is picked up.
    const [one] = await t.database.query<{ id: string }>("SELECT id FROM cases WHERE organisation_id = $1 AND status = 'open' LIMIT 1", [orgId]);
    const patched = await t.request({ method: 'PATCH', url: `/api/v1/cases/${one.id}`, token: tree.org.adminToken, payload: { product: 'Savings account' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await refreshReportRollups(t.ctx, { settleMs: 0 })).toBe(1);
    const [changed] = await t.database.query<{ product: string }>('SELECT product FROM report_case_facts WHERE case_id = $1', [one.id]);
    expect(changed.product).toBe('Savings account');

    // And the job, made to compute every case from the start, arrives at the same facts and rows.
    const afterPatch = { facts: await facts(), rollup: await rollup() };
    await t.database.query('UPDATE report_case_facts SET stream_seq = NULL WHERE organisation_id = $1', [orgId]);
    await t.database.query('UPDATE report_watermarks SET last_event_id = 0 WHERE organisation_id = $1', [orgId]);
    // (A case whose events fall on both sides of a batch's end is refreshed in both.)
    expect(await refreshReportRollups(t.ctx, { settleMs: 0 })).toBeGreaterThanOrEqual(loaded);
    expect(await facts()).toEqual(afterPatch.facts);
    expect(await rollup()).toEqual(afterPatch.rollup);
  });

  it('queues the webhooks the organisation subscribed to for the loaded cases', async () => {
    const orgId = tree.org.id;
    const hook = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: tree.org.adminToken, payload: { url: 'https://example.com/hooks/trustdesk', events: ['case.created'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    const queued = async () => (await t.database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM webhook_deliveries WHERE organisation_id = $1 AND event_type = 'case.created'", [orgId]))[0].n;
    const before = await queued();
    await seedBulkCases(t.database, orgId, 120, t.clock.now());
    expect(await queued()).toBe(before + 120);
  });

  it('refuses an organisation with nobody to own the cases', async () => {
    const empty = await t.createOrg();
    await expect(seedBulkCases(t.database, empty.id, 10, t.clock.now())).rejects.toThrow(/no agent/);
  });
});
