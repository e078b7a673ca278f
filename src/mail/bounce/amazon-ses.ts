// Amazon SES notifications delivered by e-mail through SNS: the body is one JSON document
// (`notificationType` Bounce, Complaint or Delivery, or `eventType` for configuration-set events)
// listing the recipients with their DSN fields. Some relays wrap long lines by inserting "!\n " in the
// middle of the JSON, which is undone before parsing.

export interface SesRecipient {
  address: string;
  status: string;
  /** SMTP reply code of a successful delivery (`250`); failures carry theirs in the diagnostic. */
  replyCode: string;
  action: string;
  diagnostic: string;
  /** Set when the notification is not a failure: a complaint (feedback) or a successful delivery. */
  kind: 'bounce' | 'feedback' | 'delivered';
}

interface SesNotification {
  Message?: unknown;
  notificationType?: unknown;
  eventType?: unknown;
  bounce?: { bounceType?: unknown; bouncedRecipients?: unknown };
  complaint?: { complainedRecipients?: unknown };
  delivery?: { recipients?: unknown; smtpResponse?: unknown };
}

export function looksLikeSesNotification(text: string): boolean {
  return /\\?"(?:notificationType|eventType)\\?"\s*:\s*\\?"(?:Bounce|Complaint|Delivery)\\?"/.test(text);
}

export function parseSesNotification(text: string): SesRecipient[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return [];
  const json = text.slice(start, end + 1);
  let doc = tryParse(json) ?? tryParse(json.replace(/!\r?\n /g, '').replace(/\r?\n/g, ''));
  // Delivered raw through SNS, the notification is a JSON string in the envelope's "Message".
  const inner = doc && typeof doc.Message === 'string' ? tryParse(doc.Message) : null;
  if (inner) doc = inner;
  if (!doc) return [];
  const type = String(doc.notificationType ?? doc.eventType ?? '');
  const out: SesRecipient[] = [];
  if (type === 'Bounce') {
    for (const r of asArray(doc.bounce?.bouncedRecipients)) {
      if (!isRecord(r)) continue;
      out.push({
        address: String(r.emailAddress ?? ''),
        status: String(r.status ?? ''),
        replyCode: '',
        action: String(r.action ?? 'failed'),
        diagnostic: String(r.diagnosticCode ?? '').replace(/^smtp;\s*/i, ''),
        kind: 'bounce',
      });
    }
  } else if (type === 'Complaint') {
    for (const r of asArray(doc.complaint?.complainedRecipients)) {
      if (isRecord(r))
        out.push({
          address: String(r.emailAddress ?? ''),
          status: '',
          replyCode: '',
          action: '',
          diagnostic: '',
          kind: 'feedback',
        });
    }
  } else if (type === 'Delivery') {
    const response = String(doc.delivery?.smtpResponse ?? '');
    const [, replyCode = '', status = ''] = /^(2\d\d)[ -](2\.\d{1,3}\.\d{1,3})?/.exec(response) ?? [];
    for (const r of asArray(doc.delivery?.recipients)) {
      out.push({
        address: String(r),
        status,
        replyCode,
        action: 'delivered',
        diagnostic: response,
        kind: 'delivered',
      });
    }
  }
  return out.filter((r) => r.address !== '');
}

function tryParse(json: string): SesNotification | null {
  try {
    const value: unknown = JSON.parse(json);
    return isRecord(value) ? (value as SesNotification) : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
