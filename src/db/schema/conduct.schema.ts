import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, units, users } from './org.schema.js';

export const assessmentStates = ['not_started', 'draft', 'submitted', 'returned', 'approved', 'not_applicable'] as const;
export const cycleStatuses = ['open', 'closed'] as const;
export const evidenceKinds = ['file', 'link', 'note'] as const;
export const evidenceStatuses = ['draft', 'approved', 'expired'] as const;
export const actionStatuses = ['open', 'done', 'verified'] as const;
export const actionPriorities = ['low', 'medium', 'high', 'critical'] as const;
export const actionSources = ['assessment', 'lesson', 'alert', 'manual'] as const;

/** A versioned outcome framework (TCF, Consumer Duty or the firm's own): outcomes, a scoring scale and the pass line. */
export const conductFrameworks = pgTable('conduct_frameworks', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  presetKey: text('preset_key'),
  name: text('name').notNull(),
  description: text('description').notNull(),
  version: integer('version').notNull(),
  /** [{key, title, description}] */
  outcomes: jsonb('outcomes').notNull(),
  /** {min, max, levels: [{score, label, description}]} */
  scale: jsonb('scale').notNull(),
  /** A cell scoring below this is red and needs an action. */
  threshold: integer('threshold').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [index('conduct_frameworks_org_idx').on(t.organisationId, t.createdAt)]);

export const conductPractices = pgTable('conduct_practices', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  frameworkId: uuid('framework_id').notNull().references(() => conductFrameworks.id),
  outcomeKey: text('outcome_key').notNull(),
  code: text('code').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  /** What good looks like. */
  guidance: text('guidance').notNull(),
  exampleEvidence: jsonb('example_evidence').notNull(),
  /** Unit kinds the practice applies to. */
  unitKinds: jsonb('unit_kinds').notNull(),
  /** A failing critical practice caps the company score (see conduct/status-score.ts). */
  critical: boolean('critical').notNull(),
  active: boolean('active').notNull(),
  version: integer('version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('conduct_practices_org_framework_idx').on(t.organisationId, t.frameworkId),
  uniqueIndex('conduct_practices_org_framework_code_uq').on(t.organisationId, t.frameworkId, t.code),
]);

/** A unit's justified "this practice does not apply to us". */
export const conductExclusions = pgTable('conduct_exclusions', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  practiceId: uuid('practice_id').notNull().references(() => conductPractices.id),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  justification: text('justification').notNull(),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('conduct_exclusions_org_practice_unit_uq').on(t.organisationId, t.practiceId, t.unitId)]);

export const conductCycles = pgTable('conduct_cycles', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  frameworkId: uuid('framework_id').notNull().references(() => conductFrameworks.id),
  frameworkVersion: integer('framework_version').notNull(),
  name: text('name').notNull(),
  opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  status: text('status', { enum: cycleStatuses }).notNull(),
  previousCycleId: uuid('previous_cycle_id'),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
}, (t) => [index('conduct_cycles_org_framework_idx').on(t.organisationId, t.frameworkId, t.createdAt)]);

/** One cell of a cycle: a practice for a unit, self-assessed and reviewed. */
export const conductAssessments = pgTable('conduct_assessments', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  cycleId: uuid('cycle_id').notNull().references(() => conductCycles.id),
  practiceId: uuid('practice_id').notNull().references(() => conductPractices.id),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  state: text('state', { enum: assessmentStates }).notNull(),
  selfScore: integer('self_score'),
  rationale: text('rationale'),
  reviewerScore: integer('reviewer_score'),
  reviewComment: text('review_comment'),
  notApplicableReason: text('not_applicable_reason'),
  carriedFromId: uuid('carried_from_id'),
  submittedBy: uuid('submitted_by'),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  reviewedBy: uuid('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('conduct_assessments_org_cycle_practice_unit_uq').on(t.organisationId, t.cycleId, t.practiceId, t.unitId),
  index('conduct_assessments_org_cycle_unit_idx').on(t.organisationId, t.cycleId, t.unitId),
  index('conduct_assessments_org_practice_unit_idx').on(t.organisationId, t.practiceId, t.unitId),
]);

export const conductEvidence = pgTable('conduct_evidence', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  kind: text('kind', { enum: evidenceKinds }).notNull(),
  title: text('title').notNull(),
  /** The unit it belongs to: reading it needs this unit (or a cell it supports) in scope. */
  unitId: uuid('unit_id').notNull().references(() => units.id),
  ownerId: uuid('owner_id').notNull().references(() => users.id),
  status: text('status', { enum: evidenceStatuses }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  url: text('url'),
  note: text('note'),
  filename: text('filename'),
  contentType: text('content_type'),
  size: integer('size'),
  sha256: text('sha256'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('conduct_evidence_org_unit_idx').on(t.organisationId, t.unitId, t.createdAt),
  index('conduct_evidence_org_expiry_idx').on(t.organisationId, t.expiresAt).where(sql`expires_at IS NOT NULL AND status <> 'expired'`),
]);

/** Evidence supports many cells and actions; each link is a row. */
export const conductEvidenceLinks = pgTable('conduct_evidence_links', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  evidenceId: uuid('evidence_id').notNull().references(() => conductEvidence.id),
  assessmentId: uuid('assessment_id').references(() => conductAssessments.id),
  actionId: uuid('action_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('conduct_evidence_links_org_evidence_idx').on(t.organisationId, t.evidenceId),
  uniqueIndex('conduct_evidence_links_org_assessment_uq').on(t.organisationId, t.assessmentId, t.evidenceId).where(sql`assessment_id IS NOT NULL`),
  uniqueIndex('conduct_evidence_links_org_action_uq').on(t.organisationId, t.actionId, t.evidenceId).where(sql`action_id IS NOT NULL`),
]);

export const conductActions = pgTable('conduct_actions', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  title: text('title').notNull(),
  description: text('description').notNull(),
  practiceId: uuid('practice_id').notNull().references(() => conductPractices.id),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  delegateId: uuid('delegate_id').notNull().references(() => users.id),
  createdBy: uuid('created_by'),
  deadline: timestamp('deadline', { withTimezone: true }).notNull(),
  priority: text('priority', { enum: actionPriorities }).notNull(),
  expectedEffect: text('expected_effect').notNull(),
  status: text('status', { enum: actionStatuses }).notNull(),
  required: boolean('required').notNull(),
  sourceKind: text('source_kind', { enum: actionSources }).notNull(),
  /** {assessmentId?, cycleId?, lessonId?, alertId?, detail?} */
  source: jsonb('source').notNull(),
  assessmentId: uuid('assessment_id'),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneNote: text('done_note'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  verifiedBy: uuid('verified_by'),
  verifyScore: integer('verify_score'),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  /** When the reminder sweep next has something to do for this action (a reminder or the escalation). */
  nextReminderAt: timestamp('next_reminder_at', { withTimezone: true }),
  escalatedToId: uuid('escalated_to_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('conduct_actions_org_status_deadline_idx').on(t.organisationId, t.status, t.deadline),
  index('conduct_actions_org_delegate_idx').on(t.organisationId, t.delegateId, t.status),
  index('conduct_actions_org_practice_unit_idx').on(t.organisationId, t.practiceId, t.unitId),
  /** The reminder sweep reads only open actions, across organisations, by deadline. */
  index('conduct_actions_reminder_due_idx').on(t.nextReminderAt).where(sql`status = 'open' AND next_reminder_at IS NOT NULL`),
]);

/** Each reminder (action offset, evidence expiry, overdue escalation) once: the unique key is the claim. */
export const conductReminders = pgTable('conduct_reminders', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  subjectId: uuid('subject_id').notNull(),
  key: text('key').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('conduct_reminders_org_subject_key_uq').on(t.organisationId, t.subjectId, t.key)]);

/** One status figure per cycle per day, for the trend. */
export const conductSnapshots = pgTable('conduct_snapshots', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  cycleId: uuid('cycle_id').notNull().references(() => conductCycles.id),
  day: text('day').notNull(),
  score: real('score'),
  capped: boolean('capped').notNull(),
  shareBelowThreshold: real('share_below_threshold').notNull(),
  redCells: integer('red_cells').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('conduct_snapshots_org_cycle_day_uq').on(t.organisationId, t.cycleId, t.day)]);
