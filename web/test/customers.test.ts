// The customers pages in a real browser on the demo organisation, after the agent's run of the day:
// the list with balances, a customer's page with its timeline, contacts edited and settings saved,
// each change checked in the database.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDay } from '../../src/dunning/run.ts';
import { deliverDue } from '../../src/server/delivery.ts';
import { addMember } from '../../src/server/members.ts';
import { type Dashboard, PHONE, screenshot, signedIn, startDashboard, TODAY } from './support/dashboard.ts';

const READER = { email: 'reader@dashboard.test', password: 'a reader’s long password' };

const euros = (minor: number, currency = 'EUR') =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100);

describe('the customers pages', () => {
  let d: Dashboard;
  /** A demo customer who was sent a reminder today and has paid something before. */
  let both: { ref: string; name: string };

  const balanceOf = async (ref: string) => {
    const r = await sql<{ currency: string; outstanding: string }>`
      select i.currency, sum(case when i.type = 'invoice' then i.outstanding else -i.outstanding end)::text as outstanding
        from invoices i join customers c on c.org_id = i.org_id and c.id = i.customer_id
       where c.org_id = ${d.org.id}::uuid and c.ref = ${ref}
         and i.outstanding <> 0 and i.status not in ('cancelled', 'written_off')
       group by i.currency`.execute(d.store.db);
    return r.rows.map((b) => ({ currency: b.currency, minor: Number(b.outstanding) }));
  };

  const openCustomer = async (page: Page, ref: string) => {
    await page.goto(`/customers/${encodeURIComponent(ref)}`);
    await page.getByRole('region', { name: 'Timeline' }).getByRole('listitem').first().waitFor();
  };

  beforeAll(async () => {
    d = await startDashboard();
    await addMember(d.store.db, d.org.id, {
      ...READER,
      name: 'Rita Reader',
      role: 'read_only',
      language: 'en',
    });
    // The demo holds invoices and payments; the day's run adds the reminders a timeline shows.
    await runDay(d.store, d.org, { day: TODAY });
    await deliverDue(d.store, d.org, { env: {}, home: d.home, upTo: TODAY, today: TODAY });
    const found = await sql<{ ref: string; name: string }>`
      select c.ref, c.name from customers c
       where c.org_id = ${d.org.id}::uuid
         and exists (select 1 from messages m where m.org_id = c.org_id and m.customer_id = c.id and m.status = 'sent')
         and exists (select 1 from invoices i join allocations a on a.org_id = i.org_id and a.invoice_id = i.id
                      where i.org_id = c.org_id and i.customer_id = c.id and a.payment_id is not null)
       order by c.ref limit 1`.execute(d.store.db);
    both = found.rows[0]!;
    expect(both).toBeDefined();
  }, 180_000);
  afterAll(async () => {
    await d?.close();
  });

  it('lists customers with the balance the ledger sums, and finds one by name', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/customers');
    const table = page.getByRole('table', { name: 'Customers' });
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThan(5);
    await screenshot(page, 'customers-desktop');
    await page.getByRole('searchbox', { name: /Search/ }).fill(both.name);
    await page.waitForURL(/q=/);
    const row = table
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: both.name, exact: true }) });
    await row.waitFor();
    const [balance] = await balanceOf(both.ref);
    await expect
      .poll(() => row.locator('td[data-label="Balance"]').textContent())
      .toBe(euros(balance!.minor, balance!.currency));
    await context.close();
  });

  it('sorts by what is overdue, most first, and keeps the order in the address', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/customers');
    await page.getByRole('button', { name: 'Overdue', exact: true }).click();
    await page.waitForURL(/sort=overdue/);
    expect(await page.getByRole('columnheader', { name: /^Overdue/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    const top = await sql<{ name: string }>`
      select c.name from customers c join invoices i on i.org_id = c.org_id and i.customer_id = c.id
       where c.org_id = ${d.org.id}::uuid and i.type = 'invoice' and i.due_date < ${TODAY}::date
         and i.currency = 'EUR' and i.outstanding <> 0 and i.status not in ('cancelled', 'written_off')
       group by c.id, c.name order by sum(i.outstanding) desc, c.ref limit 1`.execute(d.store.db);
    await expect
      .poll(() => page.getByRole('table', { name: 'Customers' }).getByRole('link').first().textContent())
      .toBe(top.rows[0]!.name);
    await context.close();
  });

  it('reads well on a phone', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    await page.goto('/customers');
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    await screenshot(page, 'customers-phone');
    await context.close();
  });

  it('shows a customer’s balance and a timeline with its reminder and its payment', async () => {
    const { context, page } = await signedIn(d);
    await openCustomer(page, both.ref);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(both.name);
    const balances = await balanceOf(both.ref);
    const shown = await page.getByTestId('balance').textContent();
    expect(shown).toBe(balances.map((b) => euros(b.minor, b.currency)).join(''));
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const reminder = timeline
      .getByRole('listitem')
      .filter({ hasText: /Reminder level \d|Courtesy reminder/ })
      .first();
    expect(await reminder.textContent()).toMatch(/Sent|Delivered/);
    const payment = await sql<{ amount: number; currency: string }>`
      select p.amount, p.currency from payments p
       where p.org_id = ${d.org.id}::uuid and p.id in (
         select a.payment_id from allocations a join invoices i on i.org_id = a.org_id and i.id = a.invoice_id
          join customers c on c.id = i.customer_id where c.ref = ${both.ref} and c.org_id = ${d.org.id}::uuid)
       order by p.received_on desc limit 1`.execute(d.store.db);
    // The newest payment may sit beyond the first page of the timeline; ask for more until it shows.
    const paid = timeline
      .getByRole('listitem')
      .filter({ hasText: `Payment received ${euros(payment.rows[0]!.amount, payment.rows[0]!.currency)}` });
    for (let i = 0; i < 5 && (await paid.count()) === 0; i++) {
      const more = timeline.getByRole('button', { name: 'Show more' });
      if (!(await more.isVisible())) break;
      await more.click();
      await page.waitForTimeout(200);
    }
    expect(await paid.count()).toBeGreaterThan(0);
    await screenshot(page, 'customer-desktop');
    await context.close();
  });

  it('reads well on a phone, timeline included', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    await openCustomer(page, both.ref);
    await screenshot(page, 'customer-phone');
    await context.close();
  });

  it('changes a contact’s email, and the database has it', async () => {
    const contact = await d.store.db
      .selectFrom('contacts as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(['k.id', 'k.email'])
      .where('c.org_id', '=', d.org.id)
      .where('c.ref', '=', both.ref)
      .where('k.email', 'is not', null)
      .executeTakeFirstOrThrow();
    const { context, page } = await signedIn(d);
    await openCustomer(page, both.ref);
    await page.getByRole('button', { name: `Edit ${contact.email}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${contact.email}` });
    await dialog.getByLabel('Email').fill('new.billing@example.org');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit new.billing@example.org' }).waitFor();
    const after = await d.store.db
      .selectFrom('contacts')
      .select('email')
      .where('org_id', '=', d.org.id)
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(after.email).toBe('new.billing@example.org');
    await context.close();
  });

  it('shows a bounced address as bounced, with its reason and day, and makes it valid again', async () => {
    const contact = await d.store.db
      .selectFrom('contacts as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(['k.id', 'k.email', 'k.customer_id'])
      .where('c.org_id', '=', d.org.id)
      .where('c.ref', '=', both.ref)
      .where('k.email', 'is not', null)
      .executeTakeFirstOrThrow();
    await d.store.db
      .updateTable('contacts')
      .set({ valid: false, invalid_reason: 'hard bounce 5.1.1 user unknown', invalid_since: '2026-11-20' })
      .where('id', '=', contact.id)
      .execute();
    const { context, page } = await signedIn(d);
    await openCustomer(page, both.ref);
    const card = page
      .getByRole('region', { name: 'Contacts' })
      .getByRole('listitem')
      .filter({ hasText: contact.email! });
    expect(await card.getByText('Bounced', { exact: true }).isVisible()).toBe(true);
    expect(await card.textContent()).toContain('hard bounce 5.1.1 user unknown — since 20 Nov 2026');
    await card.getByRole('button', { name: `Mark ${contact.email} valid again` }).click();
    await card.getByText('Valid', { exact: true }).waitFor();
    const after = await d.store.db
      .selectFrom('contacts')
      .select(['valid', 'invalid_reason'])
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ valid: true, invalid_reason: null });
    await context.close();
  });

  it('marks the customer strategic, and it stays so', async () => {
    const { context, page } = await signedIn(d);
    await openCustomer(page, both.ref);
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.getByRole('checkbox', { name: /Strategic/ }).check();
    await settings.getByRole('combobox', { name: 'Language' }).selectOption('en');
    await settings.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const row = await d.store.db
      .selectFrom('customers')
      .select(['strategic', 'language'])
      .where('org_id', '=', d.org.id)
      .where('ref', '=', both.ref)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ strategic: true, language: 'en' });
    await page.reload();
    await page.getByRole('region', { name: 'Settings' }).waitFor();
    expect(await page.getByRole('checkbox', { name: /Strategic/ }).isChecked()).toBe(true);
    await context.close();
  });

  it('shows a read-only member the settings and contacts without any control to change them', async () => {
    const { context, page } = await signedIn(d, { who: READER });
    await openCustomer(page, both.ref);
    expect(await page.getByRole('region', { name: 'Settings' }).getByRole('button').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Contacts' }).getByRole('button').count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await context.close();
  });
});
