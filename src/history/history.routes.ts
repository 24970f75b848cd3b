import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { actorOf } from '../server/authenticate.js';
import { verifyHistory } from './history.service.js';

export const historyRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/audit/verify', {
    schema: {
      summary: "Recompute every hash of the organisation's tamper-evident history", tags: ['audit'],
      response: {
        200: z.object({
          ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().optional(),
          problems: z.array(z.object({ eventId: z.number().optional(), stream: z.string().optional(), seq: z.number().optional(), problem: z.string() })),
        }),
      },
    },
  }, async (req) => {
    const actor = actorOf(req);
    requireRole(actor, 'admin', 'compliance', 'executive');
    return verifyHistory(ctx.db, actor.organisationId);
  });
};
