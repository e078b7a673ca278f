// What a bounce does (the parser, parse-bounce.ts, says what it is). A hard bounce (the address does
// not exist: RFC 3463 5.1.x, moved, refused for good) makes the contact invalid with the reason and
// the day, holds back every message still waiting for it, and asks the team for a valid contact in
// one task; the reminders it held back are planned again once a valid contact exists. A soft bounce
// (mailbox full, greylisting, a policy block) is recorded, its message tried again later, and only
// repeated soft bounces make a task.
import { sql } from 'kysely';
import { addDays, type PlainDate } from '../../calendar/plain-date.ts';
import type { Organisation } from '../../ledger/organisations.ts';
import type { Db, Store } from '../../store/store.ts';
import { type DeliveryEvent, recordDeliveryEvents, sentWithProviderId } from '../events.ts';
import { rewindDunningState } from '../rewind.ts';
import { openTaskFor } from '../tasks.ts';
import type { BouncedRecipient, BounceReport } from './parse-bounce.ts';

export type BounceSource = 'dsn' | 'smtp' | 'ses' | 'postmark';

export interface ApplyBounceOptions {
  /** The day the bounce is taken in (the logical today). */
  day: PlainDate;
  source?: BounceSource;
  /** The message that bounced, when known: our id, or its Message-ID header `<…>`. */
  messageId?: string | null;
  /** The email service's id for the message (the relay's "queued as" id). */
  providerId?: string | null;
  /** Message-IDs quoted by the bounce (the returned message's headers), tried when messageId is absent. */
  referencedIds?: readonly string[];
  /** Soft bounces of one contact within `softWindowDays` that make a task (default 3 within 14 days). */
  softLimit?: number;
  softWindowDays?: number;
  /** Delay before a soft-bounced message is sent again (default 6 hours). */
  softRetrySeconds?: number;
}

export interface BounceOutcome {
  address: string;
  hard: boolean;
  status: string;
  reason: string;
  /** The contacts with this address (one address may serve several customers). */
  contacts: { id: string; customer: { ref: string; name: string } }[];
  /** Our message that bounced, when identified. */
  message: string | null;
  invalidated: number;
  /** Messages held back because their contact is no longer valid. */
  suspended: string[];
  /** The bounced message was put back in the outbox for a later attempt. */
  retryAt: string | null;
  /** Causes of the tasks opened now. */
  tasks: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface MatchedMessage {
  id: string;
  customer_id: string;
  status: string;
  subject: string;
  day: string;
  attempts: number;
}

async function findMessage(
  db: Db,
  orgId: string,
  address: string,
  customerIds: string[],
  options: ApplyBounceOptions,
): Promise<MatchedMessage | null> {
  const select = db
    .selectFrom('messages')
    .select(['id', 'customer_id', 'status', 'subject', 'day', 'attempts'])
    .where('org_id', '=', orgId);
  const wanted = options.messageId?.trim();
  if (wanted) {
    const byId = UUID.test(wanted)
      ? await select.where('id', '=', wanted).executeTakeFirst()
      : await select.where('message_id_header', '=', wanted).executeTakeFirst();
    if (byId) return byId;
  }
  if (options.providerId) {
    const byProvider = await select
      .where('id', 'in', sentWithProviderId(db, orgId, options.providerId))
      .executeTakeFirst();
    if (byProvider) return byProvider;
  }
  if (options.referencedIds?.length) {
    const byHeader = await select
      .where('message_id_header', 'in', [...options.referencedIds])
      .where(sql`lower(to_address)`, '=', address.toLowerCase())
      .executeTakeFirst();
    if (byHeader) return byHeader;
  }
  if (customerIds.length === 0) return null;
  // Else the last message that left for this address.
  return (
    (await select
      .where('customer_id', 'in', customerIds)
      .where(sql`lower(to_address)`, '=', address.toLowerCase())
      .where('status', 'in', ['sent', 'bounced', 'failed'])
      .orderBy('sent_at', (o) => o.desc().nullsLast())
      .orderBy('created_at', 'desc')
      .executeTakeFirst()) ?? null
  );
}

/** Applies each recipient of a bounce; delivered recipients (some reports carry them) are skipped. */
export async function applyBounce(
  store: Store,
  org: Organisation,
  report: BounceReport,
  options: ApplyBounceOptions,
): Promise<BounceOutcome[]> {
  const outcomes: BounceOutcome[] = [];
  for (const recipient of report.recipients) {
    if (recipient.reason === 'delivered' || !recipient.address.includes('@')) continue;
    outcomes.push(
      await store.db.transaction().execute((trx) => applyOne({ db: trx }, org, recipient, options)),
    );
  }
  return outcomes;
}

async function applyOne(
  store: { db: Db },
  org: Organisation,
  r: BouncedRecipient,
  options: ApplyBounceOptions,
): Promise<BounceOutcome> {
  const db = store.db;
  const address = r.address.trim();
  const contacts = await sql<{
    id: string;
    customer_id: string;
    email: string;
    valid: boolean;
    ref: string;
    name: string;
  }>`
    select k.id, k.customer_id, k.email, k.valid, c.ref, c.name
      from contacts k join customers c on c.id = k.customer_id and c.org_id = k.org_id
     where k.org_id = ${org.id}::uuid and lower(k.email) = ${address.toLowerCase()}`.execute(db);
  const matched = contacts.rows;
  const customerIds = [...new Set(matched.map((k) => k.customer_id))];
  const message = await findMessage(db, org.id, address, customerIds, options);
  const source = options.source ?? 'dsn';
  const what = [r.status, r.reason].filter(Boolean).join(' ');
  const outcome: BounceOutcome = {
    address,
    hard: r.hard,
    status: r.status,
    reason: r.reason,
    contacts: matched.map((k) => ({ id: k.id, customer: { ref: k.ref, name: k.name } })),
    message: message?.id ?? null,
    invalidated: 0,
    suspended: [],
    retryAt: null,
    tasks: [],
  };

  await db
    .insertInto('bounces')
    .values(
      (matched.length ? matched : [null]).map((k) => ({
        org_id: org.id,
        customer_id: k?.customer_id ?? message?.customer_id ?? null,
        contact_id: k?.id ?? null,
        message_id: message?.id ?? null,
        address,
        hard: r.hard,
        status: r.status,
        reason: r.reason,
        diagnostic: r.diagnostic?.slice(0, 1000) ?? null,
        source,
        day: options.day,
      })),
    )
    .execute();

  const events: DeliveryEvent[] = [];
  if (message)
    events.push({
      messageId: message.id,
      kind: 'bounced',
      attempt: message.attempts,
      detail: {
        address,
        status: r.status,
        reason: r.reason,
        hard: r.hard,
        source,
        diagnostic: r.diagnostic ?? null,
      },
      history: {
        customerId: message.customer_id,
        day: options.day,
        kind: 'message.bounced',
        summary: `"${message.subject}" to ${address} came back: ${r.hard ? 'hard' : 'soft'} bounce${what ? ` (${what})` : ''}`,
      },
    });

  if (r.hard) {
    const reason = `hard bounce ${what}`.trim();
    const invalidated = await sql<{ id: string }>`
      update contacts set valid = false, invalid_reason = ${reason}, invalid_since = ${options.day}::date, updated_at = now()
       where org_id = ${org.id}::uuid and id = any(${matched.map((k) => k.id)}::uuid[]) and valid
      returning id`.execute(db);
    outcome.invalidated = invalidated.rows.length;
    const rewind: string[] = [];
    // The message did not reach the customer: its step is planned again once a valid contact exists.
    if (message && message.status === 'sent') {
      await sql`update messages set status = 'bounced', last_error = ${reason}
                 where org_id = ${org.id}::uuid and id = ${message.id}::uuid and status = 'sent'`.execute(db);
      rewind.push(message.id);
    } else if (message && message.status === 'failed') rewind.push(message.id);
    const held = await sql<{ id: string; customer_id: string; subject: string; day: string }>`
      update messages set status = 'suspended', last_error = ${`${address}: ${reason}`}, claimed_until = null
       where org_id = ${org.id}::uuid and contact_id = any(${matched.map((k) => k.id)}::uuid[])
         and status in ('queued', 'awaiting_approval')
      returning id, customer_id, subject, day`.execute(db);
    outcome.suspended = held.rows.map((h) => h.id);
    rewind.push(...outcome.suspended);
    await rewindDunningState(db, org.id, rewind);
    for (const h of held.rows)
      events.push({
        messageId: h.id,
        kind: 'suspended',
        detail: { reason: `${address}: ${reason}` },
      });
    for (const k of matched) {
      const waiting = held.rows.filter((h) => h.customer_id === k.customer_id).length;
      await db
        .insertInto('events')
        .values({
          org_id: org.id,
          customer_id: k.customer_id,
          day: options.day,
          kind: 'contact.invalid',
          actor: 'agent',
          summary: `${k.email} bounced (${what || 'hard bounce'}): no more mail to it${waiting ? `; ${waiting} waiting message(s) held back` : ''}`,
          data: JSON.stringify({ contactId: k.id, status: r.status, reason: r.reason, source }),
        })
        .execute();
    }
    // One task per customer. Its cause is the planner's own for a customer without a valid contact,
    // so the run does not open a second one, and closes it when a valid contact appears.
    for (const customerId of customerIds) {
      const k = matched.find((c) => c.customer_id === customerId)!;
      const opened = await openTaskFor(store, org, {
        customerId,
        kind: 'invalid_email',
        causeKey: `missing_contact:${customerId}`,
        text: 'task.invalid_email',
        values: { customer_name: k.name, email: k.email },
        reason: `${k.email} bounced: ${reason}`,
        day: options.day,
      });
      if (opened) outcome.tasks.push(`missing_contact:${customerId}`);
    }
  } else {
    // Tried again later: a full mailbox empties, a block lifts. Not forever: the same message comes
    // back at most softLimit times.
    const limit = options.softLimit ?? 3;
    if (message && (message.status === 'sent' || message.status === 'failed')) {
      const times = await sql<{ n: number }>`
        select count(*)::int as n from bounces where org_id = ${org.id}::uuid and message_id = ${message.id}::uuid and not hard`.execute(
        db,
      );
      if ((times.rows[0]?.n ?? 0) < limit) {
        const again = await sql<{ next_attempt_at: Date }>`
          update messages set status = 'queued', sent_at = null, claimed_by = null, claimed_until = null,
                 next_attempt_at = now() + make_interval(secs => ${options.softRetrySeconds ?? 6 * 3600}),
                 last_error = ${`soft bounce ${what}`.trim()}
           where org_id = ${org.id}::uuid and id = ${message.id}::uuid and status in ('sent', 'failed')
          returning next_attempt_at`.execute(db);
        outcome.retryAt = again.rows[0]?.next_attempt_at.toISOString() ?? null;
      }
    }
    const since = addDays(options.day, -(options.softWindowDays ?? 14));
    for (const k of matched) {
      const recent = await sql<{ n: number }>`
        select count(*)::int as n from bounces
         where org_id = ${org.id}::uuid and contact_id = ${k.id}::uuid and not hard and day > ${since}::date`.execute(
        db,
      );
      const count = recent.rows[0]?.n ?? 0;
      if (count < limit) continue;
      const opened = await openTaskFor(store, org, {
        customerId: k.customer_id,
        kind: 'repeated_bounces',
        causeKey: `repeated_bounces:${k.id}`,
        text: 'task.repeated_bounces',
        values: { customer_name: k.name, email: k.email, count },
        reason: `${count} soft bounces from ${k.email} within ${options.softWindowDays ?? 14} days, the last: ${what || r.diagnostic || 'no detail'}`,
        day: options.day,
      });
      if (opened) outcome.tasks.push(`repeated_bounces:${k.id}`);
    }
  }
  await recordDeliveryEvents(db, org.id, events);
  return outcome;
}
