import type { Command } from 'commander';
import { plainDateAt } from '../calendar/plain-date.ts';
import { createDemo } from '../demo/create-demo.ts';
import type { Runner } from './main.ts';

export function registerDemo(program: Command, run: Runner): void {
  program
    .command('demo')
    .description(
      'create a demo organisation (--org demo) with realistic customers, invoices, payments, and two weeks of the agent at work: reminders sent, replies read',
    )
    .action(() =>
      run(async (ctx) => {
        const store = await ctx.store();
        const demo = await createDemo(store, plainDateAt(new Date(), 'Europe/Paris'), { history: true });
        if (ctx.out.json)
          ctx.out.data({
            slug: demo.org.slug,
            created: demo.created,
            customers: demo.customers,
            invoices: demo.invoices,
            replies: demo.replies,
          });
        else if (demo.created)
          ctx.out.line(
            `Demo organisation "${demo.org.name}" created (--org ${demo.org.slug}): ${demo.customers} customers, ${demo.invoices} invoices and credit notes, ${demo.payments} payments, and the agent's last two weeks (${demo.replies} replies from customers).`,
          );
        else ctx.out.line(`The demo organisation already exists (--org ${demo.org.slug}).`);
        return 0;
      })(),
    );
}
