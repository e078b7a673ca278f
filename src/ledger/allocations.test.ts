import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../test/support/engines.ts';
import { newOrg } from '../../test/support/org.ts';
import type { InvoiceRecord } from '../imports/records.ts';
import { writeCustomers, writeInvoices } from '../imports/write-batch.ts';
import { allocate, recordPayment } from './allocations.ts';
import { listInvoices } from './listings.ts';

const TODAY = '2026-11-22';

describe.each(engines)('settling invoices on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function ledger(invoices: Partial<InvoiceRecord>[]) {
    const db = database.store.db;
    const org = await newOrg(db);
    const imp = await db
      .insertInto('imports')
      .values({ org_id: org.id, kind: 'invoices', file_name: 't', format: 'test', sha256: '-' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeCustomers(db, org.id, [
      { ref: 'C1', name: 'Alpha', country: 'FR', contacts: [] },
      { ref: 'C2', name: 'Beta', country: 'FR', contacts: [] },
    ]);
    await writeInvoices(
      db,
      org.id,
      imp.id,
      invoices.map((i) => ({
        number: 'X',
        type: 'invoice',
        customerRef: 'C1',
        issueDate: '2026-10-01',
        dueDate: '2026-10-31',
        currency: 'EUR',
        total: 10_000,
        outstanding: i.total ?? 10_000,
        ...i,
      })),
    );
    const ids = Object.fromEntries(
      (await db.selectFrom('invoices').select(['id', 'number']).where('org_id', '=', org.id).execute()).map(
        (r) => [r.number, r.id],
      ),
    );
    const state = async () =>
      Object.fromEntries(
        (await listInvoices(db, org.id, TODAY)).map((i) => [i.number, `${i.outstanding} ${i.status}`]),
      );
    return { org, ids, state };
  }

  it.skipIf(!engine.available)('records a partial payment and leaves the rest due', async () => {
    const { org, ids, state } = await ledger([{ number: 'F-1' }]);
    await database.store.db
      .transaction()
      .execute((trx) =>
        recordPayment(trx, org.id, { amount: 4_000, currency: 'EUR', receivedOn: '2026-11-10' }, [
          { invoiceId: ids['F-1']!, amount: 4_000 },
        ]),
      );
    expect(await state()).toEqual({ 'F-1': '60.00 partially_paid' });
  });

  it.skipIf(!engine.available)('spreads one payment over several invoices', async () => {
    const { org, ids, state } = await ledger([{ number: 'F-1' }, { number: 'F-2', total: 5_000 }]);
    await database.store.db.transaction().execute((trx) =>
      recordPayment(trx, org.id, { amount: 15_000, currency: 'EUR', receivedOn: '2026-11-10' }, [
        { invoiceId: ids['F-1']!, amount: 10_000 },
        { invoiceId: ids['F-2']!, amount: 5_000 },
      ]),
    );
    expect(await state()).toEqual({ 'F-1': '0.00 paid', 'F-2': '0.00 paid' });
  });

  it.skipIf(!engine.available)(
    'refuses to settle more than an invoice owes, and rolls the payment back',
    async () => {
      const { org, ids, state } = await ledger([{ number: 'F-1' }]);
      await expect(
        database.store.db
          .transaction()
          .execute((trx) =>
            recordPayment(trx, org.id, { amount: 20_000, currency: 'EUR', receivedOn: '2026-11-10' }, [
              { invoiceId: ids['F-1']!, amount: 20_000 },
            ]),
          ),
      ).rejects.toThrow(/F-1 has 10000 \(minor units\) still due/);
      expect(await state()).toEqual({ 'F-1': '100.00 open' });
      const payments = await database.store.db
        .selectFrom('payments')
        .select('id')
        .where('org_id', '=', org.id)
        .execute();
      expect(payments).toEqual([]);
    },
  );

  it.skipIf(!engine.available)('refuses to allocate more of a payment than it brought', async () => {
    const { org, ids } = await ledger([{ number: 'F-1' }, { number: 'F-2' }]);
    await expect(
      database.store.db.transaction().execute((trx) =>
        recordPayment(trx, org.id, { amount: 12_000, currency: 'EUR', receivedOn: '2026-11-10' }, [
          { invoiceId: ids['F-1']!, amount: 10_000 },
          { invoiceId: ids['F-2']!, amount: 5_000 },
        ]),
      ),
    ).rejects.toThrow(/only 2000 left to allocate/);
  });

  it.skipIf(!engine.available)(
    "nets a credit note only against its own customer's invoices in the same currency",
    async () => {
      const { org, ids, state } = await ledger([
        { number: 'F-1' },
        { number: 'F-2', customerRef: 'C2' },
        { number: 'F-3', currency: 'CHF' },
        { number: 'AV-1', type: 'credit_note', total: 3_000 },
      ]);
      const db = database.store.db;
      await expect(
        db
          .transaction()
          .execute((trx) =>
            allocate(trx, org.id, { invoiceId: ids['F-2']!, creditNoteId: ids['AV-1']!, amount: 1_000 }),
          ),
      ).rejects.toThrow(/belongs to another customer/);
      await expect(
        db
          .transaction()
          .execute((trx) =>
            allocate(trx, org.id, { invoiceId: ids['F-3']!, creditNoteId: ids['AV-1']!, amount: 1_000 }),
          ),
      ).rejects.toThrow(/is in EUR, invoice F-3 in CHF/);
      await db
        .transaction()
        .execute((trx) =>
          allocate(trx, org.id, { invoiceId: ids['F-1']!, creditNoteId: ids['AV-1']!, amount: 3_000 }),
        );
      expect(await state()).toMatchObject({ 'F-1': '70.00 partially_paid', 'AV-1': '0.00 paid' });
      await expect(
        db
          .transaction()
          .execute((trx) =>
            allocate(trx, org.id, { invoiceId: ids['F-1']!, creditNoteId: ids['AV-1']!, amount: 1 }),
          ),
      ).rejects.toThrow(/has only 0 left to use/);
    },
  );

  it.skipIf(!engine.available)("cannot touch another organisation's invoice", async () => {
    const a = await ledger([{ number: 'F-1' }]);
    const b = await ledger([{ number: 'F-1' }]);
    await expect(
      database.store.db
        .transaction()
        .execute((trx) =>
          recordPayment(trx, a.org.id, { amount: 100, currency: 'EUR', receivedOn: '2026-11-10' }, [
            { invoiceId: b.ids['F-1']!, amount: 100 },
          ]),
        ),
    ).rejects.toThrow(/no invoice or credit note/);
    expect(await b.state()).toEqual({ 'F-1': '100.00 open' });
  });
});
