// Business days per country: Monday to Friday, minus the country's national public holidays.
//
// What counts as a day off, and why:
// - Only holidays of type `public` in date-holidays. `bank` (e.g. German Christmas Eve afternoon),
//   `optional`, `school` and `observance` days are working days for a customer's accounts office.
// - A holiday must cover the whole calendar day. Half days (Christmas Eve from 13:00 in Iceland,
//   New Year's Eve from noon in the Faroe Islands) are working mornings, so they do not count.
// - Substitute days (`substitute: true`, e.g. GB Boxing Day on a Saturday observed on Monday 28
//   December 2026) are real days off and do count.
// - National holidays only: regional ones (Alsace-Moselle's Good Friday and 26 December, the German
//   Länder's Epiphany or Corpus Christi, Swiss cantons, US states) are not applied, because a
//   customer record gives a country, not a region. At worst a message lands on a regional holiday.
// - The weekend is Saturday and Sunday everywhere. date-holidays keeps a `weekend` field for a few
//   countries (Bangladesh: Friday–Saturday) in its data but exposes no API for it, so countries with
//   another weekend are treated as Saturday–Sunday.
// - An unknown country code has weekends only.
//
// The planner asks this millions of times, so each country-year is computed once into a Set of its
// closed days (weekends and holidays) and `isBusinessDay` is two Map lookups and a Set lookup.

import Holidays, { type HolidaysTypes } from 'date-holidays';
import { boundedCache } from './memo.ts';
import { addDays, fromDayNumber, isPlainDate, type PlainDate, toDayNumber } from './plain-date.ts';

interface CountryCalendar {
  /** Upper-case ISO 3166-1 code, or '' for a country date-holidays does not know. */
  readonly code: string;
  readonly holidays: Holidays | undefined;
  /** Year ('2026') → its closed days. */
  readonly closed: Map<string, Set<PlainDate>>;
  /** `${year}|${language}` → public holiday names by day. */
  readonly names: Map<string, Map<PlainDate, string>>;
  /** `${year}|${language}` → what date-holidays returns for that year. */
  readonly raw: Map<string, HolidaysTypes.Holiday[]>;
}

const calendars = new Map<string, CountryCalendar>();
let knownCountries: Set<string> | undefined;

function calendarFor(country: string): CountryCalendar {
  const cached = calendars.get(country);
  if (cached) return cached;
  const code = country.trim().toUpperCase();
  let calendar = calendars.get(code);
  if (!calendar) {
    knownCountries ??= new Set(Object.keys(new Holidays().getCountries()));
    const known = knownCountries.has(code);
    calendar = {
      code: known ? code : '',
      holidays: known ? new Holidays(code) : undefined,
      closed: new Map(),
      names: new Map(),
      raw: new Map(),
    };
    calendars.set(code, calendar);
  }
  // Remember the spelling the caller used too ('fr', ' FR'), so the next call is one lookup.
  calendars.set(country, calendar);
  return calendar;
}

function rawHolidays(calendar: CountryCalendar, year: number, language: string): HolidaysTypes.Holiday[] {
  if (!calendar.holidays) return [];
  const key = `${year}|${language}`;
  let list = calendar.raw.get(key);
  if (!list) {
    list = language ? calendar.holidays.getHolidays(year, language) : calendar.holidays.getHolidays(year);
    calendar.raw.set(key, list);
  }
  return list;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})/;
const HOUR_MS = 3_600_000;

/**
 * The calendar days a public holiday takes off entirely. date-holidays writes `date` in the
 * country's local time; `end - start` is its length, which may be several days (Eid, P3D) and is
 * one hour off on a DST change, hence the tolerance.
 */
function fullDaysOff(holiday: HolidaysTypes.Holiday): PlainDate[] {
  if (holiday.type !== 'public') return [];
  const m = DATE_TIME.exec(holiday.date);
  if (!m) return [];
  const day = m[1] as PlainDate;
  const startHour = Number(m[2]) + Number(m[3]) / 60;
  const hours = (holiday.end.getTime() - holiday.start.getTime()) / HOUR_MS;
  const endDay = Math.floor((startHour + hours + 1.5) / 24);
  // A holiday starting after midnight leaves its first morning as a working morning.
  const firstDay = startHour === 0 ? 0 : 1;
  const days: PlainDate[] = [];
  for (let k = firstDay; k < endDay; k++) days.push(k === 0 ? day : addDays(day, k));
  return days;
}

/**
 * Public holidays whose days fall in `year`, with their names. The neighbouring years are read
 * too: a US New Year's Day on a Saturday is observed on 31 December of the year before, and a
 * multi-day holiday may start in December.
 */
function publicHolidays(calendar: CountryCalendar, year: number, language: string): Map<PlainDate, string> {
  const prefix = `${year}-`;
  const names = new Map<PlainDate, string>();
  for (const y of [year - 1, year, year + 1]) {
    for (const holiday of rawHolidays(calendar, y, language)) {
      for (const day of fullDaysOff(holiday)) {
        if (!day.startsWith(prefix)) continue;
        const existing = names.get(day);
        if (existing === undefined) names.set(day, holiday.name);
        else if (!existing.split(' / ').includes(holiday.name))
          names.set(day, `${existing} / ${holiday.name}`);
      }
    }
  }
  return names;
}

function closedDays(calendar: CountryCalendar, yearText: string): Set<PlainDate> {
  const cached = calendar.closed.get(yearText);
  if (cached) return cached;
  if (!/^\d{4}$/.test(yearText))
    throw new RangeError(`expected a date as YYYY-MM-DD, got a year "${yearText}"`);
  const year = Number(yearText);
  const closed = new Set<PlainDate>(publicHolidays(calendar, year, '').keys());
  const first = toDayNumber(`${yearText}-01-01`);
  const last = toDayNumber(`${yearText}-12-31`);
  for (let day = first; day <= last; day++) {
    // Day 0 (1970-01-01) was a Thursday: (day + 4) % 7 is 0 on Sundays and 6 on Saturdays.
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday === 0 || weekday === 6) closed.add(fromDayNumber(day));
  }
  calendar.closed.set(yearText, closed);
  return closed;
}

function assertPlainDate(date: PlainDate): void {
  if (!isPlainDate(date)) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
}

/**
 * Whether `date` is a working day in `country` (ISO 3166-1 alpha-2, any case): not a Saturday,
 * Sunday or national public holiday. `date` must be a valid `YYYY-MM-DD`; it is not re-checked here
 * because this is the planner's hot path.
 */
export function isBusinessDay(date: PlainDate, country: string): boolean {
  return !closedDays(calendarFor(country), date.slice(0, 4)).has(date);
}

/** `date` itself when it is a business day in `country`, else the first business day after it. */
export function nextBusinessDay(date: PlainDate, country: string): PlainDate {
  assertPlainDate(date);
  const calendar = calendarFor(country);
  let day = date;
  // Even the longest run of closed days (Eid on a weekend, Armenian New Year and Christmas) is
  // under three weeks; the bound only guards against corrupt holiday data looping forever.
  for (let i = 0; i < 366; i++) {
    if (!closedDays(calendar, day.slice(0, 4)).has(day)) return day;
    day = addDays(day, 1);
  }
  throw new Error(`no business day in ${country} within a year after ${date}`);
}

/**
 * The name of the public holiday on `date` in `country`, in `language` when date-holidays has it
 * (else the country's own language); undefined when the day is not a public holiday as counted
 * here (half days and non-public types excluded). Two holidays on one day are joined with " / ".
 */
export function holidayName(date: PlainDate, country: string, language?: string): string | undefined {
  assertPlainDate(date);
  const calendar = calendarFor(country);
  if (!calendar.holidays) return undefined;
  const year = date.slice(0, 4);
  const lang = language?.trim().toLowerCase() ?? '';
  const key = `${year}|${lang}`;
  let names = calendar.names.get(key);
  if (!names) {
    names = publicHolidays(calendar, Number(year), lang);
    calendar.names.set(key, names);
  }
  return names.get(date);
}

interface ShiftWording {
  readonly locale: string;
  holiday(day: string, country: string, name: string): string;
  other(dayWithWeekday: string): string;
}

const SHIFT_WORDING: Record<string, ShiftWording> = {
  en: {
    locale: 'en-GB',
    holiday: (day, country, name) => `moved from ${day}, a public holiday in ${country} (${name})`,
    other: (day) => `moved from ${day}`,
  },
  fr: {
    locale: 'fr-FR',
    holiday: (day, country, name) => `décalé du ${day}, jour férié en ${country} (${name})`,
    other: (day) => `décalé du ${day}`,
  },
  de: {
    locale: 'de-DE',
    holiday: (day, country, name) => `verschoben vom ${day}, gesetzlicher Feiertag in ${country} (${name})`,
    other: (day) => `verschoben von ${day}`,
  },
  es: {
    locale: 'es-ES',
    holiday: (day, country, name) => `aplazado del ${day}, festivo en ${country} (${name})`,
    other: (day) => `aplazado del ${day}`,
  },
  // Italian contracts "da" with the article before a date ("dal 14", "dall'11"); naming the
  // original date after a colon avoids getting the elision wrong.
  it: {
    locale: 'it-IT',
    holiday: (day, country, name) => `spostato, data prevista: ${day}, festività in ${country} (${name})`,
    other: (day) => `spostato, data prevista: ${day}`,
  },
  nl: {
    locale: 'nl-NL',
    holiday: (day, country, name) => `verplaatst van ${day}, officiële feestdag in ${country} (${name})`,
    other: (day) => `verplaatst van ${day}`,
  },
};

const shiftFormats = new Map<string, { short: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat }>();

function shiftFormat(locale: string): { short: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat } {
  let formats = shiftFormats.get(locale);
  if (!formats) {
    formats = {
      short: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
      weekday: new Intl.DateTimeFormat(locale, {
        weekday: 'long',
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }),
    };
    shiftFormats.set(locale, formats);
  }
  return formats;
}

/**
 * Why a step planned for `original` was moved to `shifted`, in `language` (fr, en, de, es, it, nl;
 * English otherwise): "moved from 11 Nov, a public holiday in FR (Armistice Day)" or "moved from
 * Saturday 14 Nov". An empty string when the date did not move.
 */
export function explainShift(
  original: PlainDate,
  shifted: PlainDate,
  country: string,
  language: string,
): string {
  if (original === shifted) {
    assertPlainDate(original);
    return '';
  }
  return shiftTexts(`${original}|${shifted}|${country}|${language}`, () =>
    explainShiftNow(original, shifted, country, language),
  );
}

// A run explains the same few moves (this holiday, that weekend) for thousands of invoices.
const shiftTexts = boundedCache<string, string>(50_000);

function explainShiftNow(original: PlainDate, shifted: PlainDate, country: string, language: string): string {
  assertPlainDate(original);
  assertPlainDate(shifted);
  if (original === shifted) return '';
  const lang = language.trim().toLowerCase().slice(0, 2);
  const wording = SHIFT_WORDING[lang] ?? (SHIFT_WORDING.en as ShiftWording);
  const formats = shiftFormat(wording.locale);
  const instant = new Date(toDayNumber(original) * 86_400_000);
  const name = holidayName(original, country, lang);
  if (name !== undefined) {
    return wording.holiday(formats.short.format(instant), calendarFor(country).code, name);
  }
  return wording.other(formats.weekday.format(instant));
}
