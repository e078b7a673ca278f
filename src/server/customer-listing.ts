// The customers page of the API: a page of customers found by ref, name or contact email, sorted by
// what a person chasing money sorts by (who owes most, who is latest), each with its balance and how
// it behaves as a payer. Keyset pages on (sort value, ref), so a deep page reads no earlier row.
import { type RawBuilder, sql } from 'kysely';
import { addDays } from '../calendar/plain-date.ts';
import type { ContactListing, CustomerListing } from '../ledger/listings.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { Db } from '../store/store.ts';

export const CUSTOMER_SORTS = ['ref', 'name', 'outstanding', 'overdue', 'late'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerPageQuery {
  q?: string | undefined;
  sort: CustomerSort;
  dir: 'asc' | 'desc';
  /** Only customers with something overdue. */
  overdue?: boolean | undefined;
  /** Only customers with a contact that bounced or was marked invalid. */
  bounced?: boolean | undefined;
  after?: { v: string | number; ref: string } | undefined;
  limit: number;
}

/** How the customer pays and answers, over the last twelve months. */
export interface Behaviour {
  /** Mean days between due date and payment, of the invoices paid in full over the last 12 months. */
  averageDaysLate: number | null;
  /** How many paid invoices that mean covers. */
  paidInvoices: number;
  /** Reminders that left over the last 12 months. */
  reminders: number;
  lastReminderOn: string | null;
  lastReply: { day: string; intent: string | null } | null;
  /** Days past due of the oldest invoice still due. */
  maxDaysOverdue: number;
  /** A contact's address bounced or was marked invalid: the agent holds back until it is fixed. */
  bouncedContact: boolean;
}

export type CustomerRow = CustomerListing & {
  contacts: (ContactListing & { id: string })[];
  behaviour: Behaviour;
};

interface Base {
  id: string;
  ref: string;
  name: string;
  country: string | null;
  language: string | null;
  strategic: boolean;
  excluded: boolean;
  v: string | number;
}

/** `%x%` for ILIKE, with the user's own % and _ taken literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function pageCustomers(
  db: Db,
  org: { id: string; currency: string },
  today: string,
  query: CustomerPageQuery,
): Promise<{ rows: CustomerRow[]; positions: { v: string | number; ref: string }[] }> {
  // Amounts of different currencies do not compare: sorting by money uses the organisation's own.
  const sums = query.sort === 'outstanding' || query.sort === 'overdue' || query.sort === 'late';
  const needsBalance = sums || query.overdue;
  const key: RawBuilder<unknown> =
    query.sort === 'ref'
      ? sql`c.ref`
      : query.sort === 'name'
        ? sql`c.name`
        : query.sort === 'outstanding'
          ? sql`coalesce(b.outstanding, 0)`
          : query.sort === 'overdue'
            ? sql`coalesce(b.overdue, 0)`
            : sql`coalesce(b.late, 0)`;
  const conditions: RawBuilder<unknown>[] = [sql`c.org_id = ${org.id}::uuid`];
  if (query.q?.trim()) {
    const p = likePattern(query.q.trim());
    conditions.push(sql`(c.ref ilike ${p} or c.name ilike ${p} or exists (
      select 1 from contacts k where k.org_id = c.org_id and k.customer_id = c.id and k.email ilike ${p}))`);
  }
  if (query.overdue) conditions.push(sql`coalesce(b.overdue_any, 0) > 0`);
  if (query.bounced)
    conditions.push(
      sql`exists (select 1 from contacts k where k.org_id = c.org_id and k.customer_id = c.id and not k.valid)`,
    );
  if (query.after) {
    const v = typeof query.after.v === 'number' ? sql`${query.after.v}::bigint` : sql`${query.after.v}::text`;
    const cmp = query.dir === 'asc' ? sql`>` : sql`<`;
    conditions.push(
      query.sort === 'ref'
        ? sql`c.ref ${cmp} ${query.after.ref}`
        : sql`(${key} ${cmp} ${v} or (${key} = ${v} and c.ref > ${query.after.ref}))`,
    );
  }
  const balances = needsBalance
    ? sql`left join (
        select customer_id,
               sum(case when type = 'invoice' then outstanding else -outstanding end)
                 filter (where currency = ${org.currency}) as outstanding,
               sum(outstanding) filter (where type = 'invoice' and due_date < ${today}::date
                                          and currency = ${org.currency}) as overdue,
               count(*) filter (where type = 'invoice' and outstanding > 0 and due_date < ${today}::date) as overdue_any,
               max(${today}::date - due_date) filter (where type = 'invoice' and outstanding > 0
                                                        and due_date < ${today}::date) as late
          from invoices
         where org_id = ${org.id}::uuid and outstanding <> 0 and status not in ('cancelled', 'written_off')
         group by customer_id) b on b.customer_id = c.id`
    : sql``;
  const dir = query.dir === 'asc' ? sql`asc` : sql`desc`;
  const found = await sql<Base>`
    select c.id, c.ref, c.name, c.country, c.language, c.strategic, c.excluded, ${key} as v
      from customers c ${balances}
     where ${sql.join(conditions, sql` and `)}
     order by ${key} ${dir}, c.ref asc
     limit ${query.limit}`.execute(db);
  const base = found.rows.map((r) => ({ ...r, v: typeof r.v === 'string' && sums ? Number(r.v) : r.v }));
  const rows = await describeCustomers(db, org.id, today, base);
  return { rows, positions: base.map((r) => ({ v: r.v, ref: r.ref })) };
}

/** Contacts, balances and behaviour of some customers of one organisation, in their order. */
export async function describeCustomers(
  db: Db,
  orgId: string,
  today: string,
  customers: Omit<Base, 'v'>[],
): Promise<CustomerRow[]> {
  if (customers.length === 0) return [];
  const ids = customers.map((c) => c.id);
  const yearAgo = addDays(today, -365);
  const [contacts, balances, paid, reminders, replies] = await Promise.all([
    db
      .selectFrom('contacts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('customer_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    // The same balance as the contract's listing (src/ledger/listings.ts): invoices still due minus
    // unused credit notes, per currency.
    sql<{
      customer_id: string;
      currency: string;
      outstanding: string;
      overdue: string;
      open: number;
      late: number;
    }>`
      select customer_id, currency,
             sum(case when type = 'invoice' then outstanding else -outstanding end) as outstanding,
             sum(case when type = 'invoice' and due_date < ${today}::date then outstanding else 0 end) as overdue,
             count(*) filter (where type = 'invoice' and outstanding > 0) as open,
             coalesce(max(${today}::date - due_date) filter (where type = 'invoice' and outstanding > 0), 0) as late
        from invoices
       where org_id = ${orgId}::uuid and customer_id = any(${ids}::uuid[])
         and outstanding <> 0 and status not in ('cancelled', 'written_off')
       group by customer_id, currency order by currency`.execute(db),
    // Paid on the day of the last payment that settled it; invoices settled only by credit notes
    // say nothing of how the customer pays.
    sql<{ customer_id: string; days: string | null; n: number }>`
      select i.customer_id, avg(greatest(0, p.paid_on - i.due_date)) as days, count(*) as n
        from invoices i
        join lateral (
          select max(pay.received_on) as paid_on
            from allocations a
            join payments pay on pay.org_id = a.org_id and pay.id = a.payment_id
           where a.org_id = i.org_id and a.invoice_id = i.id and pay.reversed_on is null) p on true
       where i.org_id = ${orgId}::uuid and i.customer_id = any(${ids}::uuid[])
         and i.type = 'invoice' and i.status = 'paid'
         and p.paid_on >= ${yearAgo}::date and p.paid_on <= ${today}::date
       group by i.customer_id`.execute(db),
    sql<{ customer_id: string; n: number; last: string | null }>`
      select customer_id, count(*) as n, max(day) as last
        from messages
       where org_id = ${orgId}::uuid and customer_id = any(${ids}::uuid[])
         and day >= ${yearAgo}::date and level is not null and status in ('sent', 'bounced')
       group by customer_id`.execute(db),
    sql<{ customer_id: string; day: string; intent: string | null }>`
      select distinct on (customer_id) customer_id, received_on as day, analysis->>'intent' as intent
        from inbound_messages
       where org_id = ${orgId}::uuid and customer_id = any(${ids}::uuid[])
         and coalesce(analysis->>'kind', 'reply') <> 'bounce'
       order by customer_id, received_on desc, received_at desc`.execute(db),
  ]);
  const contactsBy = groupBy(contacts, (k) => k.customer_id);
  const balancesBy = groupBy(balances.rows, (b) => b.customer_id);
  const paidBy = new Map(paid.rows.map((r) => [r.customer_id, r]));
  const remindersBy = new Map(reminders.rows.map((r) => [r.customer_id, r]));
  const replyBy = new Map(replies.rows.map((r) => [r.customer_id, r]));
  return customers.map((c) => {
    const ks = contactsBy.get(c.id) ?? [];
    const bs = balancesBy.get(c.id) ?? [];
    const p = paidBy.get(c.id);
    const m = remindersBy.get(c.id);
    const r = replyBy.get(c.id);
    return {
      ref: c.ref,
      name: c.name,
      customer: { ref: c.ref, name: c.name },
      country: c.country,
      language: c.language,
      strategic: c.strategic,
      excluded: c.excluded,
      contacts: ks.map((k) => ({
        id: k.id,
        name: k.name,
        email: k.email,
        phone: k.phone,
        language: k.language,
        role: k.role,
        valid: k.valid,
        invalidReason: k.invalid_reason,
        invalidSince: k.invalid_since,
      })),
      balances: bs.map((b) => ({
        currency: b.currency,
        outstanding: formatDecimal(Number(b.outstanding), b.currency),
        overdue: formatDecimal(Number(b.overdue), b.currency),
      })),
      openInvoices: bs.reduce((n, b) => n + Number(b.open), 0),
      behaviour: {
        averageDaysLate: p?.days != null ? Math.round(Number(p.days) * 10) / 10 : null,
        paidInvoices: p ? Number(p.n) : 0,
        reminders: m ? Number(m.n) : 0,
        lastReminderOn: m?.last ?? null,
        lastReply: r ? { day: r.day, intent: r.intent } : null,
        maxDaysOverdue: Math.max(0, ...bs.map((b) => Number(b.late))),
        bouncedContact: ks.some((k) => !k.valid),
      },
    };
  });
}

// Map.groupBy arrives with Node 21.
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
