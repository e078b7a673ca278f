// Outgoing webhooks: what happened (the history's events) becomes deliveries to integrators'
// endpoints, each POSTed as JSON and signed with the webhook's secret, retried with exponential
// backoff until it is accepted (2xx) or the attempts run out.
//
// Signature (like Stripe's): header `Ardent-Signature: t=<unix seconds>,v1=<hex>` where
// v1 = HMAC-SHA256(secret, "<t>.<raw body>"). A receiver recomputes it, compares in constant time
// and refuses a t too far from its clock (replays).
import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Organisation } from '../ledger/organisations.ts';
import { type RetryPolicy, retryDelaySeconds } from '../mail/errors.ts';
import type { Db, Store } from '../store/store.ts';

export const WEBHOOK_EVENTS = ['invoice.paid', 'reminder.sent', 'reply.received', 'task.created'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

// History kinds and the webhook event each becomes. A payment applied becomes `invoice.paid` only
// when the invoice is settled by it.
const FROM_HISTORY: Record<string, WebhookEvent> = {
  'invoice.paid': 'invoice.paid',
  'payment.applied': 'invoice.paid',
  'message.sent': 'reminder.sent',
  'inbound.received': 'reply.received',
  'task.opened': 'task.created',
};

export const MAX_ATTEMPTS = 8;

const SCAN = 2000;
// Events are read by id. A transaction that commits late can make an event with a smaller id appear
// after larger ones were read; the cursor therefore stays this far behind, the recent events are read
// again on the next pass, and (webhook, event) being unique, nothing is delivered twice.
const SETTLE_MINUTES = 10;

export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

// 30 s, 1 min, 2 min … 32 min between the eight attempts (about an hour in all), with the mail
// side's jitter, so that an endpoint down for a deployment gets everything once it is back.
const WEBHOOK_RETRY: RetryPolicy = { baseSeconds: 30, maxSeconds: 6 * 3600, maxAttempts: MAX_ATTEMPTS };

/** Seconds before the next attempt after `failedAttempts` failed ones. */
export function backoffSeconds(failedAttempts: number, key = ''): number {
  return Math.round(retryDelaySeconds(failedAttempts, WEBHOOK_RETRY, key));
}

interface HistoryRow {
  id: number;
  at: Date;
  day: string | null;
  kind: string;
  summary: string;
  data: unknown;
  invoice_id: string | null;
  number: string | null;
  outstanding: number | null;
  ref: string | null;
  name: string | null;
}

/** Turns the organisation's new history events into deliveries for its active webhooks; returns how many are new. */
export async function enqueueWebhookEvents(
  store: Store,
  org: Pick<Organisation, 'id' | 'slug'>,
): Promise<number> {
  return store.db.transaction().execute(async (db) => {
    // One process at a time per organisation; another one busy with it means this pass has nothing to do.
    const locked = await sql<{ webhook_cursor: number }>`
      select webhook_cursor from organisations where id = ${org.id}::uuid for update skip locked`.execute(db);
    const cursor = locked.rows[0]?.webhook_cursor;
    if (cursor === undefined) return 0;
    const hooks = await db
      .selectFrom('webhooks')
      .select(['id', 'events'])
      .where('org_id', '=', org.id)
      .where('active', '=', true)
      .execute();
    if (hooks.length === 0) {
      // Nobody listens: nothing from before a webhook is created is ever sent to it.
      await sql`update organisations set webhook_cursor = coalesce((select max(id) from events where org_id = ${org.id}::uuid), 0)
                 where id = ${org.id}::uuid`.execute(db);
      return 0;
    }
    const rows = await sql<HistoryRow>`
      select e.id, e.at, e.day, e.kind, e.summary, e.data, e.invoice_id, i.number, i.outstanding, c.ref, c.name
        from events e
        left join invoices i on i.id = e.invoice_id and i.org_id = e.org_id
        left join customers c on c.id = e.customer_id and c.org_id = e.org_id
       where e.org_id = ${org.id}::uuid and e.id > ${cursor} and e.kind = any(${Object.keys(FROM_HISTORY)}::text[])
       order by e.id limit ${SCAN}`.execute(db);
    const deliveries: { webhookId: string; eventId: number; event: WebhookEvent; payload: string }[] = [];
    for (const r of rows.rows) {
      const event = FROM_HISTORY[r.kind]!;
      if (r.kind === 'payment.applied' && (r.outstanding === null || Number(r.outstanding) > 0)) continue;
      const payload = JSON.stringify({
        id: `evt_${r.id}`,
        type: event,
        createdAt: r.at.toISOString(),
        organisation: org.slug,
        data: {
          day: r.day,
          customer: r.ref ? { ref: r.ref, name: r.name } : null,
          invoice: r.number,
          summary: r.summary,
          ...(typeof r.data === 'object' && r.data !== null ? { details: r.data } : {}),
        },
      });
      for (const h of hooks)
        if (h.events.includes(event))
          deliveries.push({ webhookId: h.id, eventId: Number(r.id), event, payload });
    }
    let inserted = 0;
    if (deliveries.length > 0)
      inserted = (
        await sql`
        insert into webhook_deliveries (org_id, webhook_id, event_id, event, payload)
        select ${org.id}::uuid, t.webhook_id, t.event_id, t.event, t.payload::jsonb
          from unnest(${deliveries.map((d) => d.webhookId)}::uuid[], ${deliveries.map((d) => d.eventId)}::bigint[],
                      ${deliveries.map((d) => d.event)}::text[], ${deliveries.map((d) => d.payload)}::text[])
            as t(webhook_id, event_id, event, payload)
        on conflict (webhook_id, event_id) do nothing
        returning id`.execute(db)
      ).rows.length;
    const settled =
      rows.rows.length >= SCAN
        ? Number(rows.rows.at(-1)!.id)
        : (
            await sql<{ id: number | null }>`
            select max(id) as id from events
             where org_id = ${org.id}::uuid and id > ${cursor} and at < now() - make_interval(mins => ${SETTLE_MINUTES})`.execute(
              db,
            )
          ).rows[0]?.id;
    if (settled)
      await sql`update organisations set webhook_cursor = ${settled} where id = ${org.id}::uuid`.execute(db);
    return inserted;
  });
}

interface DueDelivery {
  id: string;
  org_id: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

export interface WebhookPass {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Sends the deliveries that are due, across organisations (a worker serves every organisation).
 * Each is claimed by pushing its next attempt into the future first, so that two workers never send
 * the same one at once, and a worker that dies leaves it to be tried again after the claim.
 */
export async function sendDueWebhooks(
  db: Db,
  options: {
    batch?: number;
    timeoutMs?: number;
    fetch?: typeof fetch;
    onAttempt?: (ok: boolean) => void;
  } = {},
): Promise<WebhookPass> {
  const claimed = await sql<DueDelivery>`
    with due as (
      select id from webhook_deliveries
       where status = 'pending' and next_attempt_at <= now()
       order by next_attempt_at limit ${options.batch ?? 20}
       for update skip locked
    )
    update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + interval '5 minutes'
      from due, webhooks w
     where d.id = due.id and w.id = d.webhook_id and w.org_id = d.org_id
    returning d.id, d.org_id, d.event, d.payload, d.attempts, w.url, w.secret`.execute(db);
  const pass: WebhookPass = { delivered: 0, retried: 0, failed: 0 };
  const send = options.fetch ?? fetch;
  await Promise.all(
    claimed.rows.map(async (d) => {
      const body = JSON.stringify(d.payload);
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await send(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Ardent-Webhooks/1',
            'ardent-event': d.event,
            'ardent-delivery': d.id,
            'ardent-signature': signPayload(d.secret, body, Math.floor(Date.now() / 1000)),
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          redirect: 'manual',
        });
        status = response.status;
        await response.body?.cancel().catch(() => {});
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      options.onAttempt?.(error === null);
      if (error === null) {
        pass.delivered++;
        await sql`update webhook_deliveries set status = 'delivered', delivered_at = now(), last_status = ${status}, last_error = null
                   where org_id = ${d.org_id}::uuid and id = ${d.id}::uuid`.execute(db);
        return;
      }
      const final = d.attempts >= MAX_ATTEMPTS;
      if (final) pass.failed++;
      else pass.retried++;
      await sql`update webhook_deliveries set last_status = ${status}, last_error = ${error.slice(0, 500)},
                  status = ${final ? 'failed' : 'pending'},
                  next_attempt_at = now() + make_interval(secs => ${backoffSeconds(d.attempts, d.id)})
                 where org_id = ${d.org_id}::uuid and id = ${d.id}::uuid`.execute(db);
    }),
  );
  return pass;
}
