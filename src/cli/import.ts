import type { Command } from 'commander';
import { type DocumentImportResult, importDocumentFile } from '../imports/import-documents.ts';
import { type FileImportResult, importInvoiceFile } from '../imports/import-invoices.ts';
import { describeProblem, type Problem, UnreadableFileError } from '../imports/records.ts';
import type { Runner } from './main.ts';
import { addImportPayments } from './payments.ts';

export function registerImport(program: Command, run: Runner): void {
  const group = program.command('import').description('bring invoices or bank statements in');
  group
    .command('invoices')
    .description('invoices and credit notes: CSV, JSON, UBL 2.1, UN/CEFACT CII, Factur-X/ZUGFeRD PDF')
    .argument('<files...>')
    .option('--full', 'the files are a full export: report open invoices they leave out (nothing is deleted)')
    .option('--strict', 'refuse a whole file when any of its rows is refused')
    .action(function (this: Command, files: string[]) {
      return run(async (ctx) => {
        const o = this.opts<{ full?: boolean; strict?: boolean }>();
        const store = await ctx.store();
        const org = await ctx.org();
        const results: FileImportResult[] = [];
        const problems: Problem[] = [];
        const unreadable: Problem[] = [];
        for (const file of files) {
          try {
            results.push(
              await importInvoiceFile(store, org, file, {
                full: Boolean(o.full),
                strict: Boolean(o.strict),
                today: ctx.today(org),
                onProblem: (p) => {
                  problems.push(p);
                  ctx.out.error(describeProblem(p));
                },
                onWarning: (m) => ctx.out.error(`warning: ${m}`),
              }),
            );
          } catch (error) {
            if (error instanceof UnreadableFileError) {
              unreadable.push(error.problem);
              ctx.out.error(describeProblem(error.problem));
            } else if (
              (error as NodeJS.ErrnoException).code === 'ENOENT' ||
              (error as NodeJS.ErrnoException).code === 'EISDIR'
            ) {
              const p = {
                file,
                message:
                  (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'is a directory',
              };
              unreadable.push(p);
              ctx.out.error(describeProblem(p));
            } else {
              throw error;
            }
          }
        }
        if (ctx.out.json) {
          ctx.out.data({ files: results, problems: [...unreadable, ...problems] });
        } else {
          for (const r of results) {
            const verdict = r.refused
              ? 'refused whole (--strict)'
              : `${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged`;
            ctx.out.line(
              `${r.file} (${r.format}): ${r.accepted} accepted, ${r.rejected} refused; ${verdict}`,
            );
            if (r.creditNotesNetted > 0)
              ctx.out.line(`  ${r.creditNotesNetted} credit notes netted against the invoices they correct`);
            if (r.absent.length > 0) {
              ctx.out.line(
                `  ${r.absent.length} open invoices are not in this export (left unchanged, check them): ${r.absent.slice(0, 20).join(', ')}${r.absent.length > 20 ? ', …' : ''}`,
              );
            }
          }
        }
        if (unreadable.length > 0) return 2;
        return results.some((r) => r.rejected > 0) ? 1 : 0;
      })();
    });
  addImportPayments(group, run);
  group
    .command('documents')
    .description(
      'invoice PDFs, attached to the reminders about their invoice: found by their Factur-X data, else by a file name with the invoice number (F-2026-0412.pdf)',
    )
    .argument('<files...>')
    .action((files: string[]) =>
      run(async (ctx) => {
        const store = await ctx.store();
        const org = await ctx.org();
        const results: DocumentImportResult[] = [];
        let unreadable = false;
        for (const file of files) {
          try {
            results.push(await importDocumentFile(store, org, file));
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
            unreadable = true;
            ctx.out.error(
              describeProblem({ file, message: code === 'ENOENT' ? 'no such file' : 'is a directory' }),
            );
          }
        }
        for (const r of results) if (r.problem) ctx.out.error(describeProblem(r.problem));
        if (ctx.out.json) ctx.out.data({ files: results });
        else
          for (const r of results.filter((x) => x.status !== 'refused'))
            ctx.out.line(
              `${r.file}: ${r.status} to invoice ${r.invoice} (by its ${r.matchedBy === 'facturx' ? 'Factur-X data' : 'file name'})`,
            );
        if (unreadable) return 2;
        return results.some((r) => r.status === 'refused') ? 1 : 0;
      })(),
    );
}
