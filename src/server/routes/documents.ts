// Invoices' own PDFs: uploaded for one invoice, or several at once matched by their Factur-X data or
// their file names (as `ardent import documents`), and read back. They go with the reminders.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { importDocumentFile } from '../../imports/import-documents.ts';
import { describeProblem } from '../../imports/records.ts';
import { attachDocument, DOCUMENT_MAX_BYTES, documentOfInvoice, isPdf } from '../../ledger/documents.ts';
import type { Db } from '../../store/store.ts';
import type { Api, RouteModule } from '../api.ts';
import { callerOf } from '../auth.ts';
import { badRequest, HttpError, notFound } from '../problems.ts';
import { receiveUpload } from '../uploads.ts';

const numberParams = z.object({ number: z.string().min(1).max(100) });

async function invoiceByNumber(db: Db, orgId: string, number: string) {
  const invoice = await db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('org_id', '=', orgId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!invoice) throw notFound(`no invoice ${number}`);
  return invoice;
}

const documentResult = z.object({
  file: z.string(),
  invoice: z.string().nullable(),
  matchedBy: z.enum(['facturx', 'file_name', 'url']).nullable(),
  status: z.enum(['attached', 'replaced', 'unchanged', 'refused']),
  problem: z.string().nullable(),
});

export const registerDocuments: RouteModule = (api: Api, deps) => {
  api.get(
    '/invoices/:number/document',
    {
      schema: {
        tags: ['invoices'],
        summary: 'The invoice’s PDF, as it goes with the reminders',
        params: numberParams,
      },
    },
    async (request, reply) => {
      const { org } = callerOf(request);
      const invoice = await invoiceByNumber(deps.store.db, org.id, request.params.number);
      const doc = await documentOfInvoice(deps.store.db, org.id, invoice.id);
      if (!doc) throw notFound(`invoice ${invoice.number} has no PDF`);
      const ascii = doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .type(doc.contentType)
        .header(
          'content-disposition',
          `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
        )
        .header('etag', `"${doc.sha256}"`)
        .header('cache-control', 'private, no-cache')
        .send(Buffer.from(doc.content));
    },
  );

  api.put(
    '/invoices/:number/document',
    {
      schema: {
        tags: ['invoices'],
        summary:
          'Attach a PDF to this invoice (multipart/form-data, one part named "file"); it replaces the one before',
        params: numberParams,
        response: { 200: documentResult },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const invoice = await invoiceByNumber(deps.store.db, org.id, request.params.number);
      const upload = await receiveUpload(request);
      try {
        const [file] = upload.files;
        if (upload.files.length !== 1 || !file) throw badRequest('send exactly one PDF file');
        const content = new Uint8Array(await readFile(file.path));
        if (!isPdf(content))
          throw badRequest(`${file.name}: not a PDF file`, [
            { in: 'body', field: 'file', message: 'expected a PDF' },
          ]);
        if (content.byteLength > DOCUMENT_MAX_BYTES)
          throw new HttpError(413, `${file.name}: larger than ${DOCUMENT_MAX_BYTES / 2 ** 20} MB`);
        const outcome = await attachDocument(deps.store.db, org.id, invoice.id, {
          fileName: file.name,
          content,
          source: 'upload',
        });
        return {
          file: file.name,
          invoice: invoice.number,
          matchedBy: 'url' as const,
          status: outcome.unchanged
            ? ('unchanged' as const)
            : outcome.replaced
              ? ('replaced' as const)
              : ('attached' as const),
          problem: null,
        };
      } finally {
        await upload.dispose();
      }
    },
  );

  api.post(
    '/documents/import',
    {
      schema: {
        tags: ['invoices'],
        summary:
          'Invoice PDFs, each attached to the invoice its Factur-X data or its file name names (multipart/form-data, parts named "file")',
        response: { 200: z.object({ files: z.array(documentResult) }) },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const upload = await receiveUpload(request);
      try {
        const files = [];
        for (const file of upload.files) {
          const r = await importDocumentFile(deps.store, org, file.path, { name: file.name });
          files.push({
            file: file.name,
            invoice: r.invoice ?? null,
            matchedBy: r.matchedBy ?? null,
            status: r.status,
            problem: r.problem ? describeProblem({ ...r.problem, file: file.name }) : null,
          });
        }
        return { files };
      } finally {
        await upload.dispose();
      }
    },
  );
};
