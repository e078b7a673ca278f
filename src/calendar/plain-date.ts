// Calendar days are plain 'YYYY-MM-DD' strings: no time, no zone. Arithmetic goes through a day
// count since 1970-01-01, computed in UTC so that no local offset or DST can shift a day.

import { boundedCache } from './memo.ts';

export type PlainDate = string;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

// The planner turns the same few hundred dates into day numbers millions of times in a run: each
// conversion is remembered.
const validity = boundedCache<string, boolean>();
const dayNumbers = boundedCache<string, number>();
const datesOfDay = boundedCache<number, PlainDate>();

export function isPlainDate(text: string): boolean {
  return validity(text, () => {
    const m = PATTERN.exec(text);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
  });
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Reads `YYYY-MM-DD` or the European `DD/MM/YYYY` (also with `.` or `-`); null when not a real date. */
export function parsePlainDate(text: string): PlainDate | null {
  const s = text.trim();
  if (isPlainDate(s)) return s;
  const eu = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (eu) {
    const candidate = `${eu[3]}-${eu[2]!.padStart(2, '0')}-${eu[1]!.padStart(2, '0')}`;
    return isPlainDate(candidate) ? candidate : null;
  }
  return null;
}

export function toDayNumber(date: PlainDate): number {
  return dayNumbers(
    date,
    () =>
      Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS,
  );
}

export function fromDayNumber(day: number): PlainDate {
  return datesOfDay(day, () => civilDate(day));
}

function civilDate(day: number): PlainDate {
  // Civil date from a day count (H. Hinnant's algorithm): no Date object, no string parsing.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: PlainDate, days: number): PlainDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `later - earlier` in calendar days. */
export function daysBetween(earlier: PlainDate, later: PlainDate): number {
  return toDayNumber(later) - toDayNumber(earlier);
}

/** 0 Sunday … 6 Saturday. */
export function dayOfWeek(date: PlainDate): number {
  return new Date(toDayNumber(date) * DAY_MS).getUTCDay();
}

export function lastDayOfMonth(date: PlainDate): PlainDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return fromDayNumber(Date.UTC(y, m, 0) / DAY_MS);
}

/** The calendar day it is at `instant` in `timeZone` (an IANA name). */
export function plainDateAt(instant: Date, timeZone: string): PlainDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
