// The ledger as people and scripts read it: contract-shaped objects (CONTRACT.md §1 listings).
import { sql } from 'kysely';
import { daysBetween } from '../calendar/plain-date.ts';
import type { Db } from '../store/store.ts';
import { formatDecimal } from './money.ts';
import type { InvoiceStatus } from './status.ts';

export interface CustomerRef {
  ref: string;
  name: string;
}

export interface InvoiceListing {
  number: string;
  type: 'invoice' | 'credit_note';
  customer: CustomerRef;
  issueDate: string;
  dueDate: string;
  currency: string;
  total: string;
  outstanding: string;
  status: InvoiceStatus;
  daysOverdue: number;
  poNumber: string | null;
  appliesTo: string | null;
  absentSince: string | null;
}

export interface InvoiceFilter {
  status?: string[];
  customerRef?: string;
  /** Only invoices still due whose due date is before today. */
  overdue?: boolean;
  /** Only this invoice or credit note. */
  number?: string;
  limit?: number;
  /** Keyset pagination: the number after which to continue. */
  after?: string;
}

export async function listInvoices(
  db: Db,
  orgId: string,
  today: string,
  filter: InvoiceFilter = {},
): Promise<InvoiceListing[]> {
  let query = db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.id', '=', 'i.customer_id').onRef('c.org_id', '=', 'i.org_id'),
    )
    .select([
      'i.number',
      'i.type',
      'i.issue_date',
      'i.due_date',
      'i.currency',
      'i.total',
      'i.outstanding',
      'i.status',
      'i.po_number',
      'i.applies_to',
      'i.absent_since',
      'c.ref',
      'c.name',
    ])
    .where('i.org_id', '=', orgId)
    .orderBy('i.number');
  if (filter.status?.length) query = query.where('i.status', 'in', filter.status);
  if (filter.customerRef) query = query.where('c.ref', '=', filter.customerRef);
  if (filter.number !== undefined) query = query.where('i.number', '=', filter.number);
  if (filter.overdue)
    query = query
      .where('i.type', '=', 'invoice')
      .where('i.outstanding', '>', 0)
      .where('i.due_date', '<', today)
      .where('i.status', 'in', ['open', 'partially_paid']);
  if (filter.after) query = query.where('i.number', '>', filter.after);
  if (filter.limit) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.map((r) => ({
    number: r.number,
    type: r.type as InvoiceListing['type'],
    customer: { ref: r.ref, name: r.name },
    issueDate: r.issue_date,
    dueDate: r.due_date,
    currency: r.currency,
    total: formatDecimal(r.total, r.currency),
    outstanding: formatDecimal(r.outstanding, r.currency),
    status: r.status as InvoiceStatus,
    daysOverdue: r.type === 'invoice' && r.outstanding > 0 ? Math.max(0, daysBetween(r.due_date, today)) : 0,
    poNumber: r.po_number,
    appliesTo: r.applies_to,
    absentSince: r.absent_since,
  }));
}

export interface ContactListing {
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  role: string;
  valid: boolean;
  invalidReason: string | null;
  invalidSince: string | null;
}

export interface CustomerListing {
  ref: string;
  name: string;
  customer: CustomerRef;
  country: string | null;
  language: string | null;
  strategic: boolean;
  excluded: boolean;
  contacts: ContactListing[];
  /** What the customer owes, per currency: invoices still due minus unused credit notes. */
  balances: { currency: string; outstanding: string; overdue: string }[];
  openInvoices: number;
}

export async function listCustomers(
  db: Db,
  orgId: string,
  today: string,
  filter: { ref?: string; limit?: number; after?: string } = {},
): Promise<CustomerListing[]> {
  let query = db.selectFrom('customers').selectAll().where('org_id', '=', orgId).orderBy('ref');
  if (filter.ref) query = query.where('ref', '=', filter.ref);
  // Keyset pagination on ref (unique per organisation): a page of a hundred thousand customers
  // reads only its own rows, contacts and balances.
  if (filter.after !== undefined) query = query.where('ref', '>', filter.after);
  if (filter.limit) query = query.limit(filter.limit);
  const customers = await query.execute();
  if (customers.length === 0) return [];
  const some = filter.ref !== undefined || filter.limit !== undefined;
  const ids = customers.map((c) => c.id);
  const contacts = await db
    .selectFrom('contacts')
    .selectAll()
    .where('org_id', '=', orgId)
    .$if(some, (q) => q.where('customer_id', 'in', ids))
    .orderBy('created_at')
    .execute();
  const balances = await sql<{
    customer_id: string;
    currency: string;
    outstanding: number;
    overdue: number;
    open: number;
  }>`
    select customer_id, currency,
           sum(case when type = 'invoice' then outstanding else -outstanding end) as outstanding,
           sum(case when type = 'invoice' and due_date < ${today}::date then outstanding else 0 end) as overdue,
           count(*) filter (where type = 'invoice' and outstanding > 0) as open
      from invoices
     where org_id = ${orgId}::uuid and outstanding <> 0 and status not in ('cancelled', 'written_off')
       ${some ? sql`and customer_id = any(${ids}::uuid[])` : sql``}
     group by customer_id, currency order by currency`.execute(db);
  const contactsBy = groupBy(contacts, (c) => c.customer_id);
  const balancesBy = groupBy(balances.rows, (b) => b.customer_id);
  return customers.map((c) => ({
    ref: c.ref,
    name: c.name,
    customer: { ref: c.ref, name: c.name },
    country: c.country,
    language: c.language,
    strategic: c.strategic,
    excluded: c.excluded,
    contacts: (contactsBy.get(c.id) ?? []).map((k) => ({
      name: k.name,
      email: k.email,
      phone: k.phone,
      language: k.language,
      role: k.role,
      valid: k.valid,
      invalidReason: k.invalid_reason,
      invalidSince: k.invalid_since,
    })),
    balances: (balancesBy.get(c.id) ?? []).map((b) => ({
      currency: b.currency,
      outstanding: formatDecimal(Number(b.outstanding), b.currency),
      overdue: formatDecimal(Number(b.overdue), b.currency),
    })),
    openInvoices: (balancesBy.get(c.id) ?? []).reduce((n, b) => n + Number(b.open), 0),
  }));
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
