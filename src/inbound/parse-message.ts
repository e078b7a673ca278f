// From the raw bytes of an RFC 5322 message to the fields the inbound readers need, with mailparser:
// MIME structure, transfer encodings, charsets (ISO-8859-1, Windows-1252, UTF-8 …) and RFC 2047
// encoded words are its job. The text is the text/plain part when there is one; otherwise the HTML
// converted to text (blockquotes become "> " lines, which strip-quotes.ts understands).

import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';

export interface MailAddress {
  name: string;
  address: string;
}

export interface ParsedMessage {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from?: MailAddress;
  to: MailAddress[];
  subject: string;
  /** The Date header as an ISO 8601 instant, when present and valid. */
  date?: string;
  /** Header names lower-cased; repeated headers joined by a newline; values unfolded, not decoded. */
  headers: Record<string, string>;
  /** The readable body: text/plain, else the HTML as text. Empty when there is none. */
  text: string;
  /** The top-level MIME type, lower-cased ("text/plain", "multipart/report"). */
  contentType: string;
}

function flatten(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!value) return [];
  const out: MailAddress[] = [];
  const walk = (entries: EmailAddress[]) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address) out.push({ name: entry.name ?? '', address: entry.address.toLowerCase() });
    }
  };
  for (const object of Array.isArray(value) ? value : [value]) walk(object.value);
  return out;
}

function referencesOf(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : value.split(/\s+/);
  return list.map((r) => r.trim()).filter(Boolean);
}

export async function parseMessage(raw: Buffer | string): Promise<ParsedMessage> {
  const parsed = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    keepCidLinks: false,
  });
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines ?? []) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    const name = key.toLowerCase();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}\n${value}`;
  }
  const contentType = (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  let text = typeof parsed.text === 'string' ? parsed.text : '';
  if (!text.trim() && typeof parsed.html === 'string') {
    // mailparser leaves text empty for some HTML-only messages; strip the tags ourselves then.
    text = parsed.html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  }
  const from = flatten(parsed.from)[0];
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined;
  const message: ParsedMessage = {
    references: referencesOf(parsed.references),
    to: flatten(parsed.to),
    subject: parsed.subject ?? '',
    headers,
    text: text.replace(/\r\n?/g, '\n'),
    contentType,
  };
  if (parsed.messageId) message.messageId = parsed.messageId;
  if (parsed.inReplyTo) message.inReplyTo = parsed.inReplyTo;
  if (from) message.from = from;
  if (date) message.date = date;
  return message;
}
