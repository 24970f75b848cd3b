import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../src/jobs/maintenance.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let tree: OrgTree;
const TOKEN = 'scrape-me-if-you-can-0123456789';

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t);
});
afterAll(() => t?.close());

/**
 * Parses the Prometheus text format strictly: every line is a comment (# HELP / # TYPE) or a
 * sample `name{label="value",…} number`, every sample's family is declared by a # TYPE line.
 * Returns the samples by `name{labels}`.
 */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(comment[3]);
        types.set(comment[2], comment[3]);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]?Inf)$/i.exec(line); // Prometheus reads NaN and Inf in any case (prom-client writes "Nan")
    expect(sample, `not a Prometheus sample: ${line}`).not.toBeNull();
    const family = sample![1].replace(/_(bucket|sum|count|total|created)$/, '');
    expect(types.has(sample![1]) || types.has(family), `no # TYPE for ${sample![1]}`).toBe(true);
    samples.set(`${sample![1]}${sample![2] ?? ''}`, Number(sample![3]));
  }
  return samples;
}

async function scrape(headers: Record<string, string> = {}) {
  const res = await t.request({ method: 'GET', url: '/metrics', headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return parseMetrics(res.body);
}

const value = (m: Map<string, number>, key: string) => m.get(key) ?? 0;
const createdKey = 'trustdesk_http_requests_total{method="POST",route="/api/v1/cases",status="201"}';

describe('GET /metrics', () => {
  it('is Prometheus text that moves with traffic, background work and the queues', async () => {
    const before = await scrape();
    for (const name of ['trustdesk_cases_open', 'trustdesk_clocks_due', 'trustdesk_escalations_unacknowledged', 'trustdesk_outbox_queued_messages',
      'trustdesk_outbox_oldest_queued_seconds', 'trustdesk_database_up', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(before.has(name), name).toBe(true);
    }
    expect(value(before, 'trustdesk_database_up')).toBe(1);
    if (t.database.kind === 'postgres') expect(value(before, 'trustdesk_db_pool_connections{state="max"}')).toBeGreaterThan(0);

    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.request({
        method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
        payload: { subject: `Metrics ${i}`, description: 'x', customer: { name: 'Ann', email: 'ann@customer.example' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id },
      });
      created.push(res.json().id);
    }
    await t.request({ method: 'GET', url: `/api/v1/cases/${created[0]}`, token: tree.org.adminToken });
    await t.request({ method: 'POST', url: `/api/v1/cases/${created[0]}/escalations`, token: tree.users.agentA.token, payload: { reason: 'manual', note: 'Please look' } });
    await tasks.frequent(t.ctx);
    t.clock.advance(60_000);

    const after = await scrape();
    expect(value(after, createdKey) - value(before, createdKey)).toBe(3);
    // Route patterns, not URLs: one series for every case read.
    expect(value(after, 'trustdesk_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    expect([...after.keys()].some((k) => k.includes(created[0]))).toBe(false);
    expect(value(after, 'trustdesk_cases_open') - value(before, 'trustdesk_cases_open')).toBe(3);
    expect(value(after, 'trustdesk_escalations_unacknowledged') - value(before, 'trustdesk_escalations_unacknowledged')).toBe(1);
    // No SMTP server configured here: the mail waits in the outbox, and its age shows.
    expect(value(after, 'trustdesk_outbox_queued_messages')).toBeGreaterThan(value(before, 'trustdesk_outbox_queued_messages'));
    expect(value(after, 'trustdesk_outbox_oldest_queued_seconds')).toBeGreaterThanOrEqual(60);
    for (const step of ['clock_sweep', 'escalation_reminders', 'outbox', 'webhooks']) {
      expect(value(after, `trustdesk_job_step_runs_total{step="${step}"}`), step).toBe(value(before, `trustdesk_job_step_runs_total{step="${step}"}`) + 1);
      expect(value(after, `trustdesk_job_step_duration_seconds_count{step="${step}"}`), step).toBeGreaterThanOrEqual(1);
    }
  });

  it('is served to this machine only, unless a token is configured, and then only with it', async () => {
    const remote = await t.request({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().error.code).toBe('forbidden');
    // The public health answer keeps the statuses and drops the detail.
    const health = await t.request({ method: 'GET', url: '/api/v1/health', remoteAddress: '203.0.113.9' });
    expect(health.json()).toMatchObject({ status: 'ok', checks: { storage: { status: 'ok', freeBytes: null } } });

    const withToken = await createTestApp({ env: { TRUSTDESK_METRICS_TOKEN: TOKEN } });
    try {
      const none = await withToken.request({ method: 'GET', url: '/metrics' });
      expect(none.statusCode).toBe(401);
      const wrong = await withToken.request({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN.replace('0', 'X')}` } });
      expect(wrong.statusCode).toBe(401);
      const right = await withToken.request({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(right.statusCode).toBe(200);
      expect(parseMetrics(right.body).has('trustdesk_database_up')).toBe(true);
    } finally {
      await withToken.close();
    }
  });
});
