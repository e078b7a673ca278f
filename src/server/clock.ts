// The server's idea of "now" for business decisions (which day it is for an organisation, whether
// its run hour has come, whether mail may leave), passed in so that tests and rehearsals fix it.
// Security timestamps (session and key expiry, leases) stay on the database's own clock.
import { isPlainDate, type PlainDate, plainDateAt } from '../calendar/plain-date.ts';
import { InputError } from '../ledger/organisations.ts';

export interface LocalTime {
  day: PlainDate;
  /** Minutes since local midnight. */
  minutes: number;
}

export interface Clock {
  now(): Date;
  /** The calendar day and wall-clock time in a time zone. */
  local(timeZone: string): LocalTime;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

function wallMinutes(instant: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    hourFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return Number(parts.hour) * 60 + Number(parts.minute);
}

export function instantClock(now: () => Date = () => new Date()): Clock {
  return {
    now,
    local(timeZone) {
      const instant = now();
      return { day: plainDateAt(instant, timeZone), minutes: wallMinutes(instant, timeZone) };
    },
  };
}

/**
 * A pretended day (ARDENT_TODAY): in every zone it is that day at noon, past the default run hour
 * and inside the default sending window, so that a rehearsal of a day does that day's work.
 */
export function fixedDayClock(day: PlainDate, minutes = 12 * 60): Clock {
  return { now: () => new Date(), local: () => ({ day, minutes }) };
}

/** ARDENT_NOW (an ISO instant) fixes the clock; ARDENT_TODAY fixes the day; else the real clock. */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  if (env.ARDENT_NOW) {
    const instant = new Date(env.ARDENT_NOW);
    if (Number.isNaN(instant.getTime()))
      throw new InputError(
        `ARDENT_NOW: expected an instant such as 2026-11-10T09:30:00Z, got "${env.ARDENT_NOW}"`,
      );
    return instantClock(() => instant);
  }
  if (env.ARDENT_TODAY) {
    if (!isPlainDate(env.ARDENT_TODAY))
      throw new InputError(`ARDENT_TODAY: expected a date as YYYY-MM-DD, got "${env.ARDENT_TODAY}"`);
    return fixedDayClock(env.ARDENT_TODAY);
  }
  return instantClock();
}
