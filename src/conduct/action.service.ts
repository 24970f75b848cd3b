import { randomUUID } from 'node:crypto';
import { aliasedTable, and, asc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole, seesWholeOrganisation } from '../auth/actor.js';
import { requireActiveUser } from '../cases/case.service.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  actionPriorities, actionStatuses, conductActions, conductReminders, conductAssessments, conductCycles, conductEvidenceLinks, conductPractices, lessons, units, users,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent, listStreamEvents } from '../history/history.service.js';
import { findUnitRow, inUnitSubtree, isUnitInScope, unitScopeCondition } from '../org/unit.service.js';
import { decodeCursor, toPage } from '../server/pagination.js';
import { AppError, forbidden, notFound } from '../server/errors.js';
import { requireBodyUnit, streams, withActorNames } from './conduct-access.js';
import { dueReminderKeys, isOnScale, isOverdue, nextReminderMoment, type ReminderPlan } from './conduct-rules.js';
import { frameworkOfCycle } from './catalogue.service.js';
import { notify } from '../notify/notification.service.js';
import { getConductSettings, type ConductSettings } from './conduct-settings.js';

export type ActionPriority = (typeof actionPriorities)[number];
type ActionStatus = (typeof actionStatuses)[number];

export type ActionSource =
  | { kind: 'manual' }
  | { kind: 'lesson'; lessonId: string }
  | { kind: 'assessment'; assessmentId: string; cycleId: string }
  | { kind: 'alert'; alertId?: string; detail: string };

export interface ActionInput {
  title: string;
  description?: string;
  practiceId: string;
  unitId: string;
  delegateId: string;
  deadline: Date;
  priority: ActionPriority;
  expectedEffect: string;
  source?: ActionSource;
}

const DAY = 86_400_000;

export const planOf = (s: ConductSettings): ReminderPlan => ({ offsetsDays: s.reminderOffsetsDays, repeatEveryDays: s.repeatEveryDays, escalateAfterDays: s.escalateAfterDays });

const delegates = aliasedTable(users, 'delegate');
function selectActions(db: Db) {
  return db.select({ a: conductActions, practiceTitle: conductPractices.title, practiceCode: conductPractices.code, unitName: units.name, unitPath: units.path, delegateName: delegates.name })
    .from(conductActions)
    .innerJoin(conductPractices, eq(conductPractices.id, conductActions.practiceId))
    .innerJoin(units, eq(units.id, conductActions.unitId))
    .innerJoin(delegates, eq(delegates.id, conductActions.delegateId));
}
type JoinedAction = Awaited<ReturnType<ReturnType<typeof selectActions>['where']>>[number];

async function toViews(db: Db, organisationId: string, rows: JoinedAction[], now: Date) {
  const links = rows.length === 0 ? [] : await db.select({ actionId: conductEvidenceLinks.actionId, evidenceId: conductEvidenceLinks.evidenceId }).from(conductEvidenceLinks)
    .where(inOrg(conductEvidenceLinks, organisationId, inArray(conductEvidenceLinks.actionId, rows.map((r) => r.a.id))));
  return rows.map(({ a, practiceTitle, practiceCode, unitName, delegateName }) => ({
    id: a.id, title: a.title, description: a.description, practiceId: a.practiceId, practiceTitle, practiceCode, unitId: a.unitId, unitName,
    delegateId: a.delegateId, delegateName, createdBy: a.createdBy, deadline: a.deadline.toISOString(), priority: a.priority,
    expectedEffect: a.expectedEffect, status: a.status, required: a.required, source: { kind: a.sourceKind, ...(a.source as object) } as Record<string, unknown>,
    overdue: isOverdue(a, now), escalatedAt: a.escalatedAt?.toISOString() ?? null, escalatedToId: a.escalatedToId,
    doneAt: a.doneAt?.toISOString() ?? null, doneNote: a.doneNote, verifiedAt: a.verifiedAt?.toISOString() ?? null, verifiedBy: a.verifiedBy,
    verifyScore: a.verifyScore, evidenceIds: links.filter((l) => l.actionId === a.id).map((l) => l.evidenceId),
    createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString(),
  }));
}
export type ActionView = Awaited<ReturnType<typeof toViews>>[number];

/** The nearest lead at or above a unit, other than `except`: who an action goes to, and whom it escalates to. */
export async function leadFor(db: Db, organisationId: string, unitId: string, except?: string): Promise<string | undefined> {
  const unit = await findUnitRow(db, organisationId, unitId);
  if (!unit) return undefined;
  const chain = unit.path.split('/').filter(Boolean);
  const leads = await db.select({ id: users.id, unitId: users.unitId }).from(users)
    .where(inOrg(users, organisationId, inArray(users.unitId, chain), eq(users.role, 'lead'), eq(users.active, true))).orderBy(asc(users.name));
  for (const id of [...chain].reverse()) {
    const lead = leads.find((l) => l.unitId === id && l.id !== except);
    if (lead) return lead.id;
  }
  return undefined;
}

/** Writes an action in the caller's transaction, with its history event and the delegate's notice. */
export async function insertAction(tx: Db, ctx: AppContext, organisationId: string, actorId: string | null, input: ActionInput & { required: boolean; assessmentId?: string }): Promise<string> {
  const now = ctx.clock.now();
  const settings = await getConductSettings(tx, organisationId);
  const plan = planOf(settings);
  const id = randomUUID();
  const source = input.source ?? { kind: 'manual' };
  const { kind, ...sourceData } = source;
  await tx.insert(conductActions).values({
    id, organisationId, title: input.title, description: input.description ?? '', practiceId: input.practiceId, unitId: input.unitId,
    delegateId: input.delegateId, createdBy: actorId, deadline: input.deadline, priority: input.priority, expectedEffect: input.expectedEffect,
    status: 'open', required: input.required, sourceKind: kind, source: sourceData, assessmentId: input.assessmentId ?? null,
    nextReminderAt: nextReminderMoment(input.deadline, now, plan, false), createdAt: now, updatedAt: now,
  });
  // Reminders whose moment has already passed (a short deadline) are recorded, not sent: the creation notice covers them.
  const passed = dueReminderKeys(input.deadline, now, plan);
  if (passed.length > 0) await tx.insert(conductReminders).values(passed.map((key) => ({ id: randomUUID(), organisationId, subjectId: id, key, sentAt: now }))).onConflictDoNothing();
  await appendEvent(tx, { organisationId, stream: streams.action(id), type: 'action.created', actorId, at: now, data: { ...input, deadline: input.deadline.toISOString(), source } });
  await notifyConduct(tx, ctx, organisationId, [input.delegateId], 'conduct_action', `New improvement action: ${input.title}`,
    `You are the delegate for "${input.title}", due ${input.deadline.toISOString().slice(0, 10)} (priority ${input.priority}). Expected effect: ${input.expectedEffect}`, `/conduct/actions/${id}`);
  return id;
}

/** In-app notice plus e-mail (per the person's preference) with a link into the conduct pages. */
export async function notifyConduct(tx: Db, ctx: AppContext, organisationId: string, userIds: string[], kind: string, title: string, body: string, link: string) {
  await notify(tx, { organisationId, userIds, kind, title, body: `${body}\n\n${ctx.config.publicUrl}${link}` }, ctx.clock.now(), ctx.config.publicUrl);
}

/**
 * An escalation's lesson that names a practice requires an improvement action: created in the
 * escalation's transaction, delegated to the unit's lead (else whoever recorded the lesson).
 */
export async function requireActionForLesson(tx: Db, ctx: AppContext, organisationId: string, actorId: string, lesson: { id: string; practiceId: string; unitId: string; processChange: string }) {
  const [practice] = await tx.select({ id: conductPractices.id, title: conductPractices.title, critical: conductPractices.critical }).from(conductPractices)
    .where(inOrg(conductPractices, organisationId, eq(conductPractices.id, lesson.practiceId)));
  if (!practice) throw new AppError('unprocessable', 'The lesson names a practice that does not exist', [{ path: 'lesson.practiceId', message: 'unknown practice' }]);
  const settings = await getConductSettings(tx, organisationId);
  const change = lesson.processChange.length > 80 ? `${lesson.processChange.slice(0, 77)}…` : lesson.processChange;
  return insertAction(tx, ctx, organisationId, actorId, {
    title: `Put a lesson into practice: ${change}`, description: lesson.processChange, practiceId: practice.id, unitId: lesson.unitId,
    delegateId: (await leadFor(tx, organisationId, lesson.unitId)) ?? actorId, deadline: new Date(ctx.clock.now().getTime() + settings.actionDeadlineDays * DAY),
    priority: practice.critical ? 'high' : 'medium', expectedEffect: `The process change is in place for "${practice.title}", with evidence`,
    source: { kind: 'lesson', lessonId: lesson.id }, required: true,
  });
}

async function checkPracticeAndUnit(db: Db, actor: Actor, practiceId: string, unitId: string) {
  const [p] = await db.select({ id: conductPractices.id }).from(conductPractices).where(inOrg(conductPractices, actor.organisationId, eq(conductPractices.id, practiceId)));
  if (!p) throw new AppError('unprocessable', 'The practice does not exist', [{ path: 'practiceId', message: 'unknown practice' }]);
  await requireBodyUnit(db, actor, unitId);
}

/**
 * Creates an improvement action. Used by the API (manual or from a lesson) and by other features:
 * the reports work raises actions from a complaint spike with `source: {kind: 'alert', ...}`.
 */
export async function createAction(ctx: AppContext, actor: Actor, input: Omit<ActionInput, 'practiceId' | 'unitId'> & { practiceId?: string; unitId?: string; lessonId?: string }) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  let { practiceId, unitId } = input;
  let source: ActionSource = input.source ?? { kind: 'manual' };
  if (input.lessonId) {
    const [lesson] = await ctx.db.select().from(lessons).where(inOrg(lessons, actor.organisationId, eq(lessons.id, input.lessonId)));
    if (!lesson) throw new AppError('unprocessable', 'The lesson does not exist', [{ path: 'lessonId', message: 'unknown lesson' }]);
    practiceId ??= lesson.practiceId ?? undefined;
    unitId ??= lesson.unitId;
    source = { kind: 'lesson', lessonId: lesson.id };
  }
  if (!practiceId) throw new AppError('validation_failed', 'Name the practice the action improves', [{ path: 'practiceId', message: 'required' }]);
  if (!unitId) throw new AppError('validation_failed', 'Name the unit', [{ path: 'unitId', message: 'required' }]);
  await checkPracticeAndUnit(ctx.db, actor, practiceId, unitId);
  await requireActiveUser(ctx.db, actor.organisationId, input.delegateId).catch(() => {
    throw new AppError('unprocessable', 'The delegate is not an active user', [{ path: 'delegateId', message: 'unknown or inactive user' }]);
  });
  if (input.deadline.getTime() <= ctx.clock.now().getTime()) throw new AppError('unprocessable', 'The deadline must be in the future', [{ path: 'deadline', message: 'in the past' }]);
  const id = await ctx.db.transaction((tx) => insertAction(tx, ctx, actor.organisationId, actor.userId, { ...input, practiceId: practiceId!, unitId: unitId!, source, required: source.kind !== 'manual' }));
  return getAction(ctx, actor, id);
}

async function loadAction(db: Db, actor: Actor, id: string, lock = false) {
  const q = db.select().from(conductActions).where(inOrg(conductActions, actor.organisationId, eq(conductActions.id, id)));
  const [a] = lock ? await q.for('update') : await q;
  if (!a) throw notFound('Action');
  const unit = (await findUnitRow(db, actor.organisationId, a.unitId))!;
  const inScope = isUnitInScope(actor, unit) || a.delegateId === actor.userId;
  if (!inScope) throw forbidden('This action belongs to a unit outside your part of the organisation');
  return { a, unit };
}

export async function getAction(ctx: AppContext, actor: Actor, id: string) {
  await loadAction(ctx.db, actor, id);
  const rows = await selectActions(ctx.db).where(inOrg(conductActions, actor.organisationId, eq(conductActions.id, id)));
  return (await toViews(ctx.db, actor.organisationId, rows, ctx.clock.now()))[0];
}

export async function actionEvents(ctx: AppContext, actor: Actor, id: string) {
  await loadAction(ctx.db, actor, id);
  return withActorNames(ctx.db, actor.organisationId, await listStreamEvents(ctx.db, actor.organisationId, streams.action(id)));
}

const actionCursor = z.tuple([z.string(), z.string()]);

export interface ActionFilter {
  status?: ActionStatus; mine?: boolean; overdue?: boolean; unitId?: string; practiceId?: string; cycleId?: string; delegateId?: string; limit: number; cursor?: string;
}

/** Actions in scope (one's unit subtree, or delegated to one), nearest deadline first. */
export async function listActions(ctx: AppContext, actor: Actor, filter: ActionFilter) {
  const now = ctx.clock.now();
  const after = decodeCursor(filter.cursor, actionCursor);
  const scope = seesWholeOrganisation(actor) ? undefined : or(unitScopeCondition(actor, conductActions.unitId), eq(conductActions.delegateId, actor.userId));
  const rows = await selectActions(ctx.db).where(inOrg(conductActions, actor.organisationId, scope,
    filter.status ? eq(conductActions.status, filter.status) : undefined,
    filter.mine ? eq(conductActions.delegateId, actor.userId) : undefined,
    filter.delegateId ? eq(conductActions.delegateId, filter.delegateId) : undefined,
    filter.overdue ? and(eq(conductActions.status, 'open'), lt(conductActions.deadline, now)) : undefined,
    filter.unitId ? inUnitSubtree(conductActions.unitId, actor.organisationId, filter.unitId) : undefined,
    filter.practiceId ? eq(conductActions.practiceId, filter.practiceId) : undefined,
    filter.cycleId ? sql`${conductActions.source}->>'cycleId' = ${filter.cycleId}` : undefined,
    after ? or(gt(conductActions.deadline, new Date(after[0])), and(eq(conductActions.deadline, new Date(after[0])), gt(conductActions.id, after[1]))) : undefined))
    .orderBy(asc(conductActions.deadline), asc(conductActions.id)).limit(filter.limit + 1);
  const views = await toViews(ctx.db, actor.organisationId, rows, now);
  return toPage(views, filter.limit, (v) => v, (v) => [v.deadline, v.id]);
}

export async function updateAction(ctx: AppContext, actor: Actor, id: string, patch: Partial<Pick<ActionInput, 'title' | 'description' | 'delegateId' | 'deadline' | 'priority' | 'expectedEffect'>>) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { a } = await loadAction(tx, actor, id, true);
    if (a.status !== 'open') throw new AppError('conflict', `The action is ${a.status}; only open actions change`);
    if (patch.delegateId) {
      await requireActiveUser(tx, actor.organisationId, patch.delegateId).catch(() => {
        throw new AppError('unprocessable', 'The delegate is not an active user', [{ path: 'delegateId', message: 'unknown or inactive user' }]);
      });
    }
    const deadline = patch.deadline ?? a.deadline;
    const plan = planOf(await getConductSettings(tx, actor.organisationId));
    const rescheduled = patch.deadline ? { nextReminderAt: nextReminderMoment(deadline, now, plan, a.escalatedAt !== null) } : {};
    await tx.update(conductActions).set({ ...patch, ...rescheduled, updatedAt: now }).where(inOrg(conductActions, actor.organisationId, eq(conductActions.id, id)));
    if (patch.deadline) {
      // A new deadline gets its own reminders: forget those sent for the old one.
      await tx.delete(conductReminders).where(inOrg(conductReminders, actor.organisationId, eq(conductReminders.subjectId, id)));
      const passed = dueReminderKeys(deadline, now, plan);
      if (passed.length > 0) await tx.insert(conductReminders).values(passed.map((key) => ({ id: randomUUID(), organisationId: actor.organisationId, subjectId: id, key, sentAt: now })));
    }
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.action(id), type: 'action.updated', actorId: actor.userId, at: now, data: { ...patch, deadline: patch.deadline?.toISOString() } });
    if (patch.delegateId && patch.delegateId !== a.delegateId) {
      await notifyConduct(tx, ctx, actor.organisationId, [patch.delegateId], 'conduct_action', `Improvement action delegated to you: ${patch.title ?? a.title}`, `Due ${deadline.toISOString().slice(0, 10)}.`, `/conduct/actions/${id}`);
    }
  });
  return getAction(ctx, actor, id);
}

/** Evidence the actor may cite: it exists in the organisation and is readable by them. */
export type EvidenceCheck = (db: Db, actor: Actor, evidenceIds: string[]) => Promise<void>;

export async function completeAction(ctx: AppContext, actor: Actor, id: string, input: { note: string; evidenceIds: string[] }, checkEvidence: EvidenceCheck) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { a } = await loadAction(tx, actor, id, true);
    if (a.delegateId !== actor.userId && !['admin', 'compliance', 'lead'].includes(actor.role)) throw forbidden('Only the delegate, a lead or compliance marks an action done');
    if (a.status !== 'open') throw new AppError('conflict', `The action is already ${a.status}`);
    if (input.evidenceIds.length === 0) throw new AppError('unprocessable', 'Done needs evidence of what changed', [{ path: 'evidenceIds', message: 'at least one piece of evidence' }]);
    await checkEvidence(tx, actor, input.evidenceIds);
    await tx.update(conductActions).set({ status: 'done', doneAt: now, doneNote: input.note, nextReminderAt: null, updatedAt: now }).where(inOrg(conductActions, actor.organisationId, eq(conductActions.id, id)));
    await tx.insert(conductEvidenceLinks).values(input.evidenceIds.map((evidenceId) => ({ id: randomUUID(), organisationId: actor.organisationId, evidenceId, actionId: id, createdAt: now }))).onConflictDoNothing();
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.action(id), type: 'action.done', actorId: actor.userId, at: now, data: input });
  });
  return getAction(ctx, actor, id);
}

/** Compliance verifies the effect; a re-score updates the source cell while its cycle is open (history kept). */
export async function verifyAction(ctx: AppContext, actor: Actor, id: string, input: { comment?: string; rescore?: number }) {
  requireRole(actor, 'admin', 'compliance');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { a } = await loadAction(tx, actor, id, true);
    if (a.status !== 'done') throw new AppError('conflict', a.status === 'open' ? 'The action is not done yet' : 'The action is already verified');
    if (input.rescore !== undefined && a.assessmentId) {
      const [cell] = await tx.select({ c: conductAssessments, cycleStatus: conductCycles.status }).from(conductAssessments).innerJoin(conductCycles, eq(conductCycles.id, conductAssessments.cycleId))
        .where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, a.assessmentId)));
      if (cell && cell.cycleStatus === 'open') {
        const framework = await frameworkOfCycle(tx, actor.organisationId, cell.c.cycleId);
        if (!isOnScale(framework.scale, input.rescore)) throw new AppError('unprocessable', `The score must be a whole number from ${framework.scale.min} to ${framework.scale.max}`, [{ path: 'rescore', message: 'off the scale' }]);
        await tx.update(conductAssessments).set({ reviewerScore: input.rescore, updatedAt: now }).where(inOrg(conductAssessments, actor.organisationId, eq(conductAssessments.id, cell.c.id)));
        await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.assessment(cell.c.id), type: 'assessment.rescored', actorId: actor.userId, at: now, data: { actionId: id, from: cell.c.reviewerScore ?? cell.c.selfScore, to: input.rescore } });
      }
    }
    await tx.update(conductActions).set({ status: 'verified', verifiedAt: now, verifiedBy: actor.userId, verifyScore: input.rescore ?? null, updatedAt: now })
      .where(inOrg(conductActions, actor.organisationId, eq(conductActions.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.action(id), type: 'action.verified', actorId: actor.userId, at: now, data: input });
    await notifyConduct(tx, ctx, actor.organisationId, [a.delegateId], 'conduct_action', `Verified: ${a.title}`, input.comment ?? 'Compliance verified the action.', `/conduct/actions/${id}`);
  });
  return getAction(ctx, actor, id);
}

export async function reopenAction(ctx: AppContext, actor: Actor, id: string, comment: string) {
  requireRole(actor, 'admin', 'compliance');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { a } = await loadAction(tx, actor, id, true);
    if (a.status !== 'done') throw new AppError('conflict', 'Only a done action can be sent back');
    const plan = planOf(await getConductSettings(tx, actor.organisationId));
    await tx.update(conductActions).set({ status: 'open', doneAt: null, nextReminderAt: nextReminderMoment(a.deadline, now, plan, a.escalatedAt !== null), updatedAt: now })
      .where(inOrg(conductActions, actor.organisationId, eq(conductActions.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: streams.action(id), type: 'action.reopened', actorId: actor.userId, at: now, data: { comment } });
    await notifyConduct(tx, ctx, actor.organisationId, [a.delegateId], 'conduct_action', `Sent back: ${a.title}`, comment, `/conduct/actions/${id}`);
  });
  return getAction(ctx, actor, id);
}


/**
 * The reminder sweep: open actions whose next moment has come, claimed with SKIP LOCKED. Each
 * reminder key is inserted under a unique key before it is sent, so it goes out once whatever
 * the number of processes; overdue actions escalate once to the delegate's lead.
 */
export async function remindConductActions(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const due = await tx.select().from(conductActions)
      .where(and(eq(conductActions.status, 'open'), sql`${conductActions.nextReminderAt} IS NOT NULL`, sql`${conductActions.nextReminderAt} <= ${now.toISOString()}`))
      .orderBy(asc(conductActions.nextReminderAt)).limit(200).for('update', { skipLocked: true });
    const plans = new Map<string, ReminderPlan>();
    for (const a of due) {
      let plan = plans.get(a.organisationId);
      if (!plan) plans.set(a.organisationId, plan = planOf(await getConductSettings(tx, a.organisationId)));
      const keys = dueReminderKeys(a.deadline, now, plan);
      const sent = new Set((await tx.select({ key: conductReminders.key }).from(conductReminders)
        .where(inOrg(conductReminders, a.organisationId, eq(conductReminders.subjectId, a.id)))).map((r) => r.key));
      const fresh = keys.filter((k) => !sent.has(k));
      if (fresh.length > 0) {
        const inserted = await tx.insert(conductReminders).values(fresh.map((key) => ({ id: randomUUID(), organisationId: a.organisationId, subjectId: a.id, key, sentAt: now })))
          .onConflictDoNothing().returning({ key: conductReminders.key });
        // Only the latest reminder goes out: after downtime one message, not a burst of stale ones.
        const latest = fresh[fresh.length - 1];
        if (inserted.some((r) => r.key === latest)) {
          const overdueDays = Math.floor((now.getTime() - a.deadline.getTime()) / DAY);
          const when = latest === 'd0' ? 'is due today'
            : latest.startsWith('o') ? `was due ${a.deadline.toISOString().slice(0, 10)} (${overdueDays} day${overdueDays === 1 ? '' : 's'} overdue)`
              : `is due ${a.deadline.toISOString().slice(0, 10)}`;
          await notifyConduct(tx, ctx, a.organisationId, [a.delegateId], 'conduct_action_reminder', `Reminder: "${a.title}" ${when}`,
            `The improvement action "${a.title}" ${when}. Mark it done with evidence of the change when it is finished.`, `/conduct/actions/${a.id}`);
          await appendEvent(tx, { organisationId: a.organisationId, stream: streams.action(a.id), type: 'action.reminded', actorId: null, at: now, data: { key: latest, to: a.delegateId } });
        }
      }
      let escalatedAt = a.escalatedAt;
      if (a.escalatedAt === null && now.getTime() >= a.deadline.getTime() + plan.escalateAfterDays * DAY) {
        // The delegate's lead; where there is none above them, compliance (someone must own the follow-up).
        const lead = await leadFor(tx, a.organisationId, (await tx.select({ unitId: users.unitId }).from(users).where(eq(users.id, a.delegateId)))[0].unitId, a.delegateId)
          ?? (await tx.select({ id: users.id }).from(users).where(inOrg(users, a.organisationId, eq(users.role, 'compliance'), eq(users.active, true))).orderBy(asc(users.name)).limit(1))[0]?.id;
        escalatedAt = now;
        await tx.update(conductActions).set({ escalatedAt: now, escalatedToId: lead ?? null }).where(inOrg(conductActions, a.organisationId, eq(conductActions.id, a.id)));
        await appendEvent(tx, { organisationId: a.organisationId, stream: streams.action(a.id), type: 'action.escalated', actorId: null, at: now, data: { to: lead ?? null, from: a.delegateId, daysOverdue: plan.escalateAfterDays } });
        if (lead) {
          await notifyConduct(tx, ctx, a.organisationId, [lead], 'conduct_action_escalated', `Overdue action escalated to you: ${a.title}`,
            `The improvement action "${a.title}" was due ${a.deadline.toISOString().slice(0, 10)} and is still open. Please follow it up with the delegate or reassign it.`, `/conduct/actions/${a.id}`);
        }
      }
      await tx.update(conductActions).set({ nextReminderAt: nextReminderMoment(a.deadline, now, plan, escalatedAt !== null) }).where(inOrg(conductActions, a.organisationId, eq(conductActions.id, a.id)));
    }
    return due.length;
  });
}

/** Overdue open actions grouped by delegate, most first: the executive view's "who is behind". */
export async function overdueByOwner(db: Db, organisationId: string, now: Date, scopeUnitPath?: string) {
  const rows = await db.select({ ownerId: conductActions.delegateId, ownerName: users.name, count: sql<number>`count(*)::int`, oldest: sql<Date>`min(${conductActions.deadline})` })
    .from(conductActions).innerJoin(users, eq(users.id, conductActions.delegateId)).innerJoin(units, eq(units.id, conductActions.unitId))
    .where(inOrg(conductActions, organisationId, eq(conductActions.status, 'open'), lt(conductActions.deadline, now), scopeUnitPath ? sql`${units.path} LIKE ${`${scopeUnitPath}%`}` : undefined))
    .groupBy(conductActions.delegateId, users.name).orderBy(sql`count(*) DESC`, users.name);
  return rows.map((r) => ({ ownerId: r.ownerId, ownerName: r.ownerName, count: r.count, oldestDeadline: new Date(r.oldest).toISOString() }));
}
