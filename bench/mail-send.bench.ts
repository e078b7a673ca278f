// Messages rendered and sent per second to a local SMTP server (smtp-server, in this process)
// through the sender (claim, re-check, HTML, statement of account PDF, MIME, the commit point, the
// records), beside bare nodemailer sending the very same bytes over a pooled connection in the same
// run. Target: the sender at 70 % of the bare rate or better.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';
import { runDay } from '../src/dunning/run.ts';
import { createOrganisation, type Organisation } from '../src/ledger/organisations.ts';
import { type ComposeThreads, composeThreads } from '../src/mail/compose-threads.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { smtpTransport } from '../src/mail/transports/smtp.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { fmt, measure, withDatabase } from './support.ts';

const DAY = '2026-11-09';
const CONNECTIONS = 4;

interface Sink {
  url: string;
  port: number;
  /** The messages received since the last call: the server keeps no more, so that memory held by
   * earlier rounds does not make the collector's pauses fall on later ones. */
  take(): Buffer[];
  close(): Promise<void>;
}

async function sink(): Promise<Sink> {
  let received: Buffer[] = [];
  let queued = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback(null, `Ok: queued as Q${++queued}`);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    take: () => {
      const taken = received;
      received = [];
      return taken;
    },
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

async function sendWithSender(
  store: Store,
  org: Organisation,
  url: string,
  composing: ComposeThreads | null,
) {
  const transport = smtpTransport({ url, pool: CONNECTIONS });
  try {
    return await deliverDue(store, org, {
      upTo: DAY,
      today: DAY,
      transport,
      concurrency: CONNECTIONS,
      batchSize: 200,
      replyTo: 'replies@bench.example',
      composing,
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

/** CPU time of the whole machine so far (all processes, Linux), in milliseconds; null elsewhere. */
function machineCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'latin1')
      .split('\n', 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = fields.slice(0, 8).reduce((a, b, k) => (k === 3 || k === 4 ? a : a + b), 0);
    return (busy * 1000) / 100;
  } catch {
    return null;
  }
}

interface Pass {
  seconds: number;
  processCpuMs: number;
  machineCpuMs: number | null;
  peakRssMb: number;
}

async function pass(work: () => Promise<unknown>): Promise<Pass> {
  const cpu = process.cpuUsage();
  const machine = machineCpuMs();
  const m = await measure(work);
  const used = process.cpuUsage(cpu);
  const machineAfter = machineCpuMs();
  return {
    seconds: m.seconds,
    processCpuMs: (used.user + used.system) / 1000,
    machineCpuMs: machine === null || machineAfter === null ? null : machineAfter - machine,
    peakRssMb: m.peakRssMb - m.baseRssMb,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchMailSend(count = 2000, rounds = 5): Promise<string[]> {
  return withDatabase(async (url) => {
    const store = await openStore({ databaseUrl: url });
    const server = await sink();
    try {
      const warmup = await queue(store, 'Warm-up', 200);
      const orgs: [Organisation, Organisation][] = [];
      for (let r = 1; r <= rounds; r++)
        orgs.push([
          await queue(store, `Bench ${r}`, count),
          await queue(store, `Bench ${r} own thread`, count),
        ]);
      // The default pool (ARDENT_COMPOSE_THREADS=auto: one thread per core beyond the first).
      const threads = composeThreads({ ARDENT_COMPOSE_THREADS: 'auto' });
      if (!threads)
        throw new Error('a single core: the sender composes on its own thread, no pool to compare');
      // Every path warmed up once, so that none pays for another's JIT; the composing threads
      // started, as in a server that has sent before (starting one costs about a second).
      await sendWithSender(store, warmup, server.url, null);
      await threads.warm();
      const warm = server.take();
      await sendBare(server.url, asBytes(warm));
      await sendBare(server.url, await partsOf(warm));
      server.take();

      // The four paths in turn, round after round, so that a machine that slows down for a while
      // slows all four; each path's median round is reported.
      const ours: Pass[] = [];
      const ownThread: Pass[] = [];
      const bare: Pass[] = [];
      const composed: Pass[] = [];
      let size = 0;
      const send = (org: Organisation, composing: ComposeThreads | null) =>
        pass(async () => {
          const report = await sendWithSender(store, org, server.url, composing);
          if (report.delivered.length !== count)
            throw new Error(`the sender delivered ${report.delivered.length} of ${count}`);
        });
      for (const [org, orgOwnThread] of orgs) {
        ours.push(await send(org, threads));
        const bytes = server.take();
        if (bytes.length !== count) throw new Error(`the SMTP server received ${bytes.length} of ${count}`);
        size = bytes.reduce((s, b) => s + b.length, 0) / count;
        ownThread.push(await send(orgOwnThread, null));
        if (server.take().length !== count) throw new Error('the sender on its own thread lost messages');
        const raw = asBytes(bytes);
        bare.push(await pass(() => sendBare(server.url, raw)));
        if (server.take().length !== count) throw new Error('bare nodemailer lost messages');
        const parts = await partsOf(bytes);
        composed.push(await pass(() => sendBare(server.url, parts)));
        if (server.take().length !== count) throw new Error('nodemailer lost messages');
      }

      const rate = (passes: Pass[]) => median(passes.map((p) => count / p.seconds));
      const perMessage = (passes: Pass[], of: (p: Pass) => number | null) => {
        const values = passes.map(of);
        return values.some((v) => v === null)
          ? '—'
          : `${fmt(values.reduce((a: number, b) => a + b!, 0) / passes.length / count, 2)} ms`;
      };
      // A round's three paths ran seconds apart: a ratio within a round cancels the machine's drift
      // better than a ratio of medians would.
      const toBare = (passes: Pass[]) => passes.map((p, k) => bare[k]!.seconds / p.seconds);
      const ourRatio = median(toBare(ours));
      const ownThreadRatio = median(toBare(ownThread));
      const byRound = (passes: Pass[]) =>
        toBare(passes)
          .map((r) => `${fmt(100 * r)} %`)
          .join(', ');
      const row = (path: string, passes: Pass[]) =>
        `| ${path} | ${fmt(median(passes.map((p) => p.seconds)), 2)} s | ${fmt(rate(passes))} | ${fmt(100 * median(toBare(passes)))} % | ${perMessage(passes, (p) => p.processCpuMs)} | ${perMessage(passes, (p) => p.machineCpuMs)} | ${fmt(median(passes.map((p) => p.peakRssMb)))} MB |`;
      const lines = [
        `## Sending mail (${fmt(count)} reminders, SMTP to a local smtp-server, ${CONNECTIONS} connections, PostgreSQL; ${rounds} rounds)`,
        '',
        '| path | wall time | messages/s | ÷ bare | CPU per message, this process | CPU per message, whole machine | peak RSS above start |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        row(
          `the sender: claim, re-check, render text + HTML + statement PDF, MIME (on ${threads.size} other thread${threads.size === 1 ? '' : 's'}, the default), commit point, records`,
          ours,
        ),
        row('the same, composing on its own thread (ARDENT_COMPOSE_THREADS=0)', ownThread),
        row(`bare nodemailer (pooled), the same ${fmt(count)} messages as bytes`, bare),
        row(
          'for comparison: nodemailer composing the same messages from their parts (headers, text, HTML, the PDF)',
          composed,
        ),
        '',
        `Messages average ${fmt(size / 1024, 1)} KiB (multipart text and HTML, the statement of account as a PDF). Times and rates are the median round's; "÷ bare" is the median of the rounds' ratios; CPU is the mean. The SMTP server runs in this process for every path; the process's CPU includes it, and for the sender its composing thread${threads.size === 1 ? '' : 's'} (${threads.size}, started in the warm-up, as in a server that has sent before). The whole machine's CPU includes the database server, which only the sender uses. The sender against bare nodemailer, round by round: ${byRound(ours)}; composing on its own thread: ${byRound(ownThread)}. Target: the sender at 70 % of the bare rate (the messages as bytes) or better: ${ourRatio >= 0.7 ? 'met' : 'not met'} (${fmt(100 * ourRatio)} %); composing on its own thread: ${fmt(100 * ownThreadRatio)} %. The sender against nodemailer composing the same messages: ${fmt(100 * median(ours.map((p, k) => composed[k]!.seconds / p.seconds)))} %.`,
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
