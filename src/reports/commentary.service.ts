import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { reportCommentaries, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { periodQuery, resolveScope, type ReportScope } from './report-scope.js';

const field = z.string().trim().max(4000);
export const commentaryBody = z.object({ headline: field, risks: field, actions: field }).strict();
export const commentaryView = z.object({
  headline: z.string(), risks: z.string(), actions: z.string(), updatedAt: z.string(), updatedBy: z.object({ id: z.string(), name: z.string() }),
});
export const commentaryQuery = periodQuery.extend({ from: z.string().date(), to: z.string().date() });

/** Commentary is written by those who sign the report off; leads read it. */
const writers = ['executive', 'compliance', 'admin'] as const;

export async function findCommentary(db: Db, scope: ReportScope) {
  const [row] = await db.select({ c: reportCommentaries, name: users.name }).from(reportCommentaries)
    .innerJoin(users, eq(users.id, reportCommentaries.updatedBy))
    .where(inOrg(reportCommentaries, scope.organisationId, eq(reportCommentaries.periodFrom, scope.from), eq(reportCommentaries.periodTo, scope.to), eq(reportCommentaries.unitKey, scope.unitId ?? '')));
  if (!row) return null;
  return { headline: row.c.headline, risks: row.c.risks, actions: row.c.actions, updatedAt: row.c.updatedAt.toISOString(), updatedBy: { id: row.c.updatedBy, name: row.name } };
}

/** Saves the commentary of one period and unit (one per pair), with its history event. */
export async function saveCommentary(ctx: AppContext, actor: Actor, query: z.infer<typeof commentaryQuery>, body: z.infer<typeof commentaryBody>) {
  requireRole(actor, ...writers);
  const scope = await resolveScope(ctx, actor, query);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const key = and(eq(reportCommentaries.periodFrom, scope.from), eq(reportCommentaries.periodTo, scope.to), eq(reportCommentaries.unitKey, scope.unitId ?? ''));
    const [existing] = await tx.select().from(reportCommentaries).where(inOrg(reportCommentaries, actor.organisationId, key)).for('update');
    const id = existing?.id ?? randomUUID();
    if (existing) {
      await tx.update(reportCommentaries).set({ ...body, updatedBy: actor.userId, updatedAt: now }).where(inOrg(reportCommentaries, actor.organisationId, eq(reportCommentaries.id, id)));
    } else {
      await tx.insert(reportCommentaries).values({
        id, organisationId: actor.organisationId, periodFrom: scope.from, periodTo: scope.to, unitKey: scope.unitId ?? '', ...body, updatedBy: actor.userId, updatedAt: now,
      }).onConflictDoUpdate({
        target: [reportCommentaries.organisationId, reportCommentaries.periodFrom, reportCommentaries.periodTo, reportCommentaries.unitKey],
        set: { ...body, updatedBy: actor.userId, updatedAt: now },
      });
    }
    await appendEvent(tx, {
      organisationId: actor.organisationId, stream: `report:${scope.from}:${scope.to}:${scope.unitId ?? 'company'}`, type: 'report.commentary_saved',
      actorId: actor.userId, at: now, data: { from: scope.from, to: scope.to, unitId: scope.unitId, before: existing ? { headline: existing.headline, risks: existing.risks, actions: existing.actions } : null, after: body },
    });
  });
  return (await findCommentary(ctx.db, scope))!;
}
