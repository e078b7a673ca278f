// A whole inbound message to the analysis of CONTRACT.md §3. Pure: the day it is read (`asOf`) and
// the organisation's invoice numbers come in as arguments; nothing here reads a clock, a file or a
// database. Only the optional language-model fallback (options.classifier) touches the network.
//
//   raw ─ parseMessage ─┬─ bounce?      (the mail/bounce reader) ─────────────> kind: bounce
//                       ├─ strip quotes and signature
//                       ├─ automatic reply? (headers, subject, wording) ───────> kind: auto_reply
//                       ├─ no new text ──────────────────────────────────────> kind: unknown
//                       └─ language → intent (rules, then maybe the fallback) ─> kind: reply
//
// Invoice numbers come from the customer's own words first. When they name none, those of the
// subject and the quoted reminder are reported instead: the customer answered that reminder, so its
// invoices are what the reply is about (and the classifier never saw that text, so it cannot mislead).

import type { PlainDate } from '../calendar/plain-date.ts';
import { parseBounce } from '../mail/bounce/parse-bounce.ts';
import { type Analysis, type BounceRecipient, LANGUAGES, type Language } from './analysis.ts';
import { detectAutoReply, extractReturnDate } from './auto-reply.ts';
import { classifyWithRules, type IntentClassifier } from './classifier.ts';
import { findInvoiceNumbers } from './invoice-numbers.ts';
import { detectLanguage } from './language.ts';
import { type ParsedMessage, parseMessage } from './parse-message.ts';
import { stripQuotes } from './strip-quotes.ts';

export type BounceParser = (raw: Buffer | string) => { recipients: readonly BounceRecipient[] } | null;

export interface AnalyseOptions {
  /** The day the message is read (the `--as-of` of the command line). */
  asOf: PlainDate;
  knownInvoiceNumbers?: readonly string[];
  /** Reads delivery-status notifications; defaults to mail/bounce's parser, `null` turns it off. */
  bounceParser?: BounceParser | null;
  /** A second opinion (a language model) asked when the rules are unsure; off unless given. */
  classifier?: IntentClassifier;
  /** Confidence under which the second opinion is asked (default 0.6). */
  fallbackBelow?: number;
}

const defaultBounceParser: BounceParser = (raw) => parseBounce(raw);

// Intents that show a person wrote, strong enough to overrule a single out-of-office phrase.
const HUMAN_INTENTS = new Set([
  'promise_to_pay',
  'already_paid',
  'dispute',
  'payment_plan_request',
  'refusal',
  'insolvency',
]);

const REPLY_PREFIX = /^\s*(?:(?:re|aw|wg|fw|fwd|tr|rv|r|sv|antw|vs|rif|enc|doorst)\s*(?:\[\d+\])?\s*:\s*)+/i;

interface Prepared {
  analysis: Analysis;
  /** Set when the rules' verdict may be handed to the fallback classifier. */
  reply?: { text: string; language: Language };
}

function prepare(
  message: ParsedMessage,
  options: AnalyseOptions,
  raw: Buffer | string | undefined,
): Prepared {
  const { asOf } = options;
  const stripped = stripQuotes(message.text);
  // An empty body under a subject of the customer's own ("Payment sent for INV-1234") is read from
  // the subject; a subject that answers ours ("RE: Relance facture …") is our words, not theirs.
  const ownSubject = !REPLY_PREFIX.test(message.subject) ? message.subject.trim() : '';
  const reply = stripped.reply || ownSubject;
  const invoiceNumbers = (() => {
    const known = options.knownInvoiceNumbers ? { known: options.knownInvoiceNumbers } : {};
    const own = findInvoiceNumbers(reply, known);
    if (own.length > 0) return own;
    return findInvoiceNumbers(`${message.subject}\n${stripped.quoted}`, known);
  })();

  const bounce = readBounce(message, options, raw);
  if (bounce) return { analysis: { kind: 'bounce', invoiceNumbers, bounce } };

  const subject = message.subject.replace(REPLY_PREFIX, '');
  const guess = detectLanguage(reply);
  const language: Language =
    guess.confidence >= 0.5 || !reply
      ? guess.language
      : detectLanguage(`${reply}\n${subject}\n${stripped.quoted.slice(0, 1500)}`).language;

  const verdict = detectAutoReply({
    headers: message.headers,
    subject: message.subject,
    text: reply || message.text,
    ...(message.from ? { from: message.from.address } : {}),
  });
  const autoText = reply || message.text;
  const autoReply = (confidence: number): Prepared => {
    // Out-of-office notices are often written in two languages: try the detected one first.
    const languages = [language, ...LANGUAGES.filter((l) => l !== language)];
    const returnDate = extractReturnDate(autoText, asOf, languages);
    const analysis: Analysis = {
      kind: 'auto_reply',
      language,
      intent: 'auto_reply',
      confidence,
      invoiceNumbers,
    };
    if (returnDate) analysis.returnDate = returnDate;
    return { analysis };
  };
  if (verdict.strength === 'header') return autoReply(0.97);
  if (verdict.strength === 'subject') return autoReply(0.93);
  if (verdict.strength === 'body' && autoText.trim()) return autoReply(0.85);

  if (!reply) return { analysis: { kind: 'unknown', invoiceNumbers } };

  const rules = classifyWithRules({ text: reply, language, asOf });
  // Wording alone: a person may mention their absence, so a clear human intent wins over it.
  if (verdict.strength === 'wording' && !(HUMAN_INTENTS.has(rules.intent) && rules.confidence >= 0.8)) {
    return autoReply(0.85);
  }
  if (verdict.strength === 'weak' && !(HUMAN_INTENTS.has(rules.intent) && rules.confidence >= 0.7)) {
    return autoReply(0.7);
  }
  const analysis: Analysis = {
    kind: 'reply',
    language,
    intent: rules.intent,
    confidence: rules.confidence,
    invoiceNumbers,
  };
  if (rules.promisedDate) analysis.promisedDate = rules.promisedDate;
  return { analysis, reply: { text: reply, language } };
}

function readBounce(message: ParsedMessage, options: AnalyseOptions, raw: Buffer | string | undefined) {
  const parser = options.bounceParser === undefined ? defaultBounceParser : options.bounceParser;
  if (parser && raw !== undefined) {
    let report: ReturnType<BounceParser> = null;
    try {
      report = parser(raw);
    } catch {
      report = null;
    }
    if (report && report.recipients.length > 0) {
      return {
        recipients: report.recipients.map((r) => ({
          address: r.address,
          status: r.status,
          hard: r.hard,
          reason: r.reason,
        })),
      };
    }
  }
  // Without a reader, a standard delivery report is still known for what it is.
  if (
    message.contentType === 'multipart/report' &&
    /report-type\s*=\s*"?delivery-status/i.test(message.headers['content-type'] ?? '')
  ) {
    return { recipients: [] };
  }
  return null;
}

/**
 * Analyses an already parsed message with the local rules only (no fallback, no await). `raw` is
 * handed to the bounce reader when given.
 */
export function analyseParsedMessage(
  message: ParsedMessage,
  options: AnalyseOptions,
  raw?: Buffer | string,
): Analysis {
  return prepare(message, options, raw).analysis;
}

/** Analyses one raw RFC 5322 message (CONTRACT.md §3). */
export async function analyseMessage(raw: Buffer | string, options: AnalyseOptions): Promise<Analysis> {
  let message: ParsedMessage;
  try {
    message = await parseMessage(raw);
  } catch {
    return { kind: 'unknown', invoiceNumbers: [] };
  }
  const prepared = prepare(message, options, raw);
  const { analysis } = prepared;
  const fallback = options.classifier;
  const threshold = options.fallbackBelow ?? 0.6;
  if (!fallback || !prepared.reply || (analysis.confidence ?? 0) >= threshold) return analysis;
  try {
    const second = await fallback.classify({
      text: prepared.reply.text,
      language: prepared.reply.language,
      asOf: options.asOf,
    });
    // Whether a message is automatic is read from its headers and wording, not asked of a model.
    if (second.intent === 'auto_reply' || second.confidence <= (analysis.confidence ?? 0)) return analysis;
    const merged: Analysis = { ...analysis, intent: second.intent, confidence: second.confidence };
    delete merged.promisedDate;
    if (second.intent === 'promise_to_pay') {
      const date = second.promisedDate ?? analysis.promisedDate;
      if (date && date >= options.asOf) merged.promisedDate = date;
    }
    return merged;
  } catch {
    // The provider being down must not stop the agent reading its mail: keep the rules' answer.
    return analysis;
  }
}
