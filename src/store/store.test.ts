import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { engines } from '../../test/support/engines.ts';
import { numberArray, textArray } from './arrays.ts';
import { dbTypesPath, renderDbTypes } from './generate-types.ts';
import { migrate } from './migrate.ts';
import { PREPARED } from './store.ts';

describe.each(engines)('store on $name', (engine) => {
  it.skipIf(!engine.available)('migrates a new database and is idempotent on a second run', async () => {
    const { store, dispose } = await engine.open();
    try {
      const applied = await store.rawTransaction((s) => migrate(s));
      expect(applied).toEqual([]);
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(
        store.db,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining([
          'organisations',
          'customers',
          'contacts',
          'invoices',
          'payments',
          'allocations',
        ]),
      );
    } finally {
      await dispose();
    }
  });

  it.skipIf(!engine.available)('reads dates as plain strings and amounts as numbers', async () => {
    const { store, dispose } = await engine.open();
    try {
      const r = await sql<{
        d: string;
        n: number;
      }>`select date '2026-11-11' as d, 123456789012::bigint as n`.execute(store.db);
      expect(r.rows[0]).toEqual({ d: '2026-11-11', n: 123456789012 });
    } finally {
      await dispose();
    }
  });

  it.skipIf(!engine.available)('passes arrays as parameters for batched writes', async () => {
    const { store, dispose } = await engine.open();
    try {
      const r = await sql<{
        x: string;
        y: number;
      }>`select * from unnest(${['a', 'b']}::text[], ${[1, 2]}::bigint[]) as t(x, y)`.execute(store.db);
      expect(r.rows).toEqual([
        { x: 'a', y: 1 },
        { x: 'b', y: 2 },
      ]);
    } finally {
      await dispose();
    }
  });

  it.skipIf(!engine.available)(
    'reads array literals built for batched writes back element for element',
    async () => {
      const { store, dispose } = await engine.open();
      try {
        const texts = [
          'a',
          'quote " inside',
          'back\\slash',
          '',
          'NULL',
          null,
          ' spaced ',
          '{braces}',
          'é,ü',
          'two\nlines',
        ];
        const numbers = [1, -2, null, 9007199254740991, 0, 5, 6, 7, 8, 9];
        const flags = [true, false, null, true, true, true, true, true, true, true];
        const r = await sql<{ t: string | null; n: number | null; b: boolean | null }>`
        select * from unnest(${textArray(texts)}::text[], ${numberArray(numbers)}::bigint[], ${numberArray(flags)}::boolean[])
          as x(t, n, b)`.execute(store.db);
        expect(r.rows.map((row) => row.t)).toEqual(texts);
        expect(r.rows.map((row) => row.n)).toEqual(numbers);
        expect(r.rows.map((row) => row.b)).toEqual(flags);
      } finally {
        await dispose();
      }
    },
  );

  it.skipIf(!engine.available)(
    'runs a statement marked PREPARED again and again with new parameters',
    async () => {
      const { store, dispose } = await engine.open();
      try {
        await store.db.transaction().execute(async (trx) => {
          for (const n of [1, 2, 3, 7]) {
            const r = await sql<{
              n: number;
            }>`${sql.raw(PREPARED)}select count(*)::int as n from generate_series(1, ${n}::int)`.execute(trx);
            expect(r.rows).toEqual([{ n }]);
          }
          if (store.engine === 'postgres') {
            const prepared = await sql<{
              statement: string;
            }>`select statement from pg_prepared_statements`.execute(trx);
            expect(prepared.rows.map((p) => p.statement)).toEqual([
              `${PREPARED}select count(*)::int as n from generate_series(1, $1::int)`,
            ]);
          }
        });
      } finally {
        await dispose();
      }
    },
  );

  it.skipIf(!engine.available)(
    "takes an organisation's invoices, dunning steps, reminders, their links and its history along when it is deleted",
    async () => {
      const { store, dispose } = await engine.open();
      try {
        const count = async (table: string) =>
          (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(store.db))
            .rows[0]!.n;
        await sql`insert into organisations (slug, name, country, currency, timezone, language)
                  values ('a', 'A', 'FR', 'EUR', 'Europe/Paris', 'fr')`.execute(store.db);
        await sql`insert into customers (org_id, ref, name, country) select id, 'C1', 'Client', 'FR' from organisations`.execute(
          store.db,
        );
        await sql`insert into invoices (org_id, customer_id, number, issue_date, due_date, currency, total, outstanding, source_outstanding)
                  select org_id, id, 'F-1', '2026-10-01', '2026-10-31', 'EUR', 100, 100, 100 from customers`.execute(
          store.db,
        );
        await sql`insert into dunning_state (invoice_id, org_id, customer_id, next_level, next_date)
                  select id, org_id, customer_id, 1, '2026-11-09' from invoices`.execute(store.db);
        await sql`insert into messages (org_id, customer_id, idempotency_key, day, language, subject, text_body, reason)
                  select org_id, id, 'k', '2026-11-09', 'fr', 's', 't', 'r' from customers`.execute(store.db);
        await sql`insert into message_invoices (message_id, invoice_id, org_id, level, amount)
                  select m.id, i.id, i.org_id, 1, 100 from messages m, invoices i`.execute(store.db);
        await sql`insert into events (org_id, customer_id, invoice_id, day, kind, actor, summary)
                  select org_id, customer_id, id, '2026-11-09', 'dunning.queued', 'agent', 's' from invoices`.execute(
          store.db,
        );
        await sql`insert into message_events (org_id, message_id, kind)
                  select org_id, id, 'sent' from messages`.execute(store.db);
        const tables = [
          'customers',
          'invoices',
          'dunning_state',
          'messages',
          'message_invoices',
          'events',
          'message_events',
        ];
        const counts = async () => Promise.all(tables.map(count));
        expect(await counts()).toEqual([1, 1, 1, 1, 1, 1, 1]);
        await sql`delete from organisations`.execute(store.db);
        expect(await counts()).toEqual([0, 0, 0, 0, 0, 0, 0]);
      } finally {
        await dispose();
      }
    },
  );

  it.skipIf(!engine.available)('rolls a failed transaction back whole', async () => {
    const { store, dispose } = await engine.open();
    try {
      await expect(
        store.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('organisations')
            .values({
              slug: 'a',
              name: 'A',
              country: 'FR',
              currency: 'EUR',
              timezone: 'Europe/Paris',
              language: 'fr',
            })
            .execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const count = await store.db
        .selectFrom('organisations')
        .select(store.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    } finally {
      await dispose();
    }
  });
});

describe('generated row types', () => {
  it('match the migrations (run `npm run db:types` after changing a migration)', async () => {
    expect(readFileSync(dbTypesPath, 'utf8')).toBe(await renderDbTypes());
  });
});
