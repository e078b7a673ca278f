// Whether a message is a delivery-status notification at all. The standard says so in one header
// (RFC 3462/6522 `multipart/report; report-type=delivery-status`); the rest of the world says it with
// a null sender, a daemon's From, a recognisable subject or the opening sentence of its software.
// Out-of-office replies share some of these traits (Auto-Submitted: auto-replied, RFC 3834) and
// customers sometimes quote the word "undeliverable": neither is a bounce.

import { decodeHeaderValue, type Header, headerValue } from './mime.ts';

export interface BounceSignals {
  /** A header or part that only a bounce carries: report-type=delivery-status, X-Failed-Recipients… */
  standard: boolean;
  /** From a mailer daemon, postmaster or a null sender. */
  sender: boolean;
  /** A bounce subject in one of the common languages. */
  subject: boolean;
  /** An opening sentence of a known bounce generator, outside quoted text. */
  body: boolean;
  /** An out-of-office or other automatic reply, by its subject or headers. */
  autoReply: boolean;
  /** The subject is a reply or forward (`Re:`, `Fwd:`…), as a person writes. */
  replySubject: boolean;
}

const DAEMON_LOCAL_PART =
  /^(?:mailer[-_]?daemon|mail[-_]?daemon|postmaster|post[-_]master|mdaemon|mail[-_]?delivery[-_]?(?:system|subsystem)?|bounces?|ndr|mailerdaemon|mmsc|smtp[-_]?gateway)$/i;
const DAEMON_DISPLAY_NAME =
  /mail(?:er)?[- ]?daemon|mail delivery (?:system|subsystem|service)|postmaster|mail administrator|internet mail delivery|mail system|\bndr\b|delivery status notification/i;

const BOUNCE_SUBJECT = new RegExp(
  [
    // English
    'undeliver(?:ed|able)',
    'returned mail',
    'return(?:ed)? to sender',
    'delivery (?:status )?(?:notification|failure|failed|has failed|error)',
    'delivery status',
    'mail delivery (?:failed|failure|error|problem|system)',
    'failure (?:notice|delivery)',
    'failed (?:mail|delivery)',
    'non[- ]?(?:delivery|deliverable)',
    'could not (?:be )?deliver',
    "couldn't be delivered",
    '(?:message|mail|e-?mail) (?:was |could )?not (?:be )?delivered',
    'mail failure',
    'permanent (?:delivery )?(?:failure|error)',
    'error sending your mail',
    'warning: message .* delayed',
    'delayed mail',
    'delivery delayed',
    'mail system error',
    'returned message',
    'bounced? (?:mail|message)',
    // French
    'non remis',
    'non distribu(?:é|e|able)',
    '[ée]chec de (?:la )?(?:remise|distribution|livraison)',
    'avis de non[- ]remise',
    'message non (?:d[ée]livr[ée]|remis)',
    "notification d'[ée]tat de (?:la )?remise",
    // German
    'unzustellbar',
    'nicht zustellbar',
    'zustellung fehlgeschlagen',
    'fehlgeschlagene zustellung',
    'übermittlungsstatus',
    'unzustellbare',
    // Spanish
    'no se (?:puede|pudo) entregar',
    'no entregad[oa]',
    'error de entrega',
    'notificaci[oó]n de estado de (?:la )?entrega',
    'mensaje devuelto',
    // Italian
    'non recapitabile',
    'mancato recapito',
    'impossibile recapitare',
    'notifica (?:sullo )?stato (?:di )?consegna',
    'messaggio non consegnato',
    // Dutch
    'onbestelbaar',
    'niet (?:bezorgd|afgeleverd)',
    'kan niet worden bezorgd',
    'bezorgingsstatus',
    // Portuguese
    'n[ãa]o (?:[ée] poss[ií]vel )?entreg',
    'falha (?:na|de) entrega',
    // Russian, Japanese, Chinese
    'не доставлено',
    'недоставленное',
    'сообщение не',
    'メールエラー',
    '配信エラー',
    '配送エラー',
    '送信エラー',
    '未送達',
    '退信',
    '无法投递',
  ].join('|'),
  'i',
);

const AUTO_REPLY_SUBJECT = new RegExp(
  [
    'auto(?:matic|matische|matique|matica|mático)?[ -]?(?:reply|response|antwort|answer|r[ée]ponse|respuesta|risposta|antwoord)',
    'out of (?:the )?office',
    'ooo\\b',
    'abwesen',
    'abwesenheit',
    'absen(?:ce|t|te|cia)',
    'r[ée]ponse automatique',
    'respuesta autom[aá]tica',
    'risposta automatica',
    'automatisch antwoord',
    'afwezig',
    'fuera de (?:la )?oficina',
    'fuori (?:sede|ufficio)',
    'vacation',
    'vacances',
    'urlaub',
    'cong[ée]s?',
    'on leave',
  ].join('|'),
  'i',
);

/** Opening sentences of bounce generators (and their translations), outside any quotation. */
const BOUNCE_BODY = new RegExp(
  [
    'this is the qmail-send program',
    'this is the mail system at host',
    'this is the (?:postfix|mail delivery agent|dragonfly mail agent)',
    "i(?:'|’)m sorry to have to inform you that your message could not",
    'could not be delivered to one or more (?:of its )?recipients',
    'could not be delivered to all of its recipients',
    'the following address(?:\\(es\\)|es)? failed',
    'the following addresses had permanent fatal errors',
    'delivery to the following recipients? failed',
    'delivery has failed to these recipients',
    "your message (?:to .{1,100} )?(?:couldn't|could not|cannot|can't) be delivered",
    "your message wasn't delivered",
    'did not reach the following recipient',
    'your message did not reach some or all of the intended recipients',
    'message could not be delivered',
    'unable to deliver (?:your )?message to the following',
    'an error has occurred while attempting to deliver a message',
    'there was an error delivering your mail',
    'delivery status notification',
    'this is a delivery status notification',
    'your message cannot be delivered to the following recipients',
    'we had trouble delivering your message',
    'failed to send to identified host',
    'could not be delivered to:',
    'the following message to .{1,200} was undeliverable',
    'the following recipient\\(s\\) could not be reached',
    'message not delivered',
    'your mail message to the following address\\(es\\) could not be delivered',
    'a message is delayed for more than',
    'has not yet been delivered to one or more of its',
    'no valid recipients',
    'error: invalid user address',
    'к сожалению, ваше письмо не может быть доставлено',
    'konnte nicht (?:an alle empfänger )?zugestellt werden',
    "n'a pas pu (?:être|etre) (?:remis|distribué|livré)",
    'no se ha podido entregar',
    'non è stato possibile recapitare',
    'kon niet worden bezorgd',
  ].join('|'),
  'i',
);

const REPLY_PREFIX = /^\s*(?:re|aw|sv|vs|r|rif|antw|ref|fwd?|fw|tr|wg|rv|enc)\s*(?:\[\d+\])?\s*:/i;

export function readSignals(
  headers: readonly Header[],
  notice: string,
  hasReportPart: boolean,
): BounceSignals {
  const from = decodeHeaderValue(headerValue(headers, 'from') ?? '');
  const subject = decodeHeaderValue(headerValue(headers, 'subject') ?? '');
  const contentType = headerValue(headers, 'content-type') ?? '';
  const returnPath = headerValue(headers, 'return-path');

  const standard =
    /report-type\s*=\s*"?delivery-status/i.test(contentType) ||
    hasReportPart ||
    headerValue(headers, 'x-failed-recipients') !== undefined;

  const address = /<([^>]*)>/.exec(from)?.[1] ?? from.replace(/\(.*\)/, '').trim();
  const localPart = address.includes('@') ? address.slice(0, address.indexOf('@')) : address;
  const displayName = from.replace(/<[^>]*>/, '').replace(/"/g, '');
  const sender =
    DAEMON_LOCAL_PART.test(localPart.trim()) ||
    DAEMON_DISPLAY_NAME.test(displayName) ||
    /^\s*<\s*>\s*$/.test(from) ||
    (returnPath !== undefined && /^<\s*>$/.test(returnPath.trim()) && address === '');

  const replySubject = REPLY_PREFIX.test(subject);
  const autoReply =
    AUTO_REPLY_SUBJECT.test(subject) ||
    headerValue(headers, 'x-autoreply') !== undefined ||
    headerValue(headers, 'x-autorespond') !== undefined ||
    /^\s*auto[-_]?reply\s*$/i.test(headerValue(headers, 'precedence') ?? '');

  const unquoted = notice
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
  return {
    standard,
    sender,
    subject: !replySubject && BOUNCE_SUBJECT.test(subject),
    body: BOUNCE_BODY.test(unquoted),
    autoReply,
    replySubject,
  };
}

/** A mailing-list manager's error notice (fml, ezmlm): "you are not a member", "loop alert". */
export function isListManagerNotice(headers: readonly Header[]): boolean {
  const from = headerValue(headers, 'from') ?? '';
  const subject = decodeHeaderValue(headerValue(headers, 'subject') ?? '');
  const listServer =
    headerValue(headers, 'x-mlserver') !== undefined || headerValue(headers, 'mailing-list') !== undefined;
  const fromListAdmin = /(?:-admin|-owner|-request|owner-)[^@<\s]*@|^\s*[^@<\s]*(?:-admin|-owner)\b/i.test(
    from,
  );
  return (
    listServer &&
    fromListAdmin &&
    /\bnot (?:a )?member\b|loop alert|duplicated message-id|\brejected\b|returned mail/i.test(subject)
  );
}
