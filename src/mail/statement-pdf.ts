// The statement of account that goes with every reminder: the customer's open items (invoices and
// unused credit notes) with their number, date, due date, amount and what is still due, and the total
// per currency, in the message's language. Pure: the moment of creation is passed in.
import type { PlainDate } from '../calendar/plain-date.ts';
import type { PostalAddress } from '../imports/records.ts';
import { documentFormat } from './document-text.ts';
import { A4, mm, PdfDocument, type PdfPage } from './pdf-writer.ts';

export interface StatementItem {
  number: string;
  type: 'invoice' | 'credit_note';
  issueDate: PlainDate;
  dueDate: PlainDate;
  currency: string;
  /** Minor units. */
  total: number;
  /** Minor units still due; for a credit note, the credit still to use. */
  outstanding: number;
}

export interface StatementInput {
  language: string;
  /** The customer's country, for regional number and date formats. */
  country?: string | null;
  asOf: PlainDate;
  seller: {
    name: string;
    address?: PostalAddress | null;
    iban?: string | null;
    bic?: string | null;
    bankName?: string | null;
  };
  customer: { name: string; ref: string };
  items: readonly StatementItem[];
  created: Date;
}

const LEFT = mm(20);
const RIGHT = A4.width - mm(20);
const ROWS_PER_PAGE = 38;
// Column right edges for the amounts, left edges for the rest.
const COL = {
  number: LEFT,
  date: LEFT + mm(52),
  due: LEFT + mm(82),
  amount: RIGHT - mm(32),
  outstanding: RIGHT,
};

export function statementFileName(language: string, customerRef: string, asOf: PlainDate): string {
  const safeRef = customerRef.replace(/[^\w.-]+/g, '_').slice(0, 40);
  return `${documentFormat(language).words.fileStatement}_${safeRef}_${asOf}.pdf`;
}

export function statementPdf(input: StatementInput): Uint8Array {
  const f = documentFormat(input.language, input.country);
  const w = f.words;
  const doc = new PdfDocument();
  const items = [...input.items].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number),
  );
  const pages = Math.max(1, Math.ceil(items.length / ROWS_PER_PAGE));
  let page: PdfPage = doc.addPage();
  let y = 0;

  const head = (n: number) => {
    page.text(LEFT, A4.height - mm(20), input.seller.name, { size: 11, face: 'bold' });
    let sy = A4.height - mm(25);
    for (const line of [
      ...(input.seller.address?.lines ?? []),
      [input.seller.address?.postalCode, input.seller.address?.city].filter(Boolean).join(' '),
    ]) {
      if (!line) continue;
      page.text(LEFT, sy, line, { size: 9, gray: 0.3 });
      sy -= 11;
    }
    page.text(RIGHT, A4.height - mm(20), `${w.statement} ${w.asOf} ${f.longDate(input.asOf)}`, {
      size: 13,
      face: 'bold',
      align: 'right',
    });
    page.text(RIGHT, A4.height - mm(27), f.labelled(w.customer, input.customer.name), {
      size: 10,
      align: 'right',
    });
    page.text(RIGHT, A4.height - mm(32), `${w.ref} ${input.customer.ref}`, {
      size: 9,
      align: 'right',
      gray: 0.3,
    });
    if (pages > 1)
      page.text(RIGHT, mm(12), `${w.page} ${n}/${pages}`, { size: 8, align: 'right', gray: 0.4 });
    y = A4.height - mm(50);
    page.box(LEFT - 4, y - 4, RIGHT - LEFT + 8, 16, 0.92);
    page.text(COL.number, y, w.number, { size: 9, face: 'bold' });
    page.text(COL.date, y, w.date, { size: 9, face: 'bold' });
    page.text(COL.due, y, w.due, { size: 9, face: 'bold' });
    page.text(COL.amount, y, w.amount, { size: 9, face: 'bold', align: 'right' });
    page.text(COL.outstanding, y, w.outstanding, { size: 9, face: 'bold', align: 'right' });
    y -= 18;
  };

  head(1);
  if (items.length === 0) {
    page.text(LEFT, y, w.nothingOpen, { size: 10 });
    y -= 16;
  }
  const totals = new Map<string, number>();
  items.forEach((item, i) => {
    if (i > 0 && i % ROWS_PER_PAGE === 0) {
      page = doc.addPage();
      head(i / ROWS_PER_PAGE + 1);
    }
    const credit = item.type === 'credit_note';
    const due = credit ? -item.outstanding : item.outstanding;
    totals.set(item.currency, (totals.get(item.currency) ?? 0) + due);
    page.text(COL.number, y, credit ? `${item.number} (${w.creditNote})` : item.number, { size: 9 });
    page.text(COL.date, y, f.date(item.issueDate), { size: 9 });
    page.text(COL.due, y, credit ? '' : f.date(item.dueDate), { size: 9 });
    page.text(COL.amount, y, f.money(credit ? -item.total : item.total, item.currency), {
      size: 9,
      align: 'right',
    });
    page.text(COL.outstanding, y, f.money(due, item.currency), { size: 9, align: 'right' });
    y -= 14;
  });

  page.line(LEFT - 4, y + 8, RIGHT + 4, y + 8, 0.6);
  y -= 6;
  for (const [currency, amount] of totals) {
    page.text(COL.amount, y, `${w.total}`, { size: 10, face: 'bold', align: 'right' });
    page.text(COL.outstanding, y, f.money(amount, currency), { size: 10, face: 'bold', align: 'right' });
    y -= 15;
  }
  if (input.seller.iban) {
    y -= 14;
    page.text(LEFT, y, w.bank, { size: 9, face: 'bold' });
    y -= 12;
    const bank = [
      input.seller.bankName,
      `IBAN ${input.seller.iban}`,
      input.seller.bic ? `BIC ${input.seller.bic}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    page.text(LEFT, y, bank, { size: 9 });
  }
  return doc.toBytes({
    title: `${w.statement} ${input.customer.name} ${input.asOf}`,
    author: input.seller.name,
    created: input.created,
  });
}
