// A reminder that did not reach the customer (suspended for an invalid contact, bounced, withdrawn
// because its figures changed) must not count as sent: its invoices go back to the step before it,
// so that the next daily run plans that step again, with a valid contact and the figures of the day.
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';

/** Recomputes, from the messages that still stand, each invoice's last step and count of reminders. */
export async function rewindDunningState(
  db: Db,
  orgId: string,
  messageIds: readonly string[],
): Promise<number> {
  if (messageIds.length === 0) return 0;
  const ids = [...messageIds];
  const result = await sql`
    with affected as (
      select distinct mi.invoice_id from message_invoices mi
       where mi.org_id = ${orgId}::uuid and mi.message_id = any(${ids}::uuid[])
    ), standing as (
      select mi.invoice_id,
             (array_agg(mi.level order by m.day desc, m.created_at desc))[1] as level,
             max(m.day) as day,
             count(*) filter (where mi.level > 0) as reminders
        from message_invoices mi join messages m on m.id = mi.message_id and m.org_id = mi.org_id
       where mi.org_id = ${orgId}::uuid and mi.invoice_id in (select invoice_id from affected)
         and m.status in ('awaiting_approval', 'queued', 'sending', 'sent') and not (m.id = any(${ids}::uuid[]))
       group by mi.invoice_id
    )
    update dunning_state d
       set last_level = s.level, last_sent_on = s.day, reminders_sent = coalesce(s.reminders, 0), updated_at = now()
      from affected a left join standing s on s.invoice_id = a.invoice_id
     where d.org_id = ${orgId}::uuid and d.invoice_id = a.invoice_id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
