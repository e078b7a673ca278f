import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ardent } from './support/cli.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';

const statements = new URL('./fixtures/statements/', import.meta.url).pathname;
const CSV = `numero;ref_client;client;pays;contact;email;langue;date_facture;echeance;montant_ttc
F-1;C1;Boulangerie Martin;FR;Paul Martin;compta@martin.fr;fr;01/10/2026;31/10/2026;1 200,00
F-2;C1;Boulangerie Martin;FR;Paul Martin;compta@martin.fr;fr;05/10/2026;04/11/2026;300,00
F-3;C2;Bakkerij Peeters;BE;Lotte Peeters;lotte@peeters.be;nl;01/10/2026;31/10/2026;80,00
F-4;C3;Sans Contact SARL;FR;;;;01/10/2026;31/10/2026;50,00
`;

describe.each(engines)('running the agent from the command line on $name', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-cli-dun-'));
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
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)('a dry run says what it would send and changes nothing', async () => {
    const dry = await ardent(['run', '--as-of', '2026-11-09', '--dry-run', '--json'], env);
    expect(dry.status).toBe(0);
    const report = dry.json<{
      dryRun: boolean;
      messages: { customer: { ref: string }; invoices: string[]; level: number }[];
    }>();
    expect(report.dryRun).toBe(true);
    expect(report.messages.map((m) => [m.customer.ref, m.invoices, m.level])).toEqual([
      ['C1', ['F-1'], 1],
      ['C2', ['F-3'], 1],
    ]);
    expect((await ardent(['queue', '--json'], env)).json()).toEqual([]);
  });

  it.skipIf(!engine.available)(
    'runs a day, fills the outbox, lists the queue with priorities, and does nothing more the second time',
    async () => {
      const first = await ardent(['run', '--as-of', '2026-11-09', '--json'], env);
      expect(first.status).toBe(0);
      expect(first.json<{ delivered: number }>().delivered).toBe(2);
      expect(readdirSync(join(env.ARDENT_HOME!, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
      const second = await ardent(['run', '--as-of', '2026-11-09', '--json'], env);
      expect(second.json<{ messages: unknown[]; delivered: number }>()).toMatchObject({
        messages: [],
        delivered: 0,
      });

      const queue = (await ardent(['queue', '--json'], env)).json<Record<string, unknown>[]>();
      expect(queue).toContainEqual(
        expect.objectContaining({
          customer: { ref: 'C1', name: 'Boulangerie Martin' },
          invoices: ['F-2'],
          amount: '300.00',
          currency: 'EUR',
          level: 1,
          channel: 'email',
          plannedFor: '2026-11-12',
          daysOverdue: 8,
          priority: 'green',
          status: 'planned',
        }),
      );
      expect(queue).toContainEqual(
        expect.objectContaining({
          customer: { ref: 'C1', name: 'Boulangerie Martin' },
          invoices: ['F-1'],
          level: 2,
          plannedFor: '2026-11-16',
          priority: 'orange',
        }),
      );
      const tasks = (await ardent(['tasks', '--json'], env)).json<
        { customer: { ref: string }; kind: string }[]
      >();
      expect(tasks.map((t) => [t.customer.ref, t.kind])).toEqual([['C3', 'missing_contact']]);
      const history = (await ardent(['history', '--customer', 'C1', '--json'], env)).json<
        { kind: string; summary: string }[]
      >();
      expect(history.map((h) => h.kind)).toEqual(['dunning.queued', 'message.sent']);
      expect(history[0]?.summary).toMatch(/level 1 because F-1 is 9 days overdue/);
    },
  );

  it.skipIf(!engine.available)('postpones, cancels and marks paid from the queue', async () => {
    expect((await ardent(['queue', 'postpone', 'F-2', '--to', '2026-11-20'], env)).stdout).toMatch(
      /F-2: postponed to 2026-11-20/,
    );
    expect((await ardent(['queue', '--customer', 'C1', '--json'], env)).json()).toContainEqual(
      expect.objectContaining({ invoices: ['F-2'], plannedFor: '2026-11-20', status: 'postponed' }),
    );
    expect(
      (await ardent(['queue', 'cancel', 'F-3', '--reason', 'dispute being settled by phone'], env)).status,
    ).toBe(0);
    expect((await ardent(['queue', 'mark-paid', 'F-1'], env)).status).toBe(0);
    const forecast = (
      await ardent(['forecast', '--as-of', '2026-11-10', '--days', '20', '--json'], env)
    ).json<{ date: string; customer: { ref: string }; invoices: string[]; kind: string }[]>();
    const mails = forecast.filter((f) => f.kind === 'email');
    expect(mails.map((f) => [f.date, f.invoices])).toEqual([
      ['2026-11-20', ['F-2']],
      ['2026-11-24', ['F-2']],
    ]);
    const bad = await ardent(['queue', 'postpone', 'F-99', '--to', '2026-12-01'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no invoice F-99 in this organisation/);
  });

  it.skipIf(!engine.available)('prints bank statement entries as the contract says', async () => {
    const r = await ardent(
      ['inspect-statement', join(statements, 'camt053-v02-two-days.xml'), '--json'],
      env,
    );
    expect(r.status).toBe(0);
    const doc = r.json<{
      format: string;
      statements: { entries: { amount: string; direction: string }[] }[];
    }>();
    expect(doc.format).toBe('camt.053');
    expect(doc.statements[0]?.entries[0]).toMatchObject({
      amount: expect.stringMatching(/^\d+\.\d{2}$/),
      direction: expect.stringMatching(/credit|debit/),
    });
    const missing = await ardent(['inspect-statement', join(dir, 'none.xml')], env);
    expect(missing.status).toBe(2);
  });
});
