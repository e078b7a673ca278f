// A delivery failure report arriving with the replies goes to the mail side's bounce rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import { ingestMessage } from '../src/inbound/ingest.ts';
import type { Organisation } from '../src/ledger/organisations.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { newOrg } from './support/org.ts';

const CSV = `number,customer_ref,customer_name,customer_country,contact_email,issue_date,due_date,total
FA-2026-0101,PROM,Boulangerie Martin,FR,compta@martin.fr,2026-09-30,2026-10-30,1200.00
`;

// RFC 3464: the report, then the headers of our message that came back.
const DSN = [
  'From: Mail Delivery System <MAILER-DAEMON@mx.atelier.fr>',
  'To: relances@atelier.fr',
  'Subject: Undelivered Mail Returned to Sender',
  'Message-ID: <dsn-1@mx.atelier.fr>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'This is the mail system at host mx.atelier.fr. Your message could not be delivered.',
  '',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.atelier.fr',
  '',
  'Final-Recipient: rfc822; compta@martin.fr',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 <compta@martin.fr>: Recipient address rejected: User unknown',
  '',
  '--b1',
  'Content-Type: text/rfc822-headers',
  '',
  'From: Atelier <relances@atelier.fr>',
  'To: compta@martin.fr',
  'Subject: Rappel facture FA-2026-0101',
  'Message-ID: <reminder-1@atelier.fr>',
  '',
  '--b1--',
  '',
].join('\r\n');

describe.each(engines)('a bounce among the replies on $name', (engine) => {
  let database: TestDatabase;
  let org: Organisation;
  const dir = mkdtempSync(join(tmpdir(), 'ardent-bounce-in-'));

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    org = await newOrg(database.store.db, 'FR');
    writeFileSync(join(dir, 'f.csv'), CSV);
    await importInvoiceFile(database.store, org, join(dir, 'f.csv'), { today: '2026-11-01' });
    const customer = await database.store.db
      .selectFrom('customers')
      .select('id')
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    await database.store.db
      .insertInto('messages')
      .values({
        org_id: org.id,
        customer_id: customer.id,
        idempotency_key: `dunning:${customer.id}:2026-11-06`,
        day: '2026-11-06',
        status: 'sent',
        language: 'fr',
        to_address: 'compta@martin.fr',
        subject: 'Rappel facture FA-2026-0101',
        text_body: '…',
        reason: 'level 1',
        message_id_header: '<reminder-1@atelier.fr>',
      })
      .execute();
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'finds the message that came back, and marks the contact invalid on a hard bounce',
    async () => {
      const report = await ingestMessage(database.store, DSN, {
        asOf: '2026-11-09',
        via: 'file',
        orgId: org.id,
      });
      expect(report).toMatchObject({ status: 'bounce', matchedBy: 'in_reply_to', customer: { ref: 'PROM' } });
      expect(report.analysis.bounce?.recipients).toEqual([
        expect.objectContaining({ address: 'compta@martin.fr', status: '5.1.1', hard: true }),
      ]);
      expect(report.notes.join('\n')).toMatch(
        /compta@martin\.fr: hard bounce 5\.1\.1 .*contact marked invalid/,
      );
      const contact = await database.store.db
        .selectFrom('contacts')
        .select(['valid', 'invalid_reason'])
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(contact.valid).toBe(false);
    },
  );
});
