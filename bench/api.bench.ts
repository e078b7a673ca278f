// The HTTP API over 1,000,000 invoices on PostgreSQL: latency of listing the queue and the invoices
// (first page, and a page deep in the list through its cursor) under a fixed load of concurrent
// clients (autocannon, 200 requests/s), beside a floor measured in the same run: /health, the same
// server and database round trip with no listing behind it. Target: p99 under 100 ms. The server is
// `ardent serve` in a process of its own, as in production, so that the load generator does not share
// its event loop.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { runDay } from '../src/dunning/run.ts';
import { createOrganisation } from '../src/ledger/organisations.ts';
import { createApiKey } from '../src/server/credentials.ts';
import { openStore } from '../src/store/store.ts';
import { fmt, withDatabase } from './support.ts';

const DAY = '2026-11-23';
const RATE = Number(process.env.ARDENT_BENCH_RATE ?? 200);
const SECONDS = Number(process.env.ARDENT_BENCH_SECONDS ?? 20);

// The same data as the daily-run benchmark: due dates spread from 60 days ago to 30 days ahead.
async function generate(url: string, orgId: string, customers: number, perCustomer: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `insert into customers (org_id, ref, name, country)
     select $1, 'C' || g, 'Customer ' || g || ' SARL', (array['FR','DE','BE','ES','IT','NL','GB'])[1 + g % 7]
       from generate_series(1, $2::int) g`,
    [orgId, customers],
  );
  await client.query(
    `insert into contacts (org_id, customer_id, key, name, email)
     select org_id, id, 'billing@' || lower(ref) || '.example', 'Accounts', 'billing@' || lower(ref) || '.example'
       from customers where org_id = $1 and ref not like '%7'`,
    [orgId],
  );
  await client.query(
    `insert into invoices (org_id, customer_id, number, type, issue_date, due_date, currency, total, outstanding, source_outstanding, status)
     select c.org_id, c.id, 'F-' || c.ref || '-' || k, 'invoice', d - 30, d, 'EUR', a, a, a, 'open'
       from customers c cross join generate_series(1, $2::int) k
       cross join lateral (select ($3::date - ((abs(hashtext(c.ref || '-' || k)) % 90) - 30))::date as d,
                                  (10000 + abs(hashtext(k || c.ref)) % 500000)::bigint as a) x
      where c.org_id = $1`,
    [orgId, perCustomer, DAY],
  );
  // A tenth of them paid: the status filter has something to leave out.
  await client.query(
    `update invoices set outstanding = 0, status = 'paid' where org_id = $1 and abs(hashtext(number)) % 10 = 0`,
    [orgId],
  );
  await client.query('analyze');
  await client.end();
}

interface Load {
  name: string;
  /** Median service time of requests sent one at a time, before the load. */
  alone: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rps: number;
  failures: number;
}

export async function load(name: string, url: string, key: string): Promise<Load> {
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    await response.arrayBuffer();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  const r = await autocannon({
    url,
    connections: 20,
    overallRate: RATE,
    duration: SECONDS,
    headers: { authorization: `Bearer ${key}` },
  });
  return {
    name,
    alone: times[50]!,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    rps: r.requests.average,
    failures: r.errors + r.timeouts + r.non2xx,
  };
}

/** `ardent serve --no-scheduler` on the benchmark's database, in its own process. */
export async function startServer(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const bin = fileURLToPath(new URL('../bin/ardent.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', '--no-scheduler', '--port', '0'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ARDENT_TODAY: DAY,
      ARDENT_LOG_LEVEL: 'warn',
      ARDENT_HOME: '/tmp/ardent-bench',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+) /.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`ardent serve exited (${code}): ${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function benchApi(customers = 100_000, perCustomer = 10): Promise<string[]> {
  const invoices = customers * perCustomer;
  return withDatabase(async (url) => {
    const store = await openStore({ databaseUrl: url });
    const org = await createOrganisation(store.db, { name: 'Bench', country: 'FR' });
    await generate(url, org.id, customers, perCustomer);
    console.error(`api bench: ${fmt(invoices)} invoices generated; filling the queue with a real run…`);
    const run = await runDay(store, org, { day: DAY });
    // The database at rest, as a server finds it between two runs: what autovacuum does (it is off
    // on some machines) and the checkpoint that follows a million writes, done before measuring.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('vacuum analyze');
    await admin.query('checkpoint');
    await admin.end();
    const { key } = await createApiKey(store.db, org.id, { name: 'bench', role: 'read_only' });
    const server = await startServer(url);
    const base = server.url;
    const headers = { authorization: `Bearer ${key}` };
    const json = async <T>(path: string) => (await (await fetch(`${base}${path}`, { headers })).json()) as T;
    // Cursors from half-way through each list, to show that a deep page costs what the first does.
    const open = await store.db
      .selectFrom('invoices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.id)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const queueDepth = await store.db
      .selectFrom('dunning_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.id)
      .where('next_date', 'is not', null)
      .executeTakeFirstOrThrow();
    let cursor: string | null = null;
    for (let i = 0; i < Math.floor(Number(open.n) / 2 / 500); i++)
      cursor = (
        await json<{ nextCursor: string }>(
          `/api/invoices?status=open&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).nextCursor;
    let queueCursor: string | null = null;
    // Queue items group a customer's steps of one day: about a third as many items as steps.
    for (let i = 0; i < Math.floor(Number(queueDepth.n) / 3 / 2 / 500); i++)
      queueCursor = (
        await json<{ nextCursor: string }>(
          `/api/queue?limit=500${queueCursor ? `&cursor=${queueCursor}` : ''}`,
        )
      ).nextCursor;
    const results: Load[] = [];
    results.push(await load('floor: GET /health', `${base}/health`, key));
    results.push(await load('GET /api/queue?limit=50', `${base}/api/queue?limit=50`, key));
    results.push(
      await load(
        'GET /api/queue?limit=50 (a page half-way down)',
        `${base}/api/queue?limit=50&cursor=${queueCursor}`,
        key,
      ),
    );
    results.push(
      await load('GET /api/invoices?status=open&limit=50', `${base}/api/invoices?status=open&limit=50`, key),
    );
    results.push(
      await load(
        'GET /api/invoices?status=open&limit=50 (a page half-way down)',
        `${base}/api/invoices?status=open&limit=50&cursor=${cursor}`,
        key,
      ),
    );
    await server.stop();
    await store.close();
    const lines = [
      `## HTTP API (${fmt(invoices)} invoices, ${fmt(customers)} customers, ${fmt(Number(queueDepth.n))} planned steps, PostgreSQL)`,
      '',
      `\`ardent serve\` in its own process; autocannon, 20 connections at ${RATE} requests/s for ${SECONDS} s each, API key auth; the queue filled by a real run (${fmt(run.messages.length)} messages). Target: p99 under 100 ms.`,
      '',
      '| request | one at a time (p50) | p50 | p90 | p99 | max | req/s | failures |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map(
        (r) =>
          `| ${r.name} | ${fmt(r.alone, 1)} ms | ${fmt(r.p50, 1)} ms | ${fmt(r.p90, 1)} ms | ${fmt(r.p99, 1)} ms | ${fmt(r.max, 1)} ms | ${fmt(r.rps)} | ${r.failures} |`,
      ),
    ];
    for (const l of lines) console.error(l);
    return lines;
  });
}
