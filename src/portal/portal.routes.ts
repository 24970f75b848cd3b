import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError } from '../server/errors.js';
import { actorOf } from '../server/authenticate.js';
import { MAX_ATTACHMENT_BYTES } from '../cases/attachment.service.js';
import { askForManager, customerAttachment, customerReply, fileComplaint, portalProducts, setPortalUnit, statusView } from './portal.service.js';
import { receiveFile } from '../server/multipart-file.js';

const tags = ['portal'];
const text = (max: number) => z.string({ error: 'Please fill this in' }).trim().min(1, 'Please fill this in').max(max, `At most ${max} characters`);
const optional = (max: number) => z.string().trim().max(max, `At most ${max} characters`).nullish().transform((v) => v || null);
const tokenParam = z.object({ token: z.string().min(10).max(100) });

const complaintBody = z.object({
  name: text(200),
  email: z.string({ error: 'Please give an e-mail address we can write to' }).trim().email('Please give an e-mail address we can write to').max(254),
  phone: z.string().trim().max(40).regex(/^[+0-9 ()-]*$/, 'Digits, spaces and + ( ) - only').nullish().transform((v) => v || null),
  customerRef: optional(100),
  product: optional(120),
  whatHappened: text(20_000),
  desiredOutcome: optional(5_000),
  preferredContact: z.enum(['email', 'phone', 'letter']).default('email'),
  needsSupport: z.boolean().default(false),
  supportNote: optional(2_000),
  /** Honeypot: hidden from people, filled in by bots. */
  website: z.string().max(500).optional(),
}).strict();

const personView = z.object({ displayName: z.string(), role: z.string() });
const messageView = z.object({ id: z.string(), from: z.enum(['you', 'us']), authorName: z.string().nullable(), body: z.string(), at: z.string() });
const statusViewSchema = z.object({
  ref: z.string(), organisation: z.object({ name: z.string() }), subject: z.string(),
  stage: z.enum(['received', 'being_looked_into', 'waiting_for_you', 'answered', 'closed']), stageLabel: z.string(),
  owner: personView, nextStep: z.string(), nextStepBy: z.string().nullable(),
  commitments: z.array(z.object({ label: z.string(), dueAt: z.string(), state: z.enum(['kept', 'missed', 'open']) })),
  timeline: z.array(z.object({ at: z.string(), text: z.string() })),
  messages: z.array(messageView),
  managerRequested: personView.nullable(),
  documents: z.array(z.object({ filename: z.string(), size: z.number(), at: z.string(), from: z.enum(['you', 'us']) })),
});

/**
 * The customer's side: no account, links with unguessable tokens, rate-limited per address.
 * Nothing internal is returned: no notes, no staff e-mail addresses, no ids but the message's.
 */
export const portalRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const perAddress = (max: number, minutes: number) => ({ max, timeWindow: `${minutes} minutes` });

  app.get('/products', {
    config: { public: true, rateLimit: perAddress(120, 1) },
    schema: { summary: 'The organisation and its products, for the complaint form', tags, security: [], querystring: z.object({ org: z.string().max(64).optional() }), response: { 200: z.object({ organisation: z.object({ name: z.string() }), products: z.array(z.string()) }) } },
  }, async (req) => portalProducts(ctx, req.query.org));

  app.post('/complaints', {
    config: { public: true, rateLimit: perAddress(10, 10) },
    bodyLimit: 64 * 1024,
    schema: {
      summary: 'File a complaint (public). Answers the reference and the private status link', tags, security: [],
      querystring: z.object({ org: z.string().max(64).optional() }), body: complaintBody,
      response: { 201: z.object({ ref: z.string(), statusUrl: z.string(), token: z.string() }) },
    },
  }, async (req, reply) => {
    const { website, ...complaint } = req.body;
    // A bot filled the field people never see; the answer does not say which field gave it away.
    if (website) throw new AppError('bad_request', 'The form could not be accepted');
    return reply.status(201).send(await fileComplaint(ctx, complaint, req.query.org));
  });

  app.get('/status/:token', {
    config: { public: true, rateLimit: perAddress(120, 1) },
    schema: { summary: "The customer's view of their complaint: who owns it, what happens next and by when", tags, security: [], params: tokenParam, response: { 200: statusViewSchema } },
  }, async (req) => statusView(ctx, req.params.token));

  app.post('/status/:token/messages', {
    config: { public: true, rateLimit: perAddress(30, 10) },
    bodyLimit: 64 * 1024,
    schema: { summary: 'The customer writes to the owner', tags, security: [], params: tokenParam, body: z.object({ body: text(20_000) }).strict(), response: { 201: messageView } },
  }, async (req, reply) => reply.status(201).send(await customerReply(ctx, req.params.token, req.body.body)));

  app.post('/status/:token/documents', {
    config: { public: true, rateLimit: perAddress(20, 10) },
    bodyLimit: MAX_ATTACHMENT_BYTES + 64 * 1024,
    schema: {
      summary: `Send a document (multipart/form-data, field "file"; at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB; PDF, images, Word, Excel, text)`, tags, security: [],
      params: tokenParam, consumes: ['multipart/form-data'], response: { 201: z.object({ filename: z.string(), size: z.number(), at: z.string() }) },
    },
  }, async (req, reply) => {
    await statusView(ctx, req.params.token); // an unknown link is a 404 whatever the body
    const { fields: _fields, ...file } = await receiveFile(req, MAX_ATTACHMENT_BYTES);
    return reply.status(201).send(await customerAttachment(ctx, req.params.token, file));
  });

  app.post('/status/:token/manager', {
    config: { public: true, rateLimit: perAddress(10, 10) },
    schema: { summary: '"I\'d like to speak to a manager": escalates the complaint and says to whom', tags, security: [], params: tokenParam, body: z.object({ note: z.string().trim().max(2000).optional() }).strict().nullish(), response: { 201: z.object({ to: personView }) } },
  }, async (req, reply) => reply.status(201).send(await askForManager(ctx, req.params.token, req.body?.note)));
};

/** Staff side of the portal: where its complaints land. */
export const portalAdminRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.put('/settings/portal', {
    schema: {
      summary: 'The unit whose agents receive complaints from the public form (admin)', tags: ['portal'],
      body: z.object({ unitId: z.string().uuid() }).strict(), response: { 200: z.object({ unitId: z.string() }) },
    },
  }, async (req) => setPortalUnit(ctx, actorOf(req), req.body.unitId));
};
