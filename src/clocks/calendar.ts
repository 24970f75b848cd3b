import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/**
 * A business calendar: the unit's timezone, working days and hours, public holidays of its
 * country or region (date-holidays, e.g. GB-ENG vs GB-SCT) and custom closure days.
 */
export interface CalendarSpec {
  timezone: string;
  /** ISO 3166 code with optional subdivision: GB-ENG, GB-SCT, GB-NIR, IE, US-NY … */
  country: string | null;
  /** ISO weekday numbers, Monday = 1. */
  workingDays: number[];
  /** Local opening and closing time, "HH:mm". */
  opens: string;
  closes: string;
  /** Extra closure days, YYYY-MM-DD. */
  closures: string[];
}

export const defaultCalendar = (timezone = 'Europe/London', country: string | null = 'GB-ENG'): CalendarSpec => ({
  timezone, country, workingDays: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00', closures: [],
});

const holidayCache = new Map<string, Set<string>>();

/** Public holidays ("public" and "bank" types) of one year, as local YYYY-MM-DD dates. */
function holidays(country: string | null, year: number): Set<string> {
  if (!country) return new Set();
  const key = `${country}|${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    const [c, region] = country.split('-');
    const h = region ? new Holidays(c, region) : new Holidays(c);
    days = new Set(
      (h.getHolidays(year) || []).filter((d) => d.type === 'public' || d.type === 'bank').map((d) => d.date.slice(0, 10)),
    );
    holidayCache.set(key, days);
  }
  return days;
}

export class BusinessCalendar {
  private readonly openMinutes: number;
  private readonly closeMinutes: number;

  constructor(readonly spec: CalendarSpec) {
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    this.openMinutes = minutes(spec.opens);
    this.closeMinutes = minutes(spec.closes);
  }

  private local(at: Date): DateTime {
    return DateTime.fromJSDate(at, { zone: this.spec.timezone });
  }

  isBusinessDay(day: DateTime): boolean {
    const iso = day.toISODate()!;
    return this.spec.workingDays.includes(day.weekday) && !this.spec.closures.includes(iso) && !holidays(this.spec.country, day.year).has(iso);
  }

  private opening(day: DateTime): DateTime {
    return day.startOf('day').plus({ minutes: this.openMinutes });
  }

  private closing(day: DateTime): DateTime {
    return day.startOf('day').plus({ minutes: this.closeMinutes });
  }

  private nextBusinessDay(day: DateTime): DateTime {
    let d = day.startOf('day').plus({ days: 1 });
    while (!this.isBusinessDay(d)) d = d.plus({ days: 1 });
    return d;
  }

  /**
   * The day a receipt counts from: the day itself when it arrives on a business day before
   * closing; otherwise the next business day (out-of-hours receipt rolls over).
   */
  receiptDay(receivedAt: Date): DateTime {
    const local = this.local(receivedAt);
    if (this.isBusinessDay(local) && local < this.closing(local)) return local.startOf('day');
    return this.nextBusinessDay(local);
  }

  /** Close of business on the n-th business day after the receipt day (n = 0: the receipt day itself). */
  addBusinessDays(receivedAt: Date, n: number): Date {
    let day = this.receiptDay(receivedAt);
    for (let i = 0; i < n; i++) day = this.nextBusinessDay(day);
    return this.closing(day).toJSDate();
  }

  /** The instant after `minutes` of working time from `from` (working time only runs inside opening hours). */
  addBusinessMinutes(from: Date, minutes: number): Date {
    let cursor = this.local(from);
    let remaining = minutes;
    for (let guard = 0; guard < 20_000; guard++) {
      if (!this.isBusinessDay(cursor) || cursor >= this.closing(cursor)) {
        cursor = this.opening(this.nextBusinessDay(cursor));
        continue;
      }
      if (cursor < this.opening(cursor)) cursor = this.opening(cursor);
      const available = this.closing(cursor).diff(cursor, 'minutes').minutes;
      if (remaining <= available) return cursor.plus({ minutes: remaining }).toJSDate();
      remaining -= available;
      cursor = this.opening(this.nextBusinessDay(cursor));
    }
    throw new Error('business time beyond 20,000 days');
  }

  /** Working minutes between two instants (for pauses on business-time clocks). */
  businessMinutesBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    let cursor = this.local(from);
    const end = this.local(to);
    let total = 0;
    for (let guard = 0; guard < 20_000 && cursor < end; guard++) {
      if (this.isBusinessDay(cursor)) {
        const start = cursor < this.opening(cursor) ? this.opening(cursor) : cursor;
        const stop = end < this.closing(cursor) ? end : this.closing(cursor);
        if (stop > start) total += stop.diff(start, 'minutes').minutes;
      }
      cursor = cursor.startOf('day').plus({ days: 1 });
    }
    return total;
  }

  /** n calendar days later at the same local wall-clock time (daylight-saving safe). */
  addCalendarDays(from: Date, days: number): Date {
    return this.local(from).plus({ days }).toJSDate();
  }
}
