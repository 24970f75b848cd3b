import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { conductAssessments, conductCycles, conductExclusions, conductFrameworks, conductPractices, units, type UnitKind } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { listLessons } from '../escalations/lesson.service.js';
import { appendEvent } from '../history/history.service.js';
import { AppError, notFound } from '../server/errors.js';
import { requireBodyUnit, requireConductManager, streams } from './conduct-access.js';
import { type Outcome, type Scale, scaleProblems } from './conduct-rules.js';
import { defaultScale, defaultThreshold, presets, type Preset } from './presets.js';

type FrameworkRow = typeof conductFrameworks.$inferSelect;
type PracticeRow = typeof conductPractices.$inferSelect;

export function frameworkView(f: FrameworkRow, practiceCount: number) {
  return {
    id: f.id, name: f.name, description: f.description, presetKey: f.presetKey, version: f.version,
    outcomes: f.outcomes as Outcome[], scale: f.scale as Scale, threshold: f.threshold, practiceCount,
    createdAt: f.createdAt.toISOString(), updatedAt: f.updatedAt.toISOString(),
  };
}

export function listPresets() {
  return Object.values(presets).map((p) => ({ key: p.key, name: p.name, description: p.description, outcomes: p.outcomes, practiceCount: p.practices.length }));
}

export async function findFramework(db: Db, organisationId: string, id: string): Promise<FrameworkRow> {
  const [f] = await db.select().from(conductFrameworks).where(inOrg(conductFrameworks, organisationId, eq(conductFrameworks.id, id)));
  if (!f) throw notFound('Framework');
  return f;
}

async function practiceCounts(db: Db, organisationId: string, frameworkIds: string[]) {
  if (frameworkIds.length === 0) return new Map<string, number>();
  const rows = await db.select({ id: conductPractices.frameworkId, n: sql<number>`count(*)::int` }).from(conductPractices)
    .where(inOrg(conductPractices, organisationId, inArray(conductPractices.frameworkId, frameworkIds), eq(conductPractices.active, true)))
    .groupBy(conductPractices.frameworkId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

export async function listFrameworks(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db.select().from(conductFrameworks).where(inOrg(conductFrameworks, actor.organisationId)).orderBy(asc(conductFrameworks.createdAt));
  const counts = await practiceCounts(ctx.db, actor.organisationId, rows.map((r) => r.id));
  return rows.map((r) => frameworkView(r, counts.get(r.id) ?? 0));
}

export async function getFramework(ctx: AppContext, actor: Actor, id: string) {
  const f = await findFramework(ctx.db, actor.organisationId, id);
  const practices = await listPractices(ctx, actor, { frameworkId: id });
  return { ...frameworkView(f, practices.filter((p) => p.active).length), practices };
}

export interface FrameworkInput {
  name: string;
  description?: string;
  outcomes: Outcome[];
  scale?: Scale;
  threshold?: number;
}

function checkFramework(outcomes: Outcome[], scale: Scale, threshold: number) {
  const problems = scaleProblems(scale, threshold);
  const keys = outcomes.map((o) => o.key);
  if (new Set(keys).size !== keys.length) problems.push({ path: 'outcomes', message: 'outcome keys must be unique' });
  if (problems.length > 0) throw new AppError('unprocessable', 'The framework is not usable as given', problems);
}

/** Installs a preset (its outcomes and starter practices) or creates the firm's own framework. */
export async function createFramework(ctx: AppContext, actor: Actor, input: { preset: Preset['key'] } | FrameworkInput) {
  requireConductManager(actor);
  const now = ctx.clock.now();
  const preset = 'preset' in input ? presets[input.preset] : undefined;
  const fields = 'preset' in input
    ? { name: preset!.name, description: preset!.description, outcomes: preset!.outcomes, scale: defaultScale, threshold: defaultThreshold }
    : { name: input.name, description: input.description ?? '', outcomes: input.outcomes, scale: input.scale ?? defaultScale, threshold: input.threshold ?? defaultThreshold };
  checkFramework(fields.outcomes, fields.scale, fields.threshold);
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    if (preset) {
      const [existing] = await tx.select({ id: conductFrameworks.id }).from(conductFrameworks).where(inOrg(conductFrameworks, actor.organisationId, eq(conductFrameworks.presetKey, preset.key)));
      if (existing) throw new AppError('already_exists', `${preset.name} is already installed`, { id: existing.id });
    }
    await tx.insert(conductFrameworks).values({ id, organisationId: actor.organisationId, presetKey: preset?.key ?? null, ...fields, version: 1, createdAt: now, updatedAt: now });
    if (preset) {
      await tx.insert(conductPractices).values(preset.practices.map((p) => ({
        id: randomUUID(), organisationId: actor.organisationId, frameworkId: id, ...p, active: true, version: 1, createdAt: now, updatedAt: now,
      })));
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.framework(id), type: 'framework.created', actorId: actor.userId, at: now, data: { name: fields.name, preset: preset?.key ?? null } });
  });
  return getFramework(ctx, actor, id);
}

export async function updateFramework(ctx: AppContext, actor: Actor, id: string, patch: Partial<FrameworkInput>) {
  requireConductManager(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [f] = await tx.select().from(conductFrameworks).where(inOrg(conductFrameworks, actor.organisationId, eq(conductFrameworks.id, id))).for('update');
    if (!f) throw notFound('Framework');
    const next = { outcomes: patch.outcomes ?? (f.outcomes as Outcome[]), scale: patch.scale ?? (f.scale as Scale), threshold: patch.threshold ?? f.threshold };
    checkFramework(next.outcomes, next.scale, next.threshold);
    const used = await tx.select({ key: conductPractices.outcomeKey }).from(conductPractices).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.frameworkId, id)));
    const orphaned = [...new Set(used.map((u) => u.key))].filter((k) => !next.outcomes.some((o) => o.key === k));
    if (orphaned.length > 0) throw new AppError('unprocessable', 'Practices still sit under outcomes you removed', [{ path: 'outcomes', message: `in use: ${orphaned.join(', ')}` }]);
    await tx.update(conductFrameworks).set({ ...patch, ...next, version: f.version + 1, updatedAt: now }).where(inOrg(conductFrameworks, actor.organisationId, eq(conductFrameworks.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.framework(id), type: 'framework.updated', actorId: actor.userId, at: now, data: { version: f.version + 1, ...patch } });
  });
  return getFramework(ctx, actor, id);
}

async function practiceViews(db: Db, organisationId: string, rows: PracticeRow[]) {
  if (rows.length === 0) return [];
  const frameworks = await db.select().from(conductFrameworks).where(inOrg(conductFrameworks, organisationId, inArray(conductFrameworks.id, [...new Set(rows.map((r) => r.frameworkId))])));
  const exclusions = await db.select({ e: conductExclusions, unitName: units.name }).from(conductExclusions).innerJoin(units, eq(units.id, conductExclusions.unitId))
    .where(inOrg(conductExclusions, organisationId, inArray(conductExclusions.practiceId, rows.map((r) => r.id))));
  return rows.map((p) => {
    const outcome = (frameworks.find((f) => f.id === p.frameworkId)?.outcomes as Outcome[] | undefined)?.find((o) => o.key === p.outcomeKey);
    return {
      id: p.id, frameworkId: p.frameworkId, outcomeKey: p.outcomeKey, outcomeTitle: outcome?.title ?? p.outcomeKey, code: p.code, title: p.title,
      description: p.description, guidance: p.guidance, exampleEvidence: p.exampleEvidence as string[], unitKinds: p.unitKinds as UnitKind[],
      critical: p.critical, version: p.version, active: p.active,
      notApplicable: exclusions.filter((e) => e.e.practiceId === p.id).map((e) => ({ unitId: e.e.unitId, unitName: e.unitName, justification: e.e.justification, by: e.e.createdBy, at: e.e.createdAt.toISOString() })),
      createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
    };
  });
}

export type PracticeView = Awaited<ReturnType<typeof practiceViews>>[number];

export async function listPractices(ctx: AppContext, actor: Actor, filter: { frameworkId?: string; outcomeKey?: string; critical?: boolean; unitKind?: UnitKind }) {
  const rows = await ctx.db.select().from(conductPractices).where(inOrg(conductPractices, actor.organisationId,
    filter.frameworkId ? eq(conductPractices.frameworkId, filter.frameworkId) : undefined,
    filter.outcomeKey ? eq(conductPractices.outcomeKey, filter.outcomeKey) : undefined,
    filter.critical !== undefined ? eq(conductPractices.critical, filter.critical) : undefined,
    filter.unitKind ? sql`${conductPractices.unitKinds} @> ${JSON.stringify([filter.unitKind])}::jsonb` : undefined))
    .orderBy(asc(conductPractices.code));
  return practiceViews(ctx.db, actor.organisationId, rows);
}

export async function findPractice(db: Db, organisationId: string, id: string): Promise<PracticeRow> {
  const [p] = await db.select().from(conductPractices).where(inOrg(conductPractices, organisationId, eq(conductPractices.id, id)));
  if (!p) throw notFound('Practice');
  return p;
}

export async function getPracticeView(ctx: AppContext, actor: Actor, id: string) {
  const [view] = await practiceViews(ctx.db, actor.organisationId, [await findPractice(ctx.db, actor.organisationId, id)]);
  return view;
}

export interface PracticeInput {
  frameworkId: string;
  outcomeKey: string;
  code?: string;
  title: string;
  description?: string;
  guidance: string;
  exampleEvidence?: string[];
  unitKinds: UnitKind[];
  critical?: boolean;
}

export async function createPractice(ctx: AppContext, actor: Actor, input: PracticeInput) {
  requireConductManager(actor);
  const [f] = await ctx.db.select().from(conductFrameworks).where(inOrg(conductFrameworks, actor.organisationId, eq(conductFrameworks.id, input.frameworkId)));
  if (!f) throw new AppError('unprocessable', 'The framework does not exist', [{ path: 'frameworkId', message: 'unknown framework' }]);
  if (!(f.outcomes as Outcome[]).some((o) => o.key === input.outcomeKey)) {
    throw new AppError('unprocessable', 'The framework has no such outcome', [{ path: 'outcomeKey', message: `one of ${(f.outcomes as Outcome[]).map((o) => o.key).join(', ')}` }]);
  }
  const now = ctx.clock.now();
  const id = randomUUID();
  const [{ n }] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(conductPractices).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.frameworkId, f.id)));
  const code = input.code ?? `P-${n + 1}`;
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(conductPractices).values({
        id, organisationId: actor.organisationId, frameworkId: f.id, outcomeKey: input.outcomeKey, code, title: input.title,
        description: input.description ?? '', guidance: input.guidance, exampleEvidence: input.exampleEvidence ?? [], unitKinds: input.unitKinds,
        critical: input.critical ?? false, active: true, version: 1, createdAt: now, updatedAt: now,
      });
      await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.practice(id), type: 'practice.created', actorId: actor.userId, at: now, data: { ...input, code } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('already_exists', `The framework already has a practice with code ${code}`, [{ path: 'code', message: 'taken' }]);
    throw err;
  }
  return getPracticeView(ctx, actor, id);
}

export async function updatePractice(ctx: AppContext, actor: Actor, id: string, patch: Partial<Omit<PracticeInput, 'frameworkId' | 'code'>> & { active?: boolean }) {
  requireConductManager(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [p] = await tx.select().from(conductPractices).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.id, id))).for('update');
    if (!p) throw notFound('Practice');
    if (patch.outcomeKey) {
      const f = await findFramework(tx, actor.organisationId, p.frameworkId);
      if (!(f.outcomes as Outcome[]).some((o) => o.key === patch.outcomeKey)) throw new AppError('unprocessable', 'The framework has no such outcome', [{ path: 'outcomeKey', message: 'unknown outcome' }]);
    }
    await tx.update(conductPractices).set({ ...patch, version: p.version + 1, updatedAt: now }).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.practice(id), type: 'practice.updated', actorId: actor.userId, at: now, data: { version: p.version + 1, ...patch } });
  });
  return getPracticeView(ctx, actor, id);
}

/** A unit says the practice does not apply to it; its open cells for the practice follow. */
export async function markNotApplicable(ctx: AppContext, actor: Actor, practiceId: string, unitId: string, justification: string) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const practice = await findPractice(ctx.db, actor.organisationId, practiceId);
  await requireBodyUnit(ctx.db, actor, unitId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(conductExclusions).values({ id: randomUUID(), organisationId: actor.organisationId, practiceId, unitId, justification, createdBy: actor.userId, createdAt: now })
      .onConflictDoUpdate({ target: [conductExclusions.organisationId, conductExclusions.practiceId, conductExclusions.unitId], set: { justification, createdBy: actor.userId, createdAt: now } });
    const open = await tx.select({ id: conductAssessments.id }).from(conductAssessments).innerJoin(conductCycles, eq(conductCycles.id, conductAssessments.cycleId))
      .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.practiceId, practiceId), eq(conductAssessments.unitId, unitId), eq(conductCycles.status, 'open'),
        inArray(conductAssessments.state, ['not_started', 'draft', 'returned'])));
    if (open.length > 0) {
      await tx.update(conductAssessments).set({ state: 'not_applicable', notApplicableReason: justification, updatedAt: now })
        .where(inOrg(conductAssessments, actor.organisationId, inArray(conductAssessments.id, open.map((o) => o.id))));
      for (const o of open) await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(o.id), type: 'assessment.not_applicable', actorId: actor.userId, at: now, data: { justification } });
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.practice(practice.id), type: 'practice.not_applicable', actorId: actor.userId, at: now, data: { unitId, justification } });
  });
  return getPracticeView(ctx, actor, practiceId);
}

export async function markApplicable(ctx: AppContext, actor: Actor, practiceId: string, unitId: string) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  await findPractice(ctx.db, actor.organisationId, practiceId);
  await requireBodyUnit(ctx.db, actor, unitId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.delete(conductExclusions).where(inOrg(conductExclusions, actor.organisationId, eq(conductExclusions.practiceId, practiceId), eq(conductExclusions.unitId, unitId)));
    const cells = await tx.select({ id: conductAssessments.id }).from(conductAssessments).innerJoin(conductCycles, eq(conductCycles.id, conductAssessments.cycleId))
      .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.practiceId, practiceId), eq(conductAssessments.unitId, unitId), eq(conductCycles.status, 'open'), eq(conductAssessments.state, 'not_applicable')));
    if (cells.length > 0) {
      await tx.update(conductAssessments).set({ state: 'draft', notApplicableReason: null, updatedAt: now }).where(inOrg(conductAssessments, actor.organisationId, inArray(conductAssessments.id, cells.map((c) => c.id))));
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.practice(practiceId), type: 'practice.applicable', actorId: actor.userId, at: now, data: { unitId } });
  });
  return getPracticeView(ctx, actor, practiceId);
}

/** The practice page: the practice, the escalation lessons that name it, and its actions. */
export async function practiceDetail<A>(ctx: AppContext, actor: Actor, id: string, listActionsFor: (practiceId: string) => Promise<A[]>) {
  const view = await getPracticeView(ctx, actor, id);
  // Lessons are for managers (as on the lessons list); agents see the practice and its actions.
  const lessons = actor.role === 'agent' ? [] : await listLessons(ctx, actor, { practiceId: id, limit: 100 });
  return { ...view, lessons, actions: await listActionsFor(id) };
}


/** The framework a cycle was opened under, with its scale and pass line. */
export async function frameworkOfCycle(db: Db, organisationId: string, cycleId: string) {
  const [row] = await db.select({ f: conductFrameworks }).from(conductCycles).innerJoin(conductFrameworks, eq(conductFrameworks.id, conductCycles.frameworkId))
    .where(inOrg(conductCycles, organisationId, eq(conductCycles.id, cycleId)));
  if (!row) throw notFound('Cycle');
  return { ...row.f, scale: row.f.scale as Scale, outcomes: row.f.outcomes as Outcome[] };
}
