// A customer's timeline: its messages with what became of each (delivered, bounced…), its replies
// with what they were understood to say, its payments and what they settled, the tasks opened for
// people, and the agent's other decisions with their reasons; newest first, a page at a time.
//
// Ordered by the logical day first (what `--as-of` and the demo's dates say), then by the moment
// it was recorded; the position is (day, microseconds, key), so ties and deep pages stay exact.
import { type RawBuilder, sql } from 'kysely';
import { formatDecimal } from '../ledger/money.ts';
import type { Db } from '../store/store.ts';

export const TIMELINE_TYPES = ['message', 'reply', 'payment', 'task', 'event'] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export interface TimelinePosition {
  day: string;
  us: number;
  key: string;
}

/** What a message became: 'delivered' once the recipient's server took it, when it says so. */
export type DeliveryStatus =
  | 'awaiting_approval'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'failed'
  | 'cancelled'
  | 'suspended';

interface Common {
  id: string;
  day: string;
  at: string;
  invoices: string[];
}

export type TimelineItem =
  | (Common & {
      type: 'message';
      message: {
        level: number | null;
        channel: string;
        status: DeliveryStatus;
        to: string | null;
        subject: string;
        reason: string;
        amount: string | null;
        currency: string | null;
        error: string | null;
        opened: boolean;
        bounce: {
          day: string;
          status: string;
          reason: string;
          hard: boolean;
          diagnostic: string | null;
        } | null;
      };
    })
  | (Common & {
      type: 'reply';
      reply: {
        from: string | null;
        subject: string;
        kind: string | null;
        intent: string | null;
        confidence: number | null;
        promisedDate: string | null;
        status: string;
        decisions: { kind: string; reason: string }[];
      };
    })
  | (Common & {
      type: 'payment';
      payment: {
        amount: string;
        currency: string;
        method: string;
        reference: string | null;
        payer: string | null;
        reversedOn: string | null;
        allocations: { invoice: string; amount: string }[];
      };
    })
  | (Common & {
      type: 'task';
      task: { kind: string; title: string; status: string; reason: string | null };
    })
  | (Common & { type: 'event'; event: { kind: string; actor: string; summary: string } });

// History lines that only repeat an item the timeline shows with more detail.
const SHOWN_ELSEWHERE = [
  'dunning.queued',
  'dunning.awaiting_approval',
  'task.opened',
  'payment.applied',
  'payment.recorded',
];

interface KeyRow {
  key: string;
  type: TimelineType;
  day: string;
  us: string | number;
  at: Date | string;
  ref_id: string;
}

export async function customerTimeline(
  db: Db,
  orgId: string,
  customerId: string,
  options: { limit: number; before?: TimelinePosition | undefined; types?: TimelineType[] | undefined },
): Promise<{ items: TimelineItem[]; positions: TimelinePosition[] }> {
  const us = (e: RawBuilder<unknown>) => sql`(extract(epoch from ${e}) * 1000000)::bigint`;
  const branches: Record<TimelineType, RawBuilder<unknown>> = {
    message: sql`select 'message:' || m.id::text, 'message', m.day, ${us(sql`coalesce(m.sent_at, m.created_at)`)},
                        coalesce(m.sent_at, m.created_at), m.id::text
                   from messages m where m.org_id = ${orgId}::uuid and m.customer_id = ${customerId}::uuid`,
    reply: sql`select 'reply:' || r.id::text, 'reply', r.received_on, ${us(sql`r.received_at`)}, r.received_at, r.id::text
                 from inbound_messages r
                where r.org_id = ${orgId}::uuid and r.customer_id = ${customerId}::uuid and r.status <> 'bounce'`,
    // Payments name their customer when the matcher knew it; others are found through what they settled.
    payment: sql`select 'payment:' || p.id::text, 'payment', p.received_on, ${us(sql`p.created_at`)}, p.created_at, p.id::text
                   from payments p
                  where p.org_id = ${orgId}::uuid and p.id in (
                    select id from payments where org_id = ${orgId}::uuid and customer_id = ${customerId}::uuid
                    union
                    select a.payment_id from invoices i
                      join allocations a on a.org_id = i.org_id and a.invoice_id = i.id
                     where i.org_id = ${orgId}::uuid and i.customer_id = ${customerId}::uuid
                       and a.payment_id is not null)`,
    task: sql`select 'task:' || t.id::text, 'task', t.created_on, ${us(sql`t.created_at`)}, t.created_at, t.id::text
                from tasks t where t.org_id = ${orgId}::uuid and t.customer_id = ${customerId}::uuid`,
    event: sql`select 'event:' || lpad(e.id::text, 20, '0'), 'event', coalesce(e.day, (e.at at time zone 'UTC')::date),
                      ${us(sql`e.at`)}, e.at, e.id::text
                 from events e
                where e.org_id = ${orgId}::uuid and e.customer_id = ${customerId}::uuid
                  and e.kind not like 'message.%'
                  and e.kind <> all(${SHOWN_ELSEWHERE}::text[])`,
  };
  const wanted = options.types?.length ? options.types : TIMELINE_TYPES;
  const union = sql.join(
    wanted.map((t) => branches[t]),
    sql` union all `,
  );
  const b = options.before;
  const keys = await sql<KeyRow>`
    select * from (${union}) as t(key, type, day, us, at, ref_id)
     ${b ? sql`where (day, us, key) < (${b.day}::date, ${b.us}::bigint, ${b.key})` : sql``}
     order by day desc, us desc, key desc
     limit ${options.limit}`.execute(db);
  const rows = keys.rows;
  const idsOf = (t: TimelineType) => rows.filter((r) => r.type === t).map((r) => r.ref_id);
  const [messages, replies, payments, tasks, events] = await Promise.all([
    messageDetails(db, orgId, idsOf('message')),
    replyDetails(db, orgId, idsOf('reply')),
    paymentDetails(db, orgId, idsOf('payment')),
    taskDetails(db, orgId, idsOf('task')),
    eventDetails(db, orgId, idsOf('event')),
  ]);
  const items: TimelineItem[] = [];
  for (const r of rows) {
    const common = { id: r.key, day: r.day, at: new Date(r.at).toISOString() };
    if (r.type === 'message') items.push({ ...common, type: 'message', ...messages.get(r.ref_id)! });
    else if (r.type === 'reply') items.push({ ...common, type: 'reply', ...replies.get(r.ref_id)! });
    else if (r.type === 'payment') items.push({ ...common, type: 'payment', ...payments.get(r.ref_id)! });
    else if (r.type === 'task') items.push({ ...common, type: 'task', ...tasks.get(r.ref_id)! });
    else items.push({ ...common, type: 'event', ...events.get(r.ref_id)! });
  }
  return { items, positions: rows.map((r) => ({ day: r.day, us: Number(r.us), key: r.key })) };
}

/** The delivery status of messages: the sender's status, and 'delivered' when a report said so. */
export async function messageDetails(db: Db, orgId: string, ids: string[]) {
  const out = new Map<
    string,
    { invoices: string[]; message: Extract<TimelineItem, { type: 'message' }>['message'] }
  >();
  if (ids.length === 0) return out;
  const rows = await sql<{
    id: string;
    level: number | null;
    channel: string;
    status: string;
    to_address: string | null;
    subject: string;
    reason: string;
    amount: number | null;
    currency: string | null;
    last_error: string | null;
    delivered: boolean;
    opened: boolean;
    invoices: string[] | null;
    bounce: { day: string; status: string; reason: string; hard: boolean; diagnostic: string | null } | null;
  }>`
    select m.id::text, m.level, m.channel, m.status, m.to_address, m.subject, m.reason, m.amount, m.currency,
           m.last_error,
           exists (select 1 from message_events v where v.org_id = m.org_id and v.message_id = m.id
                     and v.kind = 'delivered') as delivered,
           exists (select 1 from message_events v where v.org_id = m.org_id and v.message_id = m.id
                     and v.kind in ('opened', 'clicked')) as opened,
           (select array_agg(i.number order by i.number) from message_invoices mi
              join invoices i on i.org_id = mi.org_id and i.id = mi.invoice_id
             where mi.org_id = m.org_id and mi.message_id = m.id) as invoices,
           (select jsonb_build_object('day', x.day::text, 'status', x.status, 'reason', x.reason, 'hard', x.hard,
                                      'diagnostic', x.diagnostic)
              from bounces x where x.org_id = m.org_id and x.message_id = m.id
             order by x.at desc limit 1) as bounce
      from messages m
     where m.org_id = ${orgId}::uuid and m.id = any(${ids}::uuid[])`.execute(db);
  for (const m of rows.rows)
    out.set(m.id, {
      invoices: m.invoices ?? [],
      message: {
        level: m.level,
        channel: m.channel,
        status: (m.status === 'sent' && m.delivered ? 'delivered' : m.status) as DeliveryStatus,
        to: m.to_address,
        subject: m.subject,
        reason: m.reason,
        amount: m.amount !== null && m.currency ? formatDecimal(m.amount, m.currency) : null,
        currency: m.currency,
        error: m.last_error,
        opened: m.opened,
        bounce: m.bounce,
      },
    });
  return out;
}

async function replyDetails(db: Db, orgId: string, ids: string[]) {
  const out = new Map<
    string,
    { invoices: string[]; reply: Extract<TimelineItem, { type: 'reply' }>['reply'] }
  >();
  if (ids.length === 0) return out;
  const rows = await sql<{
    id: string;
    from_address: string | null;
    subject: string;
    status: string;
    analysis: {
      kind?: string;
      intent?: string;
      confidence?: number;
      promisedDate?: string;
      invoiceNumbers?: string[];
    } | null;
    decisions: { kind?: string; reason?: string }[] | null;
    invoices: string[] | null;
  }>`
    select r.id::text, r.from_address, r.subject, r.status, r.analysis, r.decisions,
           (select array_agg(i.number order by i.number) from invoices i
             where i.org_id = r.org_id and i.id = any(r.invoice_ids)) as invoices
      from inbound_messages r
     where r.org_id = ${orgId}::uuid and r.id = any(${ids}::uuid[])`.execute(db);
  for (const r of rows.rows) {
    const a = r.analysis ?? {};
    out.set(r.id, {
      invoices: r.invoices ?? a.invoiceNumbers ?? [],
      reply: {
        from: r.from_address,
        subject: r.subject,
        kind: a.kind ?? null,
        intent: a.intent ?? null,
        confidence: typeof a.confidence === 'number' ? a.confidence : null,
        promisedDate: a.promisedDate ?? null,
        status: r.status,
        decisions: (Array.isArray(r.decisions) ? r.decisions : []).map((d) => ({
          kind: String(d.kind ?? ''),
          reason: String(d.reason ?? ''),
        })),
      },
    });
  }
  return out;
}

async function paymentDetails(db: Db, orgId: string, ids: string[]) {
  const out = new Map<
    string,
    { invoices: string[]; payment: Extract<TimelineItem, { type: 'payment' }>['payment'] }
  >();
  if (ids.length === 0) return out;
  const [payments, allocations] = await Promise.all([
    db
      .selectFrom('payments')
      .select(['id', 'amount', 'currency', 'method', 'reference', 'payer_name', 'reversed_on'])
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('allocations as a')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.id', '=', 'a.invoice_id').onRef('i.org_id', '=', 'a.org_id'),
      )
      .select(['a.payment_id', 'a.amount', 'i.number', 'i.currency'])
      .where('a.org_id', '=', orgId)
      .where('a.payment_id', 'in', ids)
      .orderBy('i.number')
      .execute(),
  ]);
  for (const p of payments) {
    const mine = allocations.filter((a) => a.payment_id === p.id);
    out.set(p.id, {
      invoices: mine.map((a) => a.number),
      payment: {
        amount: formatDecimal(p.amount, p.currency),
        currency: p.currency,
        method: p.method,
        reference: p.reference,
        payer: p.payer_name,
        reversedOn: p.reversed_on,
        allocations: mine.map((a) => ({ invoice: a.number, amount: formatDecimal(a.amount, a.currency) })),
      },
    });
  }
  return out;
}

async function taskDetails(db: Db, orgId: string, ids: string[]) {
  const out = new Map<
    string,
    { invoices: string[]; task: Extract<TimelineItem, { type: 'task' }>['task'] }
  >();
  if (ids.length === 0) return out;
  const rows = await sql<{
    id: string;
    kind: string;
    title: string;
    status: string;
    detail: { reason?: unknown; invoices?: unknown } | null;
    number: string | null;
  }>`
    select t.id::text, t.kind, t.title, t.status, t.detail, i.number
      from tasks t left join invoices i on i.org_id = t.org_id and i.id = t.invoice_id
     where t.org_id = ${orgId}::uuid and t.id = any(${ids}::uuid[])`.execute(db);
  for (const t of rows.rows) {
    const listed = Array.isArray(t.detail?.invoices) ? t.detail.invoices.map(String) : [];
    out.set(t.id, {
      invoices: t.number ? [t.number] : listed,
      task: {
        kind: t.kind,
        title: t.title,
        status: t.status,
        reason: typeof t.detail?.reason === 'string' ? t.detail.reason : null,
      },
    });
  }
  return out;
}

async function eventDetails(db: Db, orgId: string, ids: string[]) {
  const out = new Map<
    string,
    { invoices: string[]; event: Extract<TimelineItem, { type: 'event' }>['event'] }
  >();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('events as e')
    .leftJoin('invoices as i', (j) => j.onRef('i.id', '=', 'e.invoice_id').onRef('i.org_id', '=', 'e.org_id'))
    .select(['e.id', 'e.kind', 'e.actor', 'e.summary', 'i.number'])
    .where('e.org_id', '=', orgId)
    .where(
      'e.id',
      'in',
      ids.map((id) => Number(id)),
    )
    .execute();
  for (const e of rows)
    out.set(String(e.id), {
      invoices: e.number ? [e.number] : [],
      event: { kind: e.kind, actor: e.actor, summary: e.summary },
    });
  return out;
}
