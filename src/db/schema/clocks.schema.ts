import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases } from './cases.schema.js';
import { organisations } from './org.schema.js';

export const clockStates = ['running', 'paused', 'met', 'warning', 'breached'] as const;
export type ClockState = (typeof clockStates)[number];

/** An organisation's own clock policies, beside the presets in clocks/policies.ts. */
export const clockPolicies = pgTable('clock_policies', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  key: text('key').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  source: text('source').notNull(),
  clocks: jsonb('clocks').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('clock_policies_org_key_uq').on(t.organisationId, t.key)]);

/** One running deadline of one case. */
export const caseClocks = pgTable('case_clocks', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  policyKey: text('policy_key').notNull(),
  name: text('name').notNull(),
  label: text('label').notNull(),
  basis: text('basis').notNull(),
  amount: real('amount').notNull(),
  metBy: text('met_by').notNull(),
  pausable: boolean('pausable').notNull(),
  informational: boolean('informational').notNull(),
  warnAt: jsonb('warn_at').notNull(),
  customerText: text('customer_text').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  state: text('state', { enum: clockStates }).notNull(),
  warningsFired: integer('warnings_fired').notNull().default(0),
  /** When the sweep must next look at this clock (a warning or the deadline); null when nothing is pending. */
  nextFireAt: timestamp('next_fire_at', { withTimezone: true }),
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  metAt: timestamp('met_at', { withTimezone: true }),
  breachedAt: timestamp('breached_at', { withTimezone: true }),
}, (t) => [
  index('case_clocks_org_case_idx').on(t.organisationId, t.caseId),
  // The sweep reads only clocks with something pending, in time order: its cost follows the due clocks, not the open cases.
  index('case_clocks_due_idx').on(t.nextFireAt).where(sql`next_fire_at IS NOT NULL`),
]);
