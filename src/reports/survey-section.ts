import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { surveyResponses } from '../db/schema/index.js';
import { studentTQuantile, Z_95 } from '../surveys/statistics.js';
import { inScope, type ReportScope } from './report-scope.js';
import { rowsOf } from './rollup.service.js';

/**
 * Care score, NPS and the care→propensity correlation of the period, each with its 95 % margin,
 * computed from sums in the database (the same formulas as surveys/statistics.ts, which needs the
 * raw answers): the mean with a Student-t interval, NPS with the ±1/0/−1 variance, Pearson's r
 * with a Fisher-z interval.
 */
export async function surveySections(db: Db, scope: Pick<ReportScope, 'organisationId' | 'unitId' | 'from' | 'to' | 'previousFrom'>) {
  const previousTs = `${scope.previousFrom}T00:00:00Z`;
  const fromTs = `${scope.from}T00:00:00Z`;
  const toTs = new Date(Date.parse(`${scope.to}T00:00:00Z`) + 86_400_000).toISOString();
  // One pass over the responses of both periods (the previous one ends the day before `from`).
  const rows = rowsOf<Record<string, number | string | null>>(await db.execute(sql`
    SELECT CASE WHEN created_at >= ${fromTs}::timestamptz THEN 'current' ELSE 'previous' END AS period, count(care)::int AS care_n, avg(care)::float8 AS care_mean, stddev_samp(care)::float8 AS care_sd,
      count(nps)::int AS nps_n, count(*) FILTER (WHERE nps >= 9)::int AS promoters, count(*) FILTER (WHERE nps <= 6)::int AS detractors,
      count(*) FILTER (WHERE care IS NOT NULL AND propensity IS NOT NULL)::int AS pair_n, corr(care, propensity)::float8 AS r
    FROM ${surveyResponses}
    WHERE organisation_id = ${scope.organisationId} AND created_at >= ${previousTs}::timestamptz AND created_at < ${toTs}::timestamptz
      AND ${inScope(scope, surveyResponses.unitId)}
    GROUP BY 1`));
  const pick = (period: string) => summarise(rows.find((r) => r.period === period));
  return { current: pick('current'), previous: pick('previous') };
}

function summarise(r: Record<string, number | string | null> = { care_n: 0, care_mean: null, care_sd: null, nps_n: 0, promoters: 0, detractors: 0, pair_n: 0, r: null }) {
  const careN = Number(r.care_n);
  const careMean = r.care_mean === null ? null : Number(r.care_mean);
  const careSd = r.care_sd === null ? null : Number(r.care_sd);
  const careMargin = careN >= 2 && careSd !== null ? (studentTQuantile(0.975, careN - 1) * careSd) / Math.sqrt(careN) : null;
  const npsN = Number(r.nps_n);
  const pPro = npsN ? Number(r.promoters) / npsN : 0;
  const pDet = npsN ? Number(r.detractors) / npsN : 0;
  const npsMargin = npsN ? 100 * Z_95 * Math.sqrt(Math.max(0, pPro + pDet - (pPro - pDet) ** 2) / npsN) : null;
  const pairN = Number(r.pair_n);
  const rho = r.r === null ? null : Math.max(-1, Math.min(1, Number(r.r)));
  const half = pairN >= 4 ? Z_95 / Math.sqrt(pairN - 3) : null;
  return {
    care: { n: careN, mean: careMean, marginOfError95: careMargin },
    nps: { n: npsN, nps: npsN ? 100 * (pPro - pDet) : null, marginOfError95: npsMargin },
    careToPropensity: {
      n: pairN, r: rho,
      lower: rho !== null && half !== null ? Math.tanh(Math.atanh(rho) - half) : null,
      upper: rho !== null && half !== null ? Math.tanh(Math.atanh(rho) + half) : null,
    },
  };
}
export type SurveySection = ReturnType<typeof summarise>;
