import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './db-types.ts';
import { migrate } from './migrate.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type Db = Kysely<Database>;

/** A connection outside the query builder, for multi-statement scripts (migrations) and bulk work. */
export interface RawSession {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
}

export interface Store {
  readonly engine: 'postgres' | 'pglite';
  readonly db: Db;
  /** Runs `work` in one transaction on a raw session. */
  rawTransaction<T>(work: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** A PostgreSQL server; absent, the embedded database. */
  databaseUrl?: string | undefined;
  /** Where the embedded database lives; absent with no URL, an in-memory one (tests). */
  home?: string | undefined;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

// int8 as a JS number (amounts in minor units stay far below 2^53); `date` as the plain
// 'YYYY-MM-DD' string it is, never a Date shifted by a time zone.
const INT8 = 20;
const DATE = 1082;
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

/**
 * Marks a hot statement (a page the API serves many times a second): on PostgreSQL it is prepared
 * once per connection and its plan reused, where planning the queue's page cost as much as running it.
 * Only statements whose text is fixed for a given shape may carry it: each distinct text is kept
 * prepared on every connection of the pool. They name their columns: a prepared `select *` fails
 * once a migration adds a column under a running server.
 */
export const PREPARED = '/* prepared */ ';

const preparedNames = new Map<string, string>();

function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `ardent_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** pg's client, preparing the statements marked PREPARED under a name derived from their text. */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this forwards them all.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && config.startsWith(PREPARED))
      return super.query({ name: preparedName(config), text: config, values }, callback);
    return super.query(config, values, callback);
  }
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options.databaseUrl) : await openPGlite(options.home);
  if (options.migrate !== false) {
    try {
      await store.rawTransaction((session) => migrate(session));
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function openPostgres(url: string): Store {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8) return parseInt8;
      if (oid === DATE) return keepText;
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString: url, types, max: 10, Client: PreparingClient });
  // An idle connection the server drops (restart, database dropped) must not crash the process;
  // the next query gets a fresh connection or a clear error.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    async rawTransaction(work) {
      const client = await pool.connect();
      const session: RawSession = {
        async query(text, params) {
          return (await client.query(text, params)).rows;
        },
        async exec(script) {
          await client.query(script);
        },
      };
      try {
        await client.query('begin');
        const result = await work(session);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPGlite(home: string | undefined): Promise<Store> {
  let dataDir: string | undefined;
  if (home) {
    dataDir = join(home, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create(dataDir, { parsers: { [INT8]: parseInt8, [DATE]: keepText } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    engine: 'pglite',
    db,
    async rawTransaction(work) {
      // Through Kysely's connection, so the raw work waits its turn like any other query.
      return db.connection().execute(async () => {
        const session: RawSession = {
          async query(text, params) {
            return (await pglite.query(text, params)).rows as never;
          },
          async exec(script) {
            await pglite.exec(script);
          },
        };
        await pglite.exec('begin');
        try {
          const result = await work(session);
          await pglite.exec('commit');
          return result;
        } catch (error) {
          await pglite.exec('rollback');
          throw error;
        }
      });
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
