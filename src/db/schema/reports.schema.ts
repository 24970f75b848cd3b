import { bigint, boolean, date, doublePrecision, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, units, users } from './org.schema.js';

/** Turnaround histograms count whole days 0..HISTOGRAM_DAYS-1; the last bucket holds everything longer. */
export const HISTOGRAM_DAYS = 121;

/**
 * One row per case as the reports see it, refreshed by a job from the history watermark (never by
 * intake): the business-day turnaround on the unit's calendar and the key phrases of the text are
 * computed once here, not per request.
 */
export const reportCaseFacts = pgTable('report_case_facts', {
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull(),
  unitId: uuid('unit_id').notNull(),
  kind: text('kind').notNull(),
  product: text('product'),
  category: text('category'),
  channel: text('channel').notNull(),
  vulnerable: boolean('vulnerable').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  receivedDay: date('received_day', { mode: 'string' }).notNull(),
  /** Set while the case stands resolved or closed (a reopened case is not resolved). */
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  resolvedDay: date('resolved_day', { mode: 'string' }),
  outcome: text('outcome'),
  calendarDays: integer('calendar_days'),
  businessDays: integer('business_days'),
  within8Weeks: boolean('within_8_weeks'),
  redressAmount: numeric('redress_amount', { precision: 14, scale: 2, mode: 'number' }),
  redressKind: text('redress_kind'),
  reopenCount: integer('reopen_count').notNull(),
  clocks: text('clocks').array().notNull(),
  breachedClocks: text('breached_clocks').array().notNull(),
  phrases: text('phrases').array().notNull(),
  /**
   * The last event of the case's stream these facts already reflect: the rollup job passes over
   * older events of the case (a bulk load writes its cases' facts itself). Null: refresh on any event.
   */
  streamSeq: integer('stream_seq'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.caseId] }),
  index('report_case_facts_org_received_idx').on(t.organisationId, t.receivedDay),
  index('report_case_facts_org_resolved_idx').on(t.organisationId, t.resolvedDay),
]);

/**
 * The daily rollup the reports read: per day and unit, one row for the unit as a whole
 * (dimension "all") and one per product, category, channel and vulnerability value. Received
 * counts are by day received; resolution counts by day resolved. The same sums per ISO week
 * (day = the Monday, dimension "week" and "week:<dimension>") let long periods read whole weeks.
 */
export const reportDaily = pgTable('report_daily', {
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  day: date('day', { mode: 'string' }).notNull(),
  unitId: uuid('unit_id').notNull(),
  dimension: text('dimension').notNull(),
  value: text('value').notNull(),
  received: integer('received').notNull(),
  resolved: integer('resolved').notNull(),
  resolvedWithin3BusinessDays: integer('resolved_within_3bd').notNull(),
  resolvedWithin8Weeks: integer('resolved_within_8w').notNull(),
  upheld: integer('upheld').notNull(),
  reopened: integer('reopened').notNull(),
  /** Of the complaints received that day, those not resolved now: the ageing of open complaints without reading cases. */
  openNow: integer('open_now').notNull().default(0),
  redressCompensation: numeric('redress_compensation', { precision: 16, scale: 2, mode: 'number' }).notNull(),
  redressRefund: numeric('redress_refund', { precision: 16, scale: 2, mode: 'number' }).notNull(),
  redressGoodwill: numeric('redress_goodwill', { precision: 16, scale: 2, mode: 'number' }).notNull(),
  redressInterest: numeric('redress_interest', { precision: 16, scale: 2, mode: 'number' }).notNull(),
  /** Clocks started on cases received that day, and those breached, by clock name ("name=count" pairs). */
  clockCounts: text('clock_counts').array().notNull(),
  breachCounts: text('breach_counts').array().notNull(),
  /** Only on "all" rows: turnaround histograms of the cases resolved that day. */
  calendarHistogram: integer('calendar_histogram').array(),
  businessHistogram: integer('business_histogram').array(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.day, t.dimension, t.unitId, t.value] }),
  // The unit-as-a-whole reads ("all" days, "week" weeks) pick their rows without walking every breakdown row of the period.
  index('report_daily_org_dimension_day_idx').on(t.organisationId, t.dimension, t.day),
]);

/** Stands for "no unit" in the survey rollup, whose key cannot hold a null (never a real unit's id). */
export const NO_UNIT = '00000000-0000-0000-0000-000000000000';

/**
 * Survey answers per UTC day, unit and survey, kept by a trigger on survey_responses (every
 * insert, change and delete, whatever writes it) so the report never scans the responses: counts,
 * sums and sums of squares give the care mean and its interval, promoters and detractors the NPS,
 * and the sums over the answers with both care and propensity (with their cross-product) give
 * Pearson's r. The answers are whole points 0–10, so every sum is exact.
 */
export const reportSurveyDaily = pgTable('report_survey_daily', {
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  day: date('day', { mode: 'string' }).notNull(),
  /** NO_UNIT for responses without a unit. */
  unitId: uuid('unit_id').notNull(),
  surveyId: uuid('survey_id').notNull(),
  careN: integer('care_n').notNull(),
  careSum: doublePrecision('care_sum').notNull(),
  careSumSquares: doublePrecision('care_sum_squares').notNull(),
  npsN: integer('nps_n').notNull(),
  promoters: integer('promoters').notNull(),
  detractors: integer('detractors').notNull(),
  /** Answers with both care and propensity: their sums, sums of squares and cross-products. */
  pairN: integer('pair_n').notNull(),
  pairCare: doublePrecision('pair_care').notNull(),
  pairPropensity: doublePrecision('pair_propensity').notNull(),
  pairCareSquares: doublePrecision('pair_care_squares').notNull(),
  pairPropensitySquares: doublePrecision('pair_propensity_squares').notNull(),
  pairProducts: doublePrecision('pair_products').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.day, t.unitId, t.surveyId] }),
]);

/** How far the rollup job has read the history (per organisation); its row is the job's lock. */
export const reportWatermarks = pgTable('report_watermarks', {
  organisationId: uuid('organisation_id').primaryKey().references(() => organisations.id),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  /** The rollup layout the organisation's rows were built with; below ROLLUP_VERSION the job rebuilds them all once. */
  rollupVersion: integer('rollup_version').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** What an executive or compliance officer wrote about one period (and unit) before exporting. */
export const reportCommentaries = pgTable('report_commentaries', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  periodFrom: date('period_from', { mode: 'string' }).notNull(),
  periodTo: date('period_to', { mode: 'string' }).notNull(),
  /** The unit id, or "" for the whole company (so the unique key holds). */
  unitKey: text('unit_key').notNull(),
  headline: text('headline').notNull(),
  risks: text('risks').notNull(),
  actions: text('actions').notNull(),
  updatedBy: uuid('updated_by').notNull().references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('report_commentaries_org_period_unit_uq').on(t.organisationId, t.periodFrom, t.periodTo, t.unitKey)]);

export const reportFrequencies = ['weekly', 'monthly'] as const;

/** A user who receives the executive report by e-mail each week or month. */
export const reportSubscriptions = pgTable('report_subscriptions', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  frequency: text('frequency', { enum: reportFrequencies }).notNull(),
  unitId: uuid('unit_id').references(() => units.id),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** The last period sent ("2026-W10", "2026-03"): claiming the next one is a compare-and-set. */
  lastPeriod: text('last_period'),
}, (t) => [uniqueIndex('report_subscriptions_org_user_freq_uq').on(t.organisationId, t.userId, t.frequency)]);
