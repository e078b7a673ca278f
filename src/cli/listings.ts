import type { Command } from 'commander';
import { listCustomers, listInvoices } from '../ledger/listings.ts';
import { InputError } from '../ledger/organisations.ts';
import { INVOICE_STATUSES } from '../ledger/status.ts';
import type { Runner } from './main.ts';

export function registerListings(program: Command, run: Runner): void {
  program
    .command('customers')
    .description('the customers, with contacts and what they owe')
    .option('--ref <ref>', 'one customer')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const org = await ctx.org();
        const customers = await listCustomers((await ctx.store()).db, org.id, ctx.today(org), this.opts());
        if (ctx.out.json) ctx.out.data(customers);
        else
          ctx.out.table(
            customers.map((c) => ({
              ref: c.ref,
              name: c.name,
              country: c.country ?? '',
              contacts: c.contacts.filter((k) => k.valid && k.email).length,
              open: c.openInvoices,
              owes: c.balances.map((b) => `${b.outstanding} ${b.currency}`).join(', '),
              flags: [c.strategic ? 'strategic' : '', c.excluded ? 'excluded' : ''].filter(Boolean).join(' '),
            })),
          );
        return 0;
      })();
    });

  program
    .command('invoices')
    .description('invoices and credit notes')
    .option('--status <statuses>', `filter: ${INVOICE_STATUSES.join('|')} (comma-separated)`)
    .option('--customer <ref>', 'one customer’s invoices')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ status?: string; customer?: string }>();
        const status = o.status?.split(',').map((s) => s.trim());
        const unknown = status?.filter((s) => !(INVOICE_STATUSES as readonly string[]).includes(s));
        if (unknown?.length)
          throw new InputError(
            `--status: expected ${INVOICE_STATUSES.join(', ')}; got ${unknown.join(', ')}`,
          );
        const org = await ctx.org();
        const invoices = await listInvoices((await ctx.store()).db, org.id, ctx.today(org), {
          ...(status ? { status } : {}),
          ...(o.customer ? { customerRef: o.customer } : {}),
        });
        if (ctx.out.json) ctx.out.data(invoices);
        else
          ctx.out.table(
            invoices.map((i) => ({
              number: i.number,
              type: i.type === 'credit_note' ? 'credit' : 'invoice',
              customer: i.customer.name,
              due: i.dueDate,
              total: i.total,
              outstanding: i.outstanding,
              cur: i.currency,
              status: i.status,
              late: i.daysOverdue || '',
            })),
          );
        return 0;
      })();
    });
}
