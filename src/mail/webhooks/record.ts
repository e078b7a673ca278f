// Delivery facts reported by an email service (delivered, complained, opened, clicked): recorded on
// the message they concern, found by our Message-ID header or by the service's id for it.
import { sql } from 'kysely';
import type { Organisation } from '../../ledger/organisations.ts';
import type { Store } from '../../store/store.ts';
import { type DeliveryEventKind, recordDeliveryEvents } from '../events.ts';

export interface ProviderEvent {
  kind: Extract<DeliveryEventKind, 'delivered' | 'complained' | 'opened' | 'clicked'>;
  /** Our Message-ID header `<…>`, when the service reports it. */
  messageIdHeader?: string | null;
  /** The service's id for the message (what its SMTP server answered "queued as"). */
  providerId?: string | null;
  address?: string | null;
  detail: Record<string, unknown>;
}

const SUMMARY: Record<ProviderEvent['kind'], (subject: string, address: string) => string> = {
  delivered: (s, a) => `"${s}" was delivered to ${a}`,
  complained: (s, a) => `${a} reported "${s}" as unwanted (spam complaint)`,
  opened: (s) => `"${s}" was opened`,
  clicked: (s) => `A link in "${s}" was followed`,
};

/** Records the event; false when no message of this organisation matches. */
export async function recordProviderEvent(
  store: Store,
  org: Organisation,
  event: ProviderEvent,
): Promise<boolean> {
  if (!event.messageIdHeader && !event.providerId) return false;
  const found = await sql<{
    id: string;
    customer_id: string;
    subject: string;
    to_address: string | null;
    day: string;
  }>`
    select id, customer_id, subject, to_address, day from messages
     where org_id = ${org.id}::uuid
       and (message_id_header = ${event.messageIdHeader ?? null}
            or id in (select message_id from message_events
                       where org_id = ${org.id}::uuid and kind = 'sent' and detail ->> 'providerId' = ${event.providerId ?? null}))
     limit 1`.execute(store.db);
  const m = found.rows[0];
  if (!m) return false;
  // Opens and clicks are recorded only for an organisation that turned tracking on.
  if ((event.kind === 'opened' || event.kind === 'clicked') && !org.tracking) return true;
  await recordDeliveryEvents(store.db, org.id, [
    {
      messageId: m.id,
      kind: event.kind,
      detail: event.detail,
      ...(event.kind === 'delivered' || event.kind === 'complained'
        ? {
            history: {
              customerId: m.customer_id,
              day: null,
              kind: `message.${event.kind}`,
              summary: SUMMARY[event.kind](m.subject, event.address ?? m.to_address ?? ''),
            },
          }
        : {}),
    },
  ]);
  return true;
}
