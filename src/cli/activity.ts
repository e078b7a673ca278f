import type { Command } from 'commander';
import { InputError } from '../ledger/organisations.ts';
import type { Runner } from './main.ts';

export function registerActivity(program: Command, run: Runner): void {
  program
    .command('tasks')
    .description('what the agent needs a person for')
    .option('--status <status>', 'open, done, dismissed or all', 'open')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ status: string }>();
        if (!['open', 'done', 'dismissed', 'all'].includes(o.status))
          throw new InputError(`--status: expected open, done, dismissed or all, got "${o.status}"`);
        const org = await ctx.org();
        let query = (await ctx.store()).db
          .selectFrom('tasks as t')
          .leftJoin('customers as c', (j) =>
            j.onRef('c.id', '=', 't.customer_id').onRef('c.org_id', '=', 't.org_id'),
          )
          .select([
            't.id',
            't.kind',
            't.title',
            't.status',
            't.created_on',
            't.detail',
            't.resolved_at',
            'c.ref',
            'c.name',
          ])
          .where('t.org_id', '=', org.id)
          .orderBy('t.created_on')
          .orderBy('t.title');
        if (o.status !== 'all') query = query.where('t.status', '=', o.status);
        const rows = await query.execute();
        const tasks = rows.map((r) => {
          const detail = (r.detail ?? {}) as { reason?: string; invoices?: string[] };
          return {
            id: r.id,
            customer: r.ref ? { ref: r.ref, name: r.name } : null,
            kind: r.kind,
            title: r.title,
            status: r.status,
            createdOn: r.created_on,
            reason: detail.reason ?? null,
            invoices: detail.invoices ?? [],
          };
        });
        if (ctx.out.json) ctx.out.data(tasks);
        else
          ctx.out.table(
            tasks.map((t) => ({ since: t.createdOn, kind: t.kind, task: t.title, status: t.status })),
          );
        return 0;
      })();
    });

  program
    .command('history')
    .description('everything that happened, with the agent’s reasons')
    .option('--customer <ref>', 'one customer')
    .option('--limit <n>', 'the most recent N (default 200)', '200')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ customer?: string; limit: string }>();
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new InputError(`--limit: expected a positive whole number, got "${o.limit}"`);
        const org = await ctx.org();
        let query = (await ctx.store()).db
          .selectFrom('events as e')
          .leftJoin('customers as c', (j) =>
            j.onRef('c.id', '=', 'e.customer_id').onRef('c.org_id', '=', 'e.org_id'),
          )
          .leftJoin('invoices as i', (j) =>
            j.onRef('i.id', '=', 'e.invoice_id').onRef('i.org_id', '=', 'e.org_id'),
          )
          .select(['e.at', 'e.day', 'e.kind', 'e.actor', 'e.summary', 'c.ref', 'c.name', 'i.number'])
          .where('e.org_id', '=', org.id)
          .orderBy('e.id', 'desc')
          .limit(limit);
        if (o.customer) query = query.where('c.ref', '=', o.customer);
        const rows = (await query.execute()).reverse();
        const events = rows.map((r) => ({
          at: r.at.toISOString(),
          day: r.day,
          customer: r.ref ? { ref: r.ref, name: r.name } : null,
          invoice: r.number,
          kind: r.kind,
          actor: r.actor,
          summary: r.summary,
        }));
        if (ctx.out.json) ctx.out.data(events);
        else
          for (const e of events)
            ctx.out.line(`${e.day ?? e.at.slice(0, 10)}  ${e.kind.padEnd(24)} ${e.summary}`);
        return 0;
      })();
    });
}
