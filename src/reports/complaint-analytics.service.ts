import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases, escalations, HISTOGRAM_DAYS, lessons, reportDaily, units } from '../db/schema/index.js';
import { casesLink, inScope, type ReportScope } from './report-scope.js';
import { dimensions, NONE, periodRows, rowsOf, weeklyDimension } from './rollup.service.js';
import { histogramPercentile } from './turnaround.js';

export interface Percentiles { median: number | null; p90: number | null; p90AtLeast: boolean }

export interface PeriodTotals {
  received: number;
  resolved: number;
  resolvedWithin3BusinessDays: number;
  resolvedWithin8Weeks: number;
  upheld: number;
  reopened: number;
  redress: { compensation: number; refund: number; goodwill: number; interest: number; total: number };
  calendarDays: Percentiles;
  businessDays: Percentiles;
  clocks: { clock: string; started: number; breached: number; rate: number | null }[];
  clockCompliance: number | null;
  upheldRate: number | null;
  shareWithin3BusinessDays: number | null;
  shareWithin8Weeks: number | null;
  reopenRate: number | null;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
const num = (v: unknown) => Number(v ?? 0);

function percentiles(histogram: number[]): Percentiles {
  const median = histogramPercentile(histogram, 0.5);
  const p90 = histogramPercentile(histogram, 0.9);
  return { median: median?.days ?? null, p90: p90?.days ?? null, p90AtLeast: p90?.atLeast ?? false };
}

/** Totals of one period from the daily rollup (complaints; received by day received, the rest by day resolved). */
export async function periodTotals(db: Db, scope: Pick<ReportScope, 'organisationId' | 'unitId'>, from: string, to: string): Promise<PeriodTotals> {
  // Whole weeks from the weekly rows, the edge days from the daily ones.
  const where = sql`organisation_id = ${scope.organisationId} AND ${inScope(scope, reportDaily.unitId)} AND ${periodRows(from, to, sql`dimension = 'all'`, sql`dimension = 'week'`)}`;
  const [sums] = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT coalesce(sum(received), 0)::int AS received, coalesce(sum(resolved), 0)::int AS resolved,
      coalesce(sum(resolved_within_3bd), 0)::int AS w3, coalesce(sum(resolved_within_8w), 0)::int AS w8,
      coalesce(sum(upheld), 0)::int AS upheld, coalesce(sum(reopened), 0)::int AS reopened,
      coalesce(sum(redress_compensation), 0)::float8 AS compensation, coalesce(sum(redress_refund), 0)::float8 AS refund,
      coalesce(sum(redress_goodwill), 0)::float8 AS goodwill, coalesce(sum(redress_interest), 0)::float8 AS interest
    FROM ${reportDaily} WHERE ${where}`));
  // Summed here rather than by unnest() in SQL: a few thousand short arrays add up faster in JS on both databases.
  const histograms = await db.select({ c: reportDaily.calendarHistogram, b: reportDaily.businessHistogram }).from(reportDaily)
    .where(sql`${where} AND resolved > 0`);
  const calendar = new Array(HISTOGRAM_DAYS).fill(0);
  const business = new Array(HISTOGRAM_DAYS).fill(0);
  for (const h of histograms) {
    for (let i = 0; i < HISTOGRAM_DAYS; i++) { calendar[i] += h.c?.[i] ?? 0; business[i] += h.b?.[i] ?? 0; }
  }
  const clockRows = rowsOf<{ kind: string; name: string; n: number }>(await db.execute(sql`
    SELECT 'started' AS kind, split_part(x, '=', 1) AS name, sum(split_part(x, '=', 2)::int)::int AS n FROM ${reportDaily}, unnest(clock_counts) x WHERE ${where} GROUP BY 2
    UNION ALL
    SELECT 'breached', split_part(x, '=', 1), sum(split_part(x, '=', 2)::int)::int FROM ${reportDaily}, unnest(breach_counts) x WHERE ${where} GROUP BY 2`));
  const clockMap = new Map<string, { started: number; breached: number }>();
  for (const r of clockRows) {
    const entry = clockMap.get(r.name) ?? { started: 0, breached: 0 };
    entry[r.kind as 'started' | 'breached'] += num(r.n);
    clockMap.set(r.name, entry);
  }
  const clocks = [...clockMap].map(([clock, c]) => ({ clock, ...c, rate: rate(c.breached, c.started) })).sort((a, b) => a.clock.localeCompare(b.clock));
  const started = clocks.reduce((s, c) => s + c.started, 0);
  const breached = clocks.reduce((s, c) => s + c.breached, 0);
  const received = num(sums.received);
  const resolved = num(sums.resolved);
  const redress = { compensation: num(sums.compensation), refund: num(sums.refund), goodwill: num(sums.goodwill), interest: num(sums.interest) };
  return {
    received, resolved, resolvedWithin3BusinessDays: num(sums.w3), resolvedWithin8Weeks: num(sums.w8), upheld: num(sums.upheld), reopened: num(sums.reopened),
    redress: { ...redress, total: Math.round((redress.compensation + redress.refund + redress.goodwill + redress.interest) * 100) / 100 },
    calendarDays: percentiles(calendar), businessDays: percentiles(business), clocks,
    clockCompliance: started > 0 ? 1 - breached / started : null,
    upheldRate: rate(num(sums.upheld), resolved), shareWithin3BusinessDays: rate(num(sums.w3), resolved),
    shareWithin8Weeks: rate(num(sums.w8), resolved), reopenRate: rate(num(sums.reopened), resolved),
  };
}

export interface Breakdown {
  dimension: string;
  value: string;
  label: string;
  received: number;
  resolved: number;
  upheld: number;
  upheldRate: number | null;
  shareWithin8Weeks: number | null;
  link: string;
}

const dailyDimensions = sql.raw(`(${['all', ...dimensions].map((d) => `'${d}'`).join(', ')})`);
const weeklyDimensions = sql.raw(`(${['all', ...dimensions].map((d) => `'${weeklyDimension(d)}'`).join(', ')})`);

/** Received, resolved and upheld per unit, product, category, channel and vulnerability. */
export async function breakdowns(db: Db, scope: ReportScope): Promise<Record<string, Breakdown[]>> {
  const rows = rowsOf<{ dimension: string; value: string; received: number; resolved: number; upheld: number; w8: number }>(await db.execute(sql`
    SELECT CASE WHEN dimension IN ('all', 'week') THEN 'unit' ELSE replace(dimension, 'week:', '') END AS dimension,
      CASE WHEN dimension IN ('all', 'week') THEN unit_id::text ELSE value END AS value,
      sum(received)::int AS received, sum(resolved)::int AS resolved, sum(upheld)::int AS upheld, sum(resolved_within_8w)::int AS w8
    FROM ${reportDaily}
    WHERE organisation_id = ${scope.organisationId} AND ${inScope(scope, reportDaily.unitId)}
      AND ${periodRows(scope.from, scope.to, sql`dimension IN ${dailyDimensions}`, sql`dimension IN ${weeklyDimensions}`)}
    GROUP BY 1, 2`));
  const unitNames = new Map(rowsOf<{ id: string; name: string }>(await db.execute(sql`SELECT id::text, name FROM ${units} WHERE organisation_id = ${scope.organisationId}`)).map((u) => [u.id, u.name]));
  const out: Record<string, Breakdown[]> = { unit: [], product: [], category: [], channel: [], vulnerable: [] };
  for (const r of rows) {
    const base = { receivedFrom: scope.from, receivedTo: scope.to, unitId: scope.unitId };
    const filter = r.dimension === 'unit' ? { ...base, unitId: r.value }
      : r.dimension === 'vulnerable' ? { ...base, vulnerable: r.value === 'yes' ? 'true' : 'false' }
        : r.value === NONE ? base : { ...base, [r.dimension]: r.value };
    const label = r.dimension === 'unit' ? unitNames.get(r.value) ?? r.value : r.dimension === 'vulnerable' ? (r.value === 'yes' ? 'Vulnerable customers' : 'Other customers') : r.value;
    out[r.dimension]?.push({
      dimension: r.dimension, value: r.value, label, received: num(r.received), resolved: num(r.resolved), upheld: num(r.upheld),
      upheldRate: rate(num(r.upheld), num(r.resolved)), shareWithin8Weeks: rate(num(r.w8), num(r.resolved)), link: casesLink(filter),
    });
  }
  for (const list of Object.values(out)) list.sort((a, b) => b.received - a.received || a.label.localeCompare(b.label));
  return out;
}

export interface WeekPoint { week: string; received: number; resolved: number; open: number }

/**
 * Weekly received and resolved in the period, and the complaints open at the end of each week,
 * reconstructed backwards from those open now: open(w) = open now − received after w + resolved
 * after w. A reopened complaint counts from its last resolution, so this is exact unless
 * complaints were reopened after the week.
 */
export async function weeklySeries(db: Db, scope: ReportScope, openNow: number, today: string): Promise<WeekPoint[]> {
  const rows = rowsOf<{ week: string; received: number; resolved: number }>(await db.execute(sql`
    SELECT to_char(date_trunc('week', day), 'YYYY-MM-DD') AS week, sum(received)::int AS received, sum(resolved)::int AS resolved
    FROM ${reportDaily}
    WHERE organisation_id = ${scope.organisationId} AND ${inScope(scope, reportDaily.unitId)} AND ${periodRows(scope.from, today, sql`dimension = 'all'`, sql`dimension = 'week'`)}
    GROUP BY 1 ORDER BY 1 DESC`));
  let open = openNow;
  const points: WeekPoint[] = [];
  for (const r of rows) {
    points.push({ week: r.week, received: num(r.received), resolved: num(r.resolved), open });
    open = open - num(r.received) + num(r.resolved);
  }
  return points.reverse().filter((p) => p.week <= scope.to);
}

export const ageingBuckets = [
  { key: '0-3', label: 'Up to 3 days', minDays: 0, maxDays: 3 },
  { key: '4-14', label: '4 to 14 days', minDays: 4, maxDays: 14 },
  { key: '15-28', label: '15 to 28 days', minDays: 15, maxDays: 28 },
  { key: '29-56', label: '29 days to 8 weeks', minDays: 29, maxDays: 56 },
  { key: '57+', label: 'Over 8 weeks', minDays: 57, maxDays: null },
] as const;

/**
 * Complaints open now by age in days, from the rollup's count of each day's complaints still
 * unresolved (kept by the job, so this never reads the open cases themselves).
 */
export async function openAgeing(db: Db, scope: ReportScope, now: Date) {
  const today = now.toISOString().slice(0, 10);
  const rows = rowsOf<{ age: number; n: number }>(await db.execute(sql`
    SELECT (${today}::date - day)::int AS age, sum(open_now)::int AS n
    FROM ${reportDaily}
    WHERE organisation_id = ${scope.organisationId} AND dimension = 'all' AND open_now > 0 AND ${inScope(scope, reportDaily.unitId)}
    GROUP BY 1`));
  const day = (offset: number) => new Date(now.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
  const buckets = ageingBuckets.map((b) => ({
    key: b.key, label: b.label, count: 0,
    link: casesLink({ status: 'open,waiting_customer', unitId: scope.unitId, receivedFrom: b.maxDays === null ? null : day(b.maxDays), receivedTo: day(b.minDays), sort: 'received_asc' }),
  }));
  for (const r of rows) {
    const i = ageingBuckets.findIndex((b) => num(r.age) >= b.minDays && (b.maxDays === null || num(r.age) <= b.maxDays));
    buckets[Math.max(i, 0)].count += num(r.n);
  }
  return { open: buckets.reduce((s, b) => s + b.count, 0), buckets, link: casesLink({ status: 'open,waiting_customer', unitId: scope.unitId }) };
}

/** Escalations raised in the period, how fast they were acknowledged, and the lessons they produced. */
export async function escalationSummary(db: Db, scope: ReportScope) {
  const fromTs = `${scope.from}T00:00:00Z`;
  const toTs = new Date(Date.parse(`${scope.to}T00:00:00Z`) + 86_400_000).toISOString();
  const [e] = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT count(*)::int AS raised, count(escalations.acknowledged_at)::int AS acknowledged,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (escalations.acknowledged_at - escalations.created_at)) / 3600)::float8 AS median_hours
    FROM ${escalations} JOIN ${cases} ON cases.organisation_id = escalations.organisation_id AND cases.id = escalations.case_id
    WHERE escalations.organisation_id = ${scope.organisationId} AND escalations.created_at >= ${fromTs}::timestamptz AND escalations.created_at < ${toTs}::timestamptz AND ${inScope(scope, cases.unitId)}`));
  const [l] = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT count(*) FILTER (WHERE lessons.created_at >= ${fromTs}::timestamptz AND lessons.created_at < ${toTs}::timestamptz)::int AS opened,
      count(*) FILTER (WHERE lessons.status = 'done' AND lessons.updated_at >= ${fromTs}::timestamptz AND lessons.updated_at < ${toTs}::timestamptz)::int AS closed,
      count(*) FILTER (WHERE lessons.status IN ('proposed', 'in_progress'))::int AS open
    FROM ${lessons} WHERE lessons.organisation_id = ${scope.organisationId} AND ${inScope(scope, lessons.unitId)}`));
  return {
    raised: num(e.raised), acknowledged: num(e.acknowledged),
    medianHoursToAcknowledge: e.median_hours === null || e.median_hours === undefined ? null : Math.round(num(e.median_hours) * 10) / 10,
    lessonsOpened: num(l.opened), lessonsClosed: num(l.closed), lessonsOpen: num(l.open),
    link: '/escalations', lessonsLink: '/lessons',
  };
}

/** The complaint analytics of a scope: what the analytics page shows, and the core of the executive report. */
export async function complaintAnalytics(db: Db, scope: ReportScope, now: Date, parallel = false) {
  const today = now.toISOString().slice(0, 10);
  const [current, previous, by, ageing, escalationsPart] = await runAll(parallel, [
    () => periodTotals(db, scope, scope.from, scope.to),
    () => periodTotals(db, scope, scope.previousFrom, scope.previousTo),
    () => breakdowns(db, scope),
    () => openAgeing(db, scope, now),
    () => escalationSummary(db, scope),
  ] as const);
  const series = await weeklySeries(db, scope, ageing.open, today);
  const received = { receivedFrom: scope.from, receivedTo: scope.to, unitId: scope.unitId };
  const resolved = { resolvedFrom: scope.from, resolvedTo: scope.to, unitId: scope.unitId };
  return {
    current, previous, by, ageing, escalations: escalationsPart, series,
    links: {
      received: casesLink(received),
      resolved: casesLink(resolved),
      upheld: casesLink({ ...resolved, outcome: 'upheld,partially_upheld' }),
      reopened: casesLink({ ...resolved, reopened: 'true' }),
      breached: casesLink({ ...received, breached: 'true' }),
      clock: Object.fromEntries(current.clocks.map((c) => [c.clock, casesLink({ ...received, breachedClock: c.clock })])),
      redress: Object.fromEntries((['compensation', 'refund', 'goodwill', 'interest'] as const).map((k) => [k, casesLink({ ...resolved, redressKind: k })])),
    },
  };
}
export type ComplaintAnalytics = Awaited<ReturnType<typeof complaintAnalytics>>;

/**
 * Runs the report's independent queries: side by side on PostgreSQL (a pool, several cores), one
 * after another on the embedded database (one connection, where side by side only queues).
 */
export async function runAll<T extends readonly (() => Promise<unknown>)[]>(parallel: boolean, steps: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  type Out = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  if (parallel) return (await Promise.all(steps.map((step) => step()))) as Out;
  const out: unknown[] = [];
  for (const step of steps) out.push(await step());
  return out as Out;
}
