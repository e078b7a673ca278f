// The invoices page of the API: filtered, searched (number, customer, PO) and sorted, each with the
// next step the agent has planned for it. Keyset pages on (sort value, number): numbers are unique in
// an organisation, so a position is exact at any depth.
import { type RawBuilder, sql } from 'kysely';
import { daysBetween } from '../calendar/plain-date.ts';
import type { InvoiceListing } from '../ledger/listings.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { InvoiceStatus } from '../ledger/status.ts';
import { type Db, PREPARED } from '../store/store.ts';
import { likePattern } from './customer-listing.ts';

export const INVOICE_SORTS = ['number', 'dueDate', 'issueDate', 'outstanding', 'total', 'customer'] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];

export interface InvoicePageQuery {
  status?: string[] | undefined;
  customerRef?: string | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
  sort: InvoiceSort;
  dir: 'asc' | 'desc';
  after?: { v: string | number; number: string } | undefined;
  limit: number;
}

export interface NextStepView {
  level: number | null;
  plannedFor: string;
  status: string;
}

export type InvoiceRow = InvoiceListing & { nextStep: NextStepView | null };

const KEYS: Record<InvoiceSort, RawBuilder<unknown>> = {
  number: sql`i.number`,
  dueDate: sql`i.due_date`,
  issueDate: sql`i.issue_date`,
  outstanding: sql`i.outstanding`,
  total: sql`i.total`,
  customer: sql`c.name`,
};

export async function pageInvoices(
  db: Db,
  orgId: string,
  today: string,
  query: InvoicePageQuery,
): Promise<{ rows: InvoiceRow[]; positions: { v: string | number; number: string }[] }> {
  const key = KEYS[query.sort];
  const conditions: RawBuilder<unknown>[] = [sql`i.org_id = ${orgId}::uuid`];
  if (query.status?.length) conditions.push(sql`i.status = any(${query.status}::text[])`);
  if (query.customerRef) conditions.push(sql`c.ref = ${query.customerRef}`);
  if (query.overdue)
    conditions.push(sql`i.type = 'invoice' and i.outstanding > 0 and i.due_date < ${today}::date
                        and i.status in ('open', 'partially_paid')`);
  if (query.q?.trim()) {
    const p = likePattern(query.q.trim());
    conditions.push(
      sql`(i.number ilike ${p} or c.name ilike ${p} or c.ref ilike ${p} or i.po_number ilike ${p})`,
    );
  }
  if (query.after) {
    const cmp = query.dir === 'asc' ? sql`>` : sql`<`;
    const a = query.after;
    const v =
      query.sort === 'outstanding' || query.sort === 'total'
        ? sql`${Number(a.v)}::bigint`
        : query.sort === 'dueDate' || query.sort === 'issueDate'
          ? sql`${String(a.v)}::date`
          : sql`${String(a.v)}::text`;
    conditions.push(
      query.sort === 'number'
        ? sql`i.number ${cmp} ${a.number}`
        : sql`(${key} ${cmp} ${v} or (${key} = ${v} and i.number > ${a.number}))`,
    );
  }
  const dir = query.dir === 'asc' ? sql`asc` : sql`desc`;
  const result = await sql<{
    number: string;
    type: string;
    issue_date: string;
    due_date: string;
    currency: string;
    total: number;
    outstanding: number;
    status: string;
    po_number: string | null;
    applies_to: string | null;
    absent_since: string | null;
    ref: string;
    name: string;
    next_level: number | null;
    next_date: string | null;
    next_status: string | null;
    v: string | number;
  }>`${sql.raw(PREPARED)}
    select i.number, i.type, i.issue_date, i.due_date, i.currency, i.total, i.outstanding, i.status,
           i.po_number, i.applies_to, i.absent_since, c.ref, c.name,
           s.next_level, s.next_date, s.next_status, ${key} as v
      from invoices i
      join customers c on c.org_id = i.org_id and c.id = i.customer_id
      left join dunning_state s on s.invoice_id = i.id and s.org_id = i.org_id
     where ${sql.join(conditions, sql` and `)}
     order by ${key} ${dir}, i.number asc
     limit ${query.limit}`.execute(db);
  const rows = result.rows.map((r) => ({
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
    nextStep:
      r.next_date && r.outstanding > 0
        ? { level: r.next_level, plannedFor: r.next_date, status: r.next_status ?? 'planned' }
        : null,
  }));
  return { rows, positions: result.rows.map((r) => ({ v: r.v, number: r.number })) };
}
