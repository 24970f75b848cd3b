import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../src/jobs/maintenance.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
  // England and Wales for the teams (holidays of GB-ENG), London time.
  for (const unit of [tree.units.teamA, tree.units.teamB]) {
    await t.request({ method: 'PATCH', url: `/api/v1/units/${unit}`, token: tree.org.adminToken, payload: { country: 'GB-ENG', timezone: 'Europe/London' } });
  }
});
afterAll(() => t?.close());

async function create(overrides: Record<string, unknown> = {}) {
  const res = await t.request({
    method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
    payload: { subject: 'Card fee', description: 'I was charged a fee I never agreed to.', customer: { name: 'Ann Lee', email: 'ann@example.test' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id, ...overrides },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const get = async (id: string, token = tree.org.adminToken) => (await t.request({ method: 'GET', url: `/api/v1/cases/${id}`, token })).json();
type ClockJson = { name: string; dueAt: string; state: string; metAt: string | null };
const clock = (c: { clocks: ClockJson[] }, name: string) => c.clocks.find((k) => k.name === name)!;

describe('clock policies', () => {
  it('lists the presets with their sources', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/policies', token: tree.users.agentA.token });
    const keys = res.json().items.map((p: { key: string }) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['fca-disp', 'fca-psd', 'cfpb', 'standard']));
    expect(res.json().items.find((p: { key: string }) => p.key === 'fca-disp').source).toContain('DISP');
  });

  it('chooses fca-disp for complaints, fca-psd for payment complaints, standard for requests', async () => {
    expect((await create()).policy).toBe('fca-disp');
    expect((await create({ product: 'Payments & transfers' })).policy).toBe('fca-psd');
    expect((await create({ kind: 'request' })).policy).toBe('standard');
    expect((await create({ policy: 'cfpb' })).policy).toBe('cfpb');
    const unknown = await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: { subject: 'x', description: 'y', customer: { name: 'z' }, unitId: tree.units.teamA, policy: 'nope' } });
    expect(unknown.statusCode).toBe(422);
  });

  it('gives a Friday-evening receipt before a bank holiday the right business-day deadlines', async () => {
    t.clock.set('2026-05-05T09:00:00Z');
    const c = await create({ receivedAt: '2026-05-01T18:30:00Z' }); // Friday 19:30 BST, Monday 4 May is a bank holiday
    expect(clock(c, 'acknowledge').dueAt).toBe('2026-05-06T16:00:00.000Z');
    expect(clock(c, 'summary_resolution').dueAt).toBe('2026-05-08T16:00:00.000Z');
    expect(clock(c, 'final_response').dueAt).toBe('2026-06-26T18:30:00.000Z');
    const psd = await create({ receivedAt: '2026-05-01T18:30:00Z', product: 'Payments & transfers' });
    expect(clock(psd, 'final_response').dueAt).toBe('2026-05-27T16:00:00.000Z');
  });

  it('a reply meets the acknowledgement clock, a resolution the final response', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await create();
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'We have your complaint.', visibleToCustomer: true } });
    expect(clock(await get(c.id), 'acknowledge')).toMatchObject({ state: 'met', metAt: '2026-03-02T09:00:00.000Z' });
    t.clock.set('2026-03-20T10:00:00Z');
    const early = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/resolve`, token: tree.users.agentA.token, payload: { outcome: 'not_upheld', summary: 'Fee was in the terms' } });
    expect(early.statusCode).toBe(422); // past three business days: the final response letter comes first
    const letter = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/letters`, token: tree.users.agentA.token, payload: { kind: 'final_response', fields: { outcome: 'we do not uphold your complaint', summary: 'The fee is in the terms you agreed.' } } });
    expect(letter.statusCode, letter.body).toBe(201);
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/resolve`, token: tree.users.agentA.token, payload: { outcome: 'not_upheld', summary: 'Fee was in the terms' } });
    const after = await get(c.id);
    expect(clock(after, 'final_response').state).toBe('met');
    expect(clock(after, 'summary_resolution').state).toBe('breached'); // a window, not a promise: the case is not breached
    expect(after.breached).toBe(false);
  });

  it('waiting on the customer pauses pausable clocks and moves their deadline on resume', async () => {
    t.clock.set('2026-03-05T15:00:00Z'); // Thursday
    const c = await create({ kind: 'request' });
    const before = clock(c, 'resolution').dueAt;
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/pause`, token: tree.users.agentA.token });
    expect(clock(await get(c.id), 'resolution').state).toBe('paused');
    t.clock.set('2026-03-09T10:00:00Z'); // Monday: 2 h Thursday + 8 h Friday + 1 h Monday of working time paused
    const resumed = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/resume`, token: tree.users.agentA.token });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const after = clock(resumed.json(), 'resolution');
    expect(after.state).toBe('running');
    expect(new Date(after.dueAt).getTime()).toBeGreaterThan(new Date(before).getTime());
  });
});

describe('the sweep', () => {
  it('a case received 9 weeks ago under fca-disp is breached and escalated to the first rung', async () => {
    t.clock.set('2026-06-01T09:00:00Z');
    const c = await create({ receivedAt: '2026-03-30T09:00:00Z' });
    await tasks.frequent(t.ctx);
    const after = await get(c.id);
    expect(after.breached).toBe(true);
    expect(clock(after, 'final_response').state).toBe('breached');
    const escalations = (await t.request({ method: 'GET', url: `/api/v1/escalations?caseId=${c.id}`, token: tree.org.adminToken })).json().items;
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ reason: 'breach', toUserId: tree.users.leadA.id, rung: 1, state: 'open' });
    // The owner hears about it, and the lead has it in their notifications.
    const leadNotes = (await t.request({ method: 'GET', url: '/api/v1/notifications', token: tree.users.leadA.token })).json();
    expect(leadNotes.items.some((n: { caseId: string; kind: string }) => n.caseId === c.id && n.kind === 'escalation')).toBe(true);
    // Sweeping again fires nothing twice.
    await tasks.frequent(t.ctx);
    const events = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/events`, token: tree.org.adminToken })).json().items;
    expect(events.filter((e: { type: string }) => e.type === 'clock.breached')).toHaveLength(2); // acknowledge and final response
    expect(events.filter((e: { type: string }) => e.type === 'escalation.raised')).toHaveLength(1);
  });

  it('warns the owner before the deadline', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await create({ policy: 'cfpb' });
    t.clock.set('2026-03-10T09:00:00Z'); // past half of the 15 days
    await tasks.frequent(t.ctx);
    expect(clock(await get(c.id), 'response').state).toBe('warning');
    const notes = (await t.request({ method: 'GET', url: '/api/v1/notifications?unread=true', token: tree.users.agentA.token })).json();
    expect(notes.items.some((n: { caseId: string; kind: string }) => n.caseId === c.id && n.kind === 'clock_warning')).toBe(true);
  });
});

describe('escalations and lessons', () => {
  it('only the addressee acknowledges; an unacknowledged escalation climbs', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await create();
    const raised = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/escalations`, token: tree.users.agentA.token, payload: { reason: 'customer_request', note: 'Wants a manager' } });
    expect(raised.statusCode, raised.body).toBe(201);
    expect(raised.json()).toMatchObject({ toUserId: tree.users.leadA.id, rung: 1 });
    expect((await t.request({ method: 'POST', url: `/api/v1/escalations/${raised.json().id}/acknowledge`, token: tree.users.agentA.token })).statusCode).toBe(403);
    t.clock.set('2026-03-02T14:00:00Z'); // 5 working hours later, past the 4-hour acknowledgement
    await tasks.frequent(t.ctx);
    const climbed = (await t.request({ method: 'GET', url: `/api/v1/escalations/${raised.json().id}`, token: tree.org.adminToken })).json();
    expect(climbed).toMatchObject({ toUserId: tree.users.regionLeadA.id, rung: 2, state: 'open' });
    const ack = await t.request({ method: 'POST', url: `/api/v1/escalations/${raised.json().id}/acknowledge`, token: tree.users.regionLeadA.token });
    expect(ack.json().state).toBe('acknowledged');
  });

  it('resolving without a lesson is a 422; with one, the lesson lands in the backlog', async () => {
    const c = await create();
    const e = (await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/escalations`, token: tree.users.agentA.token, payload: { reason: 'outside_process', note: 'No process for this' } })).json();
    const without = await t.request({ method: 'POST', url: `/api/v1/escalations/${e.id}/resolve`, token: tree.users.leadA.token, payload: { resolution: 'Sorted' } });
    expect(without.statusCode).toBe(422);
    expect(without.json().error.details[0].path).toBe('lesson');
    expect((await t.request({ method: 'GET', url: `/api/v1/escalations/${e.id}`, token: tree.users.leadA.token })).json().state).toBe('open');
    const resolved = await t.request({
      method: 'POST', url: `/api/v1/escalations/${e.id}/resolve`, token: tree.users.leadA.token,
      payload: { resolution: 'Refunded by exception', lesson: { rootCause: 'Terms and disputed sums/charges', failureType: 'policy', processChange: 'Let agents waive this fee up to 50' } },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const backlog = (await t.request({ method: 'GET', url: '/api/v1/lessons', token: tree.users.compliance.token })).json().items;
    expect(backlog.find((l: { escalationId: string }) => l.escalationId === e.id)).toMatchObject({ rootCause: 'Terms and disputed sums/charges', status: 'proposed' });
  });
});

describe('discretion decisions', () => {
  it('apply within the limit and go for approval beyond it', async () => {
    await t.request({ method: 'PATCH', url: `/api/v1/users/${tree.users.agentA.id}`, token: tree.org.adminToken, payload: { discretionLimit: 250 } });
    await t.request({ method: 'PATCH', url: `/api/v1/users/${tree.users.leadA.id}`, token: tree.org.adminToken, payload: { discretionLimit: 500 } });
    await t.request({ method: 'PATCH', url: `/api/v1/users/${tree.users.regionLeadA.id}`, token: tree.org.adminToken, payload: { discretionLimit: 5000 } });
    const c = await create();
    const small = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/decisions`, token: tree.users.agentA.token, payload: { kind: 'refund', amount: 80, rationale: 'Fee charged in error' } });
    expect(small.statusCode, small.body).toBe(201);
    expect(small.json().decision.state).toBe('applied');
    const big = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/decisions`, token: tree.users.agentA.token, payload: { kind: 'goodwill', amount: 1200, rationale: 'Long distress' } });
    expect(big.statusCode, big.body).toBe(202);
    const escalation = (await t.request({ method: 'GET', url: `/api/v1/escalations/${big.json().escalationId}`, token: tree.org.adminToken })).json();
    expect(escalation).toMatchObject({ reason: 'discretion', toUserId: tree.users.regionLeadA.id }); // the lead's 500 does not cover 1,200
    const approved = await t.request({
      method: 'POST', url: `/api/v1/escalations/${escalation.id}/resolve`, token: tree.users.regionLeadA.token,
      payload: { resolution: 'Approved', decision: 'approve', lesson: { rootCause: 'Delays/timescales', processChange: 'Flag long-running cases at 4 weeks' } },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const report = (await t.request({ method: 'GET', url: `/api/v1/decisions?caseId=${c.id}`, token: tree.users.leadA.token })).json().items;
    expect(report.map((d: { state: string }) => d.state).sort()).toEqual(['applied', 'approved']);
  });
});
