import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { organisations } from '../db/schema/index.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { commentaryBody, commentaryQuery, commentaryView, saveCommentary } from './commentary.service.js';
import { complaintAnalytics } from './complaint-analytics.service.js';
import { complaintsReturn, complaintsReturnCsv, returnQuery } from './complaints-return.service.js';
import { emergingIssues } from './emerging-issues.service.js';
import { renderExecutiveReportPdf } from './executive-report.pdf.js';
import { executiveReport } from './executive-report.service.js';
import { periodQuery, resolveScope } from './report-scope.js';
import { listSubscriptions, subscribe, subscriptionBody, subscriptionView, unsubscribe } from './subscription.service.js';

const tags = ['reports'];

const indicator = z.object({
  key: z.string(), label: z.string(), value: z.number().nullable(), previous: z.number().nullable(), format: z.string(), better: z.enum(['up', 'down']),
  margin: z.number().nullable().optional(), link: z.string().nullable().optional(), note: z.string().nullable().optional(),
});
const executiveView = z.looseObject({
  period: z.object({ from: z.string(), to: z.string(), previousFrom: z.string(), previousTo: z.string() }),
  unit: z.object({ id: z.string(), name: z.string() }).nullable(),
  generatedAt: z.string(),
  indicators: z.array(indicator),
  complaints: z.any(),
  surveys: z.any(),
  conduct: z.any(),
  commentary: commentaryView.nullable(),
});
const issueView = z.object({
  key: z.string(), kind: z.enum(['volume', 'theme']), dimension: z.enum(['unit', 'product', 'category', 'theme']), value: z.string(), label: z.string(),
  current: z.number(), expected: z.number(), limit: z.number(), isNew: z.boolean(), window: z.object({ from: z.string(), to: z.string() }), method: z.string(), link: z.string(),
  action: z.object({ title: z.string(), description: z.string(), unitId: z.string().nullable(), suggestedPractice: z.string() }),
});

async function organisationName(ctx: AppContext, organisationId: string) {
  const [org] = await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, organisationId));
  return org?.name ?? '';
}

export const reportRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/reports/executive', {
    schema: { summary: 'The executive trust report as JSON (admins, executives, compliance: the company or a unit; leads: their subtree)', tags, querystring: periodQuery, response: { 200: executiveView } },
  }, async (req) => executiveReport(ctx, actorOf(req), req.query));

  app.get('/reports/executive.pdf', {
    schema: { summary: 'The executive trust report as a one-page PDF, with its commentary', tags, querystring: periodQuery },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const report = await executiveReport(ctx, actor, req.query);
    const pdf = await renderExecutiveReportPdf(report, await organisationName(ctx, actor.organisationId));
    return reply.type('application/pdf')
      .header('content-disposition', `attachment; filename="executive-report-${report.period.from}-${report.period.to}.pdf"`).send(pdf);
  });

  app.put('/reports/executive/commentary', {
    schema: { summary: 'Save the commentary of one period and unit (executives, compliance, admins); it appears in the PDF', tags, querystring: commentaryQuery, body: commentaryBody, response: { 200: commentaryView } },
  }, async (req) => saveCommentary(ctx, actorOf(req), req.query, req.body));

  app.get('/reports/complaints', {
    schema: { summary: 'Complaint analytics: volumes, turnaround, clocks, outcomes, redress, escalations, breakdowns and ageing; each figure with the case list behind it', tags, querystring: periodQuery, response: { 200: z.looseObject({ current: z.any() }) } },
  }, async (req) => {
    const scope = await resolveScope(ctx, actorOf(req), req.query);
    return { scope: { from: scope.from, to: scope.to, unitId: scope.unitId, unitName: scope.unitName }, ...(await complaintAnalytics(ctx.db, scope, ctx.clock.now(), ctx.database.kind === 'postgres')) };
  });

  app.get('/reports/emerging-issues', {
    schema: { summary: 'Unusual rises (unit, product, category) and new or rising themes in complaint text, each with what an improvement action needs', tags, querystring: periodQuery, response: { 200: z.object({ asOf: z.string(), items: z.array(issueView) }) } },
  }, async (req) => emergingIssues(ctx, actorOf(req), req.query));

  app.get('/reports/complaints-return', {
    schema: { summary: 'The regulatory complaints return (FCA DISP 1.10) and a CFPB-style summary, as JSON', tags, querystring: returnQuery, response: { 200: z.looseObject({ rows: z.array(z.any()) }) } },
  }, async (req) => complaintsReturn(ctx, actorOf(req), req.query));

  app.get('/reports/complaints-return.csv', {
    schema: { summary: 'The regulatory complaints return as CSV', tags, querystring: returnQuery },
  }, async (req, reply) => {
    const result = await complaintsReturn(ctx, actorOf(req), req.query);
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="complaints-return-${result.period.from}-${result.period.to}.csv"`).send(complaintsReturnCsv(result));
  });

  app.get('/reports/subscriptions', {
    schema: { summary: 'Report subscriptions: mine (admins: everyone\'s)', tags, response: { 200: z.object({ items: z.array(subscriptionView) }) } },
  }, async (req) => ({ items: await listSubscriptions(ctx, actorOf(req)) }));

  app.post('/reports/subscriptions', {
    schema: { summary: 'Receive the executive report weekly or monthly by e-mail, PDF attached (admins may subscribe others)', tags, body: subscriptionBody, response: { 201: subscriptionView } },
  }, async (req, reply) => reply.status(201).send(await subscribe(ctx, actorOf(req), req.body)));

  app.delete('/reports/subscriptions/:id', {
    schema: { summary: 'Stop a report subscription', tags, params: idParam, response: { 204: z.null() } },
  }, async (req, reply) => {
    await unsubscribe(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
};
