import type { Command } from 'commander';
import { type ForecastItem, forecastCustomer } from '../dunning/forecast.ts';
import { loadBatch, loadPolicies } from '../dunning/load.ts';
import { formatDecimal } from '../ledger/money.ts';
import { InputError } from '../ledger/organisations.ts';
import type { Runner } from './main.ts';
import { asOfDay } from './run.ts';

export function registerForecast(program: Command, run: Runner): void {
  program
    .command('forecast')
    .description('what the agent plans to do over the next days, from the current state, changing nothing')
    .option('--days <n>', 'how many days (default 30)', '30')
    .option('--as-of <date>', 'the first day (default today)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ days: string; asOf?: string }>();
        const days = Number(o.days);
        if (!Number.isInteger(days) || days < 1 || days > 366)
          throw new InputError(`--days: expected a whole number from 1 to 366, got "${o.days}"`);
        const store = await ctx.store();
        const org = await ctx.org();
        const from = asOfDay(ctx, o.asOf, org);
        const policies = await loadPolicies(store.db, org.id);
        const items: (Omit<ForecastItem, 'amounts'> & {
          customer: { ref: string; name: string };
          amounts: { amount: string; currency: string }[];
        })[] = [];
        let last: string | null = null;
        do {
          const batch = await loadBatch(store.db, org.id, last, 500);
          for (const c of batch.customers) {
            const policy = (c.policyId && policies.byId.get(c.policyId)) || policies.fallback;
            for (const item of forecastCustomer(c, { orgCountry: org.country, policy }, from, days)) {
              items.push({
                ...item,
                customer: { ref: c.ref, name: c.name },
                amounts: item.amounts.map((a) => ({
                  amount: formatDecimal(a.amount, a.currency),
                  currency: a.currency,
                })),
              });
            }
          }
          last = batch.lastId;
        } while (last);
        items.sort((a, b) =>
          a.date === b.date ? a.customer.ref.localeCompare(b.customer.ref) : a.date < b.date ? -1 : 1,
        );
        if (ctx.out.json) ctx.out.data(items);
        else
          ctx.out.table(
            items.map((i) => ({
              date: i.date,
              what: i.kind,
              level: i.level ?? '',
              customer: i.customer.name,
              invoices: i.invoices.join(' '),
              amount: i.amounts.map((a) => `${a.amount} ${a.currency}`).join(', '),
            })),
          );
        return 0;
      })();
    });
}
