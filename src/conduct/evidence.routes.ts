import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { AppError } from '../server/errors.js';
import { pageSchema } from '../server/pagination.js';
import { MAX_UPLOAD_BYTES } from '../storage/file-store.js';
import { createEvidenceBody, evidenceListQuery, evidenceView, updateEvidenceBody } from './conduct.schemas.js';
import { addEvidence, addEvidenceFile, getEvidence, listEvidence, readEvidenceFile, updateEvidence } from './evidence.service.js';
import { receiveFile } from '../server/multipart-file.js';

const tags = ['conduct'];
const field = (fields: Record<string, unknown>, name: string) => (fields[name] as { value?: string } | undefined)?.value;

export const evidenceRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/evidence', {
    schema: { summary: 'Evidence you may read, newest first', tags, querystring: evidenceListQuery, response: { 200: pageSchema(evidenceView) } },
  }, async (req) => listEvidence(ctx, actorOf(req), req.query));

  app.post('/evidence', {
    schema: { summary: 'Add a link or a note as evidence, optionally citing cells', tags, body: createEvidenceBody, response: { 201: evidenceView } },
  }, async (req, reply) => reply.status(201).send(await addEvidence(ctx, actorOf(req), { ...req.body, expiresAt: req.body.expiresAt ? new Date(req.body.expiresAt) : null })));

  app.post('/evidence/files', {
    bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024,
    schema: {
      summary: `Upload a file as evidence (multipart/form-data: "file", "title", "unitId", optional "expiresAt", "assessmentId"; at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; checked against its bytes; SHA-256 kept)`,
      tags, consumes: ['multipart/form-data'], response: { 201: evidenceView },
    },
  }, async (req, reply) => {
    const { fields: received, ...file } = await receiveFile(req, MAX_UPLOAD_BYTES);
    const fields = received as Record<string, unknown>;
    const parsed = createEvidenceBody.pick({ title: true, unitId: true, expiresAt: true }).extend({ assessmentIds: createEvidenceBody.shape.assessmentIds })
      .safeParse({ title: field(fields, 'title') ?? file.filename, unitId: field(fields, 'unitId'), expiresAt: field(fields, 'expiresAt') || undefined, assessmentIds: field(fields, 'assessmentId') ? [field(fields, 'assessmentId')] : undefined });
    if (!parsed.success) throw new AppError('validation_failed', 'Some fields are missing or invalid', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const input = { ...parsed.data, expiresAt: parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null };
    return reply.status(201).send(await addEvidenceFile(ctx, actorOf(req), input, file));
  });

  app.get('/evidence/:id', {
    schema: { summary: 'One piece of evidence (403 outside your units)', tags, params: idParam, response: { 200: evidenceView } },
  }, async (req) => getEvidence(ctx, actorOf(req), req.params.id));

  app.patch('/evidence/:id', {
    schema: { summary: 'Edit evidence; compliance approves it (status)', tags, params: idParam, body: updateEvidenceBody, response: { 200: evidenceView } },
  }, async (req) => updateEvidence(ctx, actorOf(req), req.params.id, { ...req.body, expiresAt: req.body.expiresAt === undefined ? undefined : req.body.expiresAt === null ? null : new Date(req.body.expiresAt) }));

  app.get('/evidence/:id/file', {
    schema: { summary: 'Download an evidence file, authorised like the cells it supports (403 outside your units)', tags, params: idParam },
  }, async (req, reply) => {
    const file = await readEvidenceFile(ctx, actorOf(req), req.params.id);
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename.replace(/"/g, '')}"`).header('x-content-type-options', 'nosniff').send(file.bytes);
  });
};
