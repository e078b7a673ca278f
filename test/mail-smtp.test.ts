// The sender against a real SMTP server running in this process (smtp-server): what the customer
// receives, and what happens when the server defers, refuses, or is down for a while.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeThreads } from '../src/mail/compose-threads.ts';
import { setContact } from '../src/mail/contact-update.ts';
import { mailSettingsFromEnv } from '../src/mail/deliver.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { smtpTransport } from '../src/mail/transports/smtp.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import {
  drain,
  eventKinds,
  FAST_RETRY,
  importLedger,
  mailOrg,
  messageRows,
  queueDay,
} from './support/mail-fixtures.ts';
import { pdfText } from './support/pdf-text.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const DAY = '2026-11-09';
const MARTIN = [
  'F-1,C1,Boulangerie Martin,FR,Paul Martin,compta@martin.fr,fr,2026-10-01,2026-10-31,1200.00,3 place du Marché,75011,Paris',
  'F-2,C1,Boulangerie Martin,FR,Paul Martin,compta@martin.fr,fr,2026-10-05,2026-11-20,300.00,3 place du Marché,75011,Paris',
];
const PEETERS = [
  'F-3,C2,Bakkerij Peeters,BE,Lotte Peeters,lotte@peeters.be,nl,2026-10-01,2026-10-31,80.00,,,',
];

describe.each(engines)('sending reminders through SMTP on $name', (engine) => {
  let database: TestDatabase;
  let sink: SmtpSink;
  const options = () => ({
    upTo: DAY,
    today: DAY,
    transport: smtpTransport({ url: sink.url, pool: 2 }),
    replyTo: 'replies@ardent.example',
    retry: FAST_RETRY,
  });

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await database?.dispose();
  });

  it.skipIf(!engine.available)(
    'sends text and HTML with our Message-ID, a Reply-To that names the customer, our name, and the statement of account',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, [...MARTIN, ...PEETERS], DAY);
      await queueDay(store, org, DAY);
      const o = options();
      const report = await deliverDue(store, org, o);
      await o.transport.close();
      expect(report.delivered).toHaveLength(2);

      const [martin] = (await messageRows(store, org)).filter((m) => m.ref === 'C1');
      expect(martin).toMatchObject({ status: 'sent', provider_message_id: expect.stringMatching(/^Q\d+$/) });
      expect(martin!.server_response).toMatch(/^250 /);
      expect(await eventKinds(store, org, martin!.id)).toEqual(['sent']);

      const received = sink.messages.filter((m) => m.messageId === martin!.message_id_header);
      expect(received).toHaveLength(1);
      const mail = await simpleParser(received[0]!.raw);
      expect(mail.messageId).toBe(martin!.message_id_header);
      expect(mail.messageId).toMatch(/@atelier-dupont\.fr>$/);
      expect(mail.from?.value[0]).toEqual({
        name: 'Atelier Dupont — Comptabilité',
        address: 'relances@atelier-dupont.fr',
      });
      expect(mail.replyTo?.value[0]?.address).toBe(`replies+${martin!.reply_token}@ardent.example`);
      expect(mail.text).toMatch(/F-1/);
      expect(mail.html).toMatch(/<p>/);
      expect(received[0]!.to).toEqual(['compta@martin.fr']);

      const statement = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
      expect(statement.filename).toBe('releve-de-compte_C1_2026-11-09.pdf');
      expect((await PDFDocument.load(statement.content)).getPageCount()).toBe(1);
      const { text } = await pdfText(statement.content);
      expect(text).toContain('F-1');
      // The statement lists every open item, also the one not yet due.
      expect(text).toContain('F-2');
      expect(text).toContain('1 500,00 €');
    },
  );

  it.skipIf(!engine.available)(
    'threads a later reminder on the earlier one (In-Reply-To, References)',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, MARTIN, DAY);
      await queueDay(store, org, DAY);
      const first = options();
      await deliverDue(store, org, first);
      await queueDay(store, org, '2026-11-16');
      const second = { ...options(), upTo: '2026-11-16', today: '2026-11-16' };
      await deliverDue(store, org, second);
      await first.transport.close();
      await second.transport.close();
      const [one, two] = await messageRows(store, org);
      expect(two?.level).toBe(2);
      const raw = sink.messages.find((m) => m.messageId === two!.message_id_header)!.raw;
      const mail = await simpleParser(raw);
      expect(mail.inReplyTo).toBe(one!.message_id_header);
      expect(mail.references).toBe(one!.message_id_header);
    },
  );

  it.skipIf(!engine.available)(
    'composes a large day on other threads and delivers each reminder once, with its statement',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      const rows = Array.from(
        { length: 40 },
        (_, i) =>
          `G-${i},G${i},Garage ${i},FR,Léa ${i},compta@garage-${i}.fr,fr,2026-10-01,2026-10-31,${100 + i}.00,,,`,
      );
      await importLedger(store, org, rows, DAY);
      await queueDay(store, org, DAY);
      const threads = new ComposeThreads(1);
      await threads.warm();
      const o = { ...options(), composing: threads };
      const report = await deliverDue(store, org, o);
      await o.transport.close();
      await threads.close();
      expect(report.delivered).toHaveLength(40);
      expect(threads.composed).toBe(40);
      const sent = (await messageRows(store, org)).map((m) => m.message_id_header);
      const counts = sink.counts();
      expect(sent.map((id) => counts.get(id!))).toEqual(sent.map(() => 1));
      const mail = await simpleParser(sink.messages.find((m) => m.to[0] === 'compta@garage-7.fr')!.raw);
      expect(mail.subject).toBeTruthy();
      expect(mail.attachments.map((a) => a.filename)).toEqual(['releve-de-compte_G7_2026-11-09.pdf']);
      expect((await pdfText(mail.attachments[0]!.content)).text).toContain('G-7');
    },
  );

  it.skipIf(!engine.available)(
    'reports once, and never sends again, a message recorded as sent whose server reply was never recorded',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, PEETERS, DAY);
      await queueDay(store, org, DAY);
      // As a sender killed between the final dot and the record of the reply leaves it.
      const [m] = await store.db
        .updateTable('messages')
        .set({ status: 'sent', sent_at: sql<Date>`now() - interval '10 minutes'`, attempts: 1 })
        .where('org_id', '=', org.id)
        .returning('id')
        .execute();
      const before = sink.messages.length;
      for (let pass = 0; pass < 2; pass++) {
        const o = options();
        const report = await deliverDue(store, org, o);
        await o.transport.close();
        expect(report.delivered).toEqual([]);
      }
      expect(await eventKinds(store, org, m!.id)).toEqual(['unconfirmed']);
      expect(sink.messages.length).toBe(before);
    },
  );

  it.skipIf(!engine.available)('retries after a temporary refusal (4yz) and delivers once', async () => {
    const { store } = database;
    const org = await mailOrg(store);
    await importLedger(store, org, PEETERS, DAY);
    await queueDay(store, org, DAY);
    sink.defer(1, 451, '4.7.1 Greylisted, please try again');
    const o = options();
    const reports = await drain(store, org, o);
    await o.transport.close();
    expect(reports[0]?.deferred).toHaveLength(1);
    expect(reports[0]?.deferred[0]?.error).toMatch(/451 4\.7\.1 Greylisted/);
    const [m] = await messageRows(store, org);
    expect(m).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sink.counts().get(m!.message_id_header!)).toBe(1);
    expect(await eventKinds(store, org, m!.id)).toEqual(['deferred', 'sent']);
  });

  it.skipIf(!engine.available)(
    'takes a permanent refusal (5yz) as a hard bounce: message failed, contact invalid, one task; a new contact resumes the plan',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(
        store,
        org,
        ['F-9,C9,Garage Lenoir,FR,,compta@lenoir-disparu.fr,fr,2026-10-01,2026-10-31,450.00,,,'],
        DAY,
      );
      await queueDay(store, org, DAY);
      sink.refuse(
        'compta@lenoir-disparu.fr',
        550,
        '5.1.1 <compta@lenoir-disparu.fr>: Recipient address rejected: User unknown',
      );
      const o = options();
      const report = await deliverDue(store, org, o);
      expect(report.failed).toHaveLength(1);
      const [m] = await messageRows(store, org);
      expect(m).toMatchObject({ status: 'failed', attempts: 1 });
      expect(m!.last_error).toMatch(/550 5\.1\.1/);
      expect(await eventKinds(store, org, m!.id)).toEqual(['failed', 'bounced']);
      const contact = await store.db
        .selectFrom('contacts')
        .select(['valid', 'invalid_reason', 'invalid_since'])
        .where('org_id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(contact).toEqual({
        valid: false,
        invalid_reason: 'hard bounce 5.1.1 userunknown',
        invalid_since: DAY,
      });
      const tasks = await store.db
        .selectFrom('tasks')
        .select(['kind', 'title', 'status'])
        .where('org_id', '=', org.id)
        .execute();
      expect(tasks).toEqual([
        {
          kind: 'invalid_email',
          title:
            "Trouver un nouveau contact pour Garage Lenoir : l'adresse compta@lenoir-disparu.fr n'est pas valide",
          status: 'open',
        },
      ]);
      expect(sink.counts().get(m!.message_id_header!)).toBeUndefined();

      // The next runs write to nobody, and open no second task.
      expect((await queueDay(store, org, '2026-11-10')).messages).toEqual([]);
      expect(
        await store.db.selectFrom('tasks').select('id').where('org_id', '=', org.id).execute(),
      ).toHaveLength(1);

      // A person gives a valid contact: the task closes, and the next run writes to it.
      await setContact(
        store,
        org,
        'C9',
        { email: 'factures@lenoir.fr', name: 'Anne Lenoir' },
        'test',
        '2026-11-10',
      );
      // (11 November is a public holiday in France: the plan resumes on the 12th.)
      const after = await store.db
        .selectFrom('tasks')
        .select(['status'])
        .where('org_id', '=', org.id)
        .execute();
      expect(after).toEqual([{ status: 'done' }]);
      const resumed = await queueDay(store, org, '2026-11-12');
      expect(resumed.messages.map((x) => [x.to, x.level])).toEqual([['factures@lenoir.fr', 1]]);
      await drain(store, org, { ...o, upTo: '2026-11-12', today: '2026-11-12' });
      await o.transport.close();
      expect(sink.messages.some((x) => x.to.includes('factures@lenoir.fr'))).toBe(true);
    },
  );

  it.skipIf(!engine.available)(
    'keeps trying while the server is down, and delivers once it is back',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, PEETERS, DAY);
      await queueDay(store, org, DAY);
      await sink.down();
      const o = options();
      const first = await deliverDue(store, org, o);
      expect(first.deferred).toHaveLength(1);
      expect(first.deferred[0]?.error).toMatch(/ECONNREFUSED|connect/i);
      setTimeout(() => void sink.up(), 400);
      const reports = await drain(store, org, o);
      await o.transport.close();
      const [m] = await messageRows(store, org);
      expect(m?.status).toBe('sent');
      expect(m!.attempts).toBeGreaterThan(1);
      expect(reports.flatMap((r) => r.deferred).length).toBeGreaterThan(0);
      expect(sink.counts().get(m!.message_id_header!)).toBe(1);
    },
  );

  it.skipIf(!engine.available)(
    'withdraws a reminder whose invoice was paid after it was queued',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      await importLedger(store, org, PEETERS, DAY);
      await queueDay(store, org, DAY);
      await store.db
        .updateTable('invoices')
        .set({ outstanding: 0, status: 'paid' })
        .where('org_id', '=', org.id)
        .execute();
      const o = options();
      const report = await deliverDue(store, org, o);
      await o.transport.close();
      expect(report.cancelled.map((c) => c.reason)).toEqual([
        'every invoice in it was paid, disputed or cancelled before it left',
      ]);
      const [m] = await messageRows(store, org);
      expect(m?.status).toBe('cancelled');
      expect(sink.counts().get(m!.message_id_header!)).toBeUndefined();
    },
  );

  it.skipIf(!engine.available)('signs with DKIM when the DKIM variables are set', async () => {
    const { store } = database;
    const org = await mailOrg(store);
    await importLedger(store, org, PEETERS, DAY);
    await queueDay(store, org, DAY);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const settings = mailSettingsFromEnv(
      {
        ARDENT_SMTP_URL: sink.url,
        ARDENT_DKIM_DOMAIN: 'atelier-dupont.fr',
        ARDENT_DKIM_SELECTOR: 'ardent2026',
        ARDENT_DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      mkdtempSync(join(tmpdir(), 'ardent-dkim-')),
    );
    await deliverDue(store, org, { upTo: DAY, today: DAY, transport: settings.transport });
    await settings.transport.close();
    const [m] = await messageRows(store, org);
    const raw = sink.messages.find((x) => x.messageId === m!.message_id_header)!.raw.toString();
    expect(raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=atelier-dupont\.fr;/m);
    expect(raw).toMatch(/s=ardent2026;/);
  });
});
