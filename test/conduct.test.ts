import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../src/jobs/maintenance.js';
import { conductStatusForReport } from '../src/conduct/status-score.service.js';
import { resolveApiToken } from '../src/auth/auth.service.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { startSmtpServer } from './helpers/smtp.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const DAY = 86_400_000;
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-conduct-'));

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, TRUSTDESK_UPLOADS_DIR: uploads } });
  tree = await buildOrgTree(t);
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
  fs.rmSync(uploads, { recursive: true, force: true });
});

type Json = Record<string, any>;
async function call(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, token: string, payload?: object, expected = method === 'POST' && !url.includes('/', 8) ? 201 : 200): Promise<Json> {
  const res = await t.request({ method, url: `/api/v1${url}`, token, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(expected);
  return res.json();
}

/** A framework with two practices for the given unit kinds; the first is critical. */
async function framework(org: OrgTree, unitKinds: string[]) {
  const token = org.users.compliance.token;
  const f = await call('POST', '/frameworks', token, {
    name: `Conduct ${unitKinds.join('+')}`, outcomes: [{ key: 'support', title: 'Consumer support' }, { key: 'understanding', title: 'Consumer understanding' }],
  }, 201);
  const critical = await call('POST', '/practices', token, { frameworkId: f.id, outcomeKey: 'support', code: 'CS-1', title: 'Complaint handling', guidance: 'Owned, on time, root causes fixed', unitKinds, critical: true }, 201);
  const plain = await call('POST', '/practices', token, { frameworkId: f.id, outcomeKey: 'understanding', code: 'CU-1', title: 'Disclosure clarity', guidance: 'Tested with customers', unitKinds }, 201);
  return { f, critical, plain };
}

function multipart(fields: Record<string, string>, file: { name: string; type: string; body: string }) {
  const boundary = 'conduct-boundary';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n${file.body}\r\n--${boundary}--\r\n`);
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: parts.join('') };
}

/** Mails that reached the SMTP server for an address, subject and body decoded, containing the text. */
async function mailsTo(email: string, text: string) {
  const parsed = await Promise.all(smtp.mails.filter((m) => m.to.includes(email)).map((m) => simpleParser(m.raw)));
  return parsed.filter((m) => `${m.subject}\n${m.text}`.includes(text));
}

describe('conduct presets', () => {
  it('installs Treating Customers Fairly (six outcomes) and Consumer Duty (four), with guidance and example evidence, once', async () => {
    const presets = await call('GET', '/frameworks/presets', tree.users.compliance.token);
    expect(presets.items.map((p: Json) => [p.key, p.outcomes.length])).toEqual([['tcf', 6], ['consumer-duty', 4]]);
    const tcf = await call('POST', '/frameworks', tree.users.compliance.token, { preset: 'tcf' }, 201);
    const cd = await call('POST', '/frameworks', tree.users.compliance.token, { preset: 'consumer-duty' }, 201);
    expect(tcf.practices.length + cd.practices.length).toBeGreaterThanOrEqual(28);
    const complaints = cd.practices.find((p: Json) => p.title === 'Complaint handling');
    expect(complaints).toMatchObject({ critical: true, outcomeTitle: 'Consumer support' });
    expect(complaints.guidance.length).toBeGreaterThan(40);
    expect(complaints.exampleEvidence.length).toBeGreaterThan(0);
    expect((await t.request({ method: 'POST', url: '/api/v1/frameworks', token: tree.users.compliance.token, payload: { preset: 'tcf' } })).statusCode).toBe(409);
    expect((await t.request({ method: 'POST', url: '/api/v1/frameworks', token: tree.users.leadA.token, payload: { preset: 'tcf' } })).statusCode).toBe(403);
  });
});

describe('a full cycle', () => {
  it('open, assess with evidence, return, re-assess, approve; a low score requires an action; reminders, escalation, done with evidence, verified', async () => {
    const { f, critical } = await framework(tree, ['team']);
    const start = t.clock.now();
    const cycle = await call('POST', '/cycles', tree.users.compliance.token, { frameworkId: f.id, name: '2026 H1', opensAt: start.toISOString(), dueAt: new Date(start.getTime() + 60 * DAY).toISOString() }, 201);
    expect(cycle.counts).toMatchObject({ total: 4, not_started: 4 });

    // The team lead sees only their team's cells; another team's cell is a 403.
    const mine = await call('GET', `/assessments?cycleId=${cycle.id}`, tree.users.leadA.token);
    expect(mine.items.map((c: Json) => c.unitName)).toEqual(['North Complaints', 'North Complaints']);
    const cell = mine.items.find((c: Json) => c.practiceId === critical.id);
    const all = await call('GET', `/assessments?cycleId=${cycle.id}`, tree.users.compliance.token);
    const southCell = all.items.find((c: Json) => c.unitName === 'South Complaints');
    expect((await t.request({ method: 'GET', url: `/api/v1/assessments/${southCell.id}`, token: tree.users.leadA.token })).statusCode).toBe(403);

    // Evidence: a file, hashed, cited by the cell.
    const body = 'Complaints MI pack, March: 42 complaints, 31 on time.';
    const upload = await t.request({ method: 'POST', url: '/api/v1/evidence/files', token: tree.users.leadA.token, ...multipart({ title: 'MI pack', unitId: tree.units.teamA, assessmentId: cell.id }, { name: 'mi.txt', type: 'text/plain', body }) });
    expect(upload.statusCode, upload.body).toBe(201);
    const evidence = upload.json();
    expect(evidence.file.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(evidence.assessmentIds).toEqual([cell.id]);
    expect(fs.existsSync(path.join(uploads, 'evidence', tree.org.id, evidence.id))).toBe(true);

    // Bad input is refused and changes nothing.
    expect((await t.request({ method: 'POST', url: `/api/v1/assessments/${cell.id}/submit`, token: tree.users.leadA.token, payload: { selfScore: 9, rationale: 'x' } })).statusCode).toBe(422);
    expect((await t.request({ method: 'POST', url: `/api/v1/assessments/${cell.id}/submit`, token: tree.users.leadA.token, payload: { selfScore: 3 } })).statusCode).toBe(400);
    expect((await call('GET', `/assessments/${cell.id}`, tree.users.leadA.token)).state).toBe('not_started');

    await call('POST', `/assessments/${cell.id}/submit`, tree.users.leadA.token, { selfScore: 4, rationale: 'We handle complaints well' });
    expect((await t.request({ method: 'POST', url: `/api/v1/assessments/${cell.id}/review`, token: tree.users.leadA.token, payload: { decision: 'approve' } })).statusCode).toBe(403);
    const returned = await call('POST', `/assessments/${cell.id}/review`, tree.users.compliance.token, { decision: 'return', comment: 'The MI shows 11 late final responses' });
    expect(returned).toMatchObject({ state: 'returned', reviewComment: 'The MI shows 11 late final responses' });
    await call('POST', `/assessments/${cell.id}/submit`, tree.users.leadA.token, { selfScore: 2, rationale: 'A quarter of final responses were late' });
    const approved = await call('POST', `/assessments/${cell.id}/review`, tree.users.compliance.token, { decision: 'approve' });
    expect(approved).toMatchObject({ state: 'approved', locked: true, score: 2, red: true });
    expect(approved.evidence.map((e: Json) => e.id)).toEqual([evidence.id]);
    expect(approved.requiredActionId).toEqual(expect.any(String));
    expect((await t.request({ method: 'PATCH', url: `/api/v1/assessments/${cell.id}`, token: tree.users.leadA.token, payload: { selfScore: 5 } })).statusCode).toBe(409);

    const action = await call('GET', `/actions/${approved.requiredActionId}`, tree.users.leadA.token);
    expect(action).toMatchObject({ status: 'open', required: true, delegateId: tree.users.leadA.id, priority: 'critical', source: { kind: 'assessment', cycleId: cycle.id } });
    const deadline = new Date(action.deadline).getTime();
    expect(deadline).toBe(t.clock.now().getTime() + 30 * DAY);
    expect((await call('GET', '/actions?mine=true', tree.users.leadA.token)).items.map((a: Json) => a.id)).toContain(action.id);
    expect((await call('GET', `/actions?unitId=${tree.units.regionA}`, tree.users.compliance.token)).items.map((a: Json) => a.id)).toContain(action.id);
    expect((await call('GET', `/actions?unitId=${tree.units.regionB}`, tree.users.compliance.token)).items.map((a: Json) => a.id)).not.toContain(action.id);

    // Reminders at 7 days, 1 day, on the day, then every 3 days; each once, by e-mail to a real SMTP server.
    await tasks.frequent(t.ctx);
    const created = (await mailsTo(tree.users.leadA.email, 'You are the delegate')).length;
    expect(created).toBe(1);
    for (const [at, text] of [[deadline - 7 * DAY + 60_000, 'is due'], [deadline - DAY + 60_000, 'is due'], [deadline + 60_000, 'is due today']] as const) {
      const before = (await mailsTo(tree.users.leadA.email, 'Reminder:')).length;
      t.clock.set(new Date(at));
      await tasks.frequent(t.ctx);
      await tasks.frequent(t.ctx);
      expect((await mailsTo(tree.users.leadA.email, 'Reminder:')).length).toBe(before + 1);
      expect((await mailsTo(tree.users.leadA.email, text)).length).toBeGreaterThan(0);
    }
    // Three days overdue: another reminder, and the action escalates to the delegate's lead (the region's).
    t.clock.set(new Date(deadline + 3 * DAY + 60_000));
    await tasks.frequent(t.ctx);
    await tasks.frequent(t.ctx);
    expect((await mailsTo(tree.users.leadA.email, 'overdue')).length).toBe(1);
    expect((await mailsTo(tree.users.regionLeadA.email, 'Please follow it up with the delegate')).length).toBe(1);
    const escalated = await call('GET', `/actions/${action.id}`, tree.users.compliance.token);
    expect(escalated).toMatchObject({ overdue: true, escalatedToId: tree.users.regionLeadA.id });
    expect((await call('GET', '/actions?overdue=true', tree.users.compliance.token)).items.map((a: Json) => a.id)).toContain(action.id);
    expect((await call('GET', `/cycles/${cycle.id}/status`, tree.users.executive.token)).overdueActions).toEqual([expect.objectContaining({ ownerId: tree.users.leadA.id, count: 1 })]);
    const notices = await call('GET', '/notifications', tree.users.leadA.token);
    expect(notices.items.some((n: Json) => n.kind === 'conduct_action_reminder')).toBe(true);

    // Done needs evidence; then compliance verifies with a re-score that shows the effect.
    expect((await t.request({ method: 'POST', url: `/api/v1/actions/${action.id}/done`, token: tree.users.leadA.token, payload: { note: 'Fixed', evidenceIds: [] } })).statusCode).toBe(422);
    const note = await call('POST', '/evidence', tree.users.leadA.token, { kind: 'note', title: 'Triage rota', unitId: tree.units.teamA, note: 'Daily triage of complaints older than 4 weeks since April.' }, 201);
    const done = await call('POST', `/actions/${action.id}/done`, tree.users.leadA.token, { note: 'Daily triage in place', evidenceIds: [note.id] });
    expect(done).toMatchObject({ status: 'done', evidenceIds: [note.id] });
    expect((await t.request({ method: 'POST', url: `/api/v1/actions/${action.id}/verify`, token: tree.users.leadA.token, payload: {} })).statusCode).toBe(403);
    const verified = await call('POST', `/actions/${action.id}/verify`, tree.users.compliance.token, { comment: 'Late responses down to 2', rescore: 4 });
    expect(verified).toMatchObject({ status: 'verified', verifyScore: 4 });
    const rescored = await call('GET', `/assessments/${cell.id}`, tree.users.compliance.token);
    expect(rescored).toMatchObject({ selfScore: 2, reviewerScore: 4, score: 4, red: false, gap: -2 });
    const events = (await call('GET', `/assessments/${cell.id}/events`, tree.users.compliance.token)).items.map((e: Json) => e.type);
    expect(events).toEqual(['assessment.evidence_added', 'assessment.submitted', 'assessment.returned', 'assessment.submitted', 'assessment.approved', 'assessment.rescored']);
    const actionEvents = (await call('GET', `/actions/${action.id}/events`, tree.users.compliance.token)).items.map((e: Json) => e.type);
    expect(actionEvents).toEqual(expect.arrayContaining(['action.created', 'action.reminded', 'action.escalated', 'action.done', 'action.verified']));
    expect((await call('GET', '/audit/verify', tree.org.adminToken)).ok).toBe(true);

    // The next cycle starts from this one's answers and evidence, to edit.
    const next = await call('POST', '/cycles', tree.users.compliance.token, { frameworkId: f.id, name: '2026 H2', opensAt: t.clock.now().toISOString(), dueAt: new Date(t.clock.now().getTime() + 60 * DAY).toISOString() }, 201);
    expect(next).toMatchObject({ previousCycleId: cycle.id, counts: { draft: 1, not_started: 3 } });
    const carried = (await call('GET', `/assessments?cycleId=${next.id}&state=draft`, tree.users.leadA.token)).items[0];
    const carriedDetail = await call('GET', `/assessments/${carried.id}`, tree.users.leadA.token);
    expect(carriedDetail).toMatchObject({ selfScore: 2, rationale: 'A quarter of final responses were late', previous: { cycleName: '2026 H1', score: 4 } });
    expect(carriedDetail.evidence.map((e: Json) => e.id)).toEqual([evidence.id]);
  });

  it('evidence files are read like their cells: an agent of another region gets 403', async () => {
    const upload = await t.request({ method: 'POST', url: '/api/v1/evidence/files', token: tree.users.leadA.token, ...multipart({ title: 'North QA sheet', unitId: tree.units.teamA }, { name: 'qa.csv', type: 'text/csv', body: 'case,result\nA-1,pass\n' }) });
    expect(upload.statusCode, upload.body).toBe(201);
    const id = upload.json().id;
    const own = await t.request({ method: 'GET', url: `/api/v1/evidence/${id}/file`, token: tree.users.agentA.token });
    expect(own.statusCode).toBe(200);
    expect(own.body).toBe('case,result\nA-1,pass\n');
    for (const url of [`/api/v1/evidence/${id}/file`, `/api/v1/evidence/${id}`]) {
      const other = await t.request({ method: 'GET', url, token: tree.users.agentB.token });
      expect(other.statusCode).toBe(403);
      expect(other.body).not.toContain('A-1');
    }
    expect((await call('GET', '/evidence?limit=500', tree.users.agentB.token)).items.map((e: Json) => e.id)).not.toContain(id);
    const exe = await t.request({ method: 'POST', url: '/api/v1/evidence/files', token: tree.users.leadA.token, ...multipart({ title: 'Bad', unitId: tree.units.teamA }, { name: 'x.pdf', type: 'application/pdf', body: 'not a pdf at all' }) });
    expect(exe.statusCode).toBe(415);
  });

  it('evidence expires on its date, after reminders to its owner', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 10 * DAY);
    const e = await call('POST', '/evidence', tree.users.leadB.token, { kind: 'link', title: 'Vulnerability policy v3', unitId: tree.units.teamB, url: 'https://intranet.example/policy-v3', expiresAt: expiresAt.toISOString() }, 201);
    await call('PATCH', `/evidence/${e.id}`, tree.users.compliance.token, { status: 'approved' });
    t.clock.set(new Date(expiresAt.getTime() - 7 * DAY + 60_000));
    await tasks.slow(t.ctx);
    await tasks.slow(t.ctx);
    await tasks.frequent(t.ctx);
    expect((await mailsTo(tree.users.leadB.email, 'Vulnerability policy v3')).length).toBe(1);
    t.clock.set(new Date(expiresAt.getTime() + 60_000));
    await tasks.slow(t.ctx);
    expect((await call('GET', `/evidence/${e.id}`, tree.users.leadB.token)).status).toBe('expired');
  });

  it('a unit marks a practice not applicable with a justification; new cycles leave it out of the score', async () => {
    const { f, plain } = await framework(tree, ['region']);
    await call('POST', `/practices/${plain.id}/not-applicable`, tree.users.regionLeadA.token, { unitId: tree.units.regionA, justification: 'North sells no products with disclosures' });
    expect((await t.request({ method: 'POST', url: `/api/v1/practices/${plain.id}/not-applicable`, token: tree.users.regionLeadA.token, payload: { unitId: tree.units.regionB, justification: 'Not mine' } })).statusCode).toBe(403);
    const cycle = await call('POST', '/cycles', tree.users.compliance.token, { frameworkId: f.id, name: 'NA cycle', opensAt: t.clock.now().toISOString(), dueAt: new Date(t.clock.now().getTime() + DAY).toISOString() }, 201);
    expect(cycle.counts).toMatchObject({ total: 4, not_applicable: 1 });
    const practice = await call('GET', `/practices/${plain.id}`, tree.users.compliance.token);
    expect(practice.notApplicable).toEqual([expect.objectContaining({ unitName: 'North', justification: 'North sells no products with disclosures' })]);
  });
});

describe('lessons and alerts', () => {
  it('an escalation lesson that names a practice requires an action; the practice page shows both', async () => {
    const { critical } = await framework(tree, ['team']);
    const c = await call('POST', '/cases', tree.users.agentA.token, { subject: 'Lost complaint', description: 'Nobody answered my complaint', customer: { name: 'Pat' }, unitId: tree.units.teamA }, 201);
    const escalation = await call('POST', `/cases/${c.id}/escalations`, tree.users.agentA.token, { reason: 'manual', note: 'Stuck' }, 201);
    const resolver = [tree.users.leadA, tree.users.regionLeadA, tree.users.compliance].find((u) => u.id === escalation.toUserId)!;
    expect((await t.request({ method: 'POST', url: `/api/v1/escalations/${escalation.id}/resolve`, token: resolver.token, payload: { resolution: 'Answered', lesson: { rootCause: 'Errors', processChange: 'Weekly check of unanswered complaints', practiceId: '00000000-0000-4000-8000-000000000000' } } })).statusCode).toBe(422);
    await call('POST', `/escalations/${escalation.id}/resolve`, resolver.token, { resolution: 'Answered', lesson: { rootCause: 'Errors', processChange: 'Weekly check of unanswered complaints', practiceId: critical.id } });
    const page = await call('GET', `/practices/${critical.id}`, tree.users.compliance.token);
    expect(page.lessons).toEqual([expect.objectContaining({ processChange: 'Weekly check of unanswered complaints' })]);
    expect(page.actions).toEqual([expect.objectContaining({ required: true, unitId: tree.units.teamA, delegateId: tree.users.leadA.id, source: expect.objectContaining({ kind: 'lesson', lessonId: page.lessons[0].id }) })]);
  });

  it('other features raise actions through createAction, e.g. from a complaint-spike alert', async () => {
    const { createAction } = await import('../src/conduct/action.service.js');
    const { plain } = await framework(tree, ['team']);
    const actor = (await resolveApiToken(t.ctx, tree.users.compliance.token))!;
    const action = await createAction(t.ctx, actor, {
      title: 'Complaint spike: disclosures', practiceId: plain.id, unitId: tree.units.teamB, delegateId: tree.users.leadB.id, deadline: new Date(t.clock.now().getTime() + 14 * DAY),
      priority: 'high', expectedEffect: 'Volume back to baseline', source: { kind: 'alert', alertId: 'spike-1', detail: '3× the usual complaints in a week' },
    });
    expect(action).toMatchObject({ required: true, source: { kind: 'alert', alertId: 'spike-1' }, delegateName: expect.any(String) });
  });

  it('an emerging complaint issue opens a required action over HTTP; a malformed alert changes nothing', async () => {
    const { plain } = await framework(tree, ['team']);
    const body = {
      title: 'Rise in complaints: category "Fees"', practiceId: plain.id, unitId: tree.units.teamB, delegateId: tree.users.leadB.id,
      deadline: new Date(t.clock.now().getTime() + 14 * DAY).toISOString(), priority: 'high', expectedEffect: 'Weekly volume back under its control limit',
    };
    const bad = await t.request({ method: 'POST', url: '/api/v1/actions', token: tree.users.compliance.token, payload: { ...body, alert: { key: '', detail: 'x' } } });
    expect(bad.statusCode).toBe(400);
    const before = (await call('GET', `/actions?unitId=${tree.units.teamB}&limit=500`, tree.users.compliance.token)).items.length;
    const action = await call('POST', '/actions', tree.users.compliance.token, { ...body, alert: { key: 'rise:category:Fees:2026-11-16', detail: 'Fees: 14 complaints against 4.2 expected' } }, 201);
    expect(action).toMatchObject({ required: true, source: { kind: 'alert', alertId: 'rise:category:Fees:2026-11-16', detail: 'Fees: 14 complaints against 4.2 expected' } });
    expect((await call('GET', `/actions?unitId=${tree.units.teamB}&limit=500`, tree.users.compliance.token)).items.length).toBe(before + 1);
  });
});

describe('the status score never hides a weak pocket', () => {
  it('one region scoring 1 on a critical practice among 5s: listed first, weakest unit, score capped', async () => {
    const org = await buildOrgTree(t, 'Capped Bank');
    const { f, critical } = await framework(org, ['region']);
    const token = org.users.compliance.token;
    const cycle = await call('POST', '/cycles', token, { frameworkId: f.id, name: 'Capped cycle', opensAt: t.clock.now().toISOString(), dueAt: new Date(t.clock.now().getTime() + 30 * DAY).toISOString() }, 201);
    const cells = (await call('GET', `/assessments?cycleId=${cycle.id}`, token)).items;
    expect(cells).toHaveLength(4);
    for (const c of cells) {
      const weak = c.unitName === 'North' && c.practiceId === critical.id;
      await call('POST', `/assessments/${c.id}/submit`, token, { selfScore: weak ? 1 : 5, rationale: weak ? 'No complaint owner in North' : 'Strong' });
      await call('POST', `/assessments/${c.id}/review`, token, { decision: 'approve' });
    }
    const status = await call('GET', `/cycles/${cycle.id}/status`, org.users.executive.token);
    expect(status).toMatchObject({ capped: true, uncappedScore: 75, score: 49, band: 'red', shareBelowThreshold: 0.25, weakestUnit: { name: 'North' } });
    expect(status.capReason).toContain('Complaint handling');
    expect(status.capReason).toContain('North');
    expect(status.redCells[0]).toMatchObject({ unitName: 'North', practiceTitle: 'Complaint handling', critical: true, score: 1 });
    expect(status.children).toEqual([expect.objectContaining({ name: 'Retail', capped: true, redCells: 1 })]);
    const south = await call('GET', `/cycles/${cycle.id}/status?unitId=${org.units.regionB}`, org.users.executive.token);
    expect(south).toMatchObject({ capped: false, score: 100, redCells: [] });
    expect((await t.request({ method: 'GET', url: `/api/v1/cycles/${cycle.id}/status?unitId=${org.units.regionB}`, token: org.users.leadA.token })).statusCode).toBe(403);

    const heat = await call('GET', `/cycles/${cycle.id}/heatmap?by=practice`, token);
    const north = heat.rows.find((r: Json) => r.unitName === 'North');
    expect(north.cells.find((c: Json) => c.columnId === critical.id)).toMatchObject({ score: 1, red: true });

    const summary = await call('GET', '/conduct/summary', org.users.executive.token);
    expect(summary).toMatchObject({ cycleId: cycle.id, capped: true, score: 49, weakestUnit: { name: 'North' } });
    const forReport = await conductStatusForReport(t.ctx, (await resolveApiToken(t.ctx, org.users.executive.token))!);
    expect(forReport?.redCells[0].unitName).toBe('North');

    // The executive trust report carries the capped score and names the weak pocket, in JSON and in its PDF.
    const report = await call('GET', '/reports/executive', org.users.executive.token);
    expect(report.conduct).toMatchObject({ cycleId: cycle.id, score: 49, capped: true, redCells: 1, shareBelowThreshold: 0.25, weakestUnit: { name: 'North' } });
    expect(report.conduct.weakestPockets[0]).toMatchObject({ practiceTitle: 'Complaint handling', critical: true, score: 1 });
    expect(report.conduct.weakestPockets[0].unitPath).toContain('North');
    expect(report.indicators.find((i: Json) => i.key === 'conduct')).toMatchObject({ value: 49 });
    const reportPdf = await t.request({ method: 'GET', url: '/api/v1/reports/executive.pdf', token: org.users.executive.token });
    expect(reportPdf.statusCode).toBe(200);
    const reportFile = path.join(uploads, 'executive.pdf');
    fs.writeFileSync(reportFile, reportPdf.rawPayload);
    const reportText = execFileSync('pdftotext', [reportFile, '-']).toString().replace(/\s+/g, ' ');
    for (const expected of ['Conduct status', 'score 49.0 (capped', 'Weakest pockets', 'Complaint handling (critical) scored 1']) expect(reportText).toContain(expected);

    // The board report PDF reads: headings, the capped score, the red cell, the required action's owner.
    const pdf = await t.request({ method: 'GET', url: `/api/v1/cycles/${cycle.id}/export.pdf`, token: org.users.executive.token });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = path.join(uploads, 'board.pdf');
    fs.writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const expected of ['Capped cycle', 'Status score', 'Outcomes', 'Consumer support', 'Red cells', 'Improvement actions', '49.0 (capped)', '75.0', 'Complaint handling', 'North']) expect(text).toContain(expected);
    const csv = await t.request({ method: 'GET', url: `/api/v1/cycles/${cycle.id}/export.csv`, token });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('North') && l.includes('Complaint handling'))).toContain(',yes');

    // A snapshot a day, for the trend.
    await tasks.slow(t.ctx);
    await tasks.slow(t.ctx);
    const trend = await call('GET', `/cycles/${cycle.id}/trend`, token);
    expect(trend.points).toEqual([expect.objectContaining({ score: 49, capped: true, redCells: 1 })]);
  });

  it('signals: complaints of mapped categories beside the score, flagged when a strong self-assessment meets many upheld complaints', async () => {
    const org = await buildOrgTree(t, 'Signals Bank');
    const { f, critical } = await framework(org, ['region']);
    const token = org.users.compliance.token;
    await call('PATCH', '/conduct/settings', token, { categoryPractices: { 'Delays/timescales': ['CS-1'] }, complaintFlag: { minComplaints: 3, upheldRate: 0.5, strongScore: 4 } });
    for (let i = 0; i < 4; i++) {
      const c = await call('POST', '/cases', org.org.adminToken, { subject: `Late ${i}`, description: 'My complaint took months', customer: { name: `C${i}` }, unitId: org.units.teamA, kind: 'complaint', category: 'Delays/timescales' }, 201);
      await call('POST', `/cases/${c.id}/resolve`, org.org.adminToken, { outcome: 'upheld', summary: 'We were late' });
    }
    const cycle = await call('POST', '/cycles', token, { frameworkId: f.id, name: 'Signals cycle', opensAt: t.clock.now().toISOString(), dueAt: new Date(t.clock.now().getTime() + 30 * DAY).toISOString() }, 201);
    const cell = (await call('GET', `/assessments?cycleId=${cycle.id}&practiceId=${critical.id}&unitId=${org.units.regionA}`, token)).items[0];
    await call('POST', `/assessments/${cell.id}/submit`, token, { selfScore: 5, rationale: 'Excellent' });
    const signals = await call('GET', `/cycles/${cycle.id}/signals`, token);
    expect(signals.items[0]).toMatchObject({ unitName: 'North', practiceTitle: 'Complaint handling', complaints: 4, upheldRate: 1, flag: 'strong_self_assessment_high_complaints' });
    expect(signals.items.find((s: Json) => s.unitName === 'South' && s.practiceId === critical.id)).toMatchObject({ complaints: 0, flag: null });
  });
});
