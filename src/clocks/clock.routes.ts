import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { getSettings } from '../org/settings.js';
import { actorOf } from '../server/authenticate.js';
import { calendarInput, clockDefinition, getClockSettings, listPolicies, policyInput, policyRulesInput, savePolicy, updateClockSettings } from './policy.service.js';

const tags = ['clocks'];
const policyView = z.object({
  key: z.string(), name: z.string(), description: z.string(), source: z.string(), builtin: z.boolean(),
  clocks: z.array(clockDefinition.extend({ informational: z.boolean().optional() })),
});
const settingsView = z.object({
  calendar: z.object({ workingDays: z.array(z.number()), opens: z.string(), closes: z.string(), closures: z.array(z.string()) }),
  policyRules: z.array(z.object({ match: z.record(z.string(), z.string()), policy: z.string() })),
});

export const clockRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/policies', {
    schema: { summary: 'Clock policies: the presets fca-disp, fca-psd, cfpb, standard, and your own', tags, response: { 200: z.object({ items: z.array(policyView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listPolicies(ctx, actorOf(req)), nextCursor: null }));

  app.post('/policies', {
    schema: { summary: 'Create a clock policy (admin)', tags, body: policyInput, response: { 201: policyView } },
  }, async (req, reply) => reply.status(201).send(await savePolicy(ctx, actorOf(req), req.body, 'create')));

  app.put('/policies/:key', {
    schema: { summary: 'Replace one of your clock policies (admin); cases already running keep their clocks', tags, params: z.object({ key: z.string().max(40) }), body: policyInput, response: { 200: policyView } },
  }, async (req) => savePolicy(ctx, actorOf(req), { ...req.body, key: req.params.key }, 'update'));

  app.get('/settings/taxonomy', {
    schema: { summary: 'The root-cause categories and the product list of the organisation', tags: ['organisation'], response: { 200: z.object({ categories: z.array(z.string()), products: z.array(z.string()) }) } },
  }, async (req) => {
    const settings = await getSettings(ctx.db, actorOf(req).organisationId);
    return { categories: settings.categories, products: settings.products };
  });

  app.get('/settings/clocks', {
    schema: { summary: 'Working hours, closure days and the rules that choose a policy', tags, response: { 200: settingsView } },
  }, async (req) => getClockSettings(ctx, actorOf(req)));

  app.patch('/settings/clocks', {
    schema: { summary: 'Change working hours, closure days or policy rules (admin)', tags, body: z.object({ calendar: calendarInput.optional(), policyRules: policyRulesInput.optional() }).strict(), response: { 200: settingsView } },
  }, async (req) => updateClockSettings(ctx, actorOf(req), req.body));
};
