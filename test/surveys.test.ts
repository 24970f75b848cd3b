import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../src/notify/outbox.service.js';
import { tasks } from '../src/jobs/maintenance.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { startSmtpServer } from './helpers/smtp.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let surveyId: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  tree = await buildOrgTree(t);
  const created = await t.request({ method: 'POST', url: '/api/v1/surveys', token: tree.users.compliance.token, payload: { name: 'After your complaint', audience: 'customers', touchpoint: 'case_resolution', template: 'customer_care', settings: { throttleDays: 30 } } });
  expect(created.statusCode, created.body).toBe(201);
  surveyId = created.json().id;
  await t.request({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, token: tree.users.compliance.token, payload: { status: 'live' } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

/** Invites someone and returns the token from the e-mail that reached the SMTP server. */
async function invite(email: string, extra: Record<string, unknown> = {}) {
  const res = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, token: tree.users.compliance.token, payload: { recipients: [{ email, unitId: tree.units.teamA, ...extra }] } });
  expect(res.statusCode, res.body).toBe(201);
  await deliverOutbox(t.ctx);
  const mail = smtp.mails.find((m) => m.to.includes(email));
  const token = mail?.raw.match(/\/s\/(tdv_[A-Za-z0-9_-]+)/)?.[1];
  expect(token, 'invitation e-mail with a link').toBeDefined();
  return token!;
}

const answer = (token: string, answers: Record<string, unknown>) => t.request({ method: 'POST', url: `/s/api/${token}`, payload: { answers } });

describe('surveys', () => {
  it('invite by e-mail, answer once through the link', async () => {
    const token = await invite('happy@customer.example');
    const page = await t.request({ method: 'GET', url: `/s/api/${token}` });
    expect(page.json().questions[0].text).toContain('cares about you');
    const first = await answer(token, { care: 9, propensity: 9, nps: 10 });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().followUp).toBe(false);
    expect((await answer(token, { care: 1, propensity: 1, nps: 1 })).statusCode).toBe(409);
  });

  it('a malformed answer is a clear 422 and saves nothing', async () => {
    const token = await invite('careful@customer.example');
    const res = await answer(token, { care: 11, nps: 5 });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual(expect.arrayContaining([
      { path: 'answers.care', message: 'a whole number from 0 to 10' },
      { path: 'answers.propensity', message: 'an answer is required' },
    ]));
    expect((await answer(token, { care: 7, propensity: 7, nps: 8 })).statusCode).toBe(201);
  });

  it('does not survey the same person twice within the throttle period', async () => {
    await invite('once@customer.example');
    const again = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, token: tree.users.compliance.token, payload: { recipients: [{ email: 'ONCE@customer.example' }] } });
    expect(again.json()).toMatchObject({ invited: 0, skipped: [{ email: 'ONCE@customer.example' }] });
  });

  it('a detractor opens a follow-up case with an owner and a contact-within-2-business-days clock', async () => {
    const c = (await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: { subject: 'Card blocked', description: 'Blocked abroad', customer: { name: 'Sad Customer', email: 'sad@customer.example' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id } })).json();
    const token = await invite('sad@customer.example', { caseId: c.id });
    const res = await answer(token, { care: 2, propensity: 3, nps: 2, why: 'Nobody called me back' });
    expect(res.json().followUp).toBe(true);
    const followUps = (await t.request({ method: 'GET', url: '/api/v1/cases?kind=follow_up', token: tree.org.adminToken })).json().items;
    const f = followUps.find((x: { customer: { email: string } }) => x.customer.email === 'sad@customer.example');
    expect(f).toMatchObject({ ownerId: tree.users.agentA.id, channel: 'survey' });
    const detail = (await t.request({ method: 'GET', url: `/api/v1/cases/${f.id}`, token: tree.org.adminToken })).json();
    expect(detail.policy).toBe('follow-up');
    expect(detail.clocks.find((k: { name: string }) => k.name === 'contact')).toMatchObject({ state: 'running' });
  });

  it('a detractor with no unit still gets a follow-up, owned by compliance', async () => {
    const res = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, token: tree.users.compliance.token, payload: { recipients: [{ email: 'nounit@customer.example' }] } });
    expect(res.json().invited).toBe(1);
    await deliverOutbox(t.ctx);
    const token = smtp.mails.find((m) => m.to.includes('nounit@customer.example'))!.raw.match(/\/s\/(tdv_[A-Za-z0-9_-]+)/)![1];
    const answered = await answer(token, { care: 1, propensity: 1, nps: 0 });
    expect(answered.statusCode, answered.body).toBe(201);
    const f = (await t.request({ method: 'GET', url: '/api/v1/cases?kind=follow_up&limit=500', token: tree.org.adminToken })).json().items
      .find((x: { customer: { email: string } }) => x.customer.email === 'nounit@customer.example');
    expect(f.ownerId).toBe(tree.users.compliance.id);
  });

  it('resolving a case invites its customer after the delay', async () => {
    await t.request({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, token: tree.users.compliance.token, payload: { settings: { triggerOnResolution: true, triggerDelayHours: 24 } } });
    const c = (await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: { subject: 'Fee', description: 'A fee', customer: { name: 'Later', email: 'later@customer.example' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id } })).json();
    await t.request({ method: 'POST', url: `/api/v1/cases/${c.id}/resolve`, token: tree.users.agentA.token, payload: { outcome: 'resolved', summary: 'Refunded' } });
    await tasks.frequent(t.ctx);
    expect(smtp.mails.some((m) => m.to.includes('later@customer.example') && m.raw.includes('/s/'))).toBe(false);
    t.clock.advance(25 * 3_600_000);
    await tasks.frequent(t.ctx);
    expect(smtp.mails.some((m) => m.to.includes('later@customer.example') && m.raw.includes('/s/'))).toBe(true);
  });

  it('analytics: NPS with its margin and the care → propensity correlation', async () => {
    const res = await t.request({ method: 'GET', url: `/api/v1/surveys/${surveyId}/analytics?minN=1`, token: tree.users.executive.token });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a.n).toBe(4);
    // Recommend scores 10, 8, 2, 0: one promoter, one passive, two detractors.
    expect(a.nps).toMatchObject({ n: 4, promoters: 1, passives: 1, detractors: 2, nps: -25 });
    expect(a.careToPropensity.spearman.r).toBeCloseTo(1, 5); // care 9, 7, 2, 1 against propensity 9, 7, 3, 1
    expect(a.careBenchmark).toBe(6);
    expect(a.guard).toBe('warn');
  });

  it('agents cannot manage surveys', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/surveys', token: tree.users.agentA.token, payload: { name: 'x', audience: 'customers', touchpoint: 'x', template: 'adviser' } })).statusCode).toBe(403);
  });
});

describe('more ways to reach people', () => {
  it('one reminder to those who have not answered; both links work', async () => {
    const email = 'slow@customer.example';
    const first = await invite(email);
    t.clock.advance(6 * 86_400_000);
    await tasks.frequent(t.ctx);
    await deliverOutbox(t.ctx);
    const reminders = smtp.mails.filter((m) => m.to.includes(email) && m.raw.includes('Reminder:'));
    expect(reminders).toHaveLength(1);
    const second = reminders[0].raw.match(/\/s\/(tdv_[A-Za-z0-9_-]+)/)![1];
    expect(second).not.toBe(first);
    expect((await t.request({ method: 'GET', url: `/s/api/${first}` })).statusCode).toBe(200);
    expect((await answer(second, { care: 8, propensity: 8, nps: 9 })).statusCode).toBe(201);
    expect((await answer(first, { care: 8, propensity: 8, nps: 9 })).statusCode).toBe(409); // one person, one answer
    await tasks.frequent(t.ctx);
    expect(smtp.mails.filter((m) => m.to.includes(email) && m.raw.includes('Reminder:'))).toHaveLength(1);
  });

  it('invites the recipients of a CSV file, refusing a file with a bad row', async () => {
    const bad = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations.csv`, token: tree.users.compliance.token, headers: { 'content-type': 'text/csv' }, payload: 'email,name\nok@customer.example,Ok\nnot-an-email,Bad\n' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details).toEqual([{ path: 'line 3', message: 'not an e-mail address' }]);
    const good = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations.csv`, token: tree.users.compliance.token, headers: { 'content-type': 'text/csv' }, payload: 'email,name,unit\ncsv1@customer.example,One,North Complaints\ncsv2@customer.example,Two,\n' });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json().invited).toBe(2);
  });

  it('an anonymous public link takes many answers, and stops when removed', async () => {
    const link = await t.request({ method: 'POST', url: `/api/v1/surveys/${surveyId}/public-link`, token: tree.users.compliance.token });
    expect(link.statusCode).toBe(201);
    const token = link.json().url.split('/s/')[1];
    for (const care of [3, 9]) {
      const res = await t.request({ method: 'POST', url: `/s/api/${token}`, payload: { answers: { care, propensity: care, nps: care } }, remoteAddress: '10.7.7.7' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().followUp).toBe(false); // nobody to call back
    }
    await t.request({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/public-link`, token: tree.users.compliance.token });
    expect((await t.request({ method: 'GET', url: `/s/api/${token}` })).statusCode).toBe(404);
  });
});
