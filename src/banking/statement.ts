// What every statement parser (camt, OFX, MT940, CSV) turns a bank file into, and the JSON that
// `ardent inspect-statement --json` prints for it (CONTRACT.md §5). Absent values are left out of the
// JSON, never written as null.
import type { PlainDate } from '../calendar/plain-date.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { formatDecimal } from '../ledger/money.ts';

export type StatementFormat = 'camt.052' | 'camt.053' | 'camt.054' | 'ofx' | 'mt940' | 'csv';

export type EntryDirection = 'credit' | 'debit';

/** `booked` is on the account; `pending` is announced but not booked yet; `info` never will be (camt INFO). */
export type EntryStatus = 'booked' | 'pending' | 'info';

export interface Counterparty {
  name?: string;
  iban?: string;
  bic?: string;
}

export interface StatementEntry {
  /** Minor units, never negative: `direction` says which way the money went. */
  amount: number;
  currency: string;
  direction: EntryDirection;
  status: EntryStatus;
  bookingDate?: PlainDate;
  valueDate?: PlainDate;
  /** The bank's own reference: camt AcctSvcrRef, OFX FITID, MT940 reference after `//`. */
  bankReference?: string;
  endToEndId?: string;
  /** ISO 11649 `RF…` in compact form, Belgian `+++123/4567/89012+++`, or another structured reference as given. */
  creditorReference?: string;
  /** Every unstructured remittance line, joined. */
  remittance?: string;
  counterparty: Counterparty;
  /** The entry cancels an earlier one (camt RvslInd, MT940 RC/RD); `direction` is the way this entry goes. */
  reversal: boolean;
  /** The transactions of a batch entry (several camt TxDtls); empty otherwise. */
  details: StatementEntry[];
}

export interface Balance {
  /** Minor units, negative for a debit balance. */
  amount: number;
  currency: string;
  date?: PlainDate;
}

export interface Statement {
  /** IBAN when the bank gives one, its own account id otherwise. */
  account?: string;
  currency: string;
  id?: string;
  openingBalance?: Balance;
  closingBalance?: Balance;
  entries: StatementEntry[];
}

export interface StatementFile {
  format: StatementFormat;
  statements: Statement[];
}

/** A fresh entry with nothing but what every entry must have. */
export function newEntry(
  fields: Pick<StatementEntry, 'amount' | 'currency' | 'direction'> & Partial<StatementEntry>,
): StatementEntry {
  return { status: 'booked', counterparty: {}, reversal: false, details: [], ...fields };
}

/** The whole file is refused: names the file, where in it, and the field. */
export function unreadable(file: string, message: string, at?: string, field?: string): UnreadableFileError {
  return new UnreadableFileError({
    file,
    ...(at === undefined ? {} : { at }),
    ...(field === undefined ? {} : { field }),
    message,
  });
}

// --- CONTRACT.md §5 ---

export interface CounterpartyJson {
  name?: string;
  iban?: string;
  bic?: string;
}

export interface EntryJson {
  amount: string;
  currency: string;
  direction: EntryDirection;
  status: EntryStatus;
  bookingDate?: string;
  valueDate?: string;
  bankReference?: string;
  endToEndId?: string;
  creditorReference?: string;
  remittance?: string;
  counterparty: CounterpartyJson;
  reversal: boolean;
  details?: EntryJson[];
}

export interface BalanceJson {
  amount: string;
  currency: string;
  date?: string;
}

export interface StatementJson {
  account?: string;
  currency: string;
  id?: string;
  openingBalance?: BalanceJson;
  closingBalance?: BalanceJson;
  entries: EntryJson[];
}

export interface StatementFileJson {
  format: StatementFormat;
  statements: StatementJson[];
}

export function toContractJson(file: StatementFile): StatementFileJson {
  return { format: file.format, statements: file.statements.map(statementJson) };
}

function statementJson(s: Statement): StatementJson {
  return compact({
    account: s.account,
    currency: s.currency,
    id: s.id,
    openingBalance: s.openingBalance && balanceJson(s.openingBalance),
    closingBalance: s.closingBalance && balanceJson(s.closingBalance),
    entries: s.entries.map(entryJson),
  });
}

function balanceJson(b: Balance): BalanceJson {
  return compact({ amount: formatDecimal(b.amount, b.currency), currency: b.currency, date: b.date });
}

function entryJson(e: StatementEntry): EntryJson {
  return compact({
    amount: formatDecimal(e.amount, e.currency),
    currency: e.currency,
    direction: e.direction,
    status: e.status,
    bookingDate: e.bookingDate,
    valueDate: e.valueDate,
    bankReference: e.bankReference,
    endToEndId: e.endToEndId,
    creditorReference: e.creditorReference,
    remittance: e.remittance,
    counterparty: compact({ name: e.counterparty.name, iban: e.counterparty.iban, bic: e.counterparty.bic }),
    reversal: e.reversal,
    details: e.details.length > 1 ? e.details.map(entryJson) : undefined,
  });
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined members, keeping the key order the contract shows. */
function compact<T extends object>(value: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as Compact<T>;
}
