import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { idParam } from '../org/org.schemas.js';
import { actorOf } from '../server/authenticate.js';
import { eraseCustomerData, exportCustomerData } from './customer-data.service.js';
import { retentionReport, setLegalHold } from './retention.service.js';

const tags = ['data care'];
const removedView = z.object({
  customerFields: z.number(), freeTextFields: z.number(), messages: z.number(), attachments: z.number(), transfers: z.number(),
  escalations: z.number(), decisions: z.number(), emails: z.number(), notifications: z.number(), portalLinks: z.number(),
  surveyAnswers: z.number(), webhookPayloads: z.number(), historyEvents: z.number(),
});
const instant = z.string().datetime({ offset: true }).transform((s) => new Date(s));
/** Who a request is about; in the body (never the URL) so it stays out of access logs. */
const subjectBody = z.object({
  email: z.string().trim().email().max(254).optional(),
  customerRef: z.string().trim().min(1).max(200).optional(),
}).strict().refine((s) => Boolean(s.email) !== Boolean(s.customerRef), { message: 'Give exactly one of email or customerRef' });

export const dataCareRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.put('/cases/:id/legal-hold', {
    schema: {
      summary: 'Put a case under legal hold (kept past its retention date) or clear the hold (admin, compliance)', tags,
      params: idParam, body: z.object({ hold: z.boolean(), reason: z.string().trim().min(1).max(2000) }).strict(),
      response: { 200: z.object({ caseId: z.string(), legalHold: z.boolean(), retentionUntil: z.string() }) },
    },
  }, async (req) => setLegalHold(ctx, actorOf(req), req.params.id, req.body));

  app.get('/retention/report', {
    schema: {
      summary: 'What retention and erasure removed (per case and in total) and which cases past retention are still kept, and why (admin, compliance)', tags,
      querystring: z.object({ from: instant.optional(), to: instant.optional() }).strict(),
      response: {
        200: z.object({
          from: z.string().nullable(), to: z.string().nullable(),
          anonymised: z.array(z.object({ caseId: z.string(), ref: z.string(), at: z.string(), reason: z.string(), removed: removedView })),
          totals: removedView.extend({ cases: z.number() }),
          pending: z.array(z.object({ caseId: z.string(), ref: z.string(), retentionUntil: z.string(), status: z.string(), legalHold: z.boolean() })),
        }),
      },
    },
  }, async (req) => retentionReport(ctx, actorOf(req), req.query));

  app.post('/customer-data/export', {
    schema: {
      summary: 'Everything held about a customer (by e-mail or customer reference) as JSON: a subject access request (admin, compliance)', tags,
      body: subjectBody, response: { 200: z.record(z.string(), z.unknown()) },
    },
  }, async (req) => exportCustomerData(ctx, actorOf(req), req.body));

  app.post('/customer-data/erase', {
    schema: {
      summary: "Erase a customer's personal data where the law allows; refused (409, with each blocking case and why) while a case is open, on legal hold or a complaint inside its retention period (admin, compliance)", tags,
      body: z.object({
        email: z.string().trim().email().max(254).optional(), customerRef: z.string().trim().min(1).max(200).optional(),
        reason: z.string().trim().min(1).max(2000),
      }).strict().refine((s) => Boolean(s.email) !== Boolean(s.customerRef), { message: 'Give exactly one of email or customerRef' }),
      response: {
        200: z.object({ erasedCases: z.array(z.object({ caseId: z.string(), ref: z.string() })), alreadyAnonymised: z.number(), surveyInvitations: z.number() }),
      },
    },
  }, async (req) => eraseCustomerData(ctx, actorOf(req), req.body, req.body.reason));
};
