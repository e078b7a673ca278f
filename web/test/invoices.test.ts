// The invoices pages in a real browser on the demo organisation after the day's run: the list
// filtered, searched and sorted through the address, and an invoice with its plan, its payments and
// its reminders, checked against the database and the planner.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDay } from '../../src/dunning/run.ts';
import { deliverDue } from '../../src/server/delivery.ts';
import { invoicePlan } from '../../src/server/invoice-plan.ts';
import { type Dashboard, PHONE, screenshot, signedIn, startDashboard, TODAY } from './support/dashboard.ts';

const day = (d: string) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${d}T00:00:00Z`));

describe('the invoices pages', () => {
  let d: Dashboard;
  /** An overdue invoice, reminded today, partly paid, for which the planner foresees more steps. */
  let chosen: { number: string; id: string; customer_id: string };

  beforeAll(async () => {
    d = await startDashboard();
    await runDay(d.store, d.org, { day: TODAY });
    await deliverDue(d.store, d.org, { env: {}, home: d.home, upTo: TODAY, today: TODAY });
    const found = await sql<{ number: string; id: string; customer_id: string }>`
      select i.number, i.id, i.customer_id from invoices i
        join dunning_state s on s.org_id = i.org_id and s.invoice_id = i.id
       where i.org_id = ${d.org.id}::uuid and i.type = 'invoice' and i.outstanding > 0
         and s.next_date is not null and s.reminders_sent > 0
       order by (exists (select 1 from allocations a where a.org_id = i.org_id and a.invoice_id = i.id)) desc,
                i.number
       limit 1`.execute(d.store.db);
    chosen = found.rows[0]!;
    expect(chosen).toBeDefined();
  }, 180_000);
  afterAll(async () => {
    await d?.close();
  });

  it('lists invoices and filters them by status through the address', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/invoices');
    const table = page.getByRole('table', { name: 'Invoices' });
    await table.waitFor();
    await screenshot(page, 'invoices-desktop');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('disputed');
    await page.waitForURL(/status=disputed/);
    const disputed = await sql<{ n: number }>`
      select count(*) as n from invoices where org_id = ${d.org.id}::uuid and status = 'disputed'`.execute(
      d.store.db,
    );
    const n = Number(disputed.rows[0]!.n);
    if (n === 0) await page.getByText('No invoice matches.').waitFor();
    else await expect.poll(() => table.getByRole('row').count()).toBe(Math.min(n, 50) + 1);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('paid');
    await page.waitForURL(/status=paid/);
    await expect
      .poll(async () => [...new Set(await table.locator('td[data-label="Status"]').allTextContents())])
      .toEqual(['Paid']);
    await context.close();
  });

  it('finds an invoice by its number and sorts by due date, latest first', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/invoices?sort=dueDate&dir=desc');
    const table = page.getByRole('table', { name: 'Invoices' });
    await table.waitFor();
    const latest = await sql<{ number: string }>`
      select number from invoices where org_id = ${d.org.id}::uuid order by due_date desc, number limit 1`.execute(
      d.store.db,
    );
    expect(await table.getByRole('row').nth(1).getByRole('link').first().textContent()).toBe(
      latest.rows[0]!.number,
    );
    await page.getByRole('searchbox', { name: /Search/ }).fill(chosen.number);
    await page.waitForURL(new RegExp(`q=${encodeURIComponent(chosen.number)}`));
    await expect.poll(() => table.getByRole('link', { name: chosen.number, exact: true }).count()).toBe(1);
    await table.getByRole('link', { name: chosen.number, exact: true }).click();
    await page.waitForURL(new RegExp(`/invoices/${encodeURIComponent(chosen.number)}$`));
    await page.getByRole('heading', { name: `Invoice ${chosen.number}` }).waitFor();
    await context.close();
  });

  it('pages through the list with Show more', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/invoices');
    const table = page.getByRole('table', { name: 'Invoices' });
    await table.waitFor();
    const total = await sql<{
      n: number;
    }>`select count(*) as n from invoices where org_id = ${d.org.id}::uuid`.execute(d.store.db);
    expect(Number(total.rows[0]!.n)).toBeGreaterThan(50);
    expect(await table.getByRole('row').count()).toBe(51);
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(Math.min(100, Number(total.rows[0]!.n)) + 1);
    await context.close();
  });

  it('reads well on a phone', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    await page.goto('/invoices');
    await page.getByRole('table', { name: 'Invoices' }).waitFor();
    await screenshot(page, 'invoices-phone');
    await context.close();
  });

  it('shows an invoice’s plan with the planner’s dates, its reminder and what was paid', async () => {
    const plan = await invoicePlan(d.store.db, d.org, chosen.customer_id, chosen, TODAY, 120);
    expect(plan.steps.length).toBeGreaterThan(0);
    const { context, page } = await signedIn(d);
    await page.goto(`/invoices/${encodeURIComponent(chosen.number)}`);
    const section = page.getByRole('region', { name: 'Plan' });
    await section.waitFor();
    const rows = section.getByRole('row');
    expect(await rows.count()).toBe(plan.steps.length + 1);
    for (const [n, step] of plan.steps.entries())
      expect(
        await rows
          .nth(n + 1)
          .locator('td')
          .first()
          .textContent(),
      ).toBe(day(step.date));
    expect(plan.steps.every((s) => s.date >= TODAY)).toBe(true);
    const reminders = page.getByRole('region', { name: 'Reminders' });
    expect(await reminders.getByRole('row').nth(1).textContent()).toMatch(/Sent|Delivered/);
    const paid = await sql<{ n: number }>`
      select count(*) as n from allocations where org_id = ${d.org.id}::uuid and invoice_id = ${chosen.id}::uuid`.execute(
      d.store.db,
    );
    expect(
      await page.getByRole('region', { name: 'Payments and credit notes' }).getByRole('listitem').count(),
    ).toBe(Number(paid.rows[0]!.n));
    await screenshot(page, 'invoice-desktop');
    await context.close();
  });

  it('reads well on a phone, plan included', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    await page.goto(`/invoices/${encodeURIComponent(chosen.number)}`);
    await page.getByRole('region', { name: 'Plan' }).waitFor();
    await screenshot(page, 'invoice-phone');
    await context.close();
  });
});
