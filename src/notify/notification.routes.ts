import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { actorOf } from '../server/authenticate.js';
import { listNotifications, markRead } from './notification.service.js';

const tags = ['notifications'];

export const notificationRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/notifications', {
    schema: {
      summary: 'My notifications, newest first, with the unread count', tags,
      querystring: z.object({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
      response: { 200: z.object({ unread: z.number(), items: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), body: z.string(), caseId: z.string().nullable(), escalationId: z.string().nullable(), createdAt: z.string(), readAt: z.string().nullable() })) }) },
    },
  }, async (req) => listNotifications(ctx, actorOf(req), req.query.unread ?? false));

  app.post('/notifications/:id/read', {
    schema: { summary: 'Mark one notification (or "all") as read', tags, params: z.object({ id: z.union([z.literal('all'), z.string().uuid()]) }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await markRead(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/notifications/preferences', {
    schema: { summary: 'How I get notification e-mails', tags, response: { 200: z.object({ email: z.enum(['immediate', 'daily_digest', 'off']) }) } },
  }, async (req) => {
    const actor = actorOf(req);
    const [me] = await ctx.db.select({ email: users.emailNotifications }).from(users).where(inOrg(users, actor.organisationId, eq(users.id, actor.userId)));
    return { email: me.email };
  });

  app.put('/notifications/preferences', {
    schema: { summary: 'How I get notification e-mails: immediately, a daily digest, or not at all', tags, body: z.object({ email: z.enum(['immediate', 'daily_digest', 'off']) }).strict(), response: { 200: z.object({ email: z.string() }) } },
  }, async (req) => {
    const actor = actorOf(req);
    await ctx.db.update(users).set({ emailNotifications: req.body.email }).where(inOrg(users, actor.organisationId, eq(users.id, actor.userId)));
    return { email: req.body.email };
  });
};
