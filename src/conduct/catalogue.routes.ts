import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { listActions } from './action.service.js';
import {
  createFramework, createPractice, getFramework, listFrameworks, listPractices, listPresets, markApplicable, markNotApplicable, practiceDetail, updateFramework, updatePractice,
} from './catalogue.service.js';
import {
  actionView, applicableBody, createFrameworkBody, createPracticeBody, frameworkView, notApplicableBody, practiceListQuery, practiceView, settingsBody, settingsView,
  updateFrameworkBody, updatePracticeBody,
} from './conduct.schemas.js';
import { readConductSettings, updateConductSettings } from './conduct-settings.js';

const tags = ['conduct'];
const frameworkDetail = frameworkView.extend({ practices: z.array(practiceView) });

export const catalogueRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/frameworks', {
    schema: { summary: 'Outcome frameworks (versioned), with their scale and pass line', tags, response: { 200: z.object({ items: z.array(frameworkView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listFrameworks(ctx, actorOf(req)), nextCursor: null }));

  app.get('/frameworks/presets', {
    schema: { summary: 'Frameworks that can be installed: Treating Customers Fairly, Consumer Duty', tags, response: { 200: z.object({ items: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), outcomes: frameworkView.shape.outcomes, practiceCount: z.number() })) }) } },
  }, async () => ({ items: listPresets() }));

  app.post('/frameworks', {
    schema: { summary: 'Install a preset ({preset}) or create your own framework (admin, compliance)', tags, body: createFrameworkBody, response: { 201: frameworkDetail } },
  }, async (req, reply) => reply.status(201).send(await createFramework(ctx, actorOf(req), req.body)));

  app.get('/frameworks/:id', {
    schema: { summary: 'A framework with its practices', tags, params: idParam, response: { 200: frameworkDetail } },
  }, async (req) => getFramework(ctx, actorOf(req), req.params.id));

  app.patch('/frameworks/:id', {
    schema: { summary: 'Change a framework (a new version; open cycles keep theirs)', tags, params: idParam, body: updateFrameworkBody, response: { 200: frameworkDetail } },
  }, async (req) => updateFramework(ctx, actorOf(req), req.params.id, req.body));

  app.get('/practices', {
    schema: { summary: 'Business practices, by framework, outcome, criticality or unit kind', tags, querystring: practiceListQuery, response: { 200: z.object({ items: z.array(practiceView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listPractices(ctx, actorOf(req), req.query), nextCursor: null }));

  app.post('/practices', {
    schema: { summary: 'Add a practice under an outcome (admin, compliance)', tags, body: createPracticeBody, response: { 201: practiceView } },
  }, async (req, reply) => reply.status(201).send(await createPractice(ctx, actorOf(req), req.body)));

  app.get('/practices/:id', {
    schema: { summary: 'A practice with its escalation lessons and improvement actions', tags, params: idParam, response: { 200: practiceView.extend({ lessons: z.array(z.record(z.string(), z.unknown())), actions: z.array(actionView) }) } },
  }, async (req) => {
    const actor = actorOf(req);
    return practiceDetail(ctx, actor, req.params.id, async (practiceId) => (await listActions(ctx, actor, { practiceId, limit: 200 })).items);
  });

  app.patch('/practices/:id', {
    schema: { summary: 'Change a practice (a new version)', tags, params: idParam, body: updatePracticeBody, response: { 200: practiceView } },
  }, async (req) => updatePractice(ctx, actorOf(req), req.params.id, req.body));

  app.post('/practices/:id/not-applicable', {
    schema: { summary: 'A unit marks the practice not applicable, with a justification', tags, params: idParam, body: notApplicableBody, response: { 200: practiceView } },
  }, async (req) => markNotApplicable(ctx, actorOf(req), req.params.id, req.body.unitId, req.body.justification));

  app.post('/practices/:id/applicable', {
    schema: { summary: 'Undo a unit\'s not-applicable mark', tags, params: idParam, body: applicableBody, response: { 200: practiceView } },
  }, async (req) => markApplicable(ctx, actorOf(req), req.params.id, req.body.unitId));

  app.get('/conduct/settings', {
    schema: { summary: 'Reminder offsets, escalation, category → practice mapping, signal flag rule', tags, response: { 200: settingsView } },
  }, async (req) => readConductSettings(ctx, actorOf(req)));

  app.patch('/conduct/settings', {
    schema: { summary: 'Change conduct settings (admin, compliance)', tags, body: settingsBody, response: { 200: settingsView } },
  }, async (req) => updateConductSettings(ctx, actorOf(req), req.body));
};
