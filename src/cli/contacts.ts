import type { Command } from 'commander';
import { setContact } from '../mail/contact-update.ts';
import type { Runner } from './main.ts';

export function registerContacts(program: Command, run: Runner): void {
  const contact = program.command('contact').description('a customer’s contacts');
  contact
    .command('set')
    .description(
      'gives a customer its billing contact (e.g. after a bounce): the task asking for it closes and reminders resume with the next run',
    )
    .argument('<customer-ref>')
    .requiredOption('--email <address>', 'where reminders go from now on')
    .option('--name <name>', 'the person')
    .option('--phone <number>')
    .option('--language <code>', 'ISO 639-1, for the messages')
    .action(function (this: Command, ref: string) {
      return run(async (ctx) => {
        const o = this.opts<{ email: string; name?: string; phone?: string; language?: string }>();
        const org = await ctx.org();
        const result = await setContact(
          await ctx.store(),
          org,
          ref,
          o,
          `cli:${ctx.env.USER ?? 'user'}`,
          ctx.today(org),
        );
        if (ctx.out.json) ctx.out.data(result);
        else {
          ctx.out.line(
            `${result.customer.name} (${result.customer.ref}): reminders go to ${result.email} from the next run${result.revalidated ? ' (marked valid again)' : ''}.`,
          );
          if (result.demoted.length)
            ctx.out.line(`  no longer the billing contact: ${result.demoted.join(', ')}`);
          if (result.closedTasks) ctx.out.line('  the task asking for a valid contact is closed.');
        }
        return 0;
      })();
    });
}
