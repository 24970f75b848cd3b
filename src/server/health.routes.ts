import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';

export const healthRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: {
      summary: 'Liveness and dependency status', tags: ['system'], security: [],
      response: {
        200: z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']) }),
        503: z.object({ status: z.literal('degraded'), database: z.enum(['embedded', 'postgres']), problems: z.array(z.string()) }),
      },
    },
  }, async (_req, reply) => {
    try {
      await ctx.db.execute(sql`SELECT 1`);
      return { status: 'ok' as const, database: ctx.database.kind };
    } catch (err) {
      return reply.status(503).send({ status: 'degraded' as const, database: ctx.database.kind, problems: [`database: ${(err as Error).message}`] });
    }
  });
};
