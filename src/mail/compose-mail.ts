// A message from the outbox made ready to leave: the email's bytes (text and HTML, threading
// headers, Reply-To with the customer's token, the statement of account and the invoices' own PDFs
// attached, open and click tracking when the organisation wants it), or the letter's PDF. Pure:
// everything it needs is loaded by the sender and passed in.
import type { PlainDate } from '../calendar/plain-date.ts';
import { instantAt } from '../calendar/send-window.ts';
import type { PostalAddress } from '../imports/records.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { textToHtml } from '../messages/render.ts';
import { readPostalAddress } from './document-text.ts';
import { letterPdf } from './letters/letter-pdf.ts';
import { buildMime, type MailAttachment } from './mime.ts';
import { replyAddress } from './reply-to.ts';
import { type StatementItem, statementFileName, statementPdf } from './statement-pdf.ts';
import { addTracking } from './tracking.ts';

export interface OutboxInvoice {
  id: string;
  number: string;
  issueDate: PlainDate;
  dueDate: PlainDate;
  currency: string;
  total: number;
  outstanding: number;
  status: string;
  /** What the message asks for this invoice, as it was written. */
  asked: number;
}

/** One claimed outbox row with what it takes to send it. */
export interface OutboxMessage {
  id: string;
  attempts: number;
  customerId: string;
  contactId: string | null;
  channel: 'email' | 'letter';
  level: number | null;
  day: PlainDate;
  language: string;
  toAddress: string | null;
  toName: string | null;
  subject: string;
  text: string;
  messageId: string;
  customer: {
    ref: string;
    name: string;
    country: string | null;
    address: unknown;
    replyToken: string;
  };
  contact: {
    valid: boolean;
    email: string | null;
    invalidReason: string | null;
    name: string | null;
    address: unknown;
  } | null;
  invoices: OutboxInvoice[];
  /** Message-IDs of the earlier messages sent to this customer, oldest first. */
  thread: string[];
}

export interface ComposeContext {
  org: Organisation;
  /** The organisation's today: a message for an earlier day (a run --as-of) is dated that day at 09:00. */
  today: PlainDate;
  now: Date;
  /** ARDENT_REPLY_TO, e.g. replies@ardent.example. */
  replyTo?: string | null | undefined;
  /** ARDENT_PUBLIC_URL, for tracking URLs. */
  publicUrl?: string | null | undefined;
  /** Open items per customer id, for the statement of account; absent, no statement. */
  openItems?: ReadonlyMap<string, StatementItem[]> | undefined;
  /** Files per invoice id, already read. */
  documents?: ReadonlyMap<string, MailAttachment[]> | undefined;
}

// Member states of the EU, where directive 2011/7/EU gives late-payment interest and the fixed
// EUR 40 recovery indemnity between businesses (art. 6).
const EU = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);

const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 40);

/** `<day>_<customer ref>_<id8>`: the message's file name in the outbox or print folder. */
export function messageName(m: Pick<OutboxMessage, 'day' | 'id'> & { customer: { ref: string } }): string {
  return `${m.day}_${safe(m.customer.ref)}_${m.id.slice(0, 8)}`;
}

export function senderAddress(org: Organisation): { name: string; address: string } {
  return { name: org.sender_name ?? org.name, address: org.sender_email ?? `relances@${org.slug}.invalid` };
}

/** The domain our Message-IDs are made in (RFC 5322 §3.6.4: unique worldwide). */
export function messageIdDomain(org: Organisation): string {
  return (org.sender_email ?? '').split('@')[1] || `${org.slug}.ardent.invalid`;
}

export function composeEmail(m: OutboxMessage, ctx: ComposeContext): { mime: Buffer; to: string } {
  const org = ctx.org;
  let html = textToHtml(m.text, m.language, m.subject);
  if (org.tracking && ctx.publicUrl)
    html = addTracking(html, { baseUrl: ctx.publicUrl, secret: org.tracking_secret, messageId: m.id });
  const attachments: MailAttachment[] = [];
  const items = ctx.openItems?.get(m.customerId);
  if (items) {
    const address = readPostalAddress(org.address);
    attachments.push({
      filename: statementFileName(m.language, m.customer.ref, m.day),
      contentType: 'application/pdf',
      content: statementPdf({
        language: m.language,
        country: m.customer.country,
        asOf: m.day,
        seller: {
          name: org.name,
          address,
          iban: org.bank_iban,
          bic: org.bank_bic,
          bankName: org.bank_name,
        },
        customer: { name: m.customer.name, ref: m.customer.ref },
        items,
        created: ctx.now,
      }),
    });
  }
  for (const invoice of m.invoices) attachments.push(...(ctx.documents?.get(invoice.id) ?? []));
  const mime = buildMime({
    from: senderAddress(org),
    to: { name: m.toName, address: m.toAddress ?? '' },
    replyTo: ctx.replyTo ? replyAddress(ctx.replyTo, m.customer.replyToken) : undefined,
    subject: m.subject,
    text: m.text,
    html,
    messageId: m.messageId,
    date: m.day >= ctx.today ? ctx.now : instantAt(m.day, '09:00', org.timezone),
    inReplyTo: m.thread.at(-1),
    references: m.thread,
    attachments,
  });
  return { mime, to: m.toAddress ?? '' };
}

/** What leaves: an email's bytes and its recipient, or a letter's PDF. */
export type Composed = { mime: Buffer; to: string } | { pdf: Uint8Array };

/** The message made ready to leave by its channel. A letter needs an address (see letterAddress). */
export function composeMessage(m: OutboxMessage, ctx: ComposeContext): Composed {
  if (m.channel === 'email') return composeEmail(m, ctx);
  const address = letterAddress(m);
  if (!address) throw new Error(`no postal address for ${m.customer.name}`);
  return { pdf: composeLetter(m, address, ctx) };
}

/** The postal address a letter goes to: the contact's, else the customer's; null when neither will do. */
export function letterAddress(m: OutboxMessage): PostalAddress | null {
  return readPostalAddress(m.contact?.address) ?? readPostalAddress(m.customer.address);
}

export function composeLetter(m: OutboxMessage, address: PostalAddress, ctx: ComposeContext): Uint8Array {
  const org = ctx.org;
  const euros = m.invoices.some((i) => i.currency === 'EUR');
  return letterPdf({
    language: m.language,
    day: m.day,
    sender: {
      name: org.name,
      address: readPostalAddress(org.address),
      country: org.country,
      legalId: org.legal_id,
      vatId: org.vat_id,
    },
    recipient: {
      name: m.customer.name,
      attention: m.contact?.name ?? m.toName,
      address,
      country: address.country ?? m.customer.country,
    },
    subject: m.subject,
    body: m.text,
    invoices: m.invoices.map((i) => ({ ...i, outstanding: i.asked })),
    // Ardent's customers are businesses: the 2011/7/EU mentions apply to an EU seller's EUR claims.
    legalMentions: EU.has(org.country) && euros,
    created: ctx.now,
  });
}
