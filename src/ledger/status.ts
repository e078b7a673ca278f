import { type RawBuilder, sql } from 'kysely';

export const INVOICE_STATUSES = [
  'open',
  'partially_paid',
  'paid',
  'disputed',
  'cancelled',
  'written_off',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Statuses a person sets; amounts moving never override them. */
export const MANUAL_STATUSES: readonly InvoiceStatus[] = ['disputed', 'cancelled', 'written_off'];

/**
 * The status an invoice has after its outstanding amount changes, as SQL, so that bulk writes and
 * single allocations derive it the same way: a status a person set stays; otherwise the amounts decide.
 */
export function derivedStatusSql(
  outstanding: RawBuilder<unknown>,
  total: RawBuilder<unknown>,
  current: RawBuilder<unknown> = sql`null`,
): RawBuilder<InvoiceStatus> {
  return sql<InvoiceStatus>`case
    when ${current} in ('disputed', 'cancelled', 'written_off') then ${current}
    when ${outstanding} <= 0 then 'paid'
    when ${outstanding} < ${total} then 'partially_paid'
    else 'open' end`;
}
