import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { decisionKinds, decisionStates, escalationReasons, escalationStates, failureTypes, lessonStatuses } from '../db/schema/index.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { commaList } from '../server/query-params.js';
import { recordDecision, listDecisions } from './decision.service.js';
import { acknowledgeEscalation, escalateCase, getEscalation, listEscalations, resolveEscalation } from './escalation.service.js';
import { getLadder, setLadder } from './ladder.service.js';
import { listLessons, updateLesson } from './lesson.service.js';

const tags = ['escalations'];
const text = (max: number) => z.string().trim().min(1).max(max);

const escalationView = z.object({
  id: z.string(), caseId: z.string(), caseRef: z.string(), caseSubject: z.string(), reason: z.enum(escalationReasons), note: z.string(),
  toUserId: z.string(), toUserName: z.string(), rung: z.number(), state: z.enum(escalationStates), createdBy: z.string().nullable(),
  createdAt: z.string(), ackDueAt: z.string().nullable(), acknowledgedAt: z.string().nullable(), resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(), decisionId: z.string().nullable(), clockName: z.string().nullable(),
});

const decisionView = z.object({
  id: z.string(), caseId: z.string(), kind: z.enum(decisionKinds), amount: z.number().nullable(), rationale: z.string(), decidedBy: z.string(),
  state: z.enum(decisionStates), escalationId: z.string().nullable(), approvedBy: z.string().nullable(), approvalNote: z.string().nullable(),
  createdAt: z.string(), decidedAt: z.string().nullable(), caseRef: z.string().optional(), decidedByName: z.string().optional(),
});

const lessonView = z.object({
  id: z.string(), escalationId: z.string(), caseId: z.string(), caseRef: z.string(), unitId: z.string(), unitName: z.string(),
  rootCause: z.string(), failureType: z.enum(failureTypes), processChange: z.string(), practiceId: z.string().nullable(),
  ownerId: z.string(), ownerName: z.string(), status: z.enum(lessonStatuses), createdAt: z.string(), updatedAt: z.string(),
});

const lessonInput = z.object({
  rootCause: text(120), failureType: z.enum(failureTypes).optional(), processChange: text(5000), practiceId: z.string().uuid().nullish(),
}).strict();

const rung = z.object({ userId: z.string().uuid().optional(), role: z.enum(['unit_lead', 'parent_lead', 'compliance', 'admin']).optional(), label: text(120) }).strict();
const ladderView = z.object({
  unitId: z.string(),
  rungs: z.array(z.object({ userId: z.string().nullable(), role: z.string().nullable(), label: z.string() })),
  effective: z.array(z.object({ userId: z.string(), name: z.string(), label: z.string(), discretionLimit: z.number().nullable() })),
});

export const escalationRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post('/cases/:id/escalations', {
    schema: {
      summary: 'Escalate a case to the next person on its unit\'s ladder, who must acknowledge it', tags, params: idParam,
      body: z.object({ reason: z.enum(escalationReasons).default('manual'), note: text(5000) }).strict(), response: { 201: escalationView },
    },
  }, async (req, reply) => reply.status(201).send(await escalateCase(ctx, actorOf(req), req.params.id, req.body)));

  app.get('/escalations', {
    schema: {
      summary: 'Escalations in scope (the queue): filter by state, addressee (me), unit or case', tags,
      querystring: z.object({
        state: commaList(escalationStates).optional(), toUserId: z.union([z.literal('me'), z.string().uuid()]).optional(),
        unitId: z.string().uuid().optional(), caseId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ items: z.array(escalationView), nextCursor: z.null() }) },
    },
  }, async (req) => ({ items: await listEscalations(ctx, actorOf(req), req.query), nextCursor: null }));

  app.get('/escalations/:id', {
    schema: { summary: 'One escalation', tags, params: idParam, response: { 200: escalationView } },
  }, async (req) => getEscalation(ctx, actorOf(req), req.params.id));

  app.post('/escalations/:id/acknowledge', {
    schema: { summary: 'Acknowledge (by the person it was escalated to)', tags, params: idParam, response: { 200: escalationView } },
  }, async (req) => acknowledgeEscalation(ctx, actorOf(req), req.params.id));

  app.post('/escalations/:id/resolve', {
    schema: {
      summary: 'Resolve with a resolution and the lesson (required: root cause and process change); approve or reject a decision', tags, params: idParam,
      body: z.object({ resolution: text(5000), lesson: lessonInput.nullish(), decision: z.enum(['approve', 'reject']).optional() }).strict(),
      response: { 200: escalationView },
    },
  }, async (req) => resolveEscalation(ctx, actorOf(req), req.params.id, req.body));

  app.post('/cases/:id/decisions', {
    schema: {
      summary: 'Record a discretion decision; beyond your limit it answers 202 with an approval escalation', tags, params: idParam,
      body: z.object({ kind: z.enum(decisionKinds), amount: z.number().positive().max(1e10).nullish(), rationale: text(5000) }).strict(),
      response: { 201: z.object({ decision: decisionView, escalationId: z.null() }), 202: z.object({ decision: decisionView, escalationId: z.string() }) },
    },
  }, async (req, reply) => {
    const result = await recordDecision(ctx, actorOf(req), req.params.id, req.body);
    return reply.status(result.escalationId ? 202 : 201).send(result);
  });

  app.get('/decisions', {
    schema: {
      summary: 'Discretion decisions in scope (the decisions report)', tags,
      querystring: z.object({
        caseId: z.string().uuid().optional(), state: commaList(decisionStates).optional(), from: z.string().datetime({ offset: true }).optional(),
        to: z.string().datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ items: z.array(decisionView), nextCursor: z.null() }) },
    },
  }, async (req) => ({ items: await listDecisions(ctx, actorOf(req), req.query), nextCursor: null }));

  app.get('/lessons', {
    schema: {
      summary: 'The improvement backlog: lessons from escalated exceptions', tags,
      querystring: z.object({ status: z.enum(lessonStatuses).optional(), practiceId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ items: z.array(lessonView), nextCursor: z.null() }) },
    },
  }, async (req) => ({ items: await listLessons(ctx, actorOf(req), req.query), nextCursor: null }));

  app.patch('/lessons/:id', {
    schema: {
      summary: 'Move a lesson through the backlog, or give it an owner', tags, params: idParam,
      body: z.object({ status: z.enum(lessonStatuses).optional(), ownerId: z.string().uuid().optional(), processChange: text(5000).optional(), practiceId: z.string().uuid().nullish() }).strict(),
      response: { 200: lessonView },
    },
  }, async (req) => updateLesson(ctx, actorOf(req), req.params.id, req.body));

  app.get('/units/:id/ladder', {
    schema: { summary: "A unit's escalation ladder: configured rungs and the people they resolve to", tags, params: idParam, response: { 200: ladderView } },
  }, async (req) => getLadder(ctx, actorOf(req), req.params.id));

  app.put('/units/:id/ladder', {
    schema: { summary: "Set a unit's escalation ladder (admin); an empty list falls back to the parent's", tags, params: idParam, body: z.object({ rungs: z.array(rung).max(10) }).strict(), response: { 200: ladderView } },
  }, async (req) => setLadder(ctx, actorOf(req), req.params.id, req.body.rungs));
};
