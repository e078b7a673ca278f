// The one place that decides whether a failed delivery is tried again or is final, for every
// transport and every worker. SMTP tells us most of it: a 4yz reply is transient, a 5yz reply
// permanent (RFC 5321 §4.2.1); what it does not tell is whose fault a refusal is, which the stage
// decides (RFC 5321 §3.3): a refused recipient is the recipient's, a refused sender or login is ours.

export type FailureKind =
  /** no conversation: refused or lost connection, time-out, DNS */
  | 'network'
  /** the server answered 4yz: try again later */
  | 'temporary'
  /** the server refused the recipient (5yz to RCPT): the address goes through the bounce path */
  | 'recipient'
  /** the server refused this message (5yz to DATA or to its end, too large) */
  | 'message'
  /** our side is wrong: login, TLS, sender address; every message would fail the same way */
  | 'configuration';

export interface SendFailure {
  kind: FailureKind;
  retryable: boolean;
  /** SMTP reply code (RFC 5321 §4.2.3) when the server answered. */
  replyCode?: number;
  /** Enhanced status code (RFC 3463) when the reply carries one, e.g. `5.1.1`. */
  status?: string;
  /** The command the server refused: CONN, AUTH, MAIL, RCPT, DATA (the end of data included). */
  stage?: 'CONN' | 'AUTH' | 'MAIL' | 'RCPT' | 'DATA';
  /** The server's words, or the system error. */
  message: string;
}

/** A delivery that did not happen, already classified. */
export class SendError extends Error {
  constructor(
    readonly failure: SendFailure,
    /** The outbox had recorded the message as sent when the failure came (a refusal of its end). */
    readonly committed = false,
  ) {
    super(failure.message);
    this.name = 'SendError';
  }
}

/** The sender lost its claim on the message before it left (another sender holds it now). */
export class ClaimLostError extends Error {
  constructor(messageId: string) {
    super(`message ${messageId} is no longer ours to send`);
    this.name = 'ClaimLostError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPROTOCOL',
]);

interface ErrorShape {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
}

function stageOf(command: string): SendFailure['stage'] | undefined {
  const c = command.toUpperCase();
  if (c.startsWith('MAIL')) return 'MAIL';
  if (c.startsWith('RCPT')) return 'RCPT';
  if (c.startsWith('DATA') || c === 'MESSAGE') return 'DATA';
  if (c.startsWith('AUTH')) return 'AUTH';
  if (c === 'CONN' || c.startsWith('EHLO') || c.startsWith('HELO') || c === 'GREETING') return 'CONN';
  return undefined;
}

/** Reads an enhanced status code out of a reply such as "550 5.1.1 <x@y>: user unknown". */
export function enhancedStatus(reply: string): string | undefined {
  return /(?:^|\s)([245]\.\d{1,3}\.\d{1,3})(?=\s|$)/.exec(reply)?.[1];
}

/** Classifies anything a transport throws: nodemailer errors, system errors, our own. */
export function classifySendError(error: unknown): SendFailure {
  if (error instanceof SendError) return error.failure;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const response = typeof e.response === 'string' ? e.response.trim() : '';
  const message = response || (typeof e.message === 'string' ? e.message : String(error));
  const replyCode =
    typeof e.responseCode === 'number'
      ? e.responseCode
      : /^[245]\d\d\b/.test(response)
        ? Number(response.slice(0, 3))
        : undefined;
  const command = typeof e.command === 'string' ? e.command : '';
  const stage = stageOf(command) ?? (code === 'EAUTH' ? 'AUTH' : undefined);
  const status = enhancedStatus(response);
  const base = {
    message,
    ...(replyCode !== undefined ? { replyCode } : {}),
    ...(status ? { status } : {}),
    ...(stage ? { stage } : {}),
  };

  // Login and TLS problems are ours whatever the code: every message would meet them.
  if (code === 'EAUTH' || code === 'ETLS' || code === 'ENOAUTH' || stage === 'AUTH')
    return { ...base, kind: 'configuration', retryable: true };
  if (replyCode !== undefined && replyCode >= 400 && replyCode < 500)
    return { ...base, kind: 'temporary', retryable: true };
  if (replyCode !== undefined && replyCode >= 500) {
    // A refused sender (MAIL FROM) is our address or our relay's policy, not the customer's.
    if (stage === 'MAIL' || stage === 'CONN') return { ...base, kind: 'configuration', retryable: true };
    if (stage === 'RCPT') return { ...base, kind: 'recipient', retryable: false };
    return { ...base, kind: 'message', retryable: false };
  }
  if (code === 'EMESSAGE' || code === 'EENVELOPE') return { ...base, kind: 'message', retryable: false };
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket|timeout/i.test(message))
    return { ...base, kind: 'network', retryable: true };
  // Anything unknown is tried again: a bounded number of retries costs less than a lost reminder.
  return { ...base, kind: 'network', retryable: true };
}

export interface RetryPolicy {
  /** Delay before the second attempt; each later one doubles it. */
  baseSeconds: number;
  /** Longest delay between two attempts. */
  maxSeconds: number;
  /** Attempts after which a message still failing temporarily is given up (failed). */
  maxAttempts: number;
}

// 1, 2, 4 … 32 minutes, then hourly: 48 attempts last about two days, within the four to five days
// RFC 5321 §4.5.4.1 gives a relay, and the relay retries on its own once it has the message.
export const DEFAULT_RETRY: RetryPolicy = { baseSeconds: 60, maxSeconds: 3600, maxAttempts: 48 };

/**
 * Seconds to wait after failed attempt number `attempt` (1 for the first). A deterministic jitter
 * of ±20 % drawn from `key` spreads the retries of many messages refused at the same moment.
 */
export function retryDelaySeconds(attempt: number, policy: RetryPolicy, key = ''): number {
  const raw = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.max(0, attempt - 1));
  let hash = 2166136261;
  for (const ch of `${key}:${attempt}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
  const jitter = 0.8 + ((hash >>> 0) % 1000) / 2500;
  return raw * jitter;
}
