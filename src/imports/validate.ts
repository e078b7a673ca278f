// Field checks shared by every invoice source, each giving the reason a person can act on.
import { parsePlainDate } from '../calendar/plain-date.ts';
import { formatDecimal, isCurrency, minorDigits, parseAmount } from '../ledger/money.ts';

export type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

const COUNTRIES = new Set(
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(
    ' ',
  ),
);

export function checkCountry(text: string): Check<string> {
  const code = text.trim().toUpperCase();
  if (code === 'UK') return { ok: true, value: 'GB' };
  return COUNTRIES.has(code)
    ? { ok: true, value: code }
    : { ok: false, reason: `expected an ISO 3166-1 alpha-2 country code such as FR, got "${text}"` };
}

export function checkCurrency(text: string): Check<string> {
  const code = text.trim().toUpperCase();
  return isCurrency(code)
    ? { ok: true, value: code }
    : { ok: false, reason: `expected an ISO 4217 currency code such as EUR, got "${text}"` };
}

export function checkDate(text: string): Check<string> {
  const date = parsePlainDate(text);
  return date
    ? { ok: true, value: date }
    : { ok: false, reason: `expected a date as YYYY-MM-DD or DD/MM/YYYY, got "${text}"` };
}

export function checkAmount(text: string, currency: string): Check<number> {
  const r = parseAmount(text, currency);
  return r.ok ? { ok: true, value: r.minor } : { ok: false, reason: r.reason };
}

export function checkLanguage(text: string): Check<string> {
  const code = text.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2}$/.test(code)
    ? { ok: true, value: code }
    : { ok: false, reason: `expected an ISO 639-1 language code such as fr, got "${text}"` };
}

// Deliberately loose (RFC 5321 allows much); it catches what exports get wrong: no @, spaces, no domain dot.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function checkEmail(text: string): Check<string> {
  const email = text.trim().replace(/^mailto:/i, '');
  return EMAIL.test(email)
    ? { ok: true, value: email }
    : { ok: false, reason: `expected an email address such as compta@example.fr, got "${text}"` };
}

/**
 * An amount as XML standards write it (xsd:decimal in UBL, CII, ISO 20022): a point, no grouping, no
 * symbol. Read strictly, because the lenient reader above would take `1.234` for one thousand.
 */
export function checkDecimalAmount(text: string, currency: string): Check<number> {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (!m[2] && !m[3])) {
    return { ok: false, reason: `expected a decimal number with a point such as 1234.56, got "${text}"` };
  }
  // Zeros beyond the currency's decimals change nothing: 100.000 EUR is 100.00 EUR.
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    return { ok: false, reason: `"${text}" has more decimals than ${currency} allows (${digits})` };
  }
  return checkAmount(`${m[1]}${m[2] || '0'}${fraction ? `.${fraction}` : ''}`, currency);
}

export type ClaimCheck =
  | { ok: true; total: number; outstanding: number }
  | { ok: false; field: 'total' | 'outstanding'; reason: string };

/**
 * Total and amount still due as the ledger keeps them: never negative, the amount due within the
 * total. A credit note is often written with negative amounts (the seller's side of the entry);
 * its credit is the same either way, so the signs are turned.
 */
export function checkClaim(
  type: 'invoice' | 'credit_note',
  total: number,
  outstanding: number,
  currency: string,
): ClaimCheck {
  const flip = type === 'credit_note' && total < 0;
  const t = flip ? -total : total;
  const o = flip ? -outstanding : outstanding;
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(o)) {
    return { ok: false, field: 'total', reason: `amounts too large to keep exactly` };
  }
  if (t < 0) {
    return {
      ok: false,
      field: 'total',
      reason: `expected a total of 0 or more, got ${formatDecimal(t, currency)} ${currency}: a credit comes as a credit note`,
    };
  }
  if (o < 0 || o > t) {
    return {
      ok: false,
      field: 'outstanding',
      reason: `expected an amount due between 0 and the total ${formatDecimal(t, currency)}, got ${formatDecimal(o, currency)} ${currency}`,
    };
  }
  return { ok: true, total: t, outstanding: o };
}

// UNTDID 1001 document name codes that EN 16931 uses for credits (the CEN code list for BT-3).
const CREDIT_NOTE_CODES = new Set([
  '81',
  '83',
  '261',
  '262',
  '296',
  '308',
  '381',
  '396',
  '420',
  '458',
  '532',
]);

/**
 * The kind of document an e-invoice type code (UNTDID 1001, EN 16931 BT-3) names. Every other code is
 * a claim for payment (380, 384 corrected, 389 self-billed, 386 prepayment…), except a pro-forma
 * (325), which asks for nothing and must never be chased.
 */
export function checkTypeCode(text: string): Check<'invoice' | 'credit_note'> {
  const code = text.trim();
  if (!/^\d{1,3}$/.test(code)) {
    return {
      ok: false,
      reason: `expected a UNTDID 1001 document type code such as 380 or 381, got "${text}"`,
    };
  }
  if (code === '325') {
    return {
      ok: false,
      reason: 'a pro-forma invoice (type code 325) is not a claim for payment, so it is not imported',
    };
  }
  return { ok: true, value: CREDIT_NOTE_CODES.has(code) ? 'credit_note' : 'invoice' };
}
