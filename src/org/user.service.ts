import { randomUUID } from 'node:crypto';
import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { passwordProblems } from '../auth/password-policy.js';
import { hashPassword } from '../auth/secrets.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { units, users, type Role } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { reassignOpenCases } from '../cases/case.service.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import { decodeCursor, type Page, toPage } from '../server/pagination.js';
import { containsPattern, findUnitRow, isUnitInScope, unitScopeCondition } from './unit.service.js';

export type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  unitId: string;
  unitName: string;
  discretionLimit: number | null;
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

const userReaders = ['admin', 'executive', 'compliance', 'lead'] as const;

const userColumns = {
  id: users.id, email: users.email, name: users.name, role: users.role, unitId: users.unitId,
  unitName: units.name, unitPath: units.path, discretionLimit: users.discretionLimit, active: users.active,
  createdAt: users.createdAt, lastLoginAt: users.lastLoginAt,
};
type UserJoinRow = { [K in keyof typeof userColumns]: (typeof userColumns)[K]['_']['data'] | (K extends 'discretionLimit' | 'lastLoginAt' ? null : never) };

function toView(r: UserJoinRow): UserView {
  return {
    id: r.id, email: r.email, name: r.name, role: r.role, unitId: r.unitId, unitName: r.unitName,
    discretionLimit: r.discretionLimit === null ? null : Number(r.discretionLimit), active: r.active,
    createdAt: r.createdAt.toISOString(), lastLoginAt: r.lastLoginAt ? r.lastLoginAt.toISOString() : null,
  };
}

function selectUsers(db: Db) {
  return db.select(userColumns).from(users).innerJoin(units, eq(units.id, users.unitId));
}

export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<UserView> {
  requireRole(actor, ...userReaders);
  const [row] = await selectUsers(ctx.db).where(inOrg(users, actor.organisationId, eq(users.id, id)));
  if (!row || !isUnitInScope(actor, { path: row.unitPath })) throw notFound('User');
  return toView(row as UserJoinRow);
}

/** The signed-in user's own profile: everyone may read their own. */
export async function getOwnProfile(ctx: AppContext, actor: Actor): Promise<UserView> {
  const [row] = await selectUsers(ctx.db).where(inOrg(users, actor.organisationId, eq(users.id, actor.userId)));
  if (!row) throw notFound('User');
  return toView(row as UserJoinRow);
}

export interface UserFilter {
  q?: string;
  role?: Role;
  unitId?: string;
  active?: boolean;
  limit: number;
  cursor?: string;
}

export async function listUsers(ctx: AppContext, actor: Actor, filter: UserFilter): Promise<Page<UserView>> {
  requireRole(actor, ...userReaders);
  const after = decodeCursor(filter.cursor, z.tuple([z.string(), z.string().uuid()]));
  const pattern = filter.q ? containsPattern(filter.q) : undefined;
  const rows = await selectUsers(ctx.db)
    .where(inOrg(users, actor.organisationId,
      unitScopeCondition(actor, users.unitId),
      pattern ? or(ilike(users.name, pattern), ilike(users.email, pattern)) : undefined,
      filter.role ? eq(users.role, filter.role) : undefined,
      filter.unitId ? eq(users.unitId, filter.unitId) : undefined,
      filter.active !== undefined ? eq(users.active, filter.active) : undefined,
      after ? sql`(lower(${users.name}), ${users.id}) > (${after[0]}, ${after[1]})` : undefined))
    .orderBy(sql`lower(${users.name})`, asc(users.id))
    .limit(filter.limit + 1);
  return toPage(rows as UserJoinRow[], filter.limit, toView, (r) => [r.name.toLowerCase(), r.id]);
}

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  unitId: string;
  password?: string;
  discretionLimit?: number | null;
}

/** The password policy, as a 422 that says every reason (see auth/password-policy.ts). */
export function checkPassword(password: string | undefined, email?: string) {
  if (password === undefined) return;
  const problems = passwordProblems(password, { email });
  if (problems.length > 0) {
    throw new AppError('unprocessable', `The password needs to be ${problems.map((p) => p.message).join('; ')}`, problems);
  }
}

async function requireUnit(db: Db, organisationId: string, unitId: string) {
  const unit = await findUnitRow(db, organisationId, unitId);
  if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path: 'unitId', message: 'unknown unit' }]);
  return unit;
}

/** Inserts a user and its history event; used by the admin API, bootstrap and the demo seed. */
export async function insertUser(tx: Db, organisationId: string, actorId: string | null, at: Date, input: NewUserInput): Promise<string> {
  await requireUnit(tx, organisationId, input.unitId);
  const [existing] = await tx.select({ id: users.id }).from(users)
    .where(inOrg(users, organisationId, eq(sql`lower(${users.email})`, input.email.toLowerCase())));
  if (existing) throw new AppError('already_exists', 'A user with this e-mail already exists', [{ path: 'email', message: 'already in use' }]);
  const id = randomUUID();
  await tx.insert(users).values({
    id, organisationId, email: input.email, name: input.name, role: input.role, unitId: input.unitId,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    discretionLimit: input.discretionLimit ?? null, createdAt: at,
  });
  await appendEvent(tx, {
    organisationId, stream: `user:${id}`, type: 'user.created', actorId, at,
    data: { email: input.email, name: input.name, role: input.role, unitId: input.unitId, discretionLimit: input.discretionLimit ?? null },
  });
  return id;
}

export async function createUser(ctx: AppContext, actor: Actor, input: NewUserInput): Promise<UserView> {
  requireRole(actor, 'admin');
  checkPassword(input.password, input.email);
  const id = await ctx.db.transaction((tx) => insertUser(tx, actor.organisationId, actor.userId, ctx.clock.now(), input));
  return getUser(ctx, actor, id);
}

export interface UserPatch {
  name?: string;
  role?: Role;
  unitId?: string;
  discretionLimit?: number | null;
  active?: boolean;
  password?: string;
}

export async function updateUser(ctx: AppContext, actor: Actor, id: string, patch: UserPatch): Promise<UserView> {
  requireRole(actor, 'admin');
  if (patch.password !== undefined) {
    const [target] = await ctx.db.select({ email: users.email }).from(users).where(inOrg(users, actor.organisationId, eq(users.id, id)));
    checkPassword(patch.password, target?.email);
  }
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(inOrg(users, actor.organisationId, eq(users.id, id))).for('update');
    if (!user) throw notFound('User');
    if (patch.unitId !== undefined) await requireUnit(tx, actor.organisationId, patch.unitId);
    const losesAdmin = user.role === 'admin' && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
    if (losesAdmin) await requireAnotherActiveAdmin(tx, actor.organisationId, id);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const set: Partial<UserRow> = {};
    for (const key of ['name', 'role', 'unitId', 'discretionLimit', 'active'] as const) {
      const value = patch[key];
      if (value !== undefined && value !== user[key]) {
        changes[key] = { before: user[key], after: value };
        (set as Record<string, unknown>)[key] = value;
      }
    }
    if (passwordHash) {
      set.passwordHash = passwordHash;
      set.failedLogins = 0;
      set.lockedUntil = null;
      changes.password = { before: '(hidden)', after: '(changed)' };
    }
    if (Object.keys(changes).length === 0) return;
    if (set.active === false) {
      // Never orphaned: the leaver's open cases move to colleagues before the account closes.
      const moved = await reassignOpenCases(tx, ctx, actor.organisationId, id, actor.userId);
      if (moved > 0) changes.reassignedCases = { before: moved, after: 0 };
    }
    await tx.update(users).set(set).where(inOrg(users, actor.organisationId, eq(users.id, id)));
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: `user:${id}`, type: patch.active === false ? 'user.deactivated' : 'user.updated',
      actorId: actor.userId, at: ctx.clock.now(), data: { changes },
    });
  });
  return getUser(ctx, actor, id);
}

/** An organisation must never lose its last active admin: nobody could manage it any more. */
async function requireAnotherActiveAdmin(tx: Db, organisationId: string, exceptId: string) {
  const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users)
    .where(and(inOrg(users, organisationId, eq(users.role, 'admin'), eq(users.active, true)), sql`${users.id} <> ${exceptId}`));
  if (count === 0) throw new AppError('conflict', 'This is the last active admin of the organisation; make someone else admin first');
}


/**
 * The staff directory: names, roles and units of active colleagues, for everyone — an agent has
 * to be able to pick a person to hand a case to. No e-mail addresses or limits.
 */
export async function searchDirectory(ctx: AppContext, actor: Actor, filter: { q?: string; unitId?: string; limit: number }) {
  const pattern = filter.q ? containsPattern(filter.q) : undefined;
  const rows = await ctx.db.select({ id: users.id, name: users.name, role: users.role, unitId: users.unitId, unitName: units.name })
    .from(users).innerJoin(units, eq(units.id, users.unitId))
    .where(inOrg(users, actor.organisationId, eq(users.active, true),
      pattern ? ilike(users.name, pattern) : undefined, filter.unitId ? eq(users.unitId, filter.unitId) : undefined))
    .orderBy(sql`lower(${users.name})`).limit(filter.limit);
  const teams = await ctx.db.select({ id: units.id, name: units.name, kind: units.kind }).from(units)
    .where(inOrg(units, actor.organisationId, pattern ? ilike(units.name, pattern) : undefined)).orderBy(units.name).limit(filter.limit);
  return { people: rows, units: teams };
}
