import { describe, expect, it } from 'vitest';
import { countryTimeZone, instantAt, isInSendWindow, nextSendMoment } from './send-window.ts';

const at = (iso: string) => new Date(iso);

describe('send window', () => {
  it('sends at once when it is office hours on a business day', () => {
    const now = at('2026-11-12T10:15:00Z'); // 11:15 in Paris, a Thursday
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'FR').toISOString()).toBe(now.toISOString());
    expect(isInSendWindow(now, 'Europe/Paris')).toBe(true);
  });

  it('waits for 09:00 local time when it is early in the morning', () => {
    const now = at('2026-11-12T05:00:00Z'); // 06:00 in Paris
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'FR').toISOString()).toBe(
      '2026-11-12T08:00:00.000Z',
    );
  });

  it('waits for the next business day after closing time', () => {
    const now = at('2026-11-12T16:00:00Z'); // 17:00 in Paris: the window has closed
    expect(isInSendWindow(now, 'Europe/Paris')).toBe(false);
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'FR').toISOString()).toBe(
      '2026-11-13T08:00:00.000Z',
    );
  });

  it('skips Armistice Day in France but not in a country without it', () => {
    const now = at('2026-11-10T17:00:00Z'); // Tuesday evening in Paris
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'FR').toISOString()).toBe(
      '2026-11-12T08:00:00.000Z',
    );
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'DE').toISOString()).toBe(
      '2026-11-11T08:00:00.000Z',
    );
  });

  it('sends at 09:00 summer time on the Monday after clocks go forward in Paris (29 March 2026)', () => {
    const now = at('2026-03-27T17:00:00Z'); // Friday 18:00 CET
    // Monday 30 March, 09:00 CEST = 07:00 UTC, not 08:00.
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'FR').toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });

  it('sends at 09:00 winter time on the Monday after clocks go back in Paris (25 October 2026)', () => {
    const now = at('2026-10-23T16:00:00Z'); // Friday 18:00 CEST
    // Monday 26 October, 09:00 CET = 08:00 UTC.
    expect(nextSendMoment(now, 'Europe/Paris', undefined, 'FR').toISOString()).toBe(
      '2026-10-26T08:00:00.000Z',
    );
  });

  it('reads the window on the local clock on either side of the change', () => {
    expect(isInSendWindow(at('2026-03-30T07:30:00Z'), 'Europe/Paris')).toBe(true); // 09:30 CEST
    expect(isInSendWindow(at('2026-03-27T07:30:00Z'), 'Europe/Paris')).toBe(false); // 08:30 CET
  });

  it('turns a time skipped by the spring change into the same time after it', () => {
    expect(instantAt('2026-03-29', '02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first of two instants for a time repeated by the autumn change', () => {
    expect(instantAt('2026-10-25', '02:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('uses the business days of the country in the recipient’s zone', () => {
    // Thanksgiving in New York: Thursday 26 November 2026.
    const now = at('2026-11-25T23:00:00Z'); // 18:00 on Wednesday in New York
    expect(nextSendMoment(now, 'America/New_York', undefined, 'US').toISOString()).toBe(
      '2026-11-27T14:00:00.000Z',
    );
  });

  it('follows a custom window', () => {
    const now = at('2026-11-12T06:00:00Z'); // 07:00 in Paris
    const window = { start: '08:30', end: '12:00' };
    expect(nextSendMoment(now, 'Europe/Paris', window, 'FR').toISOString()).toBe('2026-11-12T07:30:00.000Z');
    expect(isInSendWindow(at('2026-11-12T11:00:00Z'), 'Europe/Paris', window)).toBe(false);
  });

  it('checks business days in isInSendWindow when given a country', () => {
    const armistice = at('2026-11-11T10:00:00Z');
    expect(isInSendWindow(armistice, 'Europe/Paris')).toBe(true);
    expect(isInSendWindow(armistice, 'Europe/Paris', undefined, 'FR')).toBe(false);
  });

  it('refuses a window that ends before it starts, or a zone that does not exist', () => {
    expect(() => nextSendMoment(new Date(), 'Europe/Paris', { start: '17:00', end: '09:00' })).toThrow(
      RangeError,
    );
    expect(() => nextSendMoment(new Date(), 'Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('a default time zone per country', () => {
  it('knows the main zones', () => {
    expect(countryTimeZone('FR')).toBe('Europe/Paris');
    expect(countryTimeZone('us')).toBe('America/New_York');
    expect(countryTimeZone('GB')).toBe('Europe/London');
    expect(countryTimeZone('CH')).toBe('Europe/Zurich');
    expect(countryTimeZone('CA')).toBe('America/Toronto');
  });

  it('covers every EU member state', () => {
    const eu = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');
    for (const country of eu) expect(countryTimeZone(country)).not.toBe('UTC');
  });

  it('asks date-holidays for countries outside its table, and falls back to UTC', () => {
    expect(countryTimeZone('PE')).toBe('America/Lima');
    expect(countryTimeZone('XX')).toBe('UTC');
  });
});
