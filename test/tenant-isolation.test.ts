import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../src/db/schema/index.js';
import { globalTables } from '../src/db/tenant.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Unique keys that may leave out the organisation: secrets looked up before the tenant is
 * known (a session cookie, an API token), which are random and globally unique anyway.
 */
const globallyUniqueSecrets = new Set(['api_tokens.token_hash', 'portal_tokens.token_hash', 'survey_invitations.token_hash', 'survey_invitations.reminder_token_hash', 'surveys.public_token_hash', 'survey_responses.invitation_id']);
/** Indexes for the one lookup that precedes knowing the tenant: sign-in by e-mail. */
const crossTenantIndexes = new Set(['users_email_idx']);
/**
 * GIN full-text indexes cannot lead with a uuid without the btree_gin extension; queries always
 * also filter on organisation_id, which the planner combines with them.
 */
const fullTextIndexes = new Set(['cases_search_idx', 'cases_active_search_idx']);
/** The clock sweep is one system job over every organisation: its index is ordered by time alone. */
const systemSweepIndexes = new Set(['case_clocks_due_idx', 'escalations_ack_due_idx', 'survey_invitations_send_idx', 'conduct_actions_reminder_due_idx', 'survey_responses_unanalysed_idx']);

const tables = Object.values(schema).filter((v) => is(v, PgTable)).map((t) => getTableConfig(t as PgTable));

describe('every tenant table carries its organisation', () => {
  it.each(tables.filter((t) => !globalTables.has(t.name)).map((t) => [t.name, t] as const))('%s', (_name, table) => {
    const column = table.columns.find((c) => c.name === 'organisation_id');
    expect(column, `${table.name} has no organisation_id`).toBeDefined();
    expect(column!.notNull).toBe(true);
    for (const index of table.indexes.filter((i) => !crossTenantIndexes.has(i.config.name ?? '') && !fullTextIndexes.has(i.config.name ?? '') && !systemSweepIndexes.has(i.config.name ?? ''))) {
      const columns = index.config.columns.map((c) => ('name' in c ? c.name : ''));
      expect(columns[0], `index ${index.config.name} should lead with organisation_id`).toBe('organisation_id');
    }
    for (const column of table.columns.filter((c) => c.isUnique)) {
      expect(globallyUniqueSecrets.has(`${table.name}.${column.name}`), `${table.name}.${column.name} is unique across organisations`).toBe(true);
    }
  });
});

let t: TestApp;
let a: OrgTree;
let b: OrgTree;
let bTokenId: string;
let bCaseId: string;
let bTransferId: string;
let bImportId: string;
let bEscalationId: string;
let bLessonId: string;
let bNotificationId: string;
let bWebhookId: string;
let bAttachmentId: string;
let bSurveyId: string;
let bConduct: { frameworkId: string; practiceId: string; cycleId: string; assessmentId: string; evidenceId: string; actionId: string };
let bSubscriptionId: string;

beforeAll(async () => {
  t = await createTestApp();
  a = await buildOrgTree(t, 'Alpha Bank');
  b = await buildOrgTree(t, 'Beta Insurance');
  bTokenId = (await t.request({ method: 'POST', url: '/api/v1/tokens', token: b.org.adminToken, payload: { name: 'b' } })).json().id;
  const bCase = await t.request({ method: 'POST', url: '/api/v1/cases', token: b.org.adminToken, payload: {
    subject: 'Beta case', description: 'Beta customer complaint', customer: { name: 'Beta Customer' }, unitId: b.units.teamA,
  } });
  bCaseId = bCase.json().id;
  bImportId = (await t.request({ method: 'POST', url: `/api/v1/imports?unitId=${b.units.teamA}&columns=${encodeURIComponent(JSON.stringify({ subject: 'S', description: 'D', customerName: 'N' }))}`, token: b.org.adminToken, headers: { 'content-type': 'text/csv' }, payload: 'S,D,N\nBeta,Beta complaint,Beta person\n' })).json().id;
  const bEscalation = (await t.request({ method: 'POST', url: `/api/v1/cases/${bCaseId}/escalations`, token: b.users.agentA.token, payload: { reason: 'manual', note: 'Beta' } })).json();
  const bResolved = (await t.request({ method: 'POST', url: `/api/v1/cases/${bCaseId}/escalations`, token: b.users.agentA.token, payload: { reason: 'manual', note: 'Beta 2' } })).json();
  await t.request({ method: 'POST', url: `/api/v1/escalations/${bResolved.id}/resolve`, token: b.users.regionLeadA.token, payload: { resolution: 'Beta', lesson: { rootCause: 'Errors', processChange: 'Beta change' } } });
  bEscalationId = bEscalation.id;
  bLessonId = (await t.request({ method: 'GET', url: '/api/v1/lessons', token: b.org.adminToken })).json().items[0].id;
  bNotificationId = (await t.request({ method: 'GET', url: '/api/v1/notifications', token: b.users.regionLeadA.token })).json().items[0].id;
  bWebhookId = (await t.request({ method: 'POST', url: '/api/v1/webhooks', token: b.org.adminToken, payload: { url: 'http://127.0.0.1:9/beta', events: ['*'] } })).json().id;
  const boundary = 'tenant-boundary';
  bAttachmentId = (await t.request({
    method: 'POST', url: `/api/v1/cases/${bCaseId}/attachments`, token: b.org.adminToken,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="beta.txt"\r\nContent-Type: text/plain\r\n\r\nBeta notes\r\n--${boundary}--\r\n`,
  })).json().id;
  bSurveyId = (await t.request({ method: 'POST', url: '/api/v1/surveys', token: b.org.adminToken, payload: { name: 'Beta survey', audience: 'customers', touchpoint: 'onboarding', template: 'customer_care' } })).json().id;
  const bPost = async (url: string, payload: object) => (await t.request({ method: 'POST', url: `/api/v1${url}`, token: b.org.adminToken, payload })).json();
  const bFramework = await bPost('/frameworks', { name: 'Beta conduct', outcomes: [{ key: 'support', title: 'Beta support' }] });
  const bPractice = await bPost('/practices', { frameworkId: bFramework.id, outcomeKey: 'support', title: 'Beta practice', guidance: 'Beta guidance', unitKinds: ['team'] });
  const bCycle = await bPost('/cycles', { frameworkId: bFramework.id, name: 'Beta cycle', opensAt: '2026-03-01T00:00:00Z', dueAt: '2026-06-01T00:00:00Z' });
  const bAssessmentId = (await t.request({ method: 'GET', url: `/api/v1/assessments?cycleId=${bCycle.id}`, token: b.org.adminToken })).json().items[0].id;
  const bEvidence = await bPost('/evidence', { kind: 'note', title: 'Beta note', unitId: b.units.teamA, note: 'Beta evidence' });
  const bAction = await bPost('/actions', { title: 'Beta action', practiceId: bPractice.id, unitId: b.units.teamA, delegateId: b.users.leadA.id, deadline: '2026-12-01T00:00:00Z', expectedEffect: 'Beta effect' });
  bConduct = { frameworkId: bFramework.id, practiceId: bPractice.id, cycleId: bCycle.id, assessmentId: bAssessmentId, evidenceId: bEvidence.id, actionId: bAction.id };
  bSubscriptionId = (await t.request({ method: 'POST', url: '/api/v1/reports/subscriptions', token: b.org.adminToken, payload: { frequency: 'weekly' } })).json().id;
  bTransferId = (await t.request({ method: 'POST', url: `/api/v1/cases/${bCaseId}/transfers`, token: b.org.adminToken, payload: { toUserId: b.users.agentB.id, reason: 'Beta' } })).json().id;
});
afterAll(() => t?.close());

describe('an admin of one organisation gets 404 for every record of another', () => {
  /** For each path parameter `{id}` in the OpenAPI document, a record of organisation B. */
  const recordOfB = (path: string): string | undefined => {
    if (path.startsWith('/api/v1/units/')) return b.units.teamA;
    if (path.startsWith('/api/v1/users/')) return b.users.agentA.id;
    if (path.startsWith('/api/v1/tokens/')) return bTokenId;
    if (path.startsWith('/api/v1/cases/')) return bCaseId;
    if (path.startsWith('/api/v1/transfers/')) return bTransferId;
    if (path.startsWith('/api/v1/imports/')) return bImportId;
    if (path.startsWith('/api/v1/escalations/')) return bEscalationId;
    if (path.startsWith('/api/v1/lessons/')) return bLessonId;
    if (path.startsWith('/api/v1/notifications/')) return bNotificationId;
    if (path.startsWith('/api/v1/webhooks/')) return bWebhookId;
    if (path.startsWith('/api/v1/attachments/')) return bAttachmentId;
    if (path.startsWith('/api/v1/surveys/')) return bSurveyId;
    if (path.startsWith('/api/v1/frameworks/')) return bConduct.frameworkId;
    if (path.startsWith('/api/v1/practices/')) return bConduct.practiceId;
    if (path.startsWith('/api/v1/cycles/')) return bConduct.cycleId;
    if (path.startsWith('/api/v1/assessments/')) return bConduct.assessmentId;
    if (path.startsWith('/api/v1/evidence/')) return bConduct.evidenceId;
    if (path.startsWith('/api/v1/actions/')) return bConduct.actionId;
    if (path.startsWith('/api/v1/reports/subscriptions/')) return bSubscriptionId;
    return undefined;
  };

  /** A body that would be accepted for a record of one's own organisation, so only ownership can refuse it. */
  const validBodyFor = (method: string, path: string): object | undefined => {
    const bodies: Record<string, object> = {
      'POST /api/v1/users/{id}/tokens': { name: 'Hijacked' },
      'POST /api/v1/cases/{id}/messages': { body: 'Hijacked', visibleToCustomer: false },
      'POST /api/v1/cases/{id}/transfers': { toUserId: a.users.agentA.id, reason: 'Hijacked' },
      'POST /api/v1/cases/{id}/reassign': { toUserId: a.users.agentA.id, reason: 'Hijacked' },
      'POST /api/v1/cases/{id}/resolve': { outcome: 'upheld', summary: 'Hijacked' },
      'POST /api/v1/cases/{id}/reopen': { reason: 'Hijacked' },
      'POST /api/v1/cases/{id}/escalations': { reason: 'manual', note: 'Hijacked' },
      'POST /api/v1/cases/{id}/decisions': { kind: 'refund', amount: 1, rationale: 'Hijacked' },
      'POST /api/v1/transfers/{id}/decline': { reason: 'Hijacked' },
      'POST /api/v1/escalations/{id}/resolve': { resolution: 'Hijacked', lesson: { rootCause: 'Errors', processChange: 'Hijacked' } },
      'PATCH /api/v1/cases/{id}': { subject: 'Hijacked' },
      'PATCH /api/v1/units/{id}': { name: 'Hijacked' },
      'PATCH /api/v1/users/{id}': { name: 'Hijacked' },
      'PATCH /api/v1/lessons/{id}': { status: 'done' },
      'PUT /api/v1/units/{id}/ladder': { rungs: [] },
      'POST /api/v1/cases/{id}/letters': { kind: 'acknowledgement' },
      'POST /api/v1/cases/{id}/letters/preview': { kind: 'acknowledgement' },
      'POST /api/v1/surveys/{id}/invitations': { recipients: [{ email: 'hijack@example.test' }] },
      'PATCH /api/v1/surveys/{id}': { name: 'Hijacked' },
      'PATCH /api/v1/frameworks/{id}': { name: 'Hijacked' },
      'PATCH /api/v1/practices/{id}': { title: 'Hijacked' },
      'POST /api/v1/practices/{id}/not-applicable': { unitId: a.units.teamA, justification: 'Hijacked' },
      'POST /api/v1/practices/{id}/applicable': { unitId: a.units.teamA },
      'PATCH /api/v1/cycles/{id}': { name: 'Hijacked' },
      'PATCH /api/v1/assessments/{id}': { rationale: 'Hijacked' },
      'POST /api/v1/assessments/{id}/submit': { selfScore: 3, rationale: 'Hijacked' },
      'POST /api/v1/assessments/{id}/review': { decision: 'approve' },
      'POST /api/v1/assessments/{id}/not-applicable': { justification: 'Hijacked' },
      'POST /api/v1/assessments/{id}/reopen': { comment: 'Hijacked' },
      'PUT /api/v1/assessments/{id}/evidence': { evidenceIds: [] },
      'PATCH /api/v1/evidence/{id}': { title: 'Hijacked' },
      'PATCH /api/v1/actions/{id}': { title: 'Hijacked' },
      'POST /api/v1/actions/{id}/done': { note: 'Hijacked', evidenceIds: [] },
      'POST /api/v1/actions/{id}/verify': { comment: 'Hijacked' },
      'POST /api/v1/actions/{id}/reopen': { comment: 'Hijacked' },
      'PUT /api/v1/cases/{id}/legal-hold': { hold: true, reason: 'Hijacked' },
    };
    return bodies[`${method} ${path}`];
  };

  it('for every route with an id', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes('{id}'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })));
    expect(routes.length).toBeGreaterThan(3);
    for (const { path, method } of routes) {
      const id = recordOfB(path);
      expect(id, `no record of organisation B mapped for ${path}: add one here`).toBeDefined();
      const payload = method === 'GET' || method === 'DELETE' ? undefined : validBodyFor(method, path);
      const res = await t.request({ method: method as 'GET', url: path.replace('{id}', id!), token: a.org.adminToken, payload });
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.body).not.toContain('Beta');
    }
  });

  it('lists never include another organisation', async () => {
    for (const url of ['/api/v1/units?limit=500', '/api/v1/users?limit=500', '/api/v1/cases?limit=500', '/api/v1/transfers', '/api/v1/cases/export.csv', '/api/v1/escalations', '/api/v1/lessons', '/api/v1/decisions', '/api/v1/notifications', '/api/v1/imports', '/api/v1/webhooks', '/api/v1/surveys', '/api/v1/frameworks', '/api/v1/practices', '/api/v1/cycles', '/api/v1/assessments?limit=500', '/api/v1/evidence?limit=500', '/api/v1/actions?limit=500', '/api/v1/conduct/summary', '/api/v1/retention/report', '/api/v1/reports/subscriptions', '/api/v1/reports/executive', '/api/v1/reports/complaints']) {
      const res = await t.request({ method: 'GET', url, token: a.org.adminToken });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(b.org.id);
      expect(res.body).not.toContain(b.org.slug);
    }
  });

  it('cannot create records that point into another organisation', async () => {
    const unit = await t.request({ method: 'POST', url: '/api/v1/units', token: a.org.adminToken, payload: { name: 'X', kind: 'team', parentId: b.units.regionA } });
    expect(unit.statusCode).toBe(422);
    const user = await t.request({ method: 'POST', url: '/api/v1/users', token: a.org.adminToken, payload: { email: 'x@example.test', name: 'X', role: 'agent', unitId: b.units.teamA } });
    expect(user.statusCode).toBe(422);
  });

  it('history verification covers only the caller’s organisation', async () => {
    const before = (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: a.org.adminToken })).json();
    await t.database.query("UPDATE history_events SET data = '{}' WHERE organisation_id = $1", [b.org.id]);
    const after = (await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: a.org.adminToken })).json();
    expect(after).toEqual(before);
    expect((await t.request({ method: 'GET', url: '/api/v1/audit/verify', token: b.org.adminToken })).json().ok).toBe(false);
  });
});
