import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  assessmentStates, conductAssessments, conductCycles, conductEvidence, conductEvidenceLinks, conductExclusions, conductFrameworks, conductPractices, cycleStatuses, units, type UnitKind,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import { requireConductManager, streams } from './conduct-access.js';

type CycleRow = typeof conductCycles.$inferSelect;

async function cycleViews(db: Db, organisationId: string, rows: CycleRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = await db.select({ cycleId: conductAssessments.cycleId, state: conductAssessments.state, n: sql<number>`count(*)::int` }).from(conductAssessments)
    .where(inOrg(conductAssessments, organisationId, inArray(conductAssessments.cycleId, ids))).groupBy(conductAssessments.cycleId, conductAssessments.state);
  const frameworks = await db.select({ id: conductFrameworks.id, name: conductFrameworks.name }).from(conductFrameworks)
    .where(inOrg(conductFrameworks, organisationId, inArray(conductFrameworks.id, [...new Set(rows.map((r) => r.frameworkId))])));
  return rows.map((c) => {
    const byState = Object.fromEntries(assessmentStates.map((s) => [s, counts.find((x) => x.cycleId === c.id && x.state === s)?.n ?? 0])) as Record<(typeof assessmentStates)[number], number>;
    return {
      id: c.id, frameworkId: c.frameworkId, frameworkName: frameworks.find((f) => f.id === c.frameworkId)?.name ?? '', frameworkVersion: c.frameworkVersion,
      name: c.name, opensAt: c.opensAt.toISOString(), dueAt: c.dueAt.toISOString(), status: c.status, previousCycleId: c.previousCycleId,
      counts: { total: Object.values(byState).reduce((a, b) => a + b, 0), ...byState },
      createdAt: c.createdAt.toISOString(), closedAt: c.closedAt?.toISOString() ?? null,
    };
  });
}

export async function findCycle(db: Db, organisationId: string, id: string): Promise<CycleRow> {
  const [c] = await db.select().from(conductCycles).where(inOrg(conductCycles, organisationId, eq(conductCycles.id, id)));
  if (!c) throw notFound('Cycle');
  return c;
}

export async function listCycles(ctx: AppContext, actor: Actor, filter: { frameworkId?: string; status?: (typeof cycleStatuses)[number] }) {
  const rows = await ctx.db.select().from(conductCycles).where(inOrg(conductCycles, actor.organisationId,
    filter.frameworkId ? eq(conductCycles.frameworkId, filter.frameworkId) : undefined,
    filter.status ? eq(conductCycles.status, filter.status) : undefined)).orderBy(desc(conductCycles.opensAt), desc(conductCycles.createdAt));
  return cycleViews(ctx.db, actor.organisationId, rows);
}

export async function getCycle(ctx: AppContext, actor: Actor, id: string) {
  return (await cycleViews(ctx.db, actor.organisationId, [await findCycle(ctx.db, actor.organisationId, id)]))[0];
}

export interface CycleInput {
  frameworkId: string;
  name: string;
  opensAt: Date;
  dueAt: Date;
  unitIds?: string[];
  carryForward?: boolean;
}

/**
 * Opens a cycle: a cell for every active practice × every unit of a kind it applies to, minus the
 * units that marked it not applicable (kept as not-applicable cells, visible). With carryForward,
 * each cell starts from the last cycle's answer and evidence, to edit rather than retype.
 */
export async function createCycle(ctx: AppContext, actor: Actor, input: CycleInput) {
  requireConductManager(actor);
  if (input.dueAt.getTime() <= input.opensAt.getTime()) throw new AppError('unprocessable', 'The due date must be after the opening date', [{ path: 'dueAt', message: 'before opensAt' }]);
  const [framework] = await ctx.db.select().from(conductFrameworks).where(inOrg(conductFrameworks, actor.organisationId, eq(conductFrameworks.id, input.frameworkId)));
  if (!framework) throw new AppError('unprocessable', 'The framework does not exist', [{ path: 'frameworkId', message: 'unknown framework' }]);
  const practices = await ctx.db.select().from(conductPractices).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.frameworkId, framework.id), eq(conductPractices.active, true)));
  if (practices.length === 0) throw new AppError('unprocessable', 'The framework has no active practices', [{ path: 'frameworkId', message: 'no practices' }]);
  const orgUnits = await ctx.db.select().from(units).where(inOrg(units, actor.organisationId));
  if (input.unitIds) {
    const unknown = input.unitIds.filter((id) => !orgUnits.some((u) => u.id === id));
    if (unknown.length > 0) throw new AppError('unprocessable', 'Some units do not exist', [{ path: 'unitIds', message: `unknown: ${unknown.join(', ')}` }]);
  }
  const chosen = input.unitIds ? orgUnits.filter((u) => input.unitIds!.includes(u.id)) : orgUnits;
  const exclusions = await ctx.db.select().from(conductExclusions).where(inOrg(conductExclusions, actor.organisationId, inArray(conductExclusions.practiceId, practices.map((p) => p.id))));
  const pairs = practices.flatMap((p) => chosen.filter((u) => (p.unitKinds as UnitKind[]).includes(u.kind)).map((u) => ({ p, u, excluded: exclusions.find((e) => e.practiceId === p.id && e.unitId === u.id) })));
  if (pairs.length === 0) throw new AppError('unprocessable', 'No unit is of a kind the practices apply to', [{ path: 'unitIds', message: 'no cells' }]);
  const [previous] = await ctx.db.select().from(conductCycles).where(inOrg(conductCycles, actor.organisationId, eq(conductCycles.frameworkId, framework.id), lte(conductCycles.opensAt, input.opensAt)))
    .orderBy(desc(conductCycles.opensAt), desc(conductCycles.createdAt)).limit(1);
  const carry = input.carryForward !== false && previous;
  const previousCells = carry ? await ctx.db.select().from(conductAssessments).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.cycleId, previous.id))) : [];
  const previousLinks = previousCells.length === 0 ? [] : await ctx.db.select({ assessmentId: conductEvidenceLinks.assessmentId, evidenceId: conductEvidenceLinks.evidenceId })
    .from(conductEvidenceLinks).innerJoin(conductEvidence, eq(conductEvidence.id, conductEvidenceLinks.evidenceId))
    .where(inOrg(conductEvidenceLinks, actor.organisationId, inArray(conductEvidenceLinks.assessmentId, previousCells.map((c) => c.id)), ne(conductEvidence.status, 'expired')));
  const now = ctx.clock.now();
  const id = randomUUID();
  const cells = pairs.map(({ p, u, excluded }) => {
    const before = previousCells.find((c) => c.practiceId === p.id && c.unitId === u.id && c.selfScore !== null);
    return {
      id: randomUUID(), organisationId: actor.organisationId, cycleId: id, practiceId: p.id, unitId: u.id,
      state: excluded ? 'not_applicable' as const : before ? 'draft' as const : 'not_started' as const,
      selfScore: excluded ? null : before?.selfScore ?? null, rationale: excluded ? null : before?.rationale ?? null,
      notApplicableReason: excluded?.justification ?? null, carriedFromId: before?.id ?? null, createdAt: now, updatedAt: now,
    };
  });
  const links = cells.flatMap((c) => (c.carriedFromId ? previousLinks.filter((l) => l.assessmentId === c.carriedFromId) : [])
    .map((l) => ({ id: randomUUID(), organisationId: actor.organisationId, evidenceId: l.evidenceId, assessmentId: c.id, createdAt: now })));
  await ctx.db.transaction(async (tx) => {
    await tx.insert(conductCycles).values({
      id, organisationId: actor.organisationId, frameworkId: framework.id, frameworkVersion: framework.version, name: input.name,
      opensAt: input.opensAt, dueAt: input.dueAt, status: 'open', previousCycleId: previous?.id ?? null, createdBy: actor.userId, createdAt: now,
    });
    for (let i = 0; i < cells.length; i += 500) await tx.insert(conductAssessments).values(cells.slice(i, i + 500));
    for (let i = 0; i < links.length; i += 500) await tx.insert(conductEvidenceLinks).values(links.slice(i, i + 500));
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: streams.cycle(id), type: 'cycle.opened', actorId: actor.userId, at: now,
      data: { name: input.name, frameworkId: framework.id, frameworkVersion: framework.version, cells: cells.length, carriedFrom: carry ? previous.id : null },
    });
  });
  return getCycle(ctx, actor, id);
}

export async function updateCycle(ctx: AppContext, actor: Actor, id: string, patch: { name?: string; dueAt?: Date }) {
  requireConductManager(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const c = await findCycle(tx, actor.organisationId, id);
    if (patch.dueAt && patch.dueAt.getTime() <= c.opensAt.getTime()) throw new AppError('unprocessable', 'The due date must be after the opening date', [{ path: 'dueAt', message: 'before opensAt' }]);
    await tx.update(conductCycles).set(patch).where(inOrg(conductCycles, actor.organisationId, eq(conductCycles.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.cycle(id), type: 'cycle.updated', actorId: actor.userId, at: now, data: { ...patch, dueAt: patch.dueAt?.toISOString() } });
  });
  return getCycle(ctx, actor, id);
}

export async function closeCycle(ctx: AppContext, actor: Actor, id: string) {
  requireConductManager(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(conductCycles).where(inOrg(conductCycles, actor.organisationId, eq(conductCycles.id, id))).for('update');
    if (!c) throw notFound('Cycle');
    if (c.status === 'closed') throw new AppError('conflict', 'The cycle is already closed');
    await tx.update(conductCycles).set({ status: 'closed', closedAt: now }).where(inOrg(conductCycles, actor.organisationId, eq(conductCycles.id, id)));
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(conductAssessments)
      .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.cycleId, id), and(ne(conductAssessments.state, 'approved'), ne(conductAssessments.state, 'not_applicable'))));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.cycle(id), type: 'cycle.closed', actorId: actor.userId, at: now, data: { unfinishedCells: n } });
  });
  return getCycle(ctx, actor, id);
}
