import type { BusinessCalendar } from '../clocks/calendar.js';
import { HISTOGRAM_DAYS } from '../db/schema/reports.schema.js';

const DAY_MS = 86_400_000;

export interface Turnaround {
  /** Whole 24-hour days from receipt to resolution. */
  calendarDays: number;
  /**
   * The smallest n such that the case was resolved by close of business on the n-th business day
   * after the day of receipt (DISP 1.5: "by close of business on the third business day following
   * the day on which it is received"); out-of-hours receipts and resolutions roll to the next
   * business day, as the clocks do.
   */
  businessDays: number;
  within3BusinessDays: boolean;
  /** DISP 1.6.2: a final response within eight weeks of receipt. */
  within8Weeks: boolean;
}

export function turnaround(calendar: BusinessCalendar, receivedAt: Date, resolvedAt: Date): Turnaround {
  const calendarDays = Math.max(0, Math.floor((resolvedAt.getTime() - receivedAt.getTime()) / DAY_MS));
  // Bounded: a turnaround beyond the histogram is reported as "longer".
  const businessDays = calendar.businessDaysBetween(receivedAt, resolvedAt, 5_000);
  const within8Weeks = resolvedAt.getTime() <= calendar.addCalendarDays(receivedAt, 56).getTime();
  return { calendarDays, businessDays, within3BusinessDays: businessDays <= 3, within8Weeks };
}

/** The histogram bucket of a whole number of days (the last bucket holds every longer one). */
export const bucketOf = (days: number) => Math.min(Math.max(days, 0), HISTOGRAM_DAYS - 1);

/**
 * A percentile from a histogram of whole days, by the nearest-rank method: the smallest d such
 * that at least p·n observations are ≤ d. Exact for whole-day data; `atLeast` flags the overflow bucket.
 */
export function histogramPercentile(histogram: readonly number[], p: number): { days: number; atLeast: boolean } | null {
  const n = histogram.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let d = 0; d < histogram.length; d++) {
    seen += histogram[d];
    if (seen >= rank) return { days: d, atLeast: d === histogram.length - 1 };
  }
  return { days: histogram.length - 1, atLeast: true };
}
