// The message a queue item will send, as it will be sent, without sending or writing anything: a
// message already written and awaiting approval is read back as stored; a planned one is decided
// by the planner for that day and rendered by the run's own composer, on the state as it is now.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { Organisation } from '../ledger/organisations.ts';
import type { Db } from '../store/store.ts';
import { composeDunning, composeOrganisation } from './compose.ts';
import { loadBatch, loadPolicies, loadTemplateOverrides } from './load.ts';
import { planCustomer } from './plan.ts';

export interface MessagePreview {
  customer: { ref: string; name: string };
  day: PlainDate;
  /** awaiting_approval: written, waiting for a person; planned: what the run of that day would write. */
  source: 'awaiting_approval' | 'planned';
  level: number;
  channel: 'email' | 'letter' | 'both';
  language: string;
  to: { name: string | null; email: string | null }[];
  subject: string;
  text: string;
  invoices: { number: string; amount: string; currency: string }[];
  reason: string;
}

/** Nothing would be sent to that customer that day, and why; `past` when the day is before today. */
export interface NoMessage {
  nothing: string;
  past?: true;
}

export async function previewMessage(
  db: Db,
  org: Organisation,
  customer: { id: string; ref: string; name: string },
  day: PlainDate,
  today: PlainDate,
): Promise<MessagePreview | NoMessage> {
  const stored = await awaitingMessage(db, org.id, customer, day);
  if (stored) return stored;
  // Only a message already written can be of a past day: a plan is made from today on.
  if (day < today)
    return { nothing: `${day} is past and no message of that day awaits approval`, past: true };

  const batch = await loadBatch(db, org.id, null, 1, { customerIds: [customer.id] });
  const planned = batch.customers[0];
  if (!planned) return { nothing: 'no open invoice' };
  const [policies, overrides] = await Promise.all([
    loadPolicies(db, org.id),
    loadTemplateOverrides(db, org.id),
  ]);
  const policy = (planned.policyId && policies.byId.get(planned.policyId)) || policies.fallback;
  const plan = planCustomer(planned, { day, orgCountry: org.country, policy });
  const send = plan.actions.find((a) => a.kind === 'send');
  if (!send) {
    const why = plan.actions.map((a) => a.reason);
    const next = plan.next.filter((n) => n.date === day).map((n) => n.reason);
    return { nothing: [...new Set([...why, ...next])].join('; ') || 'no reminder is due that day' };
  }
  const rendered = composeDunning({
    action: send,
    day,
    customer: planned,
    org: composeOrganisation(org),
    invoices: batch.documents,
    overrides,
  });
  return {
    customer: { ref: customer.ref, name: customer.name },
    day,
    source: 'planned',
    level: send.level,
    channel: send.channel,
    language: rendered.language,
    to: [{ name: send.contact.name, email: send.contact.email }],
    subject: rendered.subject,
    text: rendered.text,
    invoices: send.steps.map((s) => ({
      number: s.number,
      amount: formatDecimal(s.amount, s.currency),
      currency: s.currency,
    })),
    reason: send.reason,
  };
}

async function awaitingMessage(
  db: Db,
  orgId: string,
  customer: { id: string; ref: string; name: string },
  day: PlainDate,
): Promise<MessagePreview | null> {
  const message = await db
    .selectFrom('messages')
    .select(['id', 'level', 'channel', 'language', 'to_address', 'to_name', 'subject', 'text_body', 'reason'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customer.id)
    .where('status', '=', 'awaiting_approval')
    .where('day', '=', day)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!message) return null;
  const invoices = await sql<{ number: string; amount: number; currency: string }>`
    select i.number, mi.amount, i.currency from message_invoices mi
      join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
     where mi.org_id = ${orgId}::uuid and mi.message_id = ${message.id}::uuid
     order by i.number`.execute(db);
  return {
    customer: { ref: customer.ref, name: customer.name },
    day,
    source: 'awaiting_approval',
    level: message.level ?? 0,
    channel: message.channel === 'letter' ? 'letter' : 'email',
    language: message.language,
    to: [{ name: message.to_name, email: message.to_address }],
    subject: message.subject,
    text: message.text_body,
    invoices: invoices.rows.map((r) => ({
      number: r.number,
      amount: formatDecimal(Number(r.amount), r.currency),
      currency: r.currency,
    })),
    reason: message.reason,
  };
}
