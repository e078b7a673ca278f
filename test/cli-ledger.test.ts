import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ardent } from './support/cli.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';

const fixtures = new URL('./fixtures/invoices/', import.meta.url).pathname;

describe.each(engines)('the ardent command line on $name', (engine) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'ardent-cli-'));

  beforeAll(async () => {
    if (!engine.available) return;
    if (engine.name === 'postgres') {
      const database = await createPostgresDatabase();
      env = { DATABASE_URL: database.url, ARDENT_HOME: join(dir, 'unused') };
      cleanup = database.drop;
    } else {
      env = { ARDENT_HOME: join(dir, 'home') };
      cleanup = async () => {};
    }
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'initialises, imports a French export and lists it as the contract says',
    async () => {
      const init = await ardent(['init', '--name', 'Atelier Dupont', '--country', 'FR', '--json'], env);
      expect(init.status).toBe(0);
      expect(init.json()).toMatchObject({
        slug: 'atelier-dupont',
        currency: 'EUR',
        timezone: 'Europe/Paris',
      });

      const imported = await ardent(['import', 'invoices', join(fixtures, 'export-compta-fr.csv')], env);
      expect(imported.stderr).toBe('');
      expect(imported.status).toBe(0);
      expect(imported.stdout).toMatch(/6 accepted, 0 refused; 6 new/);

      const invoices = await ardent(['invoices', '--json'], env);
      expect(invoices.status).toBe(0);
      const list = invoices.json<Record<string, unknown>[]>();
      expect(list).toHaveLength(6);
      expect(list.find((i) => i.number === 'FA-2026-0102')).toMatchObject({
        number: 'FA-2026-0102',
        type: 'invoice',
        issueDate: '2026-09-15',
        dueDate: '2026-10-15',
        currency: 'EUR',
        total: '2316.48',
        outstanding: '1000.00',
        status: 'partially_paid',
        customer: { ref: '411DUR', name: 'Menuiserie Durand SARL' },
      });

      const open = await ardent(['invoices', '--status', 'partially_paid', '--json'], env);
      expect(open.json<{ number: string }[]>().map((i) => i.number)).toEqual(['FA-2026-0102']);

      const customers = await ardent(['customers', '--json'], env);
      const c = customers.json<Record<string, unknown>[]>();
      expect(c.map((x) => x.ref)).toEqual(['411DUR', '411KEL', '411NOC', '411VDB']);
      expect(c[0]).toMatchObject({
        customer: { ref: '411DUR', name: 'Menuiserie Durand SARL' },
        country: 'FR',
      });

      const again = await ardent(
        ['import', 'invoices', join(fixtures, 'export-compta-fr.csv'), '--json'],
        env,
      );
      expect(again.json()).toMatchObject({ files: [{ accepted: 6, created: 0, updated: 0, unchanged: 6 }] });
    },
  );

  it.skipIf(!engine.available)(
    'exits 1 naming each refused row on stderr, and 2 for an unreadable file',
    async () => {
      const bad = join(dir, 'bad.csv');
      writeFileSync(
        bad,
        'numero;ref_client;client;pays;date_facture;echeance;montant_ttc\nZ-1;C9;Zeta;FR;2026-10-01;31/10/2026;12,00\nZ-2;C9;Zeta;FR;2026-10-01;demain;12,00\n',
      );
      const partly = await ardent(['import', 'invoices', bad], env);
      expect(partly.status).toBe(1);
      expect(partly.stderr.trim().split('\n')).toEqual([
        `${bad}: line 3: field due_date (echeance): expected a date as YYYY-MM-DD or DD/MM/YYYY, got "demain"`,
      ]);

      const missing = await ardent(['import', 'invoices', join(dir, 'nowhere.csv')], env);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/nowhere\.csv: no such file/);

      const notXml = join(dir, 'order.xml');
      writeFileSync(notXml, '<Order xmlns="urn:x"><ID>1</ID></Order>');
      const wrongXml = await ardent(['import', 'invoices', notXml], env);
      expect(wrongXml.status).toBe(2);
      expect(wrongXml.stderr).toMatch(/order\.xml: an XML file that is neither a UBL 2\.1 Invoice/);

      const usage = await ardent(['invoices', '--status', 'late'], env);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toMatch(/--status: expected open, partially_paid/);
    },
  );

  it.skipIf(!engine.available)(
    'creates the demo organisation once, and asks which organisation when there are two',
    async () => {
      const demo = await ardent(['demo', '--json'], env);
      expect(demo.status).toBe(0);
      expect(demo.json()).toMatchObject({ slug: 'demo', created: true });
      const invoices = await ardent(['invoices', '--org', 'demo', '--json'], env);
      const list = invoices.json<{ status: string; type: string }[]>();
      expect(list.length).toBeGreaterThan(300);
      // A customer contested one in its reply during the demo's two weeks.
      expect(new Set(list.map((i) => i.status))).toEqual(
        new Set(['open', 'paid', 'partially_paid', 'disputed']),
      );
      expect(list.some((i) => i.type === 'credit_note')).toBe(true);

      const ambiguous = await ardent(['invoices'], env);
      expect(ambiguous.status).toBe(2);
      expect(ambiguous.stderr).toMatch(/several organisations: name one with --org/);
      expect((await ardent(['demo', '--json'], env)).json()).toMatchObject({ created: false });
    },
  );
});

describe('npm start on a new machine', () => {
  it('creates the embedded database with the demo organisation and shows what it holds', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ardent-start-'));
    try {
      const first = await ardent(['start', '--once'], { ARDENT_HOME: home });
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/created the demo organisation/);
      expect(first.stdout).toMatch(/200 customers, \d+ open invoices/);
      expect(first.stdout).toMatch(/Sign in as claire@atelier-lumiere\.example with the password \S{20}/);
      const second = await ardent(['start', '--once', '--json'], { ARDENT_HOME: home });
      expect(second.json()).toMatchObject({ organisations: [{ slug: 'demo', customers: 200 }] });
      expect(second.json()).not.toHaveProperty('demoOwner');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
