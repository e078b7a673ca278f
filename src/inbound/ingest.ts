// One inbound message, however it arrived (a file, the API, the SMTP listener, the IMAP poller):
// read it, match it, decide, and store the raw message with every decision in one transaction.
// The same Message-ID a second time is reported as a duplicate and changes nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { membersLanguage } from '../messages/language.ts';
import type { Store } from '../store/store.ts';
import { type ActContact, type ActCustomer, DEFAULT_INBOUND_SETTINGS, decide } from './act.ts';
import { analyseMessage, analyseParsedMessage } from './analyse.ts';
import type { Analysis } from './analysis.ts';
import {
  type ActedContact,
  type ActedCustomer,
  type Applied,
  applyInbound,
  describeDecision,
  type InboundRecord,
  type InboundVia,
  type ReportedDecision,
} from './apply.ts';
import { applyBounceReport, type BounceHandler, quotedMessageIds } from './bounce.ts';
import type { IntentClassifier } from './classifier.ts';
import { type ParsedMessage, parseMessage } from './parse-message.ts';
import { loadInboundSettings } from './settings.ts';
import { stripQuotes } from './strip-quotes.ts';
import { type MatchedBy, type Thread, threadMessage } from './thread.ts';
import { baseAddress, loadThreadCandidates, numberKey, subaddressToken } from './thread-load.ts';

export interface IngestOptions {
  /** The day the message is read (the `--as-of` of the command line). */
  asOf: PlainDate;
  via: InboundVia;
  /** The organisation it was received for, when known (`--org`, its own mailbox). */
  orgId?: string | null;
  /** The SMTP envelope's recipients, when it came through the listener. */
  envelopeTo?: readonly string[];
  /** A second opinion when the rules are unsure (ARDENT_LLM_*). */
  classifier?: IntentClassifier;
  /** What a delivery failure report does; default the mail side's bounce rules. */
  onBounce?: BounceHandler;
}

export interface IngestReport {
  /** The stored message (the first one's, for a duplicate); null when it could not be stored. */
  inboundId: string | null;
  duplicate: boolean;
  messageId: string;
  from: string | null;
  subject: string;
  analysis: Analysis;
  organisation: { id: string; slug: string } | null;
  customer: { ref: string; name: string } | null;
  matchedBy: MatchedBy;
  matchReason: string;
  invoices: string[];
  status: Applied['status'];
  decisions: ReportedDecision[];
  notes: string[];
}

/** Text when the bytes are UTF-8 (nearly always), else base64: the message is kept byte for byte. */
function storedForm(bytes: Buffer): { raw: string; rawEncoding: 'utf8' | 'base64' } {
  const text = bytes.toString('utf8');
  if (!text.includes('\0') && Buffer.from(text, 'utf8').equals(bytes))
    return { raw: text, rawEncoding: 'utf8' };
  return { raw: bytes.toString('base64'), rawEncoding: 'base64' };
}

const headerAddresses = (value: string | undefined): string[] =>
  (value ?? '').match(/[\w.+-]+@[\w.-]+/g)?.map((a) => a.toLowerCase()) ?? [];

export async function ingestMessage(
  store: Store,
  raw: Buffer | string,
  options: IngestOptions,
): Promise<IngestReport> {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
  let parsed: ParsedMessage;
  try {
    parsed = await parseMessage(bytes);
  } catch {
    parsed = { references: [], to: [], subject: '', headers: {}, text: '', contentType: 'text/plain' };
  }
  const messageId =
    parsed.messageId ?? `<sha256:${createHash('sha256').update(bytes).digest('hex')}@ardent.invalid>`;
  const scope = options.orgId ?? null;
  const db = store.db;

  if (scope) {
    const seen = await db
      .selectFrom('inbound_messages')
      .select('id')
      .where('org_id', '=', scope)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (seen) return duplicateReport(store, seen.id, messageId);
  }

  const analysis = options.classifier
    ? await analyseMessage(bytes, { asOf: options.asOf, classifier: options.classifier })
    : analyseParsedMessage(parsed, { asOf: options.asOf }, bytes);
  const recipients = [
    ...parsed.to.map((t) => t.address),
    ...headerAddresses(parsed.headers.cc),
    ...headerAddresses(parsed.headers['delivered-to']),
    ...headerAddresses(parsed.headers['x-original-to']),
    ...(options.envelopeTo ?? []).map((a) => a.toLowerCase()),
  ];
  const candidates = await loadThreadCandidates(
    db,
    {
      recipients,
      inReplyTo: parsed.inReplyTo ?? null,
      // A bounce rarely answers our message in its headers; it quotes it in its body.
      references:
        analysis.kind === 'bounce' ? [...parsed.references, ...quotedMessageIds(bytes)] : parsed.references,
      from: parsed.from?.address ?? null,
      invoiceNumbers: analysis.invoiceNumbers,
    },
    scope,
  );
  const thread = threadMessage(candidates);
  const org = thread.orgId
    ? ((await db.selectFrom('organisations').selectAll().where('id', '=', thread.orgId).executeTakeFirst()) ??
      null)
    : null;
  if (org) {
    // Reported in the organisation's own spelling, and only numbers that are its invoices.
    const ours = candidates.invoices.filter((i) => i.orgId === org.id);
    analysis.invoiceNumbers = analysis.invoiceNumbers
      .map((n) => ours.find((i) => numberKey(i.number) === numberKey(n))?.number)
      .filter((n, i, all): n is string => n !== undefined && all.indexOf(n) === i);
  }

  const state = org && thread.customerId ? await loadCustomer(store, org, thread) : null;
  const settings = org ? await loadInboundSettings(db, org.id) : DEFAULT_INBOUND_SETTINGS;
  const text = stripQuotes(parsed.text).reply;
  const decisions = decide({
    day: options.asOf,
    analysis,
    thread,
    customer: state?.act ?? null,
    contact: state?.actContact ?? null,
    from: parsed.from ?? null,
    text,
    hasAttachments: /^multipart\/mixed/i.test(parsed.headers['content-type'] ?? ''),
    // Ours: the organisation's address and the reply addresses it was sent to; not a colleague in Cc,
    // who may well be the new contact a "wrong contact" reply points to.
    ownAddresses: [
      ...(org?.sender_email ? [org.sender_email.toLowerCase()] : []),
      ...recipients.filter(
        (r) => subaddressToken(r) !== null || baseAddress(r) === org?.sender_email?.toLowerCase(),
      ),
    ],
    settings,
  });

  const record: InboundRecord = {
    messageId,
    via: options.via,
    ...storedForm(bytes),
    size: bytes.length,
    fromAddress: parsed.from?.address ?? null,
    fromName: parsed.from?.name || null,
    toAddresses: [...new Set(recipients)],
    subject: parsed.subject,
    inReplyTo: parsed.inReplyTo ?? null,
    referenceIds: parsed.references,
    sentAt: parsed.date ? new Date(parsed.date) : null,
    receivedOn: options.asOf,
    analysis,
  };
  const memberLanguage = org ? await membersLanguageOf(store, org) : 'en';
  const applied = await db.transaction().execute((trx) =>
    applyInbound(trx, {
      record,
      org,
      thread,
      customer: state?.customer ?? null,
      contact: state?.contact ?? null,
      decisions,
      memberLanguage,
    }),
  );
  if (!applied.inboundId) {
    const first = await sql<{ id: string }>`
      select id from inbound_messages
       where message_id = ${messageId} and ${org ? sql`org_id = ${org.id}::uuid` : sql`org_id is null`}`.execute(
      db,
    );
    return duplicateReport(store, first.rows[0]?.id ?? null, messageId);
  }
  if (org && analysis.kind === 'bounce') {
    const handle = options.onBounce ?? applyBounceReport;
    applied.notes.push(
      ...(await handle({ store, org, day: options.asOf, raw: bytes, inboundMessageId: applied.inboundId })),
    );
  }
  const customer = state?.customer;
  return {
    inboundId: applied.inboundId,
    duplicate: false,
    messageId,
    from: record.fromAddress,
    subject: record.subject,
    analysis,
    organisation: org ? { id: org.id, slug: org.slug } : null,
    customer: customer ? { ref: customer.ref, name: customer.name } : null,
    matchedBy: customer ? thread.matchedBy : 'none',
    matchReason: thread.reason,
    invoices: thread.invoiceIds.map((id) => customer?.invoices.find((i) => i.id === id)?.number ?? id),
    status: applied.status,
    decisions: decisions.map((d) =>
      describeDecision(d, (id) => customer?.invoices.find((i) => i.id === id)?.number ?? id),
    ),
    notes: applied.notes,
  };
}

async function membersLanguageOf(store: Store, org: Organisation): Promise<string> {
  const members = await store.db
    .selectFrom('members')
    .select('language')
    .where('org_id', '=', org.id)
    .execute();
  return members.length ? membersLanguage(members) : org.language;
}

interface CustomerState {
  customer: ActedCustomer;
  contact: ActedContact | null;
  act: ActCustomer;
  actContact: ActContact | null;
}

async function loadCustomer(store: Store, org: Organisation, thread: Thread): Promise<CustomerState | null> {
  const db = store.db;
  const row = await db
    .selectFrom('customers')
    .select(['id', 'ref', 'name', 'country', 'language', 'hold_until', 'insolvent'])
    .where('org_id', '=', org.id)
    .where('id', '=', thread.customerId!)
    .executeTakeFirst();
  if (!row) return null;
  const invoices = await db
    .selectFrom('invoices')
    .select([
      'id',
      'customer_id',
      'number',
      'issue_date',
      'due_date',
      'currency',
      'total',
      'outstanding',
      'status',
    ])
    .where('org_id', '=', org.id)
    .where('customer_id', '=', row.id)
    .where('type', '=', 'invoice')
    .where('outstanding', '>', 0)
    .where('status', 'not in', ['paid', 'cancelled', 'written_off'])
    .orderBy('due_date')
    .orderBy('number')
    .execute();
  const contact = thread.contactId
    ? await db
        .selectFrom('contacts')
        .select(['id', 'name', 'email', 'language', 'valid'])
        .where('org_id', '=', org.id)
        .where('id', '=', thread.contactId)
        .executeTakeFirst()
    : undefined;
  const open = invoices.map((i) => ({
    id: i.id,
    customerId: i.customer_id,
    number: i.number,
    issueDate: i.issue_date,
    dueDate: i.due_date,
    currency: i.currency,
    total: Number(i.total),
    outstanding: Number(i.outstanding),
    status: i.status,
  }));
  return {
    customer: {
      id: row.id,
      ref: row.ref,
      name: row.name,
      country: row.country,
      language: row.language,
      invoices: open,
    },
    contact: contact
      ? { id: contact.id, name: contact.name, email: contact.email, language: contact.language }
      : null,
    act: {
      id: row.id,
      ref: row.ref,
      name: row.name,
      country: row.country ?? org.country,
      holdUntil: row.hold_until,
      insolvent: row.insolvent,
      invoices: open.map((i) => ({
        id: i.id,
        number: i.number,
        status: i.status as ActCustomer['invoices'][number]['status'],
        outstanding: i.outstanding,
        currency: i.currency,
      })),
    },
    actContact: contact ? { id: contact.id, email: contact.email, valid: contact.valid } : null,
  };
}

async function duplicateReport(store: Store, id: string | null, messageId: string): Promise<IngestReport> {
  const row = id
    ? await store.db
        .selectFrom('inbound_messages as m')
        .leftJoin('organisations as o', 'o.id', 'm.org_id')
        .leftJoin('customers as c', (j) =>
          j.onRef('c.id', '=', 'm.customer_id').onRef('c.org_id', '=', 'm.org_id'),
        )
        .select([
          'm.id',
          'm.analysis',
          'm.from_address',
          'm.subject',
          'm.matched_by',
          'm.status',
          'm.org_id',
          'o.slug',
          'c.ref',
          'c.name',
        ])
        .where('m.id', '=', id)
        .executeTakeFirst()
    : undefined;
  return {
    inboundId: row?.id ?? null,
    duplicate: true,
    messageId,
    from: row?.from_address ?? null,
    subject: row?.subject ?? '',
    analysis: (row?.analysis as Analysis | undefined) ?? { kind: 'unknown', invoiceNumbers: [] },
    organisation: row?.org_id && row.slug ? { id: row.org_id, slug: row.slug } : null,
    customer: row?.ref && row.name ? { ref: row.ref, name: row.name } : null,
    matchedBy: (row?.matched_by as MatchedBy | undefined) ?? 'none',
    matchReason: 'already received: nothing done again',
    invoices: [],
    status: (row?.status as Applied['status'] | undefined) ?? 'noted',
    decisions: [],
    notes: ['the same Message-ID was received before: nothing done again'],
  };
}
