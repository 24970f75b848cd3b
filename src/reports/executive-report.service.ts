import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { findCommentary } from './commentary.service.js';
import { complaintAnalytics, runAll } from './complaint-analytics.service.js';
import { conductSection } from './conduct-section.js';
import { resolveScope, type PeriodQuery } from './report-scope.js';
import { surveySections } from './survey-section.js';

export type IndicatorFormat = 'count' | 'percent' | 'days' | 'score' | 'nps' | 'hours';

export interface Indicator {
  key: string;
  label: string;
  value: number | null;
  previous: number | null;
  format: IndicatorFormat;
  /** Which direction is good news. */
  better: 'up' | 'down';
  /** 95 % margin of error, where the figure is a sample estimate. */
  margin?: number | null;
  /** The case list behind the figure (a staff-app path), where there is one. */
  link?: string | null;
  note?: string | null;
}


/**
 * The executive trust report: headline indicators with the previous period beside them, the
 * complaint picture, escalations and lessons, conduct status, care and NPS with their margins,
 * and the commentary written for this period and unit.
 */
export async function executiveReport(ctx: AppContext, actor: Actor, query: PeriodQuery) {
  const scope = await resolveScope(ctx, actor, query);
  const now = ctx.clock.now();
  const parallel = ctx.database.kind === 'postgres';
  const [complaints, surveyPeriods, conduct, commentary] = await runAll(parallel, [
    () => complaintAnalytics(ctx.db, scope, now, parallel),
    () => surveySections(ctx.db, scope),
    () => conductSection(ctx, actor, scope.unitId),
    () => findCommentary(ctx.db, scope),
  ] as const);
  const { current: surveys, previous: surveysBefore } = surveyPeriods;
  const cur = complaints.current;
  const prev = complaints.previous;
  const indicators: Indicator[] = [
    { key: 'received', label: 'Complaints received', value: cur.received, previous: prev.received, format: 'count', better: 'down', link: complaints.links.received },
    { key: 'resolved', label: 'Complaints resolved', value: cur.resolved, previous: prev.resolved, format: 'count', better: 'up', link: complaints.links.resolved },
    { key: 'open', label: 'Open now', value: complaints.ageing.open, previous: null, format: 'count', better: 'down', link: complaints.ageing.link },
    { key: 'clockCompliance', label: 'Clock compliance', value: cur.clockCompliance, previous: prev.clockCompliance, format: 'percent', better: 'up', link: complaints.links.breached, note: 'clocks of complaints received in the period not breached' },
    { key: 'within8Weeks', label: 'Resolved within 8 weeks', value: cur.shareWithin8Weeks, previous: prev.shareWithin8Weeks, format: 'percent', better: 'up', link: complaints.links.resolved },
    { key: 'medianBusinessDays', label: 'Median turnaround (business days)', value: cur.businessDays.median, previous: prev.businessDays.median, format: 'days', better: 'down', link: complaints.links.resolved },
    { key: 'upheldRate', label: 'Upheld rate', value: cur.upheldRate, previous: prev.upheldRate, format: 'percent', better: 'down', link: complaints.links.upheld, note: 'partly upheld counts as upheld' },
    { key: 'escalations', label: 'Escalations raised', value: complaints.escalations.raised, previous: null, format: 'count', better: 'down', link: complaints.escalations.link },
    { key: 'lessonsClosed', label: 'Lessons closed', value: complaints.escalations.lessonsClosed, previous: null, format: 'count', better: 'up', link: complaints.escalations.lessonsLink },
    { key: 'conduct', label: 'Conduct status score', value: conduct?.score ?? null, previous: null, format: 'score', better: 'up', note: conduct ? conduct.cycleName : 'no conduct cycle yet' },
    { key: 'care', label: 'Care score (0–10)', value: surveys.care.mean, previous: surveysBefore.care.mean, format: 'score', better: 'up', margin: surveys.care.marginOfError95, note: `n = ${surveys.care.n}` },
    { key: 'nps', label: 'NPS', value: surveys.nps.nps, previous: surveysBefore.nps.nps, format: 'nps', better: 'up', margin: surveys.nps.marginOfError95, note: `n = ${surveys.nps.n}` },
    { key: 'overdueActions', label: 'Overdue improvement actions', value: conduct?.overdueActions ?? null, previous: null, format: 'count', better: 'down', note: conduct ? null : 'no conduct cycle yet' },
  ];
  return {
    period: { from: scope.from, to: scope.to, previousFrom: scope.previousFrom, previousTo: scope.previousTo },
    unit: scope.unitId ? { id: scope.unitId, name: scope.unitName! } : null,
    generatedAt: now.toISOString(),
    indicators,
    complaints,
    surveys,
    conduct,
    commentary,
  };
}
export type ExecutiveReport = Awaited<ReturnType<typeof executiveReport>>;
