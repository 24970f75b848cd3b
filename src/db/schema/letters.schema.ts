import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './org.schema.js';

/** An organisation's own wording of a letter, replacing the default (letters/letter-templates.ts). */
export const letterTemplates = pgTable('letter_templates', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  kind: text('kind').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  optional: jsonb('optional').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('letter_templates_org_kind_uq').on(t.organisationId, t.kind)]);
