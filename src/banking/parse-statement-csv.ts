// Bank statements exported as CSV from online banking: one row a transaction, columns named in the
// bank's language. The caller may say which column is which; otherwise the headers are recognised
// in French, English, German and Dutch. Preamble rows (account number, period, balance) before
// the header and trailing balance rows are skipped.
import Papa from 'papaparse';
import { isPlainDate, type PlainDate } from '../calendar/plain-date.ts';
import { normaliseHeader } from '../imports/columns.ts';
import { isCurrency, parseAmount } from '../ledger/money.ts';
import { findCreditorReference } from './creditor-reference.ts';
import { findIban, normalizeIban } from './iban.ts';
import { newEntry, type StatementEntry, type StatementFile, unreadable } from './statement.ts';
import { clean, decodeBytes, joinText, stripBom } from './text.ts';

/** Which column holds what, by header text (compared without case, accents or punctuation). */
export interface StatementCsvMapping {
  date: string;
  /** One signed amount column… */
  amount?: string;
  /** …or a credit column and a debit column. */
  credit?: string;
  debit?: string;
  currency?: string;
  /** Several columns are joined in order (a German export's Buchungstext and Verwendungszweck). */
  remittance: string | string[];
  counterpartyName?: string;
  counterpartyIban?: string;
  reference?: string;
  valueDate?: string;
}

export interface StatementCsvOptions {
  mapping?: StatementCsvMapping;
  /** For files without a currency column or a `Montant (EUR)` header; Ardent's default is EUR. */
  currency?: string;
  /** How `01/02/2026` reads; guessed from the dates in the file when absent, day first by default. */
  dateOrder?: DateOrder;
}

export type DateOrder = 'dmy' | 'mdy';

type Role = Exclude<keyof StatementCsvMapping, 'remittance'> | 'remittance';

// Normalised as normaliseHeader does: lower case, no accents, `_` for anything not a letter or digit.
const SYNONYMS: Record<Role, string[]> = {
  date: [
    'date',
    'date_operation',
    'date_ope',
    'date_d_operation',
    'date_de_l_operation',
    'date_comptable',
    'date_de_comptabilisation',
    'buchungstag',
    'buchungsdatum',
    'datum',
    'transaction_date',
    'posting_date',
    'booking_date',
    'date_posted',
    'completed_date',
    'boekdatum',
  ],
  valueDate: [
    'date_de_valeur',
    'date_valeur',
    'valeur',
    'value_date',
    'valuta',
    'valutadatum',
    'wertstellung',
    'rentedatum',
  ],
  amount: [
    'montant',
    'montant_en_euros',
    'montant_euros',
    'montant_operation',
    'amount',
    'transaction_amount',
    'betrag',
    'umsatz',
    'bedrag',
  ],
  credit: [
    'credit',
    'credit_euros',
    'credit_amount',
    'paid_in',
    'money_in',
    'haben',
    'gutschrift',
    'recette',
    'recettes',
    'encaissement',
  ],
  debit: [
    'debit',
    'debit_euros',
    'debit_amount',
    'paid_out',
    'money_out',
    'soll',
    'depense',
    'depenses',
    'decaissement',
  ],
  currency: ['devise', 'monnaie', 'currency', 'ccy', 'wahrung', 'waehrung', 'munt', 'valuta_code'],
  remittance: [
    'libelle',
    'libelle_operation',
    'libelle_de_l_operation',
    'libelle_simplifie',
    'libelle_complet',
    'detail',
    'details',
    'detail_de_l_operation',
    'informations_complementaires',
    'information_complementaire',
    'motif',
    'communication',
    'description',
    'transaction_description',
    'narrative',
    'memo',
    'buchungstext',
    'verwendungszweck',
    'omschrijving',
    'mededelingen',
    // In British exports "Reference" is what the payer typed (Faster Payments reference), often the
    // invoice number; the bank's own id is "Transaction ID". French "Référence" is ambiguous, and
    // text the matcher can read is the safer side.
    'reference',
    'payment_reference',
  ],
  counterpartyName: [
    'tiers',
    'beneficiaire',
    'donneur_d_ordre',
    'beneficiaire_donneur_d_ordre',
    'contrepartie',
    'nom_de_la_contrepartie',
    'counterparty',
    'counterparty_name',
    'counter_party',
    'payee',
    'payer',
    'payee_payer',
    'name',
    'begunstigter_zahlungspflichtiger',
    'beguenstigter_zahlungspflichtiger',
    'auftraggeber_empfanger',
    'auftraggeber_empfaenger',
    'name_zahlungsbeteiligter',
    'zahlungsbeteiligter',
    'naam_omschrijving',
    'naam_tegenpartij',
  ],
  counterpartyIban: [
    'iban',
    'iban_contrepartie',
    'compte_contrepartie',
    'counterparty_iban',
    'counterparty_account',
    'kontonummer',
    'kontonummer_iban',
    'iban_zahlungsbeteiligter',
    'tegenrekening',
    'tegenrekening_iban',
  ],
  reference: [
    'reference_operation',
    'reference_bancaire',
    'numero_d_operation',
    'transaction_id',
    'transaction_reference',
    'bankreferenz',
    'fitid',
  ],
};

const LOOKUP = new Map<string, Role>();
for (const [role, names] of Object.entries(SYNONYMS) as [Role, string[]][]) {
  for (const name of names) LOOKUP.set(name, role);
}

/** `Montant (EUR)` → `montant`, EUR: banks put the currency in the amount column's header. */
function headerKey(header: string): { key: string; currency?: string } {
  const key = normaliseHeader(header);
  const m = /^(.*)_([a-z]{3})$/.exec(key);
  if (m && isCurrency(m[2]!.toUpperCase()) && LOOKUP.has(m[1]!)) {
    return { key: m[1]!, currency: m[2]!.toUpperCase() };
  }
  return { key };
}

/**
 * A mapping read from the header row, or undefined when it lacks a date, an amount (or credit and
 * debit) or a description column. The first column found for a role wins, except descriptions,
 * which are all kept.
 */
export function guessStatementCsvMapping(headers: readonly string[]): StatementCsvMapping | undefined {
  const found = new Map<Role, string>();
  const remittance: string[] = [];
  for (const header of headers) {
    const role = LOOKUP.get(headerKey(header).key);
    if (role === 'remittance') remittance.push(header);
    else if (role && !found.has(role)) found.set(role, header);
  }
  const date = found.get('date');
  const amount = found.get('amount');
  const credit = found.get('credit');
  const debit = found.get('debit');
  if (!date || remittance.length === 0 || !(amount || (credit && debit))) return undefined;
  const mapping: StatementCsvMapping = {
    date,
    remittance: remittance.length === 1 ? remittance[0]! : remittance,
  };
  if (amount) mapping.amount = amount;
  else {
    mapping.credit = credit;
    mapping.debit = debit;
  }
  for (const role of [
    'currency',
    'counterpartyName',
    'counterpartyIban',
    'reference',
    'valueDate',
  ] as const) {
    const header = found.get(role);
    if (header) mapping[role] = header;
  }
  return mapping;
}

const HEADER_SEARCH_ROWS = 30;

export function parseStatementCsv(
  content: string | Uint8Array,
  file: string,
  options: StatementCsvOptions = {},
): StatementFile {
  const text = typeof content === 'string' ? stripBom(content) : stripBom(decodeBytes(content));
  const parsed = Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [';', ',', '\t', '|'],
  });
  const rows = parsed.data.filter((r): r is string[] => Array.isArray(r));

  let headerIndex = -1;
  let mapping = options.mapping;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS) && headerIndex < 0; i++) {
    const row = rows[i]!;
    if (mapping) {
      const wanted = normaliseHeader(mapping.date);
      if (row.some((cell) => normaliseHeader(cell) === wanted)) headerIndex = i;
    } else {
      const guessed = guessStatementCsvMapping(row);
      if (guessed) {
        mapping = guessed;
        headerIndex = i;
      }
    }
  }
  if (!mapping || headerIndex < 0) {
    throw unreadable(
      file,
      options.mapping
        ? `no header row with the column "${options.mapping.date}"`
        : 'no header row naming a date, an amount (or credit and debit) and a description column, such as "Date;Libellé;Montant"',
      'header',
    );
  }
  const header = rows[headerIndex]!;
  const columns = resolveColumns(header, mapping, file);
  const currency = checkedCurrency(
    (options.currency ?? columns.currencyHint ?? 'EUR').toUpperCase(),
    file,
    'header',
    'currency',
  );
  const dataRows = rows.slice(headerIndex + 1);
  const dateOrder = options.dateOrder ?? guessDateOrder(dataRows.map((r) => r[columns.date] ?? ''));
  // Papaparse counts rows, not lines: a quoted cell may span lines, so "row N" is the record number.
  const firstDataRow = headerIndex + 2;
  const entries: StatementEntry[] = [];
  dataRows.forEach((row, i) => {
    const entry = readRow(row, columns, { currency, dateOrder, file, at: `row ${firstDataRow + i}` });
    if (entry) entries.push(entry);
  });
  const account = rows
    .slice(0, headerIndex)
    .flat()
    .map((cell) => findIban(cell))
    .find((iban) => iban !== undefined);
  return {
    format: 'csv',
    statements: [{ ...(account ? { account } : {}), currency: entries[0]?.currency ?? currency, entries }],
  };
}

interface Columns {
  date: number;
  amount?: number;
  credit?: number;
  debit?: number;
  currency?: number;
  remittance: number[];
  counterpartyName?: number;
  counterpartyIban?: number;
  reference?: number;
  valueDate?: number;
  currencyHint?: string;
  names: string[];
}

function resolveColumns(header: string[], mapping: StatementCsvMapping, file: string): Columns {
  const keys = header.map((h) => normaliseHeader(h));
  const find = (name: string | undefined, role: string): number | undefined => {
    if (name === undefined) return undefined;
    const index = keys.indexOf(normaliseHeader(name));
    if (index < 0) throw unreadable(file, `the header has no column "${name}" for ${role}`, 'header', name);
    return index;
  };
  const remittanceNames = Array.isArray(mapping.remittance) ? mapping.remittance : [mapping.remittance];
  const amountHeader = mapping.amount ?? mapping.credit;
  if (!mapping.amount && !(mapping.credit && mapping.debit)) {
    throw unreadable(file, 'the mapping needs an amount column, or a credit and a debit column', 'header');
  }
  return {
    date: find(mapping.date, 'the date')!,
    amount: find(mapping.amount, 'the amount'),
    credit: find(mapping.credit, 'credits'),
    debit: find(mapping.debit, 'debits'),
    currency: find(mapping.currency, 'the currency'),
    remittance: remittanceNames.map((n) => find(n, 'the description')!),
    counterpartyName: find(mapping.counterpartyName, 'the counterparty name'),
    counterpartyIban: find(mapping.counterpartyIban, 'the counterparty IBAN'),
    reference: find(mapping.reference, 'the reference'),
    valueDate: find(mapping.valueDate, 'the value date'),
    currencyHint: amountHeader ? headerKey(amountHeader).currency : undefined,
    names: header,
  };
}

function checkedCurrency(code: string, file: string, at: string, field: string): string {
  if (!isCurrency(code)) {
    throw unreadable(file, `expected an ISO 4217 currency code such as EUR, got "${code}"`, at, field);
  }
  return code;
}

const DATE_LIKE = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

function guessDateOrder(cells: string[]): DateOrder {
  for (const cell of cells) {
    const m = DATE_LIKE.exec(cell.trim());
    if (!m || m[1]!.length === 4) continue;
    if (Number(m[1]) > 12) return 'dmy';
    if (Number(m[2]) > 12) return 'mdy';
  }
  return 'dmy';
}

/** null: not a date at all (a "Solde au …" row); undefined: shaped like a date but not a real one. */
function readDate(text: string, order: DateOrder): PlainDate | null | undefined {
  const s = text.trim();
  const m = DATE_LIKE.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  let [y, mo, d] = [m[3]!, m[2]!, m[1]!];
  if (m[1]!.length === 4) [y, mo, d] = [m[1]!, m[2]!, m[3]!];
  else if (order === 'mdy') [mo, d] = [m[1]!, m[2]!];
  // Two-digit years in bank exports are this century's.
  if (y.length === 2) y = `20${y}`;
  const date = `${y.padStart(4, '0')}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isPlainDate(date) ? date : undefined;
}

interface RowContext {
  currency: string;
  dateOrder: DateOrder;
  file: string;
  at: string;
}

function readRow(row: string[], c: Columns, ctx: RowContext): StatementEntry | undefined {
  const cell = (index: number | undefined) => (index === undefined ? undefined : clean(row[index]));
  const dateText = cell(c.date);
  if (!dateText) return undefined;
  const bookingDate = readDate(dateText, ctx.dateOrder);
  if (bookingDate === null) return undefined;
  const dateField = c.names[c.date];
  if (bookingDate === undefined) {
    throw unreadable(ctx.file, `"${dateText}" is not a date`, ctx.at, dateField);
  }
  const currencyText = cell(c.currency);
  const currency = currencyText
    ? checkedCurrency(currencyText.toUpperCase(), ctx.file, ctx.at, c.names[c.currency!]!)
    : ctx.currency;
  const amountOf = (index: number | undefined): number | undefined => {
    const text = cell(index);
    if (text === undefined) return undefined;
    const r = parseAmount(text, currency);
    if (!r.ok) throw unreadable(ctx.file, r.reason, ctx.at, c.names[index!]);
    return r.minor;
  };
  let signed: number;
  if (c.amount !== undefined) {
    const amount = amountOf(c.amount);
    if (amount === undefined) throw unreadable(ctx.file, 'the amount is empty', ctx.at, c.names[c.amount]);
    signed = amount;
  } else {
    const credit = amountOf(c.credit);
    const debit = amountOf(c.debit);
    if (credit === undefined && debit === undefined) {
      throw unreadable(ctx.file, 'neither a credit nor a debit amount', ctx.at, c.names[c.credit!]);
    }
    // Banks write the debit column with or without a minus sign.
    signed = Math.abs(credit ?? 0) - Math.abs(debit ?? 0);
  }
  const valueDateText = cell(c.valueDate);
  const valueDate = valueDateText ? readDate(valueDateText, ctx.dateOrder) : undefined;
  if (valueDateText && !valueDate) {
    throw unreadable(ctx.file, `"${valueDateText}" is not a date`, ctx.at, c.names[c.valueDate!]);
  }
  const remittance = joinText(c.remittance.map((i) => cell(i)));
  const name = cell(c.counterpartyName);
  const iban = normalizeIban(cell(c.counterpartyIban));
  return newEntry({
    amount: Math.abs(signed),
    currency,
    direction: signed < 0 ? 'debit' : 'credit',
    bookingDate,
    valueDate: valueDate ?? undefined,
    bankReference: cell(c.reference),
    creditorReference: findCreditorReference(remittance),
    remittance,
    counterparty: { ...(name ? { name } : {}), ...(iban ? { iban } : {}) },
  });
}
