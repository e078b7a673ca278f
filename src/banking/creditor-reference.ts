// Structured creditor references a payer copies from the invoice into the payment: ISO 11649 `RF…`
// and the Belgian structured communication `+++123/4567/89012+++`. Both carry a mod-97 check, so a
// valid one found in free text identifies the invoice with little doubt.

/** ISO 7064 MOD 97-10 over digits and letters (A = 10 … Z = 35), as ISO 11649 and ISO 13616 use it. */
export function mod97(text: string): number {
  let r = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) r = (r * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) r = (r * 100 + (code - 55)) % 97;
    else return -1;
  }
  return r;
}

/**
 * ISO 11649: `RF`, two check digits, then 1 to 21 letters or digits; moving the first four
 * characters to the end must leave a remainder of 1 modulo 97. `text` must already be compact.
 */
export function isRfReference(text: string): boolean {
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(text)) return false;
  return mod97(text.slice(4) + text.slice(0, 4)) === 1;
}

/** The compact upper-case form (`RF18539007547034`) of a reference printed with spaces or dashes. */
export function normalizeRfReference(text: string): string | undefined {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  return isRfReference(compact) ? compact : undefined;
}

/**
 * Belgian structured communication (gestructureerde mededeling / communication structurée,
 * Febelfin): twelve digits whose last two are the first ten modulo 97, with 97 instead of 0.
 */
export function isBelgianStructuredCommunication(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  const check = Number(digits.slice(0, 10)) % 97 || 97;
  return check === Number(digits.slice(10));
}

/** `+++123/4567/89012+++`, the form printed on Belgian invoices. */
export function formatBelgianStructuredCommunication(digits: string): string {
  return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

/**
 * A structured reference given as such by the bank (camt Strd/CdtrRefInf/Ref, `/REMI/STRD/`): the
 * RF and Belgian forms are normalised so that they compare equal whatever the spacing; any other
 * scheme (Finnish, Norwegian KID, Dutch betalingskenmerk) is kept as given, without spaces.
 */
export function normalizeCreditorReference(text: string): string | undefined {
  const rf = normalizeRfReference(text);
  if (rf) return rf;
  const be = text.replace(/[\s+*/]/g, '');
  if (isBelgianStructuredCommunication(be)) return formatBelgianStructuredCommunication(be);
  const kept = text.replace(/\s+/g, '');
  return kept === '' ? undefined : kept;
}

const RF_START = /(?<![A-Za-z0-9])RF[ -]?(\d)(\d)/gi;
const MAX_RF_BODY = 21;

/**
 * The first valid ISO 11649 reference in free text, however the payer spaced it: `RF18 5390 0754 7034`,
 * `RF18-5390-0754-7034`, `REF:RF18539007547034`, `/RF 18 …`. The reference may be followed by other
 * words, so candidates end only where the payer put a separator, longest first.
 */
export function findRfReference(text: string): string | undefined {
  for (const m of text.matchAll(RF_START)) {
    let i = m.index + m[0].length;
    let body = '';
    const cuts: number[] = [];
    while (i < text.length) {
      let j = i;
      while (j < text.length && j - i < 3 && (text[j] === ' ' || text[j] === '-')) j++;
      let k = j;
      while (k < text.length && /[A-Za-z0-9]/.test(text[k]!)) k++;
      if (k === j || body.length + (k - j) > MAX_RF_BODY) break;
      body += text.slice(j, k);
      cuts.push(body.length);
      i = k;
    }
    for (let c = cuts.length - 1; c >= 0; c--) {
      const candidate = `RF${m[1]}${m[2]}${body.slice(0, cuts[c])}`.toUpperCase();
      if (isRfReference(candidate)) return candidate;
    }
  }
  return undefined;
}

// With its +++ or *** markers the slashes are optional; without them they are required, since twelve
// bare digits in a remittance line are more often an order or account number.
const BE_MARKED = /(?:\+{3}|\*{3})\s*(\d{3})\s*\/?\s*(\d{4})\s*\/?\s*(\d{5})\s*(?:\+{3}|\*{3})/g;
const BE_SLASHED = /(?<!\d)(\d{3}) ?\/ ?(\d{4}) ?\/ ?(\d{5})(?!\d)/g;

export function findBelgianStructuredCommunication(text: string): string | undefined {
  for (const pattern of [BE_MARKED, BE_SLASHED]) {
    for (const m of text.matchAll(pattern)) {
      const digits = `${m[1]}${m[2]}${m[3]}`;
      if (isBelgianStructuredCommunication(digits)) return formatBelgianStructuredCommunication(digits);
    }
  }
  return undefined;
}

/** A creditor reference the payer wrote in free text: RF first, then the Belgian communication. */
export function findCreditorReference(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return findRfReference(text) ?? findBelgianStructuredCommunication(text);
}
