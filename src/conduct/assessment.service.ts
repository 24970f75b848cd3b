import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  conductActions, conductAssessments, conductCycles, conductEvidenceLinks, conductExclusions, conductFrameworks, conductPractices, units, type UnitKind,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent, listStreamEvents } from '../history/history.service.js';
import { inUnitSubtree, unitScopeCondition } from '../org/unit.service.js';
import { AppError, notFound } from '../server/errors.js';
import { decodeCursor, toPage } from '../server/pagination.js';
import { insertAction, leadFor, notifyConduct } from './action.service.js';
import { requireBodyUnit, requireConductManager, requireInScope, streams, withActorNames } from './conduct-access.js';
import { effectiveScore, isOnScale, isRed, type AssessmentState, type Scale } from './conduct-rules.js';
import { getConductSettings } from './conduct-settings.js';
import { checkEvidenceReadable, evidenceForAssessments } from './evidence.service.js';

const DAY = 86_400_000;

export function selectCells(db: Db) {
  return db.select({
    c: conductAssessments, practiceTitle: conductPractices.title, practiceCode: conductPractices.code, critical: conductPractices.critical,
    outcomeKey: conductPractices.outcomeKey, guidance: conductPractices.guidance, exampleEvidence: conductPractices.exampleEvidence,
    unitName: units.name, unitKind: units.kind, unitPath: units.path, cycleStatus: conductCycles.status, cycleName: conductCycles.name,
    scale: conductFrameworks.scale, threshold: conductFrameworks.threshold,
  }).from(conductAssessments)
    .innerJoin(conductPractices, eq(conductPractices.id, conductAssessments.practiceId))
    .innerJoin(units, eq(units.id, conductAssessments.unitId))
    .innerJoin(conductCycles, eq(conductCycles.id, conductAssessments.cycleId))
    .innerJoin(conductFrameworks, eq(conductFrameworks.id, conductCycles.frameworkId));
}
export type CellRow = Awaited<ReturnType<ReturnType<typeof selectCells>['where']>>[number];

function cellView(r: CellRow, requiredActionId: string | null) {
  const c = r.c;
  const score = effectiveScore(c);
  return {
    id: c.id, cycleId: c.cycleId, cycleName: r.cycleName, practiceId: c.practiceId, practiceTitle: r.practiceTitle, practiceCode: r.practiceCode, critical: r.critical,
    outcomeKey: r.outcomeKey, unitId: c.unitId, unitName: r.unitName, unitKind: r.unitKind as UnitKind, state: c.state as AssessmentState,
    selfScore: c.selfScore, rationale: c.rationale, reviewerScore: c.reviewerScore, reviewComment: c.reviewComment,
    score, red: isRed(score, r.threshold), gap: c.reviewerScore !== null && c.selfScore !== null ? c.selfScore - c.reviewerScore : null,
    threshold: r.threshold, locked: c.state === 'approved' || r.cycleStatus === 'closed', notApplicableReason: c.notApplicableReason, requiredActionId,
    submittedAt: c.submittedAt?.toISOString() ?? null, submittedBy: c.submittedBy, reviewedAt: c.reviewedAt?.toISOString() ?? null, reviewedBy: c.reviewedBy,
    updatedAt: c.updatedAt.toISOString(),
  };
}

async function requiredActionIds(db: Db, organisationId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: conductActions.id, assessmentId: conductActions.assessmentId }).from(conductActions)
    .where(inOrg(conductActions, organisationId, inArray(conductActions.assessmentId, ids)));
  return new Map(rows.map((r) => [r.assessmentId!, r.id]));
}

const cellCursor = z.tuple([z.string(), z.string(), z.string()]);

export interface CellFilter { cycleId?: string; unitId?: string; practiceId?: string; state?: AssessmentState; red?: boolean; limit: number; cursor?: string }

/** Cells in the actor's scope, ordered by unit, then practice code. */
export async function listAssessments(ctx: AppContext, actor: Actor, filter: CellFilter) {
  const after = decodeCursor(filter.cursor, cellCursor);
  const effective = sql`CASE WHEN ${conductAssessments.state} IN ('submitted','returned','approved') THEN coalesce(${conductAssessments.reviewerScore}, ${conductAssessments.selfScore}) END`;
  const rows = await selectCells(ctx.db).where(inOrg(conductAssessments, actor.organisationId,
    unitScopeCondition(actor, conductAssessments.unitId),
    filter.cycleId ? eq(conductAssessments.cycleId, filter.cycleId) : undefined,
    filter.unitId ? inUnitSubtree(conductAssessments.unitId, actor.organisationId, filter.unitId) : undefined,
    filter.practiceId ? eq(conductAssessments.practiceId, filter.practiceId) : undefined,
    filter.state ? eq(conductAssessments.state, filter.state) : undefined,
    filter.red === true ? sql`${effective} < ${conductFrameworks.threshold}` : undefined,
    after ? or(gt(units.name, after[0]), and(eq(units.name, after[0]), gt(conductPractices.code, after[1])), and(eq(units.name, after[0]), eq(conductPractices.code, after[1]), gt(conductAssessments.id, after[2]))) : undefined))
    .orderBy(asc(units.name), asc(conductPractices.code), asc(conductAssessments.id)).limit(filter.limit + 1);
  const actions = await requiredActionIds(ctx.db, actor.organisationId, rows.map((r) => r.c.id));
  return toPage(rows, filter.limit, (r) => cellView(r, actions.get(r.c.id) ?? null), (r) => [r.unitName, r.practiceCode, r.c.id]);
}

/** A cell the actor may read: another organisation's is a 404, outside one's subtree a 403. */
async function loadCell(db: Db, actor: Actor, id: string, lock = false): Promise<CellRow> {
  if (lock) {
    const [locked] = await db.select({ id: conductAssessments.id }).from(conductAssessments).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id))).for('update');
    if (!locked) throw notFound('Assessment');
  }
  const [row] = await selectCells(db).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
  if (!row) throw notFound('Assessment');
  requireInScope(actor, { path: row.unitPath }, 'assessment');
  return row;
}

export async function getAssessment(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadCell(ctx.db, actor, id);
  const actions = await requiredActionIds(ctx.db, actor.organisationId, [id]);
  const evidence = (await evidenceForAssessments(ctx.db, actor.organisationId, [id])).get(id) ?? [];
  let previous = null;
  if (row.c.carriedFromId) {
    const [p] = await selectCells(ctx.db).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, row.c.carriedFromId)));
    if (p) previous = { assessmentId: p.c.id, cycleName: p.cycleName, score: effectiveScore(p.c), selfScore: p.c.selfScore, reviewerScore: p.c.reviewerScore, rationale: p.c.rationale, state: p.c.state };
  }
  return {
    ...cellView(row, actions.get(id) ?? null), scale: row.scale as Scale, threshold: row.threshold, guidance: row.guidance,
    exampleEvidence: row.exampleEvidence as string[], evidence, previous,
  };
}

export async function assessmentEvents(ctx: AppContext, actor: Actor, id: string) {
  await loadCell(ctx.db, actor, id);
  return withActorNames(ctx.db, actor.organisationId, await listStreamEvents(ctx.db, actor.organisationId, streams.assessment(id)));
}

const editable: ReadonlySet<AssessmentState> = new Set(['not_started', 'draft', 'returned']);

function requireEditable(row: CellRow) {
  if (row.cycleStatus === 'closed') throw new AppError('conflict', 'The cycle is closed');
  if (row.c.state === 'approved') throw new AppError('conflict', 'The assessment is approved and locked');
  if (!editable.has(row.c.state)) throw new AppError('conflict', `The assessment is ${row.c.state.replace('_', ' ')} and cannot be edited now`);
}

function checkScore(row: CellRow, score: number, path: string) {
  const scale = row.scale as Scale;
  if (!isOnScale(scale, score)) throw new AppError('unprocessable', `The score must be a whole number from ${scale.min} to ${scale.max}`, [{ path, message: 'off the scale' }]);
}

async function changeCell(ctx: AppContext, actor: Actor, id: string, work: (tx: Db, row: CellRow, now: Date) => Promise<void>) {
  await ctx.db.transaction(async (tx) => work(tx, await loadCell(tx, actor, id, true), ctx.clock.now()));
  return getAssessment(ctx, actor, id);
}

/** The unit's draft: saved as often as wanted until submitted. */
export async function saveDraft(ctx: AppContext, actor: Actor, id: string, patch: { selfScore?: number | null; rationale?: string | null }) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  return changeCell(ctx, actor, id, async (tx, row, now) => {
    requireEditable(row);
    if (patch.selfScore !== undefined && patch.selfScore !== null) checkScore(row, patch.selfScore, 'selfScore');
    await tx.update(conductAssessments).set({ ...patch, state: row.c.state === 'returned' ? 'returned' : 'draft', updatedAt: now }).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.draft_saved', actorId: actor.userId, at: now, data: patch });
  });
}

export async function submitAssessment(ctx: AppContext, actor: Actor, id: string, input: { selfScore: number; rationale: string }) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  return changeCell(ctx, actor, id, async (tx, row, now) => {
    requireEditable(row);
    checkScore(row, input.selfScore, 'selfScore');
    await tx.update(conductAssessments).set({ ...input, state: 'submitted', reviewerScore: null, submittedBy: actor.userId, submittedAt: now, updatedAt: now })
      .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.submitted', actorId: actor.userId, at: now, data: input });
  });
}

export type ReviewInput = { decision: 'approve'; comment?: string } | { decision: 'return'; comment: string } | { decision: 'override'; reviewerScore: number; comment: string };

/**
 * Compliance's review. Approve (or override with its own score) locks the cell; a score below the
 * threshold then requires an improvement action, delegated to the unit's lead, in the same transaction.
 */
export async function reviewAssessment(ctx: AppContext, actor: Actor, id: string, input: ReviewInput) {
  requireConductManager(actor);
  return changeCell(ctx, actor, id, async (tx, row, now) => {
    if (row.cycleStatus === 'closed') throw new AppError('conflict', 'The cycle is closed');
    if (row.c.state !== 'submitted') throw new AppError('conflict', `Only a submitted assessment can be reviewed; this one is ${row.c.state.replace('_', ' ')}`);
    if (input.decision === 'return') {
      await tx.update(conductAssessments).set({ state: 'returned', reviewComment: input.comment, reviewedBy: actor.userId, reviewedAt: now, updatedAt: now })
        .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
      await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.returned', actorId: actor.userId, at: now, data: { comment: input.comment } });
      if (row.c.submittedBy) {
        await notifyConduct(tx, ctx, actor.organisationId, [row.c.submittedBy], 'conduct_assessment_returned', `Returned: ${row.practiceTitle} (${row.unitName})`, input.comment, `/conduct/assessments/${id}`);
      }
      return;
    }
    const reviewerScore = input.decision === 'override' ? input.reviewerScore : null;
    if (reviewerScore !== null) checkScore(row, reviewerScore, 'reviewerScore');
    await tx.update(conductAssessments).set({ state: 'approved', reviewerScore, reviewComment: input.comment ?? null, reviewedBy: actor.userId, reviewedAt: now, updatedAt: now })
      .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
    const score = reviewerScore ?? row.c.selfScore!;
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: streams.assessment(id), type: input.decision === 'override' ? 'assessment.overridden' : 'assessment.approved', actorId: actor.userId, at: now,
      data: { selfScore: row.c.selfScore, reviewerScore, gap: reviewerScore === null ? null : row.c.selfScore! - reviewerScore, comment: input.comment ?? null },
    });
    if (score < row.threshold) {
      const settings = await getConductSettings(tx, actor.organisationId);
      const delegateId = (await leadFor(tx, actor.organisationId, row.c.unitId)) ?? row.c.submittedBy ?? actor.userId;
      await insertAction(tx, ctx, actor.organisationId, actor.userId, {
        title: `Improve "${row.practiceTitle}" in ${row.unitName}`,
        description: `Scored ${score} (below ${row.threshold}) in ${row.cycleName}.${input.comment ? ` Reviewer: ${input.comment}` : ''}`,
        practiceId: row.c.practiceId, unitId: row.c.unitId, delegateId, deadline: new Date(now.getTime() + settings.actionDeadlineDays * DAY),
        priority: row.critical ? 'critical' : score <= (row.scale as Scale).min ? 'high' : 'medium',
        expectedEffect: `A score of at least ${row.threshold} on re-assessment, with evidence of the change`,
        source: { kind: 'assessment', assessmentId: id, cycleId: row.c.cycleId }, required: true, assessmentId: id,
      });
    }
  });
}

export async function markCellNotApplicable(ctx: AppContext, actor: Actor, id: string, justification: string) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  return changeCell(ctx, actor, id, async (tx, row, now) => {
    requireEditable(row);
    await tx.insert(conductExclusions).values({ id: randomUUID(), organisationId: actor.organisationId, practiceId: row.c.practiceId, unitId: row.c.unitId, justification, createdBy: actor.userId, createdAt: now })
      .onConflictDoUpdate({ target: [conductExclusions.organisationId, conductExclusions.practiceId, conductExclusions.unitId], set: { justification, createdBy: actor.userId, createdAt: now } });
    await tx.update(conductAssessments).set({ state: 'not_applicable', notApplicableReason: justification, updatedAt: now }).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.not_applicable', actorId: actor.userId, at: now, data: { justification } });
  });
}

/** Compliance disagrees that the practice does not apply: the cell is back to draft. */
export async function reopenAssessment(ctx: AppContext, actor: Actor, id: string, comment: string) {
  requireConductManager(actor);
  return changeCell(ctx, actor, id, async (tx, row, now) => {
    if (row.cycleStatus === 'closed') throw new AppError('conflict', 'The cycle is closed');
    if (row.c.state !== 'not_applicable') throw new AppError('conflict', 'Only a not-applicable assessment can be reopened; an approved one stays locked');
    await tx.delete(conductExclusions).where(inOrg(conductExclusions, actor.organisationId, eq(conductExclusions.practiceId, row.c.practiceId), eq(conductExclusions.unitId, row.c.unitId)));
    await tx.update(conductAssessments).set({ state: 'draft', notApplicableReason: null, reviewComment: comment, updatedAt: now }).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.reopened', actorId: actor.userId, at: now, data: { comment } });
  });
}

/**
 * The evidence a cell cites, replaced as a set (one piece can support many cells). The assessor's
 * call: replacing the set can drop what others cited. Agents add evidence to their unit's cells
 * through POST /evidence with assessmentIds, which only ever adds.
 */
export async function setAssessmentEvidence(ctx: AppContext, actor: Actor, id: string, evidenceIds: string[]) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  return changeCell(ctx, actor, id, async (tx, row, now) => {
    requireEditable(row);
    await checkEvidenceReadable(tx, actor, evidenceIds);
    await tx.delete(conductEvidenceLinks).where(inOrg(conductEvidenceLinks, actor.organisationId, eq(conductEvidenceLinks.assessmentId, id)));
    if (evidenceIds.length > 0) {
      await tx.insert(conductEvidenceLinks).values([...new Set(evidenceIds)].map((evidenceId) => ({ id: randomUUID(), organisationId: actor.organisationId, evidenceId, assessmentId: id, createdAt: now })));
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.evidence_set', actorId: actor.userId, at: now, data: { evidenceIds } });
  });
}

/** Compliance adds a cell to an open cycle (a unit or practice the cycle did not cover). */
export async function addAssessment(ctx: AppContext, actor: Actor, input: { cycleId: string; practiceId: string; unitId: string }) {
  requireConductManager(actor);
  const [cycle] = await ctx.db.select().from(conductCycles).where(inOrg(conductCycles, actor.organisationId, eq(conductCycles.id, input.cycleId)));
  if (!cycle) throw new AppError('unprocessable', 'The cycle does not exist', [{ path: 'cycleId', message: 'unknown cycle' }]);
  if (cycle.status !== 'open') throw new AppError('conflict', 'The cycle is closed');
  const [practice] = await ctx.db.select().from(conductPractices).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.id, input.practiceId), eq(conductPractices.frameworkId, cycle.frameworkId)));
  if (!practice) throw new AppError('unprocessable', 'The practice is not in the cycle\'s framework', [{ path: 'practiceId', message: 'unknown practice' }]);
  await requireBodyUnit(ctx.db, actor, input.unitId);
  const id = randomUUID();
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const inserted = await tx.insert(conductAssessments).values({ id, organisationId: actor.organisationId, ...input, state: 'not_started', createdAt: now, updatedAt: now })
      .onConflictDoNothing().returning({ id: conductAssessments.id });
    if (inserted.length === 0) throw new AppError('already_exists', 'The cycle already has this practice for this unit');
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(id), type: 'assessment.added', actorId: actor.userId, at: now, data: input });
  });
  return getAssessment(ctx, actor, id);
}

