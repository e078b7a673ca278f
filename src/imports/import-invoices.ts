// `ardent import invoices`: reads each file in its format, writes what is valid in one transaction
// per file, and reports every refused row. A file is never half-written: a crash or a --strict
// refusal leaves the database as it was.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { sql } from 'kysely';
import { netCreditNotes } from '../ledger/allocations.ts';
import { attachDocument, DOCUMENT_MAX_BYTES } from '../ledger/documents.ts';
import type { Organisation } from '../ledger/organisations.ts';
import type { Db, Store } from '../store/store.ts';
import { parseInvoiceCsvBlocks } from './parse-csv.ts';
import { parseInvoiceJson } from './parse-json.ts';
import {
  type CustomerRecord,
  type ImportItem,
  type InvoiceRecord,
  type PostalAddress,
  type Problem,
  UnreadableFileError,
} from './records.ts';
import { writeCustomers, writeInvoices } from './write-batch.ts';

export type InvoiceFormat = 'csv' | 'json' | 'ubl' | 'cii' | 'facturx';

export interface ImportOptions {
  /** The file is a full export: open invoices it leaves out are reported (never deleted). */
  full?: boolean;
  /** Refuse the whole file when any row is refused. */
  strict?: boolean;
  /** The calendar day of the import, for `absent_since`. */
  today: string;
  batchSize?: number;
  onProblem?(problem: Problem): void;
  onWarning?(message: string): void;
}

export interface FileImportResult {
  file: string;
  format: InvoiceFormat;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  customersCreated: number;
  creditNotesNetted: number;
  /** With --full: open invoices missing from this export, left as they are. */
  absent: string[];
  /** True when --strict refused the file because of rejected rows. */
  refused: boolean;
}

const PROBLEMS_KEPT = 1000;

export async function detectInvoiceFormat(path: string): Promise<InvoiceFormat> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(4096);
  let length: number;
  try {
    ({ bytesRead: length } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  const text = head
    .subarray(0, length)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.startsWith('%PDF')) return 'facturx';
  const ext = extname(path).toLowerCase();
  const trimmed = text.trimStart();
  if (ext === '.json' || trimmed.startsWith('{')) return 'json';
  if (ext === '.xml' || trimmed.startsWith('<')) {
    if (/<(?:[\w-]+:)?CrossIndustryInvoice[\s>]/.test(text)) return 'cii';
    if (/<(?:[\w-]+:)?(?:Invoice|CreditNote)[\s>]/.test(text)) return 'ubl';
    throw new UnreadableFileError({
      file: path,
      message:
        'an XML file that is neither a UBL 2.1 Invoice/CreditNote nor a UN/CEFACT CrossIndustryInvoice',
    });
  }
  if (ext === '.pdf') throw new UnreadableFileError({ file: path, message: 'not a PDF file' });
  return 'csv';
}

/** The file's items, a block at a time (a CSV is read as a stream; other formats whole). */
async function* readItems(
  path: string,
  format: InvoiceFormat,
  currency: string,
  onWarning?: (m: string) => void,
): AsyncGenerator<ImportItem[]> {
  const ctx = { file: path, defaultCurrency: currency };
  switch (format) {
    case 'csv':
      yield* parseInvoiceCsvBlocks(createReadStream(path, { highWaterMark: 256 * 1024 }), ctx, {
        onIgnoredColumns: (columns) => onWarning?.(`${path}: ignored columns: ${columns.join(', ')}`),
      });
      return;
    case 'json':
      yield parseInvoiceJson(await readFile(path, 'utf8'), ctx);
      return;
    // The XML and PDF readers load their libraries only when such a file comes.
    case 'ubl':
      yield (await import('./parse-ubl.ts')).parseUbl(await readXml(path), ctx);
      return;
    case 'cii':
      yield (await import('./parse-cii.ts')).parseCii(await readXml(path), ctx);
      return;
    case 'facturx':
      yield await (await import('./parse-facturx.ts')).parseFacturX(
        new Uint8Array(await readFile(path)),
        ctx,
      );
      return;
  }
}

/** XML declares its own encoding (ISO-8859-1 exists in the wild): decode by the declaration, not as UTF-8. */
async function readXml(path: string): Promise<string> {
  const { decodeXmlBytes } = await import('./xml.ts');
  return decodeXmlBytes(new Uint8Array(await readFile(path)), path);
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

class StrictRefusal extends Error {}

/** Rows written by one file past which the tables' statistics are refreshed. */
const ANALYZE_AFTER = 5000;

const SEP = '\u0001';
const addressText = (a: PostalAddress | undefined) =>
  a ? `${a.lines.join('\n')}${SEP}${a.postalCode ?? ''}${SEP}${a.city ?? ''}${SEP}${a.country ?? ''}` : '';

/** Everything written of a customer, as one string: equal strings, nothing new to write. */
function customerSignature(c: CustomerRecord): string {
  let s = `${c.name}${SEP}${c.country ?? ''}${SEP}${c.language ?? ''}${SEP}${c.legalId ?? ''}${SEP}${c.vatId ?? ''}${SEP}${addressText(c.address)}${SEP}${c.strategic ?? ''}${SEP}${c.excluded ?? ''}`;
  for (const k of c.contacts)
    s += `${SEP}${SEP}${k.name ?? ''}${SEP}${k.email ?? ''}${SEP}${k.phone ?? ''}${SEP}${k.language ?? ''}${SEP}${k.role ?? ''}${SEP}${addressText(k.address)}`;
  return s;
}

/** A 53-bit hash of a text (cyrb53: two 32-bit multiplicative lanes mixed at the end). */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Remembers what was already written of each customer during one import, so that a customer named
 * on ten thousand rows is written once. It keeps, per customer reference, a 53-bit hash of what was
 * written (a change goes unwritten only if two versions of one customer collide: one chance in
 * 2^53), and a copy of the reference, not a slice of the file's text that would keep a whole block
 * of it alive: about 100 bytes a customer. Bounded: past the limit it forgets and writes again,
 * which costs time, never correctness.
 */
class CustomerMemo {
  private readonly seen = new Map<string, number>();
  changed(customers: CustomerRecord[]): CustomerRecord[] {
    const out: CustomerRecord[] = [];
    for (const c of customers) {
      const signature = hash53(customerSignature(c));
      if (this.seen.get(c.ref) === signature) continue;
      if (this.seen.size >= 200_000) this.seen.clear();
      this.seen.set(Buffer.from(c.ref, 'utf8').toString('utf8'), signature);
      out.push(c);
    }
    return out;
  }
}

export async function importInvoiceFile(
  store: Store,
  org: Organisation,
  path: string,
  options: ImportOptions,
): Promise<FileImportResult> {
  const format = await detectInvoiceFormat(path);
  const digest = await sha256(path);
  const batchSize = options.batchSize ?? 5000;
  const result: FileImportResult = {
    file: path,
    format,
    accepted: 0,
    rejected: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    customersCreated: 0,
    creditNotesNetted: 0,
    absent: [],
    refused: false,
  };
  let kept = 0;
  let lastAt: string | undefined;
  // A row with three bad fields is one refused row reported in three lines.
  const report = (problem: Problem) => {
    if (problem.at === undefined || problem.at !== lastAt) result.rejected++;
    lastAt = problem.at;
    if (kept++ < PROBLEMS_KEPT) options.onProblem?.(problem);
  };

  try {
    await store.db.transaction().execute(async (trx) => {
      const importRow = await trx
        .insertInto('imports')
        .values({ org_id: org.id, kind: 'invoices', file_name: path, format, sha256: digest })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (options.full)
        await sql`create temporary table seen_numbers (number text primary key) on commit drop`.execute(trx);

      const pdfNumbers: string[] = [];
      let customers: CustomerRecord[] = [];
      let invoices: InvoiceRecord[] = [];
      const written = new CustomerMemo();
      const write = async (customerBatch: CustomerRecord[], invoiceBatch: InvoiceRecord[]) => {
        result.customersCreated += await writeCustomers(trx, org.id, written.changed(customerBatch));
        const counts = await writeInvoices(trx, org.id, importRow.id, invoiceBatch);
        result.created += counts.created;
        result.updated += counts.updated;
        if (options.full && invoiceBatch.length > 0) {
          await sql`insert into seen_numbers select unnest(${invoiceBatch.map((i) => i.number)}::text[]) on conflict do nothing`.execute(
            trx,
          );
        }
      };
      // The database writes one batch while the next is parsed: two cores, both busy.
      let pending: Promise<void> = Promise.resolve();
      const flush = async () => {
        await pending;
        pending = write(customers, invoices);
        pending.catch(() => {});
        customers = [];
        invoices = [];
      };

      for await (const block of readItems(path, format, org.currency, options.onWarning)) {
        for (const item of block) {
          if (item.kind === 'problem') {
            report(item.problem);
            continue;
          }
          customers.push(item.customer);
          if (item.kind === 'invoice') {
            invoices.push(item.invoice);
            result.accepted++;
            if (format === 'facturx') pdfNumbers.push(item.invoice.number);
          }
          if (customers.length >= batchSize) await flush();
        }
      }
      await flush();
      await pending;
      result.unchanged = result.accepted - result.created - result.updated;
      // A Factur-X file is the invoice as the customer received it: it goes with the reminders.
      if (pdfNumbers.length > 0) await attachImportedPdf(trx, org.id, path, pdfNumbers);
      if (options.strict && result.rejected > 0) throw new StrictRefusal();

      result.creditNotesNetted = await netCreditNotes(trx, org.id, importRow.id);
      if (options.full) result.absent = await markAbsent(trx, org.id, options.today);
      await trx
        .updateTable('imports')
        .set({
          accepted: result.accepted,
          rejected: result.rejected,
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
        })
        .where('org_id', '=', org.id)
        .where('id', '=', importRow.id)
        .execute();
      await trx
        .insertInto('events')
        .values({
          org_id: org.id,
          kind: 'import.invoices',
          actor: 'import',
          day: options.today,
          summary: `Imported ${path} (${format}): ${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected} refused`,
          data: JSON.stringify({ importId: importRow.id, ...result, absent: result.absent.length }),
        })
        .execute();
    });
  } catch (error) {
    if (!(error instanceof StrictRefusal)) throw error;
    result.refused = true;
    result.created = result.updated = result.unchanged = result.customersCreated = 0;
  }
  if (kept > PROBLEMS_KEPT)
    options.onWarning?.(`${path}: ${kept - PROBLEMS_KEPT} more refused rows not listed`);
  // After a large load the planner's statistics still describe the tables as they were, and the next
  // queries (the daily run, the matcher) would be planned for an empty ledger; autovacuum catches up
  // only a minute later.
  if (result.created + result.updated >= ANALYZE_AFTER)
    await sql`analyze invoices, customers, contacts`.execute(store.db);
  return result;
}

async function attachImportedPdf(db: Db, orgId: string, path: string, numbers: string[]): Promise<void> {
  const content = new Uint8Array(await readFile(path));
  if (content.byteLength > DOCUMENT_MAX_BYTES) return;
  const rows = await db
    .selectFrom('invoices')
    .select('id')
    .where('org_id', '=', orgId)
    .where('number', 'in', numbers)
    .execute();
  for (const row of rows)
    await attachDocument(db, orgId, row.id, { fileName: basename(path), content, source: 'facturx' });
}

/** Open invoices that a full export left out: flagged with the day they went missing, never deleted. */
async function markAbsent(db: Db, orgId: string, today: string): Promise<string[]> {
  await sql`
    update invoices i set absent_since = ${today}::date, updated_at = now()
     where i.org_id = ${orgId}::uuid and i.outstanding <> 0 and i.absent_since is null
       and i.status not in ('paid', 'cancelled', 'written_off')
       and not exists (select 1 from seen_numbers s where s.number = i.number)`.execute(db);
  const stillAbsent = await sql<{ number: string }>`
    select number from invoices i where i.org_id = ${orgId}::uuid and i.absent_since is not null and i.outstanding <> 0
       and not exists (select 1 from seen_numbers s where s.number = i.number) order by number`.execute(db);
  return stillAbsent.rows.map((r) => r.number);
}
