import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isPlainDate, plainDateAt } from '../calendar/plain-date.ts';
import { analyseMessage } from '../inbound/analyse.ts';
import { openAiCompatibleFromEnv } from '../inbound/providers/openai-compatible.ts';
import { InputError } from '../ledger/organisations.ts';
import { fileError } from './inspect-statement.ts';
import type { Runner } from './main.ts';

export function registerInspectEmail(program: Command, run: Runner): void {
  program
    .command('inspect-email')
    .description(
      'analyse messages (reply, automatic reply, bounce): intent, dates, invoice numbers; changes nothing',
    )
    .argument('<files...>', 'RFC 5322 messages (.eml)')
    .option('--as-of <date>', 'the day the message is read, for relative dates (default today)')
    .action(function (this: Command, files: string[]) {
      return run(async (ctx) => {
        const o = this.opts<{ asOf?: string }>();
        const asOf =
          o.asOf ??
          ctx.env.ARDENT_TODAY ??
          plainDateAt(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone);
        if (!isPlainDate(asOf)) throw new InputError(`--as-of: expected a date as YYYY-MM-DD, got "${asOf}"`);
        const classifier = openAiCompatibleFromEnv(ctx.env) ?? undefined;
        const results = [];
        let refused = false;
        for (const file of files) {
          let raw: Buffer;
          try {
            raw = await readFile(file);
          } catch (error) {
            refused = true;
            ctx.out.error(`${file}: ${fileError(error as NodeJS.ErrnoException)}`);
            continue;
          }
          results.push(await analyseMessage(raw, { asOf, ...(classifier ? { classifier } : {}) }));
        }
        if (ctx.out.json) ctx.out.data(files.length === 1 ? (results[0] ?? null) : results);
        else {
          results.forEach((r, i) => {
            const parts = [`${files[i]}: ${r.kind}`];
            if (r.intent) parts.push(`intent ${r.intent} (${Math.round((r.confidence ?? 0) * 100)}%)`);
            if (r.language) parts.push(`language ${r.language}`);
            if (r.promisedDate) parts.push(`promised ${r.promisedDate}`);
            if (r.returnDate) parts.push(`back ${r.returnDate}`);
            if (r.invoiceNumbers?.length) parts.push(`invoices ${r.invoiceNumbers.join(', ')}`);
            if (r.bounce)
              parts.push(
                r.bounce.recipients
                  .map((b) => `${b.address} ${b.status} ${b.hard ? 'hard' : 'soft'} (${b.reason})`)
                  .join('; '),
              );
            ctx.out.line(parts.join(' · '));
          });
        }
        return refused ? 2 : 0;
      })();
    });
}
