import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { letterKinds } from './letter-templates.js';
import { previewLetter, saveTemplate, sendLetter, templatesFor } from './letter.service.js';

const tags = ['letters'];
const fields = z.record(z.string().regex(/^[a-zA-Z.]{1,40}$/), z.string().max(20_000)).default({});
const letterBody = z.object({ kind: z.enum(letterKinds), fields }).strict();
const templateView = z.object({ kind: z.enum(letterKinds), policy: z.string(), subject: z.string(), body: z.string(), optional: z.array(z.string()), custom: z.boolean() });

export const letterRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/letter-templates', {
    schema: { summary: 'Letter templates (acknowledgement, summary resolution, holding, final response): defaults or your own wording', tags, response: { 200: z.object({ items: z.array(templateView) }) } },
  }, async (req) => ({ items: await templatesFor(ctx.db, actorOf(req).organisationId) }));

  app.put('/letter-templates/:kind', {
    schema: { summary: 'Change the wording of a letter (admin, compliance); {{fields}} are filled when sent', tags, params: z.object({ kind: z.enum(letterKinds) }), body: z.object({ subject: z.string().trim().min(1).max(300), body: z.string().trim().min(1).max(50_000) }).strict(), response: { 200: templateView } },
  }, async (req) => saveTemplate(ctx, actorOf(req), req.params.kind, req.body));

  app.post('/cases/:id/letters/preview', {
    schema: { summary: 'Preview a letter for a case: the text and the fields still to fill', tags, params: idParam, body: letterBody, response: { 200: z.object({ kind: z.string(), subject: z.string(), body: z.string(), missing: z.array(z.string()) }) } },
  }, async (req) => previewLetter(ctx, actorOf(req), req.params.id, req.body.kind, req.body.fields));

  app.post('/cases/:id/letters', {
    schema: { summary: 'Send a letter to the customer; it meets the clock it answers. A letter with an unfilled field is refused (422)', tags, params: idParam, body: letterBody, response: { 201: z.object({ kind: z.string(), subject: z.string(), body: z.string(), messageId: z.string() }) } },
  }, async (req, reply) => reply.status(201).send(await sendLetter(ctx, actorOf(req), req.params.id, req.body.kind, req.body.fields)));
};
