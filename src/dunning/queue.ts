// The reminder queue (CONTRACT.md §4): what is planned, grouped as it will be sent (one message
// per customer and day), with its priority colour.
import { sql } from 'kysely';
import { daysBetween, type PlainDate } from '../calendar/plain-date.ts';
import { formatDecimal } from '../ledger/money.ts';
import { type Db, PREPARED } from '../store/store.ts';
import { loadPolicies, recentPoliciesOf } from './load.ts';

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

interface PlannedRow {
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
}

interface AwaitingRow {
  day: string;
  customer_id: string;
  ref: string;
  name: string;
  level: number;
  channel: string;
  reason: string;
  number: string;
  due_date: string;
  currency: string;
  amount: number;
}

type Group = QueueItem & { total: number };
type Policies = Awaited<ReturnType<typeof loadPolicies>>;

function addPlanned(groups: Map<string, Group>, policies: Policies, r: PlannedRow): void {
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
    return;
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

function addAwaiting(groups: Map<string, Group>, r: AwaitingRow): void {
  const key = `approval|${r.ref}|${r.day}|${r.currency}`;
  const days = Math.max(0, daysBetween(r.due_date, r.day));
  const g = groups.get(key);
  if (g) {
    g.invoices.push(r.number);
    g.total += Number(r.amount);
    g.daysOverdue = Math.max(g.daysOverdue, days);
    g.priority = priorityFor(g.daysOverdue);
    return;
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

const finish = (groups: Iterable<Group>): QueueItem[] =>
  [...groups].map(({ total, ...item }) => ({ ...item, amount: formatDecimal(total, item.currency) }));

export async function listQueue(
  db: Db,
  orgId: string,
  filter: { customerRef?: string; until?: PlainDate } = {},
): Promise<QueueItem[]> {
  const policies = await loadPolicies(db, orgId);
  const rows = await sql<PlannedRow>`
    select c.id as customer_id, c.ref, c.name, c.policy_id, i.number, i.due_date, i.currency, i.outstanding,
           d.next_level, d.next_date, d.next_status, d.next_reason
      from dunning_state d
      join invoices i on i.id = d.invoice_id and i.org_id = d.org_id
      join customers c on c.id = d.customer_id and c.org_id = d.org_id
     where d.org_id = ${orgId}::uuid and d.next_date is not null
       ${filter.customerRef ? sql`and c.ref = ${filter.customerRef}` : sql``}
       ${filter.until ? sql`and d.next_date <= ${filter.until}::date` : sql``}
     order by d.next_date, c.ref, i.due_date, i.number`.execute(db);

  const groups = new Map<string, Group>();
  for (const r of rows.rows) addPlanned(groups, policies, r);

  const awaiting = await sql<AwaitingRow>`
    select m.day, m.customer_id, c.ref, c.name, m.level, m.channel, m.reason, i.number, i.due_date, i.currency, mi.amount
      from messages m
      join customers c on c.id = m.customer_id and c.org_id = m.org_id
      join message_invoices mi on mi.message_id = m.id and mi.org_id = m.org_id
      join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
     where m.org_id = ${orgId}::uuid and m.status = 'awaiting_approval'
       ${filter.customerRef ? sql`and c.ref = ${filter.customerRef}` : sql``}
     order by m.day, c.ref, i.number`.execute(db);
  for (const r of awaiting.rows) addAwaiting(groups, r);
  return finish(groups.values()).sort((a, b) =>
    a.plannedFor === b.plannedFor
      ? a.customer.ref.localeCompare(b.customer.ref)
      : a.plannedFor < b.plannedFor
        ? -1
        : 1,
  );
}

/** Where a page of the queue ends: the planned day, the customer's id, and which list it came from. */
export interface QueueCursor {
  date: PlainDate;
  customerId: string;
  /** 0: planned steps; 1: messages awaiting approval. */
  source: 0 | 1;
}

export interface QueuePage {
  items: QueueItem[];
  next: QueueCursor | null;
}

const keyOrder = (a: QueueCursor, b: QueueCursor) =>
  a.date !== b.date
    ? a.date < b.date
      ? -1
      : 1
    : a.customerId !== b.customerId
      ? a.customerId < b.customerId
        ? -1
        : 1
      : a.source - b.source;

/**
 * One page of the queue, by keyset on (planned day, customer id): for an API over a million
 * invoices, each page reads its own customers' rows through an index, never the whole queue.
 * Within a day, customers come in a stable order (their id), not by ref as `listQueue` sorts them.
 */
export async function listQueuePage(
  db: Db,
  orgId: string,
  options: { limit: number; after?: QueueCursor | undefined; customerId?: string; until?: PlainDate },
): Promise<QueuePage> {
  const { limit, after } = options;
  // Each list's next keys, the planned steps with their invoices and customers, in one prepared
  // statement; the policies as recently read. One round trip per page matters at 200 requests a
  // second, when the server and the database share the machine's cores.
  const after0 = after
    ? sql`and (d.next_date, d.customer_id) > (${after.date}::date, ${after.customerId}::uuid)`
    : sql``;
  const after1 = after
    ? sql`and (m.day, m.customer_id) ${after.source === 0 ? sql`>=` : sql`>`} (${after.date}::date, ${after.customerId}::uuid)`
    : sql``;
  const unsorted = sql`
    with keys as (
      select distinct d.next_date as day, d.customer_id from dunning_state d
       where d.org_id = ${orgId}::uuid and d.next_date is not null
         ${options.customerId ? sql`and d.customer_id = ${options.customerId}::uuid` : sql``}
         ${options.until ? sql`and d.next_date <= ${options.until}::date` : sql``}
         ${after0}
       order by d.next_date, d.customer_id limit ${limit + 1}
    ), awaiting as (
      -- Messages awaiting approval are few, often none: their keys here, their rows only when there are some.
      select distinct m.day, m.customer_id from messages m
       where m.org_id = ${orgId}::uuid and m.status = 'awaiting_approval'
         ${options.customerId ? sql`and m.customer_id = ${options.customerId}::uuid` : sql``}
         ${options.until ? sql`and m.day <= ${options.until}::date` : sql``}
         ${after1}
       order by m.day, m.customer_id limit ${limit + 1}
    )
    select 0 as source, k.day as key_date, d.customer_id, c.ref, c.name, c.policy_id, i.number, i.due_date, i.currency,
           i.outstanding, d.next_level, d.next_date, d.next_status, d.next_reason
      from keys k
      join dunning_state d on d.org_id = ${orgId}::uuid and d.next_date = k.day and d.customer_id = k.customer_id
      join invoices i on i.org_id = ${orgId}::uuid and i.id = d.invoice_id
      join customers c on c.org_id = ${orgId}::uuid and c.id = d.customer_id
    union all
    select 1, a.day, a.customer_id, null, null, null, null, null, null, null, null, null, null, null from awaiting a`;
  // Sorted by key, then byte-wise, whatever the database's collation says of invoice numbers.
  const rows = sql<PlannedRow & { key_date: string; source: 0 | 1 }>`${sql.raw(PREPARED)}
    select * from (${unsorted}) u order by source, key_date, customer_id, due_date, number collate "C"`.execute(
    db,
  );
  const [all, policies] = await Promise.all([rows, recentPoliciesOf(db, orgId)]);
  const steps = all.rows.filter((r) => r.source === 0);
  const awaitingKeys = all.rows.filter((r) => r.source === 1);
  const awaitingRows =
    awaitingKeys.length === 0
      ? { rows: [] as AwaitingRow[] }
      : await sql<AwaitingRow>`
          select m.day, m.customer_id, c.ref, c.name, m.level, m.channel, m.reason, i.number, i.due_date, i.currency, mi.amount
            from unnest(${awaitingKeys.map((k) => k.key_date)}::date[], ${awaitingKeys.map((k) => k.customer_id)}::uuid[]) as k(day, customer_id)
            join messages m on m.org_id = ${orgId}::uuid and m.status = 'awaiting_approval' and m.day = k.day and m.customer_id = k.customer_id
            join customers c on c.id = m.customer_id and c.org_id = m.org_id
            join message_invoices mi on mi.message_id = m.id and mi.org_id = m.org_id
            join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
           order by m.day, m.customer_id, i.number`.execute(db);
  // Both lists come sorted by key: their distinct keys, merged, and the page's first `limit`.
  const distinctKeys = (list: { date: string; customerId: string }[], source: 0 | 1) => {
    const out: QueueCursor[] = [];
    for (const k of list) {
      const last = out.at(-1);
      if (!last || last.date !== k.date || last.customerId !== k.customerId)
        out.push({ date: k.date, customerId: k.customerId, source });
    }
    return out;
  };
  const sorted = [
    ...distinctKeys(
      steps.map((r) => ({ date: r.key_date, customerId: r.customer_id })),
      0,
    ),
    ...distinctKeys(
      awaitingRows.rows.map((r) => ({ date: r.day, customerId: r.customer_id })),
      1,
    ),
  ].sort(keyOrder);
  const page = sorted.slice(0, limit);
  const next = sorted.length > limit ? (page.at(-1) ?? null) : null;
  const order = new Map(page.map((k, i) => [`${k.source}|${k.date}|${k.customerId}`, i]));
  const plannedRows = steps;

  const groups = new Map<string, Group>();
  const rank = new Map<string, number>();
  for (const r of plannedRows) {
    const at = order.get(`0|${r.key_date}|${r.customer_id}`);
    if (at === undefined) continue;
    addPlanned(groups, policies, r);
    rank.set(`${r.customer_id}|${r.next_date}|${r.currency}`, at);
  }
  for (const r of awaitingRows.rows) {
    const at = order.get(`1|${r.day}|${r.customer_id}`);
    if (at === undefined) continue;
    addAwaiting(groups, r);
    rank.set(`approval|${r.ref}|${r.day}|${r.currency}`, at);
  }
  const ranked = [...groups.entries()].sort((a, b) => (rank.get(a[0]) ?? 0) - (rank.get(b[0]) ?? 0));
  return { items: finish(ranked.map(([, g]) => g)), next };
}
