// Messages rendered and sent per second to a local SMTP server (smtp-server, in this process)
// through the sender (claim, re-check, HTML, statement of account PDF, MIME, the commit point, the
// records), beside bare nodemailer sending the very same bytes over a pooled connection in the same
// run. Target: the sender at 70 % of the bare rate or better.
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';
import { runDay } from '../src/dunning/run.ts';
import { createOrganisation, type Organisation } from '../src/ledger/organisations.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { smtpTransport } from '../src/mail/transports/smtp.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { fmt, measure, withDatabase } from './support.ts';

const DAY = '2026-11-09';
const CONNECTIONS = 4;

interface Sink {
  url: string;
  port: number;
  received: Buffer[];
  close(): Promise<void>;
}

async function sink(): Promise<Sink> {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback(null, `Ok: queued as Q${received.length}`);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `count` customers with one overdue invoice each, and the day's run queueing a reminder to each. */
async function queue(store: Store, name: string, count: number): Promise<Organisation> {
  const org = await createOrganisation(store.db, {
    name,
    country: 'FR',
    senderEmail: 'relances@bench.example',
  });
  await sql`
    insert into customers (org_id, ref, name, country, address)
    select ${org.id}::uuid, 'C' || g, 'Client ' || g || ' SARL', 'FR',
           jsonb_build_object('lines', jsonb_build_array(g || ' rue du Commerce'), 'postalCode', '75011', 'city', 'Paris')
      from generate_series(1, ${count}::int) g`.execute(store.db);
  await sql`
    insert into contacts (org_id, customer_id, key, name, email, language)
    select org_id, id, 'compta@' || lower(ref) || '.example', 'Service comptable', 'compta@' || lower(ref) || '.example', 'fr'
      from customers where org_id = ${org.id}::uuid`.execute(store.db);
  // Two invoices each: one overdue (the reminder), one not yet due (on the statement only).
  await sql`
    insert into invoices (org_id, customer_id, number, type, issue_date, due_date, currency, total, outstanding, source_outstanding, status)
    select c.org_id, c.id, 'F-' || c.ref || '-' || k, 'invoice', d - 30, d, 'EUR', a, a, a, 'open'
      from customers c cross join generate_series(1, 2) k
      cross join lateral (select (case when k = 1 then date '2026-10-31' else date '2026-11-30' end) as d,
                                 (10000 + abs(hashtext(k || c.ref)) % 500000)::bigint as a) x
     where c.org_id = ${org.id}::uuid`.execute(store.db);
  await sql`analyze`.execute(store.db);
  const report = await runDay(store, org, { day: DAY });
  if (report.messages.length !== count)
    throw new Error(`expected ${count} reminders, the run queued ${report.messages.length}`);
  return org;
}

async function sendWithSender(store: Store, org: Organisation, url: string) {
  const transport = smtpTransport({ url, pool: CONNECTIONS });
  try {
    return await deliverDue(store, org, {
      upTo: DAY,
      today: DAY,
      transport,
      concurrency: CONNECTIONS,
      batchSize: 200,
      replyTo: 'replies@bench.example',
    });
  } finally {
    await transport.close();
  }
}

/** nodemailer alone on a pooled connection: each message as its bytes, or as parts it composes. */
async function sendBare(url: string, messages: Mail.Options[]) {
  const port = Number(new URL(url).port);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
    ignoreTLS: true,
  });
  try {
    await Promise.all(messages.map((m) => transport.sendMail(m)));
  } finally {
    transport.close();
  }
}

const asBytes = (messages: Buffer[]): Mail.Options[] =>
  messages.map((raw) => ({
    envelope: { from: 'relances@bench.example', to: ['compta@bench.example'] },
    raw,
  }));

/** The parts of each message (headers, text, HTML, attachments), as an application would hand them to nodemailer. */
async function partsOf(messages: Buffer[]): Promise<Mail.Options[]> {
  return Promise.all(
    messages.map(async (raw) => {
      const m = await simpleParser(raw);
      const address = (a: typeof m.from) => (a && !Array.isArray(a) ? a.text : '');
      return {
        from: address(m.from),
        to: address(m.to as typeof m.from),
        replyTo: address(m.replyTo),
        subject: m.subject ?? '',
        messageId: m.messageId ?? '',
        date: m.date ?? new Date(),
        text: m.text ?? '',
        html: typeof m.html === 'string' ? m.html : '',
        headers: { 'Auto-Submitted': 'auto-generated' },
        attachments: m.attachments.map((a) => ({
          filename: a.filename ?? 'attachment',
          contentType: a.contentType,
          content: a.content,
        })),
      };
    }),
  );
}

export async function benchMailSend(count = 2000): Promise<string[]> {
  return withDatabase(async (url) => {
    const store = await openStore({ databaseUrl: url });
    const server = await sink();
    try {
      const warmup = await queue(store, 'Warm-up', 200);
      const org = await queue(store, 'Bench', count);
      // Both paths warmed up once, so that neither pays for the other's JIT.
      await sendWithSender(store, warmup, server.url);
      await sendBare(server.url, asBytes(server.received.slice(0, 200)));

      let first = server.received.length;
      let cpu = process.cpuUsage();
      const ours = await measure(() => sendWithSender(store, org, server.url));
      const ourCpu = process.cpuUsage(cpu);
      const bytes = server.received.slice(first);
      if (ours.result.delivered.length !== count || bytes.length !== count)
        throw new Error(`the sender delivered ${ours.result.delivered.length} of ${count}`);
      first = server.received.length;
      cpu = process.cpuUsage();
      const raw = asBytes(bytes);
      const bare = await measure(() => sendBare(server.url, raw));
      const bareCpu = process.cpuUsage(cpu);
      const cpuPerMessage = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000 / count;
      if (server.received.length - first !== count) throw new Error('bare nodemailer lost messages');
      const parts = await partsOf(bytes);
      await sendBare(server.url, parts.slice(0, 200));
      first = server.received.length;
      cpu = process.cpuUsage();
      const composed = await measure(() => sendBare(server.url, parts));
      const composedCpu = process.cpuUsage(cpu);
      if (server.received.length - first !== count) throw new Error('nodemailer lost messages');
      const composedRate = count / composed.seconds;

      const ourRate = count / ours.seconds;
      const bareRate = count / bare.seconds;
      const size = bytes.reduce((s, b) => s + b.length, 0) / count;
      const lines = [
        `## Sending mail (${fmt(count)} reminders, SMTP to a local smtp-server, ${CONNECTIONS} connections, PostgreSQL)`,
        '',
        '| path | wall time | messages/s | ÷ bare | CPU of this process per message | peak RSS above start |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        `| the sender: claim, re-check, render text + HTML + statement PDF, MIME, commit point, records | ${fmt(ours.seconds, 2)} s | ${fmt(ourRate)} | ${fmt((100 * ourRate) / bareRate)} % | ${fmt(cpuPerMessage(ourCpu), 2)} ms | ${fmt(ours.peakRssMb - ours.baseRssMb)} MB |`,
        `| bare nodemailer (pooled), the same ${fmt(count)} messages as bytes | ${fmt(bare.seconds, 2)} s | ${fmt(bareRate)} | 100 % | ${fmt(cpuPerMessage(bareCpu), 2)} ms | ${fmt(bare.peakRssMb - bare.baseRssMb)} MB |`,
        `| for comparison: nodemailer composing the same messages from their parts (headers, text, HTML, the PDF) | ${fmt(composed.seconds, 2)} s | ${fmt(composedRate)} | ${fmt((100 * composedRate) / bareRate)} % | ${fmt(cpuPerMessage(composedCpu), 2)} ms | ${fmt(composed.peakRssMb - composed.baseRssMb)} MB |`,
        '',
        `Messages average ${fmt(size / 1024, 1)} KiB (multipart text and HTML, the statement of account as a PDF). The SMTP server runs in this process for all three; the CPU column includes it. Target: the sender at 70 % of the bare rate (the messages as bytes) or better: ${ourRate / bareRate >= 0.7 ? 'met' : 'not met'}. The sender against nodemailer composing the same messages: ${fmt((100 * ourRate) / composedRate)} %.`,
      ];
      for (const l of lines) console.error(l);
      return lines;
    } finally {
      await server.close();
      await store.close();
      // Let the pool's connections finish closing before the database is dropped under them.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
}
