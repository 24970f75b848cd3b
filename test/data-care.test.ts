import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedFilePath } from '../src/storage/file-store.js';
import { tasks } from '../src/jobs/maintenance.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

const PERSONAL = ['Jane Personal', 'jane.personal@example.test', '+44 7700 900123', 'CUST-777', 'overcharged on my mortgage', 'Private note about Jane'];

/** A case for Jane, with a message, an internal note and a file, resolved and closed. */
async function janesCase(opts: { kind?: string; close?: boolean; email?: string } = {}) {
  const admin = tree.org.adminToken;
  const created = await t.request({ method: 'POST', url: '/api/v1/cases', token: admin, payload: {
    kind: opts.kind ?? 'complaint', subject: 'Jane Personal was overcharged on my mortgage', description: 'I was overcharged on my mortgage, says Jane Personal',
    customer: { name: 'Jane Personal', email: opts.email ?? 'jane.personal@example.test', phone: '+44 7700 900123', ref: 'CUST-777' }, unitId: tree.units.teamA,
    ownerId: tree.users.agentA.id,
  } });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const agent = tree.users.agentA.token;
  expect((await t.request({ method: 'POST', url: `/api/v1/cases/${id}/messages`, token: agent, payload: { body: 'Private note about Jane', visibleToCustomer: false } })).statusCode).toBe(201);
  const boundary = 'dc-boundary';
  const file = await t.request({
    method: 'POST', url: `/api/v1/cases/${id}/attachments`, token: agent, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="statement.txt"\r\nContent-Type: text/plain\r\n\r\nJane Personal statement\r\n--${boundary}--\r\n`,
  });
  expect(file.statusCode, file.body).toBe(201);
  if (opts.close !== false) {
    expect((await t.request({ method: 'POST', url: `/api/v1/cases/${id}/resolve`, token: agent, payload: { outcome: 'upheld', summary: 'Refunded Jane Personal' } })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: `/api/v1/cases/${id}/close`, token: agent })).statusCode).toBe(200);
  }
  return { id, attachmentId: file.json().id as string };
}

async function verify(token = tree.users.compliance.token) {
  return (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token })).json() as { ok: boolean; problems: unknown[] };
}

describe('retention', () => {
  let expired: { id: string; attachmentId: string };
  let held: { id: string };
  let stillOpen: { id: string };

  beforeAll(async () => {
    expired = await janesCase();
    held = await janesCase();
    stillOpen = await janesCase({ close: false });
  });

  it('legal hold is for compliance and admins, and is recorded', async () => {
    for (const token of [tree.users.agentA.token, tree.users.leadA.token, tree.users.executive.token]) {
      const res = await t.request({ method: 'PUT', url: `/api/v1/cases/${held.id}/legal-hold`, token, payload: { hold: true, reason: 'Litigation' } });
      expect(res.statusCode).toBe(403);
    }
    const set = await t.request({ method: 'PUT', url: `/api/v1/cases/${held.id}/legal-hold`, token: tree.users.compliance.token, payload: { hold: true, reason: 'Litigation 2026/14' } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().legalHold).toBe(true);
    const events = await t.request({ method: 'GET', url: `/api/v1/cases/${held.id}/events`, token: tree.org.adminToken });
    expect(events.body).toContain('"type":"case.legal_hold_set"');
    expect(events.body).toContain('Litigation 2026/14');
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${held.id}`, token: tree.org.adminToken })).json().legalHold).toBe(true);
  });

  it('nothing is removed before the retention date', async () => {
    await tasks.slow(t.ctx);
    const c = (await t.request({ method: 'GET', url: `/api/v1/cases/${expired.id}`, token: tree.org.adminToken })).json();
    expect(JSON.stringify(c)).toContain('Jane Personal');
    expect(c.subject).toBe('Jane Personal was overcharged on my mortgage');
  });

  it('the job anonymises closed cases past retention, keeps held and open ones, and the chain still verifies', async () => {
    t.clock.advance(4 * 366 * 86_400_000);
    await tasks.slow(t.ctx);
    const gone = await t.request({ method: 'GET', url: `/api/v1/cases/${expired.id}`, token: tree.org.adminToken });
    const everything = [gone.body,
      (await t.request({ method: 'GET', url: `/api/v1/cases/${expired.id}/messages`, token: tree.org.adminToken })).body,
      (await t.request({ method: 'GET', url: `/api/v1/cases/${expired.id}/events`, token: tree.org.adminToken })).body,
      (await t.request({ method: 'GET', url: `/api/v1/cases/${expired.id}/attachments`, token: tree.org.adminToken })).body,
    ].join('\n');
    for (const p of PERSONAL) expect(everything).not.toContain(p);
    expect(gone.json().ref).toMatch(/^C-/);
    expect(gone.json().status).toBe('closed');
    expect((await t.request({ method: 'GET', url: `/api/v1/attachments/${expired.attachmentId}`, token: tree.org.adminToken })).statusCode).toBe(404);
    expect(fs.existsSync(storedFilePath(t.ctx.config, 'attachments', tree.org.id, expired.attachmentId))).toBe(false);
    for (const kept of [held.id, stillOpen.id]) {
      expect((await t.request({ method: 'GET', url: `/api/v1/cases/${kept}`, token: tree.org.adminToken })).body).toContain('Jane Personal');
    }
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('reports what was removed and what is kept past its date, to compliance only', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/retention/report', token: tree.users.leadA.token })).statusCode).toBe(403);
    const report = await t.request({ method: 'GET', url: '/api/v1/retention/report', token: tree.users.compliance.token });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json();
    const entry = body.anonymised.find((a: { caseId: string }) => a.caseId === expired.id);
    expect(entry).toMatchObject({ reason: 'retention', removed: { customerFields: 4, messages: 1, attachments: 1 } });
    expect(entry.removed.historyEvents).toBeGreaterThan(0);
    expect(body.totals.cases).toBeGreaterThanOrEqual(1);
    const pending = Object.fromEntries(body.pending.map((p: { caseId: string; legalHold: boolean; status: string }) => [p.caseId, p]));
    expect(pending[held.id]).toMatchObject({ legalHold: true });
    expect(pending[stillOpen.id]).toMatchObject({ status: 'open' });
    expect(report.body).not.toContain('Jane');
  });

  it('a redacted event that is changed afterwards is detected', async () => {
    const [row] = await t.database.query<{ id: number }>("SELECT id FROM history_events WHERE stream = $1 AND type = 'case.created'", [`case:${expired.id}`]);
    await t.database.query("UPDATE history_events SET data = jsonb_set(data, '{subject}', '\"forged\"') WHERE id = $1", [row.id]);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result.problems)).toContain('redaction record');
    await t.database.query("UPDATE history_events SET data = jsonb_set(data, '{subject}', '\"[redacted]\"') WHERE id = $1", [row.id]);
    expect((await verify()).ok).toBe(true);
  });

  it('clearing the hold lets the next run anonymise the case', async () => {
    const cleared = await t.request({ method: 'PUT', url: `/api/v1/cases/${held.id}/legal-hold`, token: tree.org.adminToken, payload: { hold: false, reason: 'Litigation ended' } });
    expect(cleared.statusCode).toBe(200);
    await tasks.slow(t.ctx);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${held.id}`, token: tree.org.adminToken })).body).not.toContain('Jane Personal');
    expect((await verify()).ok).toBe(true);
  });
});

describe('customer data requests', () => {
  it('exports everything held about a customer, for compliance and admins only, and records the request', async () => {
    const email = 'sam.export@example.test';
    const { id } = await janesCase({ email, close: false });
    for (const token of [tree.users.agentA.token, tree.users.leadA.token, tree.users.executive.token]) {
      expect((await t.request({ method: 'POST', url: '/api/v1/customer-data/export', token, payload: { email } })).statusCode).toBe(403);
    }
    const res = await t.request({ method: 'POST', url: '/api/v1/customer-data/export', token: tree.users.compliance.token, payload: { email: 'SAM.EXPORT@example.test' } });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.cases).toHaveLength(1);
    expect(doc.cases[0]).toMatchObject({ id, customer: { email, phone: '+44 7700 900123', ref: 'CUST-777' } });
    expect(doc.cases[0].messages[0].body).toBe('Private note about Jane');
    expect(doc.cases[0].attachments[0].filename).toBe('statement.txt');
    expect(doc.cases[0].history.map((e: { type: string }) => e.type)).toContain('case.created');
    const [logged] = await t.database.query<{ data: { caseIds: string[] }; stream: string }>("SELECT data, stream FROM history_events WHERE type = 'customer.data_exported' ORDER BY id DESC LIMIT 1");
    expect(logged.data.caseIds).toEqual([id]);
    expect(logged.stream).not.toContain('sam');
    expect((await t.request({ method: 'POST', url: '/api/v1/customer-data/export', token: tree.org.adminToken, payload: { email: 'nobody@example.test' } })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/api/v1/customer-data/export', token: tree.org.adminToken, payload: {} })).statusCode).toBe(400);
  });

  it('refuses erasure with a reason while a case is open, held or a complaint inside retention; erases otherwise', async () => {
    const email = 'erin.erase@example.test';
    const open = await janesCase({ email, close: false });
    const refused = await t.request({ method: 'POST', url: '/api/v1/customer-data/erase', token: tree.users.compliance.token, payload: { email, reason: 'Customer asked' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.refusals).toEqual([{ caseId: open.id, ref: expect.any(String), reason: 'the case is still open' }]);
    await t.request({ method: 'POST', url: `/api/v1/cases/${open.id}/resolve`, token: tree.users.agentA.token, payload: { outcome: 'upheld', summary: 'Done' } });
    await t.request({ method: 'POST', url: `/api/v1/cases/${open.id}/close`, token: tree.users.agentA.token });
    const inRetention = await t.request({ method: 'POST', url: '/api/v1/customer-data/erase', token: tree.users.compliance.token, payload: { email, reason: 'Customer asked' } });
    expect(inRetention.statusCode).toBe(409);
    expect(inRetention.json().error.details.refusals[0].reason).toMatch(/kept until \d{4}-\d{2}-\d{2}/);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${open.id}`, token: tree.org.adminToken })).body).toContain('Jane Personal');

    const requestEmail = 'rob.request@example.test';
    const request = await janesCase({ email: requestEmail, kind: 'request' });
    expect((await t.request({ method: 'POST', url: '/api/v1/customer-data/erase', token: tree.users.agentA.token, payload: { email: requestEmail, reason: 'x' } })).statusCode).toBe(403);
    const erased = await t.request({ method: 'POST', url: '/api/v1/customer-data/erase', token: tree.users.compliance.token, payload: { email: requestEmail, reason: 'Customer asked' } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().erasedCases).toEqual([{ caseId: request.id, ref: expect.any(String) }]);
    const after = (await t.request({ method: 'GET', url: `/api/v1/cases/${request.id}`, token: tree.org.adminToken })).body;
    for (const p of PERSONAL) expect(after).not.toContain(p);
    expect((await t.request({ method: 'POST', url: '/api/v1/customer-data/export', token: tree.users.compliance.token, payload: { email: requestEmail } })).statusCode).toBe(404);
    expect((await verify()).ok).toBe(true);
  });
});
