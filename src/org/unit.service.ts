import { randomUUID } from 'node:crypto';
import { and, eq, ilike, inArray, like, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/actor.js';
import { requireRole, seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { units, users, type UnitKind } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import { canNest, childPath, isValidTimezone, sortAsTree } from './unit-rules.js';

export type UnitRow = typeof units.$inferSelect;

export interface UnitView {
  id: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  timezone: string;
  country: string | null;
  depth: number;
  leads: { id: string; name: string }[];
  createdAt: string;
}

/** SQL condition: the unit column lies in the actor's subtree (nothing for organisation-wide roles). */
export function unitScopeCondition(actor: Actor, unitIdColumn: PgColumn) {
  if (seesWholeOrganisation(actor)) return undefined;
  return sql`${unitIdColumn} IN (SELECT ${units.id} FROM ${units} WHERE ${units.organisationId} = ${actor.organisationId} AND ${units.path} LIKE ${`${actor.unitPath}%`})`;
}

/** SQL condition: the unit column lies in the subtree of the given unit (a filter, not a permission). */
export function inUnitSubtree(unitIdColumn: PgColumn, organisationId: string, unitId: string) {
  return sql`${unitIdColumn} IN (SELECT u.id FROM ${units} u WHERE u.organisation_id = ${organisationId} AND u.path LIKE (SELECT p.path || '%' FROM ${units} p WHERE p.organisation_id = ${organisationId} AND p.id = ${unitId}))`;
}

/** `%text%` for ILIKE, with the user's own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, '\\$&')}%`;
}

export function isUnitInScope(actor: Actor, unit: Pick<UnitRow, 'path'>): boolean {
  return seesWholeOrganisation(actor) || unit.path.startsWith(actor.unitPath);
}

/** Reading the org structure is for managers; agents work their cases, not the org chart. */
const unitReaders = ['admin', 'executive', 'compliance', 'lead'] as const;

export async function findUnitRow(db: Db, organisationId: string, id: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(inOrg(units, organisationId, eq(units.id, id)));
  return row;
}

/** A unit the actor may see, or NOT_FOUND: a record out of scope is not acknowledged to exist. */
export async function getUnitRow(db: Db, actor: Actor, id: string): Promise<UnitRow> {
  const row = await findUnitRow(db, actor.organisationId, id);
  if (!row || !isUnitInScope(actor, row)) throw notFound('Unit');
  return row;
}

async function toViews(db: Db, organisationId: string, rows: UnitRow[]): Promise<UnitView[]> {
  const ids = rows.map((r) => r.id);
  const leads = ids.length === 0 ? [] : await db
    .select({ id: users.id, name: users.name, unitId: users.unitId })
    .from(users)
    .where(inOrg(users, organisationId, inArray(users.unitId, ids), eq(users.role, 'lead'), eq(users.active, true)))
    .orderBy(users.name);
  return rows.map((r) => ({
    id: r.id, name: r.name, kind: r.kind, parentId: r.parentId, timezone: r.timezone, country: r.country,
    depth: r.depth, createdAt: r.createdAt.toISOString(),
    leads: leads.filter((l) => l.unitId === r.id).map(({ id, name }) => ({ id, name })),
  }));
}

export async function listUnits(
  ctx: AppContext, actor: Actor,
  filter: { q?: string; kind?: UnitKind; parentId?: string; limit: number; offset: number },
): Promise<{ items: UnitView[]; total: number }> {
  requireRole(actor, ...unitReaders);
  const rows = await ctx.db.select().from(units).where(inOrg(units, actor.organisationId,
    unitScopeCondition(actor, units.id),
    filter.q ? ilike(units.name, containsPattern(filter.q)) : undefined,
    filter.kind ? eq(units.kind, filter.kind) : undefined,
    filter.parentId ? eq(units.parentId, filter.parentId) : undefined));
  const ordered = sortAsTree(rows);
  const slice = ordered.slice(filter.offset, filter.offset + filter.limit);
  return { items: await toViews(ctx.db, actor.organisationId, slice), total: ordered.length };
}

export async function getUnit(ctx: AppContext, actor: Actor, id: string): Promise<UnitView> {
  requireRole(actor, ...unitReaders);
  const [view] = await toViews(ctx.db, actor.organisationId, [await getUnitRow(ctx.db, actor, id)]);
  return view;
}

export interface UnitInput {
  name: string;
  kind: UnitKind;
  parentId: string;
  timezone?: string;
  country?: string | null;
}

function checkTimezone(timezone: string | undefined) {
  if (timezone !== undefined && !isValidTimezone(timezone)) {
    throw new AppError('unprocessable', `Unknown timezone "${timezone}"`, [{ path: 'timezone', message: 'not an IANA timezone' }]);
  }
}

async function requireParent(db: Db, actor: Actor, parentId: string, kind: UnitKind): Promise<UnitRow> {
  const parent = await findUnitRow(db, actor.organisationId, parentId);
  if (!parent) throw new AppError('unprocessable', 'The parent unit does not exist', [{ path: 'parentId', message: 'unknown unit' }]);
  if (!canNest(parent.kind, kind)) {
    throw new AppError('unprocessable', `A ${kind} cannot sit under a ${parent.kind}`, [{ path: 'kind', message: 'units nest company → division → region → team' }]);
  }
  return parent;
}

export async function createUnit(ctx: AppContext, actor: Actor, input: UnitInput): Promise<UnitView> {
  requireRole(actor, 'admin');
  checkTimezone(input.timezone);
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    const parent = await requireParent(tx, actor, input.parentId, input.kind);
    const row = {
      id, organisationId: actor.organisationId, parentId: parent.id, name: input.name, kind: input.kind,
      path: childPath(parent.path, id), depth: parent.depth + 1,
      timezone: input.timezone ?? parent.timezone, country: input.country ?? parent.country,
      createdAt: ctx.clock.now(),
    };
    await tx.insert(units).values(row);
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: `unit:${id}`, type: 'unit.created', actorId: actor.userId, at: row.createdAt,
      data: { name: row.name, kind: row.kind, parentId: row.parentId, timezone: row.timezone, country: row.country },
    });
  });
  return getUnit(ctx, actor, id);
}

export async function updateUnit(
  ctx: AppContext, actor: Actor, id: string,
  patch: { name?: string; parentId?: string; timezone?: string; country?: string | null },
): Promise<UnitView> {
  requireRole(actor, 'admin');
  checkTimezone(patch.timezone);
  await ctx.db.transaction(async (tx) => {
    const unit = await getUnitRow(tx, actor, id);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const set: Partial<UnitRow> = {};
    for (const key of ['name', 'timezone', 'country'] as const) {
      if (patch[key] !== undefined && patch[key] !== unit[key]) {
        changes[key] = { before: unit[key], after: patch[key] };
        (set as Record<string, unknown>)[key] = patch[key];
      }
    }
    if (patch.parentId !== undefined && patch.parentId !== unit.parentId) {
      if (!unit.parentId) throw new AppError('unprocessable', 'The company unit is the root and cannot move');
      const parent = await requireParent(tx, actor, patch.parentId, unit.kind);
      if (parent.path.startsWith(unit.path)) {
        throw new AppError('unprocessable', 'A unit cannot move under itself', [{ path: 'parentId', message: 'would create a cycle' }]);
      }
      const newPath = childPath(parent.path, unit.id);
      const depthDelta = parent.depth + 1 - unit.depth;
      // Move the whole subtree in one statement so scoping never sees a half-moved tree.
      await tx.update(units).set({
        path: sql`${newPath} || substr(${units.path}, ${unit.path.length + 1})`,
        depth: sql`${units.depth} + ${depthDelta}`,
      }).where(inOrg(units, actor.organisationId, like(units.path, `${unit.path}%`)));
      set.parentId = parent.id;
      changes.parentId = { before: unit.parentId, after: parent.id };
    }
    if (Object.keys(changes).length === 0) return;
    await tx.update(units).set(set).where(inOrg(units, actor.organisationId, eq(units.id, id)));
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: `unit:${id}`, type: 'unit.updated', actorId: actor.userId,
      at: ctx.clock.now(), data: { changes },
    });
  });
  return getUnit(ctx, actor, id);
}

/** Every unit of the organisation; for internal use (seed, routing), not scoped. */
export async function allUnits(db: Db, organisationId: string): Promise<UnitRow[]> {
  return db.select().from(units).where(and(inOrg(units, organisationId)));
}
