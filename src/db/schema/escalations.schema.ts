import { sql } from 'drizzle-orm';
import { index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases } from './cases.schema.js';
import { organisations, units, users } from './org.schema.js';

/**
 * A unit's escalation ladder, in order. A rung names a person, or a role relative to the case
 * ("the lead of the case's unit", "a compliance officer"). Units without a ladder use their
 * parent's, and the default climbs the leads up the unit tree to compliance.
 */
export const escalationRungs = pgTable('escalation_rungs', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  position: integer('position').notNull(),
  userId: uuid('user_id').references(() => users.id),
  role: text('role', { enum: ['unit_lead', 'parent_lead', 'compliance', 'admin'] }),
  label: text('label').notNull(),
}, (t) => [uniqueIndex('escalation_rungs_org_unit_pos_uq').on(t.organisationId, t.unitId, t.position)]);

export const escalationReasons = ['breach', 'warning', 'transfer_waiting', 'discretion', 'manual', 'customer_request', 'vulnerable_customer', 'outside_process'] as const;
export const escalationStates = ['open', 'acknowledged', 'resolved'] as const;

export const escalations = pgTable('escalations', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  reason: text('reason', { enum: escalationReasons }).notNull(),
  note: text('note').notNull(),
  toUserId: uuid('to_user_id').notNull().references(() => users.id),
  rung: integer('rung').notNull(),
  state: text('state', { enum: escalationStates }).notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** The addressee must acknowledge by then, or the escalation climbs to the next rung. */
  ackDueAt: timestamp('ack_due_at', { withTimezone: true }),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  /** When the addressee was reminded that the acknowledgement deadline is near. */
  remindedAt: timestamp('reminded_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  resolution: text('resolution'),
  decisionId: uuid('decision_id'),
  clockName: text('clock_name'),
}, (t) => [
  index('escalations_org_to_state_idx').on(t.organisationId, t.toUserId, t.state),
  index('escalations_org_case_idx').on(t.organisationId, t.caseId),
  index('escalations_org_state_created_idx').on(t.organisationId, t.state, t.createdAt),
  index('escalations_ack_due_idx').on(t.ackDueAt).where(sql`state = 'open'`),
]);

export const failureTypes = ['policy', 'process', 'system', 'people', 'third_party'] as const;
export const lessonStatuses = ['proposed', 'in_progress', 'done', 'rejected'] as const;

/** What an escalated exception taught: root cause and the process change, in the improvement backlog. */
export const lessons = pgTable('lessons', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  escalationId: uuid('escalation_id').notNull().references(() => escalations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  rootCause: text('root_cause').notNull(),
  failureType: text('failure_type', { enum: failureTypes }).notNull(),
  processChange: text('process_change').notNull(),
  practiceId: uuid('practice_id'),
  ownerId: uuid('owner_id').notNull().references(() => users.id),
  status: text('status', { enum: lessonStatuses }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('lessons_org_status_idx').on(t.organisationId, t.status, t.createdAt),
  index('lessons_org_practice_idx').on(t.organisationId, t.practiceId),
]);

export const decisionKinds = ['refund', 'fee_waiver', 'goodwill', 'policy_exception'] as const;
export const decisionStates = ['applied', 'pending_approval', 'approved', 'rejected'] as const;

/** Front-line discretion, recorded with its rationale; beyond the user's limit it needs approval. */
export const decisions = pgTable('decisions', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  kind: text('kind', { enum: decisionKinds }).notNull(),
  amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }),
  rationale: text('rationale').notNull(),
  decidedBy: uuid('decided_by').notNull().references(() => users.id),
  state: text('state', { enum: decisionStates }).notNull(),
  escalationId: uuid('escalation_id'),
  approvedBy: uuid('approved_by'),
  approvalNote: text('approval_note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
}, (t) => [
  index('decisions_org_case_idx').on(t.organisationId, t.caseId),
  index('decisions_org_created_idx').on(t.organisationId, t.createdAt),
]);

/** In-app notifications; e-mail copies go through the outbox according to the user's preference. */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  caseId: uuid('case_id'),
  escalationId: uuid('escalation_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  readAt: timestamp('read_at', { withTimezone: true }),
  emailedAt: timestamp('emailed_at', { withTimezone: true }),
}, (t) => [index('notifications_org_user_idx').on(t.organisationId, t.userId, t.createdAt)]);
