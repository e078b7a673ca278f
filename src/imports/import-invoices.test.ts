import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../test/support/engines.ts';
import { newOrg } from '../../test/support/org.ts';
import { listCustomers, listInvoices } from '../ledger/listings.ts';
import { importInvoiceFile } from './import-invoices.ts';
import { describeProblem, type Problem } from './records.ts';

const fixtures = new URL('../../test/fixtures/invoices/', import.meta.url).pathname;
const TODAY = '2026-11-22';
const scratch = mkdtempSync(join(tmpdir(), 'ardent-import-'));
const write = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe.each(engines)('importing invoices on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const run = async (
    orgId: Parameters<typeof importInvoiceFile>[1],
    file: string,
    options: { full?: boolean; strict?: boolean } = {},
  ) => {
    const problems: Problem[] = [];
    const result = await importInvoiceFile(database.store, orgId, file, {
      today: TODAY,
      ...options,
      onProblem: (p) => problems.push(p),
    });
    return { result, problems: problems.map(describeProblem) };
  };

  it.skipIf(!engine.available)(
    'loads a French accounting export: semicolons, decimal commas, French column names, BOM',
    async () => {
      const org = await newOrg(database.store.db);
      const { result, problems } = await run(org, join(fixtures, 'export-compta-fr.csv'));
      expect(problems).toEqual([]);
      expect(result).toMatchObject({
        format: 'csv',
        accepted: 6,
        rejected: 0,
        created: 6,
        customersCreated: 4,
      });
      const invoices = await listInvoices(database.store.db, org.id, TODAY);
      const byNumber = Object.fromEntries(invoices.map((i) => [i.number, i]));
      expect(byNumber['FA-2026-0102']).toMatchObject({
        total: '2316.48',
        outstanding: '1000.00',
        status: 'partially_paid',
        issueDate: '2026-09-15',
        dueDate: '2026-10-15',
        customer: { ref: '411DUR', name: 'Menuiserie Durand SARL' },
      });
      expect(byNumber['AV-2026-0007']).toMatchObject({
        type: 'credit_note',
        total: '240.00',
        outstanding: '240.00',
      });
      expect(byNumber['FA-2026-0104']).toMatchObject({ currency: 'CHF', total: '3980.00' });
      expect(byNumber['FA-2026-0105']).toMatchObject({
        currency: 'EUR',
        outstanding: '150.00',
        status: 'open',
      });
      expect(byNumber['FA-2026-0101']?.poNumber).toBe('BC-7781');
    },
  );

  it.skipIf(!engine.available)('makes several contacts of several addresses in one email field', async () => {
    const org = await newOrg(database.store.db);
    await run(org, join(fixtures, 'export-compta-fr.csv'));
    const [vdb] = await listCustomers(database.store.db, org.id, TODAY, { ref: '411VDB' });
    expect(vdb?.contacts.map((c) => [c.email, c.language])).toEqual([
      ['administratie@vdberg.be', 'nl'],
      ['jan@vdberg.be', 'nl'],
    ]);
    const [none] = await listCustomers(database.store.db, org.id, TODAY, { ref: '411NOC' });
    expect(none?.contacts).toEqual([]);
  });

  it.skipIf(!engine.available)('changes nothing when the same file is imported twice', async () => {
    const org = await newOrg(database.store.db);
    await run(org, join(fixtures, 'export-compta-fr.csv'));
    const before = await listInvoices(database.store.db, org.id, TODAY);
    const { result } = await run(org, join(fixtures, 'export-compta-fr.csv'));
    expect(result).toMatchObject({ accepted: 6, created: 0, updated: 0, unchanged: 6, customersCreated: 0 });
    expect(await listInvoices(database.store.db, org.id, TODAY)).toEqual(before);
  });

  it.skipIf(!engine.available)(
    'writes a customer again when a later row of the same file describes it differently',
    async () => {
      const org = await newOrg(database.store.db);
      const header =
        'number,customer_ref,customer_name,customer_country,issue_date,due_date,total,outstanding\n';
      const file = write(
        'renamed.csv',
        `${header}F-1,C1,Alpha,FR,2026-10-01,2026-10-31,100.00,100.00\n` +
          `F-2,C1,Alpha,FR,2026-10-02,2026-11-01,50.00,50.00\n` +
          `F-3,C1,Alpha & Fils,BE,2026-10-03,2026-11-02,70.00,70.00\n`,
      );
      // One row per batch: each row's customer goes through what the import remembers of it.
      const result = await importInvoiceFile(database.store, org, file, { today: TODAY, batchSize: 1 });
      expect(result).toMatchObject({ accepted: 3, created: 3, customersCreated: 1 });
      const [customer] = await listCustomers(database.store.db, org.id, TODAY);
      expect(customer).toMatchObject({ ref: 'C1', name: 'Alpha & Fils', country: 'BE' });
    },
  );

  it.skipIf(!engine.available)(
    'updates the outstanding amount when a later export reports a payment',
    async () => {
      const org = await newOrg(database.store.db);
      const header =
        'number,customer_ref,customer_name,customer_country,issue_date,due_date,total,outstanding\n';
      await run(org, write('a.csv', `${header}F-1,C1,Alpha,FR,2026-10-01,2026-10-31,100.00,100.00\n`));
      const { result } = await run(
        org,
        write('b.csv', `${header}F-1,C1,Alpha,FR,2026-10-01,2026-10-31,100.00,40.00\n`),
      );
      expect(result).toMatchObject({ updated: 1, created: 0 });
      const [f1] = await listInvoices(database.store.db, org.id, TODAY);
      expect(f1).toMatchObject({ outstanding: '40.00', status: 'partially_paid' });
      await run(org, write('c.csv', `${header}F-1,C1,Alpha,FR,2026-10-01,2026-10-31,100.00,0\n`));
      expect((await listInvoices(database.store.db, org.id, TODAY))[0]).toMatchObject({
        outstanding: '0.00',
        status: 'paid',
      });
    },
  );

  it.skipIf(!engine.available)('nets a credit note against the invoice it corrects, once', async () => {
    const org = await newOrg(database.store.db);
    const file = write(
      'cn.csv',
      'number;type;customer_ref;customer_name;customer_country;issue_date;due_date;total;applies_to\n' +
        'F-10;invoice;C1;Alpha;FR;2026-10-01;2026-10-31;500,00;\n' +
        'AV-1;credit_note;C1;Alpha;FR;2026-10-05;2026-10-05;-200,00;F-10\n' +
        'F-11;invoice;C1;Alpha;FR;2026-10-01;2026-10-31;100,00;\n' +
        'AV-2;avoir;C1;Alpha;FR;2026-10-05;2026-10-05;150,00;F-11\n',
    );
    const { result } = await run(org, file);
    expect(result.creditNotesNetted).toBe(2);
    const list = Object.fromEntries(
      (await listInvoices(database.store.db, org.id, TODAY)).map((i) => [i.number, i]),
    );
    expect(list['F-10']).toMatchObject({ outstanding: '300.00', status: 'partially_paid' });
    expect(list['AV-1']).toMatchObject({ outstanding: '0.00', status: 'paid' });
    // A credit note larger than what its invoice still owes settles it and keeps the rest.
    expect(list['F-11']).toMatchObject({ outstanding: '0.00', status: 'paid' });
    expect(list['AV-2']).toMatchObject({ outstanding: '50.00' });
    const again = await run(org, file);
    expect(again.result.creditNotesNetted).toBe(0);
    expect(
      (await listInvoices(database.store.db, org.id, TODAY)).find((i) => i.number === 'F-10')?.outstanding,
    ).toBe('300.00');
  });

  it.skipIf(!engine.available)(
    'imports the valid rows and names every refused one by line and field',
    async () => {
      const org = await newOrg(database.store.db);
      const file = write(
        'bad.csv',
        'numero;ref_client;client;pays;date_facture;echeance;montant_ttc;reste_du;email\n' +
          'F-1;C1;Alpha;FR;01/10/2026;31/10/2026;100,00;;compta@alpha.fr\n' +
          'F-2;C1;Alpha;FRA;31/02/2026;31/10/2026;abc;;\n' +
          'F-3;;Alpha;FR;01/10/2026;31/10/2026;10,00;20,00;pas-un-email\n' +
          'F-4;C1;Alpha;FR;01/10/2026;31/10/2026;100,00;;\n',
      );
      const { result, problems } = await run(org, file);
      expect(result).toMatchObject({ accepted: 2, rejected: 2, created: 2 });
      expect(problems).toEqual([
        `${file}: line 3: field customer_country (pays): expected an ISO 3166-1 alpha-2 country code such as FR, got "FRA"`,
        `${file}: line 3: field issue_date (date_facture): expected a date as YYYY-MM-DD or DD/MM/YYYY, got "31/02/2026"`,
        `${file}: line 3: field total (montant_ttc): expected an amount such as 1234.56 or 1 234,56, got "abc"`,
        `${file}: line 4: field customer_ref (ref_client): required, but empty`,
        `${file}: line 4: field contact_email (email): expected an email address such as compta@example.fr, got "pas-un-email"`,
      ]);
    },
  );

  it.skipIf(!engine.available)('with --strict refuses the whole file and writes nothing', async () => {
    const org = await newOrg(database.store.db);
    const file = write(
      'strict.csv',
      'number,customer_ref,customer_name,customer_country,issue_date,due_date,total\nF-1,C1,Alpha,FR,2026-10-01,2026-10-31,10\nF-2,C1,Alpha,FR,2026-10-01,soon,10\n',
    );
    const { result } = await run(org, file, { strict: true });
    expect(result).toMatchObject({ refused: true, rejected: 1, created: 0 });
    expect(await listInvoices(database.store.db, org.id, TODAY)).toEqual([]);
    expect(await listCustomers(database.store.db, org.id, TODAY)).toEqual([]);
  });

  it.skipIf(!engine.available)(
    'reports, without deleting, the open invoices a full export leaves out',
    async () => {
      const org = await newOrg(database.store.db);
      const header = 'number,customer_ref,customer_name,customer_country,issue_date,due_date,total\n';
      await run(
        org,
        write(
          'full1.csv',
          `${header}F-1,C1,A,FR,2026-10-01,2026-10-31,10\nF-2,C1,A,FR,2026-10-01,2026-10-31,20\n`,
        ),
      );
      const { result } = await run(
        org,
        write('full2.csv', `${header}F-1,C1,A,FR,2026-10-01,2026-10-31,10\n`),
        { full: true },
      );
      expect(result.absent).toEqual(['F-2']);
      const f2 = (await listInvoices(database.store.db, org.id, TODAY)).find((i) => i.number === 'F-2');
      expect(f2).toMatchObject({ outstanding: '20.00', status: 'open', absentSince: TODAY });
    },
  );

  it.skipIf(!engine.available)('reads a Windows-1252 export', async () => {
    const org = await newOrg(database.store.db);
    await run(org, join(fixtures, 'windows-1252.csv'));
    const [c] = await listCustomers(database.store.db, org.id, TODAY);
    expect(c?.name).toBe('Café de la Gare');
  });

  it.skipIf(!engine.available)('loads the JSON form with customers, contacts and flags', async () => {
    const org = await newOrg(database.store.db);
    const { result, problems } = await run(org, join(fixtures, 'invoices.json'));
    expect(result).toMatchObject({ format: 'json', accepted: 3, rejected: 1 });
    expect(problems).toEqual([
      `${join(fixtures, 'invoices.json')}: invoices[3]: field issue_date (date_facture): expected a date as YYYY-MM-DD or DD/MM/YYYY, got "2026-13-01"`,
    ]);
    const [acme] = await listCustomers(database.store.db, org.id, TODAY, { ref: 'ACME-DE' });
    expect(acme).toMatchObject({ strategic: true, country: 'DE' });
    expect(acme?.contacts.map((c) => c.name)).toEqual(['Katrin Becker', 'Felix Wagner']);
    const invoices = Object.fromEntries(
      (await listInvoices(database.store.db, org.id, TODAY)).map((i) => [i.number, i]),
    );
    expect(invoices['2026-1002']).toMatchObject({ total: '595.50', outstanding: '95.50', currency: 'EUR' });
    expect(invoices['2026-1003']?.customer).toEqual({ ref: 'NEW-ES', name: 'Talleres García S.L.' });
  });

  it.skipIf(!engine.available)('refuses a file that is missing a required column, naming it', async () => {
    const org = await newOrg(database.store.db);
    const file = write(
      'nocol.csv',
      'numero;ref_client;client;pays;date_facture;montant_ttc\nF-1;C1;A;FR;01/10/2026;10\n',
    );
    await expect(run(org, file)).rejects.toThrow(/line 1: missing required column due_date \(echeance\)/);
    expect(await listInvoices(database.store.db, org.id, TODAY)).toEqual([]);
  });

  it.skipIf(!engine.available)(
    'keeps organisations apart: the same numbers in two organisations are two invoices',
    async () => {
      const a = await newOrg(database.store.db);
      const b = await newOrg(database.store.db);
      const file = join(fixtures, 'export-compta-fr.csv');
      await run(a, file);
      await run(b, file);
      expect((await listInvoices(database.store.db, a.id, TODAY)).length).toBe(6);
      expect((await listInvoices(database.store.db, b.id, TODAY)).length).toBe(6);
    },
  );

  it.skipIf(!engine.available)(
    'loads UBL, CII and Factur-X documents, and a PDF of an invoice already imported changes nothing',
    async () => {
      const org = await newOrg(database.store.db);
      const formats: string[] = [];
      for (const name of [
        'ubl-invoice.xml',
        'ubl-credit-note.xml',
        'cii-invoice.xml',
        'cii-credit-note.xml',
      ]) {
        const { result, problems } = await run(org, join(fixtures, name));
        expect(problems).toEqual([]);
        expect(result.accepted).toBe(1);
        formats.push(result.format);
      }
      expect(formats).toEqual(['ubl', 'ubl', 'cii', 'cii']);
      const pdf = await run(org, join(fixtures, 'facturx-invoice.pdf'));
      expect(pdf.result).toMatchObject({ format: 'facturx', accepted: 1 });
      const invoices = await listInvoices(database.store.db, org.id, TODAY);
      expect(invoices.filter((i) => i.type === 'credit_note')).toHaveLength(2);
      expect(invoices.find((i) => i.number === '2026/0412')).toMatchObject({ type: 'invoice' });
    },
  );
});
