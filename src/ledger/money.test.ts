import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMoney, minorDigits, parseAmount } from './money.ts';

const minor = (text: string, currency = 'EUR') => {
  const r = parseAmount(text, currency);
  return r.ok ? r.minor : r.reason;
};

describe('amounts', () => {
  it('reads a decimal point and a decimal comma', () => {
    expect(minor('1234.56')).toBe(123456);
    expect(minor('1234,56')).toBe(123456);
    expect(minor('12,5')).toBe(1250);
  });

  it('reads thousands separators as French, German and English exports write them', () => {
    expect(minor('1 234,56')).toBe(123456);
    expect(minor('1\u202f234,56')).toBe(123456);
    expect(minor('1.234,56')).toBe(123456);
    expect(minor('1,234.56')).toBe(123456);
    expect(minor('1.234.567')).toBe(123456700);
    expect(minor("1'234.50", 'CHF')).toBe(123450);
  });

  it("reads a plain amount by the currency's decimals: three digits after one separator group thousands only where they cannot be decimals", () => {
    expect(minor('1,234')).toBe(123400);
    expect(minor('1.234', 'JPY')).toBe(1234);
    expect(minor('1,234', 'BHD')).toBe(1234);
    expect(minor('12.5', 'JPY')).toMatch(/more decimals than JPY/);
    expect(minor('+7,05')).toBe(705);
    expect(minor('-0.00')).toBe(0);
    expect(minor('000123.4')).toBe(12340);
    expect(minor('999999999999.99')).toBe(99999999999999);
  });

  it('reads signs, parentheses and currency symbols', () => {
    expect(minor('-240,00')).toBe(-24000);
    expect(minor('(240.00)')).toBe(-24000);
    expect(minor('240,00-')).toBe(-24000);
    expect(minor('€ 12')).toBe(1200);
    expect(minor('12 EUR')).toBe(1200);
  });

  it('knows currencies without minor units and with three', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(minor('1200', 'JPY')).toBe(1200);
    expect(minor('1.234', 'BHD')).toBe(1234);
    expect(formatDecimal(1200, 'JPY')).toBe('1200');
  });

  it('refuses what is not an amount, saying what was expected', () => {
    expect(minor('abc')).toMatch(/expected an amount/);
    expect(minor('12.345.6')).toMatch(/expected an amount/);
    expect(minor('12,345')).toBe(1234500);
    expect(minor('1.999', 'EUR')).toBe(199900);
    expect(minor('0,001')).toMatch(/more decimals than EUR/);
  });

  it('writes the contract decimal string', () => {
    expect(formatDecimal(199999, 'EUR')).toBe('1999.99');
    expect(formatDecimal(-5, 'EUR')).toBe('-0.05');
    expect(formatDecimal(0, 'EUR')).toBe('0.00');
  });

  it('formats for people in their language', () => {
    expect(formatMoney(123456, 'EUR', 'fr')).toMatch(/^1\s234,56\s€$/);
    expect(formatMoney(123456, 'EUR', 'en')).toBe('€1,234.56');
  });

  it('round-trips every amount through its decimal string', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom('EUR', 'JPY', 'BHD', 'CHF'),
        (amount, currency) => {
          expect(parseAmount(formatDecimal(amount, currency), currency)).toEqual({ ok: true, minor: amount });
        },
      ),
    );
  });
});
