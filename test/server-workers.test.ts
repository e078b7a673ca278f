// Two worker processes (`ardent serve --worker`) against one PostgreSQL database: the day's work is
// done once, whoever wins; a claim left by a crashed worker is taken over when its lease runs out.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDay } from '../src/dunning/run.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';
import { DAY, type Running, type SeededOrg, seedOrg, spawnArdent } from './support/server.ts';

const postgres = engines.find((e) => e.name === 'postgres')!;

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  output: () => string,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!postgres.available)('two workers on one PostgreSQL database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-workers-'));
  let store: Store;
  let drop = async () => {};
  let url: string;
  let a: SeededOrg;
  let b: SeededOrg;
  const workers: Running[] = [];

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    url = database.url;
    drop = database.drop;
    store = await openStore({ databaseUrl: url });
    a = await seedOrg(store, 'A');
    b = await seedOrg(store, 'B');
    // More customers, so that the run lasts long enough for both workers to want it.
    await sql`
      insert into customers (org_id, ref, name, country)
      select ${a.org.id}::uuid, 'A-X' || g, 'Client ' || g, 'FR' from generate_series(1, 300) g`.execute(
      store.db,
    );
    await sql`
      insert into contacts (org_id, customer_id, key, email)
      select org_id, id, lower(ref) || '@clients.example', lower(ref) || '@clients.example' from customers
       where org_id = ${a.org.id}::uuid and ref like 'A-X%'`.execute(store.db);
    await sql`
      insert into invoices (org_id, customer_id, number, issue_date, due_date, currency, total, outstanding, source_outstanding)
      select org_id, id, 'F-' || ref, date '2026-09-01', date '2026-10-01', 'EUR', 10000, 10000, 10000 from customers
       where org_id = ${a.org.id}::uuid and ref like 'A-X%'`.execute(store.db);
    // B's run was claimed by a worker that crashed: its lease ends in two seconds.
    await sql`
      insert into jobs (org_id, kind, day, claimed_by, claimed_until, attempts)
      values (${b.org.id}::uuid, 'daily_run', ${DAY}::date, 'crashed-worker', now() + interval '2 seconds', 1)`.execute(
      store.db,
    );
  });
  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL');
    await store?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does a day’s work once, and takes over the claim of a crashed worker', {
    timeout: 180_000,
  }, async () => {
    const expected = (await runDay(store, a.org, { day: DAY, dryRun: true })).messages.length;
    expect(expected).toBeGreaterThan(250);
    for (const name of ['w1', 'w2'])
      workers.push(
        await spawnArdent(['serve', '--worker'], {
          DATABASE_URL: url,
          ARDENT_HOME: join(dir, name),
          ARDENT_TODAY: DAY,
          ARDENT_SCHEDULER_TICK_MS: '100',
          ARDENT_LEASE_SECONDS: '30',
        }),
      );
    const output = () => workers.map((w, i) => `--- worker ${i + 1}\n${w.output()}`).join('\n');
    const done = async () => {
      const r = await sql<{
        n: number;
      }>`select count(*) as n from jobs where kind = 'daily_run' and done_at is not null`.execute(store.db);
      const queued = await sql<{
        n: number;
      }>`select count(*) as n from messages where status in ('queued', 'sending')`.execute(store.db);
      return Number(r.rows[0]!.n) === 2 && Number(queued.rows[0]!.n) === 0;
    };
    await until(done, 40_000, 'both organisations’ runs and their sending', output);

    const jobs = await store.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'daily_run')
      .orderBy('org_id')
      .execute();
    const jobA = jobs.find((j) => j.org_id === a.org.id)!;
    const jobB = jobs.find((j) => j.org_id === b.org.id)!;
    // One winner for A's day; B's claim taken over from the crashed worker (a second attempt).
    expect(jobA.attempts).toBe(1);
    expect(jobA.claimed_by).toMatch(/:\d+:/);
    expect(jobB.attempts).toBe(2);
    expect(jobB.claimed_by).not.toBe('crashed-worker');

    const messages = await sql<{ org_id: string; n: number; customers: number }>`
      select org_id, count(*) as n, count(distinct customer_id) as customers from messages group by org_id`.execute(
      store.db,
    );
    const ofA = messages.rows.find((m) => m.org_id === a.org.id)!;
    expect(Number(ofA.n)).toBe(expected);
    expect(Number(ofA.customers)).toBe(expected);
    const sent = await sql<{
      n: number;
    }>`select count(*) as n from events where kind = 'message.sent' and org_id = ${a.org.id}::uuid`.execute(
      store.db,
    );
    expect(Number(sent.rows[0]!.n)).toBe(expected);
    const files = ['w1', 'w2'].flatMap((w) => {
      try {
        return readdirSync(join(dir, w, 'outbox')).filter(
          (f) => f.endsWith('.eml') && !f.startsWith('member_'),
        );
      } catch {
        return [];
      }
    });
    expect(files.filter((f) => f.includes('_A-'))).toHaveLength(expected);
    const summaries = await store.db
      .selectFrom('notifications')
      .select('org_id')
      .where('kind', '=', 'run.summary')
      .execute();
    expect(summaries).toHaveLength(2);

    // SIGTERM: both stop cleanly and hold nothing.
    const codes = await Promise.all(workers.map((w) => w.stop()));
    expect(codes).toEqual([0, 0]);
    const held = await sql<{ n: number }>`select count(*) as n from jobs where claimed_until > now()`.execute(
      store.db,
    );
    expect(Number(held.rows[0]!.n)).toBe(0);
  });
});
