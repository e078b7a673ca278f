// A reminder on paper, laid out for a window envelope so that the recipient's address shows through
// the window: DIN 5008 form B (address field 20 mm from the left, 45 mm from the top, with the
// return-address line above it) for German-speaking and most European senders, and the French
// layout (NF Z 11-001: address block on the right, window of DL envelopes 20 mm from the right edge)
// for French senders. Sender, recipient, place and date, subject, the invoices as a table, the text,
// and the legal mentions on late payment (directive 2011/7/EU). Pure.
import type { PlainDate } from '../../calendar/plain-date.ts';
import type { PostalAddress } from '../../imports/records.ts';
import { documentFormat, postalLines } from '../document-text.ts';
import { A4, mm, PdfDocument, type PdfPage, wrapText } from '../pdf-writer.ts';

export type LetterLayout = 'din5008' | 'fr';

/** Where the recipient's block sits, in millimetres from the top-left corner of the page. */
export const ADDRESS_WINDOW: Record<
  LetterLayout,
  { left: number; top: number; width: number; height: number }
> = {
  // DIN 5008 form B: the address zone proper starts 17.7 mm into the 45 mm field at 45 mm.
  din5008: { left: 25, top: 62.7, width: 80, height: 27.3 },
  // French DL window envelopes: window of 100 × 45 mm, 20 mm from the right, about 55 mm from the top.
  fr: { left: 110, top: 55, width: 80, height: 40 },
};

export interface LetterInvoice {
  number: string;
  issueDate: PlainDate;
  dueDate: PlainDate;
  currency: string;
  total: number;
  outstanding: number;
}

export interface LetterInput {
  layout?: LetterLayout | undefined;
  language: string;
  day: PlainDate;
  sender: {
    name: string;
    address: PostalAddress | null;
    country: string;
    legalId?: string | null;
    vatId?: string | null;
  };
  recipient: { name: string; attention?: string | null; address: PostalAddress; country?: string | null };
  subject: string;
  /** The message's text; its first bulleted list naming the invoices becomes the table. */
  body: string;
  invoices: readonly LetterInvoice[];
  /** Late-payment interest and the EUR 40 indemnity: business customers of an EU seller. */
  legalMentions: boolean;
  created: Date;
}

export function letterLayoutFor(senderCountry: string): LetterLayout {
  return senderCountry.toUpperCase() === 'FR' ? 'fr' : 'din5008';
}

const LEFT = mm(25);
const RIGHT = A4.width - mm(20);
const WIDTH = RIGHT - LEFT;
const BOTTOM = mm(25);
const top = (millimetres: number) => A4.height - mm(millimetres);

export function letterPdf(input: LetterInput): Uint8Array {
  const layout = input.layout ?? letterLayoutFor(input.sender.country);
  const f = documentFormat(input.language, input.recipient.country ?? input.recipient.address.country);
  const w = f.words;
  const doc = new PdfDocument();
  let page: PdfPage = doc.addPage();

  // Sender, top left.
  const senderTown = [input.sender.address?.postalCode, input.sender.address?.city].filter(Boolean).join(' ');
  page.text(LEFT, top(20), input.sender.name, { size: 12, face: 'bold' });
  let y = top(26);
  for (const line of [...(input.sender.address?.lines ?? []), senderTown]) {
    if (!line) continue;
    page.text(LEFT, y, line, { size: 9, gray: 0.25 });
    y -= 11;
  }

  // Recipient, in the window.
  const window = ADDRESS_WINDOW[layout];
  const recipient = postalLines(
    input.recipient.name,
    input.recipient.address,
    input.sender.country,
    input.language,
    input.recipient.attention,
  );
  if (layout === 'din5008') {
    // The return address, small, in the envelope's window above the recipient (DIN 5008 §15).
    const back = [input.sender.name, ...(input.sender.address?.lines ?? []), senderTown]
      .filter(Boolean)
      .join(' · ');
    page.text(mm(window.left), top(window.top - 4), back, { size: 7, gray: 0.3 });
    page.line(
      mm(window.left),
      top(window.top - 3.2),
      mm(window.left + window.width),
      top(window.top - 3.2),
      0.3,
      0.5,
    );
  }
  y = top(window.top) - 10;
  for (const line of recipient.slice(0, 6)) {
    page.text(mm(window.left), y, line, { size: 10, face: line === recipient[0] ? 'bold' : 'regular' });
    y -= 12.5;
  }

  // Place and date, then the subject.
  const place = input.sender.address?.city;
  const dated =
    f.language === 'fr'
      ? `${place ? `${place}, le ` : 'Le '}${f.longDate(input.day)}`
      : `${place ? `${place}, ` : ''}${f.longDate(input.day)}`;
  page.text(RIGHT, top(window.top + window.height + 12), dated, { size: 10, align: 'right' });
  y = top(window.top + window.height + 24);
  for (const line of wrapText(f.labelled(w.subject, input.subject), 11, WIDTH, 'bold')) {
    page.text(LEFT, y, line, { size: 11, face: 'bold' });
    y -= 14;
  }
  y -= 8;

  const ensure = (height: number) => {
    if (y - height >= BOTTOM + mm(18)) return;
    page = doc.addPage();
    y = top(25);
  };

  const table = () => {
    ensure(30);
    const col = {
      number: LEFT,
      date: LEFT + mm(45),
      due: LEFT + mm(72),
      amount: RIGHT - mm(32),
      outstanding: RIGHT,
    };
    page.box(LEFT - 3, y - 4, WIDTH + 6, 15, 0.92);
    page.text(col.number, y, w.number, { size: 9, face: 'bold' });
    page.text(col.date, y, w.date, { size: 9, face: 'bold' });
    page.text(col.due, y, w.due, { size: 9, face: 'bold' });
    page.text(col.amount, y, w.amount, { size: 9, face: 'bold', align: 'right' });
    page.text(col.outstanding, y, w.outstanding, { size: 9, face: 'bold', align: 'right' });
    y -= 16;
    const totals = new Map<string, number>();
    for (const inv of input.invoices) {
      ensure(14);
      totals.set(inv.currency, (totals.get(inv.currency) ?? 0) + inv.outstanding);
      page.text(col.number, y, inv.number, { size: 9 });
      page.text(col.date, y, f.date(inv.issueDate), { size: 9 });
      page.text(col.due, y, f.date(inv.dueDate), { size: 9 });
      page.text(col.amount, y, f.money(inv.total, inv.currency), { size: 9, align: 'right' });
      page.text(col.outstanding, y, f.money(inv.outstanding, inv.currency), { size: 9, align: 'right' });
      y -= 13;
    }
    page.line(LEFT - 3, y + 8, RIGHT + 3, y + 8, 0.5);
    y -= 5;
    for (const [currency, amount] of totals) {
      page.text(col.amount, y, w.total, { size: 9, face: 'bold', align: 'right' });
      page.text(col.outstanding, y, f.money(amount, currency), { size: 9, face: 'bold', align: 'right' });
      y -= 13;
    }
    y -= 8;
  };

  // The text, paragraph by paragraph; the first list naming our invoices becomes the table.
  const numbers = input.invoices.map((i) => i.number);
  let tabled = input.invoices.length === 0;
  for (const paragraph of input.body.split(/\n{2,}/)) {
    const lines = paragraph.split('\n');
    const isInvoiceList =
      lines.every((l) => /^[-•*] /.test(l)) && lines.some((l) => numbers.some((n) => l.includes(n)));
    if (isInvoiceList && !tabled) {
      table();
      tabled = true;
      continue;
    }
    for (const line of lines) {
      for (const wrapped of wrapText(line, 10, WIDTH)) {
        ensure(13);
        page.text(LEFT, y, wrapped, { size: 10 });
        y -= 13;
      }
    }
    y -= 7;
  }
  if (!tabled) table();

  if (input.legalMentions) {
    for (const text of [w.interest, w.indemnity]) {
      for (const line of wrapText(text, 7.5, WIDTH)) {
        ensure(10);
        page.text(LEFT, y, line, { size: 7.5, gray: 0.3 });
        y -= 9.5;
      }
    }
  }

  const ids = [input.sender.legalId, input.sender.vatId].filter(Boolean).join(' · ');
  doc.pages.forEach((p, i) => {
    // Fold marks of a DIN A4 letter folded in three, on the left edge (DIN 5008: 105 and 210 mm).
    p.line(mm(4), top(105), mm(8), top(105), 0.3, 0.5);
    p.line(mm(4), top(210), mm(8), top(210), 0.3, 0.5);
    if (ids)
      p.text(A4.width / 2, mm(10), `${input.sender.name} · ${ids}`, { size: 7, align: 'center', gray: 0.4 });
    if (doc.pages.length > 1)
      p.text(RIGHT, mm(10), `${w.page} ${i + 1}/${doc.pages.length}`, { size: 7, align: 'right', gray: 0.4 });
  });
  return doc.toBytes({ title: input.subject, author: input.sender.name, created: input.created });
}
