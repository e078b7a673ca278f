import type { Command } from 'commander';
import { sql } from 'kysely';
import { plainDateAt } from '../calendar/plain-date.ts';
import { createDemo } from '../demo/create-demo.ts';
import { runDay } from '../dunning/run.ts';
import { formatDecimal } from '../ledger/money.ts';
import { createDemoOwner } from '../server/demo-owner.ts';
import type { Runner } from './main.ts';
import { serve, serveOptions } from './serve.ts';

export function registerStart(program: Command, run: Runner): void {
  program
    .command('start')
    .description(
      'what `npm start` runs: opens the database (creating the demo organisation on a new one), shows what it holds, and serves the API and the scheduler',
    )
    .option('--once', 'show what the database holds, then stop (no server)')
    .option('--port <n>', 'port to listen on (default: env ARDENT_PORT or PORT, else 3000)')
    .option('--host <address>', 'address to listen on (default: env ARDENT_HOST, else 127.0.0.1)')
    .action(function (this: Command) {
      const o = this.opts<{ once?: boolean; port?: string; host?: string }>();
      return run(async (ctx) => {
        const store = await ctx.store();
        const orgs = await store.db.selectFrom('organisations').selectAll().orderBy('created_at').execute();
        if (orgs.length === 0) {
          const demo = await createDemo(store, plainDateAt(new Date(), 'Europe/Paris'), { history: true });
          orgs.push(demo.org);
          ctx.out.line(`New database in ${ctx.home}: created the demo organisation "${demo.org.name}".`);
        }
        // On the embedded default, the demo organisation gets an owner to sign in with: a password
        // made now, printed this once and stored hashed (never a fixed default).
        const demoOwner = store.engine === 'pglite' ? await createDemoOwner(store.db, orgs) : null;
        const summaries = [];
        for (const org of orgs) {
          const today = plainDateAt(new Date(), org.timezone);
          const counts = await sql<{ customers: number; open: number }>`
            select (select count(*) from customers where org_id = ${org.id}::uuid) as customers,
                   (select count(*) from invoices where org_id = ${org.id}::uuid and type = 'invoice' and outstanding > 0) as open`.execute(
            store.db,
          );
          const owed = await sql<{ currency: string; outstanding: number; overdue: number }>`
            select currency, sum(outstanding) as outstanding,
                   sum(case when due_date < ${today}::date then outstanding else 0 end) as overdue
              from invoices where org_id = ${org.id}::uuid and type = 'invoice' and outstanding > 0
               and status not in ('cancelled', 'written_off')
             group by currency order by sum(outstanding) desc`.execute(store.db);
          const c = counts.rows[0]!;
          const preview = await runDay(store, org, { day: today, dryRun: true });
          summaries.push({
            today,
            wouldSend: preview.messages.length,
            wouldOpenTasks: preview.tasks.length,
            slug: org.slug,
            name: org.name,
            customers: Number(c.customers),
            openInvoices: Number(c.open),
            receivables: owed.rows.map((r) => ({
              currency: r.currency,
              outstanding: formatDecimal(Number(r.outstanding), r.currency),
              overdue: formatDecimal(Number(r.overdue), r.currency),
            })),
          });
        }
        const options = o.once ? null : serveOptions(ctx, o);
        if (ctx.out.json) {
          ctx.out.data({
            database: store.engine === 'pglite' ? ctx.home : 'postgresql',
            organisations: summaries,
            ...(demoOwner ? { demoOwner } : {}),
          });
          if (options) await serve(ctx, options);
          return 0;
        }
        for (const s of summaries) {
          ctx.out.line(`\n${s.name}  (--org ${s.slug})`);
          ctx.out.line(`  ${s.customers} customers, ${s.openInvoices} open invoices`);
          for (const r of s.receivables)
            ctx.out.line(`  ${r.currency}: ${r.outstanding} outstanding, of which ${r.overdue} overdue`);
          ctx.out.line(
            `  today (${s.today}) the agent would send ${s.wouldSend} reminders and open ${s.wouldOpenTasks} tasks:` +
              ` \`npx ardent run --org ${s.slug} --dry-run\` shows them, \`npx ardent run --org ${s.slug}\` does it`,
          );
        }
        ctx.out.line(
          '\nTry: npx ardent queue · npx ardent forecast --days 14 · npx ardent customers · npx ardent --help' +
            ' (add --org SLUG when there are several organisations)',
        );
        if (demoOwner)
          ctx.out.line(
            `\nSign in as ${demoOwner.email} with the password ${demoOwner.password} (shown this once; change it with \`npx ardent user password --org ${demoOwner.org} --email ${demoOwner.email}\`).`,
          );
        if (options)
          await serve(ctx, options, (url) => {
            ctx.out.line(
              `\nArdent is running: open ${url} in your browser (API documentation: ${url}/api/docs). Ctrl-C stops it.`,
            );
          });
        return 0;
      })();
    });
}
