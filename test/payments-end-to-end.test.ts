// Issue 6, end to end: invoices imported, reminders planned and one queued, a camt.053 with the
// payments imported; the paid invoices leave the queue, the queued reminder is withdrawn, nothing is
// sent for them on the following runs, and the partly paid invoice's reminder says what was received.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaymentFile, type PaymentFileResult } from '../src/banking/reconcile.ts';
import { addDays } from '../src/calendar/plain-date.ts';
import { listQueue, type QueueItem } from '../src/dunning/queue.ts';
import { runDay } from '../src/dunning/run.ts';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import type { Organisation } from '../src/ledger/organisations.ts';
import { deliverToDirectory } from '../src/mail/outbox-dir.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { newOrg } from './support/org.ts';

const STATEMENT = new URL('./fixtures/statements/camt053-v08-payments-end-to-end.xml', import.meta.url)
  .pathname;
const INVOICES = `number,customer_ref,customer_name,customer_country,contact_name,contact_email,contact_language,issue_date,due_date,total
F-2026-0412,FR01,Boulangerie Martin,FR,Paul Martin,compta@martin.fr,fr,2026-10-01,2026-10-31,1200.00
F-2026-0413,BE01,Drukkerij Peeters,BE,Lotte Peeters,lotte@peeters.be,nl,2026-10-06,2026-11-05,300.00
F-2026-0414,IT01,Officina Rossi,IT,Marco Rossi,amministrazione@rossi.it,it,2026-10-04,2026-11-03,1000.00
`;

describe.each(engines)('a payment stops the reminders, end to end, on $name', (engine) => {
  let database: TestDatabase;
  let org: Organisation;
  const home = mkdtempSync(join(tmpdir(), 'ardent-pay-e2e-'));
  let queueBefore: QueueItem[];
  let queueAfter: QueueItem[];
  let imported: PaymentFileResult;
  let queuedMessage: { id: string; status: string } | undefined;
  const delivered: string[] = [];

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    org = await newOrg(database.store.db, 'FR');
    writeFileSync(join(home, 'invoices.csv'), INVOICES);
    await importInvoiceFile(database.store, org, join(home, 'invoices.csv'), { today: '2026-11-02' });

    // The run of Monday 9 November queues Boulangerie Martin's first reminder; it has not left yet.
    await runDay(database.store, org, { day: '2026-11-09' });
    queueBefore = await listQueue(database.store.db, org.id);
    queuedMessage = await database.store.db
      .selectFrom('messages')
      .select(['id', 'status'])
      .where('org_id', '=', org.id)
      .executeTakeFirst();

    imported = await importPaymentFile(database.store, org, STATEMENT, { today: '2026-11-09' });
    queueAfter = await listQueue(database.store.db, org.id);

    for (let day = '2026-11-09'; day <= '2026-11-30'; day = addDays(day, 1)) {
      await runDay(database.store, org, { day });
      delivered.push(...(await deliverToDirectory(database.store, org, home, day)).delivered);
    }
  }, 120_000);
  afterAll(async () => {
    await database?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const outbox = () => readdirSync(join(home, 'outbox')).filter((f) => f.endsWith('.eml'));

  it.skipIf(!engine.available)(
    'plans the reminders and queues the one due that day before the money is seen',
    () => {
      expect(queuedMessage?.status).toBe('queued');
      expect(queueBefore.map((q) => `${q.invoices.join(' ')} ${q.plannedFor}`)).toEqual([
        'F-2026-0414 2026-11-10',
        'F-2026-0413 2026-11-12',
        // the second step of the invoice whose first reminder is in the outbox
        'F-2026-0412 2026-11-16',
      ]);
    },
  );

  it.skipIf(!engine.available)('matches the statement: two invoices paid, one instalment', () => {
    expect(imported).toMatchObject({
      credits: 3,
      applied: 3,
      suggested: 0,
      debitsIgnored: 1,
      invoicesPaid: ['F-2026-0412', 'F-2026-0413'],
      messagesWithdrawn: 1,
    });
  });

  it.skipIf(!engine.available)(
    'withdraws the queued reminder and takes the paid invoices out of the queue',
    async () => {
      const message = await database.store.db
        .selectFrom('messages')
        .select(['status', 'last_error'])
        .where('org_id', '=', org.id)
        .where('id', '=', queuedMessage!.id)
        .executeTakeFirstOrThrow();
      expect(message.status).toBe('cancelled');
      expect(message.last_error).toMatch(/bank statement shows the payment/);
      expect(queueAfter.map((q) => `${q.invoices.join(' ')} ${q.amount} ${q.plannedFor}`)).toEqual([
        'F-2026-0414 600.00 2026-11-10',
      ]);
    },
  );

  it.skipIf(!engine.available)('sends nothing for the paid invoices on the runs that follow', async () => {
    const files = outbox();
    expect(files.some((f) => f.includes('FR01'))).toBe(false);
    expect(files.some((f) => f.includes('BE01'))).toBe(false);
    const sent = await database.store.db
      .selectFrom('messages as m')
      .innerJoin('message_invoices as mi', 'mi.message_id', 'm.id')
      .innerJoin('invoices as i', 'i.id', 'mi.invoice_id')
      .select(['i.number', 'm.status'])
      .where('m.org_id', '=', org.id)
      .where('m.status', '=', 'sent')
      .execute();
    expect(new Set(sent.map((s) => s.number))).toEqual(new Set(['F-2026-0414']));
  });

  it.skipIf(!engine.available)(
    'asks only for the rest of the instalment, and says what was received',
    async () => {
      const first = outbox()
        .filter((f) => f.includes('IT01'))
        .sort()[0]!;
      expect(first.startsWith('2026-11-10')).toBe(true);
      const mail = await simpleParser(readFileSync(join(home, 'outbox', first)));
      expect(mail.text).toMatch(/abbiamo ricevuto 400,00\s€/);
      expect(mail.text).toMatch(/restano da saldare 600,00\s€/);
    },
  );

  it.skipIf(!engine.available)('tells the members, in their language, what was paid', async () => {
    const notices = await database.store.db
      .selectFrom('notifications')
      .select('title')
      .where('org_id', '=', org.id)
      .orderBy('title')
      .execute();
    expect(notices.map((n) => n.title)).toEqual([
      'Officina Rossi a payé 400,00 € sur F-2026-0414 : reste dû 600,00 €, les relances continuent pour ce montant',
      'Paiement de 1 200,00 € reçu de Boulangerie Martin pour F-2026-0412 : relances arrêtées',
      'Paiement de 300,00 € reçu de Drukkerij Peeters pour F-2026-0413 : relances arrêtées',
      'Relevé bancaire importé : 3 paiements appliqués, factures payées : 2',
    ]);
  });
});
