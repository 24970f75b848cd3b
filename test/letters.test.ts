import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
  await t.request({ method: 'PATCH', url: `/api/v1/units/${tree.units.teamA}`, token: tree.org.adminToken, payload: { country: 'GB-ENG' } });
});
afterAll(() => t?.close());

async function create(overrides: Record<string, unknown> = {}) {
  const res = await t.request({
    method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
    payload: { subject: 'Overdraft fee', description: 'Charged an overdraft fee in error', customer: { name: 'Ann Lee', email: 'ann@customer.example' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id, ...overrides },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const letter = (id: string, kind: string, fields: Record<string, string> = {}) =>
  t.request({ method: 'POST', url: `/api/v1/cases/${id}/letters`, token: tree.users.agentA.token, payload: { kind, fields } });

describe('letters', () => {
  it('the acknowledgement states the deadline of the case\'s policy and meets the acknowledgement clock', async () => {
    t.clock.set('2026-03-02T10:00:00Z'); // Monday
    const disp = await create();
    const sent = await letter(disp.id, 'acknowledgement');
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().body).toContain('by Monday 27 April 2026'); // eight weeks
    const psd = await create({ product: 'Payments & transfers' });
    expect((await letter(psd.id, 'acknowledgement')).json().body).toContain('by Monday 23 March 2026'); // 15 business days
    const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${disp.id}`, token: tree.users.agentA.token })).json();
    expect(after.clocks.find((k: { name: string }) => k.name === 'acknowledge').state).toBe('met');
    const [mail] = await t.database.query<{ subject: string }>("SELECT subject FROM outbox WHERE case_id = $1 AND to_address = 'ann@customer.example'", [disp.id]);
    expect(mail.subject).toBe(`We have received your complaint ${disp.ref}`);
  });

  it('a letter with an unfilled field cannot be sent, and the preview says which', async () => {
    const c = await create();
    const preview = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/letters/preview`, token: tree.users.agentA.token, payload: { kind: 'holding', fields: {} } });
    expect(preview.json().missing).toEqual(['reasons', 'expectedDate']);
    const refused = await letter(c.id, 'holding', { reasons: 'we are waiting for a statement from the card scheme' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([{ path: 'fields.expectedDate', message: 'not filled' }]);
    const messages = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token })).json().items;
    expect(messages).toEqual([]);
  });

  it('a final response meets the final response clock and carries the ombudsman wording', async () => {
    const c = await create();
    const sent = await letter(c.id, 'final_response', { outcome: 'we uphold your complaint', summary: 'The fee was charged in error.', redress: 'We have refunded £25.00.' });
    expect(sent.statusCode).toBe(201);
    expect(sent.json().body).toContain('Financial Ombudsman Service');
    expect(sent.json().body).toContain('within six months');
    const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token })).json();
    expect(after.clocks.find((k: { name: string }) => k.name === 'final_response').state).toBe('met');
  });

  it('a holding reply under fca-psd extends the deadline to 35 business days', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const c = await create({ product: 'Payments & transfers' });
    await letter(c.id, 'holding', { reasons: 'the receiving bank has not answered yet', expectedDate: '20 April 2026' });
    const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token })).json();
    expect(after.clocks.find((k: { name: string }) => k.name === 'final_response').dueAt).toBe('2026-04-22T16:00:00.000Z'); // Easter holidays skipped
  });

  it('admins can change the wording; the summary resolution letter belongs to fca-disp only', async () => {
    const saved = await t.request({ method: 'PUT', url: '/api/v1/letter-templates/acknowledgement', token: tree.org.adminToken, payload: { subject: 'Thanks — {{case.ref}}', body: 'Hello {{customer.name}}, we will reply by {{deadline.finalResponse}}. {{owner.name}}' } });
    expect(saved.json()).toMatchObject({ custom: true });
    const c = await create({ product: 'Payments & transfers' });
    expect((await letter(c.id, 'acknowledgement')).json().subject).toBe(`Thanks — ${c.ref}`);
    expect((await letter(c.id, 'summary_resolution', { summary: 'Sorted' })).statusCode).toBe(422);
  });
});
