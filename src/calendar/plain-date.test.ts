import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  isPlainDate,
  lastDayOfMonth,
  parsePlainDate,
  plainDateAt,
} from './plain-date.ts';

describe('plain dates', () => {
  it('reads ISO and European day-first dates, refusing impossible ones', () => {
    expect(parsePlainDate('2026-11-11')).toBe('2026-11-11');
    expect(parsePlainDate('11/11/2026')).toBe('2026-11-11');
    expect(parsePlainDate('1.2.2026')).toBe('2026-02-01');
    expect(parsePlainDate('31/02/2026')).toBeNull();
    expect(parsePlainDate('2026-02-29')).toBeNull();
    expect(parsePlainDate('2028-02-29')).toBe('2028-02-29');
  });

  it('counts days across month, year and DST boundaries', () => {
    expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(dayOfWeek('2026-11-11')).toBe(3);
    expect(lastDayOfMonth('2028-02-10')).toBe('2028-02-29');
  });

  it('gives the calendar day of an instant in a time zone', () => {
    const instant = new Date('2026-11-22T23:30:00Z');
    expect(plainDateAt(instant, 'Europe/Paris')).toBe('2026-11-23');
    expect(plainDateAt(instant, 'America/New_York')).toBe('2026-11-22');
  });

  it('adds and subtracts consistently', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80_000 }), fc.integer({ min: -5000, max: 5000 }), (start, n) => {
        const d = addDays('1970-01-01', start);
        expect(isPlainDate(d)).toBe(true);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
    );
  });
});
