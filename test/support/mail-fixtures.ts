// A small ledger with reminders due, for the mail tests: invoices imported from CSV as a user would,
// the daily run deciding, and helpers to run the sender until nothing is left to try.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { runDay } from '../../src/dunning/run.ts';
import { importInvoiceFile } from '../../src/imports/import-invoices.ts';
import { createOrganisation, type Organisation } from '../../src/ledger/organisations.ts';
import { type DeliverOptions, type DeliveryReport, deliverDue } from '../../src/mail/sender.ts';
import type { Store } from '../../src/store/store.ts';

export const HEADER =
  'number,customer_ref,customer_name,customer_country,contact_name,contact_email,contact_language,issue_date,due_date,total,customer_address,customer_postal_code,customer_city';

export async function mailOrg(store: Store, extra: { country?: string } = {}): Promise<Organisation> {
  const slug = `m-${randomBytes(4).toString('hex')}`;
  const org = await createOrganisation(store.db, {
    name: 'Atelier Dupont',
    country: extra.country ?? 'FR',
    senderEmail: 'relances@atelier-dupont.fr',
    senderName: 'Atelier Dupont — Comptabilité',
    slug,
  });
  await sql`update organisations set address = ${JSON.stringify({ lines: ['12 rue des Lilas'], postalCode: '69003', city: 'Lyon', country: 'FR' })}::jsonb,
            bank_iban = 'FR7630006000011234567890189', bank_bic = 'AGRIFRPP' where id = ${org.id}::uuid`.execute(
    store.db,
  );
  return await store.db
    .selectFrom('organisations')
    .selectAll()
    .where('id', '=', org.id)
    .executeTakeFirstOrThrow();
}

export async function importLedger(
  store: Store,
  org: Organisation,
  rows: string[],
  today: string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-mail-'));
  const file = join(dir, 'ledger.csv');
  writeFileSync(file, `${HEADER}\n${rows.join('\n')}\n`);
  await importInvoiceFile(store, org, file, { today });
}

/** The day's run: decides and queues the reminders. */
export function queueDay(store: Store, org: Organisation, day: string) {
  return runDay(store, org, { day });
}

/** Runs the sender until nothing due is left queued or in flight (or the time is up). */
export async function drain(
  store: Store,
  org: Organisation,
  options: DeliverOptions,
  within = 15_000,
): Promise<DeliveryReport[]> {
  const deadline = Date.now() + within;
  const reports: DeliveryReport[] = [];
  for (;;) {
    reports.push(await deliverDue(store, org, options));
    const left = await sql<{ n: number }>`
      select count(*)::int as n from messages
       where org_id = ${org.id}::uuid and status in ('queued', 'sending') and day <= ${options.upTo}::date`.execute(
      store.db,
    );
    if ((left.rows[0]?.n ?? 0) === 0 || Date.now() > deadline) return reports;
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

export async function messageRows(store: Store, org: Organisation) {
  return store.db
    .selectFrom('messages as m')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.id', '=', 'm.customer_id').onRef('c.org_id', '=', 'm.org_id'),
    )
    .select([
      'm.id',
      'c.ref',
      'c.reply_token',
      'm.status',
      'm.channel',
      'm.day',
      'm.level',
      'm.to_address',
      'm.attempts',
      'm.message_id_header',
      'm.last_error',
      // The relay's id and reply, from the message's 'sent' event.
      sql<string | null>`(select e.detail ->> 'providerId' from message_events e
                           where e.org_id = m.org_id and e.message_id = m.id and e.kind = 'sent'
                           order by e.id desc limit 1)`.as('provider_message_id'),
      sql<string | null>`(select e.detail ->> 'response' from message_events e
                           where e.org_id = m.org_id and e.message_id = m.id and e.kind = 'sent'
                           order by e.id desc limit 1)`.as('server_response'),
    ])
    .where('m.org_id', '=', org.id)
    .orderBy('m.day')
    .orderBy('c.ref')
    .execute();
}

export async function eventKinds(store: Store, org: Organisation, messageId: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('message_events')
    .select('kind')
    .where('org_id', '=', org.id)
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.kind);
}

/** Fast retries for tests: 50 ms, then 100 ms… */
export const FAST_RETRY = { baseSeconds: 0.05, maxSeconds: 0.4, maxAttempts: 30 };

/** Records that a relay took the message under this id, as the sender does with the relay's reply. */
export async function sentAs(store: Store, org: Organisation, messageId: string, providerId: string) {
  await sql`
    insert into message_events (org_id, message_id, kind, attempt, detail)
    values (${org.id}::uuid, ${messageId}::uuid, 'sent', 1,
            ${JSON.stringify({ providerId, response: `250 Ok: queued as ${providerId}` })}::jsonb)`.execute(
    store.db,
  );
}
