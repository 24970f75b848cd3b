import { randomUUID } from 'node:crypto';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import { actorForUser } from '../auth/auth.service.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { organisations, reportFrequencies, reportSubscriptions, users } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent } from '../history/history.service.js';
import { enqueueMail } from '../notify/outbox.service.js';
import { getUnitRow } from '../org/unit.service.js';
import { AppError, forbidden, notFound } from '../server/errors.js';
import { executiveReport } from './executive-report.service.js';
import { formatFigure, renderExecutiveReportPdf } from './executive-report.pdf.js';
import { reportRoles } from './report-scope.js';

export const subscriptionBody = z.object({
  frequency: z.enum(reportFrequencies),
  /** Someone else (admins only); oneself when left out. */
  userId: z.string().uuid().optional(),
  unitId: z.string().uuid().nullish(),
}).strict();

export const subscriptionView = z.object({
  id: z.string(), userId: z.string(), userName: z.string(), email: z.string(), frequency: z.enum(reportFrequencies),
  unitId: z.string().nullable(), createdAt: z.string(), lastPeriod: z.string().nullable(),
});

const view = (s: typeof reportSubscriptions.$inferSelect, u: { name: string; email: string }) => ({
  id: s.id, userId: s.userId, userName: u.name, email: u.email, frequency: s.frequency, unitId: s.unitId,
  createdAt: s.createdAt.toISOString(), lastPeriod: s.lastPeriod,
});

export async function subscribe(ctx: AppContext, actor: Actor, input: z.infer<typeof subscriptionBody>) {
  requireRole(actor, ...reportRoles);
  const userId = input.userId ?? actor.userId;
  if (userId !== actor.userId && actor.role !== 'admin') throw forbidden('Only an admin subscribes someone else');
  const subscriber = await actorForUser(ctx, actor.organisationId, userId);
  if (!(reportRoles as readonly string[]).includes(subscriber.role)) {
    throw new AppError('unprocessable', 'The executive report goes to admins, executives, compliance officers and leads', [{ path: 'userId', message: `role ${subscriber.role} does not receive reports` }]);
  }
  // The subscriber must be allowed to see the unit: the e-mail carries what they could open themselves.
  if (input.unitId) await getUnitRow(ctx.db, subscriber, input.unitId);
  const now = ctx.clock.now();
  const id = randomUUID();
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(reportSubscriptions).values({
        id, organisationId: actor.organisationId, userId, frequency: input.frequency, unitId: input.unitId ?? null, createdBy: actor.userId, createdAt: now,
        // The first report is for the first period that ends after subscribing.
        lastPeriod: periodFor(input.frequency, now).key,
      });
      await appendEvent(tx, { organisationId: actor.organisationId, stream: `user:${userId}`, type: 'report.subscribed', actorId: actor.userId, at: now, data: { subscriptionId: id, frequency: input.frequency, unitId: input.unitId ?? null } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `Already subscribed ${input.frequency}`);
    throw err;
  }
  return (await listSubscriptions(ctx, actor)).find((s) => s.id === id)!;
}

export async function listSubscriptions(ctx: AppContext, actor: Actor) {
  requireRole(actor, ...reportRoles);
  const rows = await ctx.db.select({ s: reportSubscriptions, name: users.name, email: users.email }).from(reportSubscriptions)
    .innerJoin(users, eq(users.id, reportSubscriptions.userId))
    .where(inOrg(reportSubscriptions, actor.organisationId, actor.role === 'admin' ? undefined : eq(reportSubscriptions.userId, actor.userId)))
    .orderBy(reportSubscriptions.createdAt);
  return rows.map((r) => view(r.s, r));
}

export async function unsubscribe(ctx: AppContext, actor: Actor, id: string) {
  requireRole(actor, ...reportRoles);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(reportSubscriptions).where(inOrg(reportSubscriptions, actor.organisationId, eq(reportSubscriptions.id, id)));
    if (!row || (row.userId !== actor.userId && actor.role !== 'admin')) throw notFound('Subscription');
    await tx.delete(reportSubscriptions).where(inOrg(reportSubscriptions, actor.organisationId, eq(reportSubscriptions.id, id)));
    await appendEvent(tx, { organisationId: actor.organisationId, stream: `user:${row.userId}`, type: 'report.unsubscribed', actorId: actor.userId, at: now, data: { subscriptionId: id } });
  });
}

/** The last complete period before `at`: the previous Monday–Sunday week, or the previous calendar month (UTC). */
export function periodFor(frequency: (typeof reportFrequencies)[number], at: Date) {
  const now = DateTime.fromJSDate(at, { zone: 'utc' });
  if (frequency === 'weekly') {
    const start = now.startOf('week').minus({ weeks: 1 });
    return { key: `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`, from: start.toISODate()!, to: start.plus({ days: 6 }).toISODate()! };
  }
  const start = now.startOf('month').minus({ months: 1 });
  return { key: start.toFormat('yyyy-MM'), from: start.toISODate()!, to: start.endOf('month').toISODate()! };
}

/**
 * Sends each subscriber the report of the period that has just ended, PDF attached, through the
 * outbox. The period is claimed by a compare-and-set on `last_period` in the same transaction as
 * the queued mail, so with several processes each report goes out once.
 */
export async function sendScheduledReports(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  let sent = 0;
  const failures: unknown[] = [];
  for (const frequency of reportFrequencies) {
    const period = periodFor(frequency, now);
    const due = await ctx.db.select({ s: reportSubscriptions, email: users.email, active: users.active, orgName: organisations.name })
      .from(reportSubscriptions).innerJoin(users, eq(users.id, reportSubscriptions.userId))
      .innerJoin(organisations, eq(organisations.id, reportSubscriptions.organisationId))
      .where(and(eq(reportSubscriptions.frequency, frequency), or(isNull(reportSubscriptions.lastPeriod), ne(reportSubscriptions.lastPeriod, period.key))));
    for (const { s, email, active, orgName } of due) {
      if (!active) continue;
      // One subscriber who may no longer read the report (role or unit changed) must not hold up the others.
      try {
        if (await sendOne(ctx, now, s, email, orgName, frequency, period)) sent++;
      } catch (err) {
        failures.push(err);
      }
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} scheduled report(s) could not be sent`);
  return sent;
}

/** Renders one subscriber's report and queues it, if this process wins the period. */
async function sendOne(
  ctx: AppContext, now: Date, s: typeof reportSubscriptions.$inferSelect, email: string, orgName: string,
  frequency: (typeof reportFrequencies)[number], period: ReturnType<typeof periodFor>,
): Promise<boolean> {
  const subscriber = await actorForUser(ctx, s.organisationId, s.userId);
  const report = await executiveReport(ctx, subscriber, { from: period.from, to: period.to, unitId: s.unitId ?? undefined });
  const pdf = await renderExecutiveReportPdf(report, orgName);
  const claimed = await ctx.db.transaction(async (tx) => {
    const [won] = await tx.update(reportSubscriptions).set({ lastPeriod: period.key })
      .where(inOrg(reportSubscriptions, s.organisationId, eq(reportSubscriptions.id, s.id), or(isNull(reportSubscriptions.lastPeriod), ne(reportSubscriptions.lastPeriod, period.key))))
      .returning({ id: reportSubscriptions.id });
    if (!won) return false;
    const headline = report.indicators.filter((i) => ['received', 'clockCompliance', 'upheldRate', 'nps'].includes(i.key))
      .map((i) => `${i.label}: ${formatFigure(i.value, i.format)}`).join('\n');
    await enqueueMail(tx, {
      organisationId: s.organisationId, to: email,
      subject: `Executive trust report ${period.from} to ${period.to}${report.unit ? ` (${report.unit.name})` : ''}`,
      body: `Your ${frequency} executive trust report for ${period.from} to ${period.to} is attached.\n\n${headline}\n\nUnsubscribe from the report page in TrustDesk.`,
      attachments: [{ filename: `executive-report-${period.key}.pdf`, contentType: 'application/pdf', contentBase64: pdf.toString('base64') }],
    }, now);
    return true;
  });
  return claimed;
}
