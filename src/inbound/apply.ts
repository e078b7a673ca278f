// Writes what act.ts decided, in the caller's transaction, together with the raw message: the
// inbound row first (a Message-ID already stored stops everything there: one message, one set of
// decisions), then each decision, then the history with every reason.
import { sql } from 'kysely';
import { nextBusinessDay } from '../calendar/business-days.ts';
import { addDays, type PlainDate } from '../calendar/plain-date.ts';
import {
  type ComposeInvoice,
  composeOrganisation,
  composeStatement,
  overrideKey,
  type TemplateOverrides,
} from '../dunning/compose.ts';
import { withdrawMessages, withdrawSettledMessages } from '../dunning/withdraw-messages.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { customerLanguage } from '../messages/language.ts';
import { type MemberTextKey, memberText } from '../messages/member-texts.ts';
import type { Db } from '../store/store.ts';
import { type NewTask, openTasks } from '../tasks/open-tasks.ts';
import type { Decision, InboundTaskKind } from './act.ts';
import type { Analysis } from './analysis.ts';
import type { Thread } from './thread.ts';

export type InboundVia = 'file' | 'api' | 'smtp' | 'imap';

/** The message as stored: raw once, with the headers people and queries look at. */
export interface InboundRecord {
  messageId: string;
  via: InboundVia;
  raw: string;
  rawEncoding: 'utf8' | 'base64';
  size: number;
  fromAddress: string | null;
  fromName: string | null;
  toAddresses: string[];
  subject: string;
  inReplyTo: string | null;
  referenceIds: string[];
  sentAt: Date | null;
  receivedOn: PlainDate;
  analysis: Analysis;
}

export interface ActedCustomer {
  id: string;
  ref: string;
  name: string;
  country: string | null;
  language: string | null;
  /** Its open invoices, with what a statement shows. */
  invoices: (ComposeInvoice & { status: string; customerId: string })[];
}

export interface ActedContact {
  id: string;
  name: string | null;
  email: string | null;
  language: string | null;
}

export interface ApplyInput {
  record: InboundRecord;
  org: Organisation | null;
  thread: Thread;
  customer: ActedCustomer | null;
  contact: ActedContact | null;
  decisions: Decision[];
  /** The language of task titles: the members', else the organisation's. */
  memberLanguage: string;
}

export interface Applied {
  /** Null: the message was already stored (same Message-ID): nothing was done again. */
  inboundId: string | null;
  status: 'acted' | 'noted' | 'unmatched' | 'bounce';
  /** What was done that the decisions alone do not say (a task already open, the bounce handler's lines). */
  notes: string[];
}

const TASK_TEXT: Record<InboundTaskKind, MemberTextKey> = {
  unmatched_reply: 'task.unmatched_reply',
  read_reply: 'task.read_reply',
  dispute: 'task.dispute',
  payment_plan_request: 'task.payment_plan_request',
  callback_request: 'task.callback_request',
  refusal: 'task.refusal',
  insolvency: 'task.insolvency',
  wrong_contact: 'task.wrong_contact',
  document_request: 'task.document_request',
};

/** A decision as people and scripts read it (`ardent inbound --json`, `ardent replies`): invoice numbers, not ids. */
export interface ReportedDecision {
  kind: Decision['kind'];
  reason: string;
  invoices?: string[];
  until?: string;
  task?: string;
  promisedDate?: string | null;
  graceUntil?: string;
  to?: string;
  proposals?: string[];
}

export function describeDecision(d: Decision, numberOf: (id: string) => string): ReportedDecision {
  const out: ReportedDecision = { kind: d.kind, reason: d.reason };
  if ('invoiceIds' in d) out.invoices = d.invoiceIds.map(numberOf);
  if ('until' in d) out.until = d.until;
  if (d.kind === 'open_task') {
    out.task = d.task;
    if (d.proposals?.length) out.proposals = d.proposals;
  }
  if (d.kind === 'record_promise') {
    out.promisedDate = d.promisedDate;
    out.graceUntil = d.graceUntil;
  }
  if (d.kind === 'send_statement') out.to = d.to;
  return out;
}

function statusOf(input: ApplyInput): Applied['status'] {
  if (input.record.analysis.kind === 'bounce') return 'bounce';
  if (!input.customer) return 'unmatched';
  return input.decisions.some((d) => d.kind !== 'note' && d.kind !== 'record_reply') ? 'acted' : 'noted';
}

export async function applyInbound(db: Db, input: ApplyInput): Promise<Applied> {
  const { record, org, thread, customer } = input;
  const day = record.receivedOn;
  const status = statusOf(input);
  const invoiceIds = thread.invoiceIds;
  const numberOf = (id: string) => customer?.invoices.find((i) => i.id === id)?.number ?? id;
  const reported = input.decisions.map((d) => describeDecision(d, numberOf));
  const inserted = await sql<{ id: string }>`
    insert into inbound_messages (org_id, message_id, via, raw, raw_encoding, size, from_address, from_name, to_addresses,
                                  subject, in_reply_to, reference_ids, sent_at, received_on, analysis, customer_id, contact_id,
                                  replied_message_id, matched_by, invoice_ids, status, decisions)
    values (${org?.id ?? null}::uuid, ${record.messageId}, ${record.via}, ${record.raw}, ${record.rawEncoding}, ${record.size},
            ${record.fromAddress}, ${record.fromName}, ${record.toAddresses}::text[], ${record.subject}, ${record.inReplyTo},
            ${record.referenceIds}::text[], ${record.sentAt?.toISOString() ?? null}::timestamptz, ${day}::date, ${JSON.stringify(record.analysis)}::jsonb,
            ${customer?.id ?? null}::uuid, ${input.contact?.id ?? null}::uuid, ${thread.repliedMessageId}::uuid,
            ${customer ? thread.matchedBy : 'none'}, ${invoiceIds}::uuid[], ${status}, ${JSON.stringify(reported)}::jsonb)
    on conflict do nothing
    returning id`.execute(db);
  const inboundId = inserted.rows[0]?.id;
  if (!inboundId) return { inboundId: null, status, notes: [] };

  const notes: string[] = [];
  if (!org) {
    // A listener shared by several organisations received it and nothing said whose it is: kept,
    // listed by `ardent replies`, nothing else can be done without an organisation.
    return { inboundId, status, notes: ['matched to no organisation: stored only'] };
  }

  const events: { kind: string; summary: string; invoiceId?: string | null; data?: unknown }[] = [];
  const who = record.fromName
    ? `${record.fromName} <${record.fromAddress}>`
    : (record.fromAddress ?? 'unknown sender');
  const a = record.analysis;
  events.push({
    kind: a.kind === 'bounce' ? 'inbound.bounce' : 'inbound.received',
    summary:
      a.kind === 'reply'
        ? `Reply from ${who}: ${a.intent} (${Math.round((a.confidence ?? 0) * 100)}%)${a.promisedDate ? `, promised ${a.promisedDate}` : ''}${customer ? `, matched because ${thread.reason}` : `, matched to no customer: ${thread.reason}`}`
        : `${a.kind === 'auto_reply' ? 'Automatic reply' : a.kind === 'bounce' ? 'Delivery failure report' : 'Message'} from ${who}${a.returnDate ? `, back on ${a.returnDate}` : ''}${customer ? `, matched because ${thread.reason}` : ''}`,
    data: { inboundMessageId: inboundId, messageId: record.messageId, subject: record.subject },
  });

  const numbers = (ids: string[]) =>
    ids.map((id) => customer?.invoices.find((i) => i.id === id)?.number ?? id);
  const tasks: NewTask[] = [];

  for (const d of input.decisions) {
    switch (d.kind) {
      case 'record_reply':
        await sql`update customers set last_reply_on = greatest(coalesce(last_reply_on, ${day}::date), ${day}::date)
                   where org_id = ${org.id}::uuid and id = ${customer!.id}::uuid`.execute(db);
        break;
      case 'hold_customer': {
        await sql`update customers set hold_until = ${d.until}::date, hold_reason = ${d.reason}, updated_at = now()
                   where org_id = ${org.id}::uuid and id = ${customer!.id}::uuid
                     and (hold_until is null or hold_until < ${d.until}::date)`.execute(db);
        await moveQueue(
          db,
          org.id,
          { customerId: customer!.id },
          d.until,
          customer!.country ?? org.country,
          d.reason,
        );
        events.push({ kind: 'inbound.hold', summary: `Reminders held until ${d.until}: ${d.reason}` });
        break;
      }
      case 'pause_invoices': {
        // A pause never shortens a longer one (a person's, or an earlier reply's).
        await sql`
          insert into dunning_state (invoice_id, org_id, customer_id, paused_until, pause_reason)
          select t.id, ${org.id}::uuid, ${customer!.id}::uuid, ${d.until}::date, ${d.reason}
            from unnest(${d.invoiceIds}::uuid[]) as t(id)
          on conflict (invoice_id) do update set
            paused_until = greatest(dunning_state.paused_until, excluded.paused_until),
            pause_reason = case when dunning_state.paused_until > excluded.paused_until then dunning_state.pause_reason
                                else excluded.pause_reason end,
            updated_at = now()`.execute(db);
        await moveQueue(
          db,
          org.id,
          { invoiceIds: d.invoiceIds },
          d.until,
          customer!.country ?? org.country,
          d.reason,
        );
        events.push({
          kind: 'inbound.pause',
          summary: `${numbers(d.invoiceIds).join(', ')} paused until ${d.until}: ${d.reason}`,
        });
        break;
      }
      case 'record_promise': {
        await sql`update promises set status = 'superseded', resolved_on = ${day}::date
                   where org_id = ${org.id}::uuid and status = 'open' and invoice_id = any(${d.invoiceIds}::uuid[])`.execute(
          db,
        );
        await sql`
          insert into promises (org_id, customer_id, invoice_id, inbound_message_id, kind, made_on, promised_date, grace_until)
          select ${org.id}::uuid, ${customer!.id}::uuid, t.id, ${inboundId}::uuid, ${d.promiseKind}, ${day}::date,
                 ${d.promisedDate}::date, ${d.graceUntil}::date
            from unnest(${d.invoiceIds}::uuid[]) as t(id)`.execute(db);
        events.push({
          kind: d.promiseKind === 'promise' ? 'inbound.promise' : 'inbound.paid_claim',
          summary: d.reason,
        });
        break;
      }
      case 'dispute_invoices': {
        await sql`update invoices set status = 'disputed', status_reason = ${d.reason}, updated_at = now()
                   where org_id = ${org.id}::uuid and id = any(${d.invoiceIds}::uuid[])
                     and status not in ('paid', 'cancelled', 'written_off')`.execute(db);
        await sql`update dunning_state set next_level = null, next_date = null, next_status = null, next_reason = null, updated_at = now()
                   where org_id = ${org.id}::uuid and invoice_id = any(${d.invoiceIds}::uuid[])`.execute(db);
        const withdrawn = await withdrawSettledMessages(db, org.id, d.invoiceIds, d.reason);
        for (const id of d.invoiceIds)
          events.push({
            kind: 'invoice.disputed',
            invoiceId: id,
            summary: `${numbers([id])[0]}: ${d.reason}`,
          });
        if (withdrawn.length) notes.push(`${withdrawn.length} unsent reminder(s) withdrawn`);
        break;
      }
      case 'stop_customer': {
        await sql`update customers set insolvent = true, insolvent_since = coalesce(insolvent_since, ${day}::date), updated_at = now()
                   where org_id = ${org.id}::uuid and id = ${customer!.id}::uuid`.execute(db);
        await sql`update dunning_state set next_level = null, next_date = null, next_status = null, next_reason = null, updated_at = now()
                   where org_id = ${org.id}::uuid and customer_id = ${customer!.id}::uuid`.execute(db);
        const withdrawn = await withdrawMessages(db, org.id, customer!.invoices, d.reason);
        events.push({ kind: 'customer.insolvent', summary: d.reason });
        if (withdrawn) notes.push(`${withdrawn} unsent message(s) withdrawn`);
        break;
      }
      case 'invalidate_contact': {
        await sql`update contacts set valid = false, invalid_reason = ${d.reason}, invalid_since = ${day}::date, updated_at = now()
                   where org_id = ${org.id}::uuid and id = ${d.contactId}::uuid`.execute(db);
        events.push({
          kind: 'contact.invalidated',
          summary: `${input.contact?.email ?? 'contact'} marked invalid: ${d.reason}`,
        });
        break;
      }
      case 'open_task': {
        const key =
          d.task === 'unmatched_reply' || d.task === 'read_reply' || d.task === 'document_request'
            ? `${d.task}:${inboundId}`
            : d.task === 'dispute' && d.invoiceIds.length
              ? `dispute:${[...d.invoiceIds].sort().join(',')}`
              : d.task === 'wrong_contact' && input.contact
                ? `wrong_contact:${input.contact.id}`
                : `${d.task}:${customer?.id ?? inboundId}`;
        const named = numbers(d.invoiceIds);
        tasks.push({
          customerId: customer?.id ?? null,
          invoiceId: d.invoiceIds.length === 1 ? d.invoiceIds[0]! : null,
          kind: d.task,
          causeKey: key,
          title: memberText(TASK_TEXT[d.task], input.memberLanguage, {
            customer_name: customer?.name ?? '',
            invoice_number: named.join(', '),
            email: d.task === 'wrong_contact' ? (d.proposals?.[0] ?? '') : (record.fromAddress ?? ''),
          }),
          detail: {
            reason: d.reason,
            invoices: named,
            inboundMessageId: inboundId,
            from: record.fromAddress,
            subject: record.subject,
            ...(d.proposals?.length ? { proposals: d.proposals, contactId: input.contact?.id ?? null } : {}),
            ...(d.documents ? { documents: d.documents } : {}),
          },
        });
        break;
      }
      case 'send_statement': {
        const messageId = await queueStatement(db, org, input, d, inboundId);
        if (messageId)
          events.push({
            kind: 'message.queued',
            summary: `Statement of account to ${d.to}: ${d.reason}`,
            data: { messageId },
          });
        break;
      }
      case 'handle_bounce':
        // The bounce rules run once this transaction is committed (ingest.ts): they have their own.
        break;
      case 'note':
        events.push({ kind: 'inbound.noted', summary: d.reason });
        break;
    }
  }

  const opened = await openTasks(db, org.id, day, tasks);
  for (const t of tasks) {
    if (opened.has(t.causeKey))
      events.push({
        kind: 'task.opened',
        summary: `Task for the team: ${t.title} (${String(t.detail.reason)})`,
      });
    else notes.push(`a task of this kind is already open (${t.kind}): not opened twice`);
  }
  if (events.length)
    await sql`
      insert into events (org_id, customer_id, invoice_id, day, kind, actor, summary, data)
      select ${org.id}::uuid, ${customer?.id ?? null}::uuid, t.invoice_id, ${day}::date, t.kind, 'agent', t.summary, t.data::jsonb
        from unnest(${events.map((e) => e.invoiceId ?? null)}::uuid[], ${events.map((e) => e.kind)}::text[],
                    ${events.map((e) => e.summary)}::text[], ${events.map((e) => (e.data ? JSON.stringify(e.data) : null))}::text[])
          as t(invoice_id, kind, summary, data)`.execute(db);
  return { inboundId, status, notes };
}

/**
 * Moves the queue's next step (what `ardent queue` shows) past a hold at once, so that the queue is
 * right before the next daily run, which recomputes it anyway.
 */
async function moveQueue(
  db: Db,
  orgId: string,
  which: { customerId?: string; invoiceIds?: string[] },
  until: PlainDate,
  country: string,
  reason: string,
): Promise<void> {
  const after = nextBusinessDay(addDays(until, 1), country);
  await sql`
    update dunning_state set next_date = ${after}::date, next_status = 'held', next_reason = ${`held until ${until} (${reason})`},
           updated_at = now()
     where org_id = ${orgId}::uuid and next_date is not null and next_date < ${after}::date
       ${which.customerId ? sql`and customer_id = ${which.customerId}::uuid` : sql``}
       ${which.invoiceIds ? sql`and invoice_id = any(${which.invoiceIds}::uuid[])` : sql``}`.execute(db);
}

/** The statement a customer asked for goes to the outbox like any message (kind 'statement'). */
async function queueStatement(
  db: Db,
  org: Organisation,
  input: ApplyInput,
  d: Extract<Decision, { kind: 'send_statement' }>,
  inboundId: string,
): Promise<string | null> {
  const customer = input.customer!;
  const invoices = customer.invoices.filter((i) => d.invoiceIds.includes(i.id));
  const language = customerLanguage({
    contactLanguage: input.contact?.language ?? null,
    customerLanguage: customer.language,
    country: customer.country ?? org.country,
  });
  const templates = await db
    .selectFrom('templates')
    .select(['language', 'subject', 'body'])
    .where('org_id', '=', org.id)
    .where('level', '=', 'statement')
    .execute();
  const overrides: TemplateOverrides = new Map(
    templates.map((t) => [overrideKey('statement', t.language), { subject: t.subject, body: t.body }]),
  );
  const rendered = composeStatement({
    day: input.record.receivedOn,
    language,
    customer,
    contactName: input.contact?.name ?? input.record.fromName,
    org: composeOrganisation(org),
    invoices,
    overrides,
  });
  const currencies = [...new Set(invoices.map((i) => i.currency))];
  const total = invoices.reduce((sum, i) => sum + i.outstanding, 0);
  const row = await sql<{ id: string }>`
    insert into messages (org_id, customer_id, contact_id, idempotency_key, kind, channel, level, day, status, language,
                          to_address, to_name, subject, text_body, currency, amount, reason)
    values (${org.id}::uuid, ${customer.id}::uuid, ${d.contactId}::uuid, ${`statement:${inboundId}`}, 'statement', 'email', null,
            ${input.record.receivedOn}::date, 'queued', ${rendered.language}, ${d.to}, ${input.contact?.name ?? input.record.fromName},
            ${rendered.subject}, ${rendered.text}, ${currencies.length === 1 ? currencies[0]! : null},
            ${currencies.length === 1 ? total : null}, ${d.reason})
    on conflict (org_id, idempotency_key) do nothing
    returning id`.execute(db);
  const id = row.rows[0]?.id;
  if (!id) return null;
  // Linked to its invoices like a reminder, so that the sender's last check (is anything still
  // due?) holds for it too; level 0: it is no step of the dunning policy.
  await sql`
    insert into message_invoices (message_id, invoice_id, org_id, level, amount)
    select ${id}::uuid, t.id, ${org.id}::uuid, 0, t.amount
      from unnest(${invoices.map((i) => i.id)}::uuid[], ${invoices.map((i) => i.outstanding)}::bigint[]) as t(id, amount)`.execute(
    db,
  );
  return id;
}
