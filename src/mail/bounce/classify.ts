// The one place that decides why a delivery failed and whether the address itself is dead.
//
// Inputs are what a bounce tells about one recipient: the enhanced status code (RFC 3463), the SMTP
// reply code (RFC 5321 §4.2), the diagnostic text, and the SMTP stage at which the remote server
// refused. Reasons use the vocabulary of the sisimai project so that results compare with its corpus.
//
// The decision runs in three passes:
//   1. the stage: a refusal of the connection, the greeting or the sender (MAIL FROM) says nothing
//      about the recipient's mailbox (RFC 5321 §3.3), whatever the words;
//   2. reasons that either a specific status code or unambiguous wording settles, most specific first
//      (a 5.1.1 whose text says "mailbox full" is a full mailbox);
//   3. wording for the reasons only text can tell, then the status code's subject (RFC 3463 §3), then
//      the reply code.
//
// Hard (never write to the address again) means the address itself is invalid: no such mailbox,
// no such domain, moved, or a domain that accepts no mail (null MX, RFC 7505). Anything reported
// with a 4.x.x status or 4xx reply is a transient condition by definition (RFC 3463 §3.1, RFC 5321
// §4.2.1) and is not hard, with one exception explained at isTransient().

import type { SmtpStage } from './smtp-diagnostic.ts';

export type BounceReason =
  | 'userunknown'
  | 'hostunknown'
  | 'hasmoved'
  | 'notaccept'
  | 'mailboxfull'
  | 'mesgtoobig'
  | 'exceedlimit'
  | 'suspend'
  | 'filtered'
  | 'rejected'
  | 'blocked'
  | 'norelaying'
  | 'authfailure'
  | 'requireptr'
  | 'badreputation'
  | 'notcompliantrfc'
  | 'contenterror'
  | 'spamdetected'
  | 'virusdetected'
  | 'policyviolation'
  | 'securityerror'
  | 'speeding'
  | 'toomanyconn'
  | 'systemerror'
  | 'systemfull'
  | 'networkerror'
  | 'expired'
  | 'mailererror'
  | 'syntaxerror'
  | 'onhold'
  | 'undefined'
  | 'delivered'
  | 'feedback'
  | 'vacation';

export interface ClassifyInput {
  /** Enhanced status code (RFC 3463) such as `5.1.1`; '' when unknown. */
  status: string;
  /** SMTP reply code such as `550`; '' when unknown. */
  replyCode?: string;
  /** Diagnostic text: the remote server's reply or the reporting system's explanation. */
  diagnostic?: string;
  /** SMTP stage at which the remote server refused, '' when the bounce does not say. */
  stage?: SmtpStage;
  /** RFC 3464 `Action` (failed, delayed…), '' when unknown. */
  action?: string;
  /** RFC 3464 `Diagnostic-Code` type: SMTP, X-UNIX, X-POSTFIX…; '' when unknown. */
  diagnosticType?: string;
  /** The diagnostic is the bounce's general explanation, not words about this recipient. */
  diagnosticIsSummary?: boolean;
}

export interface Classification {
  reason: BounceReason;
  hard: boolean;
}

const HARD_REASONS: ReadonlySet<BounceReason> = new Set([
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
]);

function words(...patterns: string[]): RegExp {
  return new RegExp(patterns.join('|'), 'i');
}

// ---------------------------------------------------------------------------------------------------
// Wording, per reason. Lower-level mail systems and webmail providers phrase the same failure in many
// ways; these lists group the phrasings seen across families (and their common translations).

const TEXT = {
  mailboxfull: words(
    'mailbox (?:is |was )?full',
    'mail ?box full',
    'mailfolder is full',
    'over ?quota',
    'quota (?:exceeded|exceed|full|violation)',
    'exceeded (?:storage|(?:the |his |her |their )?(?:mailbox )?quota)',
    'disk quota',
    "(?:user'?s?|recipient'?s?) (?:mailbox|mail ?box|mailfolder|inbox) is full",
    'inbox is full',
    'insufficient (?:storage|disk space|system storage)',
    'mailbox size limit',
    'mailbox (?:has )?exceeded',
    'would exceed (?:the )?(?:mailbox|quota)',
    'not enough (?:storage|space)',
    'out of storage',
    'bo[iî]te (?:aux lettres |de r[ée]ception )?(?:est )?pleine',
    'postfach (?:ist )?voll',
    'speicherplatz',
    'casella (?:di posta )?(?:[eè] )?piena',
    'buz[oó]n (?:de correo )?(?:est[aá] )?lleno',
    'mailbox vol',
    'ящик переполнен',
    'переполнен',
  ),
  mesgtoobig: words(
    'message (?:is )?too (?:big|large)',
    'message size exceeds',
    'size exceeds',
    'exceeds (?:the )?(?:fixed )?(?:maximum|max) (?:message )?size',
    'message exceeds (?:the )?(?:maximum|max|local)',
    'message (?:size|length) (?:is )?(?:greater|larger|bigger) than',
    'mail (?:is )?too (?:big|large)',
    'line limit exceeded',
    'size limit',
  ),
  exceedlimit: words('message length exceeds administrative limit', 'exceeds (?:the )?administrative limit'),
  suspend: words(
    '(?:account|mailbox|recipient|user|address)(?: has been| is| was)? (?:temporarily |permanently )?(?:disabled|suspended|deactivated|locked|frozen|inactive|blocked)',
    'temporar(?:y|ily) (?:locked|disabled|suspended)',
    'is (?:inactive|disabled|deactivated)',
    'disabled (?:recipient|account|mailbox|user|address)',
    'inactive (?:user|account|mailbox)',
    'disabled or discontinued',
    'account (?:is )?(?:not active|closed|terminated|expired)',
    // Postfix's "delivery temporarily suspended" is about the destination host, not the account.
    '(?<!delivery temporarily )suspended',
    'compte (?:d[ée]sactiv[ée]|suspendu|(?:du destinataire )?est bloqu[ée])',
    'konto (?:gesperrt|deaktiviert)',
    'cuenta (?:desactivada|suspendida|bloqueada)',
    'account (?:disattivato|sospeso)',
  ),
  hasmoved: words(
    'mailbox has moved',
    'has moved',
    'no longer (?:on|at) (?:this )?server',
    'address has changed',
    'no forwarding address',
    'mailbox owner has changed',
  ),
  norelaying: words(
    'relay(?:ing)? (?:access )?denied',
    'relay(?:ing)? (?:is )?not (?:permitted|allowed)',
    '(?:not (?:permitted|allowed|configured)|unable) to relay',
    'unable to relay',
    'no relaying',
    'relay rejected',
    'we do not relay',
    'relaying (?:mail )?to .{1,80} (?:is )?not allowed',
    'relay not permitted',
  ),
  authfailure: words(
    '\\bdmarc\\b',
    '\\bspf\\b',
    '\\bdkim\\b',
    'authentication checks? failed',
    'unauthenticated (?:e-?)?mail',
    'sender policy framework',
    'sender authentication',
    'failed (?:the )?(?:spf|dkim|dmarc)',
  ),
  // Wording only a recipient lookup produces: decisive whatever the stage (except after DATA).
  userunknownDirectory: words(
    'recipient name is not recognized',
    'resolver\\.adr\\.recip(?:ient)?notfound',
    'recip(?:ient)?notfound',
    'no valid recipients',
    'email account (?:that )?you tried to reach does not exist',
    "address couldn't be found",
    'address could not be found',
    "email address (?:does not|doesn't) exist",
    "mailbox (?:does not|doesn't) exist",
    'recipient address rejected: (?:access denied|user unknown|unknown user|invalid user|undeliverable address|user .{1,60} does not exist|invalid-recipient|userunknown|not found)',
    'user unknown in (?:local recipient|virtual mailbox|virtual alias|relay recipient)',
    'unknown user in (?:local|virtual)',
    'no mailbox (?:here )?by that name',
    'unknown or illegal (?:user|alias)',
    'this address no longer accepts mail',
    // RFC 5321 §4.2.2's own text for a refused RCPT, and the plainest rewording of it.
    'requested action not taken: mailbox unavailable',
    'invalid recipient',
    // Lotus Notes / Domino and Exchange directory lookups.
    'not listed in (?:the )?(?:domino directory|public name (?:&|and) address book)',
    "(?:address|recipient) you entered couldn'?t be found",
    "wasn't found at",
  ),
  // Common "no such user" wording. Content filters (notably Japanese mobile carriers) use the same
  // words to refuse a message after DATA, so it is trusted only when the server said it to RCPT TO.
  userunknown: words(
    'user unknown',
    'unknown user',
    'unknown recipient',
    'recipient unknown',
    'unknown (?:local[- ]?part|mailbox|account|e-?mail address)',
    'no such (?:user|mailbox|recipient|account|address|person)',
    "user (?:is )?(?:not found|not known|unknown|does not exist|doesn't exist|not exist)",
    "user .{1,60} (?:does not|doesn't) exist",
    'mailbox (?:not found|unavailable|not available|is unavailable|invalid|not present|is not valid)',
    "(?:recipient|address|account|addressee) (?:does not|doesn't|did not) exist",
    'recipient (?:not found|is not valid|invalid)',
    'invalid (?:recipient|mailbox|user|e-?mail address|address)(?! syntax)',
    'not a valid (?:mailbox|recipient|user|address)',
    'is not a known user',
    'bad (?:destination )?(?:recipient|mailbox)',
    'does not exist',
    "doesn't have an? .{1,60} account",
    '(?<!sender )address rejected(?!:)',
    'requested action not taken: mailbox unavailable',
    'destination addresses? (?:were|was) unknown',
    'not our customer',
    "isn't in my list of allowed rcpthosts",
    'utilisateur inconnu',
    'destinataire inconnu',
    'adresse (?:inconnue|introuvable|invalide|inexistante)',
    "n'existe pas",
    'unbekannt',
    'existiert nicht',
    'gibt es nicht',
    'usuario desconocido',
    'destinatario desconocido',
    'no existe',
    'utente (?:sconosciuto|inesistente)',
    'indirizzo inesistente',
    'non esiste',
    'onbekende (?:gebruiker|ontvanger)',
    'gebruiker onbekend',
    'bestaat niet',
    'не существует',
    'нет такого',
    'не найден',
  ),
  filtered: words(
    'message filtered',
    'filtered',
    'rejected by (?:the )?recipient',
    'recipient (?:refuses|refused|does not accept mail from)',
    'user refuses',
    'refused due to recipient preferences',
    'only accepting mail from specific',
    'blocked by the recipient',
    'user reject',
    'message rejected due to user rules',
  ),
  requireptr: words(
    'reverse dns',
    'reverse-dns',
    '\\brdns\\b',
    'ptr record',
    '\\bno ptr\\b',
    'ptr (?:lookup|check)',
    'reverse (?:lookup|hostname|name)',
    'unverif(?:y|i)able sending ip',
    'cannot find your (?:reverse )?hostname',
    'ip name lookup failed',
    'without a valid sender domain',
    'client host .{1,80} (?:rejected|refused): cannot find',
    'mismatch(?:es)? (?:the )?client ip',
  ),
  notcompliantrfc: words(
    '(?<![=;])\\brfc ?(?:5322|2822|822)\\b(?!;)',
    'not (?:rfc[- ]?)?compliant',
    'multiple (?:from|sender|to|subject|date|message-id)(?: header| field)s?',
    'multiple addresses in (?:the )?from',
    'duplicate header',
    'not (?:comply|conform) (?:with|to) rfc',
  ),
  badreputation: words('reputation', 'unexpected volume or user complaints', 'sender score'),
  contenterror: words(
    'media error',
    'improper use of 8-bit',
    'header (?:syntax|format) error',
    'invalid mime',
  ),
  rejected: words(
    'sender address rejected',
    'sender (?:address |domain )?(?:is )?(?:rejected|denied|blocked|invalid|unknown|not allowed)',
    'bad sender',
    'unroutable sender',
    'sender verify failed',
    'domain of sender address',
    'envelope sender',
    'invalid sender',
    'from: domain is invalid',
    'provide a valid from',
    'an address that has been blacklisted',
    'not a member',
    'sending this from a different address',
    'purported responsible address',
  ),
  // The recipient's domain does not exist or cannot be resolved for good.
  hostunknown: words(
    'host unknown',
    'unknown host',
    'host not found(?!, try again)',
    'host or domain name not found',
    'domain (?:name )?not found',
    'no such (?:domain|host)',
    "domain (?:does not|doesn't) exist",
    'domain is not reachable',
    'unroute?able address',
    'name or service not known',
    '\\bnxdomain\\b',
    'dns lookup fail',
    "couldn't find any host",
    'could not find any host',
    'unknown (?:mail )?domain',
    'bad destination system address',
    'account or domain may not exist',
    '(?<![@\\w.-])(?:[a-z0-9-]+\\.)+[a-z]{2,} does not exist',
  ),
  // DNS answered "try again" (RFC 1035 SERVFAIL and kin): the domain may well exist.
  dnstemporary: words(
    'host not found, try again',
    'malformed or unexpected name server reply',
    'temporary failure in name resolution',
    '\\bservfail\\b',
    'name server (?:failure|timeout)',
  ),
  notaccept: words(
    'null mx',
    'does not accept (?:e-?)?mail',
    'not accepting (?:e-?)?mail',
    'accepts no mail',
    'no mx (?:record )?found',
    '\\bno mx\\b',
    'mail exchanger',
    'indicated no smtp service',
    'no smtp service',
    'not accepting network messages',
  ),
  spamdetected: words(
    '\\bspam\\b',
    '\\bube\\b',
    'junk (?:e-?)?mail',
    'unsolicited',
    'bulk (?:e-?)?mail',
    'spam-like',
    'message content rejected',
    'classified as spam',
  ),
  virusdetected: words('virus', 'malware', '\\binfected\\b', 'trojan'),
  policyviolation: words(
    'polic(?:y|ies)',
    'prohibited (?:attachment|file|content)',
    'attachment (?:type )?(?:is )?(?:not allowed|blocked|prohibited)',
    'header error',
    'protocol violation',
  ),
  speeding: words(
    'rate limit',
    'too fast',
    'sending rate',
    'throttl',
    'exceeded (?:the )?(?:\\w+ )?rate',
    'too many (?:messages|emails|mails)',
    'sending limit',
    'receiving mail at a rate',
  ),
  toomanyconn: words(
    'too many (?:connections|concurrent|simultaneous|sessions|recipients)',
    'connection rate',
    '(?:ip|connection) frequency limit',
    'connection limit',
    'maximum (?:number of )?(?:connections|concurrent)',
    'too many hosts',
  ),
  // The sending host or its IP address is refused, whatever the message.
  blockedHost: words(
    'client host .{0,80}(?:rejected|refused|blocked)',
    '\\bip (?:address )?.{0,40}(?:blocked|bloqu[ée]e?|banned|black ?listed|block ?listed)',
    '(?:blocked|banned|black ?listed) (?:sending )?ip',
    'blocked using',
    'listed (?:at|in|on|by) ',
    '\\b(?:dnsbl|rbl)\\b',
    'spamhaus',
    'spamcop',
  ),
  blocked: words(
    'blocked',
    'block ?list',
    'black ?list',
    '\\bdnsbl\\b',
    '\\brbl\\b',
    'listed (?:at|in|on|by)',
    'spamhaus',
    'spamcop',
    'banned',
    'client host .{1,80} (?:rejected|refused|blocked)',
    'your ip',
    'ip address .{0,40}(?:rejected|blocked|denied)',
    'dynamic ip',
    'dial-?up',
    'residential',
    'use the smtp server of your isp',
    'refused to talk to me',
    'not allowed to send',
    'connection (?:rejected|refused) (?:from|by policy)',
  ),
  securityerror: words(
    'security',
    'not authorized',
    'unauthorized',
    'authentication required',
    'smtp authentication',
    'unauthenticated senders?',
    'encryption required',
    'tls required',
    'starttls',
    'certificate',
  ),
  systemerror: words(
    'system error',
    'internal (?:server )?error',
    'queue file write error',
    'local configuration error',
    'configuration error',
    'temporary (?:local )?problem',
    'service (?:is )?(?:currently |temporarily )?unavailable',
    'unable to contact ldap',
    'directory server',
    'server (?:is )?busy',
    'loop (?:alert|detected)',
    'duplicated message-id',
    'mail loop',
    'too many hops',
    'resources temporarily unavailable',
  ),
  systemfull: words('mail system full', 'system (?:disk|storage) (?:is )?full', 'insufficient system'),
  networkerror: words(
    'network error',
    'connection (?:timed out|refused|reset|closed|lost)',
    'timed out',
    'no route to host',
    'hop count exceeded',
    'routing loop',
    'unable to connect',
    'could not connect',
    "wasn't able to establish an smtp connection",
    'lost connection',
    'network is unreachable',
  ),
  expired: words(
    'retry timeout exceeded',
    'envelope expired',
    'delivery time expired',
    'message expired',
    '\\bexpired\\b',
    'could not deliver for the last',
    'in the queue too long',
    'queue too long',
    'failing for a long time',
    'gave up',
    'giving up',
    'time limit exceeded',
    'could not be delivered within',
    'retry time',
  ),
  mailererror: words(
    'command output',
    'mailer error',
    'pipe to \\|',
    '\\bprocmail\\b',
    'command died',
    'exit (?:status|code)',
    'mail (?:delivery )?program',
    'child status',
  ),
  syntaxerror: words(
    'syntax error',
    'command unrecognized',
    'unrecognized command',
    'malformed (?:address|recipient)',
    'bad syntax',
    'invalid command',
    'command not (?:recognized|implemented)',
  ),
} as const;

// ---------------------------------------------------------------------------------------------------
// Status codes (RFC 3463 §3, with the later registry entries of RFC 5248, 7372, 7505).

const STATUS_REASON: Readonly<Record<string, BounceReason>> = {
  '1.1': 'userunknown', // bad destination mailbox address
  '1.2': 'hostunknown', // bad destination system address
  '1.3': 'userunknown', // bad destination mailbox address syntax
  '1.4': 'filtered', // destination mailbox address ambiguous
  '1.6': 'hasmoved', // destination mailbox has moved, no forwarding address
  '1.7': 'rejected', // bad sender's mailbox address syntax
  '1.8': 'rejected', // bad sender's system address
  '1.9': 'systemerror', // message relayed to non-compliant mailer
  '1.10': 'notaccept', // recipient address has null MX (RFC 7505 §4.2)
  '2.0': 'filtered', // other or undefined mailbox status: the mailbox exists
  '2.1': 'filtered', // mailbox disabled, not accepting messages
  '2.2': 'mailboxfull',
  '2.3': 'exceedlimit', // message length exceeds administrative limit
  '2.4': 'filtered', // mailing list expansion problem
  '3.0': 'systemerror',
  '3.1': 'systemfull',
  '3.2': 'notaccept', // system not accepting network messages
  '3.3': 'systemerror',
  '3.4': 'mesgtoobig',
  '3.5': 'systemerror',
  '4.0': 'networkerror',
  '4.1': 'expired', // no answer from host
  '4.2': 'networkerror', // bad connection
  '4.3': 'systemerror', // directory server failure
  '4.4': 'hostunknown', // unable to route
  '4.5': 'systemfull', // mail system congestion
  '4.6': 'networkerror', // routing loop detected
  '4.7': 'expired', // delivery time expired
  '5.2': 'syntaxerror',
  '5.3': 'toomanyconn', // too many recipients
  '5.4': 'systemerror',
  '5.5': 'systemerror',
  '5.6': 'syntaxerror',
  '6.0': 'contenterror',
  '6.1': 'contenterror',
  '6.2': 'contenterror',
  '6.3': 'contenterror',
  '6.5': 'contenterror',
  '6.6': 'contenterror',
  '6.7': 'contenterror',
  '6.8': 'contenterror',
  '6.9': 'contenterror',
  '7.0': 'securityerror',
  '7.1': 'securityerror',
  '7.2': 'securityerror',
  '7.3': 'securityerror',
  '7.4': 'securityerror',
  '7.5': 'securityerror',
  '7.6': 'securityerror',
  '7.7': 'securityerror',
  '7.8': 'securityerror',
  '7.9': 'securityerror',
  '7.10': 'securityerror',
  '7.11': 'securityerror',
  '7.13': 'suspend', // user account disabled (RFC 5248)
  '7.14': 'securityerror',
  '7.15': 'securityerror',
  '7.16': 'mesgtoobig',
  '7.17': 'hasmoved', // mailbox owner has changed (RFC 7293)
  '7.18': 'hasmoved', // domain owner has changed (RFC 7293)
  '7.20': 'authfailure', // RFC 7372: DKIM, SPF and "multiple authentication checks"
  '7.21': 'authfailure',
  '7.22': 'authfailure',
  '7.23': 'authfailure',
  '7.24': 'authfailure',
  '7.25': 'requireptr', // reverse DNS validation failed (RFC 7372)
  '7.26': 'authfailure',
  '7.27': 'rejected', // sender address has null MX (RFC 7505): the sender's problem
  '7.28': 'spamdetected', // mail flood (RFC 8689 registry)
  '7.29': 'authfailure', // ARC validation failure
};

// Temporary variants that mean something else than their permanent twin.
const TEMPORARY_STATUS_REASON: Readonly<Record<string, BounceReason | ''>> = {
  '2.0': '',
  '2.1': 'blocked',
  '7.1': 'blocked',
  '7.2': 'blocked',
  '4.4': 'networkerror',
};

/** The reason the status code alone points to, '' for X.0.0 and unknown codes. */
export function statusReason(status: string): BounceReason | '' {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(status);
  if (!m) return '';
  if (m[1] === '2') return 'delivered';
  const key = `${Number(m[2])}.${Number(m[3])}`;
  const temporary = TEMPORARY_STATUS_REASON[key];
  if (m[1] === '4' && temporary !== undefined) return temporary;
  // Microsoft's 5.7.5xx/5.7.6xx are its own access-denied family (tenant, IP and domain blocks).
  if (/^7\.[56]\d\d$/.test(key)) return 'blocked';
  return STATUS_REASON[key] ?? '';
}

function isTransient(status: string, replyCode: string, diagnostic: string, action: string): boolean {
  // RFC 3463 §3.2 calls X.1.1, X.1.2, X.1.6 and X.1.10 "only useful for permanent failures": a server
  // that sends them as 4.x.x (Postfix's soft-reject of unknown users) still says the address is bad,
  // and once the reporting MTA has given up (RFC 3464 §2.3.3 Action: failed) nothing is pending.
  if (action === 'failed' && /^4\.1\.(?:1|2|6|10)$/.test(status)) return false;
  if (status) return status.startsWith('4');
  if (replyCode) return replyCode.startsWith('4');
  return (
    /\btemporar(?:y|ily)\b.{0,40}\b(?:failure|error|problem)\b/i.test(diagnostic) &&
    !/permanent/i.test(diagnostic)
  );
}

export function isHard(
  reason: BounceReason,
  status: string,
  replyCode = '',
  diagnostic = '',
  action = '',
): boolean {
  return HARD_REASONS.has(reason) && !isTransient(status, replyCode, diagnostic, action);
}

// ---------------------------------------------------------------------------------------------------

export function classify(input: ClassifyInput): Classification {
  const reason = classifyReason(input);
  return {
    reason,
    hard: isHard(reason, input.status, input.replyCode ?? '', input.diagnostic ?? '', input.action ?? ''),
  };
}

function classifyReason(input: ClassifyInput): BounceReason {
  const status = input.status;
  const reply = input.replyCode ?? '';
  // Multi-line replies repeat their codes on every line (RFC 5321 §4.2.1: "550-5.7.1 …"); without them
  // the words read as one sentence again.
  const text = (input.diagnostic ?? '')
    .replace(/(?<![\w.])[245]\d\d[ -](?:#?[245]\.\d{1,3}\.\d{1,3}\b)?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const stage = input.stage ?? '';
  const type = (input.diagnosticType ?? '').toUpperCase();
  const has = (key: keyof typeof TEXT) => TEXT[key].test(text);
  const byStatus = statusReason(status);

  if (byStatus === 'delivered' || (!status && reply.startsWith('2'))) return 'delivered';

  // Pass 1: the stage. RFC 5321 §3.3: MAIL FROM names the sender; a refusal there, or of the
  // connection or greeting, concerns the sending system, not the recipient's mailbox.
  if (stage === 'CONN' || stage === 'HELO') {
    for (const key of ['requireptr', 'authfailure', 'badreputation', 'toomanyconn', 'speeding'] as const) {
      if (has(key)) return key;
    }
    return 'blocked';
  }
  if (stage === 'MAIL') {
    const keys = [
      'requireptr',
      'authfailure',
      'securityerror',
      'badreputation',
      'toomanyconn',
      'speeding',
    ] as const;
    for (const key of keys) if (has(key)) return key;
    if (has('blockedHost') || has('blocked')) return 'blocked';
    if (byStatus === 'mesgtoobig' || has('mesgtoobig')) return 'mesgtoobig';
    return 'rejected';
  }

  // A local delivery agent (RFC 3464 §2.3.6 type X-UNIX: procmail, a pipe) failed: the mailer, not
  // the address, is what went wrong.
  if (type === 'X-UNIX' || has('mailererror')) {
    if (has('mailboxfull') || byStatus === 'mailboxfull') return 'mailboxfull';
    return 'mailererror';
  }

  // Pass 2: a specific status code or unambiguous wording, most specific first.
  if (byStatus === 'mailboxfull' || has('mailboxfull')) return 'mailboxfull';
  if (byStatus === 'mesgtoobig' || has('mesgtoobig')) return 'mesgtoobig';
  if (byStatus === 'exceedlimit' || has('exceedlimit')) return 'exceedlimit';
  if (byStatus === 'suspend' || has('suspend')) return 'suspend';
  if (byStatus === 'hasmoved' || has('hasmoved')) return 'hasmoved';
  if (has('norelaying')) return 'norelaying';
  if (has('notcompliantrfc')) return 'notcompliantrfc';
  if (byStatus === 'authfailure' || has('authfailure')) return 'authfailure';
  if (byStatus === 'requireptr' || has('requireptr')) return 'requireptr';
  if (has('toomanyconn')) return 'toomanyconn';
  if (has('speeding')) return 'speeding';
  if (has('rejected')) return 'rejected';
  if (has('dnstemporary')) return 'networkerror';
  if (has('hostunknown') && !has('userunknownDirectory')) return 'hostunknown';

  const directory = has('userunknownDirectory');
  const userWords = directory || has('userunknown');
  if (stage === 'DATA') {
    // After DATA the server has read the message: "user unknown" there is a content filter.
    if (userWords || has('filtered')) return 'filtered';
  } else {
    if (byStatus === 'userunknown' && !has('blockedHost') && !has('blocked') && !has('notaccept')) {
      return 'userunknown';
    }
    // X.1.0 (other address status) is the address's fault only when the words say which part.
    if (directory || (userWords && (stage === 'RCPT' || /^5\.1\.0$/.test(status)))) return 'userunknown';
    if (userWords && byStatus !== 'hostunknown') return 'filtered';
  }
  if (byStatus === 'filtered' && has('filtered')) return 'filtered';
  if (has('badreputation')) return 'badreputation';
  if (has('contenterror')) return 'contenterror';
  if (byStatus === 'rejected') return 'rejected';
  if (has('notaccept') || byStatus === 'notaccept') return 'notaccept';
  if (byStatus === 'hostunknown' && !has('networkerror') && !has('expired')) return 'hostunknown';
  if (has('virusdetected')) return 'virusdetected';
  if (has('blockedHost')) return 'blocked';
  if (has('spamdetected') || byStatus === 'spamdetected') return 'spamdetected';
  if (byStatus === 'toomanyconn') return 'toomanyconn';
  if (has('blocked')) return 'blocked';
  if (has('filtered')) return 'filtered';

  // Pass 3: what only words can tell, then the status code, then the reply code.
  if (has('policyviolation')) return 'policyviolation';
  if (has('systemfull') || byStatus === 'systemfull') return 'systemfull';
  // The reporting MTA gave up on its own clock: whatever the last attempt met, the message expired.
  if (input.action === 'expired') return 'expired';
  if (byStatus) return byStatus;
  if (has('networkerror')) return 'networkerror';
  if (has('systemerror')) return 'systemerror';
  if (has('expired')) return 'expired';
  if (has('securityerror')) return 'securityerror';
  if (has('syntaxerror')) return 'syntaxerror';
  if (/^[45]\.7\./.test(status)) return 'securityerror';
  if (/^[45]\.6\./.test(status)) return 'contenterror';
  const byReply = replyReason(reply);
  if (byReply) return byReply;
  if (input.action === 'delayed') return 'expired';
  return text && !input.diagnosticIsSummary ? 'onhold' : 'undefined';
}

/** RFC 5321 §4.2.3 reply codes that name a cause on their own. */
function replyReason(reply: string): BounceReason | '' {
  switch (reply) {
    case '421':
      return 'blocked'; // service not available, closing transmission channel
    case '450':
    case '451':
      return 'systemerror';
    case '452':
      return 'mailboxfull'; // insufficient system storage
    case '500':
    case '501':
    case '502':
    case '503':
    case '504':
      return 'syntaxerror';
    case '552':
      return 'mailboxfull'; // exceeded storage allocation
    case '556':
      return 'notaccept'; // domain does not accept mail (RFC 7504)
    default:
      return '';
  }
}
