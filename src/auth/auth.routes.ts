import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { organisations } from '../db/schema/index.js';
import { idParam, userView } from '../org/org.schemas.js';
import { createdToken, tokenBody } from '../org/user.routes.js';
import { getOwnProfile } from '../org/user.service.js';
import { actorOf, SESSION_COOKIE } from '../server/authenticate.js';
import type { Actor } from './actor.js';
import { createApiTokenFor, listOwnTokens, login, logout, revokeApiToken } from './auth.service.js';

const loginBody = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  organisation: z.string().max(64).optional(),
}).strict();

const sessionView = z.object({
  user: userView,
  organisation: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
  csrfToken: z.string(),
});

const tokenView = z.object({
  id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(),
  lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable(),
});

/** The cookie holding the CSRF secret (@fastify/csrf-protection's default name). */
const CSRF_COOKIE = '_csrf';

/** Cookies are Secure when configured so, and always when the request came over HTTPS (directly or via a trusted proxy). */
function secureCookies(ctx: AppContext, req: FastifyRequest): boolean {
  return ctx.config.secureCookies || req.protocol === 'https';
}

export const authRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  async function sessionPayload(actor: Actor, csrfToken: string) {
    const [organisation] = await ctx.db.select({ id: organisations.id, name: organisations.name, slug: organisations.slug })
      .from(organisations).where(eq(organisations.id, actor.organisationId));
    return { user: await getOwnProfile(ctx, actor), organisation, csrfToken };
  }

  app.post('/auth/login', {
    config: {
      public: true,
      // Per address and e-mail, so one attacker cannot lock everybody out and nobody can guess quickly.
      rateLimit: { hook: 'preHandler', max: 20, timeWindow: '1 minute', keyGenerator: (req) => `${req.ip}|${String((req.body as { email?: string })?.email ?? '').toLowerCase()}` },
    },
    schema: { summary: 'Sign in; sets the session cookie', tags: ['auth'], security: [], body: loginBody, response: { 200: sessionView } },
  }, async (req, reply) => {
    const result = await login(ctx, req.body);
    // Session fixation: whatever session and CSRF secret the browser brought are dropped; the
    // signed-in session and its CSRF secret are always new.
    const previous = req.cookies[SESSION_COOKIE];
    if (previous) await logout(ctx, previous);
    delete req.cookies[CSRF_COOKIE];
    const secure = secureCookies(ctx, req);
    reply.setCookie(SESSION_COOKIE, result.sessionToken, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: result.expiresAt });
    return sessionPayload(result.actor, reply.generateCsrf({ secure }));
  });

  app.post('/auth/logout', {
    config: { public: true },
    schema: { summary: 'Sign out: ends the session', tags: ['auth'], response: { 204: z.null() } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/auth/me', {
    schema: { summary: 'The signed-in user, organisation and a CSRF token for writes', tags: ['auth'], response: { 200: sessionView } },
  }, async (req, reply) => sessionPayload(actorOf(req), reply.generateCsrf({ secure: secureCookies(ctx, req) })));

  app.get('/tokens', {
    schema: { summary: 'My API tokens (never the secrets)', tags: ['auth'], response: { 200: z.object({ items: z.array(tokenView), nextCursor: z.null() }) } },
  }, async (req) => ({ items: await listOwnTokens(ctx, actorOf(req)), nextCursor: null }));

  app.post('/tokens', {
    schema: { summary: 'Create an API token for myself; the token is shown once', tags: ['auth'], body: tokenBody, response: { 201: createdToken } },
  }, async (req, reply) => {
    const actor = actorOf(req);
    return reply.status(201).send(await createApiTokenFor(ctx, actor, actor.userId, req.body.name));
  });

  app.delete('/tokens/:id', {
    schema: { summary: 'Revoke an API token (mine, or any as admin)', tags: ['auth'], params: idParam, response: { 204: z.null() } },
  }, async (req, reply) => {
    await revokeApiToken(ctx, actorOf(req), req.params.id);
    return reply.status(204).send(null);
  });
};
