import { z } from 'zod';
import { caseChannels, caseKinds, caseOutcomes, casePriorities, caseStatuses, redressKinds } from '../db/schema/index.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish().transform((v) => (v ? v : null));

export const customerInput = z.object({
  name: text(200),
  email: z.string().trim().email().max(254).nullish(),
  phone: z.string().trim().max(40).regex(/^[+0-9 ()-]*$/, 'digits, spaces, + ( ) - only').nullish(),
  ref: z.string().trim().max(100).nullish(),
}).strict();

export const createCaseBody = z.object({
  subject: text(300),
  description: text(50_000),
  customer: customerInput,
  unitId: z.string().uuid(),
  ownerId: z.string().uuid().optional(),
  kind: z.enum(caseKinds).optional(),
  policy: z.string().max(64).optional(),
  channel: z.enum(caseChannels).optional(),
  product: optionalText(120),
  category: optionalText(120),
  priority: z.enum(casePriorities).optional(),
  vulnerable: z.boolean().optional(),
  vulnerabilityNote: optionalText(2000),
  receivedAt: z.string().datetime({ offset: true }).transform((s) => new Date(s)).optional(),
}).strict();

export const updateCaseBody = z.object({
  subject: text(300).optional(),
  description: text(50_000).optional(),
  product: optionalText(120).optional(),
  category: optionalText(120).optional(),
  priority: z.enum(casePriorities).optional(),
  kind: z.enum(caseKinds).optional(),
  vulnerable: z.boolean().optional(),
  vulnerabilityNote: optionalText(2000).optional(),
  legalHold: z.boolean().optional(),
  customer: customerInput.partial().optional(),
  /** Named so that an attempt to change or clear the owner gets a clear answer, not a silent ignore. */
  ownerId: z.unknown().optional(),
}).strict();

const person = z.object({ id: z.string(), name: z.string(), role: z.string() });

export const caseSummary = z.object({
  id: z.string(), ref: z.string(), kind: z.enum(caseKinds), subject: z.string(), status: z.enum(caseStatuses),
  priority: z.enum(casePriorities), ownerId: z.string(), owner: person, unitId: z.string(), unit: z.object({ id: z.string(), name: z.string() }),
  customer: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), ref: z.string().nullable() }),
  channel: z.enum(caseChannels), product: z.string().nullable(), category: z.string().nullable(), vulnerable: z.boolean(),
  receivedAt: z.string(), createdAt: z.string(), updatedAt: z.string(), resolvedAt: z.string().nullable(), closedAt: z.string().nullable(),
  nextDueAt: z.string().nullable(), breached: z.boolean(),
});

export const transferView = z.object({
  id: z.string(), caseId: z.string(), state: z.string(), fromUserId: z.string(), fromUserName: z.string().optional(),
  toUserId: z.string().nullable(), toUnitId: z.string().nullable(), reason: z.string(), declineReason: z.string().nullable(),
  createdAt: z.string(), decidedAt: z.string().nullable(), caseRef: z.string().optional(), caseSubject: z.string().optional(),
});

export const complaintSignals = z.object({
  likely: z.boolean(), score: z.number(), reasons: z.array(z.object({ reason: z.string(), match: z.string() })),
});

export const caseDetail = caseSummary.extend({
  description: z.string(), vulnerabilityNote: z.string().nullable(), outcome: z.enum(caseOutcomes).nullable(),
  resolutionSummary: z.string().nullable(), redress: z.object({ amount: z.number(), kind: z.enum(redressKinds).nullable() }).nullable(),
  reopenCount: z.number(), retentionUntil: z.string(), legalHold: z.boolean(), pendingTransfer: transferView.nullable(),
  complaintSignals: complaintSignals.nullable(),
  policy: z.string().nullable(),
  clocks: z.array(z.object({
    name: z.string(), label: z.string(), dueAt: z.string(), state: z.enum(['running', 'paused', 'met', 'warning', 'breached']),
    informational: z.boolean(), metAt: z.string().nullable(), breachedAt: z.string().nullable(), pausedAt: z.string().nullable(),
  })),
});

export const messageBody = z.object({ body: text(20_000), visibleToCustomer: z.boolean() }).strict();
export const messageView = z.object({
  id: z.string(), authorType: z.string(), authorId: z.string().nullable(), authorName: z.string().nullable(), body: z.string(),
  visibleToCustomer: z.boolean(), createdAt: z.string(),
});

export const transferBody = z.object({ toUserId: z.string().uuid().optional(), toUnitId: z.string().uuid().optional(), reason: text(2000) }).strict();
export const declineBody = z.object({ reason: text(2000) }).strict();
export const resolveBody = z.object({
  outcome: z.enum(caseOutcomes),
  summary: text(20_000),
  redress: z.object({ amount: z.number().positive().max(1e10), kind: z.enum(redressKinds) }).strict().nullish(),
}).strict();
export const reasonBody = z.object({ reason: text(2000) }).strict();
export const noteBody = z.object({ note: z.string().trim().max(2000).optional() }).strict().nullish();

export const eventView = z.object({ seq: z.number(), at: z.string(), actorId: z.string().nullable(), type: z.string(), data: z.unknown() });
