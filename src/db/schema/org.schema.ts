import { sql } from 'drizzle-orm';
import {
  boolean, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

/** The tenant. Every other table carries `organisation_id` (see db/tenant.ts). */
export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  /** Organisation settings (taxonomy, retention); see org/settings.ts for the defaults. */
  settings: jsonb('settings').notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const unitKinds = ['company', 'division', 'region', 'team'] as const;
export type UnitKind = (typeof unitKinds)[number];

/**
 * Org units form a tree. `path` is the materialised path of ids ("/a/b/c/") so that
 * "everything in this subtree" is one indexed prefix match, used by unit scoping.
 */
export const units = pgTable('units', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  parentId: uuid('parent_id'),
  name: text('name').notNull(),
  kind: text('kind', { enum: unitKinds }).notNull(),
  path: text('path').notNull(),
  depth: integer('depth').notNull(),
  timezone: text('timezone').notNull().default('Europe/London'),
  country: text('country'),
  /** How new cases without an owner pick an agent: fewest open cases, or strict rotation. */
  routing: text('routing', { enum: ['least_loaded', 'round_robin'] }).notNull().default('least_loaded'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('units_org_path_idx').on(t.organisationId, t.path.op('text_pattern_ops')),
  index('units_org_parent_idx').on(t.organisationId, t.parentId),
]);

export const roles = ['admin', 'executive', 'compliance', 'lead', 'agent'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role', { enum: roles }).notNull(),
  unitId: uuid('unit_id').notNull().references(() => units.id),
  passwordHash: text('password_hash'),
  discretionLimit: numeric('discretion_limit', { precision: 14, scale: 2, mode: 'number' }),
  active: boolean('active').notNull().default(true),
  /** E-mail for notifications: each one at once, one daily digest, or none (in-app only). */
  emailNotifications: text('email_notifications', { enum: ['immediate', 'daily_digest', 'off'] }).notNull().default('immediate'),
  lastDigestAt: timestamp('last_digest_at', { withTimezone: true }),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('users_org_email_uq').on(t.organisationId, sql`lower(${t.email})`),
  index('users_email_idx').on(sql`lower(${t.email})`),
  index('users_org_unit_idx').on(t.organisationId, t.unitId),
]);

/** Login sessions; the cookie carries a random token, the table only its SHA-256. */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('sessions_org_user_idx').on(t.organisationId, t.userId)]);

/** API tokens for integrators; shown once, stored as SHA-256 (they carry 256 random bits). */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [index('api_tokens_org_user_idx').on(t.organisationId, t.userId)]);
