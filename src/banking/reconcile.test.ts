import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../test/support/engines.ts';
import { newOrg } from '../../test/support/org.ts';
import { importInvoiceFile } from '../imports/import-invoices.ts';
import { listInvoices } from '../ledger/listings.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { numberKey } from './match-references.ts';
import { importPaymentFile, importPayments, saveMatchSettings } from './reconcile.ts';
import { listPayments, listSuggestions } from './reconcile-listings.ts';
import { confirmSuggestion, recordManualPayment, rejectSuggestion } from './reconcile-suggestions.ts';
import { ConcurrentChange, settleInvoices } from './reconcile-write.ts';

const FIXTURES = new URL('../../test/fixtures/statements/', import.meta.url).pathname;
const TODAY = '2026-11-16';
const HEADER =
  'number,customer_ref,customer_name,customer_country,contact_email,issue_date,due_date,currency,total';
const LEDGER = [
  'F-1001,C1,Boulangerie Martin,FR,compta@martin.fr,2026-10-01,2026-10-31,EUR,1250.00',
  'F-2026-1001,C2,Café des Arts et Métiers,FR,cafe@arts.fr,2026-10-01,2026-10-31,EUR,500.00',
  'F-1002,C3,Pharmacie du Centre,FR,ph@centre.fr,2026-10-01,2026-10-31,EUR,1200.00',
  'G-1,C4,Garage Leroy et Fils,BE,g@leroy.be,2026-10-01,2026-10-31,EUR,842.30',
  'F-0998,C5,Hôtel de la Gare,FR,h@gare.fr,2026-09-01,2026-09-30,EUR,400.00',
  'F-1004,C5,Hôtel de la Gare,FR,h@gare.fr,2026-10-01,2026-10-31,EUR,500.00',
];

describe.each(engines)('reconciling bank statements on $name', (engine) => {
  let database: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'ardent-reconcile-'));
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ledger(lines = LEDGER): Promise<Organisation> {
    const org = await newOrg(database.store.db);
    const file = join(dir, `${org.slug}.csv`);
    writeFileSync(file, `${HEADER}\n${lines.join('\n')}\n`);
    await importInvoiceFile(database.store, org, file, { today: '2026-11-01' });
    return org;
  }
  const state = async (org: Organisation) =>
    Object.fromEntries(
      (await listInvoices(database.store.db, org.id, TODAY)).map((i) => [
        i.number,
        `${i.outstanding} ${i.status}`,
      ]),
    );
  const statement = (name: string) => join(FIXTURES, name);

  it.skipIf(!engine.available)(
    'applies a referenced payment and a partial one, and reopens the invoice whose transfer the bank returned',
    async () => {
      const org = await ledger();
      const [r] = await importPayments(database.store, org, [statement('camt053-v02-two-days.xml')], {
        today: TODAY,
      });
      expect(r).toMatchObject({
        credits: 2,
        applied: 2,
        suggested: 0,
        reversals: 1,
        debitsIgnored: 1,
        refused: 0,
      });
      expect(await state(org)).toMatchObject({
        'F-1001': '1250.00 open',
        'F-2026-1001': '200.00 partially_paid',
      });
      const payments = await listPayments(database.store.db, org.id);
      expect(
        payments.map((p) => `${p.amount} ${p.status} ${p.allocations.map((a) => a.invoice).join(',')}`),
      ).toEqual(['300.00 applied F-2026-1001', '1250.00 reversed ']);
      expect(payments[0]!.reasons.join(' ')).toMatch(
        /creditor reference RF75F20261001 names invoice F-2026-1001/,
      );
      const history = await database.store.db
        .selectFrom('events')
        .select(['kind', 'summary'])
        .where('org_id', '=', org.id)
        .where('kind', '=', 'payment.reversed')
        .execute();
      expect(history[0]!.summary).toMatch(/F-1001 is due again/);
    },
  );

  it.skipIf(!engine.available)(
    'records nothing twice when the same statement is imported again',
    async () => {
      const org = await ledger();
      await importPaymentFile(database.store, org, statement('camt053-v02-two-days.xml'), { today: TODAY });
      const before = await state(org);
      const again = await importPaymentFile(database.store, org, statement('camt053-v02-two-days.xml'), {
        today: TODAY,
      });
      expect(again).toMatchObject({ applied: 0, suggested: 0, reversals: 0, duplicates: 3 });
      expect(await state(org)).toEqual(before);
      const count = await database.store.db
        .selectFrom('payments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(2);
    },
  );

  it.skipIf(!engine.available)(
    'takes each transfer of a batch on its own, applying the sure ones and suggesting the others',
    async () => {
      const org = await ledger();
      const r = await importPaymentFile(database.store, org, statement('camt054-v04-batch.xml'), {
        today: TODAY,
      });
      expect(r).toMatchObject({ entries: 3, credits: 3, applied: 2, suggested: 1 });
      expect(await state(org)).toMatchObject({ 'F-1002': '0.00 paid', 'G-1': '0.00 paid' });
      const [s] = await listSuggestions(database.store.db, org.id);
      expect(s).toMatchObject({
        amount: '700.00',
        currency: 'EUR',
        customer: { ref: 'C5', name: 'Hôtel de la Gare' },
        proposal: [
          { invoice: 'F-0998', amount: '400.00' },
          { invoice: 'F-1004', amount: '300.00' },
        ],
      });
      const tasks = await database.store.db
        .selectFrom('tasks')
        .select(['kind', 'title'])
        .where('org_id', '=', org.id)
        .execute();
      expect(tasks).toEqual([
        {
          kind: 'payment_to_confirm',
          title:
            'Confirmer le paiement de 700,00 € reçu le 16 novembre 2026 de Hôtel de la Gare : proposé pour F-0998, F-1004',
        },
      ]);
    },
  );

  it.skipIf(!engine.available)('confirms a suggestion as corrected in one action', async () => {
    const org = await ledger();
    await importPaymentFile(database.store, org, statement('camt054-v04-batch.xml'), { today: TODAY });
    const [s] = await listSuggestions(database.store.db, org.id);
    const result = await confirmSuggestion(database.store, org, s!.id.slice(0, 8), {
      allocations: [
        { invoiceNumber: 'F-1004', amount: '500.00' },
        { invoiceNumber: 'F-0998', amount: '200,00' },
      ],
      actor: 'test',
      today: TODAY,
    });
    expect(result.invoices.map((i) => `${i.number} ${i.amount} ${i.outstanding}`)).toEqual([
      'F-0998 200.00 200.00',
      'F-1004 500.00 0.00',
    ]);
    expect(await listSuggestions(database.store.db, org.id)).toEqual([]);
    const open = await database.store.db
      .selectFrom('tasks')
      .select('status')
      .where('org_id', '=', org.id)
      .where('kind', '=', 'payment_to_confirm')
      .execute();
    expect(open).toEqual([{ status: 'done' }]);
    await expect(
      confirmSuggestion(database.store, org, s!.id, { actor: 'test', today: TODAY }),
    ).rejects.toThrow(/already confirmed/);
  });

  it.skipIf(!engine.available)('rejects a suggestion and leaves the invoices as they were', async () => {
    const org = await ledger();
    await importPaymentFile(database.store, org, statement('camt054-v04-batch.xml'), { today: TODAY });
    const [s] = await listSuggestions(database.store.db, org.id);
    await rejectSuggestion(database.store, org, s!.id, { actor: 'test', today: TODAY, reason: 'a refund' });
    expect(await state(org)).toMatchObject({ 'F-0998': '400.00 open', 'F-1004': '500.00 open' });
    expect((await listSuggestions(database.store.db, org.id, { status: 'rejected' })).length).toBe(1);
  });

  it.skipIf(!engine.available)(
    'learns the payer’s account from a referenced payment and recognises the next transfer by it',
    async () => {
      const org = await ledger([
        ...LEDGER,
        'F-1010,C1,Boulangerie Martin,FR,compta@martin.fr,2026-11-01,2026-11-30,EUR,99.90',
      ]);
      const day1 = join(dir, `${org.slug}-1.csv`);
      const day2 = join(dir, `${org.slug}-2.csv`);
      writeFileSync(
        day1,
        'Date;Libellé;Montant;IBAN\n13/11/2026;VIR DE SCI LES LILAS FACTURE F-1001;1250,00;FR1420041010050500013M02606\n',
      );
      writeFileSync(
        day2,
        'Date;Libellé;Montant;IBAN\n20/11/2026;VIR DE SCI LES LILAS;99,90;FR1420041010050500013M02606\n',
      );
      const [first, second] = await importPayments(database.store, org, [day1, day2], { today: TODAY });
      expect(first!.applied).toBe(1);
      expect(second!.applied).toBe(1);
      expect(await state(org)).toMatchObject({ 'F-1001': '0.00 paid', 'F-1010': '0.00 paid' });
      const [latest] = await listPayments(database.store.db, org.id);
      expect(latest!.reasons.join(' ')).toMatch(/the payer's account is known for Boulangerie Martin/);
    },
  );

  it.skipIf(!engine.available)('applies a bank fee within the tolerance the organisation set', async () => {
    const org = await ledger();
    await saveMatchSettings(database.store.db, org.id, { toleranceMinor: 300 });
    const file = join(dir, `${org.slug}-fee.csv`);
    writeFileSync(
      file,
      'Date;Libellé;Montant\n14/11/2026;VIR INTL PHARMACIE DU CENTRE FACT F-1002;1197,50\n',
    );
    const [r] = await importPayments(database.store, org, [file], { today: TODAY });
    expect(r!.applied).toBe(1);
    expect(await state(org)).toMatchObject({ 'F-1002': '0.00 paid' });
    const [p] = await listPayments(database.store.db, org.id);
    expect(p!.writtenOff).toEqual([{ invoice: 'F-1002', amount: '2.50', kind: 'bank_fee' }]);
    expect(p!.reasons.join(' ')).toMatch(/2\.50 EUR short of the 1200\.00 EUR due: taken as a bank fee/);
  });

  it.skipIf(!engine.available)(
    'refuses whole, by name, a statement in a currency no invoice is in',
    async () => {
      const org = await ledger();
      const file = join(dir, `${org.slug}-usd.csv`);
      writeFileSync(file, 'Date;Libellé;Montant;Devise\n14/11/2026;FACTURE F-1001;1250,00;USD\n');
      await expect(
        importPaymentFile(database.store, org, file, { today: TODAY, csvCurrency: 'USD' }),
      ).rejects.toThrow(
        /usd\.csv: statement 1: field Ccy: the statement is in USD, a currency none of this organisation's invoices is in/,
      );
      expect(await state(org)).toMatchObject({ 'F-1001': '1250.00 open' });
      const imports = await database.store.db
        .selectFrom('imports')
        .select('id')
        .where('org_id', '=', org.id)
        .where('kind', '=', 'payments')
        .execute();
      expect(imports).toEqual([]);
    },
  );

  it.skipIf(!engine.available)(
    'records a payment by hand, keeping what exceeds the invoice as credit',
    async () => {
      const org = await ledger();
      const r = await recordManualPayment(database.store, org, {
        invoiceNumber: 'F-0998',
        amount: '450.00',
        receivedOn: '2026-11-15',
        reference: 'cheque 0012',
        actor: 'test',
        today: TODAY,
      });
      expect(r).toMatchObject({ amount: '450.00', unallocated: '50.00', customer: { ref: 'C5' } });
      expect(await state(org)).toMatchObject({ 'F-0998': '0.00 paid' });
    },
  );

  it.skipIf(!engine.available)(
    'settles nothing when an invoice changed after the matcher read it, so that the file is matched again',
    async () => {
      const org = await ledger();
      const db = database.store.db;
      const invoice = await db
        .selectFrom('invoices')
        .select(['id'])
        .where('org_id', '=', org.id)
        .where('number', '=', 'F-1001')
        .executeTakeFirstOrThrow();
      await expect(
        db.transaction().execute(async (trx) => {
          const payment = await trx
            .insertInto('payments')
            .values({ org_id: org.id, amount: 100_00, currency: 'EUR', received_on: TODAY })
            .returning('id')
            .executeTakeFirstOrThrow();
          // Read as 1,250.00 due; someone has since recorded 100.00 of it.
          await trx
            .updateTable('invoices')
            .set({ outstanding: 115_000 })
            .where('id', '=', invoice.id)
            .execute();
          await settleInvoices(
            trx,
            org.id,
            [{ invoiceId: invoice.id, paymentId: payment.id, amount: 100_00 }],
            [],
            new Map([[invoice.id, 125_000]]),
          );
        }),
      ).rejects.toBeInstanceOf(ConcurrentChange);
      expect(await state(org)).toMatchObject({ 'F-1001': '1250.00 open' });
    },
  );

  it.skipIf(!engine.available)(
    'finds invoice numbers and names through indexes, with the keys the matcher makes',
    async () => {
      const db = database.store.db;
      for (const n of ['F-2026-0412', 'f 2026/0412', 'Fact.É-12', 'INV_00017']) {
        const r = await sql<{ k: string }>`select ardent_number_key(${n}) as k`.execute(db);
        expect(r.rows[0]!.k).toBe(numberKey(n));
      }
      const org = await ledger();
      await database.store.rawTransaction(async (s) => {
        await s.exec('set local enable_seqscan = off');
        const plan = (
          await s.query<{ 'QUERY PLAN': string }>(
            `explain select id from invoices where org_id = $1 and ardent_number_key(number) = any($2::text[])`,
            [org.id, ['F1001']],
          )
        )
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        expect(plan).toMatch(/invoices_number_key/);
        const names = (
          await s.query<{ 'QUERY PLAN': string }>(
            `explain select id from customers c where org_id = $1 and ardent_name_key(c.name) ~>=~ $2 and ardent_name_key(c.name) ~<~ $3`,
            [org.id, 'boulangerie', 'boulangerie~'],
          )
        )
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        expect(names).toMatch(/customers_name_key/);
      });
    },
  );
});
