// Two and a half months of daily runs for customers in six countries, through the same functions
// `ardent run --as-of` calls, reading what lands in the outbox.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/calendar/plain-date.ts';
import { runDay } from '../src/dunning/run.ts';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import type { Organisation } from '../src/ledger/organisations.ts';
import { deliverToDirectory } from '../src/mail/outbox-dir.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { newOrg } from './support/org.ts';

const HEADER =
  'number,type,customer_ref,customer_name,customer_country,contact_name,contact_email,contact_language,issue_date,due_date,total,outstanding,applies_to';
const LEDGER = [
  'FR-1,invoice,FR01,Boulangerie Martin,FR,Paul Martin,compta@martin.fr,,2026-10-05,2026-11-04,1200.00,,',
  'DE-1,invoice,DE01,Müller Metallbau GmbH,DE,Katrin Müller,buchhaltung@mueller.de,,2026-11-19,2026-12-19,800.00,,',
  'GB-1,invoice,GB01,Jones Joinery Ltd,GB,Harry Jones,accounts@jones.co.uk,,2026-11-19,2026-12-19,500.00,,',
  'BE-1,invoice,BE01,Drukkerij Peeters,BE,Lotte Peeters,lotte@peeters.be,nl,2026-10-15,2026-11-14,300.00,,',
  'IT-1,invoice,IT01,Officina Rossi,IT,Marco Rossi,amministrazione@rossi.it,,2026-10-01,2026-10-31,100.00,,',
  'IT-2,invoice,IT01,Officina Rossi,IT,Marco Rossi,amministrazione@rossi.it,,2026-10-01,2026-10-31,250.00,,',
  'ES-1,invoice,ES01,Talleres García,ES,Lucía García,contabilidad@garcia.es,,2026-10-01,2026-10-31,400.00,,',
  'ES-AV,credit_note,ES01,Talleres García,ES,,,,2026-10-10,2026-10-10,400.00,,ES-1',
  'NC-1,invoice,NC01,Sans Contact SARL,FR,,,,2026-10-01,2026-10-31,90.00,,',
];

describe.each(engines)('two months of daily runs on $name', (engine) => {
  let database: TestDatabase;
  let org: Organisation;
  const home = mkdtempSync(join(tmpdir(), 'ardent-2m-'));
  const sent: { ref: string; day: string; level: number; language: string; invoices: string[] }[] = [];

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    org = await newOrg(database.store.db, 'FR');
    writeFileSync(join(home, 'ledger.csv'), `${HEADER}\n${LEDGER.join('\n')}\n`);
    await importInvoiceFile(database.store, org, join(home, 'ledger.csv'), { today: '2026-10-26' });
    for (let day = '2026-10-26'; day <= '2027-01-08'; day = addDays(day, 1)) {
      if (day === '2026-11-20') {
        // The accounting export now says FR-1 is paid.
        writeFileSync(
          join(home, 'paid.csv'),
          `${HEADER}\n${LEDGER[0]!.replace(/1200\.00,,/, '1200.00,0,')}\n`,
        );
        await importInvoiceFile(database.store, org, join(home, 'paid.csv'), { today: day });
      }
      const report = await runDay(database.store, org, { day });
      for (const m of report.messages)
        sent.push({ ref: m.customer.ref, day, level: m.level, language: m.language, invoices: m.invoices });
      await deliverToDirectory(database.store, org, home, day);
    }
  }, 240_000);
  afterAll(async () => {
    await database?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const timeline = (ref: string) => sent.filter((s) => s.ref === ref).map((s) => `${s.day} L${s.level}`);

  it.skipIf(!engine.available)(
    'moves the French step off Armistice Day, and stops once the export shows the payment',
    () => {
      expect(timeline('FR01')).toEqual(['2026-11-12 L1', '2026-11-18 L2']);
    },
  );

  it.skipIf(!engine.available)('moves the German step past the second Christmas day and the weekend', () => {
    expect(timeline('DE01')).toEqual(['2026-12-28 L1', '2027-01-04 L2']);
  });

  it.skipIf(!engine.available)("moves the British step past Boxing Day's substitute Monday", () => {
    expect(timeline('GB01')).toEqual(['2026-12-29 L1', '2027-01-04 L2']);
  });

  it.skipIf(!engine.available)(
    'writes to the Belgian customer in Dutch, on Mondays after weekend steps',
    () => {
      expect(timeline('BE01')).toEqual(['2026-11-23 L1', '2026-11-30 L2', '2026-12-07 L3']);
      expect(new Set(sent.filter((s) => s.ref === 'BE01').map((s) => s.language))).toEqual(new Set(['nl']));
    },
  );

  it.skipIf(!engine.available)('puts two invoices of one customer in one message', () => {
    expect(timeline('IT01')).toEqual(['2026-11-09 L1', '2026-11-16 L2', '2026-11-23 L3']);
    expect(sent.find((s) => s.ref === 'IT01')?.invoices).toEqual(['IT-1', 'IT-2']);
  });

  it.skipIf(!engine.available)(
    'never reminds an invoice covered by a credit note, nor a customer without contact',
    () => {
      expect(timeline('ES01')).toEqual([]);
      expect(timeline('NC01')).toEqual([]);
    },
  );

  it.skipIf(!engine.available)(
    'opens one task per cause: a missing contact, and reminders exhausted',
    async () => {
      const tasks = await database.store.db
        .selectFrom('tasks as t')
        .innerJoin('customers as c', 'c.id', 't.customer_id')
        .select(['c.ref', 't.kind', 't.created_on'])
        .where('t.org_id', '=', org.id)
        .orderBy('c.ref')
        .orderBy('t.kind')
        .execute();
      expect(tasks.map((t) => `${t.ref} ${t.kind} ${t.created_on}`)).toEqual([
        'BE01 reminders_exhausted 2026-12-14',
        'IT01 reminders_exhausted 2026-11-30',
        'NC01 missing_contact 2026-11-09',
      ]);
    },
  );

  it.skipIf(!engine.available)(
    'leaves one .eml per message in the outbox, addressed and worded as decided',
    async () => {
      const files = readdirSync(join(home, 'outbox'))
        .filter((f) => f.endsWith('.eml'))
        .sort();
      expect(files).toHaveLength(sent.length);
      expect(files.map((f) => f.split('_').slice(0, 2).join(' '))).toEqual(
        sent.map((s) => `${s.day} ${s.ref}`).sort(),
      );
      const it1 = files.find((f) => f.startsWith('2026-11-09_IT01'))!;
      const mail = await simpleParser(readFileSync(join(home, 'outbox', it1)));
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toMatch(/amministrazione@rossi\.it/);
      expect(mail.text).toMatch(/IT-1/);
      expect(mail.text).toMatch(/IT-2/);
      expect(mail.html).toBeTruthy();
      expect(mail.messageId).toMatch(/^<[0-9a-f-]+@/);
    },
  );

  it.skipIf(!engine.available)('does nothing more when a day is run twice', async () => {
    const again = await runDay(database.store, org, { day: '2027-01-04' });
    expect(again.messages).toEqual([]);
    const delivered = await deliverToDirectory(database.store, org, home, '2027-01-04');
    expect(delivered.delivered).toEqual([]);
  });
});
