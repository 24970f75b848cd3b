import { desc, eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole, seesWholeOrganisation } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { cases, lessons, lessonStatuses, units, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { notFound } from '../server/errors.js';
import { unitScopeCondition } from '../org/unit.service.js';
import { requireActiveUser } from '../cases/case.service.js';

type Status = (typeof lessonStatuses)[number];

function toView(r: { l: typeof lessons.$inferSelect; ref: string; unitName: string; ownerName: string }) {
  const l = r.l;
  return {
    id: l.id, escalationId: l.escalationId, caseId: l.caseId, caseRef: r.ref, unitId: l.unitId, unitName: r.unitName,
    rootCause: l.rootCause, failureType: l.failureType, processChange: l.processChange, practiceId: l.practiceId,
    ownerId: l.ownerId, ownerName: r.ownerName, status: l.status, createdAt: l.createdAt.toISOString(), updatedAt: l.updatedAt.toISOString(),
  };
}

function selectLessons(db: AppContext['db']) {
  return db.select({ l: lessons, ref: cases.ref, unitName: units.name, ownerName: users.name }).from(lessons)
    .innerJoin(cases, eq(cases.id, lessons.caseId)).innerJoin(units, eq(units.id, lessons.unitId)).innerJoin(users, eq(users.id, lessons.ownerId));
}

/** The improvement backlog: every lesson from escalated exceptions. */
export async function listLessons(ctx: AppContext, actor: Actor, filter: { status?: Status; practiceId?: string; limit: number }) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  const rows = await selectLessons(ctx.db)
    .where(inOrg(lessons, actor.organisationId, seesWholeOrganisation(actor) ? undefined : unitScopeCondition(actor, lessons.unitId),
      filter.status ? eq(lessons.status, filter.status) : undefined,
      filter.practiceId ? eq(lessons.practiceId, filter.practiceId) : undefined))
    .orderBy(desc(lessons.createdAt)).limit(filter.limit);
  return rows.map(toView);
}

export async function updateLesson(ctx: AppContext, actor: Actor, id: string, patch: { status?: Status; ownerId?: string; processChange?: string; practiceId?: string | null }) {
  requireRole(actor, 'admin', 'compliance', 'lead');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    // A lead works the lessons of their own subtree only, as they see them in the backlog.
    const [l] = await tx.select().from(lessons).where(inOrg(lessons, actor.organisationId, eq(lessons.id, id),
      seesWholeOrganisation(actor) ? undefined : unitScopeCondition(actor, lessons.unitId)));
    if (!l) throw notFound('Lesson');
    if (patch.ownerId) await requireActiveUser(tx, actor.organisationId, patch.ownerId);
    await tx.update(lessons).set({ ...patch, updatedAt: now }).where(inOrg(lessons, actor.organisationId, eq(lessons.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `case:${l.caseId}`, type: 'lesson.updated', actorId: actor.userId, at: now, data: { lessonId: id, ...patch } });
  });
  const [row] = await selectLessons(ctx.db).where(inOrg(lessons, actor.organisationId, eq(lessons.id, id)));
  return toView(row);
}
