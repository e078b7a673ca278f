// `ardent import payments`, `payments`, `payment record`, `suggestions` and `suggestion confirm`,
// run as a user runs them, with the exit statuses of CONTRACT.md §1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ardent } from './support/cli.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';

const statements = new URL('./fixtures/statements/', import.meta.url).pathname;
const INVOICES = `numero;ref_client;client;pays;email;langue;date_facture;echeance;montant_ttc
F-2026-0412;FR01;Boulangerie Martin;FR;compta@martin.fr;fr;01/10/2026;31/10/2026;1 200,00
F-2026-0413;BE01;Drukkerij Peeters;BE;lotte@peeters.be;nl;06/10/2026;05/11/2026;300,00
F-2026-0414;IT01;Officina Rossi;IT;amministrazione@rossi.it;it;04/10/2026;03/11/2026;1 000,00
F-2026-0415;FR02;Atelier Nord;FR;compta@nord.fr;fr;04/10/2026;03/11/2026;75,00
`;

describe.each(engines)('payments from the command line on $name', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-cli-pay-'));
  let env: Record<string, string>;
  let cleanup = async () => {};
  beforeAll(async () => {
    if (!engine.available) return;
    env = { ARDENT_HOME: join(dir, 'home'), ARDENT_TODAY: '2026-11-10' };
    if (engine.name === 'postgres') {
      const database = await createPostgresDatabase();
      env.DATABASE_URL = database.url;
      cleanup = database.drop;
    }
    writeFileSync(join(dir, 'factures.csv'), INVOICES);
    expect((await ardent(['init', '--name', 'Atelier', '--country', 'FR'], env)).status).toBe(0);
    expect((await ardent(['import', 'invoices', join(dir, 'factures.csv')], env)).status).toBe(0);
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)('imports a statement, then recognises it when imported again', async () => {
    const file = join(statements, 'camt053-v08-payments-end-to-end.xml');
    const first = await ardent(['import', 'payments', file, '--json'], env);
    expect(first.status).toBe(0);
    expect(first.json<{ files: unknown[] }>().files).toEqual([
      expect.objectContaining({
        format: 'camt.053',
        entries: 4,
        credits: 3,
        applied: 3,
        debitsIgnored: 1,
        invoicesPaid: ['F-2026-0412', 'F-2026-0413'],
      }),
    ]);
    const again = await ardent(['import', 'payments', file], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/3 credits: 0 applied, 0 to confirm .*3 already imported/);

    const payments = (await ardent(['payments', '--json'], env)).json<Record<string, unknown>[]>();
    expect(payments).toContainEqual(
      expect.objectContaining({
        receivedOn: '2026-11-09',
        amount: '400.00',
        currency: 'EUR',
        customer: { ref: 'IT01', name: 'Officina Rossi' },
        allocations: [{ invoice: 'F-2026-0414', amount: '400.00' }],
        status: 'applied',
      }),
    );
  });

  it.skipIf(!engine.available)(
    'refuses whole a file that is no statement, or broken XML, with status 2',
    async () => {
      writeFileSync(join(dir, 'scan.dat'), '%PDF-1.4 a scanned statement');
      writeFileSync(
        join(dir, 'broken.xml'),
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>',
      );
      const r = await ardent(['import', 'payments', join(dir, 'scan.dat'), join(dir, 'broken.xml')], env);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/scan\.dat: not a bank statement format Ardent reads/);
      expect(lines[1]).toMatch(/broken\.xml: /);
    },
  );

  it.skipIf(!engine.available)('refuses whole a statement in another currency, with status 2', async () => {
    writeFileSync(
      join(dir, 'usd.csv'),
      'Date;Libellé;Montant;Devise\n09/11/2026;INVOICE F-2026-0415;75,00;USD\n',
    );
    const r = await ardent(['import', 'payments', join(dir, 'usd.csv')], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usd\.csv: statement 1: field Ccy: the statement is in USD/);
  });

  it.skipIf(!engine.available)(
    'lists a payment to confirm and confirms it corrected in one command',
    async () => {
      writeFileSync(join(dir, 'unknown.csv'), 'Date;Libellé;Montant\n10/11/2026;VIR M DUPONT JEAN;50,00\n');
      expect((await ardent(['import', 'payments', join(dir, 'unknown.csv')], env)).status).toBe(0);
      const [s] = (await ardent(['suggestions', '--json'], env)).json<
        { id: string; amount: string; currency: string; proposal: unknown[]; reasons: string[] }[]
      >();
      expect(s).toMatchObject({ amount: '50.00', currency: 'EUR', proposal: [] });
      const confirmed = await ardent(
        [
          'suggestion',
          'confirm',
          s!.id.slice(0, 8),
          '--invoice',
          'F-2026-0415',
          '--amount',
          '50,00',
          '--json',
        ],
        env,
      );
      expect(confirmed.status).toBe(0);
      expect(confirmed.json()).toMatchObject({
        customer: { ref: 'FR02', name: 'Atelier Nord' },
        invoices: [
          { number: 'F-2026-0415', amount: '50.00', outstanding: '25.00', status: 'partially_paid' },
        ],
      });
      expect((await ardent(['suggestions', '--json'], env)).json()).toEqual([]);
    },
  );

  it.skipIf(!engine.available)('records a payment by hand and the invoice is paid', async () => {
    const r = await ardent(
      [
        'payment',
        'record',
        '--invoice',
        'F-2026-0415',
        '--amount',
        '25.00',
        '--date',
        '2026-11-10',
        '--reference',
        'chèque 1234',
      ],
      env,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/payment of 25\.00 EUR from Atelier Nord: F-2026-0415 paid/);
    const bad = await ardent(['payment', 'record', '--invoice', 'F-2026-0415', '--amount', '10'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/F-2026-0415 has nothing left to pay/);
  });
});
