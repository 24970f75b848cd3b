import { asc, desc, eq, gte, inArray, isNull, lt, lte } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { caseStream } from '../cases/case.service.js';
import type { AppContext } from '../context.js';
import { cases, historyEvents } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { listOrganisations } from '../org/organisation.service.js';
import { AppError, notFound } from '../server/errors.js';
import { anonymiseCase, deleteFiles, noneRemoved, type Removed } from './anonymise.js';

const BATCH = 50;

/** The day (UTC) a record past `retention_until` may go: retention ends at the end of that date. */
export const today = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The retention step of the maintenance job: every resolved or closed case whose retention date
 * has passed and which is not under legal hold is anonymised, one transaction per case, claimed
 * with SKIP LOCKED so several processes share the work. Cases still open are left alone (they
 * are still being handled, whatever their age). Returns how many cases were anonymised.
 */
export async function runRetention(ctx: AppContext): Promise<number> {
  let done = 0;
  for (const org of await listOrganisations(ctx.db)) {
    for (;;) {
      const now = ctx.clock.now();
      const batch = await ctx.db.transaction(async (tx) => {
        const due = await tx.select({ id: cases.id }).from(cases)
          .where(inOrg(cases, org.id, isNull(cases.anonymisedAt), lt(cases.retentionUntil, today(now)),
            eq(cases.legalHold, false), inArray(cases.status, ['resolved', 'closed'])))
          .orderBy(asc(cases.retentionUntil)).limit(BATCH).for('update', { skipLocked: true });
        const files: string[] = [];
        for (const c of due) files.push(...(await anonymiseCase(tx, org.id, c.id, 'retention', null, now)).files);
        return { count: due.length, files };
      });
      await deleteFiles(ctx, org.id, batch.files);
      done += batch.count;
      if (batch.count < BATCH) break;
    }
  }
  return done;
}

export interface RetentionReport {
  from: string | null;
  to: string | null;
  anonymised: { caseId: string; ref: string; at: string; reason: string; removed: Removed }[];
  totals: Removed & { cases: number };
  /** Past their retention date and not anonymised yet: under legal hold, still open, or waiting for the next run. */
  pending: { caseId: string; ref: string; retentionUntil: string; status: string; legalHold: boolean }[];
}

/** What retention and erasure removed (from the history, which records each), and what is pending. */
export async function retentionReport(ctx: AppContext, actor: Actor, range: { from?: Date; to?: Date }): Promise<RetentionReport> {
  requireRole(actor, 'admin', 'compliance');
  const events = await ctx.db.select({ stream: historyEvents.stream, at: historyEvents.at, data: historyEvents.data }).from(historyEvents)
    .where(inOrg(historyEvents, actor.organisationId, eq(historyEvents.type, 'case.anonymised'),
      range.from ? gte(historyEvents.at, range.from) : undefined, range.to ? lte(historyEvents.at, range.to) : undefined))
    .orderBy(desc(historyEvents.at));
  const anonymised = events.map((e) => {
    const data = e.data as { reason: string; ref: string; removed: Removed };
    return { caseId: e.stream.slice('case:'.length), ref: data.ref, at: e.at.toISOString(), reason: data.reason, removed: data.removed };
  });
  const totals: RetentionReport['totals'] = { cases: anonymised.length, ...noneRemoved() };
  for (const a of anonymised) {
    for (const k of Object.keys(totals) as (keyof Removed)[]) if (k in a.removed) totals[k] += a.removed[k];
  }
  const pending = await ctx.db.select({ caseId: cases.id, ref: cases.ref, retentionUntil: cases.retentionUntil, status: cases.status, legalHold: cases.legalHold })
    .from(cases)
    .where(inOrg(cases, actor.organisationId, isNull(cases.anonymisedAt), lt(cases.retentionUntil, today(ctx.clock.now()))))
    .orderBy(asc(cases.retentionUntil)).limit(1000);
  return { from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null, anonymised, totals, pending };
}

/** Legal hold keeps a case (and all about it) past its retention date until the hold is cleared. */
export async function setLegalHold(ctx: AppContext, actor: Actor, caseId: string, input: { hold: boolean; reason: string }) {
  requireRole(actor, 'admin', 'compliance');
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [c] = await tx.select({ legalHold: cases.legalHold, anonymisedAt: cases.anonymisedAt, retentionUntil: cases.retentionUntil })
      .from(cases).where(inOrg(cases, actor.organisationId, eq(cases.id, caseId))).for('update');
    if (!c) throw notFound('Case');
    if (c.anonymisedAt && input.hold) throw new AppError('conflict', 'The case was already anonymised; there is nothing left to hold');
    if (c.legalHold !== input.hold) {
      await tx.update(cases).set({ legalHold: input.hold, updatedAt: now }).where(inOrg(cases, actor.organisationId, eq(cases.id, caseId)));
      await appendEvent(tx, {
        organisationId: actor.organisationId, stream: caseStream(caseId), type: input.hold ? 'case.legal_hold_set' : 'case.legal_hold_cleared',
        actorId: actor.userId, at: now, data: { reason: input.reason },
      });
    }
    return { caseId, legalHold: input.hold, retentionUntil: c.retentionUntil };
  });
}
