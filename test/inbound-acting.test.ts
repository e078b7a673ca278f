// Customers answer the reminders, and the agent adapts: six weeks of daily runs, through the same
// functions `ardent run --as-of` and `ardent inbound` call, with replies arriving on given days.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/calendar/plain-date.ts';
import { runDay } from '../src/dunning/run.ts';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import { type IngestReport, ingestMessage } from '../src/inbound/ingest.ts';
import type { Organisation } from '../src/ledger/organisations.ts';
import { deliverToDirectory } from '../src/mail/outbox-dir.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { newOrg } from './support/org.ts';

const HEADER =
  'number,customer_ref,customer_name,customer_country,contact_name,contact_email,contact_language,issue_date,due_date,total,outstanding';
const LEDGER = [
  'FA-2026-0101,PROM,Boulangerie Martin,FR,Paul Martin,compta@martin.fr,fr,2026-09-30,2026-10-30,1200.00,',
  'FA-2026-0201,PAID,Fromagerie Petit,FR,Anne Petit,anne@petit.fr,fr,2026-09-30,2026-10-30,300.00,',
  'FA-2026-0301,DISP,Garage Leroy,FR,Luc Leroy,luc@leroy.fr,fr,2026-09-30,2026-10-30,800.00,',
  'FA-2026-0302,DISP,Garage Leroy,FR,Luc Leroy,luc@leroy.fr,fr,2026-09-30,2026-10-30,200.00,',
  'FA-2026-0401,AUTO,Imprimerie Roux,FR,Marie Roux,marie@roux.fr,fr,2026-09-30,2026-10-30,450.00,',
  'FA-2026-0501,INSO,Menuiserie Blanc,FR,Hugo Blanc,hugo@blanc.fr,fr,2026-09-30,2026-10-30,900.00,',
  'FA-2026-0502,INSO,Menuiserie Blanc,FR,Hugo Blanc,hugo@blanc.fr,fr,2026-10-05,2026-11-04,100.00,',
];

function eml(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({
    'Content-Type': 'text/plain; charset=utf-8',
    Date: 'Mon, 9 Nov 2026 10:00:00 +0100',
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;
}

describe.each(engines)('acting on replies over six weeks on $name', (engine) => {
  let database: TestDatabase;
  let org: Organisation;
  const home = mkdtempSync(join(tmpdir(), 'ardent-replies-'));
  const sent: { ref: string; day: string; level: number; invoices: string[]; subject: string }[] = [];
  const reports = new Map<string, IngestReport>();
  let promiseReply = '';

  const ingest = async (name: string, raw: string, day: string) => {
    const report = await ingestMessage(database.store, raw, { asOf: day, via: 'file', orgId: org.id });
    reports.set(name, report);
    return report;
  };
  const firstMessageHeader = async (ref: string) => {
    const row = await database.store.db
      .selectFrom('messages as m')
      .innerJoin('customers as c', 'c.id', 'm.customer_id')
      .select('m.message_id_header')
      .where('m.org_id', '=', org.id)
      .where('c.ref', '=', ref)
      .orderBy('m.day')
      .executeTakeFirstOrThrow();
    return row.message_id_header!;
  };

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    org = await newOrg(database.store.db, 'FR');
    writeFileSync(join(home, 'ledger.csv'), `${HEADER}\n${LEDGER.join('\n')}\n`);
    await importInvoiceFile(database.store, org, join(home, 'ledger.csv'), { today: '2026-10-26' });
    const token = (
      await database.store.db
        .selectFrom('customers')
        .select('reply_token')
        .where('org_id', '=', org.id)
        .where('ref', '=', 'DISP')
        .executeTakeFirstOrThrow()
    ).reply_token;

    for (let day = '2026-10-26'; day <= '2026-12-11'; day = addDays(day, 1)) {
      if (day === '2026-11-23') {
        // The accounting export says Fromagerie Petit paid, as it promised.
        writeFileSync(join(home, 'paid.csv'), `${HEADER}\n${LEDGER[1]!.replace(/300\.00,$/, '300.00,0')}\n`);
        await importInvoiceFile(database.store, org, join(home, 'paid.csv'), { today: day });
      }
      const report = await runDay(database.store, org, { day });
      await deliverToDirectory(database.store, org, home, day);
      const subjects = await database.store.db
        .selectFrom('messages')
        .select(['customer_id', 'subject'])
        .where('org_id', '=', org.id)
        .where('day', '=', day)
        .execute();
      for (const m of report.messages) {
        const id = (
          await database.store.db
            .selectFrom('customers')
            .select('id')
            .where('org_id', '=', org.id)
            .where('ref', '=', m.customer.ref)
            .executeTakeFirstOrThrow()
        ).id;
        sent.push({
          ref: m.customer.ref,
          day,
          level: m.level,
          invoices: m.invoices,
          subject: subjects.find((s) => s.customer_id === id)?.subject ?? '',
        });
      }

      if (day === '2026-11-09') {
        // From the known contact: matched by its sender address.
        promiseReply = eml(
          {
            From: 'Paul Martin <compta@martin.fr>',
            To: 'relances@atelier.fr',
            Subject: 'Re: Rappel facture FA-2026-0101',
            'Message-ID': '<promise-1@martin.fr>',
          },
          'Bonjour,\n\nNous réglerons la facture FA-2026-0101 le 20 novembre.\n\nCordialement,\nPaul',
        );
        await ingest('promise', promiseReply, day);
        await ingest(
          'kept',
          eml(
            {
              From: 'Anne Petit <anne@petit.fr>',
              To: 'relances@atelier.fr',
              Subject: 'Re: Rappel facture FA-2026-0201',
              'Message-ID': '<promise-2@petit.fr>',
            },
            'Bonjour,\n\nNous réglerons la facture FA-2026-0201 le 20 novembre.\n\nCordialement,\nAnne',
          ),
          day,
        );
        // From an address we do not know, to the customer's own reply address: matched by its token.
        await ingest(
          'dispute',
          eml(
            {
              From: 'Atelier Leroy <atelier@leroy-garage.fr>',
              To: `relances+${token}@atelier.fr`,
              Subject: 'Re: Rappel',
              'Message-ID': '<dispute-1@leroy-garage.fr>',
            },
            'Bonjour,\n\nNous contestons la facture FA-2026-0301 : la marchandise est arrivée abîmée.\n\nCordialement',
          ),
          day,
        );
        // An out-of-office answering our reminder: matched by In-Reply-To.
        await ingest(
          'auto',
          eml(
            {
              From: 'Marie Roux <absences@roux-imprimerie.fr>',
              To: 'relances@atelier.fr',
              Subject: 'Absence du bureau',
              'Message-ID': '<auto-1@roux.fr>',
              'In-Reply-To': await firstMessageHeader('AUTO'),
              'Auto-Submitted': 'auto-replied',
            },
            'Bonjour,\n\nJe suis absente du bureau et serai de retour le 23 novembre.\n\nCordialement',
          ),
          day,
        );
        // From the administrator's office, quoting an invoice number: matched by it.
        await ingest(
          'insolvency',
          eml(
            {
              From: 'Etude Lambert <contact@mandataire-lambert.fr>',
              To: 'relances@atelier.fr',
              Subject: 'Menuiserie Blanc - facture FA-2026-0501',
              'Message-ID': '<inso-1@mandataire-lambert.fr>',
            },
            "Madame, Monsieur,\n\nNous vous informons que la société Menuiserie Blanc a été placée en redressement judiciaire par jugement du 5 novembre 2026. Merci d'adresser votre déclaration de créance au mandataire judiciaire.\n\nCordialement",
          ),
          day,
        );
        await ingest(
          'unmatched',
          eml(
            {
              From: 'Someone <someone@nowhere.example>',
              To: 'relances@atelier.fr',
              Subject: 'Question',
              'Message-ID': '<question-1@nowhere.example>',
            },
            'Bonjour, avez-vous encore en stock les cartouches réf. 4410 ?',
          ),
          day,
        );
      }
    }
  }, 240_000);
  afterAll(async () => {
    await database?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const timeline = (ref: string) =>
    sent.filter((s) => s.ref === ref).map((s) => `${s.day} L${s.level} ${s.invoices.join('+')}`);
  const tasks = async () =>
    database.store.db
      .selectFrom('tasks as t')
      .leftJoin('customers as c', 'c.id', 't.customer_id')
      .select(['c.ref', 't.kind', 't.status', 't.title', 't.detail'])
      .where('t.org_id', '=', org.id)
      .orderBy('t.kind')
      .execute();

  it.skipIf(!engine.available)(
    'pauses after a promise to pay, then follows up politely once the grace has passed unpaid',
    () => {
      expect(reports.get('promise')).toMatchObject({
        matchedBy: 'sender',
        customer: { ref: 'PROM' },
        invoices: ['FA-2026-0101'],
        analysis: { intent: 'promise_to_pay', promisedDate: '2026-11-20' },
      });
      // Promised 20 Nov, three business days of grace (23, 24, 25 Nov), followed up on the 26th;
      // the next level then waits the minimum gap after the follow-up.
      expect(timeline('PROM')).toEqual([
        '2026-11-06 L1 FA-2026-0101',
        '2026-11-26 L1 FA-2026-0101',
        '2026-11-30 L2 FA-2026-0101',
        '2026-12-04 L3 FA-2026-0101',
      ]);
      const followUp = sent.find((s) => s.ref === 'PROM' && s.day === '2026-11-26')!;
      expect(followUp.subject).toBe('Votre règlement annoncé : facture FA-2026-0101');
    },
  );

  it.skipIf(!engine.available)('says in the follow-up which date was promised', async () => {
    const message = await database.store.db
      .selectFrom('messages')
      .select(['text_body', 'reason'])
      .where('org_id', '=', org.id)
      .where('day', '=', '2026-11-26')
      .executeTakeFirstOrThrow();
    expect(message.text_body).toMatch(/au plus tard le 20 novembre 2026/);
    expect(message.reason).toMatch(/promise to pay by 2026-11-20 not kept/);
    const promise = await database.store.db
      .selectFrom('promises as p')
      .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
      .select(['p.status', 'p.grace_until', 'p.follow_up_message_id'])
      .where('p.org_id', '=', org.id)
      .where('i.number', '=', 'FA-2026-0101')
      .executeTakeFirstOrThrow();
    expect(promise).toMatchObject({ status: 'followed_up', grace_until: '2026-11-25' });
    expect(promise.follow_up_message_id).toBeTruthy();
  });

  it.skipIf(!engine.available)('sends no follow-up when the promised payment arrives', async () => {
    expect(timeline('PAID')).toEqual(['2026-11-06 L1 FA-2026-0201']);
    const promise = await database.store.db
      .selectFrom('promises')
      .select('status')
      .where('org_id', '=', org.id)
      .where('customer_id', '=', (qb) =>
        qb.selectFrom('customers').select('id').where('org_id', '=', org.id).where('ref', '=', 'PAID'),
      )
      .executeTakeFirstOrThrow();
    expect(promise.status).toBe('kept');
  });

  it.skipIf(!engine.available)(
    'pauses the disputed invoice only: the other one is reminded once the discussion hold ends',
    async () => {
      expect(reports.get('dispute')).toMatchObject({ matchedBy: 'token', customer: { ref: 'DISP' } });
      // In discussion until 13 Nov (three business days, Armistice Day not counted); level 2 of the
      // undisputed invoice falls on the 13th and moves past the hold to Monday 16th.
      expect(timeline('DISP')).toEqual([
        '2026-11-06 L1 FA-2026-0301+FA-2026-0302',
        '2026-11-16 L2 FA-2026-0302',
        '2026-11-20 L3 FA-2026-0302',
      ]);
      const invoice = await database.store.db
        .selectFrom('invoices')
        .select(['status', 'status_reason'])
        .where('org_id', '=', org.id)
        .where('number', '=', 'FA-2026-0301')
        .executeTakeFirstOrThrow();
      expect(invoice.status).toBe('disputed');
      expect(invoice.status_reason).toMatch(/disputed by the customer \(reply of 2026-11-09\)/);
      expect((await tasks()).filter((t) => t.kind === 'dispute').map((t) => [t.ref, t.status])).toEqual([
        ['DISP', 'open'],
      ]);
    },
  );

  it.skipIf(!engine.available)('moves the next step after the return date an automatic reply gives', () => {
    expect(reports.get('auto')).toMatchObject({
      matchedBy: 'in_reply_to',
      customer: { ref: 'AUTO' },
      invoices: ['FA-2026-0401'],
      analysis: { kind: 'auto_reply', returnDate: '2026-11-23' },
    });
    expect(timeline('AUTO')).toEqual([
      '2026-11-06 L1 FA-2026-0401',
      '2026-11-24 L2 FA-2026-0401',
      '2026-11-30 L3 FA-2026-0401',
    ]);
  });

  it.skipIf(!engine.available)(
    'stops everything for a customer in insolvency proceedings and asks a person to declare the claim',
    async () => {
      expect(reports.get('insolvency')).toMatchObject({
        matchedBy: 'invoice_number',
        customer: { ref: 'INSO' },
        analysis: { intent: 'insolvency' },
      });
      expect(timeline('INSO')).toEqual(['2026-11-06 L1 FA-2026-0501']);
      const customer = await database.store.db
        .selectFrom('customers')
        .select(['insolvent', 'insolvent_since'])
        .where('org_id', '=', org.id)
        .where('ref', '=', 'INSO')
        .executeTakeFirstOrThrow();
      expect(customer).toEqual({ insolvent: true, insolvent_since: '2026-11-09' });
      const task = (await tasks()).find((t) => t.kind === 'insolvency')!;
      expect(task).toMatchObject({ ref: 'INSO', status: 'open' });
      expect((task.detail as { invoices: string[] }).invoices).toEqual(['FA-2026-0501', 'FA-2026-0502']);
    },
  );

  it.skipIf(!engine.available)('makes a task of a message it cannot match to any customer', async () => {
    expect(reports.get('unmatched')).toMatchObject({
      status: 'unmatched',
      customer: null,
      matchedBy: 'none',
    });
    const task = (await tasks()).find((t) => t.kind === 'unmatched_reply')!;
    expect(task).toMatchObject({ ref: null, status: 'open' });
    expect(task.title).toMatch(/someone@nowhere\.example/);
  });

  it.skipIf(!engine.available)('stores the same Message-ID once, however often it arrives', async () => {
    const again = await ingestMessage(database.store, promiseReply, {
      asOf: '2026-12-11',
      via: 'file',
      orgId: org.id,
    });
    expect(again).toMatchObject({ duplicate: true, inboundId: reports.get('promise')!.inboundId });
    const rows = await database.store.db
      .selectFrom('inbound_messages')
      .select('id')
      .where('message_id', '=', '<promise-1@martin.fr>')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it.skipIf(!engine.available)('writes each decision in the history with its reason', async () => {
    const events = await database.store.db
      .selectFrom('events as e')
      .innerJoin('customers as c', 'c.id', 'e.customer_id')
      .select(['e.kind', 'e.summary'])
      .where('e.org_id', '=', org.id)
      .where('c.ref', '=', 'PROM')
      .where('e.kind', 'like', 'inbound.%')
      .orderBy('e.id')
      .execute();
    expect(events.map((e) => e.kind)).toEqual([
      'inbound.received',
      'inbound.pause',
      'inbound.promise',
      'inbound.hold',
    ]);
    expect(events[1]!.summary).toBe(
      'FA-2026-0101 paused until 2026-11-25: promise to pay by 2026-11-20 (reply of 2026-11-09); a follow-up after 2026-11-25 if still unpaid',
    );
  });
});
