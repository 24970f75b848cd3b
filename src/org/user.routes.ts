import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiTokenFor } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { actorOf } from '../server/authenticate.js';
import { pageSchema } from '../server/pagination.js';
import { createUserBody, idParam, updateUserBody, userListQuery, userView } from './org.schemas.js';
import { createUser, getUser, listUsers, searchDirectory, updateUser } from './user.service.js';

export const tokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const createdToken = z.object({ id: z.string(), name: z.string(), token: z.string() });

export const userRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/users', {
    schema: { summary: 'List users in scope, by name', tags: ['organisation'], querystring: userListQuery, response: { 200: pageSchema(userView) } },
  }, async (req) => listUsers(ctx, actorOf(req), req.query));

  app.post('/users', {
    schema: { summary: 'Create a user (admin)', tags: ['organisation'], body: createUserBody, response: { 201: userView } },
  }, async (req, reply) => reply.status(201).send(await createUser(ctx, actorOf(req), req.body)));

  app.get('/directory', {
    schema: {
      summary: 'Colleagues and units by name, for everyone (to hand a case to): names, roles and units only', tags: ['organisation'],
      querystring: z.object({ q: z.string().max(100).optional(), unitId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: { 200: z.object({
        people: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), unitId: z.string(), unitName: z.string() })),
        units: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
      }) },
    },
  }, async (req) => searchDirectory(ctx, actorOf(req), req.query));

  app.get('/users/:id', {
    schema: { summary: 'One user', tags: ['organisation'], params: idParam, response: { 200: userView } },
  }, async (req) => getUser(ctx, actorOf(req), req.params.id));

  app.patch('/users/:id', {
    schema: { summary: 'Change a user: name, role, unit, limit, active, password (admin)', tags: ['organisation'], params: idParam, body: updateUserBody, response: { 200: userView } },
  }, async (req) => updateUser(ctx, actorOf(req), req.params.id, req.body));

  app.post('/users/:id/tokens', {
    schema: { summary: 'Create an API token for another user (admin); shown once', tags: ['auth'], params: idParam, body: tokenBody, response: { 201: createdToken } },
  }, async (req, reply) => reply.status(201).send(await createApiTokenFor(ctx, actorOf(req), req.params.id, req.body.name)));
};
