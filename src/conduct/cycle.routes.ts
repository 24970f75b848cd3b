import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { cycleListQuery, cycleView, createCycleBody, heatmapView, signalsView, statusView, summaryView, trendView, updateCycleBody } from './conduct.schemas.js';
import { closeCycle, createCycle, getCycle, listCycles, updateCycle } from './cycle.service.js';
import { cycleCsv, cycleReportPdf } from './export.service.js';
import { cycleSignals } from './signals.service.js';
import { conductStatusForReport, cycleStatus, heatmap, trend } from './status-score.service.js';
import { findCycle } from './cycle.service.js';

const tags = ['conduct'];
const unitQuery = z.object({ unitId: z.string().uuid().optional() });

export const cycleRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/cycles', {
    schema: { summary: 'Assessment cycles, newest first, with their cells counted by state', tags, querystring: cycleListQuery, response: { 200: z.object({ items: z.array(cycleView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listCycles(ctx, actorOf(req), req.query), nextCursor: null }));

  app.post('/cycles', {
    schema: { summary: 'Open a cycle: practices × units; each cell starts from the last cycle\'s answer (carryForward)', tags, body: createCycleBody, response: { 201: cycleView } },
  }, async (req, reply) => reply.status(201).send(await createCycle(ctx, actorOf(req), { ...req.body, opensAt: new Date(req.body.opensAt), dueAt: new Date(req.body.dueAt) })));

  app.get('/cycles/:id', { schema: { summary: 'One cycle', tags, params: idParam, response: { 200: cycleView } } }, async (req) => getCycle(ctx, actorOf(req), req.params.id));

  app.patch('/cycles/:id', {
    schema: { summary: 'Rename a cycle or move its due date', tags, params: idParam, body: updateCycleBody, response: { 200: cycleView } },
  }, async (req) => updateCycle(ctx, actorOf(req), req.params.id, { name: req.body.name, dueAt: req.body.dueAt ? new Date(req.body.dueAt) : undefined }));

  app.post('/cycles/:id/close', { schema: { summary: 'Close a cycle: its cells are final', tags, params: idParam, response: { 200: cycleView } } }, async (req) => closeCycle(ctx, actorOf(req), req.params.id));

  app.get('/cycles/:id/status', {
    schema: {
      summary: 'Status score of a scope (company by default): capped when a critical practice fails anywhere; every red cell, worst first; drill-down children; overdue actions by owner',
      tags, params: idParam, querystring: unitQuery, response: { 200: statusView },
    },
  }, async (req) => cycleStatus(ctx, actorOf(req), req.params.id, req.query.unitId));

  app.get('/cycles/:id/heatmap', {
    schema: { summary: 'Units × practices or outcomes', tags, params: idParam, querystring: z.object({ by: z.enum(['practice', 'outcome']).default('practice'), level: z.enum(['division', 'region', 'team']).optional() }), response: { 200: heatmapView } },
  }, async (req) => heatmap(ctx, actorOf(req), req.params.id, req.query.by, req.query.level));

  app.get('/cycles/:id/signals', {
    schema: { summary: 'Complaint volume and upheld rate per unit and practice (category → practice mapping), care scores, and flags where a strong self-assessment meets many upheld complaints', tags, params: idParam, querystring: unitQuery, response: { 200: signalsView } },
  }, async (req) => cycleSignals(ctx, actorOf(req), req.params.id, req.query.unitId));

  app.get('/cycles/:id/trend', {
    schema: { summary: 'Daily snapshots of this cycle and the headline of every cycle of its framework', tags, params: idParam, response: { 200: trendView } },
  }, async (req) => trend(ctx, actorOf(req), req.params.id));

  app.get('/cycles/:id/export.pdf', {
    schema: { summary: 'Board report (PDF): outcomes with scores, red cells, actions with owners and deadlines', tags, params: idParam },
  }, async (req, reply) => {
    const cycle = await findCycle(ctx.db, actorOf(req).organisationId, req.params.id);
    const pdf = await cycleReportPdf(ctx, actorOf(req), cycle.id);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="conduct-${cycle.name.replace(/[^\w-]+/g, '-')}.pdf"`).send(pdf);
  });

  app.get('/cycles/:id/export.csv', {
    schema: { summary: 'The cycle as CSV, one row per cell', tags, params: idParam },
  }, async (req, reply) => {
    const cycle = await findCycle(ctx.db, actorOf(req).organisationId, req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="conduct-${cycle.name.replace(/[^\w-]+/g, '-')}.csv"`).send(await cycleCsv(ctx, actorOf(req), cycle.id));
  });

  app.get('/conduct/summary', {
    schema: { summary: 'The latest cycle\'s headline (score, cap, weakest unit, red cells, overdue actions), or null', tags, querystring: unitQuery, response: { 200: summaryView } },
  }, async (req) => conductStatusForReport(ctx, actorOf(req), req.query));
};
