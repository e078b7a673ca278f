// Postmark's bounce, delivery, spam-complaint, open and click webhooks. Postmark does not sign its
// webhooks: it sends the credentials of the webhook URL (https://user:pass@host/…) as HTTP Basic
// authentication, and any custom header configured with the webhook. We accept a request carrying
// the configured Basic credentials or the configured token header, compared in constant time.
import { timingSafeEqual } from 'node:crypto';
import type { PlainDate } from '../../calendar/plain-date.ts';
import type { Organisation } from '../../ledger/organisations.ts';
import type { Store } from '../../store/store.ts';
import { type ApplyBounceOptions, applyBounce } from '../bounce/apply.ts';
import { classify } from '../bounce/classify.ts';
import { enhancedStatus } from '../errors.ts';
import { recordProviderEvent } from './record.ts';
import { answer, header, type WebhookRequest, type WebhookResponse } from './types.ts';

export interface PostmarkWebhookOptions {
  day: PlainDate;
  /** The Basic credentials put in the webhook URL in Postmark. */
  basic?: { username: string; password: string };
  /** Or a secret sent in a custom header (default header: X-Ardent-Webhook-Token). */
  token?: string;
  tokenHeader?: string;
  bounce?: Partial<ApplyBounceOptions>;
}

// Postmark's bounce types (https://postmarkapp.com/developer/api/bounce-api#bounce-types) that say
// the address itself is bad; the others (SoftBounce, Transient, Blocked, SpamNotification…) do not.
const HARD_TYPES = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
// Types that are not delivery failures at all.
const NOT_BOUNCES = new Set([
  'AutoResponder',
  'Subscribe',
  'OpenRelayTest',
  'ChallengeVerification',
  'AddressChange',
]);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isAuthorised(request: WebhookRequest, options: PostmarkWebhookOptions): boolean {
  if (options.basic) {
    const given = header(request, 'authorization') ?? '';
    const expected = `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`;
    if (same(given, expected)) return true;
  }
  if (options.token) {
    const given = header(request, options.tokenHeader ?? 'x-ardent-webhook-token') ?? '';
    if (same(given, options.token)) return true;
  }
  return false;
}

interface PostmarkRecord {
  RecordType?: unknown;
  Type?: unknown;
  MessageID?: unknown;
  Email?: unknown;
  Recipient?: unknown;
  Details?: unknown;
  Description?: unknown;
  OriginalLink?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export async function handlePostmarkWebhook(
  store: Store,
  org: Organisation,
  request: WebhookRequest,
  options: PostmarkWebhookOptions,
): Promise<WebhookResponse> {
  if (!options.basic && !options.token) return answer(500, 'no webhook secret configured');
  if (!isAuthorised(request, options)) return answer(401, 'unauthorised');
  let record: PostmarkRecord;
  try {
    const value: unknown = JSON.parse(request.body.toString());
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return answer(400, 'expected a JSON object');
    record = value as PostmarkRecord;
  } catch {
    return answer(400, 'the body is not JSON');
  }
  const providerId = text(record.MessageID) || null;
  const type = text(record.RecordType);
  switch (type) {
    case 'Bounce': {
      const kind = text(record.Type);
      if (NOT_BOUNCES.has(kind)) return answer(200, 'ignored');
      const address = text(record.Email);
      if (!address) return answer(400, 'a bounce without Email');
      const diagnostic = [text(record.Description), text(record.Details)].filter(Boolean).join(' — ');
      const hardType = HARD_TYPES.has(kind);
      const status = enhancedStatus(text(record.Details)) ?? (hardType ? '5.1.1' : '4.0.0');
      const c = classify({ status, diagnostic });
      await applyBounce(
        store,
        org,
        {
          recipients: [
            {
              address,
              status,
              hard: hardType || c.hard,
              reason: hardType && !c.hard ? 'userunknown' : c.reason,
              diagnostic: `${kind}: ${diagnostic}`,
            },
          ],
        },
        { ...options.bounce, day: options.day, source: 'postmark', providerId },
      );
      return answer(200, 'ok');
    }
    case 'Delivery':
    case 'SpamComplaint':
    case 'Open':
    case 'Click': {
      const kind =
        type === 'Delivery'
          ? 'delivered'
          : type === 'SpamComplaint'
            ? 'complained'
            : type === 'Open'
              ? 'opened'
              : 'clicked';
      await recordProviderEvent(store, org, {
        kind,
        providerId,
        address: text(record.Recipient) || text(record.Email) || null,
        detail: {
          source: 'postmark',
          ...(record.Details ? { response: text(record.Details) } : {}),
          ...(record.OriginalLink ? { url: text(record.OriginalLink) } : {}),
        },
      });
      return answer(200, 'ok');
    }
    default:
      return answer(200, 'ignored');
  }
}
