import { randomUUID } from 'node:crypto';
import { asc, desc, eq, gte, inArray, or } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { conductAssessments, conductCycles, conductPractices, conductSnapshots, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { listOrganisations } from '../org/organisation.service.js';
import { findUnitRow } from '../org/unit.service.js';
import { AppError } from '../server/errors.js';
import { overdueByOwner } from './action.service.js';
import { frameworkOfCycle } from './catalogue.service.js';
import { requireInScope } from './conduct-access.js';
import { aggregate, computeStatus, effectiveScore, type StatusCell, type StatusUnit } from './conduct-rules.js';
import { findCycle } from './cycle.service.js';

/** Every cell of a cycle with what the status rules need. */
export async function loadStatusCells(db: Db, organisationId: string, cycleId: string): Promise<StatusCell[]> {
  const rows = await db.select({
    c: conductAssessments, practiceTitle: conductPractices.title, practiceCode: conductPractices.code, critical: conductPractices.critical,
    outcomeKey: conductPractices.outcomeKey, unitName: units.name, unitKind: units.kind, unitPath: units.path,
  }).from(conductAssessments)
    .innerJoin(conductPractices, eq(conductPractices.id, conductAssessments.practiceId))
    .innerJoin(units, eq(units.id, conductAssessments.unitId))
    .where(inOrg(conductAssessments, organisationId, eq(conductAssessments.cycleId, cycleId)))
    .orderBy(asc(units.path), asc(conductPractices.code));
  return rows.map((r) => ({
    assessmentId: r.c.id, unitId: r.c.unitId, unitName: r.unitName, unitKind: r.unitKind, unitPath: r.unitPath, practiceId: r.c.practiceId,
    practiceTitle: r.practiceTitle, practiceCode: r.practiceCode, critical: r.critical, outcomeKey: r.outcomeKey, state: r.c.state,
    selfScore: r.c.selfScore, reviewerScore: r.c.reviewerScore,
  }));
}

export async function loadUnits(db: Db, organisationId: string): Promise<StatusUnit[]> {
  const rows = await db.select({ id: units.id, name: units.name, kind: units.kind, path: units.path, parentId: units.parentId }).from(units).where(inOrg(units, organisationId)).orderBy(asc(units.path));
  return rows;
}

/** The unit a status is about: the one asked for (in scope, else 403), or the top of the actor's reach. */
async function scopeUnit(db: Db, actor: Actor, unitId: string | undefined, all: StatusUnit[]): Promise<StatusUnit> {
  if (unitId) {
    const unit = await findUnitRow(db, actor.organisationId, unitId);
    if (!unit) throw new AppError('unprocessable', 'The unit does not exist', [{ path: 'unitId', message: 'unknown unit' }]);
    requireInScope(actor, unit, 'unit');
    return all.find((u) => u.id === unit.id)!;
  }
  if (seesWholeOrganisation(actor)) return all.find((u) => u.parentId === null)!;
  return all.find((u) => u.id === actor.unitId)!;
}

/** A cycle's status for one scope (company by default): score, cap, distribution, red cells, drill-down, gaps, overdue actions. */
export async function statusOf(db: Db, actor: Actor, cycleId: string, unitId: string | undefined, now: Date) {
  const cycle = await findCycle(db, actor.organisationId, cycleId);
  const framework = await frameworkOfCycle(db, actor.organisationId, cycleId);
  const all = await loadUnits(db, actor.organisationId);
  const scope = await scopeUnit(db, actor, unitId, all);
  const cells = await loadStatusCells(db, actor.organisationId, cycleId);
  const status = computeStatus(cells, scope, all, { scale: framework.scale, threshold: framework.threshold }, framework.outcomes);
  return {
    cycleId: cycle.id, cycleName: cycle.name, cycleStatus: cycle.status, frameworkId: framework.id, frameworkName: framework.name,
    unit: { id: scope.id, name: scope.name, kind: scope.kind },
    ...status,
    overdueActions: await overdueByOwner(db, actor.organisationId, now, scope.path),
  };
}

export async function cycleStatus(ctx: AppContext, actor: Actor, cycleId: string, unitId?: string) {
  return statusOf(ctx.db, actor, cycleId, unitId, ctx.clock.now());
}

/**
 * For the executive report: the latest cycle's headline (score, cap, weakest unit, share below
 * threshold, red cells, overdue actions by owner), in the actor's scope; null when there is no cycle.
 */
export async function conductStatusForReport(ctx: AppContext, actor: Actor, options: { unitId?: string } = {}) {
  const [latest] = await ctx.db.select({ id: conductCycles.id }).from(conductCycles).where(inOrg(conductCycles, actor.organisationId))
    .orderBy(desc(conductCycles.opensAt), desc(conductCycles.createdAt)).limit(1);
  if (!latest) return null;
  const s = await statusOf(ctx.db, actor, latest.id, options.unitId, ctx.clock.now());
  return {
    cycleId: s.cycleId, cycleName: s.cycleName, score: s.score, capped: s.capped, capReason: s.capReason, weakestUnit: s.weakestUnit,
    shareBelowThreshold: s.shareBelowThreshold, redCells: s.redCells, overdueActions: s.overdueActions,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Units × practices (or outcomes): the mean score of each unit's subtree, red where any cell in it is red. */
export async function heatmap(ctx: AppContext, actor: Actor, cycleId: string, by: 'practice' | 'outcome', level?: 'division' | 'region' | 'team') {
  await findCycle(ctx.db, actor.organisationId, cycleId);
  const framework = await frameworkOfCycle(ctx.db, actor.organisationId, cycleId);
  const all = await loadUnits(ctx.db, actor.organisationId);
  const scope = await scopeUnit(ctx.db, actor, undefined, all);
  const cells = (await loadStatusCells(ctx.db, actor.organisationId, cycleId)).filter((c) => c.unitPath.startsWith(scope.path));
  const rowUnits = level ? all.filter((u) => u.kind === level && u.path.startsWith(scope.path)) : all.filter((u) => cells.some((c) => c.unitId === u.id));
  const columns = by === 'practice'
    ? [...new Map(cells.map((c) => [c.practiceId, { id: c.practiceId, label: c.practiceTitle, code: c.practiceCode, critical: c.critical, outcomeKey: c.outcomeKey }])).values()].sort((a, b) => a.code.localeCompare(b.code))
    : framework.outcomes.map((o) => ({ id: o.key, label: o.title, code: o.key, critical: cells.some((c) => c.outcomeKey === o.key && c.critical), outcomeKey: o.key }));
  const rules = { scale: framework.scale, threshold: framework.threshold };
  return {
    by, threshold: framework.threshold, scale: framework.scale, columns,
    rows: rowUnits.map((u) => {
      const mine = cells.filter((c) => c.unitPath.startsWith(u.path));
      return {
        unitId: u.id, unitName: u.name, unitKind: u.kind,
        cells: columns.map((col) => {
          const list = mine.filter((c) => (by === 'practice' ? c.practiceId === col.id : c.outcomeKey === col.id));
          const scores = list.map(effectiveScore).filter((s): s is number => s !== null);
          const agg = aggregate(list, rules);
          return {
            columnId: col.id, score: scores.length === 0 ? null : round1(scores.reduce((a, b) => a + b, 0) / scores.length),
            min: scores.length === 0 ? null : Math.min(...scores), red: agg.red > 0, cells: list.length,
            state: list.length === 1 ? list[0].state : null, assessmentId: list.length === 1 ? list[0].assessmentId : null,
          };
        }),
      };
    }).filter((r) => r.cells.some((c) => c.cells > 0)),
  };
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The cycle's daily snapshots and the headline of earlier cycles of the same framework. */
export async function trend(ctx: AppContext, actor: Actor, cycleId: string) {
  const cycle = await findCycle(ctx.db, actor.organisationId, cycleId);
  const points = await ctx.db.select().from(conductSnapshots).where(inOrg(conductSnapshots, actor.organisationId, eq(conductSnapshots.cycleId, cycleId))).orderBy(asc(conductSnapshots.day));
  const cycles = await ctx.db.select().from(conductCycles).where(inOrg(conductCycles, actor.organisationId, eq(conductCycles.frameworkId, cycle.frameworkId))).orderBy(asc(conductCycles.opensAt));
  const headline = [];
  for (const c of cycles) {
    const s = await statusOf(ctx.db, actor, c.id, undefined, ctx.clock.now());
    headline.push({ cycleId: c.id, name: c.name, score: s.score, capped: s.capped, shareBelowThreshold: s.shareBelowThreshold, redCells: s.cells.red, opensAt: c.opensAt.toISOString(), closedAt: c.closedAt?.toISOString() ?? null });
  }
  // The daily snapshots are company-wide figures: only for those who see the whole organisation
  // (a lead's or an agent's headline above is already computed for their own subtree).
  return {
    points: (seesWholeOrganisation(actor) ? points : []).map((p) => ({ day: p.day, score: p.score, capped: p.capped, shareBelowThreshold: p.shareBelowThreshold, redCells: p.redCells })),
    cycles: headline,
  };
}

/**
 * Once a day per cycle (open, or closed within the last day): the company-wide figure, for the
 * trend. The unique (organisation, cycle, day) key makes it once across processes.
 */
export async function snapshotConductStatus(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const day = dayOf(now);
  let written = 0;
  for (const org of await listOrganisations(ctx.db)) {
    const cycles = await ctx.db.select({ id: conductCycles.id }).from(conductCycles)
      .where(inOrg(conductCycles, org.id, or(eq(conductCycles.status, 'open'), gte(conductCycles.closedAt, new Date(now.getTime() - 86_400_000)))));
    if (cycles.length === 0) continue;
    const done = await ctx.db.select({ cycleId: conductSnapshots.cycleId }).from(conductSnapshots)
      .where(inOrg(conductSnapshots, org.id, eq(conductSnapshots.day, day), inArray(conductSnapshots.cycleId, cycles.map((c) => c.id))));
    for (const c of cycles.filter((x) => !done.some((d) => d.cycleId === x.id))) {
      const framework = await frameworkOfCycle(ctx.db, org.id, c.id);
      const all = await loadUnits(ctx.db, org.id);
      const root = all.find((u) => u.parentId === null);
      if (!root) continue;
      const cells = await loadStatusCells(ctx.db, org.id, c.id);
      const s = computeStatus(cells, root, all, { scale: framework.scale, threshold: framework.threshold }, []);
      const inserted = await ctx.db.insert(conductSnapshots).values({
        id: randomUUID(), organisationId: org.id, cycleId: c.id, day, score: s.score, capped: s.capped, shareBelowThreshold: s.shareBelowThreshold, redCells: s.cells.red, createdAt: now,
      }).onConflictDoNothing().returning({ id: conductSnapshots.id });
      written += inserted.length;
    }
  }
  return written;
}
