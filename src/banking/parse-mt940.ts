// SWIFT MT940 customer statements, with or without the {1:}{2:}{4: … -} envelope, one or several
// statements (each opened by :20:) in one file. Field layouts follow the SWIFT MT940 standard
// (Category 9, Cash Management); the free-format :86: is read by mt940-information.ts.
import { isPlainDate, type PlainDate } from '../calendar/plain-date.ts';
import { isCurrency } from '../ledger/money.ts';
import { parseStatementAmount } from './amount.ts';
import { normalizeIban } from './iban.ts';
import { readInformation } from './mt940-information.ts';
import {
  type Balance,
  newEntry,
  type Statement,
  type StatementEntry,
  type StatementFile,
  unreadable,
} from './statement.ts';
import { clean, decodeBytes, stripBom } from './text.ts';

interface Field {
  tag: string;
  /** 1-based line of the tag. */
  line: number;
  lines: string[];
}

export function parseMt940(content: string | Uint8Array, file: string): StatementFile {
  const text = typeof content === 'string' ? stripBom(content) : stripBom(decodeBytes(content));
  const groups = groupStatements(readFields(text));
  if (groups.length === 0) throw unreadable(file, 'not an MT940 statement: no :20:, :25: or :61: field');
  return { format: 'mt940', statements: groups.map((g) => readStatement(g, file)) };
}

const FIELD_START = /^:(\d{2}[A-Z]?):/;

/** Splits the text into tagged fields, dropping the SWIFT envelope (blocks 1, 2, 3, the `{4:` and `-}`). */
function readFields(text: string): Field[] {
  const fields: Field[] = [];
  let current: Field | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    if (line.startsWith('{')) {
      line = line.replace(/^(?:\{[1235]:(?:[^{}]|\{[^{}]*\})*\})*(?:\{4:)?/, '');
      current = undefined;
    }
    if (/^-\}?/.test(line) && !FIELD_START.test(line)) {
      // End of block 4 (`-}`), possibly followed by the trailer block 5.
      current = undefined;
      continue;
    }
    const start = FIELD_START.exec(line);
    if (start) {
      current = { tag: start[1]!, line: n + 1, lines: [line.slice(start[0].length)] };
      fields.push(current);
    } else if (current && line.trim() !== '') {
      current.lines.push(line);
    }
  }
  return fields;
}

function groupStatements(fields: Field[]): Field[][] {
  const groups: Field[][] = [];
  let current: Field[] | undefined;
  for (const field of fields) {
    if (field.tag === '20' || !current) {
      current = [];
      groups.push(current);
    }
    current.push(field);
  }
  return groups.filter((g) => g.some((f) => ['20', '25', '60F', '60M', '61'].includes(f.tag)));
}

function where(field: Field): string {
  return `line ${field.line}`;
}

const FIELD_NAMES: Record<string, string> = {
  '25': 'account',
  '60F': 'opening balance',
  '60M': 'opening balance',
  '61': 'statement line',
  '62F': 'closing balance',
  '62M': 'closing balance',
};

/** `61 (statement line)`, for a Problem's field. */
function fieldName(tag: string): string {
  const name = FIELD_NAMES[tag];
  return name ? `${tag} (${name})` : tag;
}

// YYMMDD. SWIFT has no century: years 00–79 are read as 2000–2079, 80–99 as 1980–1999.
function readDate(yymmdd: string, field: Field, file: string): PlainDate {
  const yy = Number(yymmdd.slice(0, 2));
  const date = `${yy < 80 ? 2000 + yy : 1900 + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  if (!isPlainDate(date)) {
    throw unreadable(file, `expected a date as YYMMDD, got "${yymmdd}"`, where(field), fieldName(field.tag));
  }
  return date;
}

function readAmount(text: string, currency: string, field: Field, file: string): number {
  const r = parseStatementAmount(text, currency, ',');
  if (!r.ok) throw unreadable(file, r.reason, where(field), fieldName(field.tag));
  return r.minor;
}

function checkCurrency(code: string, field: Field, file: string): string {
  if (!isCurrency(code)) {
    throw unreadable(
      file,
      `expected an ISO 4217 currency code such as EUR, got "${code}"`,
      where(field),
      fieldName(field.tag),
    );
  }
  return code;
}

/** :60F:, :60M:, :62F:, :62M: — D/C mark, date YYMMDD, currency, amount with a decimal comma. */
function readBalance(field: Field, file: string): Balance {
  const value = field.lines[0]!.trim();
  const m = /^([CD])(\d{6})([A-Z]{3})(.+)$/.exec(value);
  if (!m) {
    throw unreadable(
      file,
      `expected a balance such as C261113EUR1234,56, got "${value}"`,
      where(field),
      fieldName(field.tag),
    );
  }
  const currency = checkCurrency(m[3]!, field, file);
  const amount = readAmount(m[4]!, currency, field, file);
  return { amount: m[1] === 'D' ? -amount : amount, currency, date: readDate(m[2]!, field, file) };
}

function readStatement(fields: Field[], file: string): Statement {
  const get = (...tags: string[]) => fields.find((f) => tags.includes(f.tag));
  const opening = get('60F', '60M');
  const closing = get('62F', '62M');
  const openingBalance = opening ? readBalance(opening, file) : undefined;
  const closingBalance = closing ? readBalance(closing, file) : undefined;
  const currency = openingBalance?.currency ?? closingBalance?.currency;
  const first = fields[0]!;
  // :62F:/:62M: is mandatory; a statement without it was cut short and may lack entries.
  if (!closing) {
    const last = fields[fields.length - 1]!;
    throw unreadable(
      file,
      'the statement has no closing balance (:62F:): it looks cut short',
      where(last),
      fieldName('62F'),
    );
  }
  if (!currency) {
    throw unreadable(
      file,
      'the statement has no opening balance (:60F:) to give its currency',
      where(first),
      fieldName('60F'),
    );
  }
  const entries: StatementEntry[] = [];
  fields.forEach((field, i) => {
    if (field.tag !== '61') return;
    const next = fields[i + 1];
    entries.push(readEntry(field, next?.tag === '86' ? next : undefined, currency, file));
  });
  const ref20 = clean(get('20')?.lines.join(''));
  const number = clean(get('28C', '28')?.lines.join(''));
  return {
    account: readAccount(get('25')),
    currency,
    // :20: is often a constant (German banks write STARTUMSE); :28C: numbers the statement.
    id: number ?? ref20,
    openingBalance,
    closingBalance,
    entries,
  };
}

/** :25: is `BLZ/account` in Germany, an IBAN elsewhere, sometimes followed by the currency (Rabobank, ING). */
function readAccount(field: Field | undefined): string | undefined {
  const value = clean(field?.lines.join(''));
  if (!value) return undefined;
  const withoutCurrency = value.replace(/\s*[A-Z]{3}$/, '');
  return normalizeIban(withoutCurrency) ?? normalizeIban(value) ?? value;
}

// :61: subfields 1–6: value date, entry date MMDD, mark (C, D, RC, RD), funds code (third letter of
// the currency), amount, transaction type (N/F/S and three characters). Customer reference, `//` and
// bank reference follow; the second line holds supplementary details.
const STATEMENT_LINE = /^(\d{6})(\d{4})?(R?[CD])([A-Z])?(\d[\d,]*)([NSF][A-Z0-9]{3})/;

function readEntry(field: Field, info: Field | undefined, currency: string, file: string): StatementEntry {
  const line = field.lines[0]!.trim();
  const m = STATEMENT_LINE.exec(line);
  if (!m) {
    throw unreadable(
      file,
      `expected a statement line such as 2611131113CR1250,00NTRFNONREF//BANKREF, got "${line.slice(0, 80)}"`,
      where(field),
      fieldName('61'),
    );
  }
  const valueDate = readDate(m[1]!, field, file);
  const bookingDate = m[2] ? entryDate(valueDate, m[2], field, file) : valueDate;
  const mark = m[3]!;
  const amount = readAmount(m[5]!, currency, field, file);
  const rest = line.slice(m[0].length);
  const slashes = rest.indexOf('//');
  const customerReference = clean(slashes < 0 ? rest : rest.slice(0, slashes));
  const bankReference = slashes < 0 ? undefined : clean(rest.slice(slashes + 2));
  const supplementary = clean(field.lines.slice(1).join(' '));
  const information = info ? readInformation(info.lines) : undefined;
  // NONREF is the SWIFT placeholder for "no reference".
  const ownReference = customerReference && customerReference !== 'NONREF' ? customerReference : undefined;
  return newEntry({
    amount,
    currency,
    // RC is the reversal of a credit, so a debit; RD the reversal of a debit, so a credit.
    direction: mark === 'C' || mark === 'RD' ? 'credit' : 'debit',
    reversal: mark.startsWith('R'),
    bookingDate,
    valueDate,
    bankReference,
    endToEndId: information?.endToEndId ?? ownReference,
    creditorReference: information?.creditorReference,
    remittance: information ? information.remittance : supplementary,
    counterparty: information?.counterparty ?? {},
  });
}

/** The entry date has no year: it is the value date's, or the adjacent one across a new year. */
function entryDate(valueDate: PlainDate, mmdd: string, field: Field, file: string): PlainDate {
  const year = Number(valueDate.slice(0, 4));
  const monthGap = Number(mmdd.slice(0, 2)) - Number(valueDate.slice(5, 7));
  const y = monthGap > 6 ? year - 1 : monthGap < -6 ? year + 1 : year;
  const date = `${y}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`;
  if (!isPlainDate(date)) {
    throw unreadable(file, `expected an entry date as MMDD, got "${mmdd}"`, where(field), fieldName('61'));
  }
  return date;
}
