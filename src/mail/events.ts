// What happened to a message after the agent decided it, in two places: `message_events`, one row
// per fact about one message (sent, delivered, deferred, bounced, opened…), and the history people
// read (`events`, shown by `ardent history`), for the facts worth a line there.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Db } from '../store/store.ts';

export const DELIVERY_EVENT_KINDS = [
  'sent',
  'delivered',
  'deferred',
  'failed',
  'bounced',
  'complained',
  'opened',
  'clicked',
  'cancelled',
  'suspended',
  'unconfirmed',
] as const;
export type DeliveryEventKind = (typeof DELIVERY_EVENT_KINDS)[number];

export interface DeliveryEvent {
  messageId: string;
  kind: DeliveryEventKind;
  attempt?: number | null;
  detail?: Record<string, unknown>;
  /** A line for the history; absent, the fact is recorded on the message only. */
  history?: {
    customerId: string;
    day: PlainDate | null;
    /** `message.sent`, `contact.invalid`… */
    kind: string;
    summary: string;
    actor?: string;
  };
}

export async function recordDeliveryEvents(
  db: Db,
  orgId: string,
  events: readonly DeliveryEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await sql`
    insert into message_events (org_id, message_id, kind, attempt, detail)
    select ${orgId}::uuid, t.message_id, t.kind, t.attempt, t.detail::jsonb
      from unnest(${events.map((e) => e.messageId)}::uuid[], ${events.map((e) => e.kind)}::text[],
                  ${events.map((e) => e.attempt ?? null)}::integer[],
                  ${events.map((e) => (e.detail ? JSON.stringify(e.detail) : null))}::text[]) as t(message_id, kind, attempt, detail)`.execute(
    db,
  );
  const lines = events.filter((e) => e.history);
  if (lines.length === 0) return;
  await sql`
    insert into events (org_id, customer_id, day, kind, actor, summary, data)
    select ${orgId}::uuid, t.customer_id, t.day, t.kind, t.actor, t.summary, t.data::jsonb
      from unnest(${lines.map((e) => e.history!.customerId)}::uuid[], ${lines.map((e) => e.history!.day)}::date[],
                  ${lines.map((e) => e.history!.kind)}::text[], ${lines.map((e) => e.history!.actor ?? 'agent')}::text[],
                  ${lines.map((e) => e.history!.summary)}::text[],
                  ${lines.map((e) => JSON.stringify({ messageId: e.messageId, ...e.detail }))}::text[])
        as t(customer_id, day, kind, actor, summary, data)`.execute(db);
}

/**
 * The messages whose 'sent' event carries this id of the relay's (the id a delivery report names
 * them by), as a subquery; message_events_provider serves it.
 */
export function sentWithProviderId(db: Db, orgId: string, providerId: string) {
  return db
    .selectFrom('message_events')
    .select('message_id')
    .where('org_id', '=', orgId)
    .where('kind', '=', 'sent')
    .where(sql`detail ->> 'providerId'`, '=', providerId);
}
