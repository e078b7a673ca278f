// One outgoing message as RFC 5322 bytes: multipart text and HTML (RFC 2046 §5.1.4), attachments,
// our Message-ID kept, threading headers. Assembled here from nodemailer's encoders (RFC 2047 words,
// RFC 2231 parameters, quoted-printable, folding) rather than by its MailComposer: the composer's
// streams cost about 0.4 ms of CPU a message, nearly as much as sending its bytes (see the third row
// of bench/mail-send.bench.ts), and every reminder goes through this.
import { createHash } from 'node:crypto';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import { toASCII } from 'nodemailer/lib/punycode';
import * as qp from 'nodemailer/lib/qp';

export interface MailAddress {
  name: string | null;
  address: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer | Uint8Array;
}

export interface OutgoingMail {
  from: { name: string; address: string };
  to: MailAddress;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  /** The Message-ID this one answers or follows (RFC 5322 §3.6.4). */
  inReplyTo?: string | undefined;
  /** The thread's Message-IDs, oldest first. */
  references?: readonly string[] | undefined;
  attachments?: readonly MailAttachment[] | undefined;
  headers?: Record<string, string> | undefined;
}

const CRLF = '\r\n';

/** `"Name" <address>`, the name as an RFC 2047 encoded word when it is not plain ASCII. */
export function formatAddress(mail: MailAddress): string {
  const address = asciiAddress(mail.address);
  const name = mail.name?.trim();
  if (!name) return address;
  const phrase = mimeFuncs.isPlainText(name)
    ? /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name)
      ? name
      : mimeFuncs.quoteString(name)
    : mimeFuncs.encodeWords(name, 'Q', 52);
  return `${phrase} <${address}>`;
}

function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  // Internationalised domains travel as A-labels (RFC 5891); a non-ASCII local part needs SMTPUTF8.
  return /[^\p{ASCII}]/u.test(domain) ? `${address.slice(0, at)}@${toASCII(domain)}` : address;
}

/** RFC 5322 §3.3 date-time, in UTC. */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function header(name: string, value: string): string {
  const line = `${name}: ${value}`;
  // A short line of one piece, most headers, is as it is (foldLines would return it unchanged).
  if (line.length < 76 && !line.includes('\n')) return line.trimEnd() + CRLF;
  // RFC 5322 §2.1.1: lines of at most 78 characters where possible, folded at white space.
  return mimeFuncs.foldLines(line, 76).replace(/\r?\n/g, CRLF).trimEnd() + CRLF;
}

function unstructured(value: string): string {
  return mimeFuncs.isPlainText(value) ? value : mimeFuncs.encodeWords(value, 'Q', 52);
}

function qpBody(text: string): string {
  return qp.wrap(qp.encode(text.replace(/\r?\n/g, CRLF)), 76);
}

function base64Body(content: Buffer | Uint8Array): string {
  const b64 = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64');
  const lines: string[] = [];
  // RFC 2045 §6.8: encoded lines of at most 76 characters.
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF);
}

function textPart(type: 'plain' | 'html', body: string): string {
  return `Content-Type: text/${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}${qpBody(body)}`;
}

function attachmentPart(a: MailAttachment): string {
  const disposition = mimeFuncs.buildHeaderValue({ value: 'attachment', params: { filename: a.filename } });
  const type = mimeFuncs.buildHeaderValue({ value: a.contentType, params: { name: a.filename } });
  return `${header('Content-Type', type)}Content-Transfer-Encoding: base64${CRLF}${header('Content-Disposition', disposition)}${CRLF}${base64Body(a.content)}`;
}

function multipart(subtype: string, boundary: string, parts: string[]): string {
  return `Content-Type: multipart/${subtype};${CRLF} boundary="${boundary}"${CRLF}${CRLF}${parts
    .map((p) => `--${boundary}${CRLF}${p}${CRLF}`)
    .join('')}--${boundary}--${CRLF}`;
}

/** The message's bytes. Deterministic: the same mail gives the same bytes (boundaries come from the Message-ID). */
export function buildMime(mail: OutgoingMail): Buffer {
  const seed = createHash('sha1').update(mail.messageId).digest('hex').slice(0, 20);
  let head =
    header('From', formatAddress(mail.from)) +
    header('To', formatAddress(mail.to)) +
    (mail.replyTo ? header('Reply-To', asciiAddress(mail.replyTo)) : '') +
    header('Subject', unstructured(mail.subject)) +
    header('Date', formatDate(mail.date)) +
    header('Message-ID', mail.messageId) +
    (mail.inReplyTo ? header('In-Reply-To', mail.inReplyTo) : '') +
    (mail.references?.length ? header('References', mail.references.join(' ')) : '') +
    // RFC 3834 §5: a message sent by a program, so that auto-responders do not answer it.
    header('Auto-Submitted', 'auto-generated');
  for (const [name, value] of Object.entries(mail.headers ?? {})) head += header(name, unstructured(value));
  head += `MIME-Version: 1.0${CRLF}`;
  const alternative = multipart('alternative', `=_alt_${seed}`, [
    textPart('plain', mail.text),
    textPart('html', mail.html),
  ]);
  const body = mail.attachments?.length
    ? multipart('mixed', `=_mix_${seed}`, [alternative, ...mail.attachments.map(attachmentPart)])
    : alternative;
  return Buffer.from(head + body, 'utf8');
}
