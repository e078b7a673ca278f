// The labelled corpus of replies to payment reminders (test/corpus/replies/*.jsonl) and the helper
// that turns an entry into the RFC 5322 message a customer's mail client would have sent.
//
// Entries whose number is odd (fr-001, fr-003 …) are the held-out half: the rules were written
// without looking at how they fare on it, and the corpus test reports both halves apart.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { INTENTS, LANGUAGES } from '../../src/inbound/analysis.ts';

const plainDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const corpusEntrySchema = z.object({
  id: z.string().regex(/^[a-z]{2}-\d{3}$/),
  language: z.enum(LANGUAGES),
  intent: z.enum(INTENTS),
  asOf: plainDate,
  promisedDate: plainDate.optional(),
  returnDate: plainDate.optional(),
  subject: z.string(),
  /** Extra headers the customer's system set (Auto-Submitted, Precedence …). */
  headers: z.record(z.string(), z.string()).optional(),
  text: z.string(),
});

export type CorpusEntry = z.infer<typeof corpusEntrySchema>;

const here = dirname(fileURLToPath(import.meta.url));

export function loadCorpus(directory = join(here, 'replies')): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const file of readdirSync(directory)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    readFileSync(join(directory, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line.trim()) return;
        const parsed = corpusEntrySchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
        entries.push(parsed.data);
      });
  }
  return entries;
}

/** The held-out half: odd entry numbers. */
export function isHeldOut(entry: CorpusEntry): boolean {
  return Number(entry.id.slice(3)) % 2 === 1;
}

const SENDERS: Record<string, { name: string; address: string }> = {
  fr: { name: 'Claire Dubois', address: 'c.dubois@client-exemple.fr' },
  en: { name: 'Oliver Grant', address: 'o.grant@customer-example.co.uk' },
  de: { name: 'Petra Lehmann', address: 'p.lehmann@kunde-beispiel.de' },
  es: { name: 'Lucía Navarro', address: 'l.navarro@cliente-ejemplo.es' },
  it: { name: 'Marco Bellini', address: 'm.bellini@cliente-esempio.it' },
  nl: { name: 'Sanne de Wit', address: 's.dewit@klant-voorbeeld.nl' },
};

export type Body = 'plain' | 'html' | 'latin1';

/** Varies the body encoding over the corpus so that mailparser's paths are all exercised. */
export function bodyFor(entry: CorpusEntry): Body {
  const n = Number(entry.id.slice(3));
  if (n % 5 === 0) return 'html';
  const codes = [...entry.text].map((c) => c.codePointAt(0) ?? 0);
  if (n % 7 === 3 && codes.every((c) => c <= 0xff) && codes.some((c) => c > 0x7f)) return 'latin1';
  return 'plain';
}

function encodeWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function wrap64(buffer: Buffer): string {
  return (buffer.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reply text as a mail client's HTML: paragraphs, and the ">" quote as a blockquote. */
function toHtml(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote type="cite">${quote.map(escapeHtml).join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    if (line.startsWith('>')) quote.push(line.replace(/^>\s?/, ''));
    else {
      flush();
      out.push(line.trim() ? `<div>${escapeHtml(line)}</div>` : '<div><br></div>');
    }
  }
  flush();
  return `<html><head><meta charset="utf-8"></head><body>${out.join('\n')}</body></html>`;
}

/** An RFC 5322 message for `entry`, as sent the morning of its `asOf` day. */
export function toEml(entry: CorpusEntry, body: Body = bodyFor(entry)): string {
  const sender = SENDERS[entry.language] ?? SENDERS.en!;
  const id = entry.id.replace('-', '');
  const headers = [
    `From: ${encodeWord(sender.name)} <${sender.address}>`,
    'To: Relances <relances@ardent.example>',
    `Subject: ${encodeWord(entry.subject)}`,
    `Date: ${new Date(`${entry.asOf}T08:17:00Z`).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}.reply@${sender.address.split('@')[1]}>`,
    `In-Reply-To: <reminder-${id}@ardent.example>`,
    `References: <reminder-${id}@ardent.example>`,
    'MIME-Version: 1.0',
    ...Object.entries(entry.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  if (body === 'html') {
    headers.push('Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64');
    return `${headers.join('\r\n')}\r\n\r\n${wrap64(Buffer.from(toHtml(entry.text), 'utf8'))}\r\n`;
  }
  if (body === 'latin1') {
    headers.push('Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: base64');
    return `${headers.join('\r\n')}\r\n\r\n${wrap64(Buffer.from(entry.text.replace(/\n/g, '\r\n'), 'latin1'))}\r\n`;
  }
  headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64');
  return `${headers.join('\r\n')}\r\n\r\n${wrap64(Buffer.from(entry.text.replace(/\n/g, '\r\n'), 'utf8'))}\r\n`;
}
