// Invoice PDFs: the Factur-X file an invoice came in, or a PDF named after its invoice, goes with the
// reminders about that invoice; the API takes and gives them back; the command line reports the
// files that name no invoice.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDocumentFile } from '../src/imports/import-documents.ts';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import { createOrganisation } from '../src/ledger/organisations.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { directoryTransport } from '../src/mail/transports/directory.ts';
import { ardent } from './support/cli.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { importLedger, mailOrg, queueDay } from './support/mail-fixtures.ts';
import { bearer, call, multipart, seedOrg, testApp } from './support/server.ts';

const FACTURX = new URL('./fixtures/invoices/facturx-invoice.pdf', import.meta.url).pathname;
const DAY = '2026-11-09';

async function invoicePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

describe.each(engines)('invoice PDFs on $name', (engine) => {
  let database: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'ardent-documents-'));
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(() => database?.dispose());

  const documents = (orgId: string) =>
    database.store.db
      .selectFrom('documents as d')
      .innerJoin('invoices as i', 'i.id', 'd.invoice_id')
      .select(['i.number', 'd.file_name', 'd.source', 'd.size', 'd.content'])
      .where('d.org_id', '=', orgId)
      .orderBy('i.number')
      .execute();

  it.skipIf(!engine.available)('keeps the Factur-X file an invoice was imported from', async () => {
    const org = await createOrganisation(database.store.db, {
      name: 'Fournisseur',
      country: 'FR',
      slug: 'fx-doc',
    });
    const result = await importInvoiceFile(database.store, org, FACTURX, { today: DAY });
    expect(result.created).toBe(1);
    const [doc] = await documents(org.id);
    expect(doc).toMatchObject({ file_name: 'facturx-invoice.pdf', source: 'facturx' });
    expect(Buffer.from(doc!.content!).equals(readFileSync(FACTURX))).toBe(true);
    // The same file again changes nothing, and says so.
    const again = await importDocumentFile(database.store, org, FACTURX);
    expect(again).toMatchObject({ status: 'unchanged', matchedBy: 'facturx', invoice: doc!.number });
  });

  it.skipIf(!engine.available)(
    'matches a PDF to its invoice by the number in its name, and refuses what names none or is no PDF',
    async () => {
      const org = await mailOrg(database.store);
      await importLedger(
        database.store,
        org,
        [
          'F-2026-0412,C1,Boulangerie Martin,FR,,compta@martin.fr,fr,2026-09-01,2026-10-01,1200.00,,,',
          'F-2026-0413,C1,Boulangerie Martin,FR,,compta@martin.fr,fr,2026-09-02,2026-10-02,300.00,,,',
        ],
        DAY,
      );
      const named = join(dir, 'Facture f20260412 Martin.pdf');
      writeFileSync(named, await invoicePdf('Facture F-2026-0412'));
      expect(await importDocumentFile(database.store, org, named)).toMatchObject({
        status: 'attached',
        matchedBy: 'file_name',
        invoice: 'F-2026-0412',
      });
      const stray = join(dir, 'scan-0007.pdf');
      writeFileSync(stray, await invoicePdf('?'));
      const refused = await importDocumentFile(database.store, org, stray);
      expect(refused.status).toBe('refused');
      expect(refused.problem?.message).toMatch(/names no invoice/);
      const text = join(dir, 'F-2026-0413.pdf');
      writeFileSync(text, 'not a pdf at all');
      expect((await importDocumentFile(database.store, org, text)).problem?.message).toMatch(/not a PDF/);
      expect((await documents(org.id)).map((d) => d.number)).toEqual(['F-2026-0412']);
    },
  );

  it.skipIf(!engine.available)('attaches the invoice’s PDF to the reminder about it', async () => {
    const org = await mailOrg(database.store);
    await importLedger(
      database.store,
      org,
      ['F-77,C7,Garage Lenoir,FR,,compta@lenoir.fr,fr,2026-09-01,2026-10-01,450.00,,,'],
      DAY,
    );
    const pdf = join(dir, 'F-77.pdf');
    writeFileSync(pdf, await invoicePdf('Facture F-77'));
    await importDocumentFile(database.store, org, pdf);
    await queueDay(database.store, org, DAY);
    const outbox = join(dir, `outbox-${org.slug}`);
    await deliverDue(database.store, org, { upTo: DAY, today: DAY, transport: directoryTransport(outbox) });
    const [file] = readdirSync(outbox);
    const mail = await simpleParser(readFileSync(join(outbox, file!)));
    const attached = mail.attachments.find((a) => a.filename === 'F-77.pdf');
    expect(attached?.contentType).toBe('application/pdf');
    expect(attached?.content.equals(readFileSync(pdf))).toBe(true);
  });

  it.skipIf(!engine.available)('takes a PDF for one invoice over the API and gives it back', async () => {
    const seeded = await seedOrg(database.store, 'D');
    const { app } = await testApp(database.store);
    try {
      const key = bearer(seeded.keys.member);
      const bytes = await invoicePdf('Facture D-F-1');
      const form = multipart('facture D-F-1 (copie).pdf', bytes);
      const put = await app.inject({
        method: 'PUT',
        url: '/api/invoices/D-F-1/document',
        headers: { ...key, ...form.headers },
        payload: form.payload,
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ invoice: 'D-F-1', status: 'attached' });
      const got = await call(app, 'GET', '/api/invoices/D-F-1/document', key);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.rawPayload.equals(bytes)).toBe(true);
      expect((await call(app, 'GET', '/api/invoices/D-F-2/document', key)).statusCode).toBe(404);
      const notPdf = multipart('D-F-2.pdf', 'hello');
      const refused = await app.inject({
        method: 'PUT',
        url: '/api/invoices/D-F-2/document',
        headers: { ...key, ...notPdf.headers },
        payload: notPdf.payload,
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toMatch(/not a PDF/);
    } finally {
      await app.close();
    }
  });
});

describe('ardent import documents', () => {
  it('attaches what it can and exits 1 naming each file it refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ardent-documents-cli-'));
    const env = { ARDENT_HOME: home };
    expect((await ardent(['init', '--name', 'Atelier', '--country', 'FR'], env)).status).toBe(0);
    const csv = join(home, 'f.csv');
    writeFileSync(
      csv,
      'number,customer_ref,customer_name,customer_country,issue_date,due_date,total\nF-1,C1,Client,FR,2026-10-01,2026-11-01,10.00\n',
    );
    expect((await ardent(['import', 'invoices', csv], env)).status).toBe(0);
    writeFileSync(join(home, 'F-1.pdf'), await invoicePdf('F-1'));
    writeFileSync(join(home, 'F-9.pdf'), await invoicePdf('F-9'));
    const r = await ardent(
      ['import', 'documents', join(home, 'F-1.pdf'), join(home, 'F-9.pdf'), '--json'],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/F-9\.pdf.*names no invoice/);
    expect(r.json<{ files: { status: string; invoice?: string }[] }>().files).toMatchObject([
      { status: 'attached', invoice: 'F-1' },
      { status: 'refused' },
    ]);
  });
});
