/**
 * The authorization matrix: every route of the OpenAPI document × every role (admin, executive,
 * compliance, lead, agent, nobody) × unit scope (the record's own unit, another unit, the parent
 * unit) × public tokens, each with the status the policy below expects. The policy is declarative
 * and mandatory: a route missing from it fails with a message naming the entry to add.
 *
 * Outcomes: 'ok' = passed authorization (2xx, or a 409/422 about the record's state); 403 = the
 * role may not do this; 404 = the record is outside the caller's scope (its existence is not
 * revealed). Records live in team A, owned by agent A; region A is team A's parent unit.
 *
 * Conduct (frameworks, cycles, assessments, evidence, actions) answers 403, not 404, for a record of
 * the caller's own organisation outside their unit subtree — decided for conduct in CONDUCT_API.md
 * ("Scope rule"); another organisation's record is still a 404 (test/tenant-isolation.test.ts).
 */
import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotConductStatus } from '../src/conduct/status-score.service.js';
import { outbox } from '../src/db/schema/index.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp, TEST_PASSWORD } from './helpers/test-app.js';

const personas = ['admin', 'executive', 'compliance', 'regionLeadA', 'leadA', 'agentA', 'leadB', 'agentB'] as const;
type Persona = (typeof personas)[number];
type Outcome = 'ok' | 403 | 404 | 422;
type Expectation = Record<Persona, Outcome>;

/** Who is who relative to a team-A record. */
const scopeOf: Record<Persona, string> = {
  admin: 'organisation', executive: 'organisation', compliance: 'organisation', regionLeadA: 'parent unit',
  leadA: 'own unit', agentA: 'own unit (owner)', leadB: 'other unit', agentB: 'other unit',
};
const roleOf: Record<Persona, string> = {
  admin: 'admin', executive: 'executive', compliance: 'compliance', regionLeadA: 'lead', leadA: 'lead', agentA: 'agent', leadB: 'lead', agentB: 'agent',
};

const all = (o: Outcome): Expectation => Object.fromEntries(personas.map((p) => [p, o])) as Expectation;
/** Only these roles; everybody else 403. */
const roles = (...allowed: string[]): Expectation => Object.fromEntries(personas.map((p) => [p, allowed.includes(roleOf[p]) ? 'ok' : 403])) as Expectation;
/** Readable by the organisation-wide roles and by the record's unit and the units above it; other units get 404. */
const inScope: Expectation = { ...all('ok'), leadB: 404, agentB: 404 };
/** Worked by its owner, a lead above it or an admin; read-only roles 403; other units cannot see it (404). */
const work: Expectation = { ...inScope, executive: 403, compliance: 403 };
/** Staff who read the organisation's structure and backlogs: everybody but agents. */
const staffReaders = roles('admin', 'executive', 'compliance', 'lead');
/** Notes and additions: anyone who may read the case except the read-only executive. */
const note: Expectation = { ...inScope, executive: 403 };
/** Reports: the people who answer for the organisation or a part of it (leads get their subtree); agents none. */
const reportReaders = roles('admin', 'executive', 'compliance', 'lead');
/** Conduct records of team A: the organisation-wide roles and team A's subtree; another unit of the organisation gets 403 (see the header). */
const conductScope: Expectation = { ...all('ok'), leadB: 403, agentB: 403 };
/** Conduct work on a team-A record or unit: admin, compliance and the leads above it; executives read only, agents do not self-assess or manage. */
const conductWork: Expectation = { ...conductScope, executive: 403, agentA: 403 };
/** Evidence work in team A: as conductWork, but agents of the unit add and cite evidence too. */
const evidenceWork: Expectation = { ...conductScope, executive: 403 };
/** Compliance's own conduct work (catalogue, cycles, reviews, verification, settings). */
const conductManagers = roles('admin', 'compliance');

interface Fixture {
  tree: OrgTree;
  t: TestApp;
  token(p: Persona): string;
}

interface Rule {
  expect: Expectation;
  /** Public routes: no credentials needed ('ok'); otherwise no credentials is a 401. */
  public?: true;
  /** The `{id}`/`{key}`/`{token}` of the request: a record in team A, made fresh for each request when the call changes it. */
  record?: (fx: Fixture) => Promise<string>;
  body?: (fx: Fixture) => unknown;
  /** For bodies that are not JSON (CSV, multipart). */
  raw?: (fx: Fixture) => Partial<InjectOptions>;
  query?: string;
}

let t: TestApp;
let tree: OrgTree;
let fx: Fixture;

const post = async (url: string, token: string, payload?: unknown, extra: Partial<InjectOptions> = {}) => {
  const res = await t.request({ method: 'POST', url, token, payload: payload as object, ...extra });
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};
const CUSTOMER_A = 'Matrix Customer Alpha';
const caseA = async () => (await post('/api/v1/cases', tree.org.adminToken, {
  subject: 'Team A complaint', description: 'Matrix record', customer: { name: CUSTOMER_A, email: 'alpha@customer.example' },
  unitId: tree.units.teamA, ownerId: tree.users.agentA.id,
})).id as string;
const resolvedCaseA = async () => {
  const id = await caseA();
  await post(`/api/v1/cases/${id}/resolve`, tree.users.agentA.token, { outcome: 'upheld', summary: 'Done' });
  return id;
};
/** A transfer of a team-A case, from its owner agent A to lead A. */
const transferA = async () => (await post(`/api/v1/cases/${await caseA()}/transfers`, tree.users.agentA.token, { toUserId: tree.users.leadA.id, reason: 'Matrix' })).id as string;
const escalationA = async () => (await post(`/api/v1/cases/${await caseA()}/escalations`, tree.users.agentA.token, { reason: 'manual', note: 'Matrix' })).id as string;
const multipartFile = (): Partial<InjectOptions> => ({
  headers: { 'content-type': 'multipart/form-data; boundary=mx' },
  payload: '--mx\r\nContent-Disposition: form-data; name="file"; filename="m.txt"\r\nContent-Type: text/plain\r\n\r\nMatrix\r\n--mx--\r\n',
});
let shared: {
  caseId: string; caseRef: string; attachmentId: string; lessonId: string; importId: string; webhookId: string; surveyId: string;
  escalationId: string; transferId: string; policy: { clocks: unknown[] };
  conduct: {
    /** The installed Consumer Duty preset, its first outcome, and a practice of it that applies to teams. */
    presetId: string; outcomeKey: string; practiceId: string;
    /** A one-practice framework of the matrix's own: each fresh cell is a new cycle of it over team A. */
    frameworkId: string; cellPracticeId: string;
    /** A cycle of the preset over teams A and B; its cell in team A (another practice than practiceId). */
    cycleId: string; assessmentId: string;
    /** Evidence of team A added by agent A (a note cited by the cell, and a file); an open action of team A delegated to agent A. */
    evidenceId: string; fileEvidenceId: string; actionId: string;
  };
};
const DAY = 86_400_000;
const isoIn = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString();
const dateIn = (days: number) => isoIn(days).slice(0, 10);
/** A fresh cell of team A (not started): a new cycle of the matrix framework over team A alone. */
const cellA = async () => {
  const c = shared.conduct;
  // A not-applicable mark left by an earlier call would make the new cell not applicable: undo it first.
  await post(`/api/v1/practices/${c.cellPracticeId}/applicable`, tree.org.adminToken, { unitId: tree.units.teamA });
  const cycle = await post('/api/v1/cycles', tree.org.adminToken, { frameworkId: c.frameworkId, name: `Matrix ${Math.random()}`, opensAt: isoIn(-1), dueAt: isoIn(30), unitIds: [tree.units.teamA], carryForward: false });
  const cells = (await t.request({ method: 'GET', url: `/api/v1/assessments?cycleId=${cycle.id}`, token: tree.org.adminToken })).json().items;
  expect(cells).toHaveLength(1);
  return cells[0].id as string;
};
const submittedCellA = async () => {
  const id = await cellA();
  await post(`/api/v1/assessments/${id}/submit`, tree.users.leadA.token, { selfScore: 4, rationale: 'Matrix' });
  return id;
};
const notApplicableCellA = async () => {
  const id = await cellA();
  await post(`/api/v1/assessments/${id}/not-applicable`, tree.users.leadA.token, { justification: 'Matrix' });
  return id;
};
const openCycle = async () => (await post('/api/v1/cycles', tree.org.adminToken, { frameworkId: shared.conduct.frameworkId, name: `Matrix ${Math.random()}`, opensAt: isoIn(-1), dueAt: isoIn(30), unitIds: [tree.units.teamA], carryForward: false })).id as string;
const actionBody = () => ({ title: 'Matrix action', practiceId: shared.conduct.practiceId, unitId: tree.units.teamA, delegateId: tree.users.agentA.id, deadline: isoIn(30), expectedEffect: 'Matrix' });
/** A fresh open action of team A, delegated to agent A. */
const actionA = async () => (await post('/api/v1/actions', tree.org.adminToken, actionBody())).id as string;
const doneActionA = async () => {
  const id = await actionA();
  await post(`/api/v1/actions/${id}/done`, tree.users.agentA.token, { note: 'Matrix', evidenceIds: [shared.conduct.evidenceId] });
  return id;
};
const evidenceFile = (): Partial<InjectOptions> => ({
  headers: { 'content-type': 'multipart/form-data; boundary=mx' },
  payload: `--mx\r\nContent-Disposition: form-data; name="title"\r\n\r\nMatrix file\r\n--mx\r\nContent-Disposition: form-data; name="unitId"\r\n\r\n${tree.units.teamA}\r\n`
    + '--mx\r\nContent-Disposition: form-data; name="file"; filename="m.txt"\r\nContent-Type: text/plain\r\n\r\nMatrix evidence\r\n--mx--\r\n',
});
/** Lead A's report subscription (made once, then the same one until it is stopped). */
const subscriptionOfLeadA = async () => {
  const mine = (await t.request({ method: 'GET', url: '/api/v1/reports/subscriptions', token: tree.users.leadA.token })).json().items;
  return (mine[0] ?? await post('/api/v1/reports/subscriptions', tree.users.leadA.token, { frequency: 'monthly' })).id as string;
};
/** A personal survey link (an invitation to a team-A customer), its token read from the outbox. */
const surveyInvitation = async () => {
  const email = `d${Math.random().toString(36).slice(2)}@customer.example`;
  const res = await post(`/api/v1/surveys/${shared.surveyId}/invitations`, tree.org.adminToken, { recipients: [{ email, unitId: tree.units.teamA }] });
  expect(res.invited).toBe(1);
  const [mail] = await t.ctx.db.select({ body: outbox.body }).from(outbox).where(eq(outbox.toAddress, email));
  return mail.body.match(/\/s\/(tdv_[A-Za-z0-9_-]+)/)![1];
};
const portalToken = async () => (await t.request({ method: 'POST', url: `/portal/api/complaints?org=${tree.org.slug}`, remoteAddress: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, payload: {
  name: CUSTOMER_A, email: `alpha.${Math.random().toString(36).slice(2)}@customer.example`, whatHappened: 'Charged twice.', desiredOutcome: 'Refund', preferredContact: 'email', needsSupport: false, website: '',
} })).json().token as string;
const surveyLink = async () => ((await post(`/api/v1/surveys/${shared.surveyId}/public-link`, tree.org.adminToken)).url as string).split('/').pop()!;

/** The policy: every route of the API, who may call it and on what. */
const policy: Record<string, Rule> = {
  'GET /api/v1/health': { expect: all('ok'), public: true },
  'POST /api/v1/auth/login': { expect: all('ok'), public: true, body: () => ({ email: tree.users.agentB.email, password: TEST_PASSWORD }) },
  'POST /api/v1/auth/logout': { expect: all('ok'), public: true },
  'GET /api/v1/auth/me': { expect: all('ok') },
  'GET /api/v1/tokens': { expect: all('ok') },
  'POST /api/v1/tokens': { expect: all('ok'), body: () => ({ name: 'matrix' }) },
  // A token of agent A: its owner and admins may revoke it; for anyone else it does not exist.
  'DELETE /api/v1/tokens/{id}': { expect: { ...all(404), admin: 'ok', agentA: 'ok' }, record: async () => (await post('/api/v1/tokens', tree.users.agentA.token, { name: 'm' })).id },
  'GET /api/v1/units': { expect: staffReaders },
  'POST /api/v1/units': { expect: roles('admin'), body: () => ({ name: `Unit ${Math.random()}`, kind: 'team', parentId: tree.units.regionA }) },
  'GET /api/v1/units/{id}': { expect: { ...inScope, agentA: 403, agentB: 403 }, record: async () => tree.units.teamA },
  'PATCH /api/v1/units/{id}': { expect: { ...roles('admin'), leadB: 403, agentB: 403 }, record: async () => tree.units.teamA, body: () => ({ name: 'North Complaints' }) },
  'GET /api/v1/users': { expect: staffReaders },
  'POST /api/v1/users': { expect: roles('admin'), body: () => ({ email: `m${Math.random().toString(36).slice(2)}@example.test`, name: 'M', role: 'agent', unitId: tree.units.teamA }) },
  'GET /api/v1/directory': { expect: all('ok') },
  'GET /api/v1/users/{id}': { expect: { ...inScope, agentA: 403, agentB: 403 }, record: async () => tree.users.agentA.id },
  'PATCH /api/v1/users/{id}': { expect: { ...roles('admin'), leadB: 403, agentB: 403 }, record: async () => tree.users.agentA.id, body: () => ({ name: 'agentA renamed' }) },
  'POST /api/v1/users/{id}/tokens': { expect: { ...roles('admin'), agentA: 'ok' }, record: async () => tree.users.agentA.id, body: () => ({ name: 'm' }) },
  'GET /api/v1/audit/verify': { expect: roles('admin', 'compliance', 'executive') },
  'POST /api/v1/cases': { expect: { ...all('ok'), executive: 403, leadB: 403, agentB: 403 }, body: () => ({ subject: 'New', description: 'New case', customer: { name: 'N' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id }) },
  'GET /api/v1/cases': { expect: all('ok') },
  'GET /api/v1/cases/counts': { expect: all('ok') },
  'GET /api/v1/cases/export.csv': { expect: all('ok') },
  'POST /api/v1/cases/detect': { expect: all('ok'), body: () => ({ text: 'I want to complain' }) },
  'GET /api/v1/cases/{id}': { expect: inScope, record: async () => shared.caseId },
  'PATCH /api/v1/cases/{id}': { expect: work, record: caseA, body: () => ({ subject: 'Changed' }) },
  'GET /api/v1/cases/{id}/events': { expect: inScope, record: async () => shared.caseId },
  'GET /api/v1/cases/{id}/messages': { expect: inScope, record: async () => shared.caseId },
  'POST /api/v1/cases/{id}/messages': { expect: note, record: async () => shared.caseId, body: () => ({ body: 'Matrix note', visibleToCustomer: false }) },
  'POST /api/v1/cases/{id}/transfers': { expect: work, record: caseA, body: () => ({ toUserId: tree.users.leadA.id, reason: 'Matrix' }) },
  'POST /api/v1/cases/{id}/reassign': { expect: { ...work, agentA: 403 }, record: caseA, body: () => ({ toUserId: tree.users.leadA.id, reason: 'Matrix' }) },
  'POST /api/v1/cases/{id}/resolve': { expect: work, record: caseA, body: () => ({ outcome: 'upheld', summary: 'Done' }) },
  'POST /api/v1/cases/{id}/reopen': { expect: work, record: resolvedCaseA, body: () => ({ reason: 'Again' }) },
  'POST /api/v1/cases/{id}/close': { expect: work, record: resolvedCaseA },
  'POST /api/v1/cases/{id}/pause': { expect: work, record: caseA },
  'POST /api/v1/cases/{id}/resume': { expect: work, record: caseA },
  'POST /api/v1/cases/{id}/attachments': { expect: note, record: async () => shared.caseId, raw: multipartFile },
  'GET /api/v1/cases/{id}/attachments': { expect: inScope, record: async () => shared.caseId },
  'GET /api/v1/attachments/{id}': { expect: inScope, record: async () => shared.attachmentId },
  'GET /api/v1/transfers': { expect: all('ok') },
  'GET /api/v1/transfers/{id}': { expect: inScope, record: async () => shared.transferId },
  // Only the addressee (lead A) accepts or declines; the sender (agent A), a lead above or an admin withdraws.
  'POST /api/v1/transfers/{id}/accept': { expect: { ...inScope, admin: 403, executive: 403, compliance: 403, regionLeadA: 403, agentA: 403 }, record: transferA },
  'POST /api/v1/transfers/{id}/decline': { expect: { ...inScope, admin: 403, executive: 403, compliance: 403, regionLeadA: 403, agentA: 403 }, record: transferA, body: () => ({ reason: 'No' }) },
  'POST /api/v1/transfers/{id}/cancel': { expect: work, record: transferA },
  // A lead of another unit cannot import into team A: the unit is refused as not theirs.
  'POST /api/v1/imports': { expect: { ...roles('admin', 'compliance', 'lead'), leadB: 422 }, query: '', raw: () => ({
    url: `/api/v1/imports?unitId=${tree.units.teamA}&columns=${encodeURIComponent(JSON.stringify({ subject: 'S', description: 'D', customerName: 'N' }))}`,
    headers: { 'content-type': 'text/csv' }, payload: 'S,D,N\nMatrix,Imported,Person\n',
  }) },
  'GET /api/v1/imports': { expect: roles('admin', 'compliance', 'lead') },
  // An import is seen by the organisation-wide importers and the lead who ran it; this one ran as admin.
  'GET /api/v1/imports/{id}': { expect: { ...roles('admin', 'compliance', 'lead'), regionLeadA: 404, leadA: 404, leadB: 404 }, record: async () => shared.importId },
  'GET /api/v1/import-mappings': { expect: roles('admin', 'compliance', 'lead') },
  'GET /api/v1/policies': { expect: all('ok') },
  'POST /api/v1/policies': { expect: roles('admin'), body: () => ({ key: `m-${Math.random().toString(36).slice(2, 10)}`, name: 'Matrix', clocks: shared.policy.clocks }) },
  'PUT /api/v1/policies/{key}': { expect: roles('admin'), record: async () => 'matrix-policy', body: () => ({ key: 'matrix-policy', name: 'Matrix', clocks: shared.policy.clocks }) },
  'GET /api/v1/settings/taxonomy': { expect: all('ok') },
  'GET /api/v1/settings/clocks': { expect: all('ok') },
  'PATCH /api/v1/settings/clocks': { expect: roles('admin'), body: () => ({}) },
  'POST /api/v1/cases/{id}/escalations': { expect: note, record: caseA, body: () => ({ reason: 'manual', note: 'Matrix' }) },
  'GET /api/v1/escalations': { expect: all('ok') },
  'GET /api/v1/escalations/{id}': { expect: inScope, record: async () => shared.escalationId },
  'POST /api/v1/escalations/{id}/acknowledge': { expect: { ...inScope, admin: 403, executive: 403, compliance: 403, regionLeadA: 403, agentA: 403 }, record: escalationA },
  'POST /api/v1/escalations/{id}/resolve': { expect: { ...inScope, admin: 403, executive: 403, compliance: 403, regionLeadA: 403, agentA: 403 }, record: escalationA, body: () => ({ resolution: 'Matrix', lesson: { rootCause: 'Errors', processChange: 'Matrix' } }) },
  'POST /api/v1/cases/{id}/decisions': { expect: work, record: caseA, body: () => ({ kind: 'refund', amount: 1, rationale: 'Matrix' }) },
  'GET /api/v1/decisions': { expect: all('ok') },
  'GET /api/v1/lessons': { expect: staffReaders },
  'PATCH /api/v1/lessons/{id}': { expect: { ...inScope, executive: 403, agentA: 403, agentB: 403 }, record: async () => shared.lessonId, body: () => ({ status: 'in_progress' }) },
  'GET /api/v1/units/{id}/ladder': { expect: { ...inScope, agentA: 403, agentB: 403 }, record: async () => tree.units.teamA },
  'PUT /api/v1/units/{id}/ladder': { expect: { ...roles('admin'), leadB: 403, agentB: 403 }, record: async () => tree.units.teamA, body: () => ({ rungs: [] }) },
  'GET /api/v1/notifications': { expect: all('ok') },
  // A notification of lead A: nobody else's business.
  'POST /api/v1/notifications/{id}/read': { expect: { ...all(404), leadA: 'ok' }, record: async () => {
    await escalationA();
    return (await t.request({ method: 'GET', url: '/api/v1/notifications', token: tree.users.leadA.token })).json().items[0].id;
  } },
  'GET /api/v1/notifications/preferences': { expect: all('ok') },
  'PUT /api/v1/notifications/preferences': { expect: all('ok'), body: () => ({ email: 'immediate' }) },
  'POST /api/v1/webhooks': { expect: roles('admin'), body: () => ({ url: 'http://127.0.0.1:9/matrix', events: ['*'] }) },
  'GET /api/v1/webhooks': { expect: roles('admin') },
  'DELETE /api/v1/webhooks/{id}': { expect: roles('admin'), record: async () => (await post('/api/v1/webhooks', tree.org.adminToken, { url: 'http://127.0.0.1:9/m', events: ['*'] })).id },
  'GET /api/v1/webhooks/{id}/deliveries': { expect: roles('admin'), record: async () => shared.webhookId },
  'GET /api/v1/letter-templates': { expect: all('ok') },
  'PUT /api/v1/letter-templates/{kind}': { expect: roles('admin', 'compliance'), record: async () => 'acknowledgement', body: () => ({ subject: 'Thanks — {{case.ref}}', body: 'Hello {{customer.name}}' }) },
  'POST /api/v1/cases/{id}/letters/preview': { expect: inScope, record: async () => shared.caseId, body: () => ({ kind: 'acknowledgement' }) },
  'POST /api/v1/cases/{id}/letters': { expect: work, record: caseA, body: () => ({ kind: 'acknowledgement' }) },
  'GET /api/v1/surveys': { expect: staffReaders },
  'POST /api/v1/surveys': { expect: roles('admin', 'compliance'), body: () => ({ name: 'Matrix survey', audience: 'customers', touchpoint: 'onboarding', template: 'customer_care' }) },
  'GET /api/v1/surveys/{id}': { expect: staffReaders, record: async () => shared.surveyId },
  'PATCH /api/v1/surveys/{id}': { expect: roles('admin', 'compliance'), record: async () => shared.surveyId, body: () => ({ name: 'Matrix survey' }) },
  'POST /api/v1/surveys/{id}/invitations': { expect: roles('admin', 'compliance'), record: async () => shared.surveyId, body: () => ({ recipients: [{ email: `r${Math.random().toString(36).slice(2)}@customer.example` }] }) },
  'POST /api/v1/surveys/{id}/invitations.csv': { expect: roles('admin', 'compliance'), record: async () => shared.surveyId, raw: () => ({ headers: { 'content-type': 'text/csv' }, payload: `email\nc${Math.random().toString(36).slice(2)}@customer.example\n` }) },
  'POST /api/v1/surveys/{id}/public-link': { expect: roles('admin', 'compliance'), record: async () => shared.surveyId },
  'DELETE /api/v1/surveys/{id}/public-link': { expect: roles('admin', 'compliance'), record: async () => shared.surveyId },
  'GET /api/v1/surveys/{id}/responses': { expect: roles('admin', 'compliance', 'executive', 'lead'), record: async () => shared.surveyId },
  'GET /api/v1/surveys/{id}/analytics': { expect: roles('admin', 'compliance', 'executive', 'lead'), record: async () => shared.surveyId },
  'GET /s/api/{token}': { expect: all('ok'), public: true, record: surveyLink },
  'POST /s/api/{token}': { expect: all('ok'), public: true, record: surveyLink, body: () => ({ answers: {} }) },
  'GET /portal/api/products': { expect: all('ok'), public: true, query: '' },
  'POST /portal/api/complaints': { expect: all('ok'), public: true, body: () => ({ name: 'P', email: `p.${Math.random().toString(36).slice(2)}@customer.example`, whatHappened: 'Charged twice.', desiredOutcome: 'Refund', preferredContact: 'email', needsSupport: false, website: '' }) },
  'GET /portal/api/status/{token}': { expect: all('ok'), public: true, record: portalToken },
  'POST /portal/api/status/{token}/messages': { expect: all('ok'), public: true, record: portalToken, body: () => ({ body: 'Any news?' }) },
  'POST /portal/api/status/{token}/documents': { expect: all('ok'), public: true, record: portalToken, raw: multipartFile },
  'POST /portal/api/status/{token}/manager': { expect: all('ok'), public: true, record: portalToken, body: () => ({}) },
  'PUT /api/v1/settings/portal': { expect: roles('admin'), body: () => ({ unitId: tree.units.teamA }) },
  'PUT /api/v1/cases/{id}/legal-hold': { expect: { ...roles('admin', 'compliance') }, record: caseA, body: () => ({ hold: true, reason: 'Matrix' }) },
  'GET /api/v1/retention/report': { expect: roles('admin', 'compliance') },
  'POST /api/v1/customer-data/export': { expect: roles('admin', 'compliance'), body: () => ({ email: 'alpha@customer.example' }) },
  'POST /api/v1/customer-data/erase': { expect: roles('admin', 'compliance'), body: () => ({ email: 'alpha@customer.example', reason: 'Matrix' }) },

  // Surveys: results are read by the staff who read reports (leads: the responses of their subtree only); agents none.
  'GET /api/v1/surveys/recovery': { expect: reportReaders },
  'GET /api/v1/surveys/{id}/responses.csv': { expect: reportReaders, record: async () => shared.surveyId },
  'GET /api/v1/surveys/{id}/verbatims': { expect: reportReaders, record: async () => shared.surveyId },
  // A respondent's draft, through their personal link.
  'PUT /s/api/{token}/draft': { expect: all('ok'), public: true, record: surveyInvitation, body: () => ({ answers: {} }) },

  // Conduct catalogue: the organisation's frameworks and practices are read by everyone; compliance and admins shape them.
  'GET /api/v1/frameworks': { expect: all('ok') },
  'POST /api/v1/frameworks': { expect: conductManagers, body: () => ({ name: `Matrix ${Math.random()}`, outcomes: [{ key: 'care', title: 'Care' }] }) },
  'GET /api/v1/frameworks/presets': { expect: all('ok') },
  'GET /api/v1/frameworks/{id}': { expect: all('ok'), record: async () => shared.conduct.presetId },
  'PATCH /api/v1/frameworks/{id}': { expect: conductManagers, record: async () => shared.conduct.presetId, body: () => ({ description: 'Matrix' }) },
  'GET /api/v1/practices': { expect: all('ok') },
  'POST /api/v1/practices': { expect: conductManagers, body: () => ({ frameworkId: shared.conduct.presetId, outcomeKey: shared.conduct.outcomeKey, title: 'Matrix practice', guidance: 'Matrix', unitKinds: ['division'] }) },
  // Lessons on the practice page are filtered to the caller's scope; agents get none.
  'GET /api/v1/practices/{id}': { expect: all('ok'), record: async () => shared.conduct.practiceId },
  'PATCH /api/v1/practices/{id}': { expect: conductManagers, record: async () => shared.conduct.practiceId, body: () => ({ guidance: 'Matrix guidance' }) },
  // Not applicable to team A: said by a lead of team A (or above), compliance or an admin; a lead elsewhere is refused the unit.
  'POST /api/v1/practices/{id}/not-applicable': { expect: conductWork, record: async () => shared.conduct.practiceId, body: () => ({ unitId: tree.units.teamA, justification: 'Matrix' }) },
  'POST /api/v1/practices/{id}/applicable': { expect: conductWork, record: async () => shared.conduct.practiceId, body: () => ({ unitId: tree.units.teamA }) },
  // Settings: compliance and admins change them; executives may read them (read-only oversight); leads and agents need not.
  'GET /api/v1/conduct/settings': { expect: roles('admin', 'compliance', 'executive') },
  'PATCH /api/v1/conduct/settings': { expect: conductManagers, body: () => ({}) },

  // Cycles are organisation-wide campaigns: everyone may read one (its cell counts are progress figures);
  // status, heat map, signals and trend are computed for the caller's subtree (CONDUCT_API.md: "everyone; leads/agents see their subtree").
  'GET /api/v1/cycles': { expect: all('ok') },
  'POST /api/v1/cycles': { expect: conductManagers, body: () => ({ frameworkId: shared.conduct.frameworkId, name: `Matrix ${Math.random()}`, opensAt: isoIn(-1), dueAt: isoIn(30), unitIds: [tree.units.teamA], carryForward: false }) },
  'GET /api/v1/cycles/{id}': { expect: all('ok'), record: async () => shared.conduct.cycleId },
  'PATCH /api/v1/cycles/{id}': { expect: conductManagers, record: async () => shared.conduct.cycleId, body: () => ({ name: 'Matrix cycle' }) },
  'POST /api/v1/cycles/{id}/close': { expect: conductManagers, record: openCycle },
  // Asked for team A: a unit outside one's subtree is refused (403, the conduct rule), not silently widened or emptied.
  'GET /api/v1/cycles/{id}/status': { expect: conductScope, raw: () => ({ url: `/api/v1/cycles/${shared.conduct.cycleId}/status?unitId=${tree.units.teamA}` }) },
  'GET /api/v1/cycles/{id}/heatmap': { expect: all('ok'), record: async () => shared.conduct.cycleId },
  'GET /api/v1/cycles/{id}/signals': { expect: conductScope, raw: () => ({ url: `/api/v1/cycles/${shared.conduct.cycleId}/signals?unitId=${tree.units.teamA}` }) },
  // The daily company-wide points go to the organisation-wide roles only; the per-cycle headline is the caller's subtree.
  'GET /api/v1/cycles/{id}/trend': { expect: all('ok'), record: async () => shared.conduct.cycleId },
  // Board exports: report readers (a lead's is their subtree); agents none.
  'GET /api/v1/cycles/{id}/export.pdf': { expect: reportReaders, record: async () => shared.conduct.cycleId },
  'GET /api/v1/cycles/{id}/export.csv': { expect: reportReaders, record: async () => shared.conduct.cycleId },
  'GET /api/v1/conduct/summary': { expect: conductScope, raw: () => ({ url: `/api/v1/conduct/summary?unitId=${tree.units.teamA}` }) },

  // Assessments (cells): read within scope; self-assessed by the leads above the unit (and compliance/admin); reviewed only by compliance/admin.
  'GET /api/v1/assessments': { expect: all('ok') },
  'POST /api/v1/assessments': { expect: conductManagers, body: () => ({ cycleId: shared.conduct.cycleId, practiceId: shared.conduct.practiceId, unitId: tree.units.teamA }) },
  'GET /api/v1/assessments/{id}': { expect: conductScope, record: async () => shared.conduct.assessmentId },
  'PATCH /api/v1/assessments/{id}': { expect: conductWork, record: async () => shared.conduct.assessmentId, body: () => ({ rationale: 'Matrix draft' }) },
  'POST /api/v1/assessments/{id}/submit': { expect: conductWork, record: cellA, body: () => ({ selfScore: 4, rationale: 'Matrix' }) },
  'POST /api/v1/assessments/{id}/review': { expect: conductManagers, record: submittedCellA, body: () => ({ decision: 'approve' }) },
  'POST /api/v1/assessments/{id}/not-applicable': { expect: conductWork, record: cellA, body: () => ({ justification: 'Matrix' }) },
  'POST /api/v1/assessments/{id}/reopen': { expect: conductManagers, record: notApplicableCellA, body: () => ({ comment: 'It applies' }) },
  // The cell's evidence set is the assessor's (replacing it can drop what others cited): agents add evidence
  // to their unit's cells through POST /evidence with assessmentIds instead, which only adds.
  'PUT /api/v1/assessments/{id}/evidence': { expect: conductWork, record: async () => shared.conduct.assessmentId, body: () => ({ evidenceIds: [shared.conduct.evidenceId] }) },
  'GET /api/v1/assessments/{id}/events': { expect: conductScope, record: async () => shared.conduct.assessmentId },

  // Evidence: read within scope; added by anyone of the unit but the read-only executive; edited by its owner (agent A), a lead of the unit or compliance.
  'GET /api/v1/evidence': { expect: all('ok') },
  'POST /api/v1/evidence': { expect: evidenceWork, body: () => ({ kind: 'note', title: 'Matrix note', unitId: tree.units.teamA, note: 'Matrix' }) },
  'POST /api/v1/evidence/files': { expect: evidenceWork, raw: evidenceFile },
  'GET /api/v1/evidence/{id}': { expect: conductScope, record: async () => shared.conduct.evidenceId },
  'PATCH /api/v1/evidence/{id}': { expect: evidenceWork, record: async () => shared.conduct.evidenceId, body: () => ({ title: 'Matrix note' }) },
  'GET /api/v1/evidence/{id}/file': { expect: conductScope, record: async () => shared.conduct.fileEvidenceId },

  // Actions: read within scope (or by their delegate); created and changed by leads in scope, compliance, admins;
  // marked done by the delegate (agent A), a lead in scope or compliance; verified and reopened by compliance/admin.
  'GET /api/v1/actions': { expect: all('ok') },
  'POST /api/v1/actions': { expect: conductWork, body: actionBody },
  'GET /api/v1/actions/{id}': { expect: conductScope, record: async () => shared.conduct.actionId },
  'PATCH /api/v1/actions/{id}': { expect: conductWork, record: async () => shared.conduct.actionId, body: () => ({ priority: 'high' }) },
  'POST /api/v1/actions/{id}/done': { expect: evidenceWork, record: actionA, body: () => ({ note: 'Matrix', evidenceIds: [shared.conduct.evidenceId] }) },
  'POST /api/v1/actions/{id}/verify': { expect: conductManagers, record: doneActionA, body: () => ({ comment: 'Matrix' }) },
  'POST /api/v1/actions/{id}/reopen': { expect: conductManagers, record: doneActionA, body: () => ({ comment: 'Again' }) },
  'GET /api/v1/actions/{id}/events': { expect: conductScope, record: async () => shared.conduct.actionId },

  // Reports: admins, executives and compliance the whole organisation; leads their subtree; agents none.
  'GET /api/v1/reports/executive': { expect: reportReaders },
  // Asked for team A: a lead of another unit is told no such unit (404, as for every out-of-scope record outside conduct).
  'GET /api/v1/reports/executive.pdf': { expect: { ...reportReaders, leadB: 404 }, raw: () => ({ url: `/api/v1/reports/executive.pdf?unitId=${tree.units.teamA}` }) },
  // Commentary is written by those who sign the report off; leads read it in the report.
  'PUT /api/v1/reports/executive/commentary': { expect: roles('admin', 'executive', 'compliance'), raw: () => ({ url: `/api/v1/reports/executive/commentary?from=${dateIn(-30)}&to=${dateIn(0)}` }), body: () => ({ headline: 'Matrix', risks: '', actions: '' }) },
  'GET /api/v1/reports/complaints': { expect: { ...reportReaders, leadB: 404 }, raw: () => ({ url: `/api/v1/reports/complaints?unitId=${tree.units.teamA}` }) },
  'GET /api/v1/reports/emerging-issues': { expect: reportReaders },
  // The regulatory return is the firm's: not for leads.
  'GET /api/v1/reports/complaints-return': { expect: roles('admin', 'executive', 'compliance'), raw: () => ({ url: `/api/v1/reports/complaints-return?from=${dateIn(-30)}&to=${dateIn(0)}` }) },
  'GET /api/v1/reports/complaints-return.csv': { expect: roles('admin', 'executive', 'compliance'), raw: () => ({ url: `/api/v1/reports/complaints-return.csv?from=${dateIn(-30)}&to=${dateIn(0)}` }) },
  'GET /api/v1/reports/subscriptions': { expect: reportReaders },
  'POST /api/v1/reports/subscriptions': { expect: reportReaders, body: () => ({ frequency: 'weekly' }) },
  // Lead A's subscription: lead A and admins stop it; to other report readers it does not exist; agents have no reports.
  'DELETE /api/v1/reports/subscriptions/{id}': { expect: { ...all(404), admin: 'ok', leadA: 'ok', agentA: 403, agentB: 403 }, record: subscriptionOfLeadA },
};

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t, 'Matrix Bank');
  fx = { tree, t, token: (p) => (p === 'admin' ? tree.org.adminToken : tree.users[p].token) };
  expect((await t.request({ method: 'PUT', url: '/api/v1/settings/portal', token: tree.org.adminToken, payload: { unitId: tree.units.teamA } })).statusCode).toBe(200);
  const caseId = await caseA();
  const caseRef = (await t.request({ method: 'GET', url: `/api/v1/cases/${caseId}`, token: tree.org.adminToken })).json().ref;
  const attachmentId = (await post(`/api/v1/cases/${caseId}/attachments`, tree.users.agentA.token, undefined, multipartFile())).id;
  const resolved = await escalationA();
  await post(`/api/v1/escalations/${resolved}/resolve`, tree.users.leadA.token, { resolution: 'Matrix', lesson: { rootCause: 'Errors', processChange: 'Matrix change' } });
  const lessonId = (await t.request({ method: 'GET', url: '/api/v1/lessons', token: tree.org.adminToken })).json().items[0].id;
  const importId = (await post(`/api/v1/imports?unitId=${tree.units.teamA}&columns=${encodeURIComponent(JSON.stringify({ subject: 'S', description: 'D', customerName: 'N' }))}`, tree.org.adminToken, 'S,D,N\nA,Imported,Person\n', { headers: { 'content-type': 'text/csv' } })).id;
  const webhookId = (await post('/api/v1/webhooks', tree.org.adminToken, { url: 'http://127.0.0.1:9/matrix', events: ['*'] })).id;
  const surveyId = (await post('/api/v1/surveys', tree.org.adminToken, { name: 'Matrix survey', audience: 'customers', touchpoint: 'onboarding', template: 'customer_care' })).id;
  expect((await t.request({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, token: tree.org.adminToken, payload: { status: 'live' } })).statusCode).toBe(200);
  const policies = (await t.request({ method: 'GET', url: '/api/v1/policies', token: tree.org.adminToken })).json();
  const preset = (policies.items ?? policies).find((p: { key: string }) => p.key === 'standard');
  const clocks = preset.clocks;
  shared = { caseId, caseRef, attachmentId, lessonId, importId, webhookId, surveyId, escalationId: await escalationA(), transferId: await transferA(), policy: { clocks }, conduct: undefined! };
  await post('/api/v1/policies', tree.org.adminToken, { key: 'matrix-policy', name: 'Matrix', clocks });

  // Conduct: the Consumer Duty preset with a cycle over teams A and B, the matrix's own one-practice framework for fresh cells,
  // evidence of team A added by agent A (a note cited by the team-A cell, and a file), and an action of team A delegated to agent A.
  const dutyPreset = await post('/api/v1/frameworks', tree.org.adminToken, { preset: 'consumer-duty' });
  const teamPractices = (dutyPreset.practices as { id: string; unitKinds: string[] }[]).filter((p) => p.unitKinds.includes('team'));
  expect(teamPractices.length).toBeGreaterThan(1);
  const own = await post('/api/v1/frameworks', tree.org.adminToken, { name: 'Matrix framework', outcomes: [{ key: 'care', title: 'Care' }] });
  const cellPractice = await post('/api/v1/practices', tree.org.adminToken, { frameworkId: own.id, outcomeKey: 'care', title: 'Matrix cell', guidance: 'Matrix', unitKinds: ['team'] });
  const cycle = await post('/api/v1/cycles', tree.org.adminToken, { frameworkId: dutyPreset.id, name: 'Matrix preset cycle', opensAt: isoIn(-1), dueAt: isoIn(60), unitIds: [tree.units.teamA, tree.units.teamB] });
  const cells = (await t.request({ method: 'GET', url: `/api/v1/assessments?cycleId=${cycle.id}&unitId=${tree.units.teamA}&practiceId=${teamPractices[1].id}`, token: tree.org.adminToken })).json().items;
  expect(cells).toHaveLength(1);
  shared.conduct = {
    presetId: dutyPreset.id, outcomeKey: dutyPreset.outcomes[0].key, practiceId: teamPractices[0].id, frameworkId: own.id, cellPracticeId: cellPractice.id,
    cycleId: cycle.id, assessmentId: cells[0].id, evidenceId: '', fileEvidenceId: '', actionId: '',
  };
  shared.conduct.evidenceId = (await post('/api/v1/evidence', tree.users.agentA.token, { kind: 'note', title: 'Matrix note', unitId: tree.units.teamA, note: 'Matrix', assessmentIds: [cells[0].id] })).id;
  shared.conduct.fileEvidenceId = (await post('/api/v1/evidence/files', tree.users.agentA.token, undefined, evidenceFile())).id;
  shared.conduct.actionId = await actionA();
}, 120_000);
afterAll(() => t?.close());

async function openApiRoutes() {
  const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
  return Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, documentedPublic: Array.isArray(op.security) && op.security.length === 0 })));
}

async function call(route: { method: string; path: string }, rule: Rule, token: string | undefined) {
  const id = rule.record ? await rule.record(fx) : undefined;
  const url = route.path.replace(/\{(id|key|kind|token)\}/, id ?? '');
  const raw = rule.raw?.(fx) ?? {};
  return t.request({
    method: route.method as 'GET', url: raw.url ?? url, token,
    ...(rule.body ? { payload: rule.body(fx) as object } : {}),
    ...raw,
    ...(raw.url ? { url: raw.url } : {}),
  });
}

const passedAuthorization = (status: number) => status < 300 || status === 409 || status === 422 || status === 202;

describe('authorization matrix', () => {
  it('every route of the API has a policy entry', async () => {
    const missing = (await openApiRoutes()).filter((r) => !policy[r.key]).map((r) => r.key);
    expect(missing, `add an entry to the policy table in test/authorization-matrix.test.ts for: ${missing.join(', ')}`).toEqual([]);
    const documented = new Set((await openApiRoutes()).map((r) => r.key));
    const stale = Object.keys(policy).filter((k) => !documented.has(k));
    expect(stale, 'policy entries for routes that no longer exist').toEqual([]);
  });

  it('public routes are exactly those the policy says, and the OpenAPI document says so too', async () => {
    for (const r of await openApiRoutes()) {
      if (!policy[r.key]) continue;
      expect(r.documentedPublic, `${r.key}: OpenAPI security`).toBe(Boolean(policy[r.key].public) && r.key !== 'POST /api/v1/auth/logout');
    }
  });

  it('every role and unit scope gets the status its policy says, on every route', async () => {
    const failures: string[] = [];
    for (const route of await openApiRoutes()) {
      const rule = policy[route.key];
      if (!rule) continue;
      const anonymous = await call(route, rule, undefined);
      if (rule.public ? !passedAuthorization(anonymous.statusCode) : anonymous.statusCode !== 401) {
        failures.push(`${route.key} without credentials: expected ${rule.public ? 'ok' : 401}, got ${anonymous.statusCode} ${anonymous.body.slice(0, 120)}`);
      }
      // Refusals first: they must change nothing, so the allowed calls after them see the same state.
      const ordered = [...personas].sort((a, b) => Number(rule.expect[a] === 'ok') - Number(rule.expect[b] === 'ok'));
      for (const persona of ordered) {
        const res = await call(route, rule, fx.token(persona));
        const want = rule.expect[persona];
        const got = res.statusCode;
        const ok = want === 'ok' ? passedAuthorization(got) : got === want;
        if (!ok || got >= 500) failures.push(`${route.key} as ${persona} (${roleOf[persona]}, ${scopeOf[persona]}): expected ${want}, got ${got} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 300_000);

  it('a public token opens only its own record, and a forged or unknown one is a 404', async () => {
    for (const url of ['/portal/api/status/tdp_forged-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '/s/api/tdv_forged-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
    const token = await portalToken();
    const status = await t.request({ method: 'GET', url: `/portal/api/status/${token}` });
    expect(status.statusCode).toBe(200);
    // Staff credentials add nothing to a public route: the same answer, no internal fields.
    const asAdmin = await t.request({ method: 'GET', url: `/portal/api/status/${token}`, token: tree.org.adminToken });
    expect(asAdmin.body).toBe(status.body);
    for (const internal of ['ownerId', 'unitId', 'organisationId', 'vulnerable', 'description', 'internal']) expect(status.body).not.toContain(`"${internal}"`);
  });

  it('the conduct trend\'s daily points are company-wide figures: only the organisation-wide roles get them', async () => {
    await snapshotConductStatus(t.ctx);
    for (const persona of personas) {
      const res = await t.request({ method: 'GET', url: `/api/v1/cycles/${shared.conduct.cycleId}/trend`, token: fx.token(persona) });
      expect(res.statusCode, persona).toBe(200);
      expect(res.json().points.length, persona).toBe(['admin', 'executive', 'compliance'].includes(roleOf[persona]) ? 1 : 0);
    }
  });

  it('lists and exports for another unit never contain team A records, and staff lists leak no secrets', async () => {
    const teamA = [shared.caseId, shared.caseRef, shared.escalationId, shared.transferId, shared.attachmentId, CUSTOMER_A,
      shared.conduct.assessmentId, shared.conduct.evidenceId, shared.conduct.fileEvidenceId, shared.conduct.actionId];
    const lists = (await openApiRoutes()).filter((r) => r.method === 'GET' && !r.path.includes('{') && !policy[r.key]?.public);
    for (const persona of ['leadB', 'agentB'] as const) {
      for (const route of lists) {
        const res = await t.request({ method: 'GET', url: route.path, token: fx.token(persona) });
        if (res.statusCode >= 300) continue;
        for (const value of teamA) expect(res.body.includes(value), `${route.key} as ${persona} shows ${value}`).toBe(false);
      }
    }
    for (const persona of personas) {
      for (const route of lists) {
        const body = (await t.request({ method: 'GET', url: route.path, token: fx.token(persona) })).body;
        for (const field of ['passwordHash', 'password_hash', 'tokenHash', 'token_hash', '"secret"']) expect(body.includes(field), `${route.key} as ${persona} shows ${field}`).toBe(false);
        expect(body).not.toMatch(/td[kspv]_[A-Za-z0-9_-]{40}/);
      }
    }
  });
});
