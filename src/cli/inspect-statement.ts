import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseStatementFile } from '../banking/detect.ts';
import { toContractJson } from '../banking/statement.ts';
import { describeProblem, UnreadableFileError } from '../imports/records.ts';
import type { Runner } from './main.ts';

export function registerInspectStatement(program: Command, run: Runner): void {
  program
    .command('inspect-statement')
    .description(
      'parse bank statements (camt.052/053/054, OFX, MT940, CSV) and print their entries, changing nothing',
    )
    .argument('<files...>')
    .option('--currency <code>', 'the currency of a CSV statement that does not say (default EUR)')
    .action(function (this: Command, files: string[]) {
      return run(async (ctx) => {
        const o = this.opts<{ currency?: string }>();
        const parsed = [];
        let refused = false;
        for (const file of files) {
          try {
            const bytes = new Uint8Array(await readFile(file));
            parsed.push(
              toContractJson(
                parseStatementFile(file, bytes, o.currency ? { csvCurrency: o.currency.toUpperCase() } : {}),
              ),
            );
          } catch (error) {
            refused = true;
            if (error instanceof UnreadableFileError) ctx.out.error(describeProblem(error.problem));
            else if ((error as NodeJS.ErrnoException).code)
              ctx.out.error(`${file}: ${fileError(error as NodeJS.ErrnoException)}`);
            else throw error;
          }
        }
        if (ctx.out.json) ctx.out.data(files.length === 1 ? (parsed[0] ?? null) : parsed);
        else {
          for (const f of parsed) {
            for (const s of f.statements) {
              ctx.out.line(`${f.format} ${s.account ?? ''} ${s.currency}: ${s.entries.length} entries`);
              ctx.out.table(
                s.entries.map((e) => ({
                  booked: e.bookingDate ?? '',
                  amount: `${e.direction === 'debit' ? '-' : ''}${e.amount}`,
                  cur: e.currency,
                  from: e.counterparty?.name ?? '',
                  remittance: e.remittance ?? '',
                  ref: e.creditorReference ?? '',
                })),
              );
            }
          }
        }
        return refused ? 2 : 0;
      })();
    });
}

export function fileError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file';
  if (error.code === 'EISDIR') return 'is a directory';
  if (error.code === 'EACCES') return 'permission denied';
  return error.message;
}
