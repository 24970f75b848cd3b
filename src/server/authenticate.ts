import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import { resolveApiToken, resolveSession } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { AppError } from './errors.js';

export const SESSION_COOKIE = 'td_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authenticatedBy: 'token' | 'session' | null;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call: health, login, the customer portal. */
    public?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api/v1 route needs an actor unless it says `config: { public: true }`. Bearer tokens
 * are for integrators; the cookie session is for the browser and needs the CSRF header on writes.
 */
export function registerAuthentication(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('actor', null);
  app.decorateRequest('authenticatedBy', null);
  // onRequest: an unauthenticated caller is turned away before its body is even parsed.
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const isUnknownRoute = !req.routeOptions.url;
    if (isUnknownRoute || !req.url.startsWith('/api/v1/') || req.routeOptions.config?.public) return;
    const header = req.headers.authorization;
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw new AppError('unauthenticated', 'Use "Authorization: Bearer <token>"');
      req.actor = (await resolveApiToken(ctx, token)) ?? null;
      if (!req.actor) throw new AppError('unauthenticated', 'The API token is not valid or was revoked');
      req.authenticatedBy = 'token';
      return;
    }
    const sessionToken = req.cookies[SESSION_COOKIE];
    if (sessionToken) req.actor = (await resolveSession(ctx, sessionToken)) ?? null;
    if (!req.actor) throw new AppError('unauthenticated', 'Sign in or send an API token');
    req.authenticatedBy = 'session';
    if (!safeMethods.has(req.method)) {
      let passed = false;
      app.csrfProtection(req, reply, () => { passed = true; });
      if (!passed) return reply;
    }
  });
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'Sign in or send an API token');
  return req.actor;
}
