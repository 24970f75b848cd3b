import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { caseClocks, cases, clockPolicies, organisations, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { appendEvent, appendEvents, type NewEvent } from '../history/history.service.js';
import { AppError } from '../server/errors.js';
import { BusinessCalendar, type CalendarSpec, defaultCalendar } from './calendar.js';
import { dueDate, extendAfterPause, nextFireAt, settle, sweepClock } from './clock-rules.js';
import { type ClockDefinition, type ClockTrigger, type PolicyDefinition, presetPolicies } from './policies.js';

export type ClockRow = typeof caseClocks.$inferSelect;

export async function findPolicy(db: Db, organisationId: string, key: string): Promise<PolicyDefinition | undefined> {
  const preset = presetPolicies.find((p) => p.key === key);
  if (preset) return preset;
  const [row] = await db.select().from(clockPolicies).where(inOrg(clockPolicies, organisationId, eq(clockPolicies.key, key)));
  return row ? { key: row.key, name: row.name, description: row.description, source: row.source, clocks: row.clocks as ClockDefinition[], builtin: false } : undefined;
}

export async function requirePolicy(db: Db, organisationId: string, key: string): Promise<PolicyDefinition> {
  const policy = await findPolicy(db, organisationId, key);
  if (!policy) throw new AppError('unprocessable', `Unknown clock policy "${key}"`, [{ path: 'policy', message: 'see GET /api/v1/policies' }]);
  return policy;
}

/** Working hours and closures are organisation-wide; timezone and holidays come from the unit. */
export async function calendarForUnit(db: Db, organisationId: string, unitId: string): Promise<BusinessCalendar> {
  const [row] = await db.select({ timezone: units.timezone, country: units.country, settings: organisations.settings })
    .from(units).innerJoin(organisations, eq(organisations.id, units.organisationId))
    .where(inOrg(units, organisationId, eq(units.id, unitId)));
  return unitCalendar(row ?? { timezone: 'Europe/London', country: null }, row?.settings);
}

/** A unit's calendar from its row and its organisation's raw settings (whose `calendar` holds working hours and closures). */
export function unitCalendar(unit: { timezone: string; country: string | null }, rawSettings: unknown): BusinessCalendar {
  const settings = (rawSettings ?? {}) as { calendar?: Partial<CalendarSpec> };
  return new BusinessCalendar({ ...defaultCalendar(unit.timezone, unit.country), ...settings.calendar, timezone: unit.timezone, country: unit.country });
}

/** Keeps the case's `next_due_at`, inbox order and `breached` flag in step with its clocks. */
export async function refreshCaseDeadline(tx: Db, organisationId: string, caseId: string): Promise<void> {
  await refreshCaseDeadlines(tx, organisationId, [caseId]);
}

export async function refreshCaseDeadlines(tx: Db, organisationId: string, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  await tx.execute(sql`
    UPDATE cases SET
      next_due_at = d.next_due,
      sort_due_at = coalesce(d.next_due, cases.received_at + interval '365250 days'),
      breached = d.breached
    FROM (
      SELECT case_id,
             min(due_at) FILTER (WHERE state IN ('running', 'warning', 'breached') AND met_at IS NULL AND NOT informational) AS next_due,
             coalesce(bool_or(state = 'breached' AND NOT informational), false) AS breached
      FROM case_clocks WHERE organisation_id = ${organisationId} AND case_id IN (${sql.join(caseIds.map((id) => sql`${id}`), sql`, `)})
      GROUP BY case_id
    ) d
    -- The id list again, so the planner reaches the cases by primary key rather than scanning them.
    WHERE cases.organisation_id = ${organisationId} AND cases.id = d.case_id AND cases.id IN (${sql.join(caseIds.map((id) => sql`${id}`), sql`, `)})`);
}

/**
 * The clocks a new case starts with under a policy, and its nearest deadline. Inserted by the
 * case service together with the case, so creating a case costs a handful of round trips.
 */
export function planClocks(policy: PolicyDefinition, calendar: BusinessCalendar, c: { organisationId: string; id: string; receivedAt: Date }) {
  const rows = policy.clocks.map((def) => {
    const dueAt = dueDate(def, calendar, c.receivedAt);
    return {
      id: randomUUID(), organisationId: c.organisationId, caseId: c.id, policyKey: policy.key, name: def.name, label: def.label,
      basis: def.basis, amount: def.amount, metBy: def.metBy, pausable: def.pausable, informational: def.informational ?? false,
      warnAt: def.warnAt, customerText: def.customerText, startedAt: c.receivedAt, dueAt, state: 'running' as const,
      nextFireAt: nextFireAt(c.receivedAt, dueAt, def.warnAt, 0),
    };
  });
  const promises = rows.filter((r) => !r.informational).map((r) => r.dueAt.getTime());
  return { rows, nextDueAt: promises.length > 0 ? new Date(Math.min(...promises)) : null };
}

export async function insertClocks(tx: Db, rows: ReturnType<typeof planClocks>['rows']): Promise<ClockRow[]> {
  return rows.length > 0 ? tx.insert(caseClocks).values(rows).returning() : [];
}

/** The case now runs another policy: its unmet clocks give way to the new policy's, counted from receipt. */
export async function restartClocks(tx: Db, c: { organisationId: string; id: string; unitId: string; receivedAt: Date }, policy: PolicyDefinition, at: Date): Promise<void> {
  const dropped = await tx.delete(caseClocks)
    .where(inOrg(caseClocks, c.organisationId, eq(caseClocks.caseId, c.id), isNull(caseClocks.metAt), inArray(caseClocks.state, ['running', 'warning', 'paused'])))
    .returning({ name: caseClocks.name, policyKey: caseClocks.policyKey });
  const calendar = await calendarForUnit(tx, c.organisationId, c.unitId);
  const plan = planClocks(policy, calendar, c);
  await insertClocks(tx, plan.rows);
  await tx.update(cases).set({ policyKey: policy.key }).where(inOrg(cases, c.organisationId, eq(cases.id, c.id)));
  await refreshCaseDeadline(tx, c.organisationId, c.id);
  await appendEvent(tx, {
    organisationId: c.organisationId, stream: `case:${c.id}`, type: 'clocks.restarted', actorId: null, at,
    data: { policy: policy.key, stopped: dropped.map((d) => `${d.policyKey}:${d.name}`), clocks: plan.rows.map((r) => ({ name: r.name, dueAt: r.dueAt.toISOString() })) },
  });
}

/** The first reply or the final response meets the clocks waiting for it (late ones stay breached). */
export async function meetClocks(tx: Db, organisationId: string, caseId: string, trigger: ClockTrigger, at: Date): Promise<void> {
  const triggers = trigger === 'resolution' ? ['resolution', 'first_response'] : ['first_response'];
  const open = await tx.select().from(caseClocks)
    .where(inOrg(caseClocks, organisationId, eq(caseClocks.caseId, caseId), inArray(caseClocks.metBy, triggers), isNull(caseClocks.metAt)))
    .for('update');
  if (open.length === 0) return;
  const settled: { name: string; state: string }[] = [];
  for (const c of open) {
    const state = c.state === 'breached' ? 'breached' : settle(c.dueAt, at);
    await tx.update(caseClocks).set({ state, metAt: at, nextFireAt: null, breachedAt: state === 'breached' ? (c.breachedAt ?? c.dueAt) : null })
      .where(inOrg(caseClocks, organisationId, eq(caseClocks.id, c.id)));
    settled.push({ name: c.name, state: state === 'met' ? 'met' : 'met late' });
  }
  await refreshCaseDeadline(tx, organisationId, caseId);
  await appendEvent(tx, { organisationId, stream: `case:${caseId}`, type: 'clocks.met', actorId: null, at, data: { trigger, clocks: settled } });
}

/** Waiting on the customer: pausable clocks stop; regulatory ones keep running. */
export async function pauseClocks(tx: Db, organisationId: string, caseId: string, at: Date): Promise<string[]> {
  const paused = await tx.update(caseClocks).set({ state: 'paused', pausedAt: at, nextFireAt: null })
    .where(inOrg(caseClocks, organisationId, eq(caseClocks.caseId, caseId), eq(caseClocks.pausable, true), inArray(caseClocks.state, ['running', 'warning'])))
    .returning({ name: caseClocks.name });
  if (paused.length > 0) await refreshCaseDeadline(tx, organisationId, caseId);
  return paused.map((p) => p.name);
}

export async function resumeClocks(tx: Db, organisationId: string, c: { id: string; unitId: string }, at: Date): Promise<{ name: string; dueAt: string }[]> {
  const paused = await tx.select().from(caseClocks)
    .where(inOrg(caseClocks, organisationId, eq(caseClocks.caseId, c.id), eq(caseClocks.state, 'paused'))).for('update');
  if (paused.length === 0) return [];
  const calendar = await calendarForUnit(tx, organisationId, c.unitId);
  const moved = [];
  for (const clock of paused) {
    const dueAt = extendAfterPause({ basis: clock.basis as ClockDefinition['basis'] }, calendar, clock.dueAt, clock.pausedAt!, at);
    const warnAt = clock.warnAt as number[];
    await tx.update(caseClocks).set({
      state: clock.warningsFired > 0 ? 'warning' : 'running', dueAt, pausedAt: null,
      nextFireAt: nextFireAt(clock.startedAt, dueAt, warnAt, clock.warningsFired),
    }).where(inOrg(caseClocks, organisationId, eq(caseClocks.id, clock.id)));
    moved.push({ name: clock.name, dueAt: dueAt.toISOString() });
  }
  await refreshCaseDeadline(tx, organisationId, c.id);
  return moved;
}

export interface ClockView {
  name: string;
  label: string;
  dueAt: string;
  state: ClockRow['state'];
  informational: boolean;
  metAt: string | null;
  breachedAt: string | null;
  pausedAt: string | null;
}

export function listClockRows(db: Db, organisationId: string, caseId: string): Promise<ClockRow[]> {
  return db.select().from(caseClocks)
    .where(inOrg(caseClocks, organisationId, eq(caseClocks.caseId, caseId))).orderBy(asc(caseClocks.dueAt));
}

export function toClockView(r: ClockRow): ClockView {
  return {
    name: r.name, label: r.label, dueAt: r.dueAt.toISOString(), state: r.state, informational: r.informational,
    metAt: r.metAt?.toISOString() ?? null, breachedAt: r.breachedAt?.toISOString() ?? null, pausedAt: r.pausedAt?.toISOString() ?? null,
  };
}

export async function listClocks(db: Db, organisationId: string, caseId: string): Promise<ClockView[]> {
  return (await listClockRows(db, organisationId, caseId)).map(toClockView);
}

export interface FiredClock {
  organisationId: string;
  caseId: string;
  clockId: string;
  name: string;
  kind: 'warning' | 'breach';
  informational: boolean;
  dueAt: Date;
}

/**
 * Fires every warning and breach that is due, exactly once: each batch claims its clocks with
 * FOR UPDATE SKIP LOCKED, so several processes share the work without firing anything twice,
 * and a sweep after downtime catches up on everything missed. Reads only clocks with a pending
 * moment (a partial index on next_fire_at), so its cost follows the due clocks, not the open
 * cases; a batch is handled in a fixed number of set-based statements.
 */
export async function sweepClocks(ctx: AppContext, onFired: (tx: Db, fired: FiredClock[], at: Date) => Promise<void>, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.clock.now();
    const count = await ctx.db.transaction(async (tx) => {
      const due = await tx.select().from(caseClocks)
        .where(and(lte(caseClocks.nextFireAt, now), sql`${caseClocks.nextFireAt} IS NOT NULL`))
        .orderBy(asc(caseClocks.nextFireAt)).limit(batch).for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      const fired: FiredClock[] = [];
      const updates: { id: string; state: string; wf: number; nf: string | null; ba: string | null }[] = [];
      const events: NewEvent[] = [];
      for (const c of due) {
        const warnAt = c.warnAt as number[];
        const outcome = sweepClock({ startedAt: c.startedAt, dueAt: c.dueAt, warnAt, warningsFired: c.warningsFired }, now);
        if (outcome.kind === 'breach') {
          updates.push({ id: c.id, state: 'breached', wf: c.warningsFired, nf: null, ba: c.dueAt.toISOString() });
        } else {
          updates.push({
            id: c.id, state: outcome.kind === 'warning' ? 'warning' : c.state, wf: outcome.warningsFired,
            nf: nextFireAt(c.startedAt, c.dueAt, warnAt, outcome.warningsFired).toISOString(), ba: null,
          });
        }
        if (outcome.kind === 'none') continue;
        fired.push({ organisationId: c.organisationId, caseId: c.caseId, clockId: c.id, name: c.name, kind: outcome.kind, informational: c.informational, dueAt: c.dueAt });
        events.push({
          organisationId: c.organisationId, stream: `case:${c.caseId}`,
          // Passing an informational window (e.g. the summary-resolution window) is not a broken promise.
          type: outcome.kind === 'warning' ? 'clock.warning' : c.informational ? 'clock.window_closed' : 'clock.breached',
          actorId: null, at: now, data: { clock: c.name, dueAt: c.dueAt.toISOString(), ...(outcome.kind === 'warning' ? { warning: outcome.warningsFired } : {}) },
        });
      }
      await tx.execute(sql`
        UPDATE case_clocks c SET state = v.state, warnings_fired = v.wf, next_fire_at = v.nf, breached_at = coalesce(v.ba, c.breached_at)
        FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS v(id uuid, state text, wf int, nf timestamptz, ba timestamptz)
        WHERE c.id = v.id`);
      await appendEvents(tx, events);
      const breachedByOrg = new Map<string, string[]>();
      for (const f of fired.filter((x) => x.kind === 'breach')) breachedByOrg.set(f.organisationId, [...(breachedByOrg.get(f.organisationId) ?? []), f.caseId]);
      for (const [organisationId, caseIds] of breachedByOrg) await refreshCaseDeadlines(tx, organisationId, [...new Set(caseIds)]);
      if (fired.length > 0) await onFired(tx, fired, now);
      return due.length;
    });
    total += count;
    if (count < batch) return total;
  }
}
