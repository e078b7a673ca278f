// Amounts as statement formats write them. camt, OFX and MT940 are written by machines with one fixed
// decimal mark and no grouping, so "12.345" in a camt file is twelve and a bit, never twelve thousand:
// money.ts's parseAmount guesses grouping for what people type, which is right for CSV and wrong here.
import { isCurrency, minorDigits, type ParseAmountResult } from '../ledger/money.ts';

/**
 * `decimalMark` is the one the format prescribes: `.` for camt (XML Schema decimal), `,` for MT940
 * (SWIFT amount), `either` for OFX, whose 1.x files from French banks often write `-12,50`.
 * Decimals beyond the currency's minor unit are accepted only when they are zeros (`1250.000` EUR).
 */
export function parseStatementAmount(
  text: string,
  currency: string,
  decimalMark: '.' | ',' | 'either',
): ParseAmountResult {
  if (!isCurrency(currency)) return { ok: false, reason: `"${currency}" is not an ISO 4217 currency code` };
  const mark = decimalMark === 'either' ? '[.,]' : decimalMark === '.' ? '\\.' : ',';
  const m = new RegExp(`^([+-]?)(\\d*)(?:${mark}(\\d*))?$`).exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    const example = decimalMark === ',' ? '1250,00' : '1250.00';
    return { ok: false, reason: `expected an amount such as ${example}, got "${text}"` };
  }
  const digits = minorDigits(currency);
  const fraction = m[3] ?? '';
  if (fraction.length > digits && /[^0]/.test(fraction.slice(digits))) {
    return { ok: false, reason: `"${text}" has more decimals than ${currency} allows (${digits})` };
  }
  const minor = Number((m[2] || '0') + fraction.slice(0, digits).padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `amount "${text}" is too large` };
  return { ok: true, minor: m[1] === '-' && minor !== 0 ? -minor : minor };
}
