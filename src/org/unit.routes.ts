import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { actorOf } from '../server/authenticate.js';
import { pageSchema } from '../server/pagination.js';
import { createUnitBody, idParam, unitListQuery, unitView, updateUnitBody } from './org.schemas.js';
import { createUnit, getUnit, listUnits, updateUnit } from './unit.service.js';

export const unitRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/units', {
    schema: {
      summary: 'List org units in scope, depth-first (parents before children, siblings by name)', tags: ['organisation'],
      querystring: unitListQuery, response: { 200: pageSchema(unitView) },
    },
  }, async (req) => {
    const offset = req.query.cursor ? Number(req.query.cursor) : 0;
    const { items, total } = await listUnits(ctx, actorOf(req), { ...req.query, offset });
    const next = offset + items.length;
    return { items, nextCursor: next < total ? String(next) : null };
  });

  app.post('/units', {
    schema: { summary: 'Create an org unit (admin)', tags: ['organisation'], body: createUnitBody, response: { 201: unitView } },
  }, async (req, reply) => reply.status(201).send(await createUnit(ctx, actorOf(req), req.body)));

  app.get('/units/:id', {
    schema: { summary: 'One org unit', tags: ['organisation'], params: idParam, response: { 200: unitView } },
  }, async (req) => getUnit(ctx, actorOf(req), req.params.id));

  app.patch('/units/:id', {
    schema: { summary: 'Rename, move or re-time an org unit (admin)', tags: ['organisation'], params: idParam, body: updateUnitBody, response: { 200: unitView } },
  }, async (req) => updateUnit(ctx, actorOf(req), req.params.id, req.body));
};
