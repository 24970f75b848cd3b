import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { cases } from './cases.schema.js';
import { organisations } from './org.schema.js';

/**
 * Links to a customer's status page. The token (256 random bits) is in the link only; the table
 * keeps its SHA-256. A new token goes out with each e-mail; all of a case's tokens stop working
 * when revoked, or a set time after the case is closed.
 */
export const portalTokens = pgTable('portal_tokens', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [index('portal_tokens_org_case_idx').on(t.organisationId, t.caseId)]);
