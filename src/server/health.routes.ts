import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { checkHealth } from '../ops/health.service.js';
import { operatorAccess } from '../ops/operator.js';

const message = z.string().optional();
const healthView = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  database: z.enum(['embedded', 'postgres']),
  checks: z.object({
    database: z.object({ status: z.enum(['ok', 'down']), message }),
    smtp: z.object({
      status: z.enum(['ok', 'degraded', 'down', 'disabled', 'unknown']),
      queued: z.number().int().nullable(), retrying: z.number().int().nullable(), failed: z.number().int().nullable(),
      oldestQueuedSeconds: z.number().int().nullable(), message,
    }),
    storage: z.object({ status: z.enum(['ok', 'degraded']), freeBytes: z.number().nullable(), message }),
    jobs: z.object({ status: z.enum(['ok', 'degraded', 'disabled']), lastRunAt: z.string().nullable(), message }),
  }),
  problems: z.array(z.string()).optional(),
});

export const healthRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: {
      summary: 'Liveness and dependency status',
      description: '200 while the database answers: `status` is `ok`, or `degraded` when SMTP, file storage or '
        + 'background work needs attention (the process still serves). 503 with `status: "down"` only when the database '
        + 'cannot be reached, so a load balancer takes the process out of rotation only then. Messages, queue sizes and free '
        + 'space are shown to operators only (this machine, or the TRUSTDESK_METRICS_TOKEN bearer token).',
      tags: ['system'], security: [],
      response: { 200: healthView, 503: healthView },
    },
  }, async (req, reply) => {
    const report = await checkHealth(ctx, operatorAccess(req, ctx.config.metricsToken) === 'ok');
    // Never cached: a load balancer or monitor must see the state now.
    reply.header('cache-control', 'no-store');
    return reply.status(report.status === 'down' ? 503 : 200).send(report);
  });
};
