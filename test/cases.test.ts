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

const newCase = (overrides: Record<string, unknown> = {}) => ({
  subject: 'Charged twice for my card payment',
  description: 'I paid my credit card bill once but the money left my account twice. I want a refund.',
  customer: { name: 'Jane Customer', email: 'jane@customer.example', ref: 'CUST-1' },
  unitId: tree.units.teamA,
  product: 'Credit card',
  ...overrides,
});

async function create(token: string, overrides: Record<string, unknown> = {}) {
  const res = await t.request({ method: 'POST', url: '/api/v1/cases', token, payload: newCase(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const events = async (id: string, token = tree.org.adminToken) =>
  (await t.request({ method: 'GET', url: `/api/v1/cases/${id}/events`, token })).json().items as { seq: number; type: string; data: Record<string, unknown> }[];

const caseCount = async () => (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0].n;

describe('the owner invariant', () => {
  it('routes a case without an owner to an agent of the unit, and records why', async () => {
    const c = await create(tree.users.leadA.token);
    expect(c.ownerId).toBe(tree.users.agentA.id);
    expect(c.ref).toMatch(/^C-2026-\d{6}$/);
    expect(c.status).toBe('open');
    expect((await events(c.id)).map((e) => e.type)).toEqual(['case.created', 'case.routed', 'clocks.started']);
  });

  it('a named owner must exist and be active; nothing is created otherwise', async () => {
    const before = await caseCount();
    const missing = await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: newCase({ ownerId: '00000000-0000-4000-8000-000000000000' }) });
    expect(missing.statusCode).toBe(422);
    const leaver = (await t.request({ method: 'POST', url: '/api/v1/users', token: tree.org.adminToken, payload: { email: 'gone@example.test', name: 'Gone', role: 'agent', unitId: tree.units.teamA } })).json();
    await t.request({ method: 'PATCH', url: `/api/v1/users/${leaver.id}`, token: tree.org.adminToken, payload: { active: false } });
    const inactive = await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: newCase({ ownerId: leaver.id }) });
    expect(inactive.statusCode).toBe(422);
    expect(inactive.json().error.details[0].path).toBe('ownerId');
    expect(await caseCount()).toBe(before);
  });

  it('there is no way to remove or overwrite the owner', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    for (const ownerId of [null, tree.users.agentB.id]) {
      const res = await t.request({ method: 'PATCH', url: `/api/v1/cases/${c.id}`, token: tree.org.adminToken, payload: { ownerId } });
      expect(res.statusCode).toBe(422);
    }
    const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.org.adminToken })).json();
    expect(after.ownerId).toBe(tree.users.agentA.id);
    expect((await events(c.id)).map((e) => e.type)).toEqual(['case.created', 'clocks.started']);
  });

  it('the database itself refuses an inactive owner', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const [{ id }] = await t.database.query<{ id: string }>("SELECT id FROM users WHERE active = false AND organisation_id = $1 LIMIT 1", [tree.org.id]);
    await expect(t.database.query('UPDATE cases SET owner_id = $1 WHERE id = $2', [id, c.id])).rejects.toThrow(/not an active user/);
  });

  it('deactivating a user hands their open cases to colleagues, with history', async () => {
    const payload = { email: 'temp.agent@example.test', name: 'Temp Agent', role: 'agent', unitId: tree.units.teamB };
    const temp = (await t.request({ method: 'POST', url: '/api/v1/users', token: tree.org.adminToken, payload })).json();
    const c1 = await create(tree.org.adminToken, { ownerId: temp.id, unitId: tree.units.teamB });
    const c2 = await create(tree.org.adminToken, { ownerId: temp.id, unitId: tree.units.teamB });
    const res = await t.request({ method: 'PATCH', url: `/api/v1/users/${temp.id}`, token: tree.org.adminToken, payload: { active: false } });
    expect(res.statusCode, res.body).toBe(200);
    for (const c of [c1, c2]) {
      const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.org.adminToken })).json();
      expect(after.ownerId).toBe(tree.users.agentB.id);
      const last = (await events(c.id)).at(-1)!;
      expect(last).toMatchObject({ type: 'case.owner_changed', data: { from: temp.id, to: tree.users.agentB.id } });
    }
  });
});

describe('transfers', () => {
  it('the sender owns the case until the receiver accepts', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const req = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.agentA.token, payload: { toUserId: tree.users.agentB.id, reason: 'Customer lives in the south' } });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json().state).toBe('pending');
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token })).json().ownerId).toBe(tree.users.agentA.id);
    // The receiver sees the offer and the case, though it is outside their unit.
    const mine = (await t.request({ method: 'GET', url: '/api/v1/transfers', token: tree.users.agentB.token })).json().items;
    expect(mine.map((x: { caseId: string }) => x.caseId)).toContain(c.id);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentB.token })).statusCode).toBe(200);
    const accept = await t.request({ method: 'POST', url: `/api/v1/transfers/${req.json().id}/accept`, token: tree.users.agentB.token });
    expect(accept.statusCode, accept.body).toBe(200);
    const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentB.token })).json();
    expect(after.ownerId).toBe(tree.users.agentB.id);
    expect(after.unitId).toBe(tree.units.teamB);
    expect((await events(c.id)).map((e) => e.type)).toEqual(['case.created', 'clocks.started', 'transfer.requested', 'transfer.accepted', 'case.owner_changed']);
  });

  it('only the receiver answers; a decline needs a reason and returns the case', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const transfer = (await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.agentA.token, payload: { toUserId: tree.users.leadB.id, reason: 'Needs a lead' } })).json();
    expect((await t.request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/accept`, token: tree.users.agentA.token })).statusCode).toBe(403);
    expect((await t.request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/decline`, token: tree.users.leadB.token, payload: {} })).statusCode).toBe(400);
    const declined = await t.request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/decline`, token: tree.users.leadB.token, payload: { reason: 'Not our product' } });
    expect(declined.json()).toMatchObject({ state: 'declined', declineReason: 'Not our product' });
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token })).json().ownerId).toBe(tree.users.agentA.id);
  });

  it('two people accepting the same transfer at once: exactly one owner, one acceptance in history', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const transfer = (await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.agentA.token, payload: { toUnitId: tree.units.teamB, reason: 'Southern customer' } })).json();
    const answers = await Promise.all([tree.users.agentB.token, tree.users.leadB.token].map((token) =>
      t.request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/accept`, token })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const winner = answers[0].statusCode === 200 ? tree.users.agentB.id : tree.users.leadB.id;
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.org.adminToken })).json().ownerId).toBe(winner);
    const types = (await events(c.id)).map((e) => e.type);
    expect(types.filter((x) => x === 'transfer.accepted')).toHaveLength(1);
    expect(types.filter((x) => x === 'case.owner_changed')).toHaveLength(1);
  });

  it('two transfers of the same case at once: one stands, the other is refused', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const answers = await Promise.all([tree.users.agentB.id, tree.users.leadB.id].map((toUserId) =>
      t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.agentA.token, payload: { toUserId, reason: 'Hand over' } })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect((await events(c.id)).filter((e) => e.type === 'transfer.requested')).toHaveLength(1);
  });

  it('nobody but the owner (or a lead above) hands a case over', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const res = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.agentB.token, payload: { toUserId: tree.users.agentB.id, reason: 'mine now' } });
    expect(res.statusCode).toBe(404); // agent B cannot even see it
    const byLead = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.regionLeadA.token, payload: { toUserId: tree.users.leadA.id, reason: 'Senior needed' } });
    expect(byLead.statusCode).toBe(201);
  });
});

describe('working a case', () => {
  it('messages to the customer are queued for e-mail, notes are not', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const toCustomer = "SELECT to_address, subject FROM outbox WHERE to_address = 'jane@customer.example' AND case_id = $1";
    expect(await t.database.query(toCustomer, [c.id])).toEqual([]);
    const note = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'Checked the ledger', visibleToCustomer: false } });
    expect(note.statusCode).toBe(201);
    const msg = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'We are refunding the duplicate payment.', visibleToCustomer: true } });
    expect(msg.statusCode).toBe(201);
    const mails = await t.database.query<{ to_address: string; subject: string }>(toCustomer, [c.id]);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain(c.ref);
    const messages = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token })).json().items;
    expect(messages.map((m: { visibleToCustomer: boolean }) => m.visibleToCustomer)).toEqual([false, true]);
  });

  it('resolves with an outcome and redress, reopens, and refuses impossible moves', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const resolved = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/resolve`, token: tree.users.agentA.token, payload: { outcome: 'upheld', summary: 'Duplicate refunded', redress: { amount: 42.5, kind: 'refund' } } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'upheld', redress: { amount: 42.5, kind: 'refund' } });
    const pause = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/pause`, token: tree.users.agentA.token });
    expect(pause.statusCode, pause.body).toBe(409);
    expect((await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/close`, token: tree.users.agentA.token })).json().status).toBe('closed');
    const reopened = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/reopen`, token: tree.users.agentA.token, payload: { reason: 'Customer says a second charge appeared' } });
    expect(reopened.json()).toMatchObject({ status: 'open', reopenCount: 1 });
  });

  it('records field changes with before and after', async () => {
    const c = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id });
    const res = await t.request({ method: 'PATCH', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token, payload: { priority: 'high', vulnerable: true, category: 'Errors' } });
    expect(res.statusCode, res.body).toBe(200);
    const last = (await events(c.id)).at(-1)!;
    expect(last.data.changes).toEqual({ priority: { before: 'normal', after: 'high' }, vulnerable: { before: false, after: true }, category: { before: null, after: 'Errors' } });
    const bad = await t.request({ method: 'PATCH', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token, payload: { category: 'Not a category' } });
    expect(bad.statusCode).toBe(422);
  });

  it('flags a request that reads like a complaint, and says why', async () => {
    const c = await create(tree.users.agentA.token, { kind: 'request', subject: 'Statement copy', description: 'Please send a statement. Frankly your service has been terrible and I want compensation.' });
    const detail = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token })).json();
    expect(detail.complaintSignals.likely).toBe(true);
    expect(detail.complaintSignals.reasons.length).toBeGreaterThan(0);
  });
});

describe('lists and search', () => {
  it('scopes lists: an agent sees their unit, a lead their subtree, an executive everything', async () => {
    const aCase = await create(tree.users.agentA.token, { ownerId: tree.users.agentA.id, subject: 'Scope probe north' });
    const ids = async (token: string) => (await t.request({ method: 'GET', url: '/api/v1/cases?limit=500&q=probe', token })).json().items.map((c: { id: string }) => c.id);
    expect(await ids(tree.users.agentA.token)).toContain(aCase.id);
    expect(await ids(tree.users.regionLeadA.token)).toContain(aCase.id);
    expect(await ids(tree.users.executive.token)).toContain(aCase.id);
    expect(await ids(tree.users.agentB.token)).not.toContain(aCase.id);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${aCase.id}`, token: tree.users.agentB.token })).statusCode).toBe(404);
  });

  it('searches subject and description in full text, and filters', async () => {
    await create(tree.users.agentA.token, { subject: 'Mortgage overpayment lost', description: 'My overpayments were never applied to the mortgage balance.', product: 'Mortgage', vulnerable: true });
    const hits = (await t.request({ method: 'GET', url: '/api/v1/cases?q=overpayments%20mortgage', token: tree.org.adminToken })).json().items;
    expect(hits.map((c: { subject: string }) => c.subject)).toEqual(['Mortgage overpayment lost']);
    const vulnerable = (await t.request({ method: 'GET', url: '/api/v1/cases?vulnerable=true&product=Mortgage', token: tree.org.adminToken })).json().items;
    expect(vulnerable.every((c: { vulnerable: boolean; product: string }) => c.vulnerable && c.product === 'Mortgage')).toBe(true);
    const bad = await t.request({ method: 'GET', url: '/api/v1/cases?status=lost', token: tree.org.adminToken });
    expect(bad.statusCode).toBe(400);
  });

  it('pages with a cursor in inbox order without repeats or gaps', async () => {
    const all = (await t.request({ method: 'GET', url: '/api/v1/cases?limit=500', token: tree.org.adminToken })).json().items.map((c: { id: string }) => c.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.request({ method: 'GET', url: `/api/v1/cases?limit=3${cursor ? `&cursor=${cursor}` : ''}`, token: tree.org.adminToken });
      paged.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('counts by status and exports the filtered list as CSV', async () => {
    const counts = (await t.request({ method: 'GET', url: '/api/v1/cases/counts?ownerId=me', token: tree.users.agentA.token })).json();
    expect(counts.open).toBeGreaterThan(0);
    const csv = await t.request({ method: 'GET', url: '/api/v1/cases/export.csv?status=open', token: tree.org.adminToken });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toContain('ref,kind,status');
    expect(lines.length - 1).toBe((await t.request({ method: 'GET', url: '/api/v1/cases/counts', token: tree.org.adminToken })).json().open);
  });
});
