// Open and click tracking, off unless the organisation turns it on (organisations.tracking): a 1×1
// image and links that pass through Ardent before reaching their target. Each URL carries the
// message's id signed with the organisation's secret (HMAC-SHA256), so that nobody can record an
// open for another message or use the redirect for a link we never sent. The HTTP endpoints that
// serve these URLs come with the server; they call `recordTrackingHit`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import { recordDeliveryEvents } from './events.ts';

export interface TrackingSettings {
  /** Ardent's public address, e.g. https://ardent.example.com (ARDENT_PUBLIC_URL). */
  baseUrl: string;
  secret: string;
  messageId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signature(secret: string, messageId: string, kind: 'o' | 'c', url = ''): string {
  return createHmac('sha256', secret)
    .update(`${kind}\n${messageId}\n${url}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The token in a tracking URL: the message id and its signature. */
export function trackingToken(secret: string, messageId: string, kind: 'o' | 'c', url = ''): string {
  return `${messageId}.${signature(secret, messageId, kind, url)}`;
}

/** The message id a token names, when its signature holds; else null. */
export function verifyTrackingToken(secret: string, token: string, kind: 'o' | 'c', url = ''): string | null {
  const [messageId = '', sig = ''] = token.split('.', 2);
  if (!UUID.test(messageId)) return null;
  const expected = Buffer.from(signature(secret, messageId, kind, url));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? messageId : null;
}

export function openPixelUrl(s: TrackingSettings): string {
  return `${s.baseUrl.replace(/\/+$/, '')}/t/o/${trackingToken(s.secret, s.messageId, 'o')}.gif`;
}

export function clickUrl(s: TrackingSettings, target: string): string {
  return `${s.baseUrl.replace(/\/+$/, '')}/t/c/${trackingToken(s.secret, s.messageId, 'c', target)}?u=${encodeURIComponent(target)}`;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * The HTML with its web links passing through the click URL and the pixel before `</body>`. Bare
 * addresses in the text become links first, since our HTML is made from plain text.
 */
export function addTracking(html: string, s: TrackingSettings): string {
  const linked = html.replace(/(^|[\s(>])(https?:\/\/[^\s<>"')]+)/g, (_, lead: string, url: string) => {
    return `${lead}<a href="${url}">${url}</a>`;
  });
  const rewritten = linked.replace(/href="(https?:\/\/[^"]+)"/g, (_, href: string) => {
    return `href="${escapeAttr(clickUrl(s, unescapeHtml(href)))}"`;
  });
  const pixel = `<img src="${escapeAttr(openPixelUrl(s))}" width="1" height="1" alt="" style="display:block;border:0">`;
  return rewritten.includes('</body>')
    ? rewritten.replace('</body>', `${pixel}\n</body>`)
    : rewritten + pixel;
}

export interface TrackingHit {
  kind: 'opened' | 'clicked';
  token: string;
  /** For a click: the target from the URL's `u` parameter. */
  url?: string;
  userAgent?: string;
}

/**
 * Records an open or a click coming from a tracking URL. Returns where to send a click (null when
 * the token does not hold: answer 404, never redirect to an address we did not sign).
 */
export async function recordTrackingHit(
  store: Store,
  hit: TrackingHit,
): Promise<{ redirect: string | null }> {
  const messageId = hit.token.split('.', 1)[0] ?? '';
  if (!UUID.test(messageId)) return { redirect: null };
  const row = await sql<{
    org_id: string;
    customer_id: string;
    day: string;
    subject: string;
    tracking: boolean;
    tracking_secret: string;
    seen: number;
  }>`
    select m.org_id, m.customer_id, m.day, m.subject, o.tracking, o.tracking_secret,
           (select count(*) from message_events e where e.org_id = m.org_id and e.message_id = m.id and e.kind = ${hit.kind})::int as seen
      from messages m join organisations o on o.id = m.org_id
     where m.id = ${messageId}::uuid`.execute(store.db);
  const m = row.rows[0];
  const kind = hit.kind === 'opened' ? 'o' : 'c';
  if (!m || !verifyTrackingToken(m.tracking_secret, hit.token, kind, hit.url ?? ''))
    return { redirect: null };
  // An organisation that turned tracking off since the message left records nothing more.
  if (m.tracking)
    await recordDeliveryEvents(store.db, m.org_id, [
      {
        messageId,
        kind: hit.kind,
        detail: {
          ...(hit.url ? { url: hit.url } : {}),
          ...(hit.userAgent ? { userAgent: hit.userAgent } : {}),
        },
        // The first open and the first click of a message are worth a line in the history.
        ...(Number(m.seen) === 0
          ? {
              history: {
                customerId: m.customer_id,
                day: null,
                kind: `message.${hit.kind}`,
                summary:
                  hit.kind === 'opened'
                    ? `"${m.subject}" was opened`
                    : `A link in "${m.subject}" was followed: ${hit.url ?? ''}`,
              },
            }
          : {}),
      },
    ]);
  return { redirect: hit.kind === 'clicked' ? (hit.url ?? null) : null };
}
