import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar, defaultCalendar } from './calendar.js';

const england = new BusinessCalendar(defaultCalendar('Europe/London', 'GB-ENG'));
const scotland = new BusinessCalendar(defaultCalendar('Europe/London', 'GB-SCT'));

describe('business calendars', () => {
  it('counts business days from receipt to close of business', () => {
    // Monday 2 March 2026, 10:00 UK time → 3rd business day after is Thursday 5 March, 17:00 (GMT).
    expect(england.addBusinessDays(new Date('2026-03-02T10:00:00Z'), 3).toISOString()).toBe('2026-03-05T17:00:00.000Z');
  });

  it('rolls a Friday-evening receipt before a bank holiday to Tuesday', () => {
    // Friday 1 May 2026, 19:30 BST; Monday 4 May is the Early May bank holiday.
    const received = new Date('2026-05-01T18:30:00Z');
    expect(england.receiptDay(received).toISODate()).toBe('2026-05-05');
    // 3 business days after Tuesday 5 May: Friday 8 May, 17:00 BST = 16:00 UTC.
    expect(england.addBusinessDays(received, 3).toISOString()).toBe('2026-05-08T16:00:00.000Z');
    // 15 business days (PSD): Wednesday 27 May (the Spring bank holiday, Monday 25 May, skipped).
    expect(england.addBusinessDays(received, 15).toISOString()).toBe('2026-05-27T16:00:00.000Z');
  });

  it('knows England and Scotland differ', () => {
    // St Andrew's Day (Monday 30 November 2026) is a Scottish bank holiday only.
    const received = new Date('2026-11-27T10:00:00Z');
    expect(england.addBusinessDays(received, 1).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(scotland.addBusinessDays(received, 1).toISOString()).toBe('2026-12-01T17:00:00.000Z');
  });

  it('keeps local time across the clocks going forward', () => {
    // Friday 27 March 2026 12:00 GMT + 7 calendar days = Friday 3 April 12:00 BST (11:00 UTC).
    expect(england.addCalendarDays(new Date('2026-03-27T12:00:00Z'), 7).toISOString()).toBe('2026-04-03T11:00:00.000Z');
    // 8 weeks from a winter receipt lands in summer time at the same wall-clock time.
    expect(england.addCalendarDays(new Date('2026-02-20T09:30:00Z'), 56).toISOString()).toBe('2026-04-17T08:30:00.000Z');
  });

  it('counts working hours only inside opening hours', () => {
    // Thursday 16:00 + 2 working hours = Friday 10:00 (GMT).
    expect(england.addBusinessMinutes(new Date('2026-03-05T16:00:00Z'), 120).toISOString()).toBe('2026-03-06T10:00:00.000Z');
    // Received Saturday: the first working hour is Monday 09:00–10:00.
    expect(england.addBusinessMinutes(new Date('2026-03-07T11:00:00Z'), 60).toISOString()).toBe('2026-03-09T10:00:00.000Z');
    expect(england.businessMinutesBetween(new Date('2026-03-05T16:00:00Z'), new Date('2026-03-06T10:00:00Z'))).toBe(120);
  });

  it('honours custom closure days', () => {
    const closed = new BusinessCalendar({ ...defaultCalendar(), closures: ['2026-03-03'] });
    expect(closed.addBusinessDays(new Date('2026-03-02T10:00:00Z'), 1).toISOString()).toBe('2026-03-04T17:00:00.000Z');
  });

  it('gives a deadline computed for an earlier instant of the same minute exactly as it would compute it afresh', () => {
    // Instants near the boundaries that matter: closing time, midnight, the clocks changing (29 March and
    // 25 October 2026 in London, 8 March and 1 November in New York), a bank holiday, and exact minutes.
    const anchors = ['2026-03-27T17:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-03-08T07:00:00Z',
      '2026-11-01T06:00:00Z', '2026-05-01T16:00:00Z', '2026-05-04T23:00:00Z', '2026-12-24T17:00:00Z'].map((a) => Date.parse(a));
    let fresh = 0;
    fc.assert(fc.property(
      fc.constantFrom(...anchors), fc.integer({ min: -180, max: 180 }), fc.integer({ min: 0, max: 59_999 }), fc.integer({ min: 0, max: 59_999 }),
      fc.constantFrom('Europe/London', 'America/New_York', 'Asia/Kolkata'), fc.integer({ min: 0, max: 20 }),
      (anchor, minute, firstMs, secondMs, timezone, amount) => {
        const start = anchor + minute * 60_000;
        const spec = defaultCalendar(timezone, timezone === 'Europe/London' ? 'GB-ENG' : null);
        const cached = new BusinessCalendar(spec);
        // A closure in 1900 changes nothing but the cache key: this calendar computes everything afresh.
        const uncached = () => new BusinessCalendar({ ...spec, closures: [`1900-01-01#${fresh++}`] });
        const first = new Date(start + firstMs);
        const second = new Date(start + secondMs);
        cached.addBusinessDays(first, amount);
        cached.addCalendarDays(first, amount);
        cached.addBusinessMinutes(first, amount * 60);
        expect(cached.addBusinessDays(second, amount).toISOString()).toBe(uncached().addBusinessDays(second, amount).toISOString());
        expect(cached.addCalendarDays(second, amount).toISOString()).toBe(uncached().addCalendarDays(second, amount).toISOString());
        expect(cached.addBusinessMinutes(second, amount * 60).toISOString()).toBe(uncached().addBusinessMinutes(second, amount * 60).toISOString());
      },
    ), { numRuns: 1500 });
  }, 60_000);

  it('counts the business days between two instants as a walk from receipt day to receipt day would, and knows the local date', () => {
    // The walk as turnaround did it before counts were kept: from the receipt day, step to the next business day until the end's receipt day.
    const walk = (calendar: BusinessCalendar, from: Date, to: Date) => {
      const end = calendar.receiptDay(to);
      let n = 0;
      for (let day = calendar.receiptDay(from); day < end; n++) {
        day = day.plus({ days: 1 });
        while (!calendar.isBusinessDay(day)) day = day.plus({ days: 1 });
      }
      return n;
    };
    // Around closing time, the clocks changing, bank holidays (May Day, Christmas, St Andrew's Day in Scotland) and exact minutes.
    const anchors = ['2026-03-27T17:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-05-01T16:00:00Z',
      '2026-12-24T17:00:00Z', '2026-11-27T16:59:00Z', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'].map((a) => Date.parse(a));
    const newYork = new BusinessCalendar(defaultCalendar('America/New_York', null));
    const kolkata = new BusinessCalendar({ ...defaultCalendar('Asia/Kolkata', null), workingDays: [1, 2, 3, 4, 5, 6], closes: '17:30' });
    fc.assert(fc.property(
      fc.constantFrom(...anchors), fc.integer({ min: -600, max: 600 }), fc.integer({ min: 0, max: 59_999 }), fc.integer({ min: 0, max: 40 * 24 * 60 }),
      fc.integer({ min: 0, max: 59_999 }), fc.constantFrom(england, scotland, newYork, kolkata),
      (anchor, minute, ms, laterMinutes, laterMs, calendar) => {
        const from = new Date(anchor + minute * 60_000 + ms);
        const to = new Date(from.getTime() + laterMinutes * 60_000 + laterMs);
        expect(calendar.businessDaysBetween(from, to)).toBe(walk(calendar, from, to));
        expect(calendar.businessDaysBetween(to, from)).toBe(0);
        expect(calendar.localDate(to)).toBe(DateTime.fromJSDate(to, { zone: calendar.spec.timezone }).toISODate());
      },
    ), { numRuns: 1500 });
  }, 60_000);
});
