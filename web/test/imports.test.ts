// The imports page in a real browser: a file of invoices with a refused row, a bank statement, and a
// payment suggestion confirmed in one click; on a laptop and on a phone.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, DESKTOP, PHONE, screenshot, signedIn, startDashboard } from './support/dashboard.ts';

const INVOICES = Buffer.from(
  [
    'numero;ref_client;client;pays;email;date_facture;echeance;montant_ttc',
    'T-9001;T01;Import Témoin SARL;FR;compta@temoin.example;01/11/2026;01/12/2026;120,00',
    'T-9002;T01;Import Témoin SARL;FR;compta@temoin.example;02/11/2026;02/12/2026;80,00',
    'T-9003;T02;Autre Témoin SARL;FR;;03/11/2026;bientôt;50,00',
    '',
  ].join('\n'),
);
const STATEMENT = readFileSync(
  new URL('../../test/fixtures/statements/camt053-v08-payments-end-to-end.xml', import.meta.url),
);

async function importInvoices(page: Page) {
  await page.goto('/imports');
  await page.getByLabel('Invoice files').setInputFiles({
    name: 'factures.csv',
    mimeType: 'text/csv',
    buffer: INVOICES,
  });
  await page.getByRole('button', { name: 'Import invoices' }).click();
  await page.getByRole('table', { name: 'Refused rows' }).waitFor();
}

describe('the imports page', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  const invoice = (number: string) =>
    d.store.db
      .selectFrom('invoices')
      .select(['number', 'outstanding', 'status'])
      .where('org_id', '=', d.org.id)
      .where('number', '=', number)
      .executeTakeFirst();

  it('imports a CSV of invoices, keeps the good rows and names the refused one by line and reason', async () => {
    const { context, page } = await signedIn(d);
    await importInvoices(page);
    const rows = page.getByRole('table', { name: 'Refused rows' }).getByRole('row');
    expect(await rows.count()).toBe(2); // the heading and the one refused row
    const refused = await rows.nth(1).textContent();
    expect(refused).toContain('factures.csv');
    expect(refused).toContain('line 4');
    expect(refused).toMatch(/bientôt/);
    expect(await page.getByRole('region', { name: 'Invoices imported' }).textContent()).toMatch(
      /2\s*Accepted/,
    );
    expect(await invoice('T-9001')).toMatchObject({ outstanding: 12000 });
    expect(await invoice('T-9002')).toMatchObject({ outstanding: 8000 });
    expect(await invoice('T-9003')).toBeUndefined();
    await context.close();
  });

  it('imports a camt.053 statement and confirms the payment it suggests in one click', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/imports');
    await page.getByLabel('Bank statement files').setInputFiles({
      name: 'releve.xml',
      mimeType: 'application/xml',
      buffer: STATEMENT,
    });
    await page.getByRole('button', { name: 'Import statements' }).click();
    const summary = page.getByRole('region', { name: 'Statements imported' });
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/camt\.053/);
    const open = await d.store.db
      .selectFrom('payment_suggestions')
      .select(['id', 'proposal'])
      .where('org_id', '=', d.org.id)
      .where('status', '=', 'open')
      .execute();
    const proposalOf = (s: (typeof open)[number]) =>
      (s.proposal as unknown as { allocations?: { number: string; amount: number }[] }).allocations ?? [];
    const suggestion = open.find((s) => proposalOf(s).length > 0)!;
    const proposed = proposalOf(suggestion)[0]!;
    const before = (await invoice(proposed.number))!;
    const confirm = page.getByRole('button', { name: /^Confirm payment of €400\.00 from / });
    await confirm.click();
    await confirm.waitFor({ state: 'detached' });
    const after = (await invoice(proposed.number))!;
    expect(Number(after.outstanding)).toBe(Number(before.outstanding) - proposed.amount);
    const status = await d.store.db
      .selectFrom('payment_suggestions')
      .select('status')
      .where('id', '=', suggestion.id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('confirmed');
    await context.close();
  });

  it('attaches a PDF named after an invoice to that invoice, and says which file named none', async () => {
    const invoice = await d.store.db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('org_id', '=', d.org.id)
      .where('type', '=', 'invoice')
      .orderBy('number')
      .executeTakeFirstOrThrow();
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    const { context, page } = await signedIn(d);
    await page.goto('/imports');
    await page.getByLabel('PDF files').setInputFiles([
      { name: `Facture ${invoice.number}.pdf`, mimeType: 'application/pdf', buffer: pdf },
      { name: 'scan-0007.pdf', mimeType: 'application/pdf', buffer: pdf },
    ]);
    await page.getByRole('button', { name: 'Attach PDFs' }).click();
    const table = page.getByRole('table', { name: 'Invoice PDFs attached' });
    await table.waitFor();
    await expect(table.getByRole('row').nth(1).textContent()).resolves.toContain(
      `attached to ${invoice.number}`,
    );
    await expect(table.getByRole('row').nth(2).textContent()).resolves.toMatch(/names no invoice/);
    const stored = await d.store.db
      .selectFrom('documents')
      .select(['file_name', 'size'])
      .where('org_id', '=', d.org.id)
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ file_name: `Facture_${invoice.number}.pdf`, size: pdf.byteLength });
    await context.close();
  });

  it('reads well on a laptop and on a phone after an import with a refused row', async () => {
    for (const [viewport, name] of [
      [DESKTOP, 'imports-desktop'],
      [PHONE, 'imports-phone'],
    ] as const) {
      const { context, page } = await signedIn(d, { viewport });
      await importInvoices(page);
      expect(await page.getByRole('table', { name: 'Refused rows' }).textContent()).toContain('line 4');
      // The statement's other credits still wait for a person.
      await page
        .getByRole('button', { name: /^Set aside payment of / })
        .first()
        .waitFor();
      await screenshot(page, name);
      await context.close();
    }
  });
});
