import { eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { surveyInvitations, surveyResponses, surveys, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { inUnitSubtree, unitScopeCondition } from '../org/unit.service.js';
import { notFound } from '../server/errors.js';
import {
  type Cell, compareMoments, correlationsFromCells, type Driver, meanFromMoments, type Moments, npsFromCounts, sampleGuard,
} from './statistics.js';
import type { SurveySettings } from './survey-rules.js';

const r = surveyResponses;
const month = sql<string>`to_char(${r.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** count, sum and sum of squares of a score column: its mean and t interval, from SQL. */
const momentsOf = (column: AnyPgColumn) => ({
  n: sql<number>`count(${column})::int`,
  sum: sql<number>`coalesce(sum(${column}), 0)::float8`,
  sumSquares: sql<number>`coalesce(sum(${column} * ${column}), 0)::float8`,
});
const npsCounts = {
  promoters: sql<number>`count(*) FILTER (WHERE ${r.nps} >= 9)::int`,
  passives: sql<number>`count(*) FILTER (WHERE ${r.nps} > 6 AND ${r.nps} < 9)::int`,
  detractors: sql<number>`count(*) FILTER (WHERE ${r.nps} <= 6)::int`,
};
const moments = (m: { n: number; sum: number; sumSquares: number }): Moments => ({ n: Number(m.n), sum: Number(m.sum), sumSquares: Number(m.sumSquares) });

const driverItems = { care: r.care, nps: r.nps, csat: r.csat, ces: r.ces } as const;

export interface AnalyticsFilter {
  from?: string;
  to?: string;
  unitId?: string;
  minN?: number;
}

/**
 * Everything the results dashboard shows, aggregated in SQL (GROUP BY month, unit, score pair) so
 * a survey with hundreds of thousands of answers stays fast: headline figures with their
 * uncertainty, how care drives propensity (from the 11×11 cross-tabulation, which is also the
 * scatter the dashboard draws), item drivers, units against the whole (units below the anonymity
 * threshold hidden), the monthly trend with intervals, themes of the comments, and how often the
 * closed loop wins a customer back.
 */
export async function surveyAnalytics(ctx: AppContext, actor: Actor, surveyId: string, filter: AnalyticsFilter) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  const [survey] = await ctx.db.select().from(surveys).where(inOrg(surveys, actor.organisationId, eq(surveys.id, surveyId)));
  if (!survey) throw notFound('Survey');
  const settings = survey.settings as SurveySettings;
  const hideBelow = filter.minN ?? settings.minResponses ?? 10;
  const guard = (n: number) => sampleGuard(n, { hideBelow });
  const where = (...more: (SQL | undefined)[]) => inOrg(r, actor.organisationId, eq(r.surveyId, surveyId),
    filter.from ? gte(r.createdAt, new Date(filter.from)) : undefined,
    filter.to ? lt(r.createdAt, new Date(filter.to)) : undefined,
    filter.unitId ? inUnitSubtree(r.unitId, actor.organisationId, filter.unitId) : undefined,
    unitScopeCondition(actor, r.unitId), ...more);
  const db = ctx.db;

  const byMonth = await db.select({
    month, n: sql<number>`count(*)::int`, care: momentsOf(r.care), propensity: momentsOf(r.propensity), csat: momentsOf(r.csat), ces: momentsOf(r.ces), ...npsCounts,
  }).from(r).where(where()).groupBy(month).orderBy(month);
  // The whole is the sum of its months: every figure here is additive, so no second scan.
  const add = (key: 'care' | 'propensity' | 'csat' | 'ces') => byMonth.reduce<Moments>((t, m) => {
    const x = moments(m[key]);
    return { n: t.n + x.n, sum: t.sum + x.sum, sumSquares: t.sumSquares + x.sumSquares };
  }, { n: 0, sum: 0, sumSquares: 0 });
  const total = (key: 'n' | 'promoters' | 'passives' | 'detractors') => byMonth.reduce((t, m) => t + Number(m[key]), 0);
  const whole = { care: add('care'), propensity: add('propensity'), csat: add('csat'), ces: add('ces') };
  const n = total('n');
  const overall = guard(n);

  const byUnit = await db.select({ unitId: r.unitId, n: sql<number>`count(*)::int`, care: momentsOf(r.care) })
    .from(r).where(where(isNotNull(r.unitId))).groupBy(r.unitId);
  const unitNames = new Map((await db.select({ id: units.id, name: units.name }).from(units).where(inOrg(units, actor.organisationId))).map((u) => [u.id, u.name]));

  // Every rated item against propensity in one scan: GROUPING SETS, one cross-tabulation per item.
  const cells = await db.select({
    set: sql<number>`grouping(${r.care}, ${r.nps}, ${r.csat}, ${r.ces})::int`,
    care: sql<number | null>`${r.care}::float8`, nps: sql<number | null>`${r.nps}::float8`, csat: sql<number | null>`${r.csat}::float8`, ces: sql<number | null>`${r.ces}::float8`,
    y: sql<number>`${r.propensity}::float8`, count: sql<number>`count(*)::int`,
  }).from(r).where(where(isNotNull(r.propensity)))
    .groupBy(sql`GROUPING SETS ((${r.care}, ${r.propensity}), (${r.nps}, ${r.propensity}), (${r.csat}, ${r.propensity}), (${r.ces}, ${r.propensity}))`);
  // grouping() sets a bit for each column left out of the set: care's set leaves out the other three (0b0111).
  const setBits = { care: 0b0111, nps: 0b1011, csat: 0b1101, ces: 0b1110 } as const;
  const crossTab = (item: keyof typeof setBits): Cell[] => cells
    .filter((c) => Number(c.set) === setBits[item] && c[item] !== null)
    .map((c) => ({ x: Number(c[item]), y: Number(c.y), count: Number(c.count) }));
  const careCells = crossTab('care');
  const drivers: Driver[] = (Object.keys(driverItems) as (keyof typeof driverItems)[]).map((item) => ({ item, ...correlationsFromCells(crossTab(item)).spearman }));
  drivers.sort((a, b) => (a.r === null || b.r === null ? (a.r === b.r ? a.item.localeCompare(b.item) : a.r === null ? 1 : -1) : b.r - a.r || a.item.localeCompare(b.item)));

  const careWhole = whole.care;
  return {
    survey: { id: survey.id, name: survey.name, touchpoint: survey.touchpoint },
    n,
    guard: overall,
    minResponses: hideBelow,
    careBenchmark: settings.careBenchmark,
    nps: npsFromCounts(total('promoters'), total('passives'), total('detractors')),
    care: meanFromMoments(careWhole),
    propensity: meanFromMoments(whole.propensity),
    csat: meanFromMoments(whole.csat),
    ces: meanFromMoments(whole.ces),
    careToPropensity: correlationsFromCells(careCells),
    /** Counts of each (care, propensity) pair, 0–10 each: the scatter, without any one person's point. */
    careGrid: overall === 'hide' ? [] : careCells.filter((c) => Number.isInteger(c.x) && Number.isInteger(c.y)).map((c) => ({ care: c.x, propensity: c.y, count: c.count })),
    drivers,
    units: byUnit.map((u) => {
      const unitGuard = guard(Number(u.n));
      const base = { unitId: u.unitId!, unitName: unitNames.get(u.unitId!) ?? 'Unknown', n: Number(u.n), guard: unitGuard };
      return unitGuard === 'hide' ? { ...base, care: null, comparison: null } : { ...base, care: meanFromMoments(moments(u.care)), comparison: compareMoments(moments(u.care), careWhole) };
    }).sort((a, b) => (a.care?.mean ?? 99) - (b.care?.mean ?? 99) || a.unitName.localeCompare(b.unitName)),
    trend: byMonth.map((m) => {
      const monthGuard = guard(Number(m.n));
      const nps = npsFromCounts(m.promoters, m.passives, m.detractors);
      return monthGuard === 'hide'
        ? { month: m.month, n: Number(m.n), guard: monthGuard, nps: null, npsMargin: null, care: null, propensity: null }
        : { month: m.month, n: Number(m.n), guard: monthGuard, nps: nps.nps, npsMargin: nps.marginOfError95, care: meanFromMoments(moments(m.care)), propensity: meanFromMoments(moments(m.propensity)) };
    }),
    themes: await themesByMonth(ctx, where, new Map(byMonth.map((m) => [m.month, Number(m.n)])), hideBelow),
    recovery: await recoveryRate(ctx, where),
  };
}

/**
 * The most frequent themes of the comments, overall and per month, with their counts and mean
 * sentiment; months with fewer answers than the anonymity threshold are left out.
 */
async function themesByMonth(ctx: AppContext, where: (...more: (SQL | undefined)[]) => SQL, monthSizes: Map<string, number>, hideBelow: number) {
  const theme = sql<string>`t.theme`;
  const rows = await ctx.db.select({ month, theme, count: sql<number>`count(*)::int`, sentiment: sql<number>`avg(${r.sentiment})::float8` })
    .from(sql`${r} CROSS JOIN LATERAL jsonb_array_elements_text(${r.themes}) AS t(theme)`)
    .where(where(isNotNull(r.themes))).groupBy(month, theme);
  const shown = rows.filter((row) => (monthSizes.get(row.month) ?? 0) >= hideBelow);
  const top = (list: { theme: string; count: number; sentiment: number | null }[], k: number) =>
    list.sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme)).slice(0, k);
  const overall = new Map<string, { theme: string; count: number; sentimentSum: number }>();
  const perMonth = new Map<string, { theme: string; count: number; sentiment: number | null }[]>();
  for (const row of shown) {
    const count = Number(row.count);
    const sentiment = row.sentiment === null ? null : Math.round(Number(row.sentiment) * 1000) / 1000;
    const o = overall.get(row.theme) ?? { theme: row.theme, count: 0, sentimentSum: 0 };
    o.count += count;
    o.sentimentSum += (sentiment ?? 0) * count;
    overall.set(row.theme, o);
    perMonth.set(row.month, [...(perMonth.get(row.month) ?? []), { theme: row.theme, count, sentiment }]);
  }
  return {
    top: top([...overall.values()].map((o) => ({ theme: o.theme, count: o.count, sentiment: Math.round((o.sentimentSum / o.count) * 1000) / 1000 })), 15),
    byMonth: [...perMonth].sort(([a], [b]) => a.localeCompare(b)).map(([m, list]) => ({ month: m, themes: top(list, 5) })),
  };
}

/**
 * Recovery rate of the closed loop: of the answers that opened a follow-up case and whose
 * respondent answered again later (any survey of the organisation, matched by e-mail), the share
 * whose later answer was better: care if both answers have it, else the recommend score.
 */
export async function recoveryRate(ctx: AppContext, where: (...more: (SQL | undefined)[]) => SQL) {
  const i = surveyInvitations;
  const result = await ctx.db.execute(sql`
    SELECT f.care, f.nps, later.care AS later_care, later.nps AS later_nps
    FROM (SELECT ${r.organisationId} AS organisation_id, ${r.care} AS care, ${r.nps} AS nps, ${r.createdAt} AS created_at, ${i.email} AS email
          FROM ${r} JOIN ${i} ON ${i.organisationId} = ${r.organisationId} AND ${i.id} = ${r.invitationId}
          WHERE ${where(isNotNull(r.followUpCaseId))}) f
    LEFT JOIN LATERAL (
      SELECT l.care, l.nps FROM ${r} l JOIN ${i} li ON li.organisation_id = l.organisation_id AND li.id = l.invitation_id
      WHERE l.organisation_id = f.organisation_id AND lower(li.email) = lower(f.email) AND l.created_at > f.created_at
      ORDER BY l.created_at LIMIT 1) later ON true`);
  type Pair = { care: number | null; nps: number | null; later_care: number | null; later_nps: number | null };
  const rows = (result as unknown as { rows: Pair[] }).rows.map((x) => {
    const answeredAgain = x.later_care !== null || x.later_nps !== null;
    const improved = x.care !== null && x.later_care !== null ? Number(x.later_care) > Number(x.care)
      : x.nps !== null && x.later_nps !== null ? Number(x.later_nps) > Number(x.nps) : null;
    return { answeredAgain, improved };
  });
  const followUps = rows.length;
  const again = rows.filter((x) => x.answeredAgain && x.improved !== null);
  const improved = again.filter((x) => x.improved).length;
  return { followUps, answeredAgain: again.length, improved, rate: again.length === 0 ? null : improved / again.length };
}

/** The closed loop's recovery rate across every survey, for the follow-ups queue (in the caller's unit scope). */
export async function overallRecovery(ctx: AppContext, actor: Actor) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  return recoveryRate(ctx, (...more) => inOrg(r, actor.organisationId, unitScopeCondition(actor, r.unitId), ...more));
}
