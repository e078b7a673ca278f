// Amazon SES bounce, complaint and delivery notifications, delivered by Amazon SNS to an HTTPS
// endpoint. Every SNS message is signed; we check the signature with the certificate SNS names
// (SigningCertURL, which must be an https URL on an sns.<region>.amazonaws.com host) before
// believing a word of it: RSA with SHA1 for SignatureVersion 1, SHA256 for 2, over the fields SNS
// lists for each message type, in that order, each as "Name\nvalue\n". (AWS documentation,
// "Verifying the signatures of Amazon SNS messages".)
//
// The certificate comes through `certificate(url)`: by default fetched over HTTPS and kept in
// memory; tests and locked-down hosts pass their own (a cached copy, a self-made certificate).
import { createVerify, X509Certificate } from 'node:crypto';
import type { PlainDate } from '../../calendar/plain-date.ts';
import type { Organisation } from '../../ledger/organisations.ts';
import type { Store } from '../../store/store.ts';
import { parseSesNotification } from '../bounce/amazon-ses.ts';
import { type ApplyBounceOptions, applyBounce } from '../bounce/apply.ts';
import { classify } from '../bounce/classify.ts';
import type { BouncedRecipient } from '../bounce/parse-bounce.ts';
import { enhancedStatus } from '../errors.ts';
import { recordProviderEvent } from './record.ts';
import { answer, type WebhookRequest, type WebhookResponse } from './types.ts';

export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
  SubscribeURL?: string;
  Token?: string;
}

export interface SesWebhookOptions {
  day: PlainDate;
  /** The PEM certificate at an SNS SigningCertURL (default: fetched over HTTPS, kept in memory). */
  certificate?: (url: string) => Promise<string>;
  /** The SNS topics accepted (TopicArn); absent, any topic whose messages verify. */
  topics?: readonly string[];
  /** Confirms a subscription by visiting its SubscribeURL (default: an HTTPS GET). */
  confirmSubscription?: (url: string) => Promise<void>;
  /** Passed to applyBounce (soft-bounce limits, retry delay). */
  bounce?: Partial<ApplyBounceOptions>;
}

const SIGNED_FIELDS: Record<SnsMessage['Type'], (keyof SnsMessage)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

const AMAZON_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

function snsUrl(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && AMAZON_HOST.test(u.hostname) ? u : null;
  } catch {
    return null;
  }
}

/** Only certificates SNS itself serves may sign: an https URL on an sns.<region>.amazonaws.com host. */
export function isSnsCertificateUrl(url: string): boolean {
  return snsUrl(url)?.pathname.endsWith('.pem') ?? false;
}

/** The text SNS signed for this message. */
export function snsStringToSign(message: SnsMessage): string {
  let text = '';
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    // Subject is signed only when the message has one.
    if (value === undefined) continue;
    text += `${field}\n${value}\n`;
  }
  return text;
}

export async function verifySnsMessage(
  message: SnsMessage,
  certificate: (url: string) => Promise<string>,
): Promise<boolean> {
  if (!SIGNED_FIELDS[message.Type] || !isSnsCertificateUrl(message.SigningCertURL)) return false;
  if (message.SignatureVersion !== '1' && message.SignatureVersion !== '2') return false;
  const pem = await certificate(message.SigningCertURL);
  const cert = new X509Certificate(pem);
  const now = Date.now();
  if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) return false;
  const verifier = createVerify(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
  verifier.update(snsStringToSign(message), 'utf8');
  return verifier.verify(cert.publicKey, message.Signature, 'base64');
}

const certificates = new Map<string, Promise<string>>();

/** The default: the certificate fetched from SNS over HTTPS once, then kept. */
export function fetchSnsCertificate(url: string): Promise<string> {
  let pem = certificates.get(url);
  if (!pem) {
    pem = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`SNS certificate ${url}: HTTP ${r.status}`);
      return r.text();
    });
    pem.catch(() => certificates.delete(url));
    certificates.set(url, pem);
  }
  return pem;
}

function readSnsMessage(body: string): SnsMessage | null {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return null;
    const m = value as Record<string, unknown>;
    const strings = [
      'Type',
      'MessageId',
      'TopicArn',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ];
    if (!strings.every((k) => typeof m[k] === 'string')) return null;
    return m as unknown as SnsMessage;
  } catch {
    return null;
  }
}

interface SesNotificationHeaders {
  mail?: { messageId?: unknown; commonHeaders?: { messageId?: unknown } };
}

/** Takes one SNS delivery of an SES notification: verifies it, then applies what it reports. */
export async function handleSesWebhook(
  store: Store,
  org: Organisation,
  request: WebhookRequest,
  options: SesWebhookOptions,
): Promise<WebhookResponse> {
  const message = readSnsMessage(request.body.toString());
  if (!message) return answer(400, 'not an SNS message');
  if (options.topics && !options.topics.includes(message.TopicArn)) return answer(403, 'topic not accepted');
  const verified = await verifySnsMessage(message, options.certificate ?? fetchSnsCertificate).catch(
    () => false,
  );
  if (!verified) return answer(403, 'signature does not verify');

  if (message.Type === 'SubscriptionConfirmation') {
    const confirm =
      options.confirmSubscription ??
      (async (url: string) => {
        if (!snsUrl(url)) throw new Error('not an SNS URL');
        await fetch(url);
      });
    await confirm(message.SubscribeURL ?? '');
    return answer(200, 'subscription confirmed');
  }
  if (message.Type === 'UnsubscribeConfirmation') return answer(200, 'ok');

  const recipients = parseSesNotification(message.Message);
  let mail: SesNotificationHeaders['mail'];
  try {
    mail = (JSON.parse(message.Message) as SesNotificationHeaders).mail;
  } catch {
    return answer(400, 'the notification is not JSON');
  }
  const messageIdHeader =
    typeof mail?.commonHeaders?.messageId === 'string' ? mail.commonHeaders.messageId : null;
  const sesId = typeof mail?.messageId === 'string' ? mail.messageId : null;
  const bounced: BouncedRecipient[] = [];
  for (const r of recipients) {
    if (r.kind !== 'bounce') {
      await recordProviderEvent(store, org, {
        kind: r.kind === 'delivered' ? 'delivered' : 'complained',
        messageIdHeader,
        providerId: sesId,
        address: r.address,
        detail: { source: 'ses', address: r.address, response: r.diagnostic },
      });
      continue;
    }
    const status = r.status || enhancedStatus(r.diagnostic) || '';
    const c = classify({ status, diagnostic: r.diagnostic, action: r.action, diagnosticType: 'SMTP' });
    bounced.push({ address: r.address, status, hard: c.hard, reason: c.reason, diagnostic: r.diagnostic });
  }
  if (bounced.length > 0)
    await applyBounce(
      store,
      org,
      { recipients: bounced },
      {
        ...options.bounce,
        day: options.day,
        source: 'ses',
        messageId: messageIdHeader,
        providerId: sesId,
      },
    );
  return answer(200, 'ok');
}
