// Field checks shared by every invoice source, each giving the reason a person can act on.
import { parsePlainDate } from '../calendar/plain-date.ts';
import { isCurrency, parseAmount } from '../ledger/money.ts';

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
