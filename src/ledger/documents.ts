// An invoice's own PDF, kept in the database so that any sender process can attach it to the
// reminders about that invoice. One document per invoice and kind; a new one replaces the old.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';

/** Larger files are refused: mail servers commonly stop at 10 to 25 MB for a whole message. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface DocumentInput {
  fileName: string;
  content: Uint8Array;
  contentType?: string;
  /** Where it came from: 'facturx' (the imported PDF itself), 'upload', 'import'. */
  source: string;
}

export interface StoredDocument {
  fileName: string;
  contentType: string;
  content: Uint8Array;
  size: number;
  sha256: string;
}

export function isPdf(bytes: Uint8Array): boolean {
  // The header may follow a few bytes of junk (PDF 32000-1 §7.5.2 readers tolerate it).
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/** Records the document of an invoice; true when it replaced a different one. */
export async function attachDocument(
  db: Db,
  orgId: string,
  invoiceId: string,
  doc: DocumentInput,
): Promise<{ replaced: boolean; unchanged: boolean }> {
  const sha256 = createHash('sha256').update(doc.content).digest('hex');
  const before = await db
    .selectFrom('documents')
    .select('sha256')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .where('kind', '=', 'invoice_pdf')
    .executeTakeFirst();
  if (before?.sha256 === sha256) return { replaced: false, unchanged: true };
  await db
    .insertInto('documents')
    .values({
      org_id: orgId,
      invoice_id: invoiceId,
      kind: 'invoice_pdf',
      file_name: doc.fileName,
      content_type: doc.contentType ?? 'application/pdf',
      content: doc.content,
      size: doc.content.byteLength,
      sha256,
      source: doc.source,
      path: null,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'invoice_id', 'kind']).doUpdateSet({
        file_name: (eb) => eb.ref('excluded.file_name'),
        content_type: (eb) => eb.ref('excluded.content_type'),
        content: (eb) => eb.ref('excluded.content'),
        size: (eb) => eb.ref('excluded.size'),
        sha256: (eb) => eb.ref('excluded.sha256'),
        source: (eb) => eb.ref('excluded.source'),
        path: null,
        updated_at: sql`now()`,
      }),
    )
    .execute();
  return { replaced: before !== undefined, unchanged: false };
}

/** The PDF of the invoice with this number, if there is one. */
export async function documentOfInvoice(
  db: Db,
  orgId: string,
  invoiceId: string,
): Promise<StoredDocument | undefined> {
  const row = await db
    .selectFrom('documents')
    .select(['file_name', 'content_type', 'content', 'size', 'sha256'])
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .where('kind', '=', 'invoice_pdf')
    .executeTakeFirst();
  if (!row?.content) return undefined;
  const content = row.content;
  return {
    fileName: row.file_name,
    contentType: row.content_type,
    content,
    size: row.size ?? content.byteLength,
    sha256: row.sha256 ?? createHash('sha256').update(content).digest('hex'),
  };
}

/**
 * The invoice a file's name points to: "F-2026-0412.pdf", "f20260412.PDF", or a name with the number
 * among other words ("Facture F-2026-0412 Dupont.pdf"), compared as the matcher compares numbers
 * (letters and digits only, upper case). Several invoices matching different words is ambiguous.
 */
export async function invoiceForFileName(
  db: Db,
  orgId: string,
  fileName: string,
): Promise<{ id: string; number: string } | { ambiguous: string[] } | undefined> {
  const stem = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const key = (w: string) => w.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  // Words of the name that could be a number: with a digit, and not a lone digit ("copy 2").
  const words = stem
    .split(/[\s_]+/)
    .map(key)
    .filter((w) => /\d/.test(w) && w.length >= 2);
  const keys = [...new Set([key(stem), ...words])].filter(Boolean);
  if (keys.length === 0) return undefined;
  const rows = await sql<{ id: string; number: string; key: string }>`
    select id, number, ardent_number_key(number) as key from invoices
     where org_id = ${orgId}::uuid and ardent_number_key(number) = any(${keys}::text[])`.execute(db);
  // The whole name first: "F-2026-0412-2.pdf" is that invoice, not F-2026-0412.
  const whole = rows.rows.filter((r) => r.key === keys[0]);
  const found = whole.length > 0 ? whole : rows.rows;
  const distinct = [...new Map(found.map((r) => [r.id, r])).values()];
  if (distinct.length === 0) return undefined;
  if (distinct.length > 1) return { ambiguous: distinct.map((r) => r.number).sort() };
  return { id: distinct[0]!.id, number: distinct[0]!.number };
}
