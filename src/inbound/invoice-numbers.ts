// Invoice numbers in what customers write: "F-2026-0412", "FA2026-001", "INV-1234", "2026/0012",
// "Rechnung Nr. 12345", "factura nº 123", "FT 88/2027".
//
// A bare number is too often something else, so a candidate needs a shape of its own (letters then
// digits, or a year and a sequence) or a word that introduces it ("invoice", "Rechnung Nr."). IBANs,
// e-mail addresses, web addresses, phone numbers and amounts are blanked out before the search; dates
// and known non-invoice prefixes (PO, BC, REF, TEL, VAT…) are dropped after it.
//
// With the organisation's own numbers (`known`), only those are reported, in the organisation's
// spelling, however the customer wrote them (case, separators): an unknown number in a reply is more
// often an order, a delivery note or the customer's own reference than one of our invoices.

export interface InvoiceNumberOptions {
  /** The organisation's invoice numbers; when given, the result is restricted to them. */
  known?: readonly string[];
}

const MASKS: RegExp[] = [
  // IBAN, grouped or not.
  /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /\bhttps?:\/\/\S+|\bwww\.\S+/gi,
  // Amounts with a currency on either side.
  /(?:[€$£]|\b(?:EUR|GBP|USD|CHF))\s?\d[\d.,' ]*\d|\d[\d.,' ]*\d\s?(?:[€$£]|(?:EUR|GBP|USD|CHF)\b)/gi,
  // Phone numbers: an international prefix or a leading 0 followed by groups of digits.
  /(?:\+\d{1,3}[\s.-]?(?:\(0\)\s?)?|\b0)\d{1,4}(?:[\s.-]?\d{2,4}){2,5}\b/g,
];

const NOT_INVOICE_PREFIX = new Set([
  'PO',
  'BC',
  'CMD',
  'ORDER',
  'OC',
  'REF',
  'TEL',
  'FAX',
  'MOB',
  'GSM',
  'IBAN',
  'BIC',
  'SWIFT',
  'SIRET',
  'SIREN',
  'TVA',
  'VAT',
  'UST',
  'USTID',
  'KVK',
  'BTW',
  'CIF',
  'NIF',
  'NIE',
  'PIVA',
  'PAY',
  'TRN',
  'CRO',
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'LS',
  'BL',
  'DDT',
  'ART',
  'M',
  'CP',
  'BP',
  'CS',
  'CEDEX',
  'PLZ',
  'AB',
  'WE',
  'KW',
  'Q',
  'H',
  'N',
  'NO',
  'NR',
]);

const KEYWORD =
  /(?:invoices?|inv|facture|factures|fact|fac|rechnung(?:s-?nr)?|rechnungsnummer|rg|factura|facturas|fattura|fatture|ft|factuur|facturen|factuurnummer)\.?\s*(?:n[°ºo]\.?|no\.?|nr\.?|num(?:[ée]ro|mer|ber)?\.?|number|nummer|número|numero|#|:)?\s*:?\s*([A-Z]{0,5}[-/ ]?\d[\dA-Z/-]*\d|\d{3,})/giu;
const LETTER_PREFIXED = /(?<![\p{L}\d-])([A-Z]{1,5})([-/ ]?)(\d{1,6}(?:[-/.]\d{1,8})*)(?![\p{L}\d]|[-/]\d)/gu;
const YEAR_FIRST = /(?<![\d/.-])(20\d{2})[/-](\d{3,6})(?![\d]|[-/.]\d)/g;
const YEAR_LAST = /(?<![\d/.-])(\d{2,6})\/(20\d{2})(?![\d]|[-/.]\d)/g;
const DATE_LIKE = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})$/;

function mask(text: string): string {
  let out = text;
  for (const re of MASKS) out = out.replace(re, (m) => ' '.repeat(m.length));
  return out;
}

function digitCount(s: string): number {
  return s.replace(/\D/g, '').length;
}

function clean(candidate: string): string {
  return candidate.replace(/[.,;:)\]]+$/, '').trim();
}

/** The form two spellings of one number share: letters and digits only, upper case. */
export function invoiceKey(number: string): string {
  return number.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

interface Found {
  index: number;
  value: string;
}

function candidates(text: string): Found[] {
  const masked = mask(text);
  const found: Found[] = [];
  for (const m of masked.matchAll(KEYWORD)) {
    const value = clean(m[1]!);
    if (digitCount(value) >= 3 && !DATE_LIKE.test(value))
      found.push({ index: m.index + m[0].indexOf(m[1]!), value });
  }
  for (const m of masked.matchAll(LETTER_PREFIXED)) {
    const prefix = m[1]!;
    const digits = m[3]!;
    if (NOT_INVOICE_PREFIX.has(prefix)) continue;
    if (digitCount(digits) < 3) continue;
    // A separating space is only taken for short prefixes ("RG 2026/0118", "FT 88/2027") with a
    // structured number; "ABC 1234" is too often a product code or a postcode.
    if (m[2] === ' ' && !/[-/.]/.test(digits)) continue;
    // Postcodes with a country letter ("D-80331", "F-75001", "B-1000").
    if (
      prefix.length === 1 &&
      /^\d{4,5}$/.test(digits) &&
      /^\s+\p{Lu}/u.test(masked.slice(m.index + m[0].length))
    )
      continue;
    found.push({ index: m.index, value: clean(m[0]) });
  }
  for (const m of masked.matchAll(YEAR_FIRST)) found.push({ index: m.index, value: m[0] });
  for (const m of masked.matchAll(YEAR_LAST)) {
    if (Number(m[1]) <= 12 && m[1]!.length <= 2) continue; // a month and year
    found.push({ index: m.index, value: m[0] });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Invoice numbers mentioned in `text`, in order of appearance, without repeats. */
export function findInvoiceNumbers(text: string, options: InvoiceNumberOptions = {}): string[] {
  const found = candidates(text);
  const known = options.known?.filter((k) => invoiceKey(k).length > 0);
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (value: string) => {
    const key = invoiceKey(value);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(value);
  };
  if (!known || known.length === 0) {
    // A longer candidate holding a shorter one at the same place wins ("F-2026-0412" over "2026-0412").
    const kept = found.filter(
      (f) =>
        !found.some(
          (g) =>
            g !== f &&
            g.value.length > f.value.length &&
            g.value.includes(f.value) &&
            Math.abs(g.index - f.index) <= g.value.length,
        ),
    );
    for (const f of kept) push(f.value);
    return out;
  }
  const byKey = new Map(known.map((k) => [invoiceKey(k), k]));
  const hits: Found[] = [];
  for (const f of found) {
    const k = byKey.get(invoiceKey(f.value));
    if (k) hits.push({ index: f.index, value: k });
  }
  // Known numbers written in a way no pattern catches (a bare "12345", "f 2026 0412").
  const folded = text.toUpperCase();
  for (const k of known) {
    const parts = k.toUpperCase().match(/[A-Z]+|\d+/g) ?? [];
    if (parts.length === 0) continue;
    const re = new RegExp(`(?<![A-Z0-9])${parts.join('[\\s./-]?')}(?![A-Z0-9])`);
    const m = re.exec(folded);
    if (m) hits.push({ index: m.index, value: k });
  }
  hits.sort((a, b) => a.index - b.index);
  for (const h of hits) push(h.value);
  return out;
}
