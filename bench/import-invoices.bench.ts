// Importing a generated CSV of N invoices for N/10 customers into PostgreSQL, beside the floor:
// PostgreSQL's COPY of the same rows into a bare table, in the same run.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { importInvoiceFile } from '../src/imports/import-invoices.ts';
import { createOrganisation } from '../src/ledger/organisations.ts';
import { openStore } from '../src/store/store.ts';
import { writeInvoiceCsv } from './generate-invoices.ts';
import { fmt, measure, peakLiveHeapMb, withDatabase } from './support.ts';

async function copyFloor(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create table floor (numero text, ref_client text, client text, pays text, contact text, email text,
    langue text, date_facture text, echeance text, devise text, montant_ttc text, reste_du text)`);
  const start = performance.now();
  await pipeline(
    createReadStream(file),
    client.query(copyFrom("copy floor from stdin with (format csv, header true, delimiter ';')")),
  );
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return seconds;
}

async function importOnce(invoices: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-bench-'));
  const file = join(dir, 'invoices.csv');
  await writeInvoiceCsv(file, invoices, Math.max(1, invoices / 10));
  try {
    return await withDatabase(async (url) => {
      const floorSeconds = await copyFloor(url, file);
      const store = await openStore({ databaseUrl: url });
      const org = await createOrganisation(store.db, { name: 'Bench', country: 'FR' });
      const run = await measure(() => importInvoiceFile(store, org, file, { today: '2026-11-22' }));
      const again = await measure(() => importInvoiceFile(store, org, file, { today: '2026-11-22' }));
      // The same file once more into an organisation of its own, for the memory it keeps alive.
      const other = await createOrganisation(store.db, { name: 'Bench (memory)', country: 'FR' });
      const liveMb = await peakLiveHeapMb(() =>
        importInvoiceFile(store, other, file, { today: '2026-11-22' }),
      );
      await store.close();
      if (run.result.created !== invoices)
        throw new Error(`expected ${invoices} new invoices, got ${run.result.created}`);
      if (again.result.unchanged !== invoices)
        throw new Error(`re-import changed ${invoices - again.result.unchanged} invoices`);
      return { invoices, mb: statSync(file).size / 2 ** 20, floorSeconds, run, again, liveMb };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchImportInvoices(sizes = [100_000, 300_000]): Promise<string[]> {
  const lines = ['## Invoice import (CSV → PostgreSQL)', ''];
  lines.push(
    '| invoices | file | import | invoices/s | re-import (unchanged) | COPY floor | import ÷ floor | peak RSS above start | peak live heap (a pass of its own) |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of sizes) {
    const r = await importOnce(n);
    lines.push(
      `| ${fmt(n)} | ${fmt(r.mb, 1)} MB | ${fmt(r.run.seconds, 2)} s | ${fmt(n / r.run.seconds)} | ${fmt(r.again.seconds, 2)} s | ${fmt(r.floorSeconds, 2)} s | ${fmt(r.run.seconds / r.floorSeconds, 1)}× | ${fmt(r.run.peakRssMb - r.run.baseRssMb)} MB | ${fmt(r.liveMb)} MB |`,
    );
    console.error(lines.at(-1));
  }
  return lines;
}
