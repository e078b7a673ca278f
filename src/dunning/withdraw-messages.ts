// Taking back messages that have not left yet: when a person stops reminders, and when a payment
// settles what a message asks for. Sent messages are history and stay as they are.
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';

/** Messages not yet sent that are about these invoices are withdrawn. */
export async function withdrawMessages(
  db: Db,
  orgId: string,
  invoices: readonly { id: string }[],
  reason: string,
): Promise<number> {
  if (invoices.length === 0) return 0;
  const result = await sql`
    update messages m set status = 'cancelled', last_error = ${reason}
     where m.org_id = ${orgId}::uuid and m.status in ('awaiting_approval', 'queued')
       and exists (select 1 from message_invoices mi where mi.org_id = m.org_id and mi.message_id = m.id
                    and mi.invoice_id = any(${invoices.map((t) => t.id)}::uuid[]))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Messages not yet sent about these invoices that no longer ask for anything are withdrawn: every
 * invoice in them is paid, disputed, cancelled or written off (the test the sender makes before a
 * message leaves). A message that still asks for another invoice goes on.
 */
export async function withdrawSettledMessages(
  db: Db,
  orgId: string,
  invoiceIds: readonly string[],
  reason: string,
): Promise<{ id: string; customerId: string }[]> {
  if (invoiceIds.length === 0) return [];
  const result = await sql<{ id: string; customer_id: string }>`
    update messages m set status = 'cancelled', last_error = ${reason}
     where m.org_id = ${orgId}::uuid and m.status in ('awaiting_approval', 'queued')
       and exists (select 1 from message_invoices mi where mi.org_id = m.org_id and mi.message_id = m.id
                    and mi.invoice_id = any(${[...invoiceIds]}::uuid[]))
       and not exists (select 1 from message_invoices mi join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
                        where mi.org_id = m.org_id and mi.message_id = m.id and i.outstanding > 0
                          and i.status not in ('paid', 'disputed', 'cancelled', 'written_off'))
    returning m.id, m.customer_id`.execute(db);
  return result.rows.map((r) => ({ id: r.id, customerId: r.customer_id }));
}
