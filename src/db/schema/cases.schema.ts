import { sql, type SQL } from 'drizzle-orm';
import {
  boolean, customType, date, index, integer, jsonb, numeric, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { organisations, units, users } from './org.schema.js';

export const caseKinds = ['complaint', 'request', 'follow_up'] as const;
export const caseStatuses = ['open', 'waiting_customer', 'resolved', 'closed'] as const;
export const casePriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const caseChannels = ['web', 'email', 'phone', 'letter', 'social', 'api', 'survey', 'branch'] as const;
export const caseOutcomes = ['upheld', 'partially_upheld', 'not_upheld', 'resolved'] as const;
export const redressKinds = ['compensation', 'refund', 'goodwill', 'interest'] as const;
export interface MailAttachment { filename: string; contentType: string; contentBase64: string }
export type CaseStatus = (typeof caseStatuses)[number];

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Case references (C-2026-000123) come from one sequence: no row lock serialises intake. */
export const caseRefSeq = pgSequence('case_ref_seq', { startWith: 1, cache: 1 });

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  ref: text('ref').notNull(),
  kind: text('kind', { enum: caseKinds }).notNull(),
  subject: text('subject').notNull(),
  description: text('description').notNull(),
  customerName: text('customer_name').notNull(),
  customerEmail: text('customer_email'),
  customerPhone: text('customer_phone'),
  customerRef: text('customer_ref'),
  channel: text('channel', { enum: caseChannels }).notNull(),
  product: text('product'),
  category: text('category'),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  /** The one accountable owner: never null, always an active user (a trigger checks it too). */
  ownerId: uuid('owner_id').notNull().references(() => users.id),
  status: text('status', { enum: caseStatuses }).notNull(),
  priority: text('priority', { enum: casePriorities }).notNull().default('normal'),
  vulnerable: boolean('vulnerable').notNull().default(false),
  vulnerabilityNote: text('vulnerability_note'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  outcome: text('outcome', { enum: caseOutcomes }),
  resolutionSummary: text('resolution_summary'),
  redressAmount: numeric('redress_amount', { precision: 14, scale: 2, mode: 'number' }),
  redressKind: text('redress_kind', { enum: redressKinds }),
  reopenCount: integer('reopen_count').notNull().default(0),
  /** The nearest running clock deadline; the inbox sorts by it (set by the clock engine). */
  nextDueAt: timestamp('next_due_at', { withTimezone: true }),
  /** The inbox order in one indexable key: the nearest deadline, or (no clocks) far after every deadline, oldest first. */
  sortDueAt: timestamp('sort_due_at', { withTimezone: true }).notNull(),
  breached: boolean('breached').notNull().default(false),
  /** The clock policy the case runs (see clocks/policies.ts). */
  policyKey: text('policy_key'),
  retentionUntil: date('retention_until', { mode: 'string' }).notNull(),
  legalHold: boolean('legal_hold').notNull().default(false),
  /** Set when retention or an erasure request replaced the customer's personal data and free text. */
  anonymisedAt: timestamp('anonymised_at', { withTimezone: true }),
  importId: uuid('import_id'),
  search: tsvector('search').generatedAlwaysAs(
    (): SQL => sql`to_tsvector('english', coalesce(${cases.subject}, '') || ' ' || coalesce(${cases.description}, '') || ' ' || coalesce(${cases.ref}, '') || ' ' || coalesce(${cases.customerName}, ''))`,
  ),
}, (t) => [
  uniqueIndex('cases_org_ref_uq').on(t.organisationId, t.ref),
  index('cases_org_owner_status_due_idx').on(t.organisationId, t.ownerId, t.status, t.sortDueAt, t.id),
  index('cases_org_unit_status_due_idx').on(t.organisationId, t.unitId, t.status, t.sortDueAt, t.id),
  index('cases_org_received_idx').on(t.organisationId, t.receivedAt, t.id),
  index('cases_org_status_due_idx').on(t.organisationId, t.status, t.sortDueAt, t.id),
  index('cases_org_owner_created_idx').on(t.organisationId, t.ownerId, t.createdAt),
  index('cases_search_idx').using('gin', t.search),
  // The retention job's work list: cases not anonymised yet, by retention date.
  index('cases_org_retention_idx').on(t.organisationId, t.retentionUntil).where(sql`anonymised_at IS NULL`),
  // Searches of the working set (open and waiting cases, the inbox's) read only its postings: at a million
  // cases the full index's matches for a common word are ten times as many, most of them long closed.
  index('cases_active_search_idx').using('gin', t.search).where(sql`${t.status} IN ('open', 'waiting_customer')`),
  // The working set in deadline order: a search for a common word walks it and stops at the page's
  // fiftieth match (for "credit report", half the working set matches) instead of sorting every match.
  index('cases_org_active_due_idx').on(t.organisationId, t.sortDueAt, t.id).where(sql`${t.status} IN ('open', 'waiting_customer')`),
]);

export const transferStates = ['pending', 'accepted', 'declined', 'cancelled'] as const;

/** A hand-off is a request: the sender owns the case until the receiver accepts. */
export const caseTransfers = pgTable('case_transfers', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  fromUserId: uuid('from_user_id').notNull().references(() => users.id),
  toUserId: uuid('to_user_id').references(() => users.id),
  toUnitId: uuid('to_unit_id').references(() => units.id),
  reason: text('reason').notNull(),
  state: text('state', { enum: transferStates }).notNull(),
  declineReason: text('decline_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: uuid('decided_by'),
  /** Set when a transfer waited too long and was escalated, so it escalates once. */
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
}, (t) => [
  // At most one pending transfer per case: two simultaneous requests cannot both stand.
  uniqueIndex('case_transfers_one_pending_uq').on(t.organisationId, t.caseId).where(sql`state = 'pending'`),
  index('case_transfers_org_to_user_idx').on(t.organisationId, t.toUserId, t.state),
  index('case_transfers_org_to_unit_idx').on(t.organisationId, t.toUnitId, t.state),
]);

export const messageAuthors = ['staff', 'customer', 'system'] as const;

export const caseMessages = pgTable('case_messages', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  authorType: text('author_type', { enum: messageAuthors }).notNull(),
  authorId: uuid('author_id'),
  body: text('body').notNull(),
  visibleToCustomer: boolean('visible_to_customer').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [index('case_messages_org_case_idx').on(t.organisationId, t.caseId, t.createdAt)]);

export const caseAttachments = pgTable('case_attachments', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  messageId: uuid('message_id'),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  visibleToCustomer: boolean('visible_to_customer').notNull().default(false),
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [index('case_attachments_org_case_idx').on(t.organisationId, t.caseId)]);

export const importStates = ['validating', 'invalid', 'importing', 'done', 'failed'] as const;

/** One CSV import: validated whole before anything is written; progress for the upload page. */
export const caseImports = pgTable('case_imports', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  filename: text('filename').notNull(),
  mapping: jsonb('mapping').notNull(),
  state: text('state', { enum: importStates }).notNull(),
  totalRows: integer('total_rows').notNull().default(0),
  importedRows: integer('imported_rows').notNull().default(0),
  errors: jsonb('errors').notNull().default([]),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [index('case_imports_org_created_idx').on(t.organisationId, t.createdAt)]);

/** Column mappings saved per source ("our CRM export", "CFPB portal"). */
export const importMappings = pgTable('import_mappings', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  name: text('name').notNull(),
  columns: jsonb('columns').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('import_mappings_org_name_uq').on(t.organisationId, t.name)]);

/** Outgoing e-mail: kept here first so nothing is lost while SMTP is down or not configured. */
export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  caseId: uuid('case_id'),
  /** Files sent with the message (e.g. the scheduled report PDF), base64. */
  attachments: jsonb('attachments').$type<MailAttachment[]>(),
  status: text('status', { enum: ['queued', 'sent', 'failed'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
}, (t) => [index('outbox_org_status_next_idx').on(t.organisationId, t.status, t.nextAttemptAt)]);
