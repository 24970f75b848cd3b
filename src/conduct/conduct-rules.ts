/**
 * Pure conduct rules: scales, effective scores, the status score with its cap, reminder moments.
 * No I/O; unit-tested in conduct-rules.test.ts.
 */
import type { assessmentStates } from '../db/schema/index.js';

export type AssessmentState = (typeof assessmentStates)[number];

export interface Outcome { key: string; title: string; description?: string }
export interface ScaleLevel { score: number; label: string; description: string }
export interface Scale { min: number; max: number; levels: ScaleLevel[] }

/** A scale is usable when it has at least two points and one defined level per point. */
export function scaleProblems(scale: Scale, threshold: number): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (scale.max <= scale.min) problems.push({ path: 'scale.max', message: 'must be above min' });
  const expected = Array.from({ length: Math.max(scale.max - scale.min + 1, 0) }, (_, i) => scale.min + i);
  const given = scale.levels.map((l) => l.score).sort((a, b) => a - b);
  if (expected.join() !== given.join()) problems.push({ path: 'scale.levels', message: `define exactly one level for each score ${scale.min}–${scale.max}` });
  if (threshold <= scale.min || threshold > scale.max) problems.push({ path: 'threshold', message: `must be above ${scale.min} and at most ${scale.max}` });
  return problems;
}

export function isOnScale(scale: Pick<Scale, 'min' | 'max'>, score: number): boolean {
  return Number.isInteger(score) && score >= scale.min && score <= scale.max;
}

/** States whose score counts: the self-assessment is in (provisional until approved). */
const scoredStates: ReadonlySet<AssessmentState> = new Set(['submitted', 'returned', 'approved']);

/** The reviewer's score when they overrode it, else the unit's own; none until submitted. */
export function effectiveScore(cell: { state: AssessmentState; selfScore: number | null; reviewerScore: number | null }): number | null {
  if (!scoredStates.has(cell.state)) return null;
  return cell.reviewerScore ?? cell.selfScore;
}

export function isRed(score: number | null, threshold: number): boolean {
  return score !== null && score < threshold;
}

/** A score on the framework's scale mapped to 0–100, so frameworks with different scales compare. */
export function toPercent(score: number, scale: Pick<Scale, 'min' | 'max'>): number {
  return ((score - scale.min) / (scale.max - scale.min)) * 100;
}

/**
 * The cap: when a critical practice fails anywhere in scope, the score can be no higher than just
 * below the pass line (the threshold on the 0–100 scale, minus one point), so it shows red.
 */
export function capFor(scale: Pick<Scale, 'min' | 'max'>, threshold: number): number {
  return Math.max(Math.round(toPercent(threshold, scale)) - 1, 0);
}

export type Band = 'green' | 'amber' | 'red';
export function bandOf(score: number | null, scale: Pick<Scale, 'min' | 'max'>, threshold: number): Band | null {
  if (score === null) return null;
  if (score >= 75) return 'green';
  return score >= toPercent(threshold, scale) ? 'amber' : 'red';
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface StatusCell {
  assessmentId: string;
  unitId: string;
  unitName: string;
  unitKind: string;
  /** Materialised path of the cell's unit ("/company/division/region/"). */
  unitPath: string;
  practiceId: string;
  practiceTitle: string;
  practiceCode: string;
  critical: boolean;
  outcomeKey: string;
  state: AssessmentState;
  selfScore: number | null;
  reviewerScore: number | null;
}

export interface StatusUnit { id: string; name: string; kind: string; path: string; parentId: string | null }

export interface Aggregate {
  score: number | null;
  uncappedScore: number | null;
  capped: boolean;
  capReason: string | null;
  scaleScore: number | null;
  scored: number;
  red: number;
}

export interface StatusRules { scale: Pick<Scale, 'min' | 'max'>; threshold: number }

/** Red cells first by criticality, then by how low, then by unit name: the worst pocket leads. */
export function compareRed(a: { critical: boolean; score: number; unitName: string; practiceTitle: string }, b: typeof a): number {
  return Number(b.critical) - Number(a.critical) || a.score - b.score || a.unitName.localeCompare(b.unitName) || a.practiceTitle.localeCompare(b.practiceTitle);
}

/** The score of a set of cells, capped when any critical cell is red (the documented rule). */
export function aggregate(cells: StatusCell[], rules: StatusRules): Aggregate {
  const scored = cells.map((c) => ({ c, s: effectiveScore(c) })).filter((x): x is { c: StatusCell; s: number } => x.s !== null);
  if (scored.length === 0) return { score: null, uncappedScore: null, capped: false, capReason: null, scaleScore: null, scored: 0, red: 0 };
  const uncapped = scored.reduce((sum, x) => sum + toPercent(x.s, rules.scale), 0) / scored.length;
  const red = scored.filter((x) => isRed(x.s, rules.threshold));
  const criticalFails = red.filter((x) => x.c.critical)
    .sort((a, b) => compareRed({ ...a.c, score: a.s }, { ...b.c, score: b.s }));
  const cap = capFor(rules.scale, rules.threshold);
  const worst = criticalFails[0];
  const capReason = criticalFails.length === 0 ? null
    : `Critical practice "${worst.c.practiceTitle}" scored ${worst.s} (below ${rules.threshold}) in ${worst.c.unitName}`
      + (criticalFails.length > 1 ? ` and ${criticalFails.length - 1} more critical cell${criticalFails.length > 2 ? 's' : ''}` : '');
  return {
    score: round1(criticalFails.length > 0 ? Math.min(uncapped, cap) : uncapped),
    uncappedScore: round1(uncapped),
    capped: criticalFails.length > 0,
    capReason,
    scaleScore: round1(scored.reduce((sum, x) => sum + x.s, 0) / scored.length),
    scored: scored.length,
    red: red.length,
  };
}

export interface RedCell {
  assessmentId: string; unitId: string; unitName: string; unitPath: string; practiceId: string; practiceTitle: string; practiceCode: string;
  critical: boolean; outcomeKey: string; score: number; selfScore: number | null; reviewerScore: number | null; state: AssessmentState;
}

/** The whole status of a scope (a unit and its subtree): score, distribution, red cells, children, weakest unit, gaps. */
export function computeStatus(cells: StatusCell[], scopeUnit: StatusUnit, units: StatusUnit[], rules: StatusRules, outcomes: Outcome[]) {
  const inScope = cells.filter((c) => c.unitPath.startsWith(scopeUnit.path));
  const whole = aggregate(inScope, rules);
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  const pathLabel = (path: string) => path.split('/').filter(Boolean).map((id) => unitNames.get(id) ?? '?').join(' › ');
  const redCells: RedCell[] = inScope.map((c) => ({ c, s: effectiveScore(c) })).filter((x): x is { c: StatusCell; s: number } => isRed(x.s, rules.threshold))
    .map(({ c, s }) => ({
      assessmentId: c.assessmentId, unitId: c.unitId, unitName: c.unitName, unitPath: pathLabel(c.unitPath), practiceId: c.practiceId,
      practiceTitle: c.practiceTitle, practiceCode: c.practiceCode, critical: c.critical, outcomeKey: c.outcomeKey, score: s,
      selfScore: c.selfScore, reviewerScore: c.reviewerScore, state: c.state,
    }))
    .sort(compareRed);
  const distribution = new Map<number, number>();
  for (const c of inScope) {
    const s = effectiveScore(c);
    if (s !== null) distribution.set(s, (distribution.get(s) ?? 0) + 1);
  }
  const byUnit = new Map<string, StatusCell[]>();
  for (const c of inScope) byUnit.set(c.unitId, [...(byUnit.get(c.unitId) ?? []), c]);
  const unitScores = [...byUnit.entries()].map(([unitId, list]) => ({ unit: units.find((u) => u.id === unitId)!, agg: aggregate(list, rules) }))
    .filter((x) => x.unit && x.agg.uncappedScore !== null);
  unitScores.sort((a, b) => a.agg.uncappedScore! - b.agg.uncappedScore! || b.agg.red - a.agg.red || a.unit.name.localeCompare(b.unit.name));
  const weakest = unitScores[0];
  const children = units.filter((u) => u.parentId === scopeUnit.id).map((u) => {
    const list = inScope.filter((c) => c.unitPath.startsWith(u.path));
    const agg = aggregate(list, rules);
    return { id: u.id, name: u.name, kind: u.kind, score: agg.score, capped: agg.capped, redCells: agg.red, cells: list.length };
  }).filter((c) => c.cells > 0).sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || a.name.localeCompare(b.name));
  const gaps = inScope.filter((c) => c.state === 'approved' && c.reviewerScore !== null && c.selfScore !== null && c.reviewerScore !== c.selfScore)
    .map((c) => ({ assessmentId: c.assessmentId, unitName: c.unitName, practiceTitle: c.practiceTitle, selfScore: c.selfScore!, reviewerScore: c.reviewerScore!, gap: c.selfScore! - c.reviewerScore! }))
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap));
  return {
    ...whole,
    band: bandOf(whole.score, rules.scale, rules.threshold),
    threshold: rules.threshold,
    cells: {
      total: inScope.length,
      scored: whole.scored,
      red: whole.red,
      unassessed: inScope.filter((c) => c.state === 'not_started' || c.state === 'draft').length,
      notApplicable: inScope.filter((c) => c.state === 'not_applicable').length,
      provisional: inScope.filter((c) => c.state === 'submitted' || c.state === 'returned').length,
    },
    shareBelowThreshold: whole.scored === 0 ? 0 : Math.round((whole.red / whole.scored) * 1000) / 1000,
    weakestUnit: weakest ? { id: weakest.unit.id, name: weakest.unit.name, kind: weakest.unit.kind, score: weakest.agg.uncappedScore!, redCells: weakest.agg.red } : null,
    distribution: [...distribution.entries()].sort((a, b) => a[0] - b[0]).map(([score, n]) => ({ score, cells: n })),
    redCells,
    children,
    outcomes: outcomes.map((o) => {
      const agg = aggregate(inScope.filter((c) => c.outcomeKey === o.key), rules);
      return { key: o.key, title: o.title, score: agg.score, capped: agg.capped, redCells: agg.red };
    }),
    gaps: {
      count: gaps.length,
      meanGap: gaps.length === 0 ? 0 : round1(gaps.reduce((s, g) => s + g.gap, 0) / gaps.length),
      largest: gaps.slice(0, 10),
    },
  };
}

export interface ReminderPlan { offsetsDays: number[]; repeatEveryDays: number; escalateAfterDays: number }

const DAY = 86_400_000;

/**
 * The reminder keys due for an open action at `now`: one per configured offset before the
 * deadline whose moment has passed ("d-7", "d-1", "d0"), then one every `repeatEveryDays` after
 * it ("o3", "o6", …). Only the latest due key is sent, so a process that was down does not
 * send a burst of stale reminders; earlier keys are recorded as passed.
 */
export function dueReminderKeys(deadline: Date, now: Date, plan: ReminderPlan): string[] {
  const keys: string[] = [];
  for (const days of [...plan.offsetsDays].sort((a, b) => b - a)) {
    if (now.getTime() >= deadline.getTime() - days * DAY) keys.push(`d-${days}`.replace('d-0', 'd0'));
  }
  if (plan.repeatEveryDays > 0 && now.getTime() > deadline.getTime()) {
    const overdueDays = Math.floor((now.getTime() - deadline.getTime()) / DAY);
    for (let d = plan.repeatEveryDays; d <= overdueDays; d += plan.repeatEveryDays) keys.push(`o${d}`);
  }
  return keys;
}

export function isOverdue(action: { status: string; deadline: Date }, now: Date): boolean {
  return action.status === 'open' && action.deadline.getTime() < now.getTime();
}

export function shouldEscalate(action: { status: string; deadline: Date; escalatedAt: Date | null }, now: Date, plan: ReminderPlan): boolean {
  return action.status === 'open' && action.escalatedAt === null && now.getTime() >= action.deadline.getTime() + plan.escalateAfterDays * DAY;
}

/** The next moment the sweep has work for an open action: a reminder not yet due, or the escalation. Null: nothing more to do. */
export function nextReminderMoment(deadline: Date, now: Date, plan: ReminderPlan, escalated: boolean): Date | null {
  const candidates: number[] = [];
  for (const days of plan.offsetsDays) candidates.push(deadline.getTime() - days * DAY);
  if (plan.repeatEveryDays > 0) {
    const overdueDays = Math.max(Math.floor((now.getTime() - deadline.getTime()) / DAY), 0);
    candidates.push(deadline.getTime() + (Math.floor(overdueDays / plan.repeatEveryDays) + 1) * plan.repeatEveryDays * DAY);
  }
  const future = candidates.filter((t) => t > now.getTime());
  if (!escalated) future.push(Math.max(deadline.getTime() + plan.escalateAfterDays * DAY, now.getTime() + 1));
  return future.length === 0 ? null : new Date(Math.min(...future));
}
