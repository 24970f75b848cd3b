import { uploadsRoot } from '../storage/file-store.js';
import fs from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { AppContext } from '../context.js';
import { AppError } from '../server/errors.js';
import { outboxState } from './health.service.js';
import { operatorAccess } from './operator.js';

/** /metrics is for operators only (see operatorAccess): a 401 without the token, a 403 from elsewhere. */
function authorise(req: FastifyRequest, token: string | undefined) {
  const access = operatorAccess(req, token);
  if (access === 'bad_token') throw new AppError('unauthenticated', 'Send the metrics token: "Authorization: Bearer <TRUSTDESK_METRICS_TOKEN>"');
  if (access === 'not_local') throw new AppError('forbidden', 'Metrics are served to this machine only; set TRUSTDESK_METRICS_TOKEN to scrape from elsewhere');
}

/** Prometheus text metrics at GET /metrics: HTTP traffic, background work, queues and backlogs, the pool, the process. */
export function registerMetrics(app: FastifyInstance, ctx: AppContext) {
  const registry = new client.Registry();
  const registers = [registry];
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

  const httpRequests = new client.Counter({ name: 'trustdesk_http_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames: ['method', 'route', 'status'], registers });
  const httpDuration = new client.Histogram({ name: 'trustdesk_http_request_duration_seconds', help: 'Time to answer an HTTP request', labelNames: ['method', 'route', 'status'], buckets: seconds, registers });
  // Route patterns (/api/v1/cases/:id), never raw URLs, so the number of series stays small.
  app.addHook('onResponse', async (req, reply) => {
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  const stepRuns = new client.Counter({ name: 'trustdesk_job_step_runs_total', help: 'Background work steps run by this process', labelNames: ['step'], registers });
  const stepFailures = new client.Counter({ name: 'trustdesk_job_step_failures_total', help: 'Background work steps that failed (retried on the next run)', labelNames: ['step'], registers });
  const stepDuration = new client.Histogram({ name: 'trustdesk_job_step_duration_seconds', help: 'Time one background work step took', labelNames: ['step'], buckets: seconds, registers });
  ctx.ops?.jobs.onStep(({ step, seconds: took, error }) => {
    stepRuns.inc({ step });
    stepDuration.observe({ step }, took);
    if (error !== undefined) stepFailures.inc({ step });
  });

  const gauge = (name: string, help: string, labelNames: string[] = []) => new client.Gauge({ name, help, labelNames, registers });
  const databaseUp = gauge('trustdesk_database_up', '1 when the database answered the last scrape, else 0');
  const outboxQueued = gauge('trustdesk_outbox_queued_messages', 'E-mails waiting to be sent');
  const outboxRetrying = gauge('trustdesk_outbox_retrying_messages', 'Queued e-mails whose last attempt failed');
  const outboxFailed = gauge('trustdesk_outbox_failed_messages', 'E-mails given up on after every retry');
  const outboxOldest = gauge('trustdesk_outbox_oldest_queued_seconds', 'Age of the oldest queued e-mail (0 when none)');
  const openCases = gauge('trustdesk_cases_open', 'Cases open or waiting on the customer');
  const clocksDue = gauge('trustdesk_clocks_due', 'Clock warnings and deadlines that are due and not yet processed by the sweep');
  const escalationsOpen = gauge('trustdesk_escalations_unacknowledged', 'Escalations not yet acknowledged');
  const pool = gauge('trustdesk_db_pool_connections', 'PostgreSQL pool: connections by state, and requests waiting for one', ['state']);
  const storageFree = gauge('trustdesk_storage_free_bytes', 'Free space where uploads are written');

  async function refresh() {
    const now = ctx.clock.now();
    try {
      const [counts] = await ctx.database.query<{ open_cases: number; clocks_due: number; escalations_open: number }>(
        `SELECT (SELECT count(*) FROM organisations g JOIN cases c ON c.organisation_id = g.id AND c.status IN ('open', 'waiting_customer'))::int AS open_cases,
                (SELECT count(*) FROM case_clocks WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1)::int AS clocks_due,
                (SELECT count(*) FROM escalations WHERE state = 'open')::int AS escalations_open`, [now]);
      const mail = await outboxState(ctx, now);
      databaseUp.set(1);
      openCases.set(counts.open_cases);
      clocksDue.set(counts.clocks_due);
      escalationsOpen.set(counts.escalations_open);
      outboxQueued.set(mail.queued);
      outboxRetrying.set(mail.retrying);
      outboxFailed.set(mail.failed);
      outboxOldest.set(mail.oldestQueuedSeconds ?? 0);
    } catch {
      databaseUp.set(0); // the other figures keep their last values; alert on this one
    }
    const stats = ctx.database.poolStats?.();
    if (stats) {
      pool.set({ state: 'total' }, stats.total);
      pool.set({ state: 'idle' }, stats.idle);
      pool.set({ state: 'waiting' }, stats.waiting);
      pool.set({ state: 'max' }, stats.max);
    }
    try {
      const s = await fs.statfs(uploadsRoot(ctx.config));
      storageFree.set(Number(s.bavail) * Number(s.bsize));
    } catch { /* the folder is made on the first upload */ }
  }

  // Process metrics (memory, CPU, event loop lag, GC) are set up on the first scrape, so the many
  // apps a test run builds do not each start their own monitors.
  let defaultsOn = false;
  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    authorise(req, ctx.config.metricsToken);
    if (!defaultsOn) {
      client.collectDefaultMetrics({ register: registry });
      defaultsOn = true;
    }
    await refresh();
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(await registry.metrics());
  });
}
