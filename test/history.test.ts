import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorHistory, appendEvent, listStreamEvents, verifyHistory } from '../src/history/history.service.js';
import { createTestApp, type TestApp, type TestOrg } from './helpers/test-app.js';

let t: TestApp;

beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t?.close());

async function orgWithEvents(streams = ['case:a', 'case:b'], perStream = 3): Promise<TestOrg> {
  const org = await t.createOrg();
  for (let i = 0; i < perStream; i++) {
    for (const stream of streams) {
      await t.ctx.db.transaction((tx) => appendEvent(tx, {
        organisationId: org.id, stream, type: 'test.event', actorId: null, at: t.clock.now(), data: { i, note: `event ${i} of ${stream}` },
      }));
    }
  }
  return org;
}

const verifyVia = async (org: TestOrg) => (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: org.adminToken })).json();

describe('tamper-evident history', () => {
  it('verifies an untouched history', async () => {
    const org = await orgWithEvents();
    const result = await verifyVia(org);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThanOrEqual(6);
  });

  it('numbers each stream 1..n in order', async () => {
    const org = await orgWithEvents(['case:x'], 4);
    const events = await listStreamEvents(t.ctx.db, org.id, 'case:x');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('reports a changed event by its id', async () => {
    const org = await orgWithEvents();
    const [target] = await t.database.query<{ id: number }>(
      "SELECT id FROM history_events WHERE organisation_id = $1 AND stream = 'case:a' AND seq = 2", [org.id]);
    await t.database.query(`UPDATE history_events SET data = '{"i": 99}' WHERE id = $1`, [target.id]);
    const result = await verifyVia(org);
    expect(result.ok).toBe(false);
    expect(Number(result.firstBadSeq)).toBe(Number(target.id));
  });

  it('reports a removed event in the middle of a stream', async () => {
    const org = await orgWithEvents();
    await t.database.query("DELETE FROM history_events WHERE organisation_id = $1 AND stream = 'case:b' AND seq = 2", [org.id]);
    const result = await verifyHistory(t.ctx.db, org.id);
    expect(result.ok).toBe(false);
    expect(result.problems.some((p) => p.problem.includes('gap'))).toBe(true);
  });

  it('reports the removal of the newest event of a stream', async () => {
    const org = await orgWithEvents();
    await t.database.query("DELETE FROM history_events WHERE organisation_id = $1 AND stream = 'case:b' AND seq = 3", [org.id]);
    expect((await verifyHistory(t.ctx.db, org.id)).ok).toBe(false);
  });

  it('an anchor catches a rewrite that recomputed the chain and its head', async () => {
    const org = await orgWithEvents();
    t.clock.advance(60_000);
    // 6 test events + the organisation, its admin and the admin's token.
    expect(await anchorHistory(t.ctx.db, org.id, t.clock.now())).toBe(9);
    // A careful tamperer deletes the last event of a stream and rewinds its head to match.
    const [last] = await t.database.query<{ prev_hash: string }>(
      "DELETE FROM history_events WHERE organisation_id = $1 AND stream = 'case:a' AND seq = 3 RETURNING prev_hash", [org.id]);
    await t.database.query("UPDATE history_streams SET last_seq = 2, last_hash = $2 WHERE organisation_id = $1 AND stream = 'case:a'", [org.id, last.prev_hash]);
    const result = await verifyHistory(t.ctx.db, org.id);
    expect(result.ok).toBe(false);
    expect(result.problems[0].problem).toMatch(/since anchor 1/);
  });

  it('concurrent appends to one stream stay one unbroken chain', async () => {
    const org = await t.createOrg();
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.ctx.db.transaction((tx) => appendEvent(tx, {
      organisationId: org.id, stream: 'case:busy', type: 'test.event', actorId: null, at: t.clock.now(), data: { i },
    }))));
    const events = await listStreamEvents(t.ctx.db, org.id, 'case:busy');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await verifyHistory(t.ctx.db, org.id)).ok).toBe(true);
  });

  it('an append inside a rolled-back transaction leaves no trace', async () => {
    const org = await t.createOrg();
    await expect(t.ctx.db.transaction(async (tx) => {
      await appendEvent(tx, { organisationId: org.id, stream: 'case:rb', type: 'x', actorId: null, at: t.clock.now(), data: {} });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const [{ count }] = await t.database.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM history_events WHERE organisation_id = $1 AND stream = 'case:rb'", [org.id]);
    expect(count).toBe(0);
    expect((await verifyHistory(t.ctx.db, org.id)).ok).toBe(true);
  });

  it('only organisation-wide roles may run the verification', async () => {
    const org = await t.createOrg();
    const res = await t.request({ method: 'POST', url: '/api/v1/users', token: org.adminToken, payload: { email: 'agent@example.test', name: 'A', role: 'agent', unitId: org.rootUnitId } });
    const token = (await t.request({ method: 'POST', url: `/api/v1/users/${res.json().id}/tokens`, token: org.adminToken, payload: { name: 'x' } })).json().token;
    expect((await t.request({ method: 'GET', url: '/api/v1/audit/verify', token })).statusCode).toBe(403);
  });
});
