// Without an SMTP server, messages are delivered as .eml files in ARDENT_HOME/outbox/, so that the
// embedded default needs no mail server and every message can be read. File names are decided by
// the message alone: delivering again after a crash rewrites the same file, never a second one.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type PlainDate, plainDateAt } from '../calendar/plain-date.ts';
import { instantAt } from '../calendar/send-window.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { textToHtml } from '../messages/render.ts';
import type { Store } from '../store/store.ts';
import { buildMime } from './mime.ts';

export interface Delivery {
  delivered: string[];
  cancelled: { id: string; reason: string }[];
}

const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 40);

export function senderAddress(org: Organisation): { name: string; address: string } {
  return { name: org.sender_name ?? org.name, address: org.sender_email ?? `relances@${org.slug}.invalid` };
}

export async function deliverToDirectory(
  store: Store,
  org: Organisation,
  home: string,
  upTo: PlainDate,
): Promise<Delivery> {
  const outbox = join(home, 'outbox');
  const print = join(home, 'print');
  await mkdir(outbox, { recursive: true });
  const result: Delivery = { delivered: [], cancelled: [] };
  const due = await sql<{
    id: string;
    day: string;
    channel: string;
    to_address: string | null;
    to_name: string | null;
    subject: string;
    text_body: string;
    language: string;
    ref: string;
    customer_id: string;
    live: number;
  }>`
    select m.id, m.customer_id, m.day, m.channel, m.to_address, m.to_name, m.subject, m.text_body, m.language, c.ref,
           (select count(*) from message_invoices mi join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
             where mi.org_id = m.org_id and mi.message_id = m.id and i.outstanding > 0
               and i.status not in ('paid', 'disputed', 'cancelled', 'written_off')) as live
      from messages m join customers c on c.id = m.customer_id and c.org_id = m.org_id
     where m.org_id = ${org.id}::uuid and m.status = 'queued' and m.day <= ${upTo}::date
     order by m.day, c.ref`.execute(store.db);
  const today = plainDateAt(new Date(), org.timezone);
  const domain = (org.sender_email ?? 'ardent.invalid').split('@')[1] ?? 'ardent.invalid';
  for (const m of due.rows) {
    // Checked just before sending: a reminder whose invoices were all settled meanwhile is not sent.
    if (Number(m.live) === 0) {
      const reason = 'every invoice in it was paid, disputed or cancelled before it left';
      await sql`update messages set status = 'cancelled', last_error = ${reason} where org_id = ${org.id}::uuid and id = ${m.id}::uuid and status = 'queued'`.execute(
        store.db,
      );
      result.cancelled.push({ id: m.id, reason });
      continue;
    }
    const messageId = `<${m.id}@${domain}>`;
    const name = `${m.day}_${safe(m.ref)}_${m.id.slice(0, 8)}`;
    if (m.channel === 'letter') {
      await mkdir(print, { recursive: true });
      await writeAtomically(join(print, `${name}.txt`), `${m.subject}\n\n${m.text_body}`);
    } else {
      const bytes = await buildMime({
        from: senderAddress(org),
        to: { name: m.to_name, address: m.to_address ?? '' },
        subject: m.subject,
        text: m.text_body,
        html: textToHtml(m.text_body, m.language, m.subject),
        messageId,
        date: m.day === today ? new Date() : instantAt(m.day, '09:00', org.timezone),
      });
      await writeAtomically(join(outbox, `${name}.eml`), bytes);
    }
    await sql`
      update messages set status = 'sent', sent_at = now(), message_id_header = ${messageId}, provider_message_id = ${`file:${name}`}
       where org_id = ${org.id}::uuid and id = ${m.id}::uuid`.execute(store.db);
    await store.db
      .insertInto('events')
      .values({
        org_id: org.id,
        customer_id: m.customer_id,
        kind: 'message.sent',
        actor: 'agent',
        day: m.day,
        summary: `Sent "${m.subject}" to ${m.to_address}`,
        data: JSON.stringify({ messageId: m.id, file: name }),
      })
      .execute();
    result.delivered.push(m.id);
  }
  return result;
}

async function writeAtomically(path: string, content: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}
