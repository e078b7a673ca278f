// The invoice references a bank entry may carry, as the compact keys the invoices are looked up by
// (`ardent_number_key` in migration 003): "VIR SEPA FACT F 2026 0412", "F-2026-0412" and
// "RE F20260412" all carry F20260412. Pure.
//
// Payers copy a number with spaces, dashes, dots or slashes where the invoice had others, glue a
// word in front ("FACTUREF1001", "NR12345") and wrap the line where the bank cuts it. So every run of
// one to five consecutive words of the text is a candidate key, and only those the organisation
// has as an invoice number survive the lookup: the database's index is the list of known numbers.
//
// Structured references are read too. An ISO 11649 `RF` reference embeds its creditor's own
// reference; Ardent's is the invoice number itself (`invoiceCreditorReference`), so the body of any
// valid RF reference is a key. A Belgian structured communication's first ten digits, leading
// zeros dropped, are a key as well, for sellers who number their invoices that way.
import { findBelgianStructuredCommunication, findRfReference, mod97 } from './creditor-reference.ts';

/**
 * The compact form two spellings of one invoice number share: letters and digits, upper case.
 * Exactly what `ardent_number_key` computes in SQL (strip, then upper-case), so that a key made here
 * finds the invoice through that index; a test holds the two together.
 */
export function numberKey(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

export type ReferenceSource = 'creditor_reference' | 'remittance' | 'end_to_end';

export interface ReferenceKey {
  key: string;
  source: ReferenceSource;
  /** Where it was found, for the reason given to people: "RF75F20261001", "F 2026 0412". */
  text: string;
  /** Index of its first and last word in the remittance (for `remittance` keys): a longer run holding a shorter one wins. */
  from: number;
  to: number;
  /** A short bare number (under five digits) with no invoice word before it: often a date or an order. */
  weak: boolean;
}

// Words that introduce an invoice number, and that payers glue to it ("FACTUREF1001", "NR12345").
const INVOICE_WORDS = [
  'FACTURES',
  'FACTURE',
  'FACTUUR',
  'FACTURA',
  'FATTURA',
  'FAKTURA',
  'RECHNUNGSNR',
  'RECHNUNG',
  'INVOICES',
  'INVOICE',
  'FACT',
  'FAC',
  'INV',
  'RG',
  'RE',
  'NUMERO',
  'NUM',
  'NR',
  'NO',
  'N',
];
const INVOICE_WORD = new Set(INVOICE_WORDS);
const MAX_WORDS = 5;
const MIN_KEY = 3;
const MAX_KEY = 35;
const MAX_KEYS = 400;

/** The RF reference Ardent puts on an invoice (ISO 11649): `RF` + check digits + the compact number. */
export function invoiceCreditorReference(invoiceNumber: string): string | undefined {
  const body = numberKey(invoiceNumber);
  if (body.length === 0 || body.length > 21) return undefined;
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, '0')}${body}`;
}

function structuredKeys(reference: string): string[] {
  const compact = reference.replace(/[\s+*/-]/g, '').toUpperCase();
  if (/^RF\d{2}[A-Z0-9]+$/.test(compact)) return [compact.slice(4)];
  if (/^\d{12}$/.test(compact)) {
    const digits = compact.slice(0, 10).replace(/^0+/, '');
    return digits.length >= MIN_KEY ? [digits] : [];
  }
  return [compact];
}

interface Word {
  text: string;
  start: number;
  end: number;
  /** Separated from the previous word by a space, dash, dot or slash (not by a comma, colon or newline). */
  joined: boolean;
}

function words(text: string): Word[] {
  const out: Word[] = [];
  const re = /[A-Za-z0-9]+/g;
  let last = -1;
  for (const m of text.matchAll(re)) {
    const gap = last < 0 ? '' : text.slice(last, m.index);
    out.push({
      text: m[0].toUpperCase(),
      start: m.index,
      end: m.index + m[0].length,
      joined: last >= 0 && /^[\s./_-]{1,3}$/.test(gap),
    });
    last = m.index + m[0].length;
  }
  return out;
}

function stripInvoiceWord(key: string): string | undefined {
  for (const w of INVOICE_WORDS) {
    if (key.length > w.length + 1 && key.startsWith(w) && /\d/.test(key.slice(w.length))) {
      return key.slice(w.length);
    }
  }
  return undefined;
}

/** Every key under which an invoice this entry pays could be filed, with where each came from. */
export function referenceKeys(entry: {
  remittance?: string | undefined;
  creditorReference?: string | undefined;
  endToEndId?: string | undefined;
}): ReferenceKey[] {
  const out: ReferenceKey[] = [];
  const seen = new Set<string>();
  const push = (k: ReferenceKey) => {
    if (k.key.length < MIN_KEY || k.key.length > MAX_KEY || !/\d/.test(k.key) || out.length >= MAX_KEYS)
      return;
    const id = `${k.source}|${k.key}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(k);
  };
  const structured = (text: string, key: string) =>
    push({ key, source: 'creditor_reference', text, from: -1, to: -1, weak: false });

  if (entry.creditorReference) {
    for (const key of structuredKeys(entry.creditorReference)) structured(entry.creditorReference, key);
  }
  const remittance = entry.remittance ?? '';
  const rf = findRfReference(remittance);
  if (rf) structured(rf, rf.slice(4));
  const be = findBelgianStructuredCommunication(remittance);
  if (be) for (const key of structuredKeys(be)) structured(be, key);

  const list = words(remittance);
  // Keys found by taking a glued word off ("FACTUREF1001") come after those written apart, so that
  // "FACTURES F-0998" reports "F-0998" as where F-0998 was found.
  const glued: ReferenceKey[] = [];
  for (let i = 0; i < list.length; i++) {
    let key = '';
    for (let j = i; j < list.length && j < i + MAX_WORDS; j++) {
      if (j > i && !list[j]!.joined) break;
      key += list[j]!.text;
      if (key.length > MAX_KEY) break;
      const introduced = i > 0 && INVOICE_WORD.has(list[i - 1]!.text);
      const weak = /^\d{1,4}$/.test(key) && !introduced;
      // A bare one- or two-digit number is a day, a month or a line number, never worth a lookup.
      if (/^\d{1,2}$/.test(key)) continue;
      if (/^\d{3}$/.test(key) && !introduced) continue;
      push({
        key,
        source: 'remittance',
        text: remittance.slice(list[i]!.start, list[j]!.end),
        from: i,
        to: j,
        weak,
      });
      const stripped = stripInvoiceWord(key);
      if (stripped)
        glued.push({
          key: stripped,
          source: 'remittance',
          text: remittance.slice(list[i]!.start, list[j]!.end),
          from: i,
          to: j,
          weak: false,
        });
    }
  }
  for (const k of glued) push(k);
  if (entry.endToEndId && entry.endToEndId !== 'NOTPROVIDED') {
    push({
      key: numberKey(entry.endToEndId),
      source: 'end_to_end',
      text: entry.endToEndId,
      from: -1,
      to: -1,
      weak: false,
    });
  }
  return out;
}
