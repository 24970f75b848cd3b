import { describe, expect, it } from 'vitest';
import { BusinessCalendar, defaultCalendar } from './calendar.js';
import { dueDate, extendAfterPause, nextFireAt, settle, sweepClock } from './clock-rules.js';
import { presetPolicies } from './policies.js';

const cal = new BusinessCalendar(defaultCalendar('Europe/London', 'GB-ENG'));
const disp = presetPolicies.find((p) => p.key === 'fca-disp')!;

describe('clock rules', () => {
  it('computes the fca-disp deadlines for a Friday-evening receipt before a bank holiday', () => {
    const received = new Date('2026-05-01T18:30:00Z'); // Friday 19:30 BST; Monday 4 May is a bank holiday
    const dues = Object.fromEntries(disp.clocks.map((c) => [c.name, dueDate(c, cal, received).toISOString()]));
    expect(dues).toEqual({
      acknowledge: '2026-05-06T16:00:00.000Z', // close of Wednesday: one business day after Tuesday's receipt day
      summary_resolution: '2026-05-08T16:00:00.000Z', // close of the third business day after the receipt day
      final_response: '2026-06-26T18:30:00.000Z', // eight calendar weeks
    });
  });

  it('fires warnings at their fractions and breaches at the deadline', () => {
    const clock = { startedAt: new Date('2026-01-01T00:00:00Z'), dueAt: new Date('2026-01-11T00:00:00Z'), warnAt: [0.5, 0.8], warningsFired: 0 };
    expect(nextFireAt(clock.startedAt, clock.dueAt, clock.warnAt, 0).toISOString()).toBe('2026-01-06T00:00:00.000Z');
    expect(sweepClock(clock, new Date('2026-01-05T00:00:00Z')).kind).toBe('none');
    expect(sweepClock(clock, new Date('2026-01-06T00:00:00Z'))).toEqual({ kind: 'warning', warningsFired: 1 });
    // A sweep that was late (server down) fires one warning for both thresholds.
    expect(sweepClock(clock, new Date('2026-01-10T00:00:00Z'))).toEqual({ kind: 'warning', warningsFired: 2 });
    expect(sweepClock({ ...clock, warningsFired: 2 }, new Date('2026-01-11T00:00:00Z')).kind).toBe('breach');
  });

  it('a clock met after its deadline stays breached', () => {
    expect(settle(new Date('2026-01-11T00:00:00Z'), new Date('2026-01-10T23:59:00Z'))).toBe('met');
    expect(settle(new Date('2026-01-11T00:00:00Z'), new Date('2026-01-11T00:01:00Z'))).toBe('breached');
  });

  it('a pause moves the deadline by the business time it covered', () => {
    // Paused Thursday 15:00 to Monday 10:00: two hours on Thursday, eight on Friday, one on Monday = 11 working hours.
    const due = new Date('2026-03-10T17:00:00Z');
    const moved = extendAfterPause({ basis: 'business_days' }, cal, due, new Date('2026-03-05T15:00:00Z'), new Date('2026-03-09T10:00:00Z'));
    expect(moved.toISOString()).toBe('2026-03-12T12:00:00.000Z');
  });
});
