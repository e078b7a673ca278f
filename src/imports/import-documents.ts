// Invoice PDFs brought in (`ardent import documents FILE…`, or uploaded): each goes with the invoice
// its embedded Factur-X data names, else the invoice its file name names. A file that names no
// invoice, or several, is reported and kept out; nothing else is touched.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { attachDocument, DOCUMENT_MAX_BYTES, invoiceForFileName, isPdf } from '../ledger/documents.ts';
import type { Organisation } from '../ledger/organisations.ts';
import type { Store } from '../store/store.ts';
import type { Problem } from './records.ts';

export interface DocumentImportResult {
  file: string;
  /** The invoice it went with, when it did. */
  invoice?: string;
  /** How the invoice was found. */
  matchedBy?: 'facturx' | 'file_name';
  status: 'attached' | 'replaced' | 'unchanged' | 'refused';
  problem?: Problem;
}

async function numberInFacturX(
  bytes: Uint8Array,
  file: string,
  currency: string,
): Promise<string | undefined> {
  const { parseFacturX } = await import('./parse-facturx.ts');
  try {
    const items = await parseFacturX(bytes, { file, defaultCurrency: currency });
    const numbers = items.flatMap((i) => (i.kind === 'invoice' ? [i.invoice.number] : []));
    return numbers.length === 1 ? numbers[0] : undefined;
  } catch {
    // A plain PDF, with no invoice data inside: its name says which invoice it is.
    return undefined;
  }
}

export async function importDocumentFile(
  store: Store,
  org: Organisation,
  path: string,
  options: { name?: string } = {},
): Promise<DocumentImportResult> {
  const name = options.name ?? basename(path);
  const refuse = (message: string, field?: string): DocumentImportResult => ({
    file: path,
    status: 'refused',
    problem: { file: path, message, ...(field ? { field } : {}) },
  });
  const bytes = new Uint8Array(await readFile(path));
  if (!isPdf(bytes)) return refuse('not a PDF file (no %PDF- header)');
  if (bytes.byteLength > DOCUMENT_MAX_BYTES)
    return refuse(
      `${(bytes.byteLength / 2 ** 20).toFixed(1)} MB: larger than the ${DOCUMENT_MAX_BYTES / 2 ** 20} MB an email attachment can safely be`,
    );

  let invoice: { id: string; number: string } | undefined;
  let matchedBy: DocumentImportResult['matchedBy'];
  const embedded = await numberInFacturX(bytes, path, org.currency);
  if (embedded) {
    invoice = await store.db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('org_id', '=', org.id)
      .where('number', '=', embedded)
      .executeTakeFirst();
    if (!invoice)
      return refuse(
        `its Factur-X data is invoice ${embedded}, which is not in the ledger: import it first`,
        'number',
      );
    matchedBy = 'facturx';
  } else {
    const found = await invoiceForFileName(store.db, org.id, name);
    if (!found)
      return refuse(
        `the file name names no invoice of the ledger (name it after the invoice number, e.g. F-2026-0412.pdf)`,
        'file name',
      );
    if ('ambiguous' in found)
      return refuse(
        `the file name could be any of ${found.ambiguous.join(', ')}: name it after one invoice number`,
        'file name',
      );
    invoice = found;
    matchedBy = 'file_name';
  }
  const outcome = await attachDocument(store.db, org.id, invoice.id, {
    fileName: name,
    content: bytes,
    source: matchedBy === 'facturx' ? 'facturx' : 'import',
  });
  return {
    file: path,
    invoice: invoice.number,
    matchedBy,
    status: outcome.unchanged ? 'unchanged' : outcome.replaced ? 'replaced' : 'attached',
  };
}
