import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { reportCaseFacts, reportDaily, units } from '../db/schema/index.js';
import { judgeRise } from './emerging-issues.js';
import { casesLink, inScope, resolveScope, type PeriodQuery } from './report-scope.js';
import { NONE, rowsOf } from './rollup.service.js';

const BASELINE_WEEKS = 8;
const THEME_RECENT_WEEKS = 4;
const THEME_BASELINE_WEEKS = 12;

export interface EmergingIssue {
  key: string;
  kind: 'volume' | 'theme';
  dimension: 'unit' | 'product' | 'category' | 'theme';
  value: string;
  label: string;
  current: number;
  /** Expected count for the window from the series' own baseline. */
  expected: number;
  limit: number;
  isNew: boolean;
  window: { from: string; to: string };
  method: string;
  link: string;
  /** What an improvement action needs (POST /api/v1/actions). */
  action: { title: string; description: string; unitId: string | null; suggestedPractice: string };
}

/** DISP 1.3.3R asks firms to find and fix the root causes of recurring complaints. */
const ROOT_CAUSE_PRACTICE = 'Complaint root-cause analysis (DISP 1.3.3R)';

/**
 * Unusual rises (weekly complaints of a unit, product or category above the Poisson upper
 * control limit of its own trailing 8-week rate) and new or rising themes in the complaint text
 * (key phrases of the last 4 weeks against the 12 before). The last complete week before `to`
 * (default today) is the one judged.
 */
export async function emergingIssues(ctx: AppContext, actor: Actor, query: PeriodQuery): Promise<{ asOf: string; items: EmergingIssue[] }> {
  const scope = await resolveScope(ctx, actor, query);
  const end = DateTime.fromISO(scope.to, { zone: 'utc' });
  // The judged week: the last Monday-to-Sunday week that ended on or before `to`.
  const weekEnd = end.weekday === 7 ? end : end.startOf('week').minus({ days: 1 });
  const weekStart = weekEnd.minus({ days: 6 });
  const baseStart = weekStart.minus({ weeks: BASELINE_WEEKS });
  const iso = (d: DateTime) => d.toISODate()!;
  const items: EmergingIssue[] = [];
  const names = new Map(rowsOf<{ id: string; name: string }>(await ctx.db.execute(sql`SELECT id::text, name FROM ${units} WHERE organisation_id = ${scope.organisationId}`)).map((u) => [u.id, u.name]));

  const weekly = rowsOf<{ dimension: string; value: string; current: number; base: number }>(await ctx.db.execute(sql`
    SELECT CASE WHEN dimension = 'all' THEN 'unit' ELSE dimension END AS dimension,
      CASE WHEN dimension = 'all' THEN unit_id::text ELSE value END AS value,
      coalesce(sum(received) FILTER (WHERE day >= ${iso(weekStart)}::date), 0)::int AS current,
      coalesce(sum(received) FILTER (WHERE day < ${iso(weekStart)}::date), 0)::int AS base
    FROM ${reportDaily}
    WHERE organisation_id = ${scope.organisationId} AND dimension IN ('all', 'product', 'category')
      AND day BETWEEN ${iso(baseStart)}::date AND ${iso(weekEnd)}::date AND ${inScope(scope, reportDaily.unitId)}
    GROUP BY 1, 2`));
  for (const r of weekly) {
    if (r.value === NONE) continue;
    const expected = Number(r.base) / BASELINE_WEEKS;
    const verdict = judgeRise(Number(r.current), expected);
    if (!verdict.alert) continue;
    const dimension = r.dimension as 'unit' | 'product' | 'category';
    const label = dimension === 'unit' ? names.get(r.value) ?? r.value : r.value;
    const window = { from: iso(weekStart), to: iso(weekEnd) };
    const filter = dimension === 'unit' ? { unitId: r.value } : { [dimension]: r.value, unitId: scope.unitId };
    items.push({
      key: `volume:${dimension}:${r.value}:${window.from}`, kind: 'volume', dimension, value: r.value, label,
      current: Number(r.current), expected, limit: verdict.limit, isNew: verdict.isNew, window,
      method: `weekly count above the Poisson 99.9% limit (${verdict.limit}) of its own ${BASELINE_WEEKS}-week mean (${expected.toFixed(1)})`,
      link: casesLink({ ...filter, receivedFrom: window.from, receivedTo: window.to }),
      action: {
        title: `Rise in complaints: ${dimension} "${label}"`,
        description: `${r.current} complaints in the week ${window.from} to ${window.to} against ${expected.toFixed(1)} a week in the ${BASELINE_WEEKS} weeks before (limit ${verdict.limit}). Find the root cause and fix it.`,
        unitId: dimension === 'unit' ? r.value : scope.unitId, suggestedPractice: ROOT_CAUSE_PRACTICE,
      },
    });
  }

  const recentStart = weekEnd.minus({ weeks: THEME_RECENT_WEEKS }).plus({ days: 1 });
  const themeBaseStart = recentStart.minus({ weeks: THEME_BASELINE_WEEKS });
  const themes = rowsOf<{ phrase: string; current: number; base: number }>(await ctx.db.execute(sql`
    SELECT phrase, count(*) FILTER (WHERE received_day >= ${iso(recentStart)}::date)::int AS current,
      count(*) FILTER (WHERE received_day < ${iso(recentStart)}::date)::int AS base
    FROM ${reportCaseFacts}, unnest(phrases) AS phrase
    WHERE organisation_id = ${scope.organisationId} AND kind = 'complaint'
      AND received_day BETWEEN ${iso(themeBaseStart)}::date AND ${iso(weekEnd)}::date AND ${inScope(scope, reportCaseFacts.unitId)}
    GROUP BY phrase HAVING count(*) FILTER (WHERE received_day >= ${iso(recentStart)}::date) >= 4`));
  for (const t of themes) {
    const expected = (Number(t.base) * THEME_RECENT_WEEKS) / THEME_BASELINE_WEEKS;
    const verdict = judgeRise(Number(t.current), expected, 4);
    if (!verdict.alert) continue;
    const window = { from: iso(recentStart), to: iso(weekEnd) };
    items.push({
      key: `theme:${t.phrase}:${window.from}`, kind: 'theme', dimension: 'theme', value: t.phrase, label: t.phrase,
      current: Number(t.current), expected, limit: verdict.limit, isNew: verdict.isNew, window,
      method: verdict.isNew
        ? `a theme absent from the ${THEME_BASELINE_WEEKS} weeks before, now in ${t.current} complaints`
        : `${THEME_RECENT_WEEKS}-week count above the Poisson 99.9% limit (${verdict.limit}) of its ${THEME_BASELINE_WEEKS}-week baseline (${expected.toFixed(1)} expected)`,
      link: casesLink({ q: t.phrase, unitId: scope.unitId, receivedFrom: window.from, receivedTo: window.to }),
      action: {
        title: `${verdict.isNew ? 'New' : 'Rising'} complaint theme: "${t.phrase}"`,
        description: `"${t.phrase}" appears in ${t.current} complaints from ${window.from} to ${window.to} (${expected.toFixed(1)} expected from the ${THEME_BASELINE_WEEKS} weeks before). Read the cases, find the root cause and fix it.`,
        unitId: scope.unitId, suggestedPractice: ROOT_CAUSE_PRACTICE,
      },
    });
  }
  items.sort((a, b) => b.current / Math.max(b.limit, 1) - a.current / Math.max(a.limit, 1));
  return { asOf: iso(weekEnd), items };
}
