import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokePortalLinks } from '../src/portal/portal.service.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp({ env: { TRUSTDESK_PUBLIC_URL: 'https://complaints.bank.example' } });
  tree = await buildOrgTree(t, 'Portal Bank');
  const res = await t.request({ method: 'PUT', url: '/api/v1/settings/portal', token: tree.org.adminToken, payload: { unitId: tree.units.teamA } });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(() => t?.close());

const complaint = (overrides: Record<string, unknown> = {}) => ({
  name: 'Grace Adeyemi', email: `grace.${Math.random().toString(36).slice(2, 8)}@customer.example`, whatHappened: 'My standing order was paid twice this month. I want the second payment back.',
  desiredOutcome: 'Refund the duplicate', preferredContact: 'email', needsSupport: false, website: '', ...overrides,
});

async function file(overrides: Record<string, unknown> = {}, ip = '10.0.0.1') {
  const res = await t.request({ method: 'POST', url: `/portal/api/complaints?org=${tree.org.slug}`, payload: complaint(overrides), remoteAddress: ip });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { ref: string; statusUrl: string; token: string };
}

const status = (token: string) => t.request({ method: 'GET', url: `/portal/api/status/${token}` });

describe('the public complaint form', () => {
  it('creates a routed case with clocks and e-mails the status link', async () => {
    const filed = await file();
    expect(filed.ref).toMatch(/^C-2026-/);
    expect(filed.statusUrl).toBe(`/portal/status/${filed.token}`);
    expect(filed.token.length).toBeGreaterThanOrEqual(43); // 256 random bits
    const [c] = (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent('standing order')}`, token: tree.org.adminToken })).json().items;
    expect(c).toMatchObject({ ref: filed.ref, channel: 'web', kind: 'complaint' });
    expect(c.nextDueAt).not.toBeNull();
    const [mail] = await t.database.query<{ body: string }>('SELECT body FROM outbox WHERE case_id = $1', [c.id]);
    expect(mail.body).toContain(`https://complaints.bank.example${filed.statusUrl}`);
  });

  it('explains bad input field by field and creates nothing', async () => {
    const res = await t.request({ method: 'POST', url: '/portal/api/complaints', payload: { name: '', email: 'not-an-email', whatHappened: '' }, remoteAddress: '10.0.0.2' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'name', 'whatHappened']);
  });

  it('turns away a bot that fills the hidden field', async () => {
    const res = await t.request({ method: 'POST', url: '/portal/api/complaints', payload: complaint({ website: 'http://spam.example' }), remoteAddress: '10.0.0.3' });
    expect(res.statusCode).toBe(400);
  });

  it('limits 100 rapid submissions from one address with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      statuses.push((await t.request({ method: 'POST', url: '/portal/api/complaints', payload: { name: '' }, remoteAddress: '10.9.9.9' })).statusCode);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

describe('documents from the customer', () => {
  it('are checked, land on the case and show on the status page', async () => {
    const filed = await file({}, '10.0.2.1');
    const boundary = 'portal-boundary';
    const upload = (name: string, type: string, content: string) => t.request({
      method: 'POST', url: `/portal/api/status/${filed.token}/documents`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--${boundary}--\r\n`,
    });
    const ok = await upload('statement.txt', 'text/plain', 'Payments on 3 and 4 March, both 250.00');
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await upload('virus.pdf', 'application/pdf', 'not really a pdf')).statusCode).toBe(415);
    expect((await status(filed.token)).json().documents).toEqual([expect.objectContaining({ filename: 'statement.txt', from: 'you' })]);
    const [c] = (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(filed.ref)}`, token: tree.org.adminToken })).json().items;
    const staff = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/attachments`, token: tree.users.agentA.token })).json().items;
    expect(staff).toEqual([expect.objectContaining({ filename: 'statement.txt', uploadedBy: null })]);
  });
});

describe('the status page', () => {
  it('names the owner and the next step with its date, and shows nothing internal', async () => {
    const filed = await file({}, '10.0.1.1');
    const [c] = (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(filed.ref)}`, token: tree.org.adminToken })).json().items;
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'INTERNAL: customer sounds annoyed', visibleToCustomer: false } });
    const res = await status(filed.token);
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ ref: filed.ref, stage: 'received', owner: { displayName: 'agentA', role: 'Complaints Specialist' } });
    expect(view.nextStep).toBe('We will acknowledge your complaint');
    expect(view.nextStepBy).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(view.commitments.map((k: { state: string }) => k.state)).toEqual(['open', 'open']);
    expect(res.body).not.toContain('INTERNAL');
    expect(res.body).not.toContain('@example.test'); // no staff e-mail addresses
    expect(res.body).not.toContain(c.ownerId);
  });

  it('a link stops working the configured time after the case closes', async () => {
    const filed = await file({}, '10.0.1.9');
    const [c] = (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(filed.ref)}`, token: tree.org.adminToken })).json().items;
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/resolve`, token: tree.users.agentA.token, payload: { outcome: 'resolved', summary: 'Sorted' } });
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/close`, token: tree.users.agentA.token });
    t.clock.advance(89 * 86_400_000);
    expect((await status(filed.token)).json().stage).toBe('closed');
    t.clock.advance(2 * 86_400_000);
    expect((await status(filed.token)).statusCode).toBe(404);
  });

  it('a random or revoked link is a 404 with nothing in it', async () => {
    const random = await status('tdp_' + 'A'.repeat(43));
    expect(random.statusCode).toBe(404);
    const filed = await file({}, '10.0.1.2');
    const [c] = (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(filed.ref)}`, token: tree.org.adminToken })).json().items;
    await t.ctx.db.transaction((tx) => revokePortalLinks(tx, tree.org.id, c.id, t.clock.now()));
    const revoked = await status(filed.token);
    expect(revoked.statusCode).toBe(404);
    expect(revoked.json()).toEqual(random.json());
  });

  it('a staff reply appears for the customer; the customer answers and the owner sees it', async () => {
    const filed = await file({}, '10.0.1.3');
    const [c] = (await t.request({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(filed.ref)}`, token: tree.org.adminToken })).json().items;
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'Could you send the statement page?', visibleToCustomer: true } });
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/pause`, token: tree.users.agentA.token });
    let view = (await status(filed.token)).json();
    expect(view.stage).toBe('waiting_for_you');
    expect(view.messages).toEqual([expect.objectContaining({ from: 'us', authorName: 'agentA', body: 'Could you send the statement page?' })]);
    const reply = await t.request({ method: 'POST', url: `/portal/api/status/${filed.token}/messages`, payload: { body: 'Here it is: page 2 shows both payments.' } });
    expect(reply.statusCode).toBe(201);
    view = (await status(filed.token)).json();
    expect(view.stage).toBe('being_looked_into');
    const staffView = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token })).json().items;
    expect(staffView.at(-1)).toMatchObject({ authorType: 'customer', body: 'Here it is: page 2 shows both payments.' });
    const notes = (await t.request({ method: 'GET', url: '/api/v1/notifications', token: tree.users.agentA.token })).json().items;
    expect(notes.some((n: { kind: string; caseId: string }) => n.kind === 'customer_message' && n.caseId === c.id)).toBe(true);
  });

  it('"I\'d like to speak to a manager" escalates once and says to whom', async () => {
    const filed = await file({}, '10.0.1.4');
    const first = await t.request({ method: 'POST', url: `/portal/api/status/${filed.token}/manager`, payload: { note: 'Nobody calls me back' } });
    expect(first.statusCode).toBe(201);
    expect(first.json().to).toEqual({ displayName: 'leadA', role: 'Team Leader' });
    const again = await t.request({ method: 'POST', url: `/portal/api/status/${filed.token}/manager`, payload: {} });
    expect(again.json()).toEqual(first.json());
    const view = (await status(filed.token)).json();
    expect(view.managerRequested).toEqual({ displayName: 'leadA', role: 'Team Leader' });
    expect(view.timeline.map((e: { text: string }) => e.text)).toContain('You asked to speak to a manager: leadA, Team Leader is looking at it');
  });
});
