import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregate, bandOf, capFor, computeStatus, dueReminderKeys, effectiveScore, nextReminderMoment, scaleProblems, shouldEscalate, toPercent, type StatusCell, type StatusUnit,
} from './conduct-rules.js';
import { defaultScale } from './presets.js';

const rules = { scale: defaultScale, threshold: 3 };
const units: StatusUnit[] = [
  { id: 'co', name: 'Company', kind: 'company', path: '/co/', parentId: null },
  { id: 'div', name: 'Retail', kind: 'division', path: '/co/div/', parentId: 'co' },
  { id: 'n', name: 'North', kind: 'region', path: '/co/div/n/', parentId: 'div' },
  { id: 's', name: 'South', kind: 'region', path: '/co/div/s/', parentId: 'div' },
];
let seq = 0;
const cell = (unitId: string, practice: string, score: number | null, extra: Partial<StatusCell> = {}): StatusCell => {
  const unit = units.find((u) => u.id === unitId)!;
  return {
    assessmentId: `a${++seq}`, unitId, unitName: unit.name, unitKind: unit.kind, unitPath: unit.path, practiceId: practice, practiceTitle: practice, practiceCode: practice,
    critical: false, outcomeKey: 'o', state: score === null ? 'not_started' : 'approved', selfScore: score, reviewerScore: null, ...extra,
  };
};

describe('scores', () => {
  it('the effective score is the reviewer\'s override, else the self-score, and only once submitted', () => {
    expect(effectiveScore({ state: 'approved', selfScore: 4, reviewerScore: 2 })).toBe(2);
    expect(effectiveScore({ state: 'submitted', selfScore: 4, reviewerScore: null })).toBe(4);
    expect(effectiveScore({ state: 'draft', selfScore: 4, reviewerScore: null })).toBeNull();
    expect(effectiveScore({ state: 'not_applicable', selfScore: null, reviewerScore: null })).toBeNull();
  });

  it('maps the scale to 0–100 and caps just below the pass line', () => {
    expect(toPercent(1, defaultScale)).toBe(0);
    expect(toPercent(5, defaultScale)).toBe(100);
    expect(capFor(defaultScale, 3)).toBe(49);
    expect(capFor({ min: 0, max: 10 }, 6)).toBe(59);
    expect(bandOf(49, defaultScale, 3)).toBe('red');
    expect(bandOf(50, defaultScale, 3)).toBe('amber');
    expect(bandOf(75, defaultScale, 3)).toBe('green');
  });

  it('checks a custom scale has one level per point and a threshold inside it', () => {
    expect(scaleProblems(defaultScale, 3)).toEqual([]);
    expect(scaleProblems({ min: 1, max: 3, levels: [{ score: 1, label: 'a', description: '' }] }, 2).map((p) => p.path)).toEqual(['scale.levels']);
    expect(scaleProblems(defaultScale, 1).map((p) => p.path)).toEqual(['threshold']);
  });
});

describe('the cap', () => {
  it('one critical cell at 1 among 5s caps the score below the pass line and names the cell', () => {
    const cells = [cell('n', 'complaints', 1, { critical: true }), cell('s', 'complaints', 5, { critical: true }), cell('n', 'disclosure', 5), cell('s', 'disclosure', 5)];
    const agg = aggregate(cells, rules);
    expect(agg).toMatchObject({ uncappedScore: 75, score: 49, capped: true, red: 1, scored: 4 });
    expect(agg.capReason).toBe('Critical practice "complaints" scored 1 (below 3) in North');
  });

  it('a non-critical red cell lowers the average but does not cap', () => {
    const agg = aggregate([cell('n', 'disclosure', 1), cell('s', 'disclosure', 5), cell('s', 'x', 5), cell('n', 'x', 5)], rules);
    expect(agg).toMatchObject({ score: 75, capped: false, capReason: null, red: 1 });
  });

  it('property: with a failing critical cell the score never exceeds the cap; without one it is the plain mean', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.boolean()), { minLength: 1, maxLength: 40 }), (spec) => {
      const cells = spec.map(([s, critical], i) => cell(i % 2 ? 'n' : 's', `p${i}`, s, { critical }));
      const agg = aggregate(cells, rules);
      const criticalFail = spec.some(([s, c]) => c && s < 3);
      const mean = spec.reduce((sum, [s]) => sum + toPercent(s, defaultScale), 0) / spec.length;
      if (criticalFail) expect(agg.score!).toBeLessThanOrEqual(49);
      else expect(agg.score).toBeCloseTo(Math.round(mean * 10) / 10, 5);
      expect(agg.capped).toBe(criticalFail);
    }));
  });
});

describe('status of a scope', () => {
  it('lists red cells critical first then lowest, names the weakest unit, drills into children, keeps review gaps', () => {
    const cells = [
      cell('s', 'disclosure', 1), cell('n', 'complaints', 2, { critical: true }), cell('n', 'disclosure', 5),
      cell('s', 'complaints', 4, { selfScore: 5, reviewerScore: 4 }), cell('s', 'pending', null),
    ];
    const status = computeStatus(cells, units[0], units, rules, [{ key: 'o', title: 'Outcome' }]);
    expect(status.redCells.map((r) => [r.unitName, r.practiceTitle])).toEqual([['North', 'complaints'], ['South', 'disclosure']]);
    expect(status.redCells[0].unitPath).toBe('Company › Retail › North');
    expect(status.weakestUnit?.name).toBe('South');
    expect(status.children).toEqual([expect.objectContaining({ id: 'div', capped: true, redCells: 2, cells: 5 })]);
    expect(status.cells).toMatchObject({ total: 5, scored: 4, red: 2, unassessed: 1 });
    expect(status.shareBelowThreshold).toBe(0.5);
    expect(status.gaps).toMatchObject({ count: 1, meanGap: 1 });
    const south = computeStatus(cells, units[3], units, rules, []);
    expect(south.capped).toBe(false);
    expect(south.redCells).toHaveLength(1);
  });
});

describe('reminders', () => {
  const plan = { offsetsDays: [7, 1, 0], repeatEveryDays: 3, escalateAfterDays: 3 };
  const deadline = new Date('2026-05-01T12:00:00Z');
  const at = (days: number) => new Date(deadline.getTime() + days * 86_400_000);

  it('are due at 7 and 1 days before, on the day, then every 3 days', () => {
    expect(dueReminderKeys(deadline, at(-8), plan)).toEqual([]);
    expect(dueReminderKeys(deadline, at(-7), plan)).toEqual(['d-7']);
    expect(dueReminderKeys(deadline, at(-0.5), plan)).toEqual(['d-7', 'd-1']);
    expect(dueReminderKeys(deadline, at(0), plan)).toEqual(['d-7', 'd-1', 'd0']);
    expect(dueReminderKeys(deadline, at(2.9), plan)).toEqual(['d-7', 'd-1', 'd0']);
    expect(dueReminderKeys(deadline, at(6.5), plan)).toEqual(['d-7', 'd-1', 'd0', 'o3', 'o6']);
  });

  it('the next moment is the next reminder or the escalation, never in the past', () => {
    expect(nextReminderMoment(deadline, at(-10), plan, false)).toEqual(at(-7));
    expect(nextReminderMoment(deadline, at(-0.5), plan, false)).toEqual(at(0));
    expect(nextReminderMoment(deadline, at(1), plan, false)).toEqual(at(3));
    expect(nextReminderMoment(deadline, at(3), plan, true)).toEqual(at(6));
    expect(nextReminderMoment(deadline, at(10), { ...plan, repeatEveryDays: 0 }, true)).toBeNull();
  });

  it('escalates once the action is overdue by the set time', () => {
    expect(shouldEscalate({ status: 'open', deadline, escalatedAt: null }, at(2.9), plan)).toBe(false);
    expect(shouldEscalate({ status: 'open', deadline, escalatedAt: null }, at(3), plan)).toBe(true);
    expect(shouldEscalate({ status: 'open', deadline, escalatedAt: at(3) }, at(4), plan)).toBe(false);
    expect(shouldEscalate({ status: 'done', deadline, escalatedAt: null }, at(4), plan)).toBe(false);
  });
});
