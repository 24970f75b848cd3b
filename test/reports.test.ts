import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../src/jobs/maintenance.js';
import { deliverOutbox } from '../src/notify/outbox.service.js';
import { casePhrases, refreshReportRollups, ROLLUP_VERSION, rowsOf } from '../src/reports/rollup.service.js';
import { sendScheduledReports } from '../src/reports/subscription.service.js';
import { meanWithConfidence, netPromoterScore, pearson } from '../src/surveys/statistics.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { startSmtpServer } from './helpers/smtp.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/*
 * A hand-checked dataset. Units follow the company's calendar (England: Monday to Friday, bank
 * holidays Good Friday 3 April, Easter Monday 6 April and 4 May 2026); March is GMT, May is BST. Complaints, cfpb policy (15-day response, 60-day final response):
 *   A teamA  Current account/Fees    received Mon 02 Mar 10:00, resolved Wed 04 Mar 12:00  upheld, £50 compensation  → 2 bd, 2 cd
 *   B teamB  Mortgage/Arrears        received Mon 02 Mar 18:00 (after close → Tue), resolved Fri 06 Mar 16:00  partly upheld, £20 refund → 3 bd, 3 cd
 *   C teamA  Current account/Fees    received Tue 03 Mar 09:30, resolved Mon 09 Mar, reopened Tue 10 Mar, resolved Wed 11 Mar 15:00  not upheld → 6 bd, 8 cd
 *   D teamA  Credit card/Fraud       received Wed 04 Mar 11:00, resolved Fri 08 May 10:00Z  upheld → 44 bd (47 weekdays − 3 bank holidays), 64 cd, after 8 weeks, both clocks breached
 *   E teamB  Mortgage/Arrears        received Thu 05 Mar 14:00, still open (both clocks breached by 1 June)
 *   F teamA  a request, not a complaint: never counted
 * Company, 1 March to 31 May: received 5, resolved 4; business days 2,3,6,47 → median (nearest rank 2 of 4) 3, p90 (rank 4) 44;
 * calendar days 2,3,8,64 → median 3, p90 64; within 3 bd 2/4; within 8 weeks 3/4; upheld 3/4; reopened 1/4; redress £70;
 * clocks 10 started, 4 breached → compliance 60 %.
 */

const FEES = 'Terms and disputed sums/charges';
const ARREARS = 'Arrears related';
const FRAUD = 'Fraud and scams';

let t: TestApp;
let tree: OrgTree;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const ids: Record<string, string> = {};

const at = (iso: string) => t.clock.set(iso);
async function open(key: string, receivedAt: string, unit: 'teamA' | 'teamB', product: string, category: string, extra: object = {}) {
  at(receivedAt);
  const res = await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: {
    subject: `Complaint ${key} about ${category.toLowerCase()}`, description: `The customer complains about ${category.toLowerCase()} on their ${product.toLowerCase()}.`,
    customer: { name: `Customer ${key}` }, unitId: tree.units[unit], kind: 'complaint', policy: 'cfpb', product, category, receivedAt, ...extra,
  } });
  expect(res.statusCode, res.body).toBe(201);
  ids[key] = res.json().id;
}
async function resolve(key: string, when: string, outcome: string, redress?: { amount: number; kind: string }) {
  at(when);
  const res = await t.request({ method: 'POST', url: `/api/v1/cases/${ids[key]}/resolve`, token: tree.org.adminToken, payload: { outcome, summary: 'Done', redress } });
  expect(res.statusCode, res.body).toBe(200);
}
const get = (url: string, token = tree.users.executive.token) => t.request({ method: 'GET', url, token });

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  tree = await buildOrgTree(t);
  await open('A', '2026-03-02T10:00:00Z', 'teamA', 'Current account', FEES, { channel: 'web' });
  await open('B', '2026-03-02T18:00:00Z', 'teamB', 'Mortgage', ARREARS, { channel: 'phone' });
  await open('C', '2026-03-03T09:30:00Z', 'teamA', 'Current account', FEES, { channel: 'email', vulnerable: true });
  await open('D', '2026-03-04T11:00:00Z', 'teamA', 'Credit card', FRAUD, { channel: 'web' });
  await resolve('A', '2026-03-04T12:00:00Z', 'upheld', { amount: 50, kind: 'compensation' });
  await open('E', '2026-03-05T14:00:00Z', 'teamB', 'Mortgage', ARREARS, { channel: 'letter' });
  at('2026-03-05T15:00:00Z');
  const request = await t.request({ method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken, payload: { subject: 'Address change', description: 'Please update my address', customer: { name: 'F' }, unitId: tree.units.teamA, kind: 'request' } });
  expect(request.statusCode).toBe(201);
  await resolve('B', '2026-03-06T16:00:00Z', 'partially_upheld', { amount: 20, kind: 'refund' });
  await resolve('C', '2026-03-09T10:00:00Z', 'not_upheld');
  at('2026-03-10T09:00:00Z');
  expect((await t.request({ method: 'POST', url: `/api/v1/cases/${ids.C}/reopen`, token: tree.org.adminToken, payload: { reason: 'Customer disagrees' } })).statusCode).toBe(200);
  await resolve('C', '2026-03-11T15:00:00Z', 'not_upheld');
  await resolve('D', '2026-05-08T10:00:00Z', 'upheld');
  at('2026-06-01T10:00:00Z');
  await tasks.frequent(t.ctx); // the sweep breaches E's clocks
  await refreshReportRollups(t.ctx, { settleMs: 0 });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

describe('complaint rollups and the executive report', () => {
  it('the job leaves events younger than 30 s for the next run', async () => {
    at('2026-06-01T10:00:00Z');
    await open('G', '2026-06-01T10:00:00Z', 'teamA', 'Savings', 'General admin/customer service');
    expect(await refreshReportRollups(t.ctx)).toBe(0);
    t.clock.advance(31_000);
    expect(await refreshReportRollups(t.ctx)).toBe(1);
    at('2026-06-01T10:00:00Z');
  });

  it('equals the hand computation for the company', async () => {
    const res = await get('/api/v1/reports/executive?from=2026-03-01&to=2026-05-31');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const c = r.complaints.current;
    expect(c).toMatchObject({
      received: 5, resolved: 4, resolvedWithin3BusinessDays: 2, resolvedWithin8Weeks: 3, upheld: 3, reopened: 1,
      redress: { compensation: 50, refund: 20, goodwill: 0, interest: 0, total: 70 },
      businessDays: { median: 3, p90: 44, p90AtLeast: false }, calendarDays: { median: 3, p90: 64, p90AtLeast: false },
      upheldRate: 0.75, shareWithin3BusinessDays: 0.5, shareWithin8Weeks: 0.75, reopenRate: 0.25,
    });
    expect(c.clocks).toEqual([
      { clock: 'final_response', started: 5, breached: 2, rate: 0.4 },
      { clock: 'response', started: 5, breached: 2, rate: 0.4 },
    ]);
    expect(c.clockCompliance).toBeCloseTo(0.6, 10);
    // E, and G opened by the first test today.
    expect(r.complaints.ageing.open).toBe(2);
    expect(r.complaints.ageing.buckets.find((b: { key: string }) => b.key === '57+').count).toBe(1);
    const byUnit = Object.fromEntries(r.complaints.by.unit.map((u: { label: string; received: number }) => [u.label, u.received]));
    expect(byUnit).toEqual({ 'North Complaints': 3, 'South Complaints': 2 });
    const vulnerable = r.complaints.by.vulnerable.find((v: { value: string }) => v.value === 'yes');
    expect(vulnerable).toMatchObject({ received: 1, resolved: 1, upheld: 0 });
    const indicator = (key: string) => r.indicators.find((i: { key: string }) => i.key === key);
    expect(indicator('received')).toMatchObject({ value: 5, previous: 0 });
    expect(indicator('conduct')).toMatchObject({ value: null, note: 'no conduct cycle yet' });
    expect(r.conduct).toBeNull();
    expect(r.complaints.escalations.raised).toBe(0);
  });

  it('counts the escalations of the period and how fast they were acknowledged', async () => {
    // The sweep on 1 June escalated E's breaches (D was resolved late, which breaches without escalating).
    const escalations = (await get('/api/v1/escalations', tree.org.adminToken)).json().items;
    expect(escalations.length).toBeGreaterThan(0);
    const tokens = Object.values(tree.users);
    at('2026-06-01T13:00:00Z');
    const first = escalations[0];
    const ack = await t.request({ method: 'POST', url: `/api/v1/escalations/${first.id}/acknowledge`, token: tokens.find((u) => u.id === first.toUserId)!.token });
    expect(ack.statusCode, ack.body).toBe(200);
    const e = (await get('/api/v1/reports/executive?from=2026-06-01&to=2026-06-01')).json().complaints.escalations;
    expect(e).toMatchObject({ raised: escalations.length, acknowledged: 1, medianHoursToAcknowledge: 3 });
    at('2026-06-01T10:00:00Z');
  });

  it('a period that starts and ends mid-week reads whole weeks and edge days alike', async () => {
    const c = (await get('/api/v1/reports/executive?from=2026-03-04&to=2026-05-13')).json().complaints.current;
    // Received from 4 March: D and E (and C on the 3rd is outside); resolved: A (4th), B, C, D.
    expect(c).toMatchObject({ received: 2, resolved: 4, businessDays: { median: 3, p90: 44 }, calendarDays: { median: 3, p90: 64 } });
    const march = (await get('/api/v1/reports/executive?from=2026-03-05&to=2026-03-10')).json().complaints.current;
    expect(march).toMatchObject({ resolved: 1, businessDays: { median: 3, p90: 3 } });
  });

  it('a rollup written by an older layout is rebuilt once by the job, and the report reads the same', async () => {
    const url = '/api/v1/reports/executive?from=2026-03-01&to=2026-05-31';
    const before = (await get(url)).json().complaints;
    // The layout before weekly breakdown rows: no weekly rows at all for this organisation.
    await t.ctx.db.execute(sql`DELETE FROM report_daily WHERE organisation_id = ${tree.org.id} AND dimension LIKE 'week%'`);
    await t.ctx.db.execute(sql`UPDATE report_watermarks SET rollup_version = 0 WHERE organisation_id = ${tree.org.id}`);
    expect((await get(url)).json().complaints.current.received).toBeLessThan(before.current.received);
    await refreshReportRollups(t.ctx, { settleMs: 0 });
    const after = (await get(url)).json().complaints;
    for (const part of ['current', 'previous', 'by', 'series', 'ageing'] as const) expect(after[part]).toEqual(before[part]);
    const marks = await t.ctx.db.execute(sql`SELECT rollup_version FROM report_watermarks WHERE organisation_id = ${tree.org.id}`);
    expect(rowsOf<{ rollup_version: number }>(marks)[0].rollup_version).toBe(ROLLUP_VERSION);
  });

  it('every number opens the cases behind it', async () => {
    const r = (await get('/api/v1/reports/executive?from=2026-03-01&to=2026-05-31')).json();
    const casesFor = async (link: string) => {
      const res = await get(`/api/v1/cases?limit=500&${link.split('?')[1]}`);
      expect(res.statusCode, `${link} ${res.body}`).toBe(200);
      return res.json().items.map((i: { ref: string; customer: { name: string } }) => i.customer.name.replace('Customer ', '')).sort();
    };
    expect(await casesFor(r.complaints.links.received)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(await casesFor(r.complaints.links.resolved)).toEqual(['A', 'B', 'C', 'D']);
    expect(await casesFor(r.complaints.links.upheld)).toEqual(['A', 'B', 'D']);
    expect(await casesFor(r.complaints.links.reopened)).toEqual(['C']);
    expect(await casesFor(r.complaints.links.redress.refund)).toEqual(['B']);
    expect(await casesFor(r.complaints.links.clock.final_response)).toEqual(['D', 'E']);
    expect(await casesFor(r.complaints.ageing.buckets.find((b: { key: string }) => b.key === '57+').link)).toEqual(['E']);
    const product = r.complaints.by.product.find((p: { value: string }) => p.value === 'Current account');
    expect(await casesFor(product.link)).toEqual(['A', 'C']);
  });

  it('a lead sees only their subtree; an agent gets 403; another subtree is 404', async () => {
    const res = await get('/api/v1/reports/executive?from=2026-03-01&to=2026-05-31', tree.users.leadA.token);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json().complaints.current;
    expect(res.json().unit.id).toBe(tree.units.teamA);
    expect(c).toMatchObject({ received: 3, resolved: 3, upheld: 2, businessDays: { median: 6, p90: 44 } });
    expect((await get(`/api/v1/reports/executive?unitId=${tree.units.teamB}`, tree.users.leadA.token)).statusCode).toBe(404);
    expect((await get('/api/v1/reports/executive', tree.users.agentA.token)).statusCode).toBe(403);
    expect((await get('/api/v1/reports/complaints', tree.users.agentA.token)).statusCode).toBe(403);
    const unitFiltered = (await get(`/api/v1/reports/executive?from=2026-03-01&to=2026-05-31&unitId=${tree.units.teamB}`)).json();
    expect(unitFiltered.complaints.current).toMatchObject({ received: 2, resolved: 1, upheld: 1 });
    expect((await get('/api/v1/reports/executive?from=2026-05-01&to=2026-03-01')).statusCode).toBe(422);
  });

  it('care, NPS and the care→propensity correlation match surveys/statistics.ts', async () => {
    const survey = await t.request({ method: 'POST', url: '/api/v1/surveys', token: tree.users.compliance.token, payload: { name: 'Care', audience: 'customers', touchpoint: 'case_resolution', template: 'customer_care' } });
    expect(survey.statusCode, survey.body).toBe(201);
    const answers = [[9, 8, 10], [7, 6, 9], [3, 2, 4], [10, 9, 10], [6, 7, 6], [8, 8, 9]];
    for (const [i, [care, propensity, nps]] of answers.entries()) {
      await t.ctx.db.execute(sql`INSERT INTO survey_responses (id, organisation_id, survey_id, version, answers, care, propensity, nps, unit_id, touchpoint, created_at)
        VALUES (gen_random_uuid(), ${tree.org.id}, ${survey.json().id}, 1, '{}'::jsonb, ${care}, ${propensity}, ${nps}, ${tree.units.teamA}, 'case_resolution', ${`2026-04-0${i + 1}T12:00:00Z`}::timestamptz)`);
    }
    const s = (await get('/api/v1/reports/executive?from=2026-03-01&to=2026-05-31')).json().surveys;
    const care = meanWithConfidence(answers.map((a) => a[0]));
    const nps = netPromoterScore(answers.map((a) => a[2]));
    const r = pearson(answers.map((a) => a[0]), answers.map((a) => a[1]));
    expect(s.care.mean).toBeCloseTo(care.mean!, 10);
    expect(s.care.marginOfError95).toBeCloseTo(care.marginOfError!, 8);
    expect(s.nps.nps).toBeCloseTo(nps.nps!, 10);
    expect(s.nps.marginOfError95).toBeCloseTo(nps.marginOfError95!, 8);
    expect(s.careToPropensity.r).toBeCloseTo(r.r!, 10);
    expect(s.careToPropensity.lower).toBeCloseTo(r.lower!, 8);
  });

  it('the survey figures come from the daily rollup, kept equal to the responses through changes and deletes', async () => {
    const [survey] = rowsOf<{ id: string }>(await t.ctx.db.execute(sql`SELECT id FROM surveys WHERE organisation_id = ${tree.org.id} AND name = 'Care'`));
    // One response without a unit, one in teamB, one the same day as another (same rollup row), then a change and a delete.
    const add = (care: number | null, propensity: number | null, nps: number | null, unit: string | null, at: string) => t.ctx.db.execute(sql`
      INSERT INTO survey_responses (id, organisation_id, survey_id, version, answers, care, propensity, nps, unit_id, touchpoint, created_at)
      VALUES (gen_random_uuid(), ${tree.org.id}, ${survey.id}, 1, '{}'::jsonb, ${care}, ${propensity}, ${nps}, ${unit}, 'case_resolution', ${at}::timestamptz) RETURNING id`);
    await add(5, null, 8, null, '2026-04-10T08:00:00Z');
    const [b] = rowsOf<{ id: string }>(await add(4, 3, 2, tree.units.teamB, '2026-04-11T23:30:00Z'));
    const [c] = rowsOf<{ id: string }>(await add(10, 10, 10, tree.units.teamA, '2026-04-01T18:00:00Z'));
    await t.ctx.db.execute(sql`UPDATE survey_responses SET care = 1, propensity = 2 WHERE id = ${b.id}`);
    await t.ctx.db.execute(sql`DELETE FROM survey_responses WHERE id = ${c.id}`);
    const raw = rowsOf<{ care: number | null; propensity: number | null; nps: number | null; unit_id: string | null }>(await t.ctx.db.execute(sql`
      SELECT care, propensity, nps, unit_id FROM survey_responses WHERE organisation_id = ${tree.org.id} AND created_at >= '2026-03-01' AND created_at < '2026-06-01'`));
    const check = (s: { care: { n: number; mean: number; marginOfError95: number }; nps: { nps: number; marginOfError95: number }; careToPropensity: { n: number; r: number; upper: number } }, rows: typeof raw) => {
      const cares = rows.flatMap((x) => (x.care === null ? [] : [Number(x.care)]));
      const pairs = rows.filter((x) => x.care !== null && x.propensity !== null);
      const care = meanWithConfidence(cares);
      const nps = netPromoterScore(rows.flatMap((x) => (x.nps === null ? [] : [Number(x.nps)])));
      const r = pearson(pairs.map((x) => Number(x.care)), pairs.map((x) => Number(x.propensity)));
      expect(s.care.n).toBe(cares.length);
      expect(s.care.mean).toBeCloseTo(care.mean!, 10);
      expect(s.care.marginOfError95).toBeCloseTo(care.marginOfError!, 8);
      expect(s.nps.nps).toBeCloseTo(nps.nps!, 10);
      expect(s.nps.marginOfError95).toBeCloseTo(nps.marginOfError95!, 8);
      expect(s.careToPropensity.n).toBe(pairs.length);
      expect(s.careToPropensity.r).toBeCloseTo(r.r!, 10);
      expect(s.careToPropensity.upper).toBeCloseTo(r.upper!, 8);
    };
    expect(raw).toHaveLength(8);
    check((await get('/api/v1/reports/executive?from=2026-03-01&to=2026-05-31')).json().surveys, raw);
    check((await get(`/api/v1/reports/executive?from=2026-03-01&to=2026-05-31&unitId=${tree.units.teamA}`)).json().surveys, raw.filter((x) => x.unit_id === tree.units.teamA));
  });

  it('commentary is saved per period and unit with a history event, and the PDF shows it with the figures', async () => {
    const q = 'from=2026-03-01&to=2026-05-31';
    const saved = await t.request({ method: 'PUT', url: `/api/v1/reports/executive/commentary?${q}`, token: tree.users.compliance.token, payload: { headline: 'Fraud complaints took too long', risks: 'Credit card fraud backlog', actions: 'Second fraud team from June' } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await t.request({ method: 'PUT', url: `/api/v1/reports/executive/commentary?${q}`, token: tree.users.leadA.token, payload: { headline: 'x', risks: '', actions: '' } })).statusCode).toBe(403);
    const json = (await get(`/api/v1/reports/executive?${q}`)).json();
    expect(json.commentary).toMatchObject({ headline: 'Fraud complaints took too long' });
    const events = await t.ctx.db.execute(sql`SELECT type FROM history_events WHERE organisation_id = ${tree.org.id} AND type = 'report.commentary_saved'`);
    expect((events as unknown as { rows: unknown[] }).rows.length).toBe(1);

    const pdf = await get(`/api/v1/reports/executive.pdf?${q}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const file = path.join(os.tmpdir(), `exec-${process.pid}.pdf`);
    fs.writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    fs.unlinkSync(file);
    for (const heading of ['Executive trust report', 'Headline indicators', 'Complaints week by week', 'Conduct status', 'Commentary']) expect(text).toContain(heading);
    expect(text).toMatch(/Complaints received\s+5/);
    expect(text).toMatch(/Upheld rate\s+75\.0%/);
    expect(text).toMatch(/Clock compliance\s+60\.0%/);
    expect(text).toContain('Median 3 d calendar, 3 d business');
    expect(text).toContain('90th percentile 64 d calendar, 44 d business');
    expect(text).toContain('No conduct cycle yet');
    expect(text).toContain('Credit card fraud backlog');
  });
});

describe('the regulatory complaints return', () => {
  it('March: per product group and cause, as computed by hand', async () => {
    const res = await get('/api/v1/reports/complaints-return?from=2026-03-01&to=2026-03-31', tree.users.compliance.token);
    expect(res.statusCode, res.body).toBe(200);
    const rows = Object.fromEntries(res.json().rows.map((r: { productGroup: string; mainCause: string }) => [`${r.productGroup}/${r.mainCause}`, r]));
    expect(rows[`Current account/${FEES}`]).toMatchObject({ outstandingAtStart: 0, received: 2, closedWithin3BusinessDays: 1, closedAfter3DaysWithin8Weeks: 1, closedAfter8Weeks: 0, upheld: 1, redressPaid: 50 });
    expect(rows[`Mortgage/${ARREARS}`]).toMatchObject({ outstandingAtStart: 0, received: 2, closedWithin3BusinessDays: 1, closedAfter3DaysWithin8Weeks: 0, upheld: 1, redressPaid: 20 });
    expect(rows[`Credit card/${FRAUD}`]).toMatchObject({ received: 1, closed: 0 });
    expect(res.json().totals).toMatchObject({ received: 5, closed: 3, upheld: 2, redressPaid: 70 });
  });

  it('April and May: the outstanding complaints carry over; CSV for the regulator', async () => {
    const april = (await get('/api/v1/reports/complaints-return?from=2026-04-01&to=2026-04-30', tree.users.compliance.token)).json();
    expect(april.totals).toMatchObject({ outstandingAtStart: 2, received: 0, closed: 0 });
    const csv = await get('/api/v1/reports/complaints-return.csv?from=2026-05-01&to=2026-05-31', tree.users.compliance.token);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('Product group,Main cause,Outstanding at start of period,Received,Closed within 3 business days,"Closed after 3 business days, within 8 weeks",Closed after 8 weeks,Closed (total),Upheld (incl. partly upheld),Redress paid (GBP)');
    expect(lines).toContain(`Credit card,${FRAUD},1,0,0,0,1,1,1,0.00`);
    expect(lines).toContain(`Mortgage,${ARREARS},1,0,0,0,0,0,0,0.00`);
    expect(lines[lines.length - 1]).toBe('Total,,2,0,0,0,1,1,1,0.00');
    expect((await get('/api/v1/reports/complaints-return.csv?from=2026-05-01&to=2026-05-31', tree.users.leadA.token)).statusCode).toBe(403);
  });
});

describe('scheduled delivery', () => {
  it('sends the weekly report once per period with the PDF attached', async () => {
    at('2026-06-01T10:00:00Z');
    const sub = await t.request({ method: 'POST', url: '/api/v1/reports/subscriptions', token: tree.users.executive.token, payload: { frequency: 'weekly' } });
    expect(sub.statusCode, sub.body).toBe(201);
    expect((await t.request({ method: 'POST', url: '/api/v1/reports/subscriptions', token: tree.users.leadA.token, payload: { frequency: 'monthly', userId: tree.users.leadB.id } })).statusCode).toBe(403);
    const forLead = await t.request({ method: 'POST', url: '/api/v1/reports/subscriptions', token: tree.org.adminToken, payload: { frequency: 'weekly', userId: tree.users.leadA.id } });
    expect(forLead.statusCode, forLead.body).toBe(201);
    expect((await t.request({ method: 'POST', url: '/api/v1/reports/subscriptions', token: tree.org.adminToken, payload: { frequency: 'weekly', userId: tree.users.agentA.id } })).statusCode).toBe(422);
    // Nothing is due for the week that ended before subscribing.
    expect(await sendScheduledReports(t.ctx)).toBe(0);
    at('2026-06-08T06:00:00Z');
    const [first, second] = await Promise.all([sendScheduledReports(t.ctx), sendScheduledReports(t.ctx)]);
    expect(first + second).toBe(2);
    await tasks.slow(t.ctx);
    await deliverOutbox(t.ctx);
    const mails = smtp.mails.filter((m) => m.raw.includes('Executive trust report 2026-06-01 to 2026-06-07'));
    expect(mails.map((m) => m.to[0]).sort()).toEqual([tree.users.executive.email, tree.users.leadA.email].sort());
    for (const mail of mails) {
      expect(mail.raw).toContain('Content-Type: application/pdf');
      expect(mail.raw).toContain('executive-report-2026-W23.pdf');
    }
    const leadMail = mails.find((m) => m.to[0] === tree.users.leadA.email)!;
    expect(leadMail.raw).toContain('North Complaints');
    const part = leadMail.raw.slice(leadMail.raw.indexOf('Content-Type: application/pdf'));
    const pdfBase64 = part.slice(part.search(/\r?\n\r?\n/)).split(/\r?\n--/)[0].replace(/\s+/g, '');
    const file = path.join(os.tmpdir(), `mail-${process.pid}.pdf`);
    fs.writeFileSync(file, Buffer.from(pdfBase64, 'base64'));
    expect(execFileSync('pdftotext', [file, '-']).toString('utf8')).toContain('Executive trust report');
    fs.unlinkSync(file);
    await tasks.slow(t.ctx);
    await deliverOutbox(t.ctx);
    expect(smtp.mails.filter((m) => m.raw.includes('Executive trust report 2026-06-01 to 2026-06-07'))).toHaveLength(2);
    const mine = (await get('/api/v1/reports/subscriptions')).json().items;
    expect(mine).toHaveLength(1);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/reports/subscriptions/${mine[0].id}`, token: tree.users.leadA.token })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/reports/subscriptions/${mine[0].id}`, token: tree.users.executive.token })).statusCode).toBe(204);
  });
});

describe('a large backlog of events', () => {
  it('is worked off over several runs of the job, so the clock sweep and the outbox after it do not wait', async () => {
    const app = await createTestApp();
    try {
      const org = await buildOrgTree(app);
      // 120 cases make about 360 events: more than one batch of the job (250 events).
      for (let i = 0; i < 120; i++) {
        const res = await app.request({ method: 'POST', url: '/api/v1/cases', token: org.org.adminToken, payload: {
          subject: `Backlog ${i}`, description: 'A complaint from a large import', customer: { name: `Customer ${i}` }, unitId: org.units.teamA,
        } });
        expect(res.statusCode, res.body).toBe(201);
      }
      app.clock.advance(31_000);
      const first = await refreshReportRollups(app.ctx, { budgetMs: 0 });
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(120);
      expect(first + await refreshReportRollups(app.ctx, { budgetMs: 0 })).toBeGreaterThanOrEqual(120);
      expect(await refreshReportRollups(app.ctx, { budgetMs: 0 })).toBe(0);
      const [facts] = await app.ctx.database.query<{ n: number }>('SELECT count(*)::int AS n FROM report_case_facts WHERE organisation_id = $1', [org.org.id]);
      expect(facts.n).toBe(120);
      // Each with the key phrases of its own text (worked out before the batch's transaction).
      const withPhrases = await app.ctx.database.query<{ subject: string; description: string; phrases: string[] }>(
        'SELECT c.subject, c.description, f.phrases FROM report_case_facts f JOIN cases c ON c.id = f.case_id WHERE f.organisation_id = $1', [org.org.id]);
      expect(withPhrases.every((f) => f.phrases.join('|') === casePhrases(f.subject, f.description).join('|'))).toBe(true);
      expect(withPhrases.some((f) => f.phrases.length > 0)).toBe(true);

      // A description rewritten later gives the case the phrases of its new text.
      const [one] = await app.ctx.database.query<{ id: string }>("SELECT id FROM cases WHERE organisation_id = $1 AND subject = 'Backlog 7'", [org.org.id]);
      const description = 'The mortgage overpayment was never applied and the early repayment charge was taken twice.';
      const patched = await app.request({ method: 'PATCH', url: `/api/v1/cases/${one.id}`, token: org.org.adminToken, payload: { description } });
      expect(patched.statusCode, patched.body).toBe(200);
      app.clock.advance(31_000);
      expect(await refreshReportRollups(app.ctx)).toBe(1);
      const [rewritten] = await app.ctx.database.query<{ phrases: string[] }>('SELECT phrases FROM report_case_facts WHERE case_id = $1', [one.id]);
      expect(rewritten.phrases).toEqual(casePhrases('Backlog 7', description));
      expect(rewritten.phrases.join(' ')).toMatch(/mortgage|repayment|overpayment/);
    } finally { await app.close(); }
  });
});
