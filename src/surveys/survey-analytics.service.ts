import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { requireRole } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { surveyResponses, surveys, units } from '../db/schema/index.js';
import { inOrg } from '../db/tenant.js';
import { inUnitSubtree, unitScopeCondition } from '../org/unit.service.js';
import { notFound } from '../server/errors.js';
import { compareToWhole, driverRanking, meanWithConfidence, netPromoterScore, pearson, sampleGuard, spearman } from './statistics.js';
import type { SurveySettings } from './survey-rules.js';

type Row = { care: number | null; propensity: number | null; nps: number | null; csat: number | null; ces: number | null; unitId: string | null; month: string };

/**
 * Everything the results dashboard shows, computed from the scored columns: headline figures with
 * their uncertainty, how care drives propensity, item drivers, units against the whole (units too
 * small to report are hidden, for the respondents' anonymity), and the monthly trend.
 */
export async function surveyAnalytics(ctx: AppContext, actor: Actor, surveyId: string, filter: { from?: string; to?: string; unitId?: string; minN?: number }) {
  requireRole(actor, 'admin', 'compliance', 'executive', 'lead');
  const [survey] = await ctx.db.select().from(surveys).where(inOrg(surveys, actor.organisationId, eq(surveys.id, surveyId)));
  if (!survey) throw notFound('Survey');
  const settings = survey.settings as SurveySettings;
  const hideBelow = filter.minN ?? 10;
  const rows: Row[] = await ctx.db.select({
    care: surveyResponses.care, propensity: surveyResponses.propensity, nps: surveyResponses.nps, csat: surveyResponses.csat, ces: surveyResponses.ces,
    unitId: surveyResponses.unitId, month: sql<string>`to_char(${surveyResponses.createdAt}, 'YYYY-MM')`,
  }).from(surveyResponses).where(inOrg(surveyResponses, actor.organisationId, eq(surveyResponses.surveyId, surveyId),
    filter.from ? gte(surveyResponses.createdAt, new Date(filter.from)) : undefined,
    filter.to ? lt(surveyResponses.createdAt, new Date(filter.to)) : undefined,
    filter.unitId ? inUnitSubtree(surveyResponses.unitId, actor.organisationId, filter.unitId) : undefined,
    unitScopeCondition(actor, surveyResponses.unitId)));
  const col = (key: keyof Omit<Row, 'unitId' | 'month'>, from: Row[] = rows) => from.map((r) => r[key]).filter((v): v is number => v !== null);
  const unitNames = new Map((await ctx.db.select({ id: units.id, name: units.name }).from(units).where(and(inOrg(units, actor.organisationId)))).map((u) => [u.id, u.name]));
  const byUnit = new Map<string, Row[]>();
  for (const r of rows) if (r.unitId) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r]);
  const allCare = col('care');
  const byMonth = new Map<string, Row[]>();
  for (const r of rows) byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);
  return {
    survey: { id: survey.id, name: survey.name, touchpoint: survey.touchpoint },
    n: rows.length,
    guard: sampleGuard(rows.length, { hideBelow }),
    careBenchmark: settings.careBenchmark,
    nps: netPromoterScore(col('nps')),
    care: meanWithConfidence(allCare),
    propensity: meanWithConfidence(col('propensity')),
    csat: meanWithConfidence(col('csat')),
    ces: meanWithConfidence(col('ces')),
    careToPropensity: {
      spearman: spearman(rows.map((r) => r.care), rows.map((r) => r.propensity)),
      pearson: pearson(rows.map((r) => r.care), rows.map((r) => r.propensity)),
    },
    drivers: driverRanking({ care: rows.map((r) => r.care), nps: rows.map((r) => r.nps), csat: rows.map((r) => r.csat), ces: rows.map((r) => r.ces) }, rows.map((r) => r.propensity)),
    units: [...byUnit].map(([unitId, unitRows]) => {
      const guard = sampleGuard(unitRows.length, { hideBelow });
      return guard === 'hide'
        ? { unitId, unitName: unitNames.get(unitId) ?? 'Unknown', n: unitRows.length, guard, care: null, comparison: null }
        : { unitId, unitName: unitNames.get(unitId) ?? 'Unknown', n: unitRows.length, guard, care: meanWithConfidence(col('care', unitRows)), comparison: compareToWhole(col('care', unitRows), allCare) };
    }).sort((a, b) => (a.care?.mean ?? 99) - (b.care?.mean ?? 99)),
    trend: [...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([month, monthRows]) => ({
      month, n: monthRows.length, guard: sampleGuard(monthRows.length, { hideBelow }),
      nps: netPromoterScore(col('nps', monthRows)).nps, care: meanWithConfidence(col('care', monthRows)),
    })),
  };
}
