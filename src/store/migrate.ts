import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawSession } from './store.ts';

const folder = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: string;
  script: string;
}

/** The migrations shipped with this version, in the order they apply. */
export function shippedMigrations(): Migration[] {
  return readdirSync(folder)
    .filter((name) => /^\d{3}_[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), script: readFileSync(folder + name, 'utf8') }));
}

// Any fixed number: several processes starting at once take turns on this lock.
const MIGRATION_LOCK = 7_411_020_264;

/** Applies, in one transaction, every migration not yet applied. Idempotent and safe to race. */
export async function migrate(session: RawSession, migrations = shippedMigrations()): Promise<string[]> {
  await session.exec(
    'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
  );
  await session.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  const done = new Set(
    (await session.query<{ version: string }>('select version from schema_migrations')).map((r) => r.version),
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await session.exec(migration.script);
    await session.query('insert into schema_migrations (version) values ($1)', [migration.version]);
    applied.push(migration.version);
  }
  return applied;
}
