import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { seesWholeOrganisation } from '../auth/actor.js';
import { caseScope } from '../cases/case.query.js';
import { canNoteCase } from '../cases/case.access.js';
import { caseStream, loadCase } from '../cases/case.service.js';
import { calendarForUnit } from '../clocks/clock.service.js';
import type { FiredClock } from '../clocks/clock.service.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  cases, caseTransfers, decisions, escalationReasons, escalations, failureTypes, lessons,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent, appendEvents } from '../history/history.service.js';
import { type Notice, notify, notifyMany } from '../notify/notification.service.js';
import { getSettings } from '../org/settings.js';
import { AppError, forbidden, notFound } from '../server/errors.js';
import { inUnitSubtree } from '../org/unit.service.js';
import { ladderFor } from './ladder.service.js';
import { requireActionForLesson } from '../conduct/action.service.js';

type Reason = (typeof escalationReasons)[number];
export type EscalationRow = typeof escalations.$inferSelect;

/** An escalation must be acknowledged within this many working hours, or it climbs. */
const ACK_WORKING_HOURS = 4;

const reasonText: Record<Reason, string> = {
  breach: 'a deadline was missed', warning: 'a deadline is close', transfer_waiting: 'a hand-off has waited too long',
  discretion: 'a decision is beyond the limit of the person who made it', manual: 'someone asked for help',
  customer_request: 'the customer asked to speak to a manager', vulnerable_customer: 'the customer is in vulnerable circumstances',
  outside_process: 'it falls outside standard process',
};

interface RaiseInput {
  organisationId: string;
  caseId: string;
  reason: Reason;
  note: string;
  createdBy: string | null;
  /** For approvals: the addressee must be able to approve this amount. */
  minLimit?: number;
  decisionId?: string;
  clockName?: string;
}

/**
 * Raises an escalation to the next person on the case's ladder who is neither the owner nor
 * the requester, with its own acknowledgement deadline. Runs in the caller's transaction.
 */
export async function raiseEscalation(tx: Db, ctx: AppContext, input: RaiseInput): Promise<EscalationRow> {
  const [row] = await raiseEscalations(tx, ctx, [input]);
  return row;
}

/** Many escalations (a sweep's breaches) in a fixed number of statements; ladders and calendars looked up once per unit. */
export async function raiseEscalations(tx: Db, ctx: AppContext, inputs: RaiseInput[]): Promise<EscalationRow[]> {
  if (inputs.length === 0) return [];
  const now = ctx.clock.now();
  const organisationId = inputs[0].organisationId;
  const caseIds = [...new Set(inputs.map((i) => i.caseId))];
  const caseRows = new Map((await tx.select().from(cases).where(inOrg(cases, organisationId, inArray(cases.id, caseIds)))).map((c) => [c.id, c]));
  const tops = new Map((await tx.select({ caseId: escalations.caseId, top: sql<number>`max(${escalations.rung})::int` }).from(escalations)
    .where(inOrg(escalations, organisationId, inArray(escalations.caseId, caseIds), ne(escalations.state, 'resolved')))
    .groupBy(escalations.caseId)).map((t) => [t.caseId, t.top]));
  const ladders = new Map<string, Awaited<ReturnType<typeof ladderFor>>>();
  const calendars = new Map<string, Awaited<ReturnType<typeof calendarForUnit>>>();
  const rows: (typeof escalations.$inferInsert & { id: string; toUserId: string; rung: number; ackDueAt: Date })[] = [];
  for (const input of inputs) {
    const c = caseRows.get(input.caseId);
    if (!c) throw notFound('Case');
    if (!ladders.has(c.unitId)) ladders.set(c.unitId, await ladderFor(tx, organisationId, c.unitId));
    if (!calendars.has(c.unitId)) calendars.set(c.unitId, await calendarForUnit(tx, organisationId, c.unitId));
    const top = Math.max(tops.get(c.id) ?? 0, ...rows.filter((r) => r.caseId === c.id).map((r) => r.rung));
    const skip = new Set([c.ownerId, ...(input.createdBy ? [input.createdBy] : [])]);
    const candidates = ladders.get(c.unitId)!.map((p, i) => ({ ...p, rung: i + 1 })).filter((p) => !skip.has(p.userId));
    const target = input.minLimit !== undefined
      ? candidates.find((p) => (p.discretionLimit ?? 0) >= input.minLimit!)
      : candidates.find((p) => p.rung > top) ?? candidates[candidates.length - 1];
    if (!target) {
      throw new AppError('unprocessable', input.minLimit !== undefined
        ? `Nobody on the escalation ladder can approve ${input.minLimit}; raise someone's discretion limit`
        : 'The escalation ladder of this unit has nobody to escalate to');
    }
    rows.push({
      id: randomUUID(), organisationId, caseId: c.id, reason: input.reason, note: input.note, toUserId: target.userId,
      rung: target.rung, state: 'open' as const, createdBy: input.createdBy, createdAt: now,
      ackDueAt: calendars.get(c.unitId)!.addBusinessMinutes(now, ACK_WORKING_HOURS * 60), decisionId: input.decisionId ?? null, clockName: input.clockName ?? null,
    });
  }
  const inserted = await tx.insert(escalations).values(rows).returning();
  await appendEvents(tx, rows.map((row) => ({
    organisationId, stream: caseStream(row.caseId), type: 'escalation.raised', actorId: row.createdBy ?? null, at: now,
    data: { escalationId: row.id, reason: row.reason, note: row.note, toUserId: row.toUserId, rung: row.rung, ackDueAt: row.ackDueAt.toISOString() },
  })));
  await notifyMany(tx, rows.map((row) => {
    const c = caseRows.get(row.caseId)!;
    return {
      organisationId, userIds: [row.toUserId], kind: 'escalation', escalationId: row.id, caseId: c.id,
      title: `Escalated to you: ${c.ref}`,
      body: `${c.ref} "${c.subject}" was escalated to you because ${reasonText[row.reason as Reason]}. ${row.note}\nPlease acknowledge by ${row.ackDueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    };
  }), now, ctx.config.publicUrl);
  return inserted;
}

export async function escalateCase(ctx: AppContext, actor: Actor, caseId: string, input: { reason: Reason; note: string }) {
  const row = await ctx.db.transaction(async (tx) => {
    const { row: c, facts } = await loadCase(tx, actor, caseId);
    // Executives read; raising an escalation is adding to the case, like a note.
    if (!canNoteCase(actor, facts)) throw forbidden('You can read this case but not escalate it');
    if (c.c.status === 'closed') throw new AppError('conflict', 'The case is closed');
    return raiseEscalation(tx, ctx, { organisationId: actor.organisationId, caseId, reason: input.reason, note: input.note, createdBy: actor.userId });
  });
  return getEscalation(ctx, actor, row.id);
}

const people = sql`(SELECT name FROM users u WHERE u.id = ${escalations.toUserId})`;

function toView(r: { e: EscalationRow; ref: string; subject: string; toName: string }) {
  const e = r.e;
  return {
    id: e.id, caseId: e.caseId, caseRef: r.ref, caseSubject: r.subject, reason: e.reason, note: e.note, toUserId: e.toUserId, toUserName: r.toName,
    rung: e.rung, state: e.state, createdBy: e.createdBy, createdAt: e.createdAt.toISOString(), ackDueAt: e.ackDueAt?.toISOString() ?? null,
    acknowledgedAt: e.acknowledgedAt?.toISOString() ?? null, resolvedAt: e.resolvedAt?.toISOString() ?? null, resolution: e.resolution,
    decisionId: e.decisionId, clockName: e.clockName,
  };
}

function selectEscalations(db: Db) {
  return db.select({ e: escalations, ref: cases.ref, subject: cases.subject, toName: sql<string>`${people}` }).from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.caseId));
}

/** Escalations are visible to their addressee and to whoever may see the case. */
function escalationScope(actor: Actor) {
  if (seesWholeOrganisation(actor)) return undefined;
  return or(eq(escalations.toUserId, actor.userId), caseScope(actor));
}

export async function getEscalation(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await selectEscalations(ctx.db).where(inOrg(escalations, actor.organisationId, eq(escalations.id, id), escalationScope(actor)));
  if (!row) throw notFound('Escalation');
  return toView(row);
}

export async function listEscalations(ctx: AppContext, actor: Actor, filter: { state?: string[]; toUserId?: string; unitId?: string; caseId?: string; limit: number }) {
  const rows = await selectEscalations(ctx.db)
    .where(inOrg(escalations, actor.organisationId, escalationScope(actor),
      filter.state ? inArray(escalations.state, filter.state as EscalationRow['state'][]) : undefined,
      filter.toUserId ? eq(escalations.toUserId, filter.toUserId === 'me' ? actor.userId : filter.toUserId) : undefined,
      filter.caseId ? eq(escalations.caseId, filter.caseId) : undefined,
      filter.unitId ? inUnitSubtree(cases.unitId, actor.organisationId, filter.unitId) : undefined))
    .orderBy(asc(escalations.state), desc(escalations.createdAt)).limit(filter.limit);
  return rows.map(toView);
}

async function loadForAddressee(tx: Db, actor: Actor, id: string) {
  const [e] = await tx.select().from(escalations).where(inOrg(escalations, actor.organisationId, eq(escalations.id, id))).for('update');
  if (!e) throw notFound('Escalation');
  if (e.toUserId !== actor.userId) {
    const [visible] = await tx.select({ id: escalations.id }).from(escalations).innerJoin(cases, eq(cases.id, escalations.caseId))
      .where(inOrg(escalations, actor.organisationId, eq(escalations.id, id), escalationScope(actor)));
    if (!visible) throw notFound('Escalation');
    throw forbidden('Only the person it was escalated to can do this');
  }
  return e;
}

export async function acknowledgeEscalation(ctx: AppContext, actor: Actor, id: string) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const e = await loadForAddressee(tx, actor, id);
    if (e.state !== 'open') throw new AppError('conflict', `The escalation is already ${e.state}`);
    await tx.update(escalations).set({ state: 'acknowledged', acknowledgedAt: now }).where(inOrg(escalations, actor.organisationId, eq(escalations.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: caseStream(e.caseId), type: 'escalation.acknowledged', actorId: actor.userId, at: now, data: { escalationId: id } });
  });
  return getEscalation(ctx, actor, id);
}

export interface LessonInput {
  rootCause: string;
  failureType?: (typeof failureTypes)[number];
  processChange: string;
  practiceId?: string | null;
}

/** Closing an escalated exception requires its lesson: root cause and the process change. */
export async function resolveEscalation(ctx: AppContext, actor: Actor, id: string, input: { resolution: string; lesson?: LessonInput | null; decision?: 'approve' | 'reject' }) {
  const lesson = input.lesson;
  if (!lesson || !lesson.rootCause?.trim() || !lesson.processChange?.trim()) {
    throw new AppError('unprocessable', 'Every escalated exception closes with a lesson: give its root cause and the process change', [
      { path: 'lesson', message: 'rootCause and processChange are required' },
    ]);
  }
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const e = await loadForAddressee(tx, actor, id);
    if (e.state === 'resolved') throw new AppError('conflict', 'The escalation is already resolved');
    const settings = await getSettings(tx, actor.organisationId);
    if (!settings.categories.includes(lesson.rootCause)) {
      throw new AppError('unprocessable', `The root cause must come from the taxonomy`, [{ path: 'lesson.rootCause', message: `one of: ${settings.categories.join(', ')}` }]);
    }
    if (e.decisionId && !input.decision) {
      throw new AppError('unprocessable', 'This escalation asks for approval of a decision: say approve or reject', [{ path: 'decision', message: 'required' }]);
    }
    const [c] = await tx.select({ unitId: cases.unitId }).from(cases).where(inOrg(cases, actor.organisationId, eq(cases.id, e.caseId)));
    const lessonId = randomUUID();
    await tx.insert(lessons).values({
      id: lessonId, organisationId: actor.organisationId, escalationId: id, caseId: e.caseId, unitId: c.unitId, rootCause: lesson.rootCause,
      failureType: lesson.failureType ?? 'process', processChange: lesson.processChange, practiceId: lesson.practiceId ?? null,
      ownerId: actor.userId, status: 'proposed', createdAt: now, updatedAt: now,
    });
    if (lesson.practiceId) await requireActionForLesson(tx, ctx, actor.organisationId, actor.userId, { id: lessonId, practiceId: lesson.practiceId, unitId: c.unitId, processChange: lesson.processChange });
    await tx.update(escalations).set({ state: 'resolved', resolvedAt: now, resolution: input.resolution, acknowledgedAt: e.acknowledgedAt ?? now })
      .where(inOrg(escalations, actor.organisationId, eq(escalations.id, id)));
    if (e.decisionId && input.decision) {
      await tx.update(decisions).set({ state: input.decision === 'approve' ? 'approved' : 'rejected', approvedBy: actor.userId, approvalNote: input.resolution, decidedAt: now })
        .where(inOrg(decisions, actor.organisationId, eq(decisions.id, e.decisionId)));
      await appendEvent(tx, { organisationId: actor.organisationId, stream: caseStream(e.caseId), type: input.decision === 'approve' ? 'decision.approved' : 'decision.rejected', actorId: actor.userId, at: now, data: { decisionId: e.decisionId, note: input.resolution } });
    }
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: caseStream(e.caseId), type: 'escalation.resolved', actorId: actor.userId, at: now,
      data: { escalationId: id, resolution: input.resolution, lessonId, rootCause: lesson.rootCause, processChange: lesson.processChange },
    });
  });
  return getEscalation(ctx, actor, id);
}

/** An hour before the acknowledgement deadline, the addressee is reminded once. */
const REMIND_BEFORE_MS = 60 * 60_000;

export async function remindUnacknowledged(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const due = await tx.select({ e: escalations, ref: cases.ref, subject: cases.subject }).from(escalations).innerJoin(cases, eq(cases.id, escalations.caseId))
      .where(and(eq(escalations.state, 'open'), isNull(escalations.remindedAt), lte(escalations.ackDueAt, new Date(now.getTime() + REMIND_BEFORE_MS))))
      .limit(200).for('update', { of: escalations, skipLocked: true });
    for (const { e, ref, subject } of due) {
      await tx.update(escalations).set({ remindedAt: now }).where(inOrg(escalations, e.organisationId, eq(escalations.id, e.id)));
      await notify(tx, {
        organisationId: e.organisationId, userIds: [e.toUserId], kind: 'escalation_reminder', escalationId: e.id, caseId: e.caseId,
        title: `Please acknowledge: ${ref}`, body: `The escalation of ${ref} "${subject}" needs your acknowledgement by ${e.ackDueAt!.toISOString().slice(0, 16).replace('T', ' ')} UTC, or it goes to the next person on the ladder.`,
      }, now, ctx.config.publicUrl);
    }
    return due.length;
  });
}

/** Unacknowledged escalations past their deadline climb to the next rung (claimed with SKIP LOCKED). */
export async function climbOverdueEscalations(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const overdue = await tx.select().from(escalations)
      .where(and(eq(escalations.state, 'open'), lte(escalations.ackDueAt, now)))
      .limit(200).for('update', { skipLocked: true });
    for (const e of overdue) {
      const [c] = await tx.select().from(cases).where(inOrg(cases, e.organisationId, eq(cases.id, e.caseId)));
      const ladder = await ladderFor(tx, e.organisationId, c.unitId);
      const next = ladder.map((p, i) => ({ ...p, rung: i + 1 })).find((p) => p.rung > e.rung && p.userId !== c.ownerId && p.userId !== e.toUserId);
      if (!next) {
        // Top of the ladder: it stays with the last person, who keeps being reminded by the digest.
        await tx.update(escalations).set({ ackDueAt: null }).where(inOrg(escalations, e.organisationId, eq(escalations.id, e.id)));
        continue;
      }
      const calendar = await calendarForUnit(tx, e.organisationId, c.unitId);
      const ackDueAt = calendar.addBusinessMinutes(now, ACK_WORKING_HOURS * 60);
      await tx.update(escalations).set({ toUserId: next.userId, rung: next.rung, ackDueAt, remindedAt: null }).where(inOrg(escalations, e.organisationId, eq(escalations.id, e.id)));
      await appendEvent(tx, {
        organisationId: e.organisationId, stream: caseStream(e.caseId), type: 'escalation.climbed', actorId: null, at: now,
        data: { escalationId: e.id, from: e.toUserId, to: next.userId, rung: next.rung, reason: 'not acknowledged in time' },
      });
      await notify(tx, {
        organisationId: e.organisationId, userIds: [next.userId], kind: 'escalation', escalationId: e.id, caseId: e.caseId,
        title: `Escalated to you (not acknowledged below): ${c.ref}`, body: `${c.ref} "${c.subject}": ${e.note}\nIt was not acknowledged in time and has come to you.`,
      }, now, ctx.config.publicUrl);
    }
    return overdue.length;
  });
}

/** What the clock sweep does with what it fired: warn the owner; escalate a breach to the first rung. */
export async function onClocksFired(tx: Db, ctx: AppContext, fired: FiredClock[], at: Date): Promise<void> {
  for (const organisationId of new Set(fired.map((f) => f.organisationId))) {
    const mine = fired.filter((f) => f.organisationId === organisationId && !f.informational);
    if (mine.length === 0) continue;
    const caseIds = [...new Set(mine.map((f) => f.caseId))].sort();
    // Locking the cases serialises two sweepers that breach two clocks of one case at once.
    const caseRows = new Map((await tx.select({ id: cases.id, ref: cases.ref, subject: cases.subject, ownerId: cases.ownerId, status: cases.status }).from(cases)
      .where(inOrg(cases, organisationId, inArray(cases.id, caseIds))).orderBy(cases.id).for('update')).map((c) => [c.id, c]));
    const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const notices: Notice[] = [];
    const breaches = new Map<string, FiredClock>();
    const warnings = new Map<string, FiredClock>();
    const { escalateOnWarning } = await getSettings(tx, organisationId);
    for (const f of mine) {
      const c = caseRows.get(f.caseId);
      if (!c) continue;
      const clockName = f.name.replace(/_/g, ' ');
      if (f.kind === 'warning') {
        notices.push({ organisationId, userIds: [c.ownerId], kind: 'clock_warning', caseId: f.caseId, title: `Deadline approaching: ${c.ref}`, body: `The ${clockName} deadline of ${c.ref} "${c.subject}" is ${when(f.dueAt)}.` });
        if (escalateOnWarning && (c.status === 'open' || c.status === 'waiting_customer') && !warnings.has(f.caseId)) warnings.set(f.caseId, f);
      } else if (c.status === 'open' || c.status === 'waiting_customer') {
        notices.push({ organisationId, userIds: [c.ownerId], kind: 'clock_breach', caseId: f.caseId, title: `Deadline missed: ${c.ref}`, body: `The ${clockName} deadline of ${c.ref} "${c.subject}" passed at ${when(f.dueAt)}. It has been escalated.` });
        if (!breaches.has(f.caseId)) breaches.set(f.caseId, f);
      }
    }
    await notifyMany(tx, notices, at, ctx.config.publicUrl);
    if (warnings.size > 0) {
      const escalatedEarlier = new Set((await tx.select({ caseId: escalations.caseId }).from(escalations)
        .where(inOrg(escalations, organisationId, inArray(escalations.caseId, [...warnings.keys()]), ne(escalations.state, 'resolved')))).map((e) => e.caseId));
      await raiseEscalations(tx, ctx, [...warnings.values()].filter((f) => !escalatedEarlier.has(f.caseId) && !breaches.has(f.caseId)).map((f) => ({
        organisationId, caseId: f.caseId, reason: 'warning' as const, createdBy: null, clockName: f.name,
        note: `The ${f.name.replace(/_/g, ' ')} deadline is close (${when(f.dueAt)}).`,
      })));
    }
    if (breaches.size === 0) continue;
    // One open breach escalation per case is enough: a later missed deadline joins it.
    const alreadyEscalated = new Set((await tx.select({ caseId: escalations.caseId }).from(escalations)
      .where(inOrg(escalations, organisationId, inArray(escalations.caseId, [...breaches.keys()]), eq(escalations.reason, 'breach'), ne(escalations.state, 'resolved'))))
      .map((e) => e.caseId));
    await raiseEscalations(tx, ctx, [...breaches.values()].filter((f) => !alreadyEscalated.has(f.caseId)).map((f) => ({
      organisationId, caseId: f.caseId, reason: 'breach' as const, createdBy: null, clockName: f.name,
      note: `The ${f.name.replace(/_/g, ' ')} deadline passed without the case being answered.`,
    })));
  }
}

/** Pending transfers that waited longer than a working day escalate once. */
export async function escalateWaitingTransfers(ctx: AppContext, waitHours = 8): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const waiting = await tx.select().from(caseTransfers)
      .where(and(eq(caseTransfers.state, 'pending'), isNull(caseTransfers.escalatedAt), lte(caseTransfers.createdAt, new Date(now.getTime() - 24 * 3_600_000))))
      .limit(200).for('update', { skipLocked: true });
    let count = 0;
    for (const t of waiting) {
      const [c] = await tx.select({ unitId: cases.unitId }).from(cases).where(inOrg(cases, t.organisationId, eq(cases.id, t.caseId)));
      const calendar = await calendarForUnit(tx, t.organisationId, c.unitId);
      if (calendar.businessMinutesBetween(t.createdAt, now) < waitHours * 60) continue;
      await tx.update(caseTransfers).set({ escalatedAt: now }).where(inOrg(caseTransfers, t.organisationId, eq(caseTransfers.id, t.id)));
      await raiseEscalation(tx, ctx, { organisationId: t.organisationId, caseId: t.caseId, reason: 'transfer_waiting', createdBy: null, note: `A transfer requested ${t.createdAt.toISOString().slice(0, 10)} has had no answer: "${t.reason}"` });
      count++;
    }
    return count;
  });
}

