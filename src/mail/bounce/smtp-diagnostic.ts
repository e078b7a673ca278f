// Reads the machine-meaningful bits out of a free-text SMTP diagnostic: the enhanced status code
// (RFC 3463), the reply code (RFC 5321 §4.2) and the SMTP command the remote server was answering
// when it refused. Every mail system words these differently; the patterns below are per family of
// wording, not per message.

/** The SMTP stage at which the remote server refused, when the bounce says so. */
export type SmtpStage = 'CONN' | 'HELO' | 'MAIL' | 'RCPT' | 'DATA' | '';

// `5.1.1`, `#5.1.1` (qmail), `5.7.509` (Microsoft). Not part of an IP address or a version number.
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
// A reply code followed by a space, `-` (RFC 5321 §4.2.1 continuation) or end of text.
const REPLY_WITH_ENHANCED = /(?<![\d.])([45]\d\d)[ -]+['"]?#?([45]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)/;
const REPLY = /(?:^|[\s:;[('"=<>])([45]\d\d)(?=[ -]|$|[\]\s,.:;)'"])(?![-.]\d)/m;

/** All enhanced status codes in the text, in order. */
export function findEnhancedStatuses(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(ENHANCED)) found.push(`${m[1]}.${Number(m[2])}.${Number(m[3])}`);
  return found;
}

/**
 * The enhanced status code the diagnostic reports: the one that follows a reply code when there is
 * one (`550 5.1.1`, `550-5.7.26`), else the first one in the text. '' when none.
 */
export function findEnhancedStatus(text: string): string {
  const paired = REPLY_WITH_ENHANCED.exec(text);
  if (paired) return normaliseStatus(paired[2]!);
  for (const status of findEnhancedStatuses(text)) {
    if (status.startsWith('4') || status.startsWith('5')) return status;
  }
  return '';
}

function normaliseStatus(status: string): string {
  return status
    .split('.')
    .map((n) => String(Number(n)))
    .join('.');
}

/** The first 4xx/5xx reply code in the text, '' when none. */
export function findReplyCode(text: string): string {
  const paired = REPLY_WITH_ENHANCED.exec(text);
  if (paired && (paired[1]!.startsWith('4') || paired[1]!.startsWith('5'))) return paired[1]!;
  return REPLY.exec(text)?.[1] ?? '';
}

const STAGE_PATTERNS: ReadonlyArray<readonly [RegExp, SmtpStage]> = [
  // Postfix: "(in reply to RCPT TO command)".
  [/in reply to (?:the )?(?:RCPT TO|RCPT)\b/i, 'RCPT'],
  [/in reply to (?:the )?(?:MAIL FROM|MAIL)\b/i, 'MAIL'],
  [/in reply to (?:the )?(?:end of DATA|DATA|BDAT)\b/i, 'DATA'],
  [/in reply to (?:the )?(?:HELO|EHLO|STARTTLS|AUTH)\b/i, 'HELO'],
  // Exim and Exim-derived (mail.ru, GMX): "SMTP error from remote mail server after RCPT TO:<…>".
  [/\bafter (?:pipelined )?RCPT(?: TO)?\b/i, 'RCPT'],
  [/\bafter (?:pipelined )?MAIL(?: FROM)?\b/i, 'MAIL'],
  [/\bafter (?:pipelined )?(?:end of data|DATA|BDAT)\b/i, 'DATA'],
  [/\bafter (?:initial connection|connection|greeting)\b/i, 'CONN'],
  [/\bafter (?:EHLO|HELO|STARTTLS|AUTH)\b/i, 'HELO'],
  // DragonFly: "did not like our RCPT TO:" / "did not like our final DATA:".
  [/did not like our RCPT/i, 'RCPT'],
  [/did not like our MAIL/i, 'MAIL'],
  [/did not like our (?:final )?DATA/i, 'DATA'],
  // qmail: the sentence names the stage.
  [/does not like recipient|most progress was RCPT TO/i, 'RCPT'],
  [/sender was rejected/i, 'MAIL'],
  [/my name was rejected/i, 'HELO'],
  [/failed after I sent the message|failed on DATA command|most progress was DATA/i, 'DATA'],
  [/greeting failed|refused to talk to me/i, 'CONN'],
  // Yahoo: "… User Unknown [RCPT_TO]".
  [/\[RCPT_TO\]/, 'RCPT'],
  [/\[MAIL_FROM\]/, 'MAIL'],
  [/\[(?:BODY|DATA)\]/, 'DATA'],
  // Others: "(Error following RCPT command)", "refused to accept your message (DATA)".
  [/following RCPT command|\bRCPT command\b|RCPT TO response|rejected recipient/i, 'RCPT'],
  [/following MAIL command|\bMAIL FROM command\b/i, 'MAIL'],
  [/\(DATA\)|following DATA command|end of data\b/i, 'DATA'],
];

/**
 * The stage the diagnostic names. Sendmail transcripts (`>>> RCPT To:<…>` then `<<< 550 …`) name it
 * by the command sent just before the first error reply.
 */
export function findStage(text: string): SmtpStage {
  let command = '';
  for (const m of text.matchAll(/(?:^|\s)(>>>|<<<)\s*(\S+)/g)) {
    if (m[1] === '>>>') {
      command = m[2]!.toUpperCase();
    } else if (/^[45]\d\d/.test(m[2]!)) {
      if (command.startsWith('RCPT')) return 'RCPT';
      if (command.startsWith('MAIL')) return 'MAIL';
      if (command === 'DATA' || command === '.') return 'DATA';
      if (command === 'EHLO' || command === 'HELO') return 'HELO';
      break;
    }
  }
  for (const [pattern, stage] of STAGE_PATTERNS) if (pattern.test(text)) return stage;
  return '';
}
