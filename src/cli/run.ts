import type { Command } from 'commander';
import { runDay } from '../dunning/run.ts';
import { checkDate } from '../imports/validate.ts';
import { InputError } from '../ledger/organisations.ts';
import { deliver } from '../mail/deliver.ts';
import type { CommandContext } from './context.ts';
import type { Runner } from './main.ts';

/** `--as-of YYYY-MM-DD`, or today in the organisation's time zone. */
export function asOfDay(
  ctx: CommandContext,
  asOf: string | undefined,
  org: Parameters<CommandContext['today']>[0],
): string {
  if (!asOf) return ctx.today(org);
  const checked = checkDate(asOf);
  if (!checked.ok || !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new InputError(`--as-of: expected a date as YYYY-MM-DD, got "${asOf}"`);
  return checked.value;
}

export function registerRun(program: Command, run: Runner): void {
  program
    .command('run')
    .description(
      "the agent's daily run: brings every open invoice's plan up to date and carries out what is due that day",
    )
    .option('--as-of <date>', 'the day to run for (default: today in the organisation’s time zone)')
    .option('--dry-run', 'change nothing and send nothing; print what would happen')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ asOf?: string; dryRun?: boolean }>();
        const store = await ctx.store();
        const org = await ctx.org();
        const day = asOfDay(ctx, o.asOf, org);
        const report = await runDay(store, org, { day, dryRun: Boolean(o.dryRun) });
        const delivery = o.dryRun
          ? null
          : await deliver(store, org, { env: ctx.env, home: ctx.home, upTo: day, today: ctx.today(org) });
        if (ctx.out.json) {
          ctx.out.data({
            ...report,
            delivered: delivery?.delivered.length ?? 0,
            cancelled: delivery?.cancelled ?? [],
            ...(delivery
              ? { suspended: delivery.suspended, deferred: delivery.deferred, failed: delivery.failed }
              : {}),
          });
          return 0;
        }
        const verb = o.dryRun ? 'would send' : 'queued';
        ctx.out.line(
          `${day}${o.dryRun ? ' (dry run: nothing changed, nothing sent)' : ''}: ${report.customers} customers, ${report.invoices} open invoices looked at.`,
        );
        ctx.out.line(
          `${report.messages.length} reminders ${verb}, ${report.tasks.length} tasks, ${report.notifications.length} strategic customers to remind in person.`,
        );
        for (const m of report.messages) {
          ctx.out.line(
            `  ${m.status === 'awaiting_approval' ? '[approval] ' : ''}${m.customer.name} <${m.to}> level ${m.level} (${m.language}): ${m.invoices.join(', ')} — ${m.amounts.map((a) => `${a.amount} ${a.currency}`).join(', ')}`,
          );
          ctx.out.line(`      ${m.reason}`);
        }
        for (const t of report.tasks) ctx.out.line(`  task: ${t.title}`);
        for (const n of report.notifications) ctx.out.line(`  in person: ${n.reason}`);
        if (delivery)
          ctx.out.line(
            `${delivery.delivered.length} messages delivered to ${delivery.destination}${delivery.cancelled.length ? `, ${delivery.cancelled.length} cancelled before leaving` : ''}${delivery.deferred.length ? `, ${delivery.deferred.length} to retry (\`ardent send\`)` : ''}${delivery.failed.length ? `, ${delivery.failed.length} failed` : ''}.`,
          );
        return 0;
      })();
    });
}
