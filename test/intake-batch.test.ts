import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

const newCase = (i: number, overrides: Record<string, unknown> = {}) => ({
  subject: `Charged twice, customer ${i}`,
  description: 'The money left my account twice for one card payment.',
  customer: { name: `Customer ${i}`, email: `c${i}@customer.example` },
  unitId: tree.units.teamA,
  ...overrides,
});

describe('cases created at the same moment (group commit)', () => {
  it('gives each of many simultaneous cases its own owner, clocks, history and reference; a bad one fails alone', async () => {
    const before = (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1', [tree.org.id]))[0].n;
    const payloads = Array.from({ length: 24 }, (_, i) => {
      if (i === 5) return newCase(i, { category: 'Not a category' });
      if (i === 11) return newCase(i, { ownerId: '00000000-0000-4000-8000-000000000000' });
      if (i % 2 === 0) return newCase(i, { ownerId: tree.users.agentA.id });
      return newCase(i); // routed
    });
    const responses = await Promise.all(payloads.map((payload) => t.request({ method: 'POST', url: '/api/v1/cases', token: tree.users.leadA.token, payload })));
    expect(responses.map((r) => r.statusCode)).toEqual(payloads.map((_, i) => (i === 5 || i === 11 ? 422 : 201)));
    expect(responses[5].json().error.code).toBe('unprocessable');
    expect(responses[11].json().error.details[0].path).toBe('ownerId');

    const created = responses.filter((r) => r.statusCode === 201).map((r) => r.json());
    expect(new Set(created.map((c) => c.ref)).size).toBe(22);
    const after = (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE organisation_id = $1', [tree.org.id]))[0].n;
    expect(after).toBe(before + 22);
    for (const c of created) {
      // The answer is the case as it is stored.
      const stored = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.leadA.token })).json();
      expect(stored).toEqual(c);
      expect(c.owner.id).toBe(c.ownerId);
      expect(c.clocks.length).toBeGreaterThan(0);
      const history = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/events`, token: tree.org.adminToken })).json().items as { seq: number; type: string }[];
      expect(history.map((e) => e.seq)).toEqual(history.map((_, k) => k + 1));
      expect(history[0].type).toBe('case.created');
      expect(history.at(-1)!.type).toBe('clocks.started');
      expect(history.some((e) => e.type === 'case.routed')).toBe(Number(c.subject.match(/\d+$/)![0]) % 2 === 1);
    }
    const verify = (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: tree.org.adminToken })).json();
    expect(verify.ok).toBe(true);
  });
});
