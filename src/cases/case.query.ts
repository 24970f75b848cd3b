import { asc, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { caseChannels, caseClocks, caseKinds, caseOutcomes, cases, caseStatuses, caseTransfers, redressKinds } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { decodeCursor, toPage } from '../server/pagination.js';
import { commaList } from '../server/query-params.js';
import { inUnitSubtree, unitScopeCondition } from '../org/unit.service.js';
import { selectCases, toCaseSummary } from './case.service.js';


export const caseListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
  status: commaList(caseStatuses).optional(),
  kind: commaList(caseKinds).optional(),
  channel: commaList(caseChannels).optional(),
  ownerId: z.union([z.literal('me'), z.string().uuid()]).optional(),
  unitId: z.string().uuid().optional(),
  category: z.string().max(120).optional(),
  product: z.string().max(120).optional(),
  breached: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  vulnerable: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  receivedFrom: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  receivedTo: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  /** The drill-downs of the reports: resolution period, outcome, redress, a breached clock, reopened cases. */
  resolvedFrom: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  resolvedTo: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  outcome: commaList(caseOutcomes).optional(),
  redressKind: commaList(redressKinds).optional(),
  breachedClock: z.string().trim().min(1).max(64).optional(),
  reopened: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(['due', 'received', 'received_asc']).default('due'),
});
export type CaseListQuery = z.infer<typeof caseListQuery>;

/** The actor's visible cases: organisation-wide roles all; others their subtree, their own, and those offered to them. */
export function caseScope(actor: Actor): SQL | undefined {
  if (seesWholeOrganisation(actor)) return undefined;
  return or(
    eq(cases.ownerId, actor.userId),
    unitScopeCondition(actor, cases.unitId),
    sql`${cases.id} IN (SELECT ${caseTransfers.caseId} FROM ${caseTransfers} WHERE ${caseTransfers.organisationId} = ${actor.organisationId} AND ${caseTransfers.state} = 'pending' AND (${caseTransfers.toUserId} = ${actor.userId} OR ${caseTransfers.toUnitId} = ${actor.unitId}))`,
  );
}

// A bare date means the whole day (UTC), inclusive at both ends.
const isDay = (s: string) => s.length === 10;
const fromBound = (column: typeof cases.receivedAt | typeof cases.resolvedAt, value: string | undefined) =>
  (value ? gte(column, new Date(isDay(value) ? `${value}T00:00:00Z` : value)) : undefined);
const toBound = (column: typeof cases.receivedAt | typeof cases.resolvedAt, value: string | undefined) => {
  if (!value) return undefined;
  return isDay(value) ? lt(column, new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000)) : lte(column, new Date(value));
};

function filters(actor: Actor, q: Omit<CaseListQuery, 'limit' | 'cursor' | 'sort'>): (SQL | undefined)[] {
  return [
    caseScope(actor),
    q.status ? inArray(cases.status, q.status) : undefined,
    q.kind ? inArray(cases.kind, q.kind) : undefined,
    q.channel ? inArray(cases.channel, q.channel) : undefined,
    q.ownerId ? eq(cases.ownerId, q.ownerId === 'me' ? actor.userId : q.ownerId) : undefined,
    q.unitId ? inUnitSubtree(cases.unitId, actor.organisationId, q.unitId) : undefined,
    q.category ? eq(cases.category, q.category) : undefined,
    q.product ? eq(cases.product, q.product) : undefined,
    q.breached !== undefined ? eq(cases.breached, q.breached) : undefined,
    q.vulnerable !== undefined ? eq(cases.vulnerable, q.vulnerable) : undefined,
    fromBound(cases.receivedAt, q.receivedFrom),
    toBound(cases.receivedAt, q.receivedTo),
    fromBound(cases.resolvedAt, q.resolvedFrom),
    toBound(cases.resolvedAt, q.resolvedTo),
    // A reopened case that is open again is not "resolved" in the period, whatever its old date.
    q.resolvedFrom || q.resolvedTo ? inArray(cases.status, ['resolved', 'closed']) : undefined,
    q.outcome ? inArray(cases.outcome, q.outcome) : undefined,
    q.redressKind ? inArray(cases.redressKind, q.redressKind) : undefined,
    q.reopened !== undefined ? (q.reopened ? gt(cases.reopenCount, 0) : eq(cases.reopenCount, 0)) : undefined,
    q.breachedClock
      ? sql`${cases.id} IN (SELECT ${caseClocks.caseId} FROM ${caseClocks} WHERE ${caseClocks.organisationId} = ${actor.organisationId} AND ${caseClocks.name} = ${q.breachedClock} AND ${caseClocks.state} = 'breached')`
      : undefined,
    q.q ? sql`${cases.search} @@ websearch_to_tsquery('english', ${q.q})` : undefined,
  ];
}

const sorts = {
  due: { column: cases.sortDueAt, direction: 'asc' },
  received: { column: cases.receivedAt, direction: 'desc' },
  received_asc: { column: cases.receivedAt, direction: 'asc' },
} as const;

const cursorShape = z.tuple([z.string().datetime(), z.string().uuid()]);

/** Keyset pagination on (sort key, id): the thousandth page costs what the first does. */
export async function listCases(ctx: AppContext, actor: Actor, query: CaseListQuery) {
  const { limit, cursor, sort, ...rest } = query;
  const order = sorts[sort];
  const after = decodeCursor(cursor, cursorShape);
  const keyset = after
    ? (order.direction === 'asc'
      ? sql`(${order.column}, ${cases.id}) > (${new Date(after[0])}, ${after[1]})`
      : sql`(${order.column}, ${cases.id}) < (${new Date(after[0])}, ${after[1]})`)
    : undefined;
  const by = order.direction === 'asc' ? asc : desc;
  const rows = await selectCases(ctx.db)
    .where(inOrg(cases, actor.organisationId, ...filters(actor, rest), keyset))
    .orderBy(by(order.column), by(cases.id))
    .limit(limit + 1);
  return toPage(rows, limit, toCaseSummary, (r) => [(sort === 'due' ? r.c.sortDueAt : r.c.receivedAt).toISOString(), r.c.id]);
}

/** Counts by status for the same filters (the inbox's tabs). */
export async function countCases(ctx: AppContext, actor: Actor, query: Omit<CaseListQuery, 'limit' | 'cursor' | 'sort' | 'status'>) {
  const rows = await ctx.db.select({ status: cases.status, n: sql<number>`count(*)::int` }).from(cases)
    .where(inOrg(cases, actor.organisationId, ...filters(actor, query)))
    .groupBy(cases.status);
  const counts = Object.fromEntries(caseStatuses.map((s) => [s, 0])) as Record<(typeof caseStatuses)[number], number>;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Streams every matching case, page by page, for CSV export. */
export async function* iterateCases(ctx: AppContext, actor: Actor, query: Omit<CaseListQuery, 'limit' | 'cursor'>) {
  let cursor: string | undefined;
  do {
    const page = await listCases(ctx, actor, { ...query, limit: 500, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

