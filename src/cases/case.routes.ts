import { stringify } from 'csv-stringify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { listStreamEvents } from '../history/history.service.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { AppError } from '../server/errors.js';
import { pageSchema } from '../server/pagination.js';
import { addAttachment, listAttachments, MAX_ATTACHMENT_BYTES, readAttachment } from './attachment.service.js';
import { detectComplaint } from './case.js';
import { caseListQuery, countCases, iterateCases, listCases } from './case.query.js';
import {
  caseDetail, caseSummary, complaintSignals, createCaseBody, declineBody, eventView, messageBody, messageView, noteBody,
  reasonBody, resolveBody, transferBody, transferView, updateCaseBody,
} from './case.schemas.js';
import {
  addMessage, caseStream, closeCase, createCase, decideTransfer, cancelTransfer, getCase, getTransfer, listMessages,
  listPendingTransfersFor, loadCase, reassignCase, reopenCase, requestTransfer, resolveCase, setWaiting, updateCase,
} from './case.service.js';
import { receiveFile } from '../server/multipart-file.js';

const tags = ['cases'];
const attachmentView = z.object({
  id: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string(), visibleToCustomer: z.boolean(),
  uploadedBy: z.string().nullable(), createdAt: z.string(),
});

export const caseRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post('/cases', {
    schema: {
      summary: 'Open a case; without ownerId it is routed to an agent of the unit (a case is never unowned)', tags,
      body: createCaseBody, response: { 201: caseDetail },
    },
  }, async (req, reply) => {
    return reply.status(201).send(await createCase(ctx, actorOf(req), req.body));
  });

  app.get('/cases', {
    schema: {
      summary: 'Cases in scope: filters, full-text search (q), keyset pagination; sort=due is the inbox order', tags,
      querystring: caseListQuery, response: { 200: pageSchema(caseSummary) },
    },
  }, async (req) => listCases(ctx, actorOf(req), req.query));

  app.get('/cases/counts', {
    schema: {
      summary: 'Case counts by status for the same filters', tags,
      querystring: caseListQuery.omit({ limit: true, cursor: true, sort: true, status: true }),
      response: { 200: z.record(z.string(), z.number()) },
    },
  }, async (req) => countCases(ctx, actorOf(req), req.query));

  app.get('/cases/export.csv', {
    schema: { summary: 'The filtered case list as CSV', tags, querystring: caseListQuery.omit({ limit: true, cursor: true }) },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const columns = ['ref', 'kind', 'status', 'priority', 'subject', 'customer', 'customerRef', 'channel', 'product', 'category', 'unit', 'owner', 'vulnerable', 'receivedAt', 'nextDueAt', 'breached', 'resolvedAt'];
    const csv = stringify({ header: true, columns });
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="cases.csv"');
    (async () => {
      try {
        for await (const c of iterateCases(ctx, actor, req.query)) {
          const ok = csv.write([c.ref, c.kind, c.status, c.priority, c.subject, c.customer.name, c.customer.ref, c.channel, c.product, c.category, c.unit.name, c.owner.name, c.vulnerable, c.receivedAt, c.nextDueAt, c.breached, c.resolvedAt]);
          if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
        }
        csv.end();
      } catch (err) {
        csv.destroy(err as Error);
      }
    })();
    return reply.send(csv);
  });

  app.post('/cases/detect', {
    schema: {
      summary: 'Does this text read like a complaint? Explainable rules, for the "this is a complaint" prompt', tags,
      body: z.object({ text: z.string().max(50_000) }).strict(), response: { 200: complaintSignals },
    },
  }, async (req) => detectComplaint(req.body.text));

  app.get('/cases/:id', {
    schema: { summary: 'One case with its owner, clocks and any pending transfer', tags, params: idParam, response: { 200: caseDetail } },
  }, async (req) => getCase(ctx, actorOf(req), req.params.id));

  app.patch('/cases/:id', {
    schema: { summary: 'Change case fields (recorded with before/after). The owner changes only by transfer or reassignment', tags, params: idParam, body: updateCaseBody, response: { 200: caseDetail } },
  }, async (req) => {
    const { ownerId, ...patch } = req.body;
    if (ownerId !== undefined) {
      throw new AppError('unprocessable', 'A case always has one owner: hand it over with POST /cases/:id/transfers (or /reassign as a lead)', [{ path: 'ownerId', message: 'cannot be set here' }]);
    }
    return updateCase(ctx, actorOf(req), req.params.id, patch);
  });

  app.get('/cases/:id/events', {
    schema: { summary: "The case's tamper-evident history, oldest first", tags, params: idParam, response: { 200: z.object({ items: z.array(eventView) }) } },
  }, async (req) => {
    const actor = actorOf(req);
    await loadCase(ctx.db, actor, req.params.id);
    const events = await listStreamEvents(ctx.db, actor.organisationId, caseStream(req.params.id));
    return { items: events.map(({ id: _id, ...e }) => e) };
  });

  app.get('/cases/:id/messages', {
    schema: { summary: 'Messages and internal notes of a case', tags, params: idParam, response: { 200: z.object({ items: z.array(messageView) }) } },
  }, async (req) => ({ items: await listMessages(ctx, actorOf(req), req.params.id) }));

  app.post('/cases/:id/messages', {
    schema: { summary: 'A message to the customer (visibleToCustomer, e-mailed) or an internal note', tags, params: idParam, body: messageBody, response: { 201: messageView } },
  }, async (req, reply) => reply.status(201).send(await addMessage(ctx, actorOf(req), req.params.id, req.body)));

  app.post('/cases/:id/transfers', {
    schema: { summary: 'Ask a named user or a unit to take the case; the owner stays until accepted', tags, params: idParam, body: transferBody, response: { 201: transferView } },
  }, async (req, reply) => reply.status(201).send(await requestTransfer(ctx, actorOf(req), req.params.id, req.body)));

  app.post('/cases/:id/reassign', {
    schema: { summary: 'Give the case to someone directly (a lead above it, or an admin)', tags, params: idParam, body: z.object({ toUserId: z.string().uuid(), reason: z.string().trim().min(1).max(2000) }).strict(), response: { 200: caseDetail } },
  }, async (req) => reassignCase(ctx, actorOf(req), req.params.id, req.body));

  app.post('/cases/:id/resolve', {
    schema: { summary: 'Resolve with an outcome, a summary and any redress', tags, params: idParam, body: resolveBody, response: { 200: caseDetail } },
  }, async (req) => resolveCase(ctx, actorOf(req), req.params.id, req.body));

  app.post('/cases/:id/reopen', {
    schema: { summary: 'Reopen a resolved or closed case, with the reason', tags, params: idParam, body: reasonBody, response: { 200: caseDetail } },
  }, async (req) => reopenCase(ctx, actorOf(req), req.params.id, req.body.reason));

  app.post('/cases/:id/close', {
    schema: { summary: 'Close a resolved case', tags, params: idParam, response: { 200: caseDetail } },
  }, async (req) => closeCase(ctx, actorOf(req), req.params.id));

  app.post('/cases/:id/pause', {
    schema: { summary: 'Waiting on the customer: pauses the clocks the policy lets pause', tags, params: idParam, body: noteBody, response: { 200: caseDetail } },
  }, async (req) => setWaiting(ctx, actorOf(req), req.params.id, true, req.body?.note));

  app.post('/cases/:id/resume', {
    schema: { summary: 'Back from waiting on the customer', tags, params: idParam, body: noteBody, response: { 200: caseDetail } },
  }, async (req) => setWaiting(ctx, actorOf(req), req.params.id, false, req.body?.note));

  app.post('/cases/:id/attachments', {
    bodyLimit: MAX_ATTACHMENT_BYTES + 64 * 1024,
    schema: {
      summary: `Attach a file (multipart/form-data, field "file"; at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB; PDF, images, Word, Excel, text, CSV — checked against the file's bytes)`,
      tags, params: idParam, consumes: ['multipart/form-data'],
      response: { 201: attachmentView },
    },
  }, async (req, reply) => {
    await loadCase(ctx.db, actorOf(req), req.params.id); // a case out of reach is a 404 whatever the body
    const { fields, ...file } = await receiveFile(req, MAX_ATTACHMENT_BYTES);
    const visible = (fields.visibleToCustomer as { value?: string } | undefined)?.value === 'true';
    return reply.status(201).send(await addAttachment(ctx, actorOf(req), req.params.id, { ...file, visibleToCustomer: visible }));
  });

  app.get('/cases/:id/attachments', {
    schema: { summary: 'Files attached to a case', tags, params: idParam, response: { 200: z.object({ items: z.array(attachmentView) }) } },
  }, async (req) => ({ items: await listAttachments(ctx, actorOf(req), req.params.id) }));

  app.get('/attachments/:id', {
    schema: { summary: 'Download an attachment (authorised like its case)', tags, params: idParam },
  }, async (req, reply) => {
    const file = await readAttachment(ctx, actorOf(req), req.params.id);
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename.replace(/"/g, '')}"`)
      .header('x-content-type-options', 'nosniff').send(file.bytes);
  });

  app.get('/transfers', {
    schema: { summary: 'Transfers waiting for my answer (to me or my unit)', tags, response: { 200: z.object({ items: z.array(transferView) }) } },
  }, async (req) => ({ items: await listPendingTransfersFor(ctx, actorOf(req)) }));

  app.get('/transfers/:id', {
    schema: { summary: 'One transfer', tags, params: idParam, response: { 200: transferView } },
  }, async (req) => getTransfer(ctx, actorOf(req), req.params.id));

  app.post('/transfers/:id/accept', {
    schema: { summary: 'Accept: you become the owner', tags, params: idParam, response: { 200: transferView } },
  }, async (req) => decideTransfer(ctx, actorOf(req), req.params.id, { accept: true }));

  app.post('/transfers/:id/decline', {
    schema: { summary: 'Decline with a reason: the sender keeps the case', tags, params: idParam, body: declineBody, response: { 200: transferView } },
  }, async (req) => decideTransfer(ctx, actorOf(req), req.params.id, { accept: false, reason: req.body.reason }));

  app.post('/transfers/:id/cancel', {
    schema: { summary: 'Withdraw a pending transfer', tags, params: idParam, response: { 200: transferView } },
  }, async (req) => cancelTransfer(ctx, actorOf(req), req.params.id));
};
