import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { surveyAudiences, surveyStatuses } from '../db/schema/index.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { AppError } from '../server/errors.js';
import { overallRecovery, surveyAnalytics } from './survey-analytics.service.js';
import { questionsSchema, surveySettingsSchema, surveyTemplates } from './survey-rules.js';
import { listResponses, responsesCsv, searchVerbatims } from './survey-responses.service.js';
import {
  createPublicLink, createSurvey, getSurvey, inviteToSurvey, listSurveys, publicSurvey, recipientsFromCsv, removePublicLink, saveDraft, submitResponse, updateSurvey,
} from './survey.service.js';
import { pageQuery } from '../server/pagination.js';

const tags = ['surveys'];
const surveyView = z.object({
  id: z.string(), name: z.string(), audience: z.enum(surveyAudiences), touchpoint: z.string(), status: z.enum(surveyStatuses), version: z.number(),
  settings: z.record(z.string(), z.unknown()), questions: z.array(z.record(z.string(), z.unknown())), invited: z.number(), responded: z.number(),
  hasPublicLink: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});
const touchpoint = z.string().trim().min(1).max(60);
const createBody = z.object({
  name: z.string().trim().min(1).max(200), audience: z.enum(surveyAudiences), touchpoint,
  questions: questionsSchema.optional(), template: z.enum(['customer_care', 'adviser']).optional(),
  settings: surveySettingsSchema.partial().optional(),
}).strict().refine((b) => b.questions || b.template, { message: 'give questions or a template', path: ['questions'] });
const recipient = z.object({
  email: z.string().trim().email().max(254), name: z.string().trim().max(200).optional(), unitId: z.string().uuid().optional(),
  product: z.string().max(120).optional(), channel: z.string().max(40).optional(), caseId: z.string().uuid().optional(), adviserFirm: z.string().max(200).optional(),
}).strict();

export const surveyRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/surveys', {
    schema: { summary: 'Care and trust surveys', tags, response: { 200: z.object({ items: z.array(surveyView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listSurveys(ctx, actorOf(req)), nextCursor: null }));

  app.post('/surveys', {
    schema: { summary: 'Create a survey from questions or a template (customer_care, adviser)', tags, body: createBody, response: { 201: surveyView } },
  }, async (req, reply) => {
    const { template, questions, ...rest } = req.body;
    return reply.status(201).send(await createSurvey(ctx, actorOf(req), { ...rest, questions: questions ?? surveyTemplates[template!] }));
  });

  app.get('/surveys/recovery', {
    schema: {
      summary: 'Closed-loop recovery rate across surveys: of followed-up respondents who answered again later, the share whose answer improved', tags,
      response: { 200: z.object({ followUps: z.number(), answeredAgain: z.number(), improved: z.number(), rate: z.number().nullable() }) },
    },
  }, async (req) => overallRecovery(ctx, actorOf(req)));

  app.get('/surveys/:id', {
    schema: { summary: 'One survey with its current questions', tags, params: idParam, response: { 200: surveyView } },
  }, async (req) => getSurvey(ctx, actorOf(req), req.params.id));

  app.patch('/surveys/:id', {
    schema: {
      summary: 'Edit or publish a survey; editing a live survey makes a new version (answers keep theirs)', tags, params: idParam,
      body: z.object({ name: z.string().trim().min(1).max(200).optional(), touchpoint: touchpoint.optional(), questions: questionsSchema.optional(), settings: surveySettingsSchema.partial().optional(), status: z.enum(surveyStatuses).optional() }).strict(),
      response: { 200: surveyView },
    },
  }, async (req) => updateSurvey(ctx, actorOf(req), req.params.id, req.body));

  app.post('/surveys/:id/invitations', {
    schema: {
      summary: 'Invite people by e-mail with single-use links; those surveyed recently are skipped', tags, params: idParam,
      body: z.object({ recipients: z.array(recipient).min(1).max(5000) }).strict(),
      response: { 201: z.object({ invited: z.number(), skipped: z.array(z.object({ email: z.string(), reason: z.string() })) }) },
    },
  }, async (req, reply) => reply.status(201).send(await inviteToSurvey(ctx, actorOf(req), req.params.id, req.body.recipients)));

  app.post('/surveys/:id/invitations.csv', {
    bodyLimit: 5 * 1024 * 1024,
    schema: {
      summary: 'Invite the recipients of a CSV file (text/csv; columns email, name, unit, product, case). Every row is checked first', tags, params: idParam,
      body: z.string().nullish(), response: { 201: z.object({ invited: z.number(), skipped: z.array(z.object({ email: z.string(), reason: z.string() })) }) },
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    await getSurvey(ctx, actor, req.params.id); // another organisation's survey is a 404 whatever the file
    if (!req.body) throw new AppError('validation_failed', 'Send the CSV file as the request body (text/csv)', [{ path: 'body', message: 'empty' }]);
    const recipients = await recipientsFromCsv(ctx, actor, req.body);
    return reply.status(201).send(await inviteToSurvey(ctx, actor, req.params.id, recipients));
  });

  app.post('/surveys/:id/public-link', {
    schema: { summary: 'Make (or replace) an anonymous link anyone may answer through; shown once', tags, params: idParam, response: { 201: z.object({ url: z.string() }) } },
  }, async (req, reply) => reply.status(201).send(await createPublicLink(ctx, actorOf(req), req.params.id)));

  app.delete('/surveys/:id/public-link', {
    schema: { summary: 'Stop the anonymous link', tags, params: idParam, response: { 204: z.null() } },
  }, async (req, reply) => {
    await removePublicLink(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/surveys/:id/responses', {
    schema: { summary: 'Responses in scope, newest first', tags, params: idParam, querystring: pageQuery, response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().nullable() }) } },
  }, async (req) => listResponses(ctx, actorOf(req), req.params.id, req.query));

  app.get('/surveys/:id/responses.csv', {
    schema: { summary: 'Every response in scope as CSV (segment, scores, sentiment, each question)', tags, params: idParam, produces: ['text/csv'], response: { 200: z.string() } },
  }, async (req, reply) => {
    const csv = await responsesCsv(ctx, actorOf(req), req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="survey-${req.params.id}-responses.csv"`).send(csv);
  });

  app.get('/surveys/:id/verbatims', {
    schema: {
      summary: 'Search what respondents wrote (text, sentiment, unit); nothing is shown for a segment below the anonymity threshold', tags, params: idParam,
      querystring: pageQuery.extend({ q: z.string().trim().max(200).optional(), sentiment: z.enum(['negative', 'neutral', 'positive']).optional(), unitId: z.string().uuid().optional() }),
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.string(), createdAt: z.string(), text: z.string(), sentiment: z.number(), sentimentLabel: z.enum(['negative', 'neutral', 'positive']), keyPhrases: z.array(z.string()),
            care: z.number().nullable(), nps: z.number().nullable(), unitId: z.string().nullable(), unitName: z.string().nullable(),
          })),
          nextCursor: z.string().nullable(), n: z.number(), hidden: z.boolean(), threshold: z.number(),
        }),
      },
    },
  }, async (req) => searchVerbatims(ctx, actorOf(req), req.params.id, req.query));

  app.get('/surveys/:id/analytics', {
    schema: {
      summary: 'NPS with its margin, means with intervals, care → propensity correlation (Spearman, Pearson, Fisher-z), drivers, units against the whole, trend', tags, params: idParam,
      querystring: z.object({ from: z.string().datetime({ offset: true }).optional(), to: z.string().datetime({ offset: true }).optional(), unitId: z.string().uuid().optional(), minN: z.coerce.number().int().min(1).max(1000).optional() }),
      response: { 200: z.record(z.string(), z.unknown()) },
    },
  }, async (req) => surveyAnalytics(ctx, actorOf(req), req.params.id, req.query));
};

/** The respondent's side: `/s/:token` pages call these; no account, single-use links. */
export const publicSurveyRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const tokenParam = z.object({ token: z.string().min(10).max(100) });
  const answersBody = z.object({ answers: z.record(z.string().max(40), z.union([z.number(), z.string().max(5000), z.array(z.string().max(80)).max(20), z.null()])) }).strict();
  app.get('/:token', {
    config: { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: { summary: 'The questions of a survey link', tags, security: [], params: tokenParam, querystring: z.object({ lang: z.string().max(10).optional() }), response: { 200: z.record(z.string(), z.unknown()) } },
  }, async (req) => publicSurvey(ctx, req.params.token, req.query.lang, req.headers['accept-language']));

  app.put('/:token/draft', {
    config: { public: true, rateLimit: { max: 120, timeWindow: '10 minutes' } },
    bodyLimit: 64 * 1024,
    schema: {
      summary: 'Save the answers so far (personal links); checked like an answer but nothing is required yet; never counted', tags, security: [], params: tokenParam,
      body: answersBody, response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await saveDraft(ctx, req.params.token, req.body.answers);
    return reply.status(204).send(null);
  });

  app.post('/:token', {
    config: { public: true, rateLimit: { max: 30, timeWindow: '10 minutes' } },
    bodyLimit: 64 * 1024,
    schema: {
      summary: 'Answer a survey (once per link); a score out of range or a missing required answer is a 422', tags, security: [], params: tokenParam,
      body: answersBody,
      response: { 201: z.object({ id: z.string(), followUp: z.boolean() }) },
    },
  }, async (req, reply) => reply.status(201).send(await submitResponse(ctx, req.params.token, req.body.answers)));
};
