// The reminder queue (CONTRACT.md §4): what is planned, grouped as it will be sent (one message
// per customer and day), with its priority colour.
import { sql } from 'kysely';
import { daysBetween, type PlainDate } from '../calendar/plain-date.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { Db } from '../store/store.ts';
import { loadPolicies } from './load.ts';

export type Priority = 'green' | 'orange' | 'red';

export interface QueueItem {
  customer: { ref: string; name: string };
  invoices: string[];
  amount: string;
  currency: string;
  daysOverdue: number;
  level: number;
  channel: 'email' | 'letter' | 'both';
  plannedFor: PlainDate;
  priority: Priority;
  status: string;
  reason: string;
}

/** Green under 15 days overdue, orange from 15 to 30, red over 30. */
export function priorityFor(daysOverdue: number): Priority {
  return daysOverdue > 30 ? 'red' : daysOverdue >= 15 ? 'orange' : 'green';
}

const STATUS_RANK = ['blocked', 'postponed', 'held', 'deferred', 'planned'];

export async function listQueue(
  db: Db,
  orgId: string,
  filter: { customerRef?: string; until?: PlainDate } = {},
): Promise<QueueItem[]> {
  const policies = await loadPolicies(db, orgId);
  const rows = await sql<{
    customer_id: string;
    ref: string;
    name: string;
    policy_id: string | null;
    number: string;
    due_date: string;
    currency: string;
    outstanding: number;
    next_level: number;
    next_date: string;
    next_status: string | null;
    next_reason: string | null;
  }>`
    select c.id as customer_id, c.ref, c.name, c.policy_id, i.number, i.due_date, i.currency, i.outstanding,
           d.next_level, d.next_date, d.next_status, d.next_reason
      from dunning_state d
      join invoices i on i.id = d.invoice_id and i.org_id = d.org_id
      join customers c on c.id = d.customer_id and c.org_id = d.org_id
     where d.org_id = ${orgId}::uuid and d.next_date is not null
       ${filter.customerRef ? sql`and c.ref = ${filter.customerRef}` : sql``}
       ${filter.until ? sql`and d.next_date <= ${filter.until}::date` : sql``}
     order by d.next_date, c.ref, i.due_date, i.number`.execute(db);

  const groups = new Map<string, QueueItem & { total: number }>();
  for (const r of rows.rows) {
    const key = `${r.customer_id}|${r.next_date}|${r.currency}`;
    const days = Math.max(0, daysBetween(r.due_date, r.next_date));
    const policy = (r.policy_id && policies.byId.get(r.policy_id)) || policies.fallback;
    const channel = policy.levels.find((l) => l.level === r.next_level)?.channel ?? 'email';
    const status = r.next_status ?? 'planned';
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        customer: { ref: r.ref, name: r.name },
        invoices: [r.number],
        amount: '',
        total: Number(r.outstanding),
        currency: r.currency,
        daysOverdue: days,
        level: r.next_level,
        channel,
        plannedFor: r.next_date,
        priority: priorityFor(days),
        status,
        reason: r.next_reason ?? '',
      });
      continue;
    }
    g.invoices.push(r.number);
    g.total += Number(r.outstanding);
    g.daysOverdue = Math.max(g.daysOverdue, days);
    g.priority = priorityFor(g.daysOverdue);
    if (r.next_level > g.level) {
      g.level = r.next_level;
      g.channel = channel;
    }
    if (STATUS_RANK.indexOf(status) < STATUS_RANK.indexOf(g.status)) g.status = status;
    g.reason = `${g.reason}; ${r.next_reason ?? ''}`;
  }

  const awaiting = await sql<{
    day: string;
    ref: string;
    name: string;
    level: number;
    channel: string;
    reason: string;
    number: string;
    due_date: string;
    currency: string;
    amount: number;
  }>`
    select m.day, c.ref, c.name, m.level, m.channel, m.reason, i.number, i.due_date, i.currency, mi.amount
      from messages m
      join customers c on c.id = m.customer_id and c.org_id = m.org_id
      join message_invoices mi on mi.message_id = m.id and mi.org_id = m.org_id
      join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
     where m.org_id = ${orgId}::uuid and m.status = 'awaiting_approval'
       ${filter.customerRef ? sql`and c.ref = ${filter.customerRef}` : sql``}
     order by m.day, c.ref, i.number`.execute(db);
  for (const r of awaiting.rows) {
    const key = `approval|${r.ref}|${r.day}|${r.currency}`;
    const days = Math.max(0, daysBetween(r.due_date, r.day));
    const g = groups.get(key);
    if (g) {
      g.invoices.push(r.number);
      g.total += Number(r.amount);
      g.daysOverdue = Math.max(g.daysOverdue, days);
      g.priority = priorityFor(g.daysOverdue);
      continue;
    }
    groups.set(key, {
      customer: { ref: r.ref, name: r.name },
      invoices: [r.number],
      amount: '',
      total: Number(r.amount),
      currency: r.currency,
      daysOverdue: days,
      level: r.level,
      channel: r.channel as QueueItem['channel'],
      plannedFor: r.day,
      priority: priorityFor(days),
      status: 'awaiting_approval',
      reason: r.reason,
    });
  }
  return [...groups.values()]
    .map(({ total, ...item }) => ({ ...item, amount: formatDecimal(total, item.currency) }))
    .sort((a, b) =>
      a.plannedFor === b.plannedFor
        ? a.customer.ref.localeCompare(b.customer.ref)
        : a.plannedFor < b.plannedFor
          ? -1
          : 1,
    );
}
