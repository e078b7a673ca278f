// One money type for the whole project: integer minor units beside an ISO 4217 code. No floats.

export interface Money {
  /** Minor units (cents for EUR, yen for JPY). */
  readonly amount: number;
  readonly currency: string;
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

/** Number of decimals of the currency's minor unit (EUR 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Up to 15 digits (always a safe integer), one separator and at most three decimals. */
const PLAIN_AMOUNT = /^([-+]?)(\d{1,12})(?:[.,](\d{1,3}))?$/;

export type ParseAmountResult = { ok: true; minor: number } | { ok: false; reason: string };

/**
 * Reads an amount as people and accounting exports write it: `1234.56`, `1234,56`, `1 234,56`,
 * `1.234,56`, `1,234.56`, `-12,5`, `€ 12`. The last `.` or `,` followed by at most the currency's
 * number of decimals is the decimal separator; other separators group thousands.
 */
export function parseAmount(text: string, currency: string): ParseAmountResult {
  const digits = minorDigits(currency);
  // Most amounts in an export are plain (`1234.56`, `-12,5`): read those without the general path.
  const plain = PLAIN_AMOUNT.exec(text);
  if (plain && (plain[3] === undefined || plain[3].length <= digits)) {
    const minor = Number(plain[2]! + (plain[3] ?? '').padEnd(digits, '0'));
    return { ok: true, minor: plain[1] === '-' && minor !== 0 ? -minor : minor };
  }
  let s = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  s = s.replace(/^(?:[A-Z]{3}|[€$£¥])|(?:[A-Z]{3}|[€$£¥])$/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-') !== negative;
    s = s.slice(1);
  } else if (s.endsWith('-')) {
    negative = true;
    s = s.slice(0, -1);
  }
  if (!/^\d[\d.,]*$/.test(s) && !/^[.,]\d+$/.test(s)) {
    return { ok: false, reason: `expected an amount such as 1234.56 or 1 234,56, got "${text}"` };
  }
  let integer = s;
  let fraction = '';
  const lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  if (lastSep >= 0) {
    const tail = s.slice(lastSep + 1);
    const sep = s[lastSep];
    const sameSepCount = s.split(sep!).length - 1;
    // "1.234" or "1,234,567": a single group of exactly three digits after repeated separators is grouping.
    const isGrouping =
      tail.length === 3 && (sameSepCount > 1 || digits < 3) && /^[1-9]\d{0,2}([.,]\d{3})+$/.test(s);
    if (!isGrouping) {
      integer = s.slice(0, lastSep);
      fraction = tail;
      // The decimal separator cannot also group thousands: "12.345.6" is not an amount.
      if (integer.includes(sep!))
        return { ok: false, reason: `expected an amount such as 1234.56 or 1 234,56, got "${text}"` };
    }
  }
  const other = integer.replace(/[.,]/g, '');
  if (integer.length > 0 && !/^\d{1,3}([.,]\d{3})*$/.test(integer) && !/^\d+$/.test(integer)) {
    return { ok: false, reason: `expected an amount such as 1234.56 or 1 234,56, got "${text}"` };
  }
  if (fraction.length > digits) {
    return { ok: false, reason: `"${text}" has more decimals than ${currency} allows (${digits})` };
  }
  const minorText = (other || '0') + fraction.padEnd(digits, '0');
  const minor = Number(minorText);
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `amount "${text}" is too large` };
  return { ok: true, minor: negative && minor !== 0 ? -minor : minor };
}

/** The contract's decimal string: `"1999.99"`, `"-5.00"`, `"1200"` for JPY. */
export function formatDecimal(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor).toString();
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** For people: `1 234,56 €` in French, `€1,234.56` in English. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    // Building a formatter costs far more than using one: the daily run formats millions of amounts.
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format.format(minor / 10 ** minorDigits(currency));
}
