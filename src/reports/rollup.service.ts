import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { calendarForUnit } from '../clocks/clock.service.js';
import type { BusinessCalendar } from '../clocks/calendar.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import {
  caseClocks, cases, HISTOGRAM_DAYS, historyEvents, reportCaseFacts, reportDaily, reportWatermarks,
} from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { listOrganisations } from '../org/organisation.service.js';
import { extractKeyPhrases } from './key-phrases.js';
import { bucketOf, turnaround } from './turnaround.js';

/**
 * Events younger than this are left for the next run: a transaction that took its event id
 * earlier may commit later, and the watermark must never pass an event it has not seen.
 */
export const SETTLE_MS = 30_000;
/** Events read per transaction: cheap to pass over when their cases' facts already reflect them. */
const EVENT_PAGE = 2000;
/**
 * Cases whose facts are computed per transaction. Small on purpose: a batch holds its transaction
 * while it computes facts (business days; key phrases are worked out before it), and the embedded
 * database has one connection, so a large batch after an import would stall requests behind it.
 */
const CASES_PER_BATCH = 100;
const BATCH_PAUSE_MS = 25;

export type FactRow = typeof reportCaseFacts.$inferInsert;
type DailyRow = typeof reportDaily.$inferInsert;

/** The breakdowns kept per day and unit besides the unit as a whole. */
export const dimensions = ['product', 'category', 'channel', 'vulnerable'] as const;
export type Dimension = (typeof dimensions)[number];
export const NONE = '(none)';

/**
 * Brings the report rollups up to date for every organisation: reads the case events after the
 * watermark, refreshes those cases' facts and recomputes the days they touch. Runs in the
 * frequent maintenance step; the watermark row is claimed FOR UPDATE SKIP LOCKED, so on several
 * processes one does the work and the others move on.
 */
export async function refreshReportRollups(ctx: AppContext, options: { settleMs?: number; budgetMs?: number } = {}): Promise<number> {
  let refreshed = 0;
  const started = performance.now();
  for (const org of await listOrganisations(ctx.db)) {
    await upgradeLayout(ctx, org.id);
    for (;;) {
      const n = await refreshBatch(ctx, org.id, options.settleMs ?? SETTLE_MS);
      refreshed += Math.max(n, 0);
      if (n < 0) break;
      // A large backlog (an import, a bulk load) is worked off over several runs, a batch at least
      // each: the steps after this one (the clock sweep, the outbox) must not wait for it.
      if (options.budgetMs !== undefined && performance.now() - started > options.budgetMs) return refreshed;
      // Let waiting requests reach the database between batches, each with the few statements it
      // makes one after another: on the embedded database's one connection, a request whose next
      // statement queued behind the next batch would wait a batch per statement.
      await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
    }
  }
  return refreshed;
}

/**
 * The layout of the rollup rows. Raise it when the rows gain something that cannot be derived
 * from the rows already there: the job then rebuilds every day of each organisation once (2:
 * weekly rows carry every count and breakdown, not only the turnaround histograms).
 */
export const ROLLUP_VERSION = 2;

/** Rebuilds an organisation's rollup written by an older layout, under the watermark row's lock. */
async function upgradeLayout(ctx: AppContext, organisationId: string) {
  await ctx.db.transaction(async (tx) => {
    const mark = await claimWatermark(tx, organisationId, ctx.clock.now(), { skipLocked: true });
    if (!mark || mark.rollupVersion >= ROLLUP_VERSION) return;
    await rebuildAllDays(tx, organisationId);
    await tx.update(reportWatermarks).set({ rollupVersion: ROLLUP_VERSION, updatedAt: ctx.clock.now() }).where(eq(reportWatermarks.organisationId, organisationId));
  });
}

/** One batch; returns the cases refreshed, or −1 when there is nothing (more) to do now. */
async function refreshBatch(ctx: AppContext, organisationId: string, settleMs: number): Promise<number> {
  const cutoff = ctx.clock.now().getTime() - settleMs;
  const phrases = await phrasesAhead(ctx.db, organisationId, new Date(cutoff));
  return ctx.db.transaction(async (tx) => {
    const mark = await claimWatermark(tx, organisationId, ctx.clock.now(), { skipLocked: true });
    if (!mark) return -1;
    const { lastSettled, unreflected } = await unreflectedEvents(tx, organisationId, mark.lastEventId, new Date(cutoff));
    if (lastSettled === null) return -1;
    // In event order; the batch ends before the event that would bring one case too many.
    const stale = new Map<string, number>();
    let lastEventId = lastSettled;
    for (const e of unreflected) {
      if (!stale.has(e.caseId) && stale.size === CASES_PER_BATCH) {
        lastEventId = e.id - 1;
        break;
      }
      stale.set(e.caseId, Math.max(stale.get(e.caseId) ?? 0, e.seq));
    }
    if (stale.size > 0) await refreshFacts(tx, organisationId, stale, phrases);
    await tx.update(reportWatermarks).set({ lastEventId, updatedAt: ctx.clock.now() }).where(eq(reportWatermarks.organisationId, organisationId));
    return stale.size;
  });
}

/**
 * The organisation's watermark row, locked for this transaction (made when missing). With
 * `skipLocked`, null when another process holds it: that one does the work.
 */
async function claimWatermark(tx: Db, organisationId: string, now: Date, options: { skipLocked: boolean }) {
  await tx.insert(reportWatermarks).values({ organisationId, lastEventId: 0, rollupVersion: ROLLUP_VERSION, updatedAt: now }).onConflictDoNothing();
  const [mark] = await tx.select().from(reportWatermarks).where(eq(reportWatermarks.organisationId, organisationId)).for('update', options.skipLocked ? { skipLocked: true } : undefined);
  return mark ?? null;
}

/**
 * Keeps the rollup job away from an organisation until the caller's transaction ends (a bulk load
 * that writes facts and rollup rows itself). Take it before writing anything the job reads.
 */
export async function holdReportRollups(tx: Db, organisationId: string, now: Date): Promise<void> {
  await claimWatermark(tx, organisationId, now, { skipLocked: false });
}

/**
 * The next page of events after the watermark, up to the first one younger than the cutoff: the
 * last id of the page, and those of its case events that the case's facts do not reflect yet.
 * Worked out in the database, so passing over a bulk load's million events costs the job no more
 * than the ids.
 */
async function unreflectedEvents(tx: Db, organisationId: string, after: number, cutoff: Date) {
  const result = await tx.execute(sql`
    WITH page AS (
      SELECT id, stream, seq, at FROM ${historyEvents} WHERE organisation_id = ${organisationId} AND id > ${after} ORDER BY id LIMIT ${EVENT_PAGE}
    ), settled AS (
      SELECT id, stream, seq FROM page WHERE id < coalesce((SELECT min(id) FROM page WHERE at > ${cutoff.toISOString()}::timestamptz), 9223372036854775807)
    )
    SELECT NULL AS id, NULL AS case_id, NULL AS seq, (SELECT max(id) FROM settled) AS last_settled
    UNION ALL
    SELECT s.id, substring(s.stream FROM 6), s.seq, NULL FROM settled s
    LEFT JOIN ${reportCaseFacts} f ON f.organisation_id = ${organisationId}
      AND f.case_id = CASE WHEN s.stream LIKE 'case:%' THEN substring(s.stream FROM 6)::uuid END
    WHERE s.stream LIKE 'case:%' AND (f.stream_seq IS NULL OR f.stream_seq < s.seq)
    ORDER BY id NULLS FIRST`);
  const [head, ...rows] = rowsOf<{ id: string | null; case_id: string; seq: number; last_settled: string | null }>(result);
  return {
    lastSettled: head.last_settled === null ? null : Number(head.last_settled),
    unreflected: rows.map((r) => ({ id: Number(r.id), caseId: r.case_id, seq: Number(r.seq) })),
  };
}

/**
 * The key phrases of the next batch's cases by their text, worked out before its transaction: the
 * analysis is a batch's largest cost, and requests on the embedded database's one connection would
 * otherwise wait through it. Read without the watermark's lock, so only a help: the batch analyses
 * itself any text not found here (another process took the batch, or the text changed meanwhile).
 */
async function phrasesAhead(db: Db, organisationId: string, cutoff: Date): Promise<Map<string, string[]>> {
  const [mark] = await db.select({ lastEventId: reportWatermarks.lastEventId }).from(reportWatermarks).where(eq(reportWatermarks.organisationId, organisationId));
  const { unreflected } = await unreflectedEvents(db, organisationId, mark?.lastEventId ?? 0, cutoff);
  const caseIds = [...new Set(unreflected.map((e) => e.caseId))].slice(0, CASES_PER_BATCH);
  if (caseIds.length === 0) return new Map();
  const texts = await db.select({ subject: cases.subject, description: cases.description }).from(cases)
    .where(inOrg(cases, organisationId, inArray(cases.id, caseIds)));
  return new Map(texts.map((t) => [textKey(t), casePhrases(t.subject, t.description)]));
}

const textKey = (c: { subject: string; description: string }) => `${c.subject}\u0000${c.description}`;

/**
 * Recomputes the facts of these cases (id → the last event of its stream they will reflect) and
 * their days; key phrases from `phrases` (by text), so an edited subject or description counts.
 */
async function refreshFacts(tx: Db, organisationId: string, seqs: Map<string, number>, phrases: Map<string, string[]>) {
  const caseIds = [...seqs.keys()];
  const old = await tx.select({ receivedDay: reportCaseFacts.receivedDay, resolvedDay: reportCaseFacts.resolvedDay })
    .from(reportCaseFacts).where(inOrg(reportCaseFacts, organisationId, inArray(reportCaseFacts.caseId, caseIds)));
  // The columns the facts need (not the full-text vector, the largest value of a case row).
  const rows = await tx.select(factColumns).from(cases).where(inOrg(cases, organisationId, inArray(cases.id, caseIds)));
  const clockRows = await tx.select({ caseId: caseClocks.caseId, name: caseClocks.name, state: caseClocks.state, informational: caseClocks.informational })
    .from(caseClocks).where(inOrg(caseClocks, organisationId, inArray(caseClocks.caseId, caseIds)));
  const calendars = new Map<string, BusinessCalendar>();
  const facts: FactRow[] = [];
  for (const c of rows) {
    let calendar = calendars.get(c.unitId);
    if (!calendar) calendars.set(c.unitId, calendar = await calendarForUnit(tx, organisationId, c.unitId));
    const mine = clockRows.filter((k) => k.caseId === c.id && !k.informational);
    facts.push({ ...factOf(c, calendar, mine, phrases.get(textKey(c)) ?? casePhrases(c.subject, c.description)), streamSeq: seqs.get(c.id) });
  }
  const days = new Set<string>();
  for (const o of old) { days.add(o.receivedDay); if (o.resolvedDay) days.add(o.resolvedDay); }
  for (const f of facts) { days.add(f.receivedDay); if (f.resolvedDay) days.add(f.resolvedDay); }
  await tx.delete(reportCaseFacts).where(inOrg(reportCaseFacts, organisationId, inArray(reportCaseFacts.caseId, caseIds)));
  for (let i = 0; i < facts.length; i += 500) await tx.insert(reportCaseFacts).values(facts.slice(i, i + 500));
  await rebuildDays(tx, organisationId, [...days]);
}

/** A case's key phrases, for its themes. Themes are an aid: a text the language model cannot read must not stop the rollup. */
export function casePhrases(subject: string, description: string): string[] {
  try {
    return extractKeyPhrases(`${subject}. ${description}`);
  } catch {
    return [];
  }
}

const factColumns = {
  id: cases.id, organisationId: cases.organisationId, unitId: cases.unitId, kind: cases.kind, product: cases.product, category: cases.category,
  channel: cases.channel, vulnerable: cases.vulnerable, status: cases.status, receivedAt: cases.receivedAt, resolvedAt: cases.resolvedAt,
  outcome: cases.outcome, redressAmount: cases.redressAmount, redressKind: cases.redressKind, reopenCount: cases.reopenCount,
  subject: cases.subject, description: cases.description,
};

/** The report's view of one case. Days are the unit's local dates. */
export function factOf(
  c: Omit<{ [K in keyof typeof factColumns]: (typeof cases.$inferSelect)[K] }, 'subject' | 'description'>, calendar: BusinessCalendar,
  clocks: { name: string; state: string }[], phrases: string[],
): FactRow {
  const resolved = (c.status === 'resolved' || c.status === 'closed') && c.resolvedAt ? c.resolvedAt : null;
  const t = resolved ? turnaround(calendar, c.receivedAt, resolved) : null;
  return {
    organisationId: c.organisationId, caseId: c.id, unitId: c.unitId, kind: c.kind, product: c.product, category: c.category,
    channel: c.channel, vulnerable: c.vulnerable, receivedAt: c.receivedAt, receivedDay: calendar.localDate(c.receivedAt),
    resolvedAt: resolved, resolvedDay: resolved ? calendar.localDate(resolved) : null, outcome: resolved ? c.outcome : null,
    calendarDays: t?.calendarDays ?? null, businessDays: t?.businessDays ?? null, within8Weeks: t?.within8Weeks ?? null,
    redressAmount: resolved ? c.redressAmount : null, redressKind: resolved ? c.redressKind : null, reopenCount: c.reopenCount,
    clocks: clocks.map((k) => k.name), breachedClocks: clocks.filter((k) => k.state === 'breached').map((k) => k.name), phrases,
  };
}

const emptyRow = (organisationId: string, day: string, unitId: string, dimension: string, value: string): DailyRow => ({
  organisationId, day, unitId, dimension, value, received: 0, resolved: 0, resolvedWithin3BusinessDays: 0, resolvedWithin8Weeks: 0,
  upheld: 0, reopened: 0, openNow: 0, redressCompensation: 0, redressRefund: 0, redressGoodwill: 0, redressInterest: 0,
  clockCounts: [], breachCounts: [],
  calendarHistogram: dimension === 'all' || dimension === 'week' ? new Array(HISTOGRAM_DAYS).fill(0) : null,
  businessHistogram: dimension === 'all' || dimension === 'week' ? new Array(HISTOGRAM_DAYS).fill(0) : null,
});

export const isUpheld = (outcome: string | null | undefined) => outcome === 'upheld' || outcome === 'partially_upheld';

const redressColumn = {
  compensation: 'redressCompensation', refund: 'redressRefund', goodwill: 'redressGoodwill', interest: 'redressInterest',
} as const;

function dimensionValues(f: Pick<FactRow, 'product' | 'category' | 'channel' | 'vulnerable'>): [string, string][] {
  return [['all', ''], ['product', f.product ?? NONE], ['category', f.category ?? NONE], ['channel', f.channel], ['vulnerable', f.vulnerable ? 'yes' : 'no']];
}

const bump = (pairs: Map<string, number>, name: string) => pairs.set(name, (pairs.get(name) ?? 0) + 1);

/**
 * Recomputes the rollup rows of whole days from the facts (complaints only): a day touched by a
 * change is rebuilt, so counts never drift whatever the order of changes.
 */
export async function rebuildDays(tx: Db, organisationId: string, days: string[]) {
  if (days.length === 0) return;
  const received = await tx.select({
    day: reportCaseFacts.receivedDay, unitId: reportCaseFacts.unitId, product: reportCaseFacts.product, category: reportCaseFacts.category,
    channel: reportCaseFacts.channel, vulnerable: reportCaseFacts.vulnerable, clocks: reportCaseFacts.clocks, breachedClocks: reportCaseFacts.breachedClocks,
    resolvedDay: reportCaseFacts.resolvedDay,
  }).from(reportCaseFacts).where(inOrg(reportCaseFacts, organisationId, eq(reportCaseFacts.kind, 'complaint'), inArray(reportCaseFacts.receivedDay, days)));
  const resolved = await tx.select({
    day: reportCaseFacts.resolvedDay, unitId: reportCaseFacts.unitId, product: reportCaseFacts.product, category: reportCaseFacts.category,
    channel: reportCaseFacts.channel, vulnerable: reportCaseFacts.vulnerable, outcome: reportCaseFacts.outcome,
    calendarDays: reportCaseFacts.calendarDays, businessDays: reportCaseFacts.businessDays, within8Weeks: reportCaseFacts.within8Weeks, redressAmount: reportCaseFacts.redressAmount,
    redressKind: reportCaseFacts.redressKind, reopenCount: reportCaseFacts.reopenCount,
  }).from(reportCaseFacts).where(inOrg(reportCaseFacts, organisationId, eq(reportCaseFacts.kind, 'complaint'), inArray(reportCaseFacts.resolvedDay, days)));

  const rows = new Map<string, DailyRow & { clocks: Map<string, number>; breaches: Map<string, number> }>();
  const rowFor = (day: string, unitId: string, dimension: string, value: string) => {
    const key = `${day}|${unitId}|${dimension}|${value}`;
    let row = rows.get(key);
    if (!row) rows.set(key, row = { ...emptyRow(organisationId, day, unitId, dimension, value), clocks: new Map(), breaches: new Map() });
    return row;
  };
  for (const f of received) {
    for (const [dimension, value] of dimensionValues(f)) {
      const row = rowFor(f.day, f.unitId, dimension, value);
      row.received! += 1;
      if (!f.resolvedDay) row.openNow! += 1;
      for (const name of f.clocks) bump(row.clocks, name);
      for (const name of f.breachedClocks) bump(row.breaches, name);
    }
  }
  for (const f of resolved) {
    const ok3 = (f.businessDays ?? Infinity) <= 3;
    const ok8 = f.within8Weeks === true;
    for (const [dimension, value] of dimensionValues(f)) {
      const row = rowFor(f.day!, f.unitId, dimension, value);
      row.resolved! += 1;
      if (ok3) row.resolvedWithin3BusinessDays! += 1;
      if (ok8) row.resolvedWithin8Weeks! += 1;
      if (isUpheld(f.outcome)) row.upheld! += 1;
      if (f.reopenCount > 0) row.reopened! += 1;
      if (f.redressAmount && f.redressKind && f.redressKind in redressColumn) {
        const column = redressColumn[f.redressKind as keyof typeof redressColumn];
        row[column] = Math.round(((row[column] as number) + f.redressAmount) * 100) / 100;
      }
      if (dimension === 'all') {
        row.calendarHistogram![bucketOf(f.calendarDays ?? 0)] += 1;
        row.businessHistogram![bucketOf(f.businessDays ?? 0)] += 1;
      }
    }
  }
  await tx.delete(reportDaily).where(inOrg(reportDaily, organisationId, inArray(reportDaily.day, days), sql`${reportDaily.dimension} NOT LIKE 'week%'`));
  await insertRows(tx, rows.values());
  await rebuildWeeks(tx, organisationId, days);
}

/** Monday of the ISO week of a YYYY-MM-DD day. */
export function weekStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The weekly row's dimension of a daily dimension: "all" → "week", "product" → "week:product". */
export const weeklyDimension = (dimension: string) => (dimension === 'all' ? 'week' : `week:${dimension}`);

/**
 * The whole weeks (Mondays firstWeek..lastWeek) inside a period, or null when it holds none: a
 * period reads those weeks' rows and its daily rows only on the edge days outside them.
 */
export function wholeWeeks(from: string, to: string): { firstWeek: string; lastWeek: string; lastDay: string } | null {
  const firstWeek = addDays(weekStart(from), weekStart(from) === from ? 0 : 7);
  const lastWeek = addDays(weekStart(to), addDays(weekStart(to), 6) === to ? 0 : -7);
  return firstWeek <= lastWeek ? { firstWeek, lastWeek, lastDay: addDays(lastWeek, 6) } : null;
}

/**
 * The rollup rows that cover a period exactly once: the daily rows matching `daily` on the edge
 * days and those matching `weekly` (the same dimensions by week, day = the Monday) for the whole weeks between.
 */
export function periodRows(from: string, to: string, daily: SQL, weekly: SQL): SQL {
  const weeks = wholeWeeks(from, to);
  if (!weeks) return sql`(${daily} AND day BETWEEN ${from}::date AND ${to}::date)`;
  return sql`((${daily} AND day BETWEEN ${from}::date AND ${to}::date AND (day < ${weeks.firstWeek}::date OR day > ${weeks.lastDay}::date))
    OR (${weekly} AND day BETWEEN ${weeks.firstWeek}::date AND ${weeks.lastWeek}::date))`;
}

/**
 * Weekly rows (day = the Monday; dimension "week" for the unit as a whole, "week:product" and so
 * on for the breakdowns) summed from the daily rows of the week, every count, clock and histogram
 * but the ageing (open_now is by day received and read per day): a long period reads whole weeks
 * and only its edge days.
 */
async function rebuildWeeks(tx: Db, organisationId: string, days: string[]) {
  const weeks = [...new Set(days.map(weekStart))];
  await tx.delete(reportDaily).where(inOrg(reportDaily, organisationId, sql`${reportDaily.dimension} LIKE 'week%'`, inArray(reportDaily.day, weeks)));
  const dayRows = await tx.select().from(reportDaily).where(inOrg(reportDaily, organisationId, sql`${reportDaily.dimension} NOT LIKE 'week%'`,
    sql`${reportDaily.day} BETWEEN ${weeks.reduce((a, b) => (a < b ? a : b))}::date AND ${addDays(weeks.reduce((a, b) => (a > b ? a : b)), 6)}::date`,
    sql`date_trunc('week', ${reportDaily.day})::date IN (${sql.join(weeks.map((w) => sql`${w}::date`), sql`, `)})`));
  const sums = new Map<string, DailyRow & { clocks: Map<string, number>; breaches: Map<string, number> }>();
  const addPairs = (into: Map<string, number>, pairs: string[]) => {
    for (const p of pairs) {
      const at = p.lastIndexOf('=');
      into.set(p.slice(0, at), (into.get(p.slice(0, at)) ?? 0) + Number(p.slice(at + 1)));
    }
  };
  for (const r of dayRows) {
    const week = weekStart(r.day);
    const dimension = weeklyDimension(r.dimension);
    const key = `${week}|${r.unitId}|${dimension}|${r.value}`;
    let row = sums.get(key);
    if (!row) sums.set(key, row = { ...emptyRow(organisationId, week, r.unitId, dimension, r.value), clocks: new Map(), breaches: new Map() });
    row.received! += r.received;
    row.resolved! += r.resolved;
    row.resolvedWithin3BusinessDays! += r.resolvedWithin3BusinessDays;
    row.resolvedWithin8Weeks! += r.resolvedWithin8Weeks;
    row.upheld! += r.upheld;
    row.reopened! += r.reopened;
    for (const column of Object.values(redressColumn)) row[column] = Math.round(((row[column] as number) + Number(r[column])) * 100) / 100;
    addPairs(row.clocks, r.clockCounts);
    addPairs(row.breaches, r.breachCounts);
    if (row.calendarHistogram && row.businessHistogram) {
      for (let i = 0; i < HISTOGRAM_DAYS; i++) { row.calendarHistogram[i] += r.calendarHistogram?.[i] ?? 0; row.businessHistogram[i] += r.businessHistogram?.[i] ?? 0; }
    }
  }
  await insertRows(tx, sums.values());
}

/** Writes rollup rows, their clock counts as "name=count" pairs. */
async function insertRows(tx: Db, rows: Iterable<DailyRow & { clocks: Map<string, number>; breaches: Map<string, number> }>) {
  const values = [...rows].map(({ clocks, breaches, ...row }) => ({
    ...row,
    clockCounts: [...clocks].map(([name, n]) => `${name}=${n}`),
    breachCounts: [...breaches].map(([name, n]) => `${name}=${n}`),
  }));
  for (let i = 0; i < values.length; i += 500) await tx.insert(reportDaily).values(values.slice(i, i + 500));
}

/** Every day that has facts, for a full rebuild (bench, repair after an upgrade). */
export async function rebuildAllDays(db: Db, organisationId: string) {
  const days = await db.execute<{ day: string }>(sql`
    SELECT received_day::text AS day FROM ${reportCaseFacts} WHERE organisation_id = ${organisationId}
    UNION SELECT resolved_day::text FROM ${reportCaseFacts} WHERE organisation_id = ${organisationId} AND resolved_day IS NOT NULL ORDER BY 1`);
  const list = rowsOf<{ day: string }>(days).map((d) => d.day);
  await rebuildManyDays(db, organisationId, list);
  return list.length;
}

/**
 * Rebuilds many days a month at a time, each month in a transaction of its own (or nested in the
 * caller's): the facts read at once stay a month's worth.
 */
export async function rebuildManyDays(db: Db, organisationId: string, days: Iterable<string>) {
  const list = [...days].sort();
  for (let i = 0; i < list.length; i += 31) await db.transaction((tx) => rebuildDays(tx, organisationId, list.slice(i, i + 31)));
}

/** Drizzle's execute returns rows directly on PGlite-proxy and as `.rows` on node-postgres. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}


