// The queue page in a real browser on the demo organisation: the seed's columns and colours,
// filters and sorting that narrow and order the rows, postponing an item to a day, and approving
// messages in semi-automatic mode after reading them as they will be sent.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQueue } from '../../src/dunning/queue.ts';
import { runDay } from '../../src/dunning/run.ts';
import { readPolicy, savePolicy } from '../../src/dunning/settings.ts';
import { addMember } from '../../src/server/members.ts';
import { type Dashboard, PHONE, screenshot, signedIn, startDashboard, TODAY } from './support/dashboard.ts';

/** The rows of the queue's table, read back from the page. */
async function rows(page: Page) {
  const table = page.getByRole('table', { name: 'Planned reminders' });
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cell = (label: string) =>
        (tr.querySelector(`td[data-label="${label}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();
      return {
        customer: cell('Customer'),
        amount: cell('Amount'),
        next: cell('Next date'),
        priority: cell('Priority'),
      };
    }),
  );
}

/** "€1,234.56" → 1234.56 (the demo's amounts are all in euros). */
const euros = (s: string) => Number(s.replace(/[^\d.]/g, ''));

describe('the queue page', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
    // The agent ran yesterday: today's reminders and the coming days' are planned.
    await runDay(d.store, d.org, { day: '2026-11-22' });
  }, 180_000);
  afterAll(async () => {
    await d?.close();
  });

  it('shows the planned reminders in the seed’s columns and colours, and narrows them', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/queue');
    const all = await rows(page);
    expect(all.length).toBeGreaterThan(20);
    for (const name of ['Customer', 'Invoices', 'Amount', 'Days overdue', 'Level', 'Next date', 'Priority'])
      expect(await page.getByRole('columnheader', { name }).count()).toBe(1);
    // The colour is there, beside its word.
    const red = page.locator('.priority-red').first();
    expect(await red.textContent()).toBe('High');
    expect(await red.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    await screenshot(page, 'queue-desktop');

    await page.getByLabel('Priority').selectOption('red');
    await page.waitForURL(/priority=red/);
    await page.locator('tbody tr').first().waitFor();
    const reds = await rows(page);
    expect(reds.length).toBeGreaterThan(0);
    expect(reds.every((r) => r.priority === 'High')).toBe(true);
    const expectedRed = (await listQueue(d.store.db, d.org.id)).filter((i) => i.priority === 'red');
    expect(reds.length).toBe(Math.min(expectedRed.length, 100));

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Due today' }).click();
    await page.waitForURL(/due=today/);
    await expect
      .poll(async () => (await rows(page)).every((r) => r.next.startsWith('23 Nov 2026')))
      .toBe(true);
    const today = (await listQueue(d.store.db, d.org.id)).filter((i) => i.plannedFor <= TODAY);
    expect((await rows(page)).length).toBe(today.length);

    const one = today[0]!;
    await page.getByRole('button', { name: 'Due today' }).click();
    await page.getByRole('searchbox', { name: 'Customer' }).fill(one.customer.ref);
    await page.waitForURL(/search=/);
    const theirs = (await listQueue(d.store.db, d.org.id)).filter((i) => i.customer.ref === one.customer.ref);
    await expect
      .poll(async () => (await rows(page)).map((r) => r.customer))
      .toEqual(theirs.map((i) => `${i.customer.name}${i.customer.ref}`));
    await context.close();
  });

  it('sorts by amount over the whole queue, up then down', async () => {
    const amounts = (await listQueue(d.store.db, d.org.id)).map((i) => Number(i.amount));
    const { context, page } = await signedIn(d);
    await page.goto('/queue');
    await rows(page);
    await page.getByRole('button', { name: 'Amount' }).click();
    await page.waitForURL(/sort=amount/);
    expect(await page.getByRole('columnheader', { name: /Amount/ }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await expect.poll(async () => euros((await rows(page))[0]!.amount)).toBe(Math.min(...amounts));
    const up = (await rows(page)).map((r) => euros(r.amount));
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.getByRole('button', { name: /Amount/ }).click();
    await page.waitForURL(/order=desc/);
    // The largest of the whole queue comes first, not only of the rows loaded before.
    await expect.poll(async () => euros((await rows(page))[0]!.amount)).toBe(Math.max(...amounts));
    const down = (await rows(page)).map((r) => euros(r.amount));
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await context.close();
  });

  it('postpones an item to the chosen day: the plan and the row both show it', async () => {
    const item = (await listQueue(d.store.db, d.org.id)).find(
      (i) => i.status === 'planned' && i.plannedFor > TODAY && i.plannedFor < '2026-12-01',
    )!;
    const { context, page } = await signedIn(d);
    await page.goto(`/queue?search=${encodeURIComponent(item.customer.ref)}`);
    await rows(page);
    await page
      .getByRole('checkbox', { name: `Select ${item.customer.name}, ${dayLabel(item.plannedFor)}` })
      .check();
    await page.getByRole('toolbar').getByRole('button', { name: 'Postpone…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Postpone reminders' });
    // Monday 7 December 2026: a business day in every demo country, so the day stays as chosen.
    await dialog.getByLabel('Postpone to').fill('2026-12-07');
    await dialog.getByRole('button', { name: 'Postpone', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/postponed to 7 Dec 2026/)
      .waitFor();

    const after = (await listQueue(d.store.db, d.org.id, { customerRef: item.customer.ref })).filter((i) =>
      i.invoices.some((n) => item.invoices.includes(n)),
    );
    expect(after).toEqual([expect.objectContaining({ plannedFor: '2026-12-07', status: 'postponed' })]);
    const state = await d.store.db
      .selectFrom('dunning_state as s')
      .innerJoin('invoices as i', 'i.id', 's.invoice_id')
      .select(['i.number', 's.postponed_until'])
      .where('s.org_id', '=', d.org.id)
      .where('i.number', 'in', item.invoices)
      .execute();
    expect(state.map((s) => String(s.postponed_until).slice(0, 10))).toEqual(
      item.invoices.map(() => '2026-12-07'),
    );
    await expect
      .poll(async () => (await rows(page)).find((r) => r.next.startsWith('7 Dec 2026'))?.next)
      .toBe('7 Dec 2026Postponed');
    await context.close();
  });

  it('reads well on a phone, each item a card with its actions in reach', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    await page.goto('/queue');
    await rows(page);
    await screenshot(page, 'queue-phone');
    const first = page.locator('tbody tr').first();
    expect(await first.getByRole('button', { name: /^Details: / }).isVisible()).toBe(true);
    await first.getByRole('checkbox').check();
    const bar = page.getByRole('toolbar');
    expect(await bar.getByRole('button', { name: 'Postpone…' }).isVisible()).toBe(true);
    // One customer's items, so that the page is as short as the dialog it shows.
    const ref = (await first.locator('td[data-label="Customer"] .small').textContent())!;
    await page.goto(`/queue?search=${ref}`);
    await page
      .locator('tbody tr')
      .first()
      .getByRole('button', { name: /^Details: / })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Send now' }).waitFor();
    await dialog.getByRole('article').or(dialog.getByRole('note')).first().waitFor();
    await screenshot(page, 'queue-phone-details');
    await context.close();
  });

  it('shows a read-only member the queue and the messages, with no action', async () => {
    const reader = { email: 'reader@dashboard.test', password: 'a long enough password too' };
    await addMember(d.store.db, d.org.id, {
      ...reader,
      name: 'Rita Reader',
      role: 'read_only',
      language: 'en',
    });
    const { context, page } = await signedIn(d, { who: reader });
    await page.goto('/queue');
    expect((await rows(page)).length).toBeGreaterThan(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await page
      .locator('tbody tr')
      .first()
      .getByRole('button', { name: /^Details: / })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('article').or(dialog.getByRole('note')).first().waitFor();
    for (const name of ['Send now', 'Postpone…', 'Mark paid', 'Cancel reminders', 'Exclude customer'])
      expect(await dialog.getByRole('button', { name }).count()).toBe(0);
    await context.close();
  });

  it('in semi-automatic mode, shows each message as it will be sent, then approves one or several', async () => {
    const { policy } = await readPolicy(d.store.db, d.org.id);
    await savePolicy(d.store.db, d.org.id, { ...policy, mode: 'approval' });
    await runDay(d.store, d.org, { day: TODAY });
    const waiting = await d.store.db
      .selectFrom('messages as m')
      .innerJoin('customers as c', 'c.id', 'm.customer_id')
      .select(['m.id', 'm.subject', 'm.text_body', 'c.name', 'c.ref'])
      .where('m.org_id', '=', d.org.id)
      .where('m.status', '=', 'awaiting_approval')
      .orderBy('c.ref')
      .execute();
    expect(waiting.length).toBeGreaterThanOrEqual(3);

    const { context, page } = await signedIn(d);
    await page.goto('/queue?status=awaiting_approval');
    await rows(page);
    const one = waiting[0]!;
    await page.getByRole('button', { name: new RegExp(`^Approve: ${escapeRe(one.name)}, `) }).click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`^${escapeRe(one.name)}`) });
    const message = dialog.getByRole('article');
    await message.waitFor();
    expect(await message.getByText(one.subject, { exact: true }).isVisible()).toBe(true);
    expect(await message.locator('.message-preview').textContent()).toBe(one.text_body);
    await screenshot(page, 'queue-approve');
    await dialog.getByRole('button', { name: 'Approve and send' }).click();
    await page.getByRole('status').getByText('1 message(s) approved and sent.').waitFor();
    const approved = await d.store.db
      .selectFrom('messages')
      .select(['status', 'approved_by'])
      .where('id', '=', one.id)
      .executeTakeFirstOrThrow();
    expect(approved.status).not.toBe('awaiting_approval');
    expect(approved.approved_by).toMatch(/Olivia Owner|owner@dashboard\.test/);

    // Two more at once: both messages are shown before anything goes.
    const two = waiting.slice(1, 3);
    await expect.poll(async () => (await rows(page)).length).toBe(waiting.length - 1);
    for (const m of two)
      await page.getByRole('checkbox', { name: new RegExp(`^Select ${escapeRe(m.name)}, `) }).check();
    await page.getByRole('toolbar').getByRole('button', { name: 'Approve…' }).click();
    const bulk = page.getByRole('dialog', { name: 'Approve and send' });
    for (const m of two) await bulk.getByText(m.subject, { exact: true }).first().waitFor();
    expect(await bulk.getByRole('article').count()).toBe(2);
    await bulk.getByRole('button', { name: 'Approve and send 2 messages' }).click();
    await page.getByRole('status').getByText('2 message(s) approved and sent.').waitFor();
    const left = await d.store.db
      .selectFrom('messages')
      .select('id')
      .where('org_id', '=', d.org.id)
      .where('status', '=', 'awaiting_approval')
      .execute();
    expect(left.map((m) => m.id).sort()).toEqual(
      waiting
        .slice(3)
        .map((m) => m.id)
        .sort(),
    );
    await savePolicy(d.store.db, d.org.id, { ...policy, mode: 'automatic' });
    await context.close();
  });
});

/** A day as the English dashboard writes it: "7 Dec 2026". */
function dayLabel(day: string): string {
  const [y, m, dd] = day.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(y!, m! - 1, dd!));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
