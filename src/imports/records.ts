// What every invoice source (CSV, JSON, UBL, CII, Factur-X) turns its input into: validated
// records, or problems that name where and what. Writing them to the ledger is import-invoices.ts's job.
import type { PlainDate } from '../calendar/plain-date.ts';

export interface PostalAddress {
  lines: string[];
  postalCode?: string;
  city?: string;
  country?: string;
}

export interface ContactRecord {
  name?: string;
  email?: string;
  phone?: string;
  language?: string;
  role?: 'billing' | 'primary' | 'other';
  address?: PostalAddress;
}

export interface CustomerRecord {
  ref: string;
  name: string;
  country?: string;
  language?: string;
  legalId?: string;
  vatId?: string;
  address?: PostalAddress;
  /** Set only by sources that carry these flags (JSON); others leave what a person chose untouched. */
  strategic?: boolean;
  excluded?: boolean;
  contacts: ContactRecord[];
}

export interface InvoiceRecord {
  number: string;
  type: 'invoice' | 'credit_note';
  customerRef: string;
  issueDate: PlainDate;
  dueDate: PlainDate;
  currency: string;
  /** Minor units, never negative: a credit note's total is the credit it gives. */
  total: number;
  /** Minor units still due (for a credit note: still to be used). */
  outstanding: number;
  poNumber?: string;
  /** For a credit note: the number of the invoice it corrects, when the source says. */
  appliesTo?: string;
}

/** Where a problem sits: `line 12` for CSV, an element path for XML, `invoices[3]` for JSON. */
export interface Problem {
  file: string;
  at?: string;
  field?: string;
  message: string;
}

export type ImportItem =
  | { kind: 'invoice'; at: string; customer: CustomerRecord; invoice: InvoiceRecord }
  | { kind: 'customer'; at: string; customer: CustomerRecord }
  | { kind: 'problem'; problem: Problem };

export interface ParseContext {
  file: string;
  /** The organisation's currency, for sources that leave it out. */
  defaultCurrency: string;
}

/** `file: line 12: field due_date: expected …` — one line, for stderr. */
export function describeProblem(p: Problem): string {
  return [p.file, p.at, p.field ? `field ${p.field}` : undefined, p.message].filter(Boolean).join(': ');
}

/** Thrown when a whole file cannot be read (not a format we know, broken XML, unreadable PDF). */
export class UnreadableFileError extends Error {
  constructor(readonly problem: Problem) {
    super(describeProblem(problem));
  }
}
