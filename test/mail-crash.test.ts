// Exactly once under kill -9: a few hundred reminders sent by sender processes that are killed at
// random moments again and again, then restarted, until all have left; the SMTP server in this
// process counts what it received, by Message-ID. Then the same with two senders at once.
// PostgreSQL only: several processes share the outbox.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organisation } from '../src/ledger/organisations.ts';
import type { Store } from '../src/store/store.ts';
import { openStore } from '../src/store/store.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';
import { importLedger, mailOrg, queueDay } from './support/mail-fixtures.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const postgres = engines.find((e) => e.name === 'postgres')!;
const workerSource = fileURLToPath(new URL('./support/mail-worker.ts', import.meta.url));
// The sender is bundled once (with esbuild, which tsx brings) so that a restart takes a few hundred
// milliseconds instead of seconds: the test kills it often. Without esbuild it runs through tsx.
let workerCommand: string[] = ['--import', 'tsx', workerSource];

async function bundleWorker(): Promise<void> {
  try {
    const esbuild = await import('esbuild');
    const outfile = fileURLToPath(new URL('./.artifacts/mail-worker.mjs', import.meta.url));
    await esbuild.build({
      entryPoints: [workerSource],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: ['pg-native', '@electric-sql/pglite'],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
    workerCommand = [outfile];
  } catch {
    // keep tsx
  }
}
const DAY = '2026-11-09';
const MESSAGES = 300;
type Guarantee = 'at-least-once' | 'at-most-once';

interface Scenario {
  messages: number;
  kills: number;
  /** Messages claimed ('sending') by a sender at the moment it was killed. */
  inFlightAtKill: number;
  deliveredOnce: number;
  duplicated: number;
  missing: number;
  unconfirmed: number;
  seconds: number;
}

function startWorker(
  url: string,
  sink: SmtpSink,
  org: Organisation,
  id: string,
  guarantee: Guarantee,
  once = false,
): ChildProcess {
  return spawn(
    process.execPath,
    [...workerCommand, url, sink.url, org.slug, DAY, id, guarantee, ...(once ? ['once'] : [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function ready(child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(true);
    });
    child.once('exit', () => resolve(false));
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function pending(store: Store, org: Organisation): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from messages where org_id = ${org.id}::uuid and status in ('queued', 'sending')`.execute(
    store.db,
  );
  return r.rows[0]?.n ?? 0;
}

/** One sender, killed at a random moment after it starts sending, restarted, until the outbox is empty. */
async function killLoop(
  url: string,
  store: Store,
  sink: SmtpSink,
  org: Organisation,
  name: string,
  stats: { kills: number; inFlight: number },
  maxKills: number,
  guarantee: Guarantee,
): Promise<void> {
  for (let round = 0; stats.kills < maxKills && (await pending(store, org)) > 0; round++) {
    const id = `${name}-${round}`;
    const child = startWorker(url, sink, org, id, guarantee);
    if (!(await ready(child))) continue;
    // Killed at a random moment once messages are flowing: during a transfer, at the commit point,
    // between the final dot and the record of the server's answer…
    const before = sink.messages.length;
    for (let waited = 0; sink.messages.length === before && waited < 3000; waited += 2)
      await new Promise((resolve) => setTimeout(resolve, 2));
    // The kill comes from a process of its own: a timer in this process would fire while it serves
    // the SMTP session, that is right after a sender's final dot, more often than at random.
    spawn('/bin/sh', ['-c', `sleep ${(Math.random() * 0.04).toFixed(4)}; kill -9 ${child.pid}`], {
      stdio: 'ignore',
    });
    await exited(child);
    stats.kills++;
    const r = await sql<{ n: number }>`
      select count(*)::int as n from messages where org_id = ${org.id}::uuid and status = 'sending' and claimed_by = ${id}`.execute(
      store.db,
    );
    stats.inFlight += r.rows[0]?.n ?? 0;
  }
}

async function scenario(
  url: string,
  store: Store,
  sink: SmtpSink,
  senders: number,
  guarantee: Guarantee,
  maxKills: number,
): Promise<Scenario> {
  const started = Date.now();
  const org = await mailOrg(store);
  const rows = Array.from(
    { length: MESSAGES },
    (_, i) =>
      `F-${i},C${String(i).padStart(4, '0')},Client ${i} SARL,FR,,compta${i}@client${i}.test,fr,2026-10-01,2026-10-31,${100 + i}.00,,,`,
  );
  await importLedger(store, org, rows, DAY);
  const queued = await queueDay(store, org, DAY);
  expect(queued.messages).toHaveLength(MESSAGES);

  const stats = { kills: 0, inFlight: 0 };
  await Promise.all(
    Array.from({ length: senders }, (_, i) =>
      killLoop(url, store, sink, org, `s${i}`, stats, maxKills / senders, guarantee),
    ),
  );
  // Then senders that are left alone, until everything has left (claims of killed senders expire).
  for (let i = 0; i < 20 && (await pending(store, org)) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await exited(startWorker(url, sink, org, `final-${i}`, guarantee, true));
  }

  const messages = await sql<{
    message_id_header: string;
    status: string;
    provider_message_id: string | null;
  }>`
    select message_id_header, status,
           (select e.detail ->> 'providerId' from message_events e
             where e.org_id = m.org_id and e.message_id = m.id and e.kind = 'sent' limit 1) as provider_message_id
      from messages m where org_id = ${org.id}::uuid`.execute(store.db);
  const counts = sink.counts();
  const received = messages.rows.map((m) => counts.get(m.message_id_header) ?? 0);
  const result: Scenario = {
    messages: messages.rows.length,
    kills: stats.kills,
    inFlightAtKill: stats.inFlight,
    deliveredOnce: received.filter((n) => n === 1).length,
    duplicated: received.filter((n) => n > 1).length,
    missing: received.filter((n) => n === 0).length,
    unconfirmed: messages.rows.filter((m) => m.status === 'sent' && !m.provider_message_id).length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  expect(messages.rows.every((m) => m.status === 'sent')).toBe(true);
  const lost = messages.rows
    .filter((m) => (counts.get(m.message_id_header) ?? 0) !== 1)
    .map((m) => m.message_id_header);
  if (lost.length) {
    const detail = await sql`
      select m.message_id_header, m.status, m.attempts, m.claimed_by, m.sent_at,
             (select json_agg(json_build_object('kind', e.kind, 'attempt', e.attempt, 'at', e.at, 'detail', e.detail) order by e.id) from message_events e where e.message_id = m.id) as events
        from messages m where m.org_id = ${org.id}::uuid and m.message_id_header = any(${lost}::text[])`.execute(
      store.db,
    );
    console.log(JSON.stringify(detail.rows, null, 1));
  }
  return result;
}

describe('exactly once when sender processes are killed (PostgreSQL)', () => {
  let database: { url: string; drop(): Promise<void> } | undefined;
  let store: Store;
  let sink: SmtpSink;
  beforeAll(async () => {
    if (!postgres.available) {
      console.warn('[ardent] PostgreSQL unavailable: the multi-process crash test is skipped.');
      return;
    }
    database = await createPostgresDatabase();
    store = await openStore({ databaseUrl: database.url });
    sink = await startSmtpSink();
    await bundleWorker();
  });
  afterAll(async () => {
    await sink?.close();
    await store?.close();
    await database?.drop();
  });

  // The record of a message and its final dot are two writes to two peers; a kill can fall between
  // them (ARCHITECTURE.md). At least once (the default), no message is ever lost and a kill in that
  // instant sends one again with the same Message-ID; at most once, nothing is ever sent twice and a
  // kill there loses one. Each test asserts its side strictly and bounds the other: how often a kill
  // meets that instant depends on the machine's load (the first write wakes its peer, which often
  // takes the sender's core before the second: at most once, 0 of 30 kills on an idle machine, 6 of
  // 30 beside three busy loops, 2 to 7 in CI runs). A record committed well before its dot, the
  // fault the bound is there to catch, would lose a message on nearly every kill, one per busy lane.
  const bound = (kills: number) => Math.ceil(kills / 3);
  it.skipIf(!postgres.available)(
    'at least once: loses no message while one sender is killed again and again',
    async () => {
      const r = await scenario(database!.url, store, sink, 1, 'at-least-once', 30);
      console.log(`[crash test, one sender, at least once] ${JSON.stringify(r)}`);
      expect(r.kills).toBeGreaterThanOrEqual(20);
      expect(r.missing).toBe(0);
      expect(r.deliveredOnce + r.duplicated).toBe(MESSAGES);
      expect(r.duplicated).toBeLessThanOrEqual(bound(r.kills));
    },
    180_000,
  );

  it.skipIf(!postgres.available)(
    'at least once: loses no message with two senders at once, both killed again and again',
    async () => {
      const r = await scenario(database!.url, store, sink, 2, 'at-least-once', 30);
      console.log(`[crash test, two senders, at least once] ${JSON.stringify(r)}`);
      expect(r.kills).toBeGreaterThanOrEqual(10);
      expect(r.missing).toBe(0);
      expect(r.deliveredOnce + r.duplicated).toBe(MESSAGES);
      expect(r.duplicated).toBeLessThanOrEqual(bound(r.kills));
    },
    180_000,
  );

  it.skipIf(!postgres.available)(
    'at most once: sends nothing twice while one sender is killed again and again',
    async () => {
      const r = await scenario(database!.url, store, sink, 1, 'at-most-once', 30);
      console.log(`[crash test, one sender, at most once] ${JSON.stringify(r)}`);
      expect(r.kills).toBeGreaterThanOrEqual(20);
      expect(r.duplicated).toBe(0);
      expect(r.deliveredOnce + r.missing).toBe(MESSAGES);
      // A message can only be lost in the documented state: recorded as sent, no server answer.
      expect(r.missing).toBeLessThanOrEqual(r.unconfirmed);
      expect(r.missing).toBeLessThanOrEqual(bound(r.kills));
    },
    180_000,
  );
});
