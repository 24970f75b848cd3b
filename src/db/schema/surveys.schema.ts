import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './org.schema.js';

export const surveyAudiences = ['customers', 'advisers'] as const;
export const surveyStatuses = ['draft', 'live', 'closed'] as const;

/** A survey; its questions live in versions, so editing a live survey never changes what was answered. */
export const surveys = pgTable('surveys', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  name: text('name').notNull(),
  audience: text('audience', { enum: surveyAudiences }).notNull(),
  touchpoint: text('touchpoint').notNull(),
  status: text('status', { enum: surveyStatuses }).notNull(),
  currentVersion: integer('current_version').notNull(),
  /** An anonymous link anyone may answer through (rate-limited); null when the survey has none. */
  publicTokenHash: text('public_token_hash').unique(),
  /** Closed loop, reminders, throttling and the case trigger: see surveys/survey-rules.ts. */
  settings: jsonb('settings').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [index('surveys_org_status_idx').on(t.organisationId, t.status)]);

export const surveyVersions = pgTable('survey_versions', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  surveyId: uuid('survey_id').notNull().references(() => surveys.id),
  version: integer('version').notNull(),
  questions: jsonb('questions').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('survey_versions_org_survey_version_uq').on(t.organisationId, t.surveyId, t.version)]);

/** One person's single-use link to a survey, with the segment their answers are reported under. */
export const surveyInvitations = pgTable('survey_invitations', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  surveyId: uuid('survey_id').notNull().references(() => surveys.id),
  tokenHash: text('token_hash').notNull().unique(),
  /** The link in the one reminder; the first link keeps working too. */
  reminderTokenHash: text('reminder_token_hash').unique(),
  email: text('email').notNull(),
  name: text('name'),
  segment: jsonb('segment').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  sendAt: timestamp('send_at', { withTimezone: true }).notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  remindedAt: timestamp('reminded_at', { withTimezone: true }),
  respondedAt: timestamp('responded_at', { withTimezone: true }),
}, (t) => [
  index('survey_invitations_org_survey_idx').on(t.organisationId, t.surveyId),
  index('survey_invitations_org_email_idx').on(t.organisationId, t.email, t.createdAt),
  index('survey_invitations_send_idx').on(t.sendAt).where(sql`sent_at IS NULL`),
]);

export const surveyResponses = pgTable('survey_responses', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  surveyId: uuid('survey_id').notNull().references(() => surveys.id),
  version: integer('version').notNull(),
  invitationId: uuid('invitation_id').unique(),
  answers: jsonb('answers').notNull(),
  /** The rated items, in columns, for analytics. */
  care: real('care'),
  propensity: real('propensity'),
  nps: real('nps'),
  csat: real('csat'),
  ces: real('ces'),
  unitId: uuid('unit_id'),
  product: text('product'),
  channel: text('channel'),
  touchpoint: text('touchpoint').notNull(),
  caseId: uuid('case_id'),
  followUpCaseId: uuid('follow_up_case_id'),
  /** The free-text answers joined, for verbatim search; null when none was given. */
  verbatim: text('verbatim'),
  /** Mean sentiment of the free-text answers (wink-nlp, −1..1), computed once at submission. */
  sentiment: real('sentiment'),
  /** Theme lemmas of the free-text answers (noun phrases), for top themes per month. */
  themes: jsonb('themes').$type<string[]>(),
  /** Per free-text question: { sentiment, keyPhrases }, so analytics never re-parse. */
  textAnalysis: jsonb('text_analysis'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('survey_responses_org_survey_created_idx').on(t.organisationId, t.surveyId, t.createdAt),
  index('survey_responses_org_unit_idx').on(t.organisationId, t.unitId, t.createdAt),
  // The backfill's sweep finds responses whose comments are not analysed yet (none, once caught up).
  index('survey_responses_unanalysed_idx').on(t.createdAt).where(sql`text_analysis IS NULL`),
]);

/** A respondent's answers so far, saved as they go (personal links only); never counted as a response. */
export const surveyDrafts = pgTable('survey_drafts', {
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  invitationId: uuid('invitation_id').notNull().references(() => surveyInvitations.id),
  answers: jsonb('answers').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('survey_drafts_org_invitation_uq').on(t.organisationId, t.invitationId)]);
