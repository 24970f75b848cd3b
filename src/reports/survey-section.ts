import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { reportSurveyDaily } from '../db/schema/index.js';
import { studentTQuantile, Z_95 } from '../surveys/statistics.js';
import { inScope, type ReportScope } from './report-scope.js';
import { rowsOf } from './rollup.service.js';

/**
 * Care score, NPS and the care→propensity correlation of the period, each with its 95 % margin,
 * from the daily survey rollup (report_survey_daily; the same formulas as surveys/statistics.ts,
 * which needs the raw answers): the mean with a Student-t interval, NPS with the ±1/0/−1
 * variance, Pearson's r with a Fisher-z interval. Responses count by their UTC day.
 */
export async function surveySections(db: Db, scope: Pick<ReportScope, 'organisationId' | 'unitId' | 'from' | 'to' | 'previousFrom'>) {
  // Both periods in one read (the previous one ends the day before `from`).
  const rows = rowsOf<Sums & { period: string }>(await db.execute(sql`
    SELECT CASE WHEN day >= ${scope.from}::date THEN 'current' ELSE 'previous' END AS period,
      sum(care_n)::float8 AS care_n, sum(care_sum)::float8 AS care_sum, sum(care_sum_squares)::float8 AS care_sum_squares,
      sum(nps_n)::float8 AS nps_n, sum(promoters)::float8 AS promoters, sum(detractors)::float8 AS detractors,
      sum(pair_n)::float8 AS pair_n, sum(pair_care)::float8 AS pair_care, sum(pair_propensity)::float8 AS pair_propensity,
      sum(pair_care_squares)::float8 AS pair_care_squares, sum(pair_propensity_squares)::float8 AS pair_propensity_squares, sum(pair_products)::float8 AS pair_products
    FROM ${reportSurveyDaily}
    WHERE organisation_id = ${scope.organisationId} AND day BETWEEN ${scope.previousFrom}::date AND ${scope.to}::date
      AND ${inScope(scope, reportSurveyDaily.unitId)}
    GROUP BY 1`));
  const pick = (period: string) => summarise(rows.find((r) => r.period === period));
  return { current: pick('current'), previous: pick('previous') };
}

interface Sums {
  care_n: number; care_sum: number; care_sum_squares: number; nps_n: number; promoters: number; detractors: number;
  pair_n: number; pair_care: number; pair_propensity: number; pair_care_squares: number; pair_propensity_squares: number; pair_products: number;
}

/** n·Σxy − Σx·Σy: exact on whole-point answers (every term an integer well below 2⁵³). */
const coMoment = (n: number, sxy: number, sx: number, sy: number) => n * sxy - sx * sy;

function summarise(sums?: Sums) {
  const r = Object.fromEntries(Object.entries(sums ?? {}).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as Sums;
  const careN = r.care_n || 0;
  const careMean = careN > 0 ? r.care_sum / careN : null;
  const careSd = careN >= 2 ? Math.sqrt(Math.max(0, coMoment(careN, r.care_sum_squares, r.care_sum, r.care_sum)) / (careN * (careN - 1))) : null;
  const careMargin = careN >= 2 && careSd !== null ? (studentTQuantile(0.975, careN - 1) * careSd) / Math.sqrt(careN) : null;
  const npsN = r.nps_n || 0;
  const pPro = npsN ? Number(r.promoters) / npsN : 0;
  const pDet = npsN ? Number(r.detractors) / npsN : 0;
  const npsMargin = npsN ? 100 * Z_95 * Math.sqrt(Math.max(0, pPro + pDet - (pPro - pDet) ** 2) / npsN) : null;
  const pairN = r.pair_n || 0;
  // As corr(): undefined when either answer does not vary.
  const sxx = coMoment(pairN, r.pair_care_squares, r.pair_care, r.pair_care);
  const syy = coMoment(pairN, r.pair_propensity_squares, r.pair_propensity, r.pair_propensity);
  const rho = pairN > 0 && sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, coMoment(pairN, r.pair_products, r.pair_care, r.pair_propensity) / Math.sqrt(sxx * syy))) : null;
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
