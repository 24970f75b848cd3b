import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { actionRoutes } from './action.routes.js';
import { assessmentRoutes } from './assessment.routes.js';
import { catalogueRoutes } from './catalogue.routes.js';
import { cycleRoutes } from './cycle.routes.js';
import { evidenceRoutes } from './evidence.routes.js';

/** Conduct improvement: frameworks, practices, cycles, assessments, evidence, actions (CONDUCT_API.md). */
export const conductRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  await app.register(catalogueRoutes(ctx));
  await app.register(cycleRoutes(ctx));
  await app.register(assessmentRoutes(ctx));
  await app.register(evidenceRoutes(ctx));
  await app.register(actionRoutes(ctx));
};
