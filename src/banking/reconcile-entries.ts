// From a parsed statement file to the bank transactions reconciliation looks at: one item per
// transaction (a batch entry's details are each a payment), sorted into credits to match,
// reversals to undo, and what is not ours (debits, entries not booked yet). Pure.
import { createHash } from 'node:crypto';
import { normalizeIban } from './iban.ts';
import type { StatementEntry, StatementFile } from './statement.ts';

export interface BankItem {
  entry: StatementEntry;
  /** Its statement in the file, from 1. */
  statement: number;
  account: string | null;
  /** Where in the file, for messages: "statement 2, entry 5, detail 1". */
  at: string;
  /** One bank transaction, one key: the bank's reference, else a hash of the entry. */
  dedupeKey: string;
  bookingDate: string;
  payerName: string | undefined;
  payerIban: string | undefined;
}

export interface SortedItems {
  credits: BankItem[];
  /** Entries that take back an earlier credit (a returned transfer). */
  reversals: BankItem[];
  /** All transactions in the file, batch details counted one by one. */
  total: number;
  debits: number;
  /** Announced, not booked (camt PDNG / INFO): the money is not there yet. */
  notBooked: number;
  /** Entries with no date at all, which cannot be booked (named in `problems`). */
  refused: { at: string; message: string }[];
  statements: { index: number; account: string | null; currency: string; credits: number }[];
}

// References banks send when they have none of their own: not unique, so not a key.
const NOT_A_REFERENCE = /^(NONREF|NOTPROVIDED|NONE|N\/A|0+)?$/i;

function usableReference(ref: string | undefined): string | undefined {
  const r = ref?.trim();
  return r && !NOT_A_REFERENCE.test(r) ? r : undefined;
}

function entryHash(account: string | null, e: StatementEntry): string {
  const stable = [
    account ?? '',
    e.direction,
    e.reversal,
    e.amount,
    e.currency,
    e.bookingDate ?? '',
    e.valueDate ?? '',
    e.counterparty.iban ?? '',
    e.counterparty.name ?? '',
    e.remittance ?? '',
    e.creditorReference ?? '',
    e.endToEndId ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 40);
}

export function sortStatementFile(file: StatementFile): SortedItems {
  const out: SortedItems = {
    credits: [],
    reversals: [],
    total: 0,
    debits: 0,
    notBooked: 0,
    refused: [],
    statements: [],
  };
  // Two identical transfers on one day (same payer, amount and text, no bank reference) are two
  // payments: the second of a kind in a file gets "#1", so re-importing the file gives the same keys.
  const seen = new Map<string, number>();
  const keyOf = (base: string) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}#${n}`;
  };
  file.statements.forEach((statement, s) => {
    const account = statement.account ?? null;
    const summary = { index: s + 1, account, currency: statement.currency, credits: 0 };
    out.statements.push(summary);
    statement.entries.forEach((entry, e) => {
      const parts = entry.details.length > 0 ? entry.details : [entry];
      parts.forEach((tx, d) => {
        out.total++;
        const at = `statement ${s + 1}, entry ${e + 1}${entry.details.length > 0 ? `, detail ${d + 1}` : ''}`;
        if (tx.status !== 'booked') {
          out.notBooked++;
          return;
        }
        // A reversal of a credit goes out (debit); a reversal of our own debit comes back: not ours.
        const takesBack = tx.reversal && tx.direction === 'debit';
        if (tx.direction === 'debit' && !takesBack) {
          out.debits++;
          return;
        }
        if (tx.reversal && !takesBack) {
          out.debits++;
          return;
        }
        const bookingDate = tx.bookingDate ?? tx.valueDate ?? entry.bookingDate ?? entry.valueDate;
        if (!bookingDate) {
          out.refused.push({ at, message: 'a booked entry without a booking or value date' });
          return;
        }
        const own = usableReference(tx.bankReference);
        const parent = entry.details.length > 0 ? usableReference(entry.bankReference) : undefined;
        const ref = own && own !== parent ? own : parent ? `${parent}/${d + 1}` : own;
        const base = ref ? `ref:${account ?? ''}:${ref}` : `sha256:${entryHash(account, tx)}`;
        const item: BankItem = {
          entry: tx,
          statement: s + 1,
          account,
          at,
          dedupeKey: keyOf(base),
          bookingDate,
          payerName: tx.counterparty.name,
          payerIban: normalizeIban(tx.counterparty.iban),
        };
        if (takesBack) out.reversals.push(item);
        else {
          out.credits.push(item);
          summary.credits++;
        }
      });
    });
  });
  return out;
}
