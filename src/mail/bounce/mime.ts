// A small, forgiving MIME reader for delivery-status notifications. Bounces are written by every kind
// of mail software, often carelessly (unfolded continuation lines, raw 8-bit headers, `multipart/x-…`
// subtypes), and the part that matters most, `message/delivery-status`, is one that general-purpose
// parsers tend to hide. Everything here works on "binary" strings (one char per byte, latin1) so that
// byte offsets survive until a part is decoded with its own charset.

import { TextDecoder } from 'node:util';

export interface Header {
  /** Lower-cased field name. */
  readonly name: string;
  /** Unfolded raw value (binary string, encoded words not decoded). */
  readonly value: string;
}

export interface MimePart {
  readonly headers: readonly Header[];
  /** Lower-cased `type/subtype`; `text/plain` when absent (RFC 2045 §5.2). */
  readonly contentType: string;
  readonly params: Readonly<Record<string, string>>;
  /** Undecoded body (binary string). */
  readonly rawBody: string;
  /** Child parts of a multipart; empty otherwise. */
  readonly children: readonly MimePart[];
  /** True when this part sits inside a returned `message/rfc822` or `text/rfc822-headers` part. */
  readonly inReturnedMessage: boolean;
}

const MAX_DEPTH = 8;
const MAX_PARTS = 64;

export function toBinaryString(raw: Buffer | string): string {
  const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  return buffer.toString('latin1');
}

/** Splits a message (or a body part) at the first empty line. */
export function splitHeaderBody(text: string): { head: string; body: string } {
  // A part that starts with an empty line has no headers at all (RFC 2046 §5.1.1).
  const empty = /^\r?\n/.exec(text);
  if (empty) return { head: '', body: text.slice(empty[0].length) };
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: '' };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

const FIELD_NAME = /^([!-9;-~]+)[ \t]*:/;

export function parseHeaders(head: string): Header[] {
  const headers: Header[] = [];
  let name = '';
  let value = '';
  const flush = () => {
    if (name) headers.push({ name, value: value.trim() });
    name = '';
    value = '';
  };
  for (const line of head.split(/\r?\n/)) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      if (name) value += ` ${line.trim()}`;
      continue;
    }
    const m = FIELD_NAME.exec(line);
    if (m) {
      flush();
      name = m[1]!.toLowerCase();
      value = line.slice(m[0].length);
    } else if (name) {
      // Some bounce generators forget to indent a continuation line (RFC 5322 §2.2.3 requires it);
      // a line without a field name can only be a continuation.
      value += ` ${line.trim()}`;
    }
  }
  flush();
  return headers;
}

export function headerValue(headers: readonly Header[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

export function headerValues(headers: readonly Header[], name: string): string[] {
  return headers.filter((h) => h.name === name).map((h) => h.value);
}

/** `type/subtype; a=b; c="d"` → lower-cased type and lower-cased parameter names (RFC 2045 §5.1). */
export function parseContentType(value: string | undefined): {
  type: string;
  params: Record<string, string>;
} {
  const params: Record<string, string> = {};
  if (!value) return { type: 'text/plain', params };
  const semicolon = value.indexOf(';');
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (semicolon >= 0) {
    const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
    const rest = value.slice(semicolon);
    let m: RegExpExecArray | null = re.exec(rest);
    while (m) {
      const key = m[1]!.toLowerCase().replace(/\*$/, '');
      params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
      m = re.exec(rest);
    }
  }
  return { type: type.includes('/') ? type : 'text/plain', params };
}

export function parseMessage(binary: string): MimePart {
  return parsePart(binary, 0, false, { count: 0 });
}

function parsePart(text: string, depth: number, inReturned: boolean, budget: { count: number }): MimePart {
  budget.count++;
  const { head, body } = splitHeaderBody(text);
  const headers = parseHeaders(head);
  const { type, params } = parseContentType(headerValue(headers, 'content-type'));
  const children: MimePart[] = [];
  if (type.startsWith('multipart/') && depth < MAX_DEPTH) {
    const boundary = findBoundary(body, params.boundary);
    if (boundary) {
      for (const chunk of splitMultipart(body, boundary)) {
        if (budget.count >= MAX_PARTS) break;
        children.push(parsePart(chunk, depth + 1, inReturned, budget));
      }
    } else {
      // Declared multipart without any delimiter in the body: read the body as one text part.
      children.push(parsePart(`\n${body}`, depth + 1, inReturned, budget));
    }
  } else if (type === 'message/rfc822' || type === 'message/global') {
    // The returned original message: parsed so its headers (To:) can serve as a last resort, but
    // flagged so that nothing inside is mistaken for the notification itself.
    if (depth < MAX_DEPTH && budget.count < MAX_PARTS)
      children.push(parsePart(body, depth + 1, true, budget));
  }
  return { headers, contentType: type, params, rawBody: body, children, inReturnedMessage: inReturned };
}

/**
 * The boundary that actually delimits the body. Bounce generators (and the anonymisers of bounce
 * corpora) sometimes declare one boundary and use another; a `--token` line that recurs is then
 * taken as the delimiter.
 */
function findBoundary(body: string, declared: string | undefined): string | null {
  if (declared && body.includes(`--${declared}`)) return declared;
  const counts = new Map<string, number>();
  for (const m of body.matchAll(/^--([^\s-][^\s]{2,200}?)(--)?\r?$/gm)) {
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    if ((counts.get(m[1]!) ?? 0) >= 2) return m[1]!;
  }
  return null;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const chunks: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split('\n')) {
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (bare.startsWith(delimiter)) {
      const tail = bare.slice(delimiter.length).trimEnd();
      if (tail === '' || tail === '--') {
        if (current) chunks.push(current.join('\n'));
        current = tail === '--' ? null : [];
        if (tail === '--') break;
        continue;
      }
    }
    current?.push(line);
  }
  // A truncated message has no closing delimiter: keep what arrived.
  if (current && current.length > 0) chunks.push(current.join('\n'));
  return chunks;
}

/** Walks the tree depth-first, parents before children. */
export function* walkParts(part: MimePart): Generator<MimePart> {
  yield part;
  for (const child of part.children) yield* walkParts(child);
}

// ---------------------------------------------------------------------------------------------------
// Decoding

export function decodeTransfer(body: string, encoding: string | undefined): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

function decodeQuotedPrintable(body: string): Buffer {
  // RFC 2045 §6.7: `=XX` is a byte, `=` at the end of a line is a soft break.
  const text = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && i + 2 < text.length) {
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

const CHARSET_ALIASES: Record<string, string> = {
  'ks_c_5601-1987': 'euc-kr',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  'iso-2022-jp-ms': 'iso-2022-jp',
  cp932: 'shift_jis',
  'windows-31j': 'shift_jis',
  'x-unknown': 'utf-8',
  unknown: 'utf-8',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

const decoders = new Map<string, TextDecoder | null>();

function decoderFor(charset: string): TextDecoder | null {
  const name = CHARSET_ALIASES[charset] ?? charset;
  let decoder = decoders.get(name);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(name, { fatal: false });
    } catch {
      decoder = null;
    }
    decoders.set(name, decoder);
  }
  return decoder;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false });

/** Bytes → text. Without a declared charset, UTF-8 when valid, else latin1 (never throws). */
export function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  const cs = (charset ?? '').trim().toLowerCase();
  // ISO-2022-JP is 7-bit; many Japanese bounces send it without saying so.
  if (!cs || cs === 'us-ascii' || cs === 'ascii') {
    if (bytes.includes(0x1b)) {
      const jis = decoderFor('iso-2022-jp');
      if (jis) return jis.decode(bytes);
    }
    try {
      return utf8Strict.decode(bytes);
    } catch {
      return bytes.toString('latin1');
    }
  }
  const decoder = decoderFor(cs);
  if (!decoder) return utf8Lenient.decode(bytes);
  return decoder.decode(bytes);
}

/** The decoded text of a leaf part. */
export function partText(part: MimePart): string {
  const bytes = decodeTransfer(part.rawBody, headerValue(part.headers, 'content-transfer-encoding'));
  return decodeBytes(bytes, part.params.charset).replace(/\r\n?/g, '\n');
}

/** A header value with RFC 2047 encoded words decoded and raw 8-bit bytes read as UTF-8 when valid. */
export function decodeHeaderValue(value: string): string {
  const raw =
    /[\x80-\xff]/.test(value) || value.includes('\x1b')
      ? decodeBytes(Buffer.from(value, 'latin1'), undefined)
      : value;
  return raw.replace(
    /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=(?:\s+(?==\?))?/g,
    (_all, charset: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeBytes(bytes, charset.replace(/\*.*$/, ''));
    },
  );
}

/** Crude HTML → text, enough to read a notification sent as HTML only. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6]|table)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n');
}
