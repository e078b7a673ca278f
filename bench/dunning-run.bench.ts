// The daily run over N open invoices of N/10 customers on PostgreSQL, beside the floor measured in
// the same run: reading those invoices, and writing as many queue rows with COPY.

import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { runDay } from '../src/dunning/run.ts';
import { createOrganisation } from '../src/ledger/organisations.ts';
import { openStore } from '../src/store/store.ts';
import { fmt, measure, withDatabase } from './support.ts';

const DAY = '2026-11-23';

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
    `insert into contacts (org_id, customer_id, key, name, email, language)
     select org_id, id, 'billing@' || lower(ref) || '.example', 'Accounts', 'billing@' || lower(ref) || '.example', null
       from customers where org_id = $1 and ref not like '%7'`,
    [orgId],
  );
  // Due dates spread from 60 days ago to 30 days ahead: on any day some steps fall due.
  await client.query(
    `insert into invoices (org_id, customer_id, number, type, issue_date, due_date, currency, total, outstanding, source_outstanding, status)
     select c.org_id, c.id, 'F-' || c.ref || '-' || k, 'invoice', d - 30, d, 'EUR', a, a, a, 'open'
       from customers c cross join generate_series(1, $2::int) k
       cross join lateral (select ($3::date - ((abs(hashtext(c.ref || '-' || k)) % 90) - 30))::date as d,
                                  (10000 + abs(hashtext(k || c.ref)) % 500000)::bigint as a) x
      where c.org_id = $1`,
    [orgId, perCustomer, DAY],
  );
  await client.query('analyze');
  await client.end();
}

/** Writes out what is dirty, so that each measurement starts from the same state, not paying for the one before. */
async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('checkpoint');
  await client.end();
}

async function floor(url: string, orgId: string): Promise<{ read: number; write: number; rows: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  let start = performance.now();
  await pipeline(
    client.query(
      copyTo(
        `copy (select i.* from invoices i where i.org_id = '${orgId}' and i.outstanding <> 0) to stdout`,
      ),
    ),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const byte of chunk) if (byte === 10) rows++;
        done();
      },
    }),
  );
  const read = (performance.now() - start) / 1000;
  await client.query('create table floor_state (like dunning_state including all)');
  const ids = (
    await client.query<{ id: string; customer_id: string }>(
      `select id, customer_id from invoices where org_id = $1`,
      [orgId],
    )
  ).rows;
  const lines = ids.map(
    (r) =>
      `${r.id}\t${orgId}\t${r.customer_id}\t1\t${DAY}\t1\t\\N\t\\N\t\\N\tf\t\\N\t2\t2026-11-30\tlevel 2 because it is overdue\tplanned\tf\t2026-11-23 09:00:00+00\n`,
  );
  start = performance.now();
  await pipeline(Readable.from(lines), client.query(copyFrom('copy floor_state from stdin')));
  const write = (performance.now() - start) / 1000;
  await client.query('drop table floor_state');
  await client.end();
  return { read, write, rows };
}

export async function benchDunningRun(customers = 100_000, perCustomer = 10): Promise<string[]> {
  const invoices = customers * perCustomer;
  return withDatabase(async (url) => {
    const store = await openStore({ databaseUrl: url });
    const org = await createOrganisation(store.db, { name: 'Bench', country: 'FR' });
    await generate(url, org.id, customers, perCustomer);
    await checkpoint(url);
    const f = await floor(url, org.id);
    await checkpoint(url);
    const first = await measure(() => runDay(store, org, { day: DAY }));
    await checkpoint(url);
    const second = await measure(() => runDay(store, org, { day: '2026-11-24' }));
    await store.close();
    const floorSeconds = f.read + f.write;
    const lines = [
      `## Daily run (${fmt(invoices)} open invoices, ${fmt(customers)} customers, PostgreSQL)`,
      '',
      '| run | wall time | invoices/s | messages | ÷ floor | peak RSS above start |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| first run (plans every invoice) | ${fmt(first.seconds, 1)} s | ${fmt(invoices / first.seconds)} | ${fmt(first.result.messages.length)} | ${fmt(first.seconds / floorSeconds, 2)}× | ${fmt(first.peakRssMb - first.baseRssMb)} MB |`,
      `| next day | ${fmt(second.seconds, 1)} s | ${fmt(invoices / second.seconds)} | ${fmt(second.result.messages.length)} | ${fmt(second.seconds / floorSeconds, 2)}× | ${fmt(second.peakRssMb - second.baseRssMb)} MB |`,
      '',
      `Floor, same run: reading the ${fmt(f.rows)} invoices with COPY TO ${fmt(f.read, 1)} s + writing as many queue rows with COPY ${fmt(f.write, 1)} s = ${fmt(floorSeconds, 1)} s. A CHECKPOINT before the floor and before each run: none of them pays for writing out what the step before it left dirty.`,
    ];
    for (const l of lines) console.error(l);
    return lines;
  });
}
