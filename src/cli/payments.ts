// `ardent import payments`, `ardent payments`, `ardent payment record`, `ardent suggestions` and
// `ardent suggestion confirm|reject`: bank statements in, and what people do with payments.
import type { Command } from 'commander';
import {
  importPaymentFile,
  loadMatchSettings,
  type PaymentFileResult,
  saveMatchSettings,
} from '../banking/reconcile.ts';
import { listPayments, listSuggestions } from '../banking/reconcile-listings.ts';
import {
  type AllocationInput,
  confirmSuggestion,
  type PaymentActionResult,
  recordManualPayment,
  rejectSuggestion,
} from '../banking/reconcile-suggestions.ts';
import { describeProblem, type Problem, UnreadableFileError } from '../imports/records.ts';
import { checkDate } from '../imports/validate.ts';
import { formatDecimal, parseAmount } from '../ledger/money.ts';
import { InputError } from '../ledger/organisations.ts';
import type { CommandContext } from './context.ts';
import { fileError } from './inspect-statement.ts';
import type { Runner } from './main.ts';

const actor = (ctx: CommandContext) => `cli:${ctx.env.USER ?? 'user'}`;
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `ardent import payments FILE…`, added to the `import` group by src/cli/import.ts. */
export function addImportPayments(group: Command, run: Runner): void {
  group
    .command('payments')
    .description(
      'bank statements (camt.052/053/054, OFX, MT940, CSV): match incoming payments to invoices, stop their reminders',
    )
    .argument('<files...>')
    .option(
      '--currency <code>',
      'the currency of a CSV statement that does not say (default: the organisation’s)',
    )
    .action(function (this: Command, files: string[]) {
      return run(async (ctx) => {
        const o = this.opts<{ currency?: string }>();
        const store = await ctx.store();
        const org = await ctx.org();
        const results: PaymentFileResult[] = [];
        const problems: Problem[] = [];
        let unreadable = 0;
        for (const file of files) {
          try {
            results.push(
              await importPaymentFile(store, org, file, {
                today: ctx.today(org),
                ...(o.currency ? { csvCurrency: o.currency.toUpperCase() } : {}),
                onProblem: (p) => {
                  problems.push(p);
                  ctx.out.error(describeProblem(p));
                },
              }),
            );
          } catch (error) {
            const p =
              error instanceof UnreadableFileError
                ? error.problem
                : (error as NodeJS.ErrnoException).code
                  ? { file, message: fileError(error as NodeJS.ErrnoException) }
                  : undefined;
            if (!p) throw error;
            unreadable++;
            problems.push(p);
            ctx.out.error(describeProblem(p));
          }
        }
        if (ctx.out.json) ctx.out.data({ files: results, problems });
        else {
          for (const r of results) {
            ctx.out.line(
              `${r.file} (${r.format}): ${r.entries} entries, ${r.credits} credits: ${r.applied} applied, ${r.suggested + r.unmatched} to confirm (\`ardent suggestions\`), ${r.duplicates} already imported${r.reversals ? `, ${r.reversals} taken back by the bank` : ''}${r.refused ? `, ${r.refused} refused` : ''}; ${r.debitsIgnored} debits ignored${r.notBooked ? `, ${r.notBooked} not booked yet` : ''}`,
            );
            if (r.invoicesPaid.length)
              ctx.out.line(
                `  paid, reminders stopped: ${r.invoicesPaid.slice(0, 20).join(', ')}${r.invoicesPaid.length > 20 ? ', …' : ''}`,
              );
            if (r.messagesWithdrawn) ctx.out.line(`  ${r.messagesWithdrawn} unsent reminder(s) withdrawn`);
          }
        }
        if (unreadable > 0) return 2;
        return results.some((r) => r.refused > 0) ? 1 : 0;
      })();
    });
}

function done(ctx: CommandContext, result: PaymentActionResult): number {
  if (ctx.out.json) ctx.out.data(result);
  else
    ctx.out.line(
      `payment of ${result.amount} ${result.currency}${result.customer ? ` from ${result.customer.name}` : ''}: ${result.message}`,
    );
  return 0;
}

function pairs(invoices: string[] = [], amounts: string[] = []): AllocationInput[] {
  if (invoices.length !== amounts.length)
    throw new InputError(
      'give one --amount after each --invoice (--invoice F-1 --amount 100.00 --invoice F-2 …)',
    );
  return invoices.map((invoiceNumber, i) => ({ invoiceNumber, amount: amounts[i]! }));
}

export function registerPayments(program: Command, run: Runner): void {
  const payments = program.command('payments').description('payments received, and how they are matched');
  payments
    .command('list', { isDefault: true })
    .description('payments, newest first, with the invoices each settled and why')
    .option('--customer <ref>', 'one customer’s payments')
    .option('--limit <n>', 'at most this many (default 500)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ customer?: string; limit?: string }>();
        const limit = o.limit === undefined ? undefined : Number(o.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0))
          throw new InputError(`--limit: expected a positive whole number, got "${o.limit}"`);
        const org = await ctx.org();
        const list = await listPayments((await ctx.store()).db, org.id, {
          ...(o.customer ? { customerRef: o.customer } : {}),
          ...(limit ? { limit } : {}),
        });
        if (ctx.out.json) ctx.out.data(list);
        else
          ctx.out.table(
            list.map((p) => ({
              received: p.receivedOn,
              amount: p.amount,
              cur: p.currency,
              customer: p.customer?.name ?? p.payer.name ?? '',
              invoices: p.allocations.map((a) => a.invoice).join(' '),
              credit: p.unallocated === formatDecimal(0, p.currency) ? '' : p.unallocated,
              source: p.source,
              status: p.status,
            })),
          );
        return 0;
      })();
    });

  payments
    .command('settings')
    .description(
      'how sure a match must be to apply by itself, and the differences that still settle an invoice',
    )
    .option('--threshold <0..1>', 'apply matches at least this sure (default 0.9)')
    .option('--tolerance <amount>', 'a difference up to this amount settles the invoice (default 5.00)')
    .option('--tolerance-percent <p>', '…or up to this percentage of what is due (default 0)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ threshold?: string; tolerance?: string; tolerancePercent?: string }>();
        const org = await ctx.org();
        const db = (await ctx.store()).db;
        const change: Parameters<typeof saveMatchSettings>[2] = {};
        if (o.threshold !== undefined) {
          const t = Number(o.threshold);
          if (!(t >= 0 && t <= 1))
            throw new InputError(`--threshold: expected a number from 0 to 1, got "${o.threshold}"`);
          change.threshold = t;
        }
        if (o.tolerance !== undefined) {
          const t = parseAmount(o.tolerance, org.currency);
          if (!t.ok || t.minor < 0) throw new InputError(`--tolerance: ${t.ok ? 'not negative' : t.reason}`);
          change.toleranceMinor = t.minor;
        }
        if (o.tolerancePercent !== undefined) {
          const p = Number(o.tolerancePercent.replace(',', '.'));
          if (!(p >= 0 && p <= 100))
            throw new InputError(
              `--tolerance-percent: expected a number from 0 to 100, got "${o.tolerancePercent}"`,
            );
          change.toleranceBp = Math.round(p * 100);
        }
        const s = Object.keys(change).length
          ? await saveMatchSettings(db, org.id, change)
          : await loadMatchSettings(db, org.id);
        const shown = {
          threshold: s.threshold,
          tolerance: formatDecimal(s.toleranceMinor, org.currency),
          currency: org.currency,
          tolerancePercent: s.toleranceBp / 100,
        };
        if (ctx.out.json) ctx.out.data(shown);
        else
          ctx.out.line(
            `matches at least ${Math.round(s.threshold * 100)} % sure are applied by themselves; a difference up to ${shown.tolerance} ${org.currency}${s.toleranceBp ? ` or ${shown.tolerancePercent} % of what is due` : ''} settles an invoice`,
          );
        return 0;
      })();
    });

  program
    .command('payment')
    .description('record a payment by hand')
    .command('record')
    .description('a payment received outside a bank statement: the invoice is settled and its reminders stop')
    .requiredOption('--invoice <number>', 'the invoice it pays')
    .requiredOption('--amount <amount>', 'e.g. 12.50; beyond what the invoice owes is kept as credit')
    .option('--date <date>', 'when it was received, YYYY-MM-DD (default today)')
    .option('--reference <text>', 'a cheque number, a transfer reference')
    .option('--currency <code>', 'checked against the invoice’s')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{
          invoice: string;
          amount: string;
          date?: string;
          reference?: string;
          currency?: string;
        }>();
        const org = await ctx.org();
        const today = ctx.today(org);
        let receivedOn = today;
        if (o.date) {
          const d = checkDate(o.date);
          if (!d.ok) throw new InputError(`--date: ${d.reason}`);
          receivedOn = d.value;
        }
        return done(
          ctx,
          await recordManualPayment(await ctx.store(), org, {
            invoiceNumber: o.invoice,
            amount: o.amount,
            receivedOn,
            actor: actor(ctx),
            today,
            ...(o.reference ? { reference: o.reference } : {}),
            ...(o.currency ? { currency: o.currency.toUpperCase() } : {}),
          }),
        );
      })();
    });

  program
    .command('suggestions')
    .description('payments the agent was not sure enough of: confirm, correct or reject each in one action')
    .option('--status <status>', 'open, confirmed, rejected or all', 'open')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ status: string }>();
        const org = await ctx.org();
        const list = await listSuggestions((await ctx.store()).db, org.id, { status: o.status });
        if (ctx.out.json) ctx.out.data(list);
        else
          for (const s of list) {
            ctx.out.line(
              `${s.id.slice(0, 8)}  ${s.receivedOn}  ${s.amount} ${s.currency}  from ${s.payer.name ?? 'unknown payer'}${s.remittance ? `  "${s.remittance}"` : ''}`,
            );
            ctx.out.line(
              `          ${s.proposal.length ? `proposed: ${s.proposal.map((p) => `${p.invoice} ${p.amount}`).join(', ')}` : 'nothing proposed'} (${Math.round(s.confidence * 100)} %${s.status === 'open' ? '' : `, ${s.status}`})`,
            );
            ctx.out.line(`          ${s.reasons.join('; ')}`);
          }
        if (!ctx.out.json && list.length === 0) ctx.out.line('(none)');
        return 0;
      })();
    });

  const suggestion = program.command('suggestion').description('act on one payment suggestion');
  suggestion
    .command('confirm')
    .description('apply it as proposed, or as corrected with --invoice/--amount pairs')
    .argument('<id>', 'the id `ardent suggestions` shows (its first characters are enough)')
    .option('--invoice <number>', 'an invoice it pays (repeat with --amount for each)', collect)
    .option('--amount <amount>', 'what goes to the --invoice before it', collect)
    .action(function (this: Command, id: string) {
      return run(async (ctx) => {
        const o = this.opts<{ invoice?: string[]; amount?: string[] }>();
        const org = await ctx.org();
        const allocations = pairs(o.invoice, o.amount);
        return done(
          ctx,
          await confirmSuggestion(await ctx.store(), org, id, {
            actor: actor(ctx),
            today: ctx.today(org),
            ...(allocations.length ? { allocations } : {}),
          }),
        );
      })();
    });
  suggestion
    .command('reject')
    .description('this credit is not a payment of our invoices (a refund, a transfer between accounts)')
    .argument('<id>')
    .option('--reason <text>', 'why, for the history')
    .action(function (this: Command, id: string) {
      return run(async (ctx) => {
        const o = this.opts<{ reason?: string }>();
        const org = await ctx.org();
        const result = await rejectSuggestion(await ctx.store(), org, id, {
          actor: actor(ctx),
          today: ctx.today(org),
          ...(o.reason ? { reason: o.reason } : {}),
        });
        if (ctx.out.json) ctx.out.data(result);
        else ctx.out.line(`${result.id.slice(0, 8)}: ${result.message}`);
        return 0;
      })();
    });
}
