// Bounces end to end: a delivery status notification (RFC 3464) taken by hand or through the
// sender, what a hard bounce does to the contact and the plan, a person giving a new contact, soft
// bounces that come back until they make a task; and the same through the command line.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBounce } from '../src/mail/bounce/apply.ts';
import { parseBounce } from '../src/mail/bounce/parse-bounce.ts';
import { setContact } from '../src/mail/contact-update.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { directoryTransport } from '../src/mail/transports/directory.ts';
import { ardent } from './support/cli.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { importLedger, mailOrg, messageRows, queueDay } from './support/mail-fixtures.ts';

const DAY = '2026-11-09';
const LENOIR = [
  'F-1,C1,Garage Lenoir,FR,,compta@lenoir.fr,fr,2026-10-01,2026-10-31,450.00,,,',
  'F-2,C1,Garage Lenoir,FR,,compta@lenoir.fr,fr,2026-10-01,2026-11-06,120.00,,,',
];

/** A bounce as Postfix writes it (RFC 3464 multipart/report), quoting the returned message's headers. */
function dsn(address: string, status: string, diagnostic: string, messageId: string): string {
  return [
    'From: MAILER-DAEMON@mx.atelier-dupont.fr (Mail Delivery System)',
    'To: relances@atelier-dupont.fr',
    'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <20261112100000.4BxY@mx.atelier-dupont.fr>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
    '',
    `<${address}>: host mx.lenoir.fr said: ${diagnostic}`,
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.atelier-dupont.fr',
    '',
    `Final-Recipient: rfc822; ${address}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    'From: Atelier Dupont <relances@atelier-dupont.fr>',
    `To: ${address}`,
    'Subject: Relance',
    `Message-ID: ${messageId}`,
    '',
    '--B--',
    '',
  ].join('\r\n');
}

describe.each(engines)('bounces on $name', (engine) => {
  let database: TestDatabase;
  const home = mkdtempSync(join(tmpdir(), 'ardent-bounce-'));
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'a hard bounce invalidates the contact, holds back what waits for it, asks for a new contact; the new contact gets the reminder again',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, LENOIR, DAY);
      await queueDay(store, org, DAY);
      const outbox = directoryTransport(join(home, 'outbox'));
      await deliverDue(store, org, { upTo: DAY, today: DAY, transport: outbox });
      // F-2's first reminder is queued for the 13th, and waits in the outbox.
      await queueDay(store, org, '2026-11-13');
      const [first, waiting] = await messageRows(store, org);
      expect(first?.status).toBe('sent');
      expect(waiting?.status).toBe('queued');

      const report = parseBounce(
        dsn(
          'compta@lenoir.fr',
          '5.1.1',
          '550 5.1.1 <compta@lenoir.fr>: Recipient address rejected: User unknown',
          first!.message_id_header!,
        ),
      );
      const [outcome] = await applyBounce(store, org, report!, {
        day: '2026-11-13',
        referencedIds: [first!.message_id_header!],
      });
      expect(outcome).toMatchObject({
        address: 'compta@lenoir.fr',
        hard: true,
        message: first!.id,
        invalidated: 1,
        suspended: [waiting!.id],
      });
      const after = await messageRows(store, org);
      expect(after.map((m) => m.status)).toEqual(['bounced', 'suspended']);
      const tasks = await store.db
        .selectFrom('tasks')
        .select(['kind', 'status', 'cause_key'])
        .where('org_id', '=', org.id)
        .execute();
      expect(tasks.map((t) => [t.kind, t.status])).toEqual([['invalid_email', 'open']]);
      // The same bounce again changes nothing more.
      await applyBounce(store, org, report!, { day: '2026-11-13' });
      expect(
        await store.db.selectFrom('tasks').select('id').where('org_id', '=', org.id).execute(),
      ).toHaveLength(1);

      await setContact(store, org, 'C1', { email: 'factures@lenoir.fr' }, 'test', '2026-11-16');
      expect(
        (await store.db.selectFrom('tasks').select('status').where('org_id', '=', org.id).execute())[0]
          ?.status,
      ).toBe('done');
      const resumed = await queueDay(store, org, '2026-11-16');
      // Both invoices' steps come back: the one that bounced and the one held back.
      expect(resumed.messages.map((m) => [m.to, m.invoices])).toEqual([
        ['factures@lenoir.fr', ['F-1', 'F-2']],
      ]);
    },
  );

  it.skipIf(!engine.available)(
    'soft bounces send the message again later, and make a task only when they repeat',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, LENOIR.slice(0, 1), DAY);
      await queueDay(store, org, DAY);
      const outbox = directoryTransport(join(home, 'outbox-soft'));
      const soft = (id: string) =>
        parseBounce(dsn('compta@lenoir.fr', '4.2.2', '452 4.2.2 <compta@lenoir.fr>: Mailbox full', id))!;
      for (let i = 1; i <= 3; i++) {
        await deliverDue(store, org, { upTo: DAY, today: DAY, transport: outbox });
        const [m] = await messageRows(store, org);
        expect(m?.status).toBe('sent');
        const [o] = await applyBounce(store, org, soft(m!.message_id_header!), {
          day: `2026-11-1${i}`,
          softRetrySeconds: 0,
        });
        expect(o?.hard).toBe(false);
        expect(o?.retryAt !== null).toBe(i < 3);
        const tasks = await store.db
          .selectFrom('tasks')
          .select('kind')
          .where('org_id', '=', org.id)
          .execute();
        expect(tasks.map((t) => t.kind)).toEqual(i < 3 ? [] : ['repeated_bounces']);
      }
      const contact = await store.db
        .selectFrom('contacts')
        .select('valid')
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(contact.valid).toBe(true);
    },
  );
});

describe('bounces and contacts from the command line', () => {
  const pglite = engines.find((e) => e.name === 'pglite')!;
  const dir = mkdtempSync(join(tmpdir(), 'ardent-cli-mail-'));
  const env = { ARDENT_HOME: join(dir, 'home'), ARDENT_TODAY: DAY };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!pglite.available)(
    'ardent send, ardent bounce FILE.eml, ardent contact set',
    async () => {
      writeFileSync(
        join(dir, 'f.csv'),
        `number;ref_client;client;pays;email;date_facture;echeance;montant_ttc\nF-1;C1;Garage Lenoir;FR;compta@lenoir.fr;01/10/2026;31/10/2026;450,00\n`,
      );
      expect((await ardent(['init', '--name', 'Atelier', '--country', 'FR'], env)).status).toBe(0);
      expect((await ardent(['import', 'invoices', join(dir, 'f.csv')], env)).status).toBe(0);
      expect((await ardent(['run', '--as-of', DAY], env)).status).toBe(0);
      const sent = await ardent(['send', '--json'], env);
      expect(sent.status).toBe(0);
      expect(sent.json<{ destination: string }>().destination).toBe(join(env.ARDENT_HOME, 'outbox'));
      const [eml] = readdirSync(join(env.ARDENT_HOME, 'outbox'));
      const messageId = /^Message-ID: (<[^>]+>)/m.exec(
        readFileSync(join(env.ARDENT_HOME, 'outbox', eml!), 'utf8'),
      )![1]!;

      writeFileSync(
        join(dir, 'bounce.eml'),
        dsn('compta@lenoir.fr', '5.1.1', '550 5.1.1 User unknown', messageId),
      );
      const bounced = await ardent(['bounce', join(dir, 'bounce.eml')], env);
      expect(bounced.status).toBe(0);
      expect(bounced.stdout).toMatch(
        /compta@lenoir\.fr: hard bounce 5\.1\.1 userunknown — Garage Lenoir \(C1\)/,
      );
      expect(bounced.stdout).toMatch(/contact marked invalid/);
      const tasks = (await ardent(['tasks', '--json'], env)).json<{ kind: string }[]>();
      expect(tasks.map((t) => t.kind)).toEqual(['invalid_email']);

      const notBounce = await ardent(['bounce', join(dir, 'f.csv')], env);
      expect(notBounce.status).toBe(2);
      expect(notBounce.stderr).toMatch(/not a bounce/);

      const set = await ardent(
        ['contact', 'set', 'C1', '--email', 'factures@lenoir.fr', '--name', 'Anne Lenoir'],
        env,
      );
      expect(set.status).toBe(0);
      expect(set.stdout).toMatch(/reminders go to factures@lenoir\.fr from the next run/);
      expect((await ardent(['tasks', '--json'], env)).json()).toEqual([]);
      const bad = await ardent(['contact', 'set', 'C9', '--email', 'x@y.fr'], env);
      expect(bad.status).toBe(2);
    },
    240_000,
  );
});
