// Formal notices by post: a policy whose last level goes by letter; the letter laid out for a
// window envelope lands in the print folder, a customer without a postal address gets a task
// instead, and a postal service's API (a fake one here) takes each letter once.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organisation } from '../src/ledger/organisations.ts';
import { printFolder } from '../src/mail/letters/print-folder.ts';
import type { Letter, LetterProvider } from '../src/mail/letters/provider.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { directoryTransport } from '../src/mail/transports/directory.ts';
import type { Store } from '../src/store/store.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { importLedger, mailOrg, messageRows, queueDay } from './support/mail-fixtures.ts';
import { pdfText } from './support/pdf-text.ts';

const DAY = '2026-11-09';
const LEDGER = [
  'F-1,C1,Boulangerie Martin,FR,Paul Martin,compta@martin.fr,fr,2026-10-01,2026-10-31,1200.00,3 place du Marché,75011,Paris',
  'F-2,C2,Garage Sans Adresse,FR,,compta@sans-adresse.fr,fr,2026-10-01,2026-10-31,300.00,,,',
];

/** A postal service's API as a fake: it keeps each letter once per idempotency key, as Pingen or Lob do. */
function fakePostalApi(): LetterProvider & { posted: Map<string, Letter> } {
  const posted = new Map<string, Letter>();
  return {
    kind: 'fake-postal-api',
    destination: 'https://postal.example/v1/letters',
    posted,
    async post(letter) {
      if (!posted.has(letter.idempotencyKey)) posted.set(letter.idempotencyKey, letter);
      return { providerId: `letter_${letter.idempotencyKey.slice(0, 8)}` };
    },
  };
}

async function letterPolicy(store: Store, org: Organisation): Promise<void> {
  await store.db
    .insertInto('policies')
    .values({
      org_id: org.id,
      name: 'letters',
      is_default: true,
      levels: JSON.stringify([
        { level: 1, offsetDays: 7, tone: 'formal_notice', channel: 'letter', approval: false },
      ]),
    })
    .execute();
}

describe.each(engines)('letters on $name', (engine) => {
  let database: TestDatabase;
  const home = mkdtempSync(join(tmpdir(), 'ardent-letters-'));
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'prints the formal notice for the window envelope, and asks for the address of a customer who has none',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await letterPolicy(store, org);
      await importLedger(store, org, LEDGER, DAY);
      const run = await queueDay(store, org, DAY);
      expect(run.messages.map((m) => [m.customer.ref, m.channel])).toEqual([
        ['C1', 'letter'],
        ['C2', 'letter'],
      ]);
      const print = join(home, 'print');
      const report = await deliverDue(store, org, {
        upTo: DAY,
        today: DAY,
        transport: directoryTransport(join(home, 'outbox')),
        letters: printFolder(print),
      });
      expect(report.letters).toHaveLength(1);
      expect(report.suspended.map((s) => s.reason)).toEqual([
        'no postal address for Garage Sans Adresse: a letter cannot be sent',
      ]);
      const [c1, c2] = await messageRows(store, org);
      expect(c1).toMatchObject({
        status: 'sent',
        provider_message_id: expect.stringMatching(/^print:2026-11-09_C1_/),
      });
      expect(c2?.status).toBe('suspended');

      const files = readdirSync(print);
      expect(files).toEqual([expect.stringMatching(/^2026-11-09_C1_[0-9a-f]{8}\.pdf$/)]);
      const { text, items } = await pdfText(readFileSync(join(print, files[0]!)));
      expect(items.find((i) => i.text === 'Boulangerie Martin')?.x).toBeGreaterThan(300);
      expect(text).toContain('3 place du Marché');
      expect(text).toContain('75011 Paris');
      expect(text).toContain('Lyon, le 9 novembre 2026');
      expect(text).toMatch(/40 € par facture/);

      const tasks = await store.db
        .selectFrom('tasks')
        .select(['kind', 'title'])
        .where('org_id', '=', org.id)
        .execute();
      expect(tasks).toEqual([
        {
          kind: 'missing_address',
          title: "Ajouter l'adresse postale de Garage Sans Adresse : un courrier doit partir",
        },
      ]);
      // A letter is not an email as well.
      expect(existsSync(join(home, 'outbox'))).toBe(false);
    },
  );

  it.skipIf(!engine.available)(
    'hands each letter to a postal API once, with the message as idempotency key',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await letterPolicy(store, org);
      await importLedger(store, org, LEDGER.slice(0, 1), DAY);
      await queueDay(store, org, DAY);
      const api = fakePostalApi();
      const options = {
        upTo: DAY,
        today: DAY,
        transport: directoryTransport(join(home, 'outbox-2')),
        letters: api,
      };
      await deliverDue(store, org, options);
      // A sender that died after the hand-over but before recording it would post it again: the key holds.
      await store.db.updateTable('messages').set({ status: 'queued' }).where('org_id', '=', org.id).execute();
      await deliverDue(store, org, options);
      const [m] = await messageRows(store, org);
      expect(api.posted.size).toBe(1);
      expect([...api.posted.keys()]).toEqual([m!.id]);
      expect(m?.provider_message_id).toBe(`letter_${m!.id.slice(0, 8)}`);
    },
  );
});
