import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './org.schema.js';

/**
 * Outgoing webhooks. The signing secret is kept as is: HMAC needs it (it is shown to the
 * admin once, at creation, and never returned by the API again).
 */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  /** Event types (e.g. case.created, escalation.raised) or "*" for all. */
  events: jsonb('events').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [index('webhooks_org_active_idx').on(t.organisationId, t.active)]);

export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  webhookId: uuid('webhook_id').notNull().references(() => webhooks.id),
  eventType: text('event_type').notNull(),
  payload: jsonb('payload').notNull(),
  status: text('status', { enum: ['queued', 'sent', 'failed'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
}, (t) => [
  index('webhook_deliveries_org_hook_idx').on(t.organisationId, t.webhookId, t.createdAt),
  index('webhook_deliveries_org_status_idx').on(t.organisationId, t.status, t.nextAttemptAt),
]);
