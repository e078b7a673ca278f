import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainShift, holidayName, isBusinessDay, nextBusinessDay } from './business-days.ts';
import { addDays, daysBetween, fromDayNumber, toDayNumber } from './plain-date.ts';

describe('business days', () => {
  it('moves a reminder that falls on Armistice Day to the next business day in France', () => {
    expect(isBusinessDay('2026-11-11', 'FR')).toBe(false);
    expect(nextBusinessDay('2026-11-11', 'FR')).toBe('2026-11-12');
  });

  it('keeps a date that already is a business day', () => {
    expect(nextBusinessDay('2026-11-12', 'FR')).toBe('2026-11-12');
  });

  it('moves a Saturday to the Monday', () => {
    expect(nextBusinessDay('2026-11-14', 'FR')).toBe('2026-11-16');
    expect(nextBusinessDay('2026-11-15', 'FR')).toBe('2026-11-16');
  });

  it('treats 26 December as a holiday in Germany', () => {
    // A Saturday in 2026, so look at 2025 (a Friday) for a weekday that only the holiday closes.
    expect(isBusinessDay('2025-12-26', 'DE')).toBe(false);
    expect(holidayName('2025-12-26', 'DE', 'de')).toBe('2. Weihnachtstag');
  });

  it('does not treat 26 December as a holiday in France outside Alsace-Moselle', () => {
    expect(isBusinessDay('2025-12-26', 'FR')).toBe(true);
  });

  it('moves British Boxing Day 2026, a Saturday, to its substitute Monday 28 December', () => {
    expect(isBusinessDay('2026-12-28', 'GB')).toBe(false);
    expect(holidayName('2026-12-28', 'GB', 'en')).toMatch(/Boxing Day/);
    expect(nextBusinessDay('2026-12-25', 'GB')).toBe('2026-12-29');
    expect(nextBusinessDay('2026-12-26', 'GB')).toBe('2026-12-29');
    expect(nextBusinessDay('2026-12-27', 'GB')).toBe('2026-12-29');
  });

  it('counts the US substitute for Independence Day on a Saturday, the Friday before', () => {
    expect(isBusinessDay('2026-07-03', 'US')).toBe(false);
  });

  it('counts a holiday observed on 31 December for the next New Year (US, 2021)', () => {
    // 1 January 2022 was a Saturday, observed on Friday 31 December 2021.
    expect(isBusinessDay('2021-12-31', 'US')).toBe(false);
  });

  it('does not count Christmas Eve half-day as a holiday', () => {
    // Iceland closes from 13:00 on 24 December (a public holiday in date-holidays, but from noon).
    expect(isBusinessDay('2026-12-24', 'IS')).toBe(true);
    expect(holidayName('2026-12-24', 'IS')).toBeUndefined();
  });

  it('does not count bank holidays that are not public ones (German Christmas Eve, Swedish Midsummer Eve)', () => {
    expect(isBusinessDay('2026-12-24', 'DE')).toBe(true);
    expect(isBusinessDay('2026-06-19', 'SE')).toBe(true);
  });

  it('does not count observances (Halloween in the US, Whit Sunday is a Sunday anyway)', () => {
    expect(isBusinessDay('2025-10-31', 'US')).toBe(true);
  });

  it('counts every day of a multi-day public holiday', () => {
    // Eid al-Fitr in the United Arab Emirates spans three days in date-holidays.
    const firstDay = ['2026-03-19', '2026-03-20', '2026-03-21'].find((d) => holidayName(d, 'AE'));
    expect(firstDay).toBeDefined();
    const days = [0, 1, 2].map((k) => addDays(firstDay as string, k));
    for (const day of days) expect(isBusinessDay(day, 'AE')).toBe(false);
  });

  it('accepts a country code in lower case', () => {
    expect(isBusinessDay('2026-11-11', 'fr')).toBe(false);
  });

  it('knows only weekends for an unknown country', () => {
    expect(isBusinessDay('2026-12-25', 'XX')).toBe(true);
    expect(isBusinessDay('2026-12-26', 'XX')).toBe(false);
    expect(nextBusinessDay('2026-12-26', 'XX')).toBe('2026-12-28');
    expect(holidayName('2026-12-25', 'XX')).toBeUndefined();
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => nextBusinessDay('11/11/2026', 'FR')).toThrow(RangeError);
  });

  it('names a holiday in the language asked for, else the country’s own', () => {
    expect(holidayName('2026-11-11', 'FR', 'en')).toBe('Armistice Day');
    expect(holidayName('2026-11-11', 'FR')).toBe('Armistice 1918');
    expect(holidayName('2026-11-12', 'FR')).toBeUndefined();
  });
});

describe('explaining a shift', () => {
  it('says which public holiday moved a step', () => {
    expect(explainShift('2026-11-11', '2026-11-12', 'FR', 'en')).toBe(
      'moved from 11 Nov, a public holiday in FR (Armistice Day)',
    );
  });

  it('says which weekend day moved a step', () => {
    expect(explainShift('2026-11-14', '2026-11-16', 'FR', 'en')).toBe('moved from Saturday 14 Nov');
  });

  it('explains in the language asked for', () => {
    expect(explainShift('2026-11-11', '2026-11-12', 'fr', 'fr')).toBe(
      'décalé du 11 nov., jour férié en FR (Armistice 1918)',
    );
    expect(explainShift('2026-11-14', '2026-11-16', 'DE', 'de')).toBe('verschoben von Samstag, 14. Nov.');
  });

  it('falls back to English for a language it does not speak', () => {
    expect(explainShift('2026-11-14', '2026-11-16', 'FR', 'pt')).toBe('moved from Saturday 14 Nov');
  });

  it('has nothing to say when the date did not move', () => {
    expect(explainShift('2026-11-12', '2026-11-12', 'FR', 'en')).toBe('');
  });
});

describe('business days, for any date and country', () => {
  const countries = [
    'FR',
    'DE',
    'GB',
    'BE',
    'NL',
    'ES',
    'IT',
    'CH',
    'AT',
    'LU',
    'IE',
    'US',
    'CA',
    'SE',
    'AE',
    'XX',
  ];
  const dates = fc
    .integer({ min: toDayNumber('2015-01-01'), max: toDayNumber('2040-12-31') })
    .map((day) => fromDayNumber(day));

  it('finds a business day at or after the date, within 10 days', () => {
    fc.assert(
      fc.property(dates, fc.constantFrom(...countries), (date, country) => {
        const next = nextBusinessDay(date, country);
        const gap = daysBetween(date, next);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThanOrEqual(10);
        expect(isBusinessDay(next, country)).toBe(true);
        for (let k = 0; k < gap; k++) expect(isBusinessDay(addDays(date, k), country)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
