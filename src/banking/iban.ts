// IBANs as banks and payers write them: grouped by four, lower case, inside a sentence.
import { mod97 } from './creditor-reference.ts';

// IBAN length per country, from the SWIFT IBAN registry (ISO 13616).
const LENGTHS: Record<string, number> = Object.fromEntries(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ' +
    'ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 ' +
    'LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 ' +
    'RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

/** ISO 13616: country, two check digits, the country's length, remainder 1 modulo 97. */
export function isIban(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const length = LENGTHS[compact.slice(0, 2)];
  if (length !== undefined && compact.length !== length) return false;
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/** The compact upper-case IBAN, or undefined when the text is not a valid one. */
export function normalizeIban(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const compact = text
    .replace(/^IBAN:?/i, '')
    .replace(/[\s-]/g, '')
    .toUpperCase();
  return isIban(compact) ? compact : undefined;
}

/** The first valid IBAN in free text (`Compte n° FR76 3000 4000 …`), spaced by single spaces or not. */
export function findIban(text: string): string | undefined {
  for (const m of text.matchAll(/(?<![A-Za-z0-9])([A-Z]{2}\d{2})/g)) {
    let compact = m[1]!;
    let i = m.index + m[0].length;
    const wanted = LENGTHS[compact.slice(0, 2)];
    while (i < text.length && compact.length < (wanted ?? 34)) {
      const ch = text[i]!;
      if (/[A-Z0-9]/.test(ch)) compact += ch;
      else if (ch !== ' ' || text[i + 1] === ' ') break;
      i++;
    }
    for (let end = compact.length; end >= 15; end--) {
      if (isIban(compact.slice(0, end))) return compact.slice(0, end);
      if (wanted !== undefined) break;
    }
  }
  return undefined;
}

/** ISO 9362: 8 or 11 characters; bank, country (letters), location, optional branch. */
export function normalizeBic(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const compact = text.replace(/\s/g, '').toUpperCase();
  return /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(compact) ? compact : undefined;
}
