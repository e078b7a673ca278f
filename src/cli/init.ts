import type { Command } from 'commander';
import { createOrganisation } from '../ledger/organisations.ts';
import type { Runner } from './main.ts';

export function registerInit(program: Command, run: Runner): void {
  program
    .command('init')
    .description('create the database schema (idempotent) and one organisation')
    .requiredOption('--name <name>', "the organisation's legal name")
    .requiredOption('--country <cc>', 'ISO 3166-1 alpha-2 country, e.g. FR')
    .option('--currency <code>', 'ISO 4217 currency (default: the country’s)')
    .option('--sender-email <address>', 'the address reminders are sent from')
    .option('--sender-name <name>', 'the name reminders are signed with (default: the organisation’s name)')
    .option('--timezone <tz>', 'IANA time zone (default: the country’s)')
    .option('--slug <slug>', 'short name for --org (default: from the name)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts();
        const store = await ctx.store();
        const org = await createOrganisation(store.db, {
          name: o.name,
          country: o.country,
          currency: o.currency,
          senderEmail: o.senderEmail,
          senderName: o.senderName,
          timezone: o.timezone,
          slug: o.slug,
        });
        const summary = {
          slug: org.slug,
          name: org.name,
          country: org.country,
          currency: org.currency,
          timezone: org.timezone,
          database: store.engine === 'pglite' ? ctx.home : 'postgresql',
        };
        if (ctx.out.json) ctx.out.data(summary);
        else
          ctx.out.line(
            `Organisation "${org.name}" (--org ${org.slug}) ready: ${org.country}, ${org.currency}, ${org.timezone}.`,
          );
        return 0;
      })();
    });
}
