// Writes src/store/db-types.ts from the migrations, so that row types come from the schema and are
// never written by hand. Run with `npm run db:types` after adding a migration; a test checks it is current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { shippedMigrations } from './migrate.ts';

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_identity: 'YES' | 'NO';
}

const TS_TYPES: Record<string, string> = {
  uuid: 'string',
  text: 'string',
  character: 'string',
  'character varying': 'string',
  bigint: 'number',
  integer: 'number',
  smallint: 'number',
  boolean: 'boolean',
  date: 'string',
  'timestamp with time zone': 'Date',
  jsonb: 'Json',
  ARRAY: 'string[]',
  bytea: 'Uint8Array',
};

export async function renderDbTypes(): Promise<string> {
  const pglite = await PGlite.create();
  try {
    for (const m of shippedMigrations()) await pglite.exec(m.script);
    const { rows } = await pglite.query<Column>(
      `select table_name, column_name, data_type, is_nullable, column_default, is_identity
         from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
    );
    const tables = new Map<string, Column[]>();
    for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row]);
    const out = [
      '// Generated from src/store/migrations by `npm run db:types`. Do not edit.',
      "import type { ColumnType, Generated } from 'kysely';",
      '',
      'export type Json = ColumnType<unknown, string, string>;',
      '',
    ];
    const names: string[] = [];
    for (const [table, columns] of tables) {
      const name = `${table.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())}Table`;
      names.push(`  ${table}: ${name};`);
      out.push(`export interface ${name} {`);
      for (const c of columns) {
        const base = TS_TYPES[c.data_type];
        if (!base)
          throw new Error(`no TypeScript type for ${c.table_name}.${c.column_name} (${c.data_type})`);
        let type = c.is_nullable === 'YES' ? `${base} | null` : base;
        if (c.column_default !== null || c.is_identity === 'YES') type = `Generated<${type}>`;
        out.push(`  ${c.column_name}: ${type};`);
      }
      out.push('}', '');
    }
    out.push('export interface Database {', ...names, '}', '');
    return out.join('\n');
  } finally {
    await pglite.close();
  }
}

export const dbTypesPath = fileURLToPath(new URL('./db-types.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(dbTypesPath, await renderDbTypes());
  console.log(`wrote ${dbTypesPath}`);
}
