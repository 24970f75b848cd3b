import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../src/jobs/maintenance.js';
import { deliverOutbox } from '../src/notify/outbox.service.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { startSmtpServer } from './helpers/smtp.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  tree = await buildOrgTree(t);
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

async function newCase() {
  const res = await t.request({
    method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
    payload: { subject: 'Mortgage payment missing', description: 'My payment did not arrive.', customer: { name: 'Ann Lee', email: 'ann@customer.example' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id },
  });
  return res.json();
}

const outboxStatus = async (subjectLike: string) =>
  (await t.database.query<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox WHERE subject LIKE $1 ORDER BY created_at DESC LIMIT 1', [`%${subjectLike}%`]))[0];

describe('e-mail through a real SMTP server', () => {
  it('delivers a message to the customer', async () => {
    const c = await newCase();
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'We found your payment and applied it today.', visibleToCustomer: true } });
    await deliverOutbox(t.ctx);
    const mail = smtp.mails.find((m) => m.raw.includes(c.ref));
    expect(mail?.to).toEqual(['ann@customer.example']);
    expect(mail?.raw).toContain('We found your payment');
    expect(await outboxStatus(c.ref)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('keeps mail while SMTP is down and delivers it when it is back', async () => {
    const port = smtp.port;
    await smtp.stop();
    const c = await newCase();
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/messages`, token: tree.users.agentA.token, payload: { body: 'Written while the mail server was down.', visibleToCustomer: true } });
    await deliverOutbox(t.ctx);
    expect(await outboxStatus(c.ref)).toMatchObject({ status: 'queued', attempts: 1 });
    // The health endpoint says so, and the process keeps serving (200, not 503).
    const down = await t.request({ method: 'GET', url: '/api/v1/health' });
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({ status: 'degraded', checks: { database: { status: 'ok' }, smtp: { status: 'degraded', retrying: expect.any(Number) } } });
    expect(down.json().checks.smtp.retrying).toBeGreaterThanOrEqual(1);
    expect(down.json().problems[0]).toMatch(/^smtp: .*waiting to be retried/);
    smtp = await startSmtpServer(port);
    await deliverOutbox(t.ctx);
    expect(smtp.mails.some((m) => m.raw.includes(c.ref))).toBe(false); // not yet: it waits for its retry time
    t.clock.advance(2 * 60_000);
    await deliverOutbox(t.ctx);
    expect(smtp.mails.some((m) => m.raw.includes('Written while the mail server was down'))).toBe(true);
    expect(await outboxStatus(c.ref)).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await t.request({ method: 'GET', url: '/api/v1/health' })).json()).toMatchObject({ status: 'ok', checks: { smtp: { status: 'ok', retrying: 0 } } });
  });

  it('e-mails the person an escalation is addressed to', async () => {
    const c = await newCase();
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/escalations`, token: tree.users.agentA.token, payload: { reason: 'vulnerable_customer', note: 'Customer is recently bereaved' } });
    await tasks.frequent(t.ctx);
    const mail = smtp.mails.find((m) => m.raw.includes(`Escalated to you: ${c.ref}`));
    expect(mail?.to).toEqual([tree.users.leadA.email]);
  });

  it('sends a daily digest instead, for those who asked for one', async () => {
    await t.request({ method: 'PUT', url: '/api/v1/notifications/preferences', token: tree.users.leadB.token, payload: { email: 'daily_digest' } });
    const res = await t.request({
      method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
      payload: { subject: 'Digest case', description: 'x', customer: { name: 'Bo' }, unitId: tree.units.teamB, ownerId: tree.users.agentB.id },
    });
    await t.request({ method: 'POST', url: `/api/v1/cases/${res.json().id}/escalations`, token: tree.users.agentB.token, payload: { reason: 'manual', note: 'Please look' } });
    await tasks.frequent(t.ctx);
    expect(smtp.mails.some((m) => m.to.includes(tree.users.leadB.email))).toBe(false);
    await tasks.slow(t.ctx);
    await deliverOutbox(t.ctx);
    const digest = smtp.mails.find((m) => m.to.includes(tree.users.leadB.email));
    expect(digest?.raw).toContain('daily digest');
    expect(digest?.raw).toContain(res.json().ref);
  });
});
