import type { Command } from 'commander';
import { listQueue } from '../dunning/queue.ts';
import {
  approve,
  cancel,
  exclude,
  markPaid,
  postpone,
  requestSendNow,
  resume,
} from '../dunning/queue-actions.ts';
import { runDay } from '../dunning/run.ts';
import { checkDate } from '../imports/validate.ts';
import { InputError } from '../ledger/organisations.ts';
import type { CommandContext } from './context.ts';
import type { Runner } from './main.ts';

const actor = (ctx: CommandContext) => `cli:${ctx.env.USER ?? 'user'}`;

export function registerQueue(program: Command, run: Runner): void {
  const queue = program.command('queue').description('the reminder queue, and what a person can do with it');

  queue
    .command('list', { isDefault: true })
    .description('what the agent plans to send, one line per customer and day, with its priority colour')
    .option('--customer <ref>', 'one customer')
    .option('--until <date>', 'only what is planned up to that day')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ customer?: string; until?: string }>();
        const org = await ctx.org();
        const items = await listQueue((await ctx.store()).db, org.id, {
          ...(o.customer ? { customerRef: o.customer } : {}),
          ...(o.until ? { until: o.until } : {}),
        });
        if (ctx.out.json) ctx.out.data(items);
        else
          ctx.out.table(
            items.map((i) => ({
              date: i.plannedFor,
              customer: i.customer.name,
              invoices: i.invoices.join(' '),
              amount: i.amount,
              cur: i.currency,
              late: i.daysOverdue,
              level: i.level,
              channel: i.channel,
              priority: i.priority,
              status: i.status,
            })),
          );
        return 0;
      })();
    });

  const which = (cmd: Command) =>
    cmd
      .argument('[invoices...]', 'invoice numbers')
      .option('--customer <ref>', 'every open invoice of this customer');
  const target = (invoices: string[], o: { customer?: string }) => ({
    invoices,
    ...(o.customer ? { customerRef: o.customer } : {}),
  });
  const done = (ctx: CommandContext, result: { invoices: string[]; message: string }) => {
    if (ctx.out.json) ctx.out.data(result);
    else ctx.out.line(`${result.invoices.length ? `${result.invoices.join(', ')}: ` : ''}${result.message}`);
    return 0;
  };

  which(queue.command('postpone').description('move the next reminder to a later day'))
    .requiredOption('--to <date>', 'YYYY-MM-DD')
    .action(function (this: Command, invoices: string[]) {
      return run(async (ctx) => {
        const o = this.opts<{ to: string; customer?: string }>();
        const to = checkDate(o.to);
        if (!to.ok) throw new InputError(`--to: ${to.reason}`);
        const org = await ctx.org();
        return done(
          ctx,
          await postpone(await ctx.store(), org, target(invoices, o), to.value, actor(ctx), ctx.today(org)),
        );
      })();
    });

  which(
    queue.command('cancel').description('stop reminders for these invoices (e.g. a dispute being settled)'),
  )
    .option('--reason <text>', 'why, for the history')
    .action(function (this: Command, invoices: string[]) {
      return run(async (ctx) => {
        const o = this.opts<{ customer?: string; reason?: string }>();
        const org = await ctx.org();
        return done(
          ctx,
          await cancel(await ctx.store(), org, target(invoices, o), actor(ctx), ctx.today(org), o.reason),
        );
      })();
    });

  which(queue.command('resume').description('resume reminders stopped by cancel or a pause')).action(
    function (this: Command, invoices: string[]) {
      return run(async (ctx) => {
        const org = await ctx.org();
        return done(
          ctx,
          await resume(await ctx.store(), org, target(invoices, this.opts()), actor(ctx), ctx.today(org)),
        );
      })();
    },
  );

  queue
    .command('mark-paid')
    .description('the customer paid: record it, and the reminders stop')
    .argument('<invoices...>')
    .action(function (this: Command, invoices: string[]) {
      return run(async (ctx) => {
        const org = await ctx.org();
        return done(ctx, await markPaid(await ctx.store(), org, invoices, actor(ctx), ctx.today(org)));
      })();
    });

  queue
    .command('exclude')
    .description('exclude a customer from automatic reminders')
    .argument('<customer-ref>')
    .action(function (this: Command, ref: string) {
      return run(async (ctx) => {
        const org = await ctx.org();
        return done(ctx, await exclude(await ctx.store(), org, ref, actor(ctx), ctx.today(org)));
      })();
    });

  queue
    .command('approve')
    .description('semi-automatic mode: let the messages waiting for approval go')
    .option('--customer <ref>', 'one customer’s message')
    .option('--all', 'every message waiting')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ customer?: string; all?: boolean }>();
        const store = await ctx.store();
        const org = await ctx.org();
        const today = ctx.today(org);
        const result = await approve(
          store,
          org,
          { ...(o.customer ? { customerRef: o.customer } : {}), all: Boolean(o.all) },
          actor(ctx),
          today,
        );
        const { deliver } = await import('../mail/deliver.ts');
        await deliver(store, org, { env: ctx.env, home: ctx.home, upTo: today, today });
        return done(ctx, result);
      })();
    });

  which(
    queue.command('send-now').description('send the next reminder today instead of on its planned day'),
  ).action(function (this: Command, invoices: string[]) {
    return run(async (ctx) => {
      const store = await ctx.store();
      const org = await ctx.org();
      const today = ctx.today(org);
      const request = await requestSendNow(store, org, target(invoices, this.opts()), actor(ctx), today);
      const report = await runDay(store, org, { day: today, customerIds: request.customerIds });
      const { deliver } = await import('../mail/deliver.ts');
      await deliver(store, org, { env: ctx.env, home: ctx.home, upTo: today, today });
      const sent = report.messages.map(
        (m) => `${m.customer.name}: ${m.invoices.join(', ')} (level ${m.level}, ${m.status})`,
      );
      return done(ctx, {
        invoices: request.invoices,
        message: sent.length
          ? `sent: ${sent.join('; ')}`
          : 'nothing could be sent today (see `ardent tasks`)',
      });
    })();
  });
}
