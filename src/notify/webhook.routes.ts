import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks } from './webhook.service.js';

const tags = ['webhooks'];
const webhookView = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: z.string() });

export const webhookRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post('/webhooks', {
    schema: {
      summary: 'Subscribe a URL to case and escalation events (admin). Deliveries are signed: X-TrustDesk-Signature: t=<unix>,v1=HMAC-SHA256(secret, "t.body")', tags,
      body: z.object({
        url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'http or https'),
        events: z.array(z.string().regex(/^(\*|[a-z_]+\.[a-z_]+)$/)).min(1).max(50).default(['*']),
      }).strict(),
      response: { 201: webhookView.extend({ secret: z.string() }) },
    },
  }, async (req, reply) => reply.status(201).send(await createWebhook(ctx, actorOf(req), req.body)));

  app.get('/webhooks', {
    schema: { summary: 'Webhooks (admin); secrets are never shown again', tags, response: { 200: z.object({ items: z.array(webhookView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listWebhooks(ctx, actorOf(req)), nextCursor: null }));

  app.delete('/webhooks/:id', {
    schema: { summary: 'Stop a webhook (admin)', tags, params: idParam, response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteWebhook(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/webhooks/:id/deliveries', {
    schema: {
      summary: 'Recent deliveries of a webhook, with their attempts and last status', tags, params: idParam,
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), eventType: z.string(), status: z.string(), attempts: z.number(), lastStatus: z.number().nullable(), lastError: z.string().nullable(), createdAt: z.string(), deliveredAt: z.string().nullable() })) }) },
    },
  }, async (req) => ({ items: await listDeliveries(ctx, actorOf(req), req.params.id) }));
};
