// `ardent inbound` and `ardent replies` as a user runs them, on the fixtures in fixtures/replies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ardent } from './support/cli.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';

const replies = new URL('./fixtures/replies/', import.meta.url).pathname;
const CSV = `numero;ref_client;client;pays;contact;email;langue;date_facture;echeance;montant_ttc
F-2026-0412;C1;Boulangerie Martin;FR;Paul Martin;compta@martin.fr;fr;01/10/2026;31/10/2026;1 200,00
F-2026-0413;C1;Boulangerie Martin;FR;Paul Martin;compta@martin.fr;fr;05/10/2026;04/11/2026;300,00
INV-2026-0900;C2;Northwind Supplies Ltd;GB;Priya Shah;ap@northwind.example;en;01/10/2026;31/10/2026;4 380,00
`;

interface Report {
  duplicate: boolean;
  customer: { ref: string } | null;
  matchedBy: string;
  status: string;
  decisions: {
    kind: string;
    invoices?: string[];
    promisedDate?: string;
    to?: string;
    proposals?: string[];
  }[];
}

describe.each(engines)('taking replies in from the command line on $name', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-cli-inbound-'));
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
    writeFileSync(join(dir, 'f.csv'), CSV);
    expect((await ardent(['init', '--name', 'Atelier', '--country', 'FR'], env)).status).toBe(0);
    expect((await ardent(['import', 'invoices', join(dir, 'f.csv')], env)).status).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'acts on a promise to pay, and a second delivery of it changes nothing',
    async () => {
      const first = await ardent(['inbound', join(replies, 'promise-fr.eml'), '--json'], env);
      expect(first.status).toBe(0);
      const report = first.json<Report>();
      expect(report).toMatchObject({
        duplicate: false,
        customer: { ref: 'C1' },
        matchedBy: 'sender',
        status: 'acted',
      });
      // "vendredi prochain", read on Tuesday 10 November: Friday 13.
      expect(report.decisions.find((d) => d.kind === 'record_promise')).toMatchObject({
        invoices: ['F-2026-0412'],
        promisedDate: '2026-11-13',
      });
      const again = await ardent(['inbound', join(replies, 'promise-fr.eml'), '--json'], env);
      expect(again.json<Report>()).toMatchObject({ duplicate: true, decisions: [] });
    },
    60_000,
  );

  it.skipIf(!engine.available)('says in words what it understood and decided', async () => {
    const result = await ardent(['inbound', join(replies, 'dispute-fr.eml')], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/understood: dispute \(\d+%\), language fr, invoices F-2026-0413/);
    expect(result.stdout).toMatch(/matched: Boulangerie Martin \(C1\) by sender/);
    expect(result.stdout).toMatch(
      /- marked disputed F-2026-0413: disputed by the customer \(reply of 2026-11-10\)/,
    );
    expect(result.stdout).toMatch(/- task \(dispute\): Boulangerie Martin disputes F-2026-0413/);
  });

  it.skipIf(!engine.available)(
    'answers a request for a statement, and proposes the address a wrong contact gives',
    async () => {
      const statement = (
        await ardent(['inbound', join(replies, 'statement-request-en.eml'), '--json'], env)
      ).json<Report>();
      expect(statement.decisions.find((d) => d.kind === 'send_statement')).toMatchObject({
        to: 'ap@northwind.example',
        invoices: ['INV-2026-0900'],
      });
      const wrong = (
        await ardent(['inbound', join(replies, 'wrong-contact-fr.eml'), '--json'], env)
      ).json<Report>();
      expect(wrong.decisions.map((d) => d.kind)).toEqual(['record_reply', 'invalidate_contact', 'open_task']);
      expect(wrong.decisions[2]).toMatchObject({ proposals: ['factures@martin.fr'] });
    },
    60_000,
  );

  it.skipIf(!engine.available)('lists what came in, with how it was understood and matched', async () => {
    const list = (await ardent(['replies', '--json'], env)).json<
      { intent: string; matchedBy: string; customer: { ref: string } | null; status: string }[]
    >();
    expect(list.map((m) => [m.intent, m.matchedBy, m.customer?.ref, m.status]).sort()).toEqual([
      ['dispute', 'sender', 'C1', 'acted'],
      ['document_request', 'sender', 'C2', 'acted'],
      ['promise_to_pay', 'sender', 'C1', 'acted'],
      ['wrong_contact', 'sender', 'C1', 'acted'],
    ]);
  });

  it.skipIf(!engine.available)('refuses a file it cannot read, naming it, with status 2', async () => {
    const result = await ardent(['inbound', join(dir, 'missing.eml')], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/missing\.eml/);
  });

  it.skipIf(!engine.available)('changes how long the agent waits after a promise', async () => {
    const result = await ardent(['replies', 'settings', '--promise-grace', '5', '--json'], env);
    expect(result.json()).toMatchObject({ promiseGraceDays: 5, discussionHoldDays: 3 });
  });
});
