import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../src/jobs/maintenance.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { multipart } from './helpers/multipart.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp({ env: { TRUSTDESK_DATA_DIR: `/tmp/trustdesk-test-attachments-${process.pid}` } });
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

async function create(overrides: Record<string, unknown> = {}) {
  const res = await t.request({
    method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
    payload: { subject: 'Statement request', description: 'Please send my statements', customer: { name: 'Ann' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id, ...overrides },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('attachments', () => {
  it('stores a file with its SHA-256 and serves it to those who may read the case', async () => {
    const c = await create();
    const up = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/attachments`, token: tree.users.agentA.token, ...multipart('statement.pdf', 'application/pdf', PDF) });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ filename: 'statement.pdf', contentType: 'application/pdf', size: PDF.length });
    expect(up.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    const down = await t.request({ method: 'GET', url: `/api/v1/attachments/${up.json().id}`, token: tree.users.leadA.token });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(PDF)).toBe(true);
    expect((await t.request({ method: 'GET', url: `/api/v1/attachments/${up.json().id}`, token: tree.users.agentB.token })).statusCode).toBe(404);
  });

  it('refuses a file whose bytes are not what it claims, and unknown kinds', async () => {
    const c = await create();
    const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
    expect((await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/attachments`, token: tree.users.agentA.token, ...multipart('invoice.pdf', 'application/pdf', exe) })).statusCode).toBe(415);
    const fakePdf = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/attachments`, token: tree.users.agentA.token, ...multipart('photo.pdf', 'application/pdf', Buffer.from('just text')) });
    expect(fakePdf.statusCode).toBe(415);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/attachments`, token: tree.users.agentA.token })).json().items).toEqual([]);
  });

  it('refuses a file over the size limit', async () => {
    const c = await create();
    const big = Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    const res = await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/attachments`, token: tree.users.agentA.token, ...multipart('big.pdf', 'application/pdf', big) });
    expect(res.statusCode).toBe(413);
  });
});

describe('a request recognised as a complaint', () => {
  it('runs the complaint clocks from the day it was received', async () => {
    const c = await create({ kind: 'request' });
    expect(c.policy).toBe('standard');
    const res = await t.request({ method: 'PATCH', url: `/api/v1/cases/${c.id}`, token: tree.users.agentA.token, payload: { kind: 'complaint' } });
    expect(res.json().policy).toBe('fca-disp');
    expect(res.json().clocks.map((k: { name: string }) => k.name).sort()).toEqual(['acknowledge', 'final_response', 'summary_resolution']);
    const events = (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/events`, token: tree.org.adminToken })).json().items;
    expect(events.at(-1)).toMatchObject({ type: 'clocks.restarted', data: { policy: 'fca-disp' } });
  });
});

describe('people to hand cases to', () => {
  it('an agent can find colleagues and units in the directory, without their e-mail', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/directory?q=leadB', token: tree.users.agentA.token });
    expect(res.statusCode).toBe(200);
    expect(res.json().people.map((p: { id: string }) => p.id)).toContain(tree.users.leadB.id);
    expect(res.body).not.toContain('@example.test');
  });

  it('the receiver is notified of a transfer, and an owner cannot accept their own', async () => {
    const c = await create();
    const transfer = (await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/transfers`, token: tree.users.agentA.token, payload: { toUnitId: tree.units.teamA, reason: 'Anyone free?' } })).json();
    const notes = (await t.request({ method: 'GET', url: '/api/v1/notifications', token: tree.users.leadA.token })).json().items;
    expect(notes.some((n: { kind: string; caseId: string }) => n.kind === 'transfer' && n.caseId === c.id)).toBe(true);
    expect((await t.request({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/accept`, token: tree.users.agentA.token })).statusCode).toBe(422);
  });
});

describe('acknowledgement reminders', () => {
  it('remind the addressee once, an hour before the acknowledgement deadline', async () => {
    t.clock.set('2026-03-03T09:00:00Z');
    const c = await create({ kind: 'complaint' });
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/escalations`, token: tree.users.agentA.token, payload: { reason: 'manual', note: 'Help' } });
    t.clock.set('2026-03-03T12:10:00Z'); // deadline 13:00 (4 working hours)
    await tasks.frequent(t.ctx);
    await tasks.frequent(t.ctx);
    const notes = (await t.request({ method: 'GET', url: '/api/v1/notifications', token: tree.users.leadA.token })).json().items;
    expect(notes.filter((n: { kind: string; caseId: string }) => n.kind === 'escalation_reminder' && n.caseId === c.id)).toHaveLength(1);
  });
});
