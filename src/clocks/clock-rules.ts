/** Pure clock arithmetic: due dates, warning times, and what an event does to a clock. */
import type { BusinessCalendar } from './calendar.js';
import type { ClockDefinition } from './policies.js';

export function dueDate(def: Pick<ClockDefinition, 'basis' | 'amount'>, calendar: BusinessCalendar, from: Date): Date {
  switch (def.basis) {
    case 'calendar_days': return calendar.addCalendarDays(from, def.amount);
    case 'business_days': return calendar.addBusinessDays(from, def.amount);
    case 'business_hours': return calendar.addBusinessMinutes(from, def.amount * 60);
  }
}

/** The warning instants: fractions of the allowed time, measured from the start. */
export function warningTimes(startedAt: Date, dueAt: Date, warnAt: number[]): Date[] {
  const span = dueAt.getTime() - startedAt.getTime();
  return [...warnAt].sort((a, b) => a - b).map((f) => new Date(startedAt.getTime() + f * span));
}

/** The next moment the sweep must look at a running clock: its next unfired warning, else its deadline. */
export function nextFireAt(startedAt: Date, dueAt: Date, warnAt: number[], warningsFired: number): Date {
  const pending = warningTimes(startedAt, dueAt, warnAt).slice(warningsFired);
  return pending[0] ?? dueAt;
}

export interface SweepOutcome {
  kind: 'breach' | 'warning' | 'none';
  /** How many warning thresholds have now passed (a late sweep fires one warning for several). */
  warningsFired: number;
}

/** What a sweep at `now` does to a running clock. */
export function sweepClock(c: { startedAt: Date; dueAt: Date; warnAt: number[]; warningsFired: number }, now: Date): SweepOutcome {
  if (now >= c.dueAt) return { kind: 'breach', warningsFired: c.warningsFired };
  const passed = warningTimes(c.startedAt, c.dueAt, c.warnAt).filter((t) => t <= now).length;
  if (passed > c.warningsFired) return { kind: 'warning', warningsFired: passed };
  return { kind: 'none', warningsFired: c.warningsFired };
}

/** A clock met at `at`: on time, or late (it stays breached, with the time it was met). */
export function settle(dueAt: Date, at: Date): 'met' | 'breached' {
  return at <= dueAt ? 'met' : 'breached';
}

/** After a pause, the deadline moves by the time that would have counted. */
export function extendAfterPause(def: Pick<ClockDefinition, 'basis'>, calendar: BusinessCalendar, dueAt: Date, pausedAt: Date, resumedAt: Date): Date {
  if (def.basis === 'calendar_days') return new Date(dueAt.getTime() + (resumedAt.getTime() - pausedAt.getTime()));
  const lost = calendar.businessMinutesBetween(pausedAt, resumedAt);
  return lost === 0 ? dueAt : calendar.addBusinessMinutes(dueAt, lost);
}
