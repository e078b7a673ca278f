// Recognises a delivery-status notification and reads, for each failed recipient, the address,
// the enhanced status code, the SMTP reply and why delivery failed. Pure: no clock, no I/O.
//
// Sources, most reliable first:
//   1. an Amazon SES notification (JSON);
//   2. RFC 3464 `message/delivery-status` parts, or the same fields flattened into a text part;
//   3. the human-readable text, for the many systems that send no report or an empty diagnostic;
//   4. X-Failed-Recipients (Exim), then the To: of the returned message, when nothing names the
//      recipient in a recognisable way.
// Classification (reason, hard) happens in one place: classify.ts.

import { looksLikeSesNotification, parseSesNotification } from './amazon-ses.ts';
import { type BounceReason, classify } from './classify.ts';
import {
  containsDeliveryStatusFields,
  type DeliveryStatus,
  type DsnRecipientFields,
  parseDeliveryStatus,
} from './delivery-status.ts';
import { isListManagerNotice, readSignals } from './detect.ts';
import {
  decodeHeaderValue,
  headerValue,
  headerValues,
  htmlToText,
  type MimePart,
  parseMessage,
  partText,
  toBinaryString,
  walkParts,
} from './mime.ts';
import { findEnhancedStatus, findReplyCode, findStage, type SmtpStage } from './smtp-diagnostic.ts';
import {
  ADDRESS_PATTERN,
  addressesInHeaderLines,
  cutAtReturnedMessage,
  extractTextRecipients,
  findAddresses,
  type TextRecipient,
} from './text-bounce.ts';

export type { BounceReason } from './classify.ts';

export interface BouncedRecipient {
  /** The address the message was sent to (RFC 3464 Original-Recipient when given). */
  address: string;
  /** Enhanced status code (RFC 3463) such as `5.1.1`; '' when the bounce gives none. */
  status: string;
  /** SMTP reply code such as `550`, when the bounce quotes one. */
  replyCode?: string;
  /** The address itself is invalid: never write to it again. */
  hard: boolean;
  /** Why delivery failed, in sisimai's vocabulary (userunknown, mailboxfull, blocked…). */
  reason: BounceReason;
  /** The remote server's words, or the reporting system's explanation. */
  diagnostic?: string;
}

export interface BounceReport {
  recipients: BouncedRecipient[];
}

/** The `bounce` member of the message analysis (CONTRACT.md §3). */
export interface ContractBounce {
  recipients: Array<{ address: string; status: string; hard: boolean; reason: string }>;
}

// Bounces put the notification first and the returned message last; the first megabyte is plenty
// and bounds the work done on a hostile input.
const MAX_INPUT = 1 << 20;
const MAX_DIAGNOSTIC = 1000;

export function isBounce(raw: Buffer | string): boolean {
  return parseBounce(raw) !== null;
}

export function parseBounce(raw: Buffer | string): BounceReport | null {
  let binary = toBinaryString(raw);
  if (binary.length > MAX_INPUT) binary = binary.slice(0, MAX_INPUT);
  const root = parseMessage(binary);
  const parts = collectParts(root);
  const notice = cutAtReturnedMessage(parts.text);
  const signals = readSignals(root.headers, notice, parts.reports.length > 0);

  // An automatic reply (RFC 3834) is not a bounce, unless it carries a delivery report or is itself
  // a bounce of an automatic reply ("Undeliverable: Out of office").
  if (signals.autoReply && !signals.standard && !signals.subject) return null;

  const recipients = extractRecipients(root, parts, notice);
  if (recipients.length === 0) return null;

  // A report part, X-Failed-Recipients, an SES notification or a list manager's notice settle it.
  if (signals.standard || looksLikeSesNotification(parts.text) || isListManagerNotice(root.headers)) {
    return { recipients };
  }
  // Otherwise two of: a daemon's From, a bounce subject, a bounce generator's sentence; or one of
  // them and a recipient with an actual failure. A person's reply or forward never qualifies on
  // its text alone.
  const weak = [signals.sender, signals.subject, signals.body].filter(Boolean).length;
  const failure = recipients.some(
    (r) => r.status !== '' || r.replyCode !== undefined || isKnownReason(r.reason),
  );
  if (weak >= 2 || (weak === 1 && failure && !(signals.body && signals.replySubject))) return { recipients };
  return null;
}

function isKnownReason(reason: BounceReason): boolean {
  return reason !== 'onhold' && reason !== 'undefined';
}

export function toContractBounce(report: BounceReport): ContractBounce {
  return {
    recipients: report.recipients.map((r) => ({
      address: r.address,
      status: r.status,
      hard: r.hard,
      reason: r.reason,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------

interface CollectedParts {
  /** Decoded human-readable text of the notification (not of the returned message). */
  text: string;
  /** Decoded delivery-status parts. */
  reports: string[];
  /** Header block of the returned message, when attached. */
  returnedHeaders: string;
}

function collectParts(root: MimePart): CollectedParts {
  const plain: string[] = [];
  const html: string[] = [];
  const reports: string[] = [];
  let returnedHeaders = '';
  for (const part of walkParts(root)) {
    const type = part.contentType;
    if (part.inReturnedMessage) {
      if (!returnedHeaders && part.children.length === 0 && part.headers.length > 0) {
        returnedHeaders = part.headers.map((h) => `${h.name}: ${h.value}`).join('\n');
      }
      continue;
    }
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      reports.push(partText(part));
    } else if (type === 'text/rfc822-headers') {
      if (!returnedHeaders) returnedHeaders = partText(part);
    } else if (type === 'message/rfc822' || type === 'message/global') {
      const inner = part.children[0];
      if (inner && !returnedHeaders)
        returnedHeaders = inner.headers.map((h) => `${h.name}: ${h.value}`).join('\n');
    } else if (part.children.length === 0 && !isAttachment(part)) {
      if (type === 'text/plain' || type === 'text/enriched' || type === 'text' || !type.includes('/')) {
        plain.push(partText(part));
      } else if (type === 'text/html') {
        html.push(htmlToText(partText(part)));
      }
    }
  }
  const text = (plain.some((t) => t.trim() !== '') ? plain : html).join('\n\n');
  return { text, reports, returnedHeaders };
}

function isAttachment(part: MimePart): boolean {
  const disposition = headerValue(part.headers, 'content-disposition') ?? '';
  return /^\s*attachment/i.test(disposition) && !part.contentType.startsWith('text/plain');
}

// ---------------------------------------------------------------------------------------------------

interface Candidate {
  address: string;
  status: string;
  replyCode: string;
  diagnostic: string;
  stage: SmtpStage;
  action: string;
  diagnosticType: string;
  diagnosticIsSummary?: boolean;
  forced?: BounceReason;
}

function extractRecipients(root: MimePart, parts: CollectedParts, notice: string): BouncedRecipient[] {
  const candidates = candidatesFrom(root, parts, notice);
  const seen = new Set<string>();
  const out: BouncedRecipient[] = [];
  for (const c of candidates) {
    const key = c.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(toRecipient(c));
  }
  return out;
}

function candidatesFrom(root: MimePart, parts: CollectedParts, notice: string): Candidate[] {
  if (looksLikeSesNotification(parts.text)) {
    const ses = parseSesNotification(parts.text);
    if (ses.length > 0) {
      return ses.map((r) => ({
        ...fromDiagnostic(r.diagnostic, r.status),
        ...(r.replyCode ? { replyCode: r.replyCode } : {}),
        address: r.address,
        action: r.action,
        diagnosticType: 'SMTP',
        ...(r.kind === 'bounce' ? {} : { forced: r.kind }),
      }));
    }
  }

  const textRecipients = extractTextRecipients(notice);
  const report = mergeReports(parts.reports, parts.text);
  const delayedNotice = isDelayNotice(notice, root);

  if (report.recipients.length > 0) {
    const failed = report.recipients.filter((r) => !/^(?:delivered|relayed|expanded)$/.test(r.action));
    const chosen = failed.length > 0 ? failed : report.recipients;
    const summary = chosen.length === 1 ? summarise(notice) : '';
    return chosen.map((r) => fromReport(r, textRecipients, root, summary));
  }

  if (textRecipients.length > 0) {
    const summary = summarise(notice);
    return textRecipients.map((r) => ({
      // A lone recipient named without an error next to it ("RCPT TO: a@b" in a list of message
      // details): the error is elsewhere in the notice.
      ...fromDiagnostic(
        textRecipients.length === 1 && !mentionsFailure(r.diagnostic) ? summary : r.diagnostic,
        '',
      ),
      address: r.address,
      action: delayedNotice ? 'delayed' : 'failed',
      diagnosticType: '',
    }));
  }

  // Nothing in the text names a recipient: Exim's header, then the returned message.
  const failedHeader = headerValues(root.headers, 'x-failed-recipients').flatMap((v) => findAddresses(v));
  const fallback =
    failedHeader.length > 0
      ? failedHeader
      : addressesInHeaderLines(parts.returnedHeaders || parts.text).slice(0, 1);
  const diagnostic = summarise(notice);
  return fallback.map((address) => ({
    ...fromDiagnostic(diagnostic, ''),
    address,
    action: delayedNotice ? 'delayed' : 'failed',
    diagnosticType: '',
    diagnosticIsSummary: true,
  }));
}

function mergeReports(reports: readonly string[], text: string): DeliveryStatus {
  const merged: DeliveryStatus = { reportingMta: '', recipients: [] };
  for (const report of reports) {
    const parsed = parseDeliveryStatus(report);
    merged.reportingMta ||= parsed.reportingMta;
    merged.recipients.push(...parsed.recipients);
  }
  if (merged.recipients.length === 0 && containsDeliveryStatusFields(text)) {
    // A report pasted into a text part (some relays forward the whole bounce as plain text).
    const start = text.search(/^(?:Reporting-MTA|Final-Recipient|Original-Recipient)\s*:/im);
    merged.recipients.push(...parseDeliveryStatus(text.slice(Math.max(0, start))).recipients);
  }
  return merged;
}

function fromReport(
  r: DsnRecipientFields,
  textRecipients: readonly TextRecipient[],
  root: MimePart,
  summary: string,
): Candidate {
  const address = chooseAddress(r, root);
  const lower = [address, r.finalRecipient, r.originalRecipient].map((a) => a.toLowerCase());
  const block =
    textRecipients.find((t) => lower.includes(t.address.toLowerCase()))?.diagnostic ??
    (textRecipients.length === 1 ? textRecipients[0]!.diagnostic : '');
  // The report's Diagnostic-Code is the remote server's reply; the text may add the SMTP stage or,
  // when the report has none, carry the explanation. With neither, the notice's general
  // explanation is all there is (Exim's reports on "pipe to |…" deliveries).
  const diagnostic = r.diagnosticCode || block || summary;
  const context = `${r.diagnosticCode} ${block}`;
  const replyCode = findReplyCode(r.diagnosticCode) || findReplyCode(block);
  const fromText = findEnhancedStatus(r.diagnosticCode) || findEnhancedStatus(block);
  // The Status field is the reporting MTA's summary; the remote server's own reply says more when
  // the summary is generic (X.0.0) or missing, or contradicts a reply whose codes agree (550 5.5.0
  // reported as Status 4.5.0).
  const generic = !r.status || /^\d\.0\.0$/.test(r.status);
  const agreeing = fromText !== '' && replyCode !== '' && fromText[0] === replyCode[0];
  const useReply =
    fromText !== '' &&
    ((generic && (!r.status || fromText[0] === r.status[0])) || (agreeing && fromText[0] !== r.status[0]));
  return {
    address,
    status: useReply ? fromText : r.status,
    replyCode,
    diagnostic,
    stage: findStage(context),
    action: r.action,
    diagnosticType: r.diagnosticType,
    diagnosticIsSummary: !r.diagnosticCode && !block,
  };
}

function chooseAddress(r: DsnRecipientFields, root: MimePart): string {
  const original = cleanAddress(r.originalRecipient);
  if (ADDRESS_PATTERN.test(original)) return original;
  const final = cleanAddress(r.finalRecipient);
  if (ADDRESS_PATTERN.test(final)) return final;
  // A pipe or a file as final recipient (Exim's "|/usr/bin/…", "/var/mail/…"): name the address.
  const inside = findAddresses(`${r.finalRecipient} ${r.originalRecipient}`)[0];
  if (inside) return inside;
  const failedHeader = headerValues(root.headers, 'x-failed-recipients').flatMap((v) => findAddresses(v));
  return failedHeader[0] ?? final;
}

function cleanAddress(value: string): string {
  const bare = value
    .trim()
    .replace(/^<+|>+$/g, '')
    .replace(/\.$/, '')
    .trim();
  // Quotes around the whole address are decoration; around the local part they are syntax.
  return /^(["']).*\1$/.test(bare) && !/^"[^"]*"@/.test(bare) ? bare.slice(1, -1) : bare;
}

function fromDiagnostic(
  diagnostic: string,
  status: string,
): Pick<Candidate, 'status' | 'replyCode' | 'diagnostic' | 'stage'> {
  return {
    status: status || findEnhancedStatus(diagnostic),
    replyCode: findReplyCode(diagnostic),
    diagnostic,
    stage: findStage(diagnostic),
  };
}

function toRecipient(c: Candidate): BouncedRecipient {
  const { reason, hard } = c.forced
    ? { reason: c.forced, hard: false }
    : classify({
        status: c.status,
        replyCode: c.replyCode,
        diagnostic: c.diagnostic,
        stage: c.stage,
        action: c.action,
        diagnosticType: c.diagnosticType,
        diagnosticIsSummary: c.diagnosticIsSummary ?? false,
      });
  const diagnostic = c.diagnostic.replace(/\s+/g, ' ').trim().slice(0, MAX_DIAGNOSTIC);
  return {
    address: c.address,
    status: c.status,
    ...(c.replyCode ? { replyCode: c.replyCode } : {}),
    hard: c.forced ? false : hard,
    reason,
    ...(diagnostic ? { diagnostic } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------

function isDelayNotice(notice: string, root: MimePart): boolean {
  const subject = decodeHeaderValue(headerValue(root.headers, 'subject') ?? '');
  return (
    /\b(?:delayed|delay)\b/i.test(subject) ||
    /has not yet been delivered|only a temporary failure|delivery attempts will continue|will (?:continue to )?(?:retry|try again)|is delayed/i.test(
      notice,
    )
  );
}

/** The explanation of a bounce that names no recipient line: its first lines, boilerplate and all. */
function summarise(notice: string): string {
  return notice
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 30)
    .join(' ');
}

function mentionsFailure(diagnostic: string): boolean {
  return (
    findReplyCode(diagnostic) !== '' ||
    findEnhancedStatus(diagnostic) !== '' ||
    classify({ status: '', diagnostic }).reason !== 'onhold'
  );
}
