// When a message may leave: inside office hours, on a business day, in the recipient's time zone.
// Wall-clock times are converted to instants through Intl, so DST changes are handled by the
// platform's time-zone data rather than by fixed offsets.

import Holidays from 'date-holidays';
import { isBusinessDay, nextBusinessDay } from './business-days.ts';
import { addDays, isTimeZone, type PlainDate, toDayNumber } from './plain-date.ts';

/** Local office hours as `HH:MM`; `end` is excluded (a message is not sent at 17:00 sharp). */
export interface SendWindow {
  readonly start: string;
  readonly end: string;
}

export const DEFAULT_SEND_WINDOW: SendWindow = { start: '09:00', end: '17:00' };

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function parseTime(text: string, field: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!m || minutes > 24 * 60) throw new RangeError(`send window ${field}: expected HH:MM, got "${text}"`);
  return minutes;
}

function windowMinutes(window: SendWindow): { start: number; end: number } {
  const start = parseTime(window.start, 'start');
  const end = parseTime(window.end, 'end');
  if (end <= start) {
    throw new RangeError(
      `send window: end ${window.end} must be after start ${window.start} on the same day`,
    );
  }
  return { start, end };
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(timeZone);
  if (!format) {
    if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallFormats.set(timeZone, format);
  }
  return format;
}

interface WallClock {
  readonly date: PlainDate;
  /** Milliseconds since local midnight. */
  readonly time: number;
}

function wallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of wallFormat(timeZone).formatToParts(new Date(instantMs))) parts[p.type] = p.value;
  const ms = instantMs - Math.floor(instantMs / 1000) * 1000;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + ms,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const wall = wallClock(instantMs, timeZone);
  return toDayNumber(wall.date) * DAY_MS + wall.time - instantMs;
}

/**
 * Every instant whose wall clock in `timeZone` reads `date` at `minutes` past midnight, earliest
 * first: two in the hour repeated when clocks go back. When the time does not exist (the hour
 * skipped when clocks go forward), the single instant that many minutes after the last valid one,
 * as Temporal's "compatible" disambiguation does: 02:30 on a spring-forward night is 03:30.
 */
function instantsAt(date: PlainDate, minutes: number, timeZone: string): number[] {
  const wallMs = toDayNumber(date) * DAY_MS + minutes * MINUTE_MS;
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  const found = new Set<number>();
  for (const offset of [before, after]) {
    const candidate = wallMs - offset;
    if (offsetAt(candidate, timeZone) === offset) found.add(candidate);
  }
  if (found.size === 0) return [wallMs - before];
  return [...found].sort((a, b) => a - b);
}

/**
 * The instant at which the clock in `timeZone` reads `time` (`HH:MM`) on `date`. In the repeated
 * hour of an autumn change, the first of the two; in the skipped hour of a spring change, the time
 * as read after the change (02:30 → 03:30).
 */
export function instantAt(date: PlainDate, time: string, timeZone: string): Date {
  wallFormat(timeZone);
  return new Date(instantsAt(date, parseTime(time, 'time'), timeZone)[0] as number);
}

/**
 * Whether `now` is inside the window in `timeZone`; with `country`, also on one of its business
 * days.
 */
export function isInSendWindow(
  now: Date,
  timeZone: string,
  window: SendWindow = DEFAULT_SEND_WINDOW,
  country?: string,
): boolean {
  const { start, end } = windowMinutes(window);
  const wall = wallClock(now.getTime(), timeZone);
  if (wall.time < start * MINUTE_MS || wall.time >= end * MINUTE_MS) return false;
  return country === undefined || isBusinessDay(wall.date, country);
}

/**
 * The first instant at or after `now` that is inside the window on a business day of `country`
 * (weekends only when no country is given), with the window read on the local clock of
 * `timeZone`: `now` itself when it already is.
 */
export function nextSendMoment(
  now: Date,
  timeZone: string,
  window: SendWindow = DEFAULT_SEND_WINDOW,
  country?: string,
): Date {
  const { start, end } = windowMinutes(window);
  const nowMs = now.getTime();
  const wall = wallClock(nowMs, timeZone);
  const calendarCountry = country ?? '';
  if (isBusinessDay(wall.date, calendarCountry) && wall.time < end * MINUTE_MS) {
    if (wall.time >= start * MINUTE_MS) return new Date(nowMs);
    // On the night clocks go back, a start inside the repeated hour exists twice: take the first
    // one that is not already past.
    const today = instantsAt(wall.date, start, timeZone).find((t) => t >= nowMs);
    if (today !== undefined) return new Date(today);
  }
  const day = nextBusinessDay(addDays(wall.date, 1), calendarCountry);
  return new Date(instantsAt(day, start, timeZone)[0] as number);
}

// A default zone per country, for customers and organisations that do not state one. For countries
// spanning several zones, the one of the capital or of the largest business centre.
const COUNTRY_TIME_ZONES: Readonly<Record<string, string>> = {
  // European Union
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IT: 'Europe/Rome',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  // Rest of Europe
  AD: 'Europe/Andorra',
  CH: 'Europe/Zurich',
  GB: 'Europe/London',
  IS: 'Atlantic/Reykjavik',
  LI: 'Europe/Vaduz',
  MC: 'Europe/Monaco',
  NO: 'Europe/Oslo',
  // North America: the eastern business centres
  CA: 'America/Toronto',
  US: 'America/New_York',
  MX: 'America/Mexico_City',
  // French-speaking Africa and the Maghreb, frequent trading partners of French sellers
  MA: 'Africa/Casablanca',
  DZ: 'Africa/Algiers',
  TN: 'Africa/Tunis',
  SN: 'Africa/Dakar',
  CI: 'Africa/Abidjan',
  // Elsewhere
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  IN: 'Asia/Kolkata',
  JP: 'Asia/Tokyo',
  NZ: 'Pacific/Auckland',
  SG: 'Asia/Singapore',
  AE: 'Asia/Dubai',
};

let holidaysForZones: Holidays | undefined;

/**
 * A reasonable IANA time zone for a country (ISO 3166-1 alpha-2, any case): our own table first,
 * then the first zone date-holidays lists for it, else 'UTC'.
 */
export function countryTimeZone(country: string): string {
  const code = country.trim().toUpperCase();
  const zone = COUNTRY_TIME_ZONES[code];
  if (zone) return zone;
  if (/^[A-Z]{2}$/.test(code)) {
    holidaysForZones ??= new Holidays();
    if (code in holidaysForZones.getCountries()) {
      const listed = new Holidays(code).getTimezones()[0];
      if (listed && isTimeZone(listed)) return listed;
    }
  }
  return 'UTC';
}
