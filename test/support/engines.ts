import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.ts';

export interface TestEngine {
  name: 'pglite' | 'postgres';
  available: boolean;
  /** A new, empty, migrated database of its own; drop it with `dispose`. */
  open(): Promise<TestDatabase>;
}

export interface TestDatabase {
  store: Store;
  /** For PostgreSQL, the URL of this test's own database (to hand to a CLI or a child process). */
  url?: string;
  dispose(): Promise<void>;
}

const adminUrl = () => process.env.ARDENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a throwaway database on the test server; returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ardent_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export const engines: TestEngine[] = [
  {
    name: 'pglite',
    available: true,
    async open() {
      const store = await openStore({});
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'postgres',
    available: process.env.ARDENT_TEST_POSTGRES !== 'unavailable',
    async open() {
      const database = await createPostgresDatabase();
      const store = await openStore({ databaseUrl: database.url });
      return {
        store,
        url: database.url,
        async dispose() {
          await store.close();
          await database.drop();
        },
      };
    },
  },
];
