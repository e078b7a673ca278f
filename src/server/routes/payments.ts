// What comes in from outside: bank statements (reconciled against the invoices, as with
// `ardent import payments`) and customers' messages (read and acted on, as with `ardent inbound`).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { importPaymentFile, type PaymentFileResult } from '../../banking/reconcile.ts';
import { describeProblem, type Problem, UnreadableFileError } from '../../imports/records.ts';
import { ingestMessage } from '../../inbound/ingest.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { HttpError } from '../problems.ts';
import { receiveUpload } from '../uploads.ts';

export const registerPayments: RouteModule = (api: Api, deps) => {
  api.post(
    '/payments/import',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Import bank statements (multipart, part "file"): camt.052/053/054, OFX, MT940, CSV; payments are matched and applied',
        querystring: z.strictObject({
          currency: z.string().length(3).optional().describe('for a CSV that does not say'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const upload = await receiveUpload(request);
      try {
        const files: PaymentFileResult[] = [];
        const problems: (Problem & { line: string })[] = [];
        for (const file of upload.files) {
          const rename = (p: Problem) => ({ ...p, file: file.name });
          try {
            const result = await importPaymentFile(deps.store, org, file.path, {
              today: todayFor(deps, org),
              ...(request.query.currency ? { csvCurrency: request.query.currency } : {}),
              onProblem: (p) => problems.push({ ...rename(p), line: describeProblem(rename(p)) }),
            });
            files.push({ ...result, file: file.name });
          } catch (error) {
            if (error instanceof UnreadableFileError)
              throw new HttpError(422, describeProblem(rename(error.problem)), {
                slug: 'unreadable-file',
                title: 'File not readable',
                errors: [{ in: 'file', field: file.name, message: error.problem.message }],
              });
            throw error;
          }
        }
        return { files, problems };
      } finally {
        await upload.dispose();
      }
    },
  );

  api.post(
    '/inbound',
    {
      schema: {
        tags: ['inbound'],
        summary:
          'Hand over a message received for the organisation (multipart, part "file": an RFC 5322 .eml): a reply, an automatic reply or a bounce',
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const upload = await receiveUpload(request);
      try {
        const reports = [];
        for (const file of upload.files) {
          const report = await ingestMessage(deps.store, await readFile(file.path), {
            asOf: todayFor(deps, org),
            via: 'api',
            orgId: org.id,
          });
          // Scoped to the caller's organisation; the report says so without its internal id.
          reports.push({
            file: file.name,
            ...report,
            organisation: report.organisation ? { slug: report.organisation.slug } : null,
          });
        }
        return reports;
      } finally {
        await upload.dispose();
      }
    },
  );
};
