// The SMTP listener a relay forwards replies to, spoken to by a real SMTP client (nodemailer).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import { ingestMessage } from '../src/inbound/ingest.ts';
import { type InboundSmtpServer, startInboundSmtp } from '../src/inbound/smtp-listener.ts';
import type { Organisation } from '../src/ledger/organisations.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { newOrg } from './support/org.ts';

const CSV = `number,customer_ref,customer_name,customer_country,contact_email,issue_date,due_date,total
FA-2026-0101,PROM,Boulangerie Martin,FR,compta@martin.fr,2026-09-30,2026-10-30,1200.00
`;

describe.each(engines)('the inbound SMTP listener on $name', (engine) => {
  let database: TestDatabase;
  let org: Organisation;
  let listener: InboundSmtpServer;
  let token = '';
  const dir = mkdtempSync(join(tmpdir(), 'ardent-smtp-in-'));
  const send = (mail: SendMailOptions) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true })
      .sendMail(mail);

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    org = await newOrg(database.store.db, 'FR');
    writeFileSync(join(dir, 'f.csv'), CSV);
    await importInvoiceFile(database.store, org, join(dir, 'f.csv'), { today: '2026-11-01' });
    token = (
      await database.store.db
        .selectFrom('customers')
        .select('reply_token')
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow()
    ).reply_token;
    listener = await startInboundSmtp({
      port: 0,
      host: '127.0.0.1',
      store: database.store,
      replyAddresses: ['replies@ardent.example'],
      maxBytes: 20_000,
      onMessage: (raw, envelope) =>
        ingestMessage(database.store, raw, { asOf: '2026-11-09', via: 'smtp', envelopeTo: envelope.to }),
    });
  });
  afterAll(async () => {
    await listener?.close();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'takes in a reply sent to a customer’s reply address and matches it by its token',
    async () => {
      const info = await send({
        from: 'Comptabilité <autre-adresse@martin.fr>',
        to: `replies+${token}@ardent.example`,
        subject: 'Re: Rappel',
        messageId: '<smtp-1@martin.fr>',
        text: 'Bonjour,\n\nNous réglerons la facture FA-2026-0101 le 20 novembre.\n\nCordialement',
      });
      expect(info.accepted).toEqual([`replies+${token}@ardent.example`]);
      const row = await database.store.db
        .selectFrom('inbound_messages')
        .select(['org_id', 'via', 'matched_by', 'status', 'analysis', 'raw'])
        .where('message_id', '=', '<smtp-1@martin.fr>')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ org_id: org.id, via: 'smtp', matched_by: 'token', status: 'acted' });
      expect(row.analysis).toMatchObject({ intent: 'promise_to_pay', promisedDate: '2026-11-20' });
      expect(row.raw).toMatch(/^Content-Type|Message-ID|From/m);
    },
  );

  it.skipIf(!engine.available)('refuses mail for an address that is not ours: no open relay', async () => {
    await expect(
      send({ from: 'x@martin.fr', to: 'someone@elsewhere.example', subject: 'hi', text: 'hi' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it.skipIf(!engine.available)('refuses a message over the size limit', async () => {
    await expect(
      send({
        from: 'compta@martin.fr',
        to: 'replies@ardent.example',
        subject: 'big',
        text: 'x'.repeat(40_000),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });
});
