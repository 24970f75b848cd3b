import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { apiTokens, organisations, sessions, units, users } from '../db/schema/index.js';
import { LookupBatcher } from '../db/lookup-batcher.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import type { Actor } from './actor.js';
import { requireRole } from './actor.js';
import { dummyPasswordHash, generateSecret, sha256, verifyPassword } from './secrets.js';

/** After this many failed logins the account is locked, for a time that doubles each further failure. */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_MINUTES = 60;
/** A session never lives longer than this, however active. */
const SESSION_MAX_DAYS = 7;
/** Touching "last seen" on every request would turn every read into a write. */
const TOUCH_INTERVAL_MS = 60_000;

const actorColumns = {
  organisationId: users.organisationId, userId: users.id, role: users.role, unitId: users.unitId,
  unitPath: units.path, name: users.name,
};

export interface LoginInput {
  email: string;
  password: string;
  organisation?: string;
}

export interface LoginResult {
  sessionToken: string;
  actor: Actor;
  expiresAt: Date;
}

export async function login(ctx: AppContext, input: LoginInput): Promise<LoginResult> {
  const now = ctx.clock.now();
  // Login is the one query that crosses organisations: the tenant is not known yet.
  const candidates = await ctx.db
    .select({ ...actorColumns, passwordHash: users.passwordHash, lockedUntil: users.lockedUntil, failedLogins: users.failedLogins, slug: organisations.slug })
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(and(eq(sql`lower(${users.email})`, input.email.toLowerCase()), eq(users.active, true),
      input.organisation ? eq(organisations.slug, input.organisation) : undefined));

  if (candidates.length === 0) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw invalidCredentials();
  }
  const locked = candidates.find((c) => c.lockedUntil && c.lockedUntil > now);
  if (locked && candidates.length === 1) {
    throw new AppError('account_locked', 'Too many failed sign-ins; try again later', { retryAfter: locked.lockedUntil!.toISOString() });
  }
  const matches = [];
  for (const c of candidates) {
    if (c.lockedUntil && c.lockedUntil > now) continue;
    if (c.passwordHash && (await verifyPassword(c.passwordHash, input.password))) matches.push(c);
    else await recordFailure(ctx.db, c.organisationId, c.userId, c.failedLogins + 1, now);
  }
  if (matches.length === 0) throw invalidCredentials();
  if (matches.length > 1) {
    throw new AppError('organisation_required', 'This e-mail belongs to several organisations; choose one', {
      organisations: matches.map((m) => m.slug),
    });
  }
  const [user] = matches;
  const sessionToken = generateSecret('tds');
  const expiresAt = new Date(now.getTime() + ctx.config.sessionHours * 3_600_000);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now })
      .where(inOrg(users, user.organisationId, eq(users.id, user.userId)));
    await tx.insert(sessions).values({
      id: sha256(sessionToken), organisationId: user.organisationId, userId: user.userId,
      createdAt: now, lastSeenAt: now, expiresAt,
    });
  });
  const { passwordHash: _p, lockedUntil: _l, failedLogins: _f, slug: _s, ...actor } = user;
  return { sessionToken, actor, expiresAt };
}

function invalidCredentials() {
  return new AppError('invalid_credentials', 'The e-mail or password is not correct');
}

async function recordFailure(db: Db, organisationId: string, userId: string, failures: number, now: Date) {
  const lockMinutes = failures >= FREE_ATTEMPTS ? Math.min(2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_MINUTES) : 0;
  await db.update(users).set({
    failedLogins: failures,
    lockedUntil: lockMinutes > 0 ? new Date(now.getTime() + lockMinutes * 60_000) : null,
  }).where(inOrg(users, organisationId, eq(users.id, userId)));
}

export async function resolveSession(ctx: AppContext, token: string): Promise<Actor | undefined> {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .select({ ...actorColumns, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(units, eq(units.id, users.unitId))
    .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, now), eq(users.active, true)));
  if (!row) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const cap = row.createdAt.getTime() + SESSION_MAX_DAYS * 86_400_000;
    const expiresAt = new Date(Math.min(now.getTime() + ctx.config.sessionHours * 3_600_000, cap));
    await ctx.db.update(sessions).set({ lastSeenAt: now, expiresAt })
      .where(inOrg(sessions, row.organisationId, eq(sessions.id, row.id)));
  }
  const { createdAt: _c, lastSeenAt: _l, id: _i, ...actor } = row;
  return actor;
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

export async function purgeExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

type TokenRow = Actor & { tokenId: string; lastUsedAt: Date | null };
const tokenLookups = new WeakMap<AppContext, LookupBatcher<string, TokenRow>>();

/** The actor behind an API token, or undefined for an unknown, revoked or deactivated one. Checked on every request. */
export async function resolveApiToken(ctx: AppContext, token: string): Promise<Actor | undefined> {
  const now = ctx.clock.now();
  let lookups = tokenLookups.get(ctx);
  if (!lookups) tokenLookups.set(ctx, lookups = new LookupBatcher((hashes) => findTokens(ctx.db, hashes)));
  const row = await lookups.get(sha256(token));
  if (!row) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    row.lastUsedAt = now;
    await ctx.db.update(apiTokens).set({ lastUsedAt: now }).where(inOrg(apiTokens, row.organisationId, eq(apiTokens.id, row.tokenId)));
  }
  const { tokenId: _t, lastUsedAt: _l, ...actor } = row;
  return actor;
}

/** Live tokens by their hash, with their users: one query for the requests of one turn of the event loop. */
async function findTokens(db: Db, hashes: string[]): Promise<Map<string, TokenRow>> {
  const rows = await db
    .select({ ...actorColumns, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, tokenHash: apiTokens.tokenHash })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(units, eq(units.id, users.unitId))
    .where(and(inArray(apiTokens.tokenHash, hashes), isNull(apiTokens.revokedAt), eq(users.active, true)));
  return new Map(rows.map(({ tokenHash, ...row }) => [tokenHash, row]));
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Issues an API token for a user; the secret is returned once and only its hash is kept. */
export async function issueApiToken(db: Db, organisationId: string, userId: string, name: string, actorId: string | null, at: Date) {
  const token = generateSecret('tdk');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(apiTokens).values({
      id, organisationId, userId, name, prefix: token.slice(0, 8), tokenHash: sha256(token), createdAt: at,
    });
    await appendEvent(tx, { organisationId, stream: `user:${userId}`, type: 'token.created', actorId, at, data: { tokenId: id, name } });
  });
  return { id, name, token };
}

export async function createApiTokenFor(ctx: AppContext, actor: Actor, userId: string, name: string) {
  if (userId !== actor.userId) requireRole(actor, 'admin');
  const [user] = await ctx.db.select({ id: users.id, active: users.active }).from(users)
    .where(inOrg(users, actor.organisationId, eq(users.id, userId)));
  if (!user) throw notFound('User');
  if (!user.active) throw new AppError('unprocessable', 'The user is deactivated');
  return issueApiToken(ctx.db, actor.organisationId, userId, name, actor.userId, ctx.clock.now());
}

export async function listOwnTokens(ctx: AppContext, actor: Actor): Promise<TokenView[]> {
  const rows = await ctx.db.select().from(apiTokens)
    .where(inOrg(apiTokens, actor.organisationId, eq(apiTokens.userId, actor.userId)))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => ({
    id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

/** Owners revoke their own tokens; admins any token of their organisation. */
export async function revokeApiToken(ctx: AppContext, actor: Actor, tokenId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [token] = await tx.select().from(apiTokens).where(inOrg(apiTokens, actor.organisationId, eq(apiTokens.id, tokenId)));
    if (!token || (token.userId !== actor.userId && actor.role !== 'admin')) throw notFound('Token');
    if (token.revokedAt) return;
    await tx.update(apiTokens).set({ revokedAt: now }).where(inOrg(apiTokens, actor.organisationId, eq(apiTokens.id, tokenId)));
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: `user:${token.userId}`, type: 'token.revoked', actorId: actor.userId, at: now,
      data: { tokenId },
    });
  });
}

/** The actor for a user, for work done on their behalf outside HTTP (CLI, jobs). */
export async function actorForUser(ctx: AppContext, organisationId: string, userId: string): Promise<Actor> {
  const [row] = await ctx.db.select(actorColumns).from(users).innerJoin(units, eq(units.id, users.unitId))
    .where(inOrg(users, organisationId, eq(users.id, userId)));
  if (!row) throw notFound('User');
  return row;
}
