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

/**
 * Deadlines repeat for every case received in the same minute (intake runs at hundreds a second),
 * and every boundary the arithmetic depends on (opening, closing, midnight, a daylight-saving
 * change) falls on a whole minute. So for all instants strictly inside one minute, a business-day
 * deadline is the same instant, and a calendar-day or business-hour deadline is the same distance
 * away; the instant exactly on the minute is its own case (it may sit on a boundary). Results are
 * kept per calendar and minute; the cache is dropped whole when it grows large.
 */
const deadlineCache = new Map<string, { fixed: boolean; ms: number }>();
const DEADLINE_CACHE_LIMIT = 50_000;

function minuteKey(at: Date): string {
  const ms = at.getTime();
  return ms % 60_000 === 0 ? `${ms}` : `${Math.floor(ms / 60_000)}~`;
}

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;
/** UTC offsets (minutes) per timezone and quarter hour of UTC time. */
const offsetCache = new Map<string, number>();

/**
 * A timezone's UTC offset at an instant, in minutes. Offsets change on whole quarter hours of UTC
 * time, so one is kept per quarter hour — unless it differs between the quarter's first and last
 * millisecond, when the instant is asked for itself.
 */
function offsetAt(timezone: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_MS);
  const key = `${timezone}|${quarter}`;
  const found = offsetCache.get(key);
  if (found !== undefined) return found;
  const first = DateTime.fromMillis(quarter * QUARTER_MS, { zone: timezone }).offset;
  if (DateTime.fromMillis((quarter + 1) * QUARTER_MS - 1, { zone: timezone }).offset !== first) return DateTime.fromMillis(ms, { zone: timezone }).offset;
  if (offsetCache.size >= DEADLINE_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(key, first);
  return first;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
const epochDay = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const isoOfEpochDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday (Monday = 1) of a day since 1970-01-01, a Thursday. */
const weekdayOf = (day: number) => ((day + 3) % 7) + 1;

const atMinuteOfDay = (day: DateTime, minutes: number) => day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });

export class BusinessCalendar {
  private readonly openMinutes: number;
  private readonly closeMinutes: number;
  private readonly cacheKey: string;

  constructor(readonly spec: CalendarSpec) {
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    this.openMinutes = minutes(spec.opens);
    this.closeMinutes = minutes(spec.closes);
    this.cacheKey = JSON.stringify([spec.timezone, spec.country, spec.workingDays, spec.opens, spec.closes, spec.closures]);
  }

  /**
   * `compute` memoised per calendar, method and minute of `from`. A result is either a fixed instant
   * (the same for every `from` in the minute) or a fixed distance from `from`; `compute` says which.
   */
  private memo(method: string, amount: number, from: Date, compute: () => { at: Date; fixed: boolean }): Date {
    const key = `${this.cacheKey}|${method}|${amount}|${minuteKey(from)}`;
    const found = deadlineCache.get(key);
    if (found) return new Date(found.fixed ? found.ms : from.getTime() + found.ms);
    const { at, fixed } = compute();
    if (deadlineCache.size >= DEADLINE_CACHE_LIMIT) deadlineCache.clear();
    deadlineCache.set(key, { fixed, ms: fixed ? at.getTime() : at.getTime() - from.getTime() });
    return at;
  }

  private local(at: Date): DateTime {
    return DateTime.fromJSDate(at, { zone: this.spec.timezone });
  }

  isBusinessDay(day: DateTime): boolean {
    return this.isOpenOn(day.weekday, day.toISODate()!);
  }

  /** The one rule: a working weekday that is neither a closure nor a public holiday. */
  private isOpenOn(weekday: number, iso: string): boolean {
    return this.spec.workingDays.includes(weekday) && !this.spec.closures.includes(iso) && !holidays(this.spec.country, Number(iso.slice(0, 4))).has(iso);
  }

  /** Opening time on the local day (wall-clock time: on the day the clocks change, too). */
  private opening(day: DateTime): DateTime {
    return atMinuteOfDay(day, this.openMinutes);
  }

  /** Closing time on the local day (wall-clock time). */
  private closing(day: DateTime): DateTime {
    return atMinuteOfDay(day, this.closeMinutes);
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

  /**
   * The business days from the receipt day of `from` to that of `to`: the smallest n such that `to`
   * falls by close of business on the n-th business day after the day `from` counts from (0 when
   * not later), at most `limit`. Out-of-hours instants roll to the next business day, as the
   * clocks do. Both receipt days are business days, so this is the number of business days after
   * the first up to and including the second: counted by whole weeks, less the holidays and
   * closures among them — no day-by-day walk, which a report's million facts would feel.
   */
  businessDaysBetween(from: Date, to: Date, limit = 5_000): number {
    const start = this.receiptEpochDay(from);
    const end = this.receiptEpochDay(to);
    if (end <= start) return 0;
    const working = (day: number) => this.spec.workingDays.includes(weekdayOf(day));
    const weeks = Math.floor((end - start) / 7);
    let count = weeks * this.spec.workingDays.length;
    for (let day = start + weeks * 7 + 1; day <= end; day++) if (working(day)) count++;
    const closed = new Set<number>();
    const years = [new Date(start * DAY_MS).getUTCFullYear(), new Date(end * DAY_MS).getUTCFullYear()];
    for (let year = years[0]; year <= years[1]; year++) for (const iso of holidays(this.spec.country, year)) closed.add(epochDay(iso));
    for (const iso of this.spec.closures) closed.add(epochDay(iso));
    for (const day of closed) if (day > start && day <= end && working(day)) count--;
    return Math.min(count, limit);
  }

  /**
   * The receipt day of an instant as days since 1970-01-01 (see receiptDay), in integer arithmetic
   * on the local wall-clock time: turnaround asks it twice for every fact.
   */
  private receiptEpochDay(at: Date): number {
    const local = this.localMs(at);
    let day = Math.floor(local / DAY_MS);
    if (this.isBusinessEpochDay(day) && (local - day * DAY_MS) / 60_000 < this.closeMinutes) return day;
    do day++; while (!this.isBusinessEpochDay(day));
    return day;
  }

  /** The local date of an instant, YYYY-MM-DD. */
  localDate(at: Date): string {
    return isoOfEpochDay(Math.floor(this.localMs(at) / DAY_MS));
  }

  /** The local wall-clock time of an instant, as milliseconds since 1970 on a UTC clock. */
  private localMs(at: Date): number {
    return at.getTime() + offsetAt(this.spec.timezone, at.getTime()) * 60_000;
  }

  private isBusinessEpochDay(day: number): boolean {
    // The weekday first: most days are decided without making their date's text.
    return this.spec.workingDays.includes(weekdayOf(day)) && this.isOpenOn(weekdayOf(day), isoOfEpochDay(day));
  }

  /** Close of business on the n-th business day after the receipt day (n = 0: the receipt day itself). */
  addBusinessDays(receivedAt: Date, n: number): Date {
    return this.memo('businessDays', n, receivedAt, () => ({ at: this.computeBusinessDays(receivedAt, n), fixed: true }));
  }

  private computeBusinessDays(receivedAt: Date, n: number): Date {
    let day = this.receiptDay(receivedAt);
    for (let i = 0; i < n; i++) day = this.nextBusinessDay(day);
    return this.closing(day).toJSDate();
  }

  /** The instant after `minutes` of working time from `from` (working time only runs inside opening hours). */
  addBusinessMinutes(from: Date, minutes: number): Date {
    // Started out of hours, working time starts at the next opening whatever the instant: a fixed deadline.
    return this.memo('businessMinutes', minutes, from, () => ({ at: this.computeBusinessMinutes(from, minutes), fixed: !this.isWorkingTime(this.local(from)) }));
  }

  private isWorkingTime(at: DateTime): boolean {
    return this.isBusinessDay(at) && at >= this.opening(at) && at < this.closing(at);
  }

  private computeBusinessMinutes(from: Date, minutes: number): Date {
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
    return this.memo('calendarDays', days, from, () => ({ at: this.local(from).plus({ days }).toJSDate(), fixed: false }));
  }
}
