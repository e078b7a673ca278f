// The IMAP poller against a small IMAP server of our own (support/imap-fake.ts), through imapflow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import { imapSettingsFromUrl, pollImap } from '../src/inbound/imap-poller.ts';
import { type IngestReport, ingestMessage } from '../src/inbound/ingest.ts';
import type { Organisation } from '../src/ledger/organisations.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { type FakeImap, startFakeImap } from './support/imap-fake.ts';
import { newOrg } from './support/org.ts';

const CSV = `number,customer_ref,customer_name,customer_country,contact_email,issue_date,due_date,total
FA-2026-0101,PROM,Boulangerie Martin,FR,compta@martin.fr,2026-09-30,2026-10-30,1200.00
`;
const REPLY = [
  'From: Paul Martin <compta@martin.fr>',
  'To: relances@atelier.fr',
  'Subject: Re: Rappel facture FA-2026-0101',
  'Message-ID: <imap-1@martin.fr>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Bonjour, nous réglerons la facture FA-2026-0101 le 20 novembre. Cordialement',
  '',
].join('\r\n');

describe('reading the IMAP settings', () => {
  it('reads ARDENT_IMAP_URL, with an encoded user name and a mailbox', () => {
    expect(imapSettingsFromUrl('imaps://replies%40atelier.fr:s3cret@imap.atelier.fr/Replies')).toEqual({
      host: 'imap.atelier.fr',
      port: 993,
      secure: true,
      user: 'replies@atelier.fr',
      password: 's3cret',
      mailbox: 'Replies',
    });
    expect(imapSettingsFromUrl('imap://u:p@localhost:1143')).toMatchObject({
      port: 1143,
      secure: false,
      mailbox: 'INBOX',
    });
  });
});

describe.each(engines)('polling the reply mailbox on $name', (engine) => {
  let database: TestDatabase;
  let org: Organisation;
  let imap: FakeImap;
  const dir = mkdtempSync(join(tmpdir(), 'ardent-imap-'));

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    org = await newOrg(database.store.db, 'FR');
    writeFileSync(join(dir, 'f.csv'), CSV);
    await importInvoiceFile(database.store, org, join(dir, 'f.csv'), { today: '2026-11-01' });
    imap = await startFakeImap();
  });
  afterAll(async () => {
    await imap?.close();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'takes in every unseen message once, flags it seen, and finds nothing new the next time',
    async () => {
      imap.add(REPLY);
      // The same message delivered twice to the mailbox (a forward, a relay retry).
      imap.add(REPLY);
      const settings = {
        host: '127.0.0.1',
        port: imap.port,
        secure: false,
        user: 'u',
        password: 'p',
        mailbox: 'INBOX',
      };
      const reports: IngestReport[] = [];
      const take = async (raw: Buffer) => {
        reports.push(
          await ingestMessage(database.store, raw, { asOf: '2026-11-09', via: 'imap', orgId: org.id }),
        );
      };
      expect(await pollImap(settings, take)).toEqual({ read: 2, taken: 2, failed: [] });
      expect(reports.map((r) => [r.duplicate, r.matchedBy, r.status])).toEqual([
        [false, 'sender', 'acted'],
        [true, 'sender', 'acted'],
      ]);
      expect(imap.messages.map((m) => m.flags.has('\\Seen'))).toEqual([true, true]);
      expect(await pollImap(settings, take)).toEqual({ read: 0, taken: 0, failed: [] });
    },
  );

  it.skipIf(!engine.available)('leaves a message it could not store unseen, to try again', async () => {
    imap.add(REPLY.replace('<imap-1@', '<imap-2@'));
    const settings = {
      host: '127.0.0.1',
      port: imap.port,
      secure: false,
      user: 'u',
      password: 'p',
      mailbox: 'INBOX',
    };
    const result = await pollImap(settings, async () => {
      throw new Error('database down');
    });
    expect(result).toEqual({ read: 1, taken: 0, failed: [{ uid: 3, error: 'database down' }] });
    expect(imap.messages[2]!.flags.has('\\Seen')).toBe(false);
  });
});
