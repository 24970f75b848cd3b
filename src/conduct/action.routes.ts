import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { pageSchema } from '../server/pagination.js';
import { actionEvents, completeAction, createAction, getAction, listActions, reopenAction, updateAction, verifyAction } from './action.service.js';
import { actionListQuery, actionView, commentBody, createActionBody, doneBody, eventsView, updateActionBody, verifyBody } from './conduct.schemas.js';
import { checkEvidenceReadable } from './evidence.service.js';

const tags = ['conduct'];

export const actionRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/actions', {
    schema: { summary: 'Improvement actions in your scope or delegated to you, nearest deadline first ("mine", "overdue")', tags, querystring: actionListQuery, response: { 200: pageSchema(actionView) } },
  }, async (req) => listActions(ctx, actorOf(req), req.query));

  app.post('/actions', {
    schema: { summary: 'Create an improvement action (manually, from an escalation lesson with lessonId, or from an alert)', tags, body: createActionBody, response: { 201: actionView } },
  }, async (req, reply) => {
    const { alert, ...body } = req.body;
    const source = alert ? { kind: 'alert' as const, alertId: alert.key, detail: alert.detail } : undefined;
    return reply.status(201).send(await createAction(ctx, actorOf(req), { ...body, deadline: new Date(body.deadline), source }));
  });

  app.get('/actions/:id', { schema: { summary: 'One action (403 outside your units unless delegated to you)', tags, params: idParam, response: { 200: actionView } } }, async (req) => getAction(ctx, actorOf(req), req.params.id));

  app.patch('/actions/:id', {
    schema: { summary: 'Change an open action (a new deadline restarts its reminders)', tags, params: idParam, body: updateActionBody, response: { 200: actionView } },
  }, async (req) => updateAction(ctx, actorOf(req), req.params.id, { ...req.body, deadline: req.body.deadline ? new Date(req.body.deadline) : undefined }));

  app.post('/actions/:id/done', {
    schema: { summary: 'Mark done, with evidence of the change (at least one)', tags, params: idParam, body: doneBody, response: { 200: actionView } },
  }, async (req) => completeAction(ctx, actorOf(req), req.params.id, req.body, checkEvidenceReadable));

  app.post('/actions/:id/verify', {
    schema: { summary: 'Compliance verifies the effect, optionally with a re-score of the cell', tags, params: idParam, body: verifyBody, response: { 200: actionView } },
  }, async (req) => verifyAction(ctx, actorOf(req), req.params.id, req.body));

  app.post('/actions/:id/reopen', {
    schema: { summary: 'Compliance sends a done action back', tags, params: idParam, body: commentBody, response: { 200: actionView } },
  }, async (req) => reopenAction(ctx, actorOf(req), req.params.id, req.body.comment));

  app.get('/actions/:id/events', { schema: { summary: 'The action\'s history, oldest first', tags, params: idParam, response: { 200: eventsView } } }, async (req) => ({ items: await actionEvents(ctx, actorOf(req), req.params.id) }));
};
