// The tasks page in a real browser on the demo organisation: the team's inbox narrowed by kind and
// assignee, a task given to a member, a missing contact supplied (the customer gets it, the task
// closes) and a dispute decided (the reminders of its invoice stop).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDay } from '../../src/dunning/run.ts';
import { openTasks } from '../../src/tasks/open-tasks.ts';
import {
  type Dashboard,
  MEMBER_FR,
  PHONE,
  screenshot,
  signedIn,
  startDashboard,
  TODAY,
} from './support/dashboard.ts';

/** The tasks table's rows: each one's kind and title as the page shows them. */
async function rows(page: Page) {
  const table = page.getByRole('table', { name: 'Tasks for the team' });
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      kind: tr.querySelector('td[data-label="Task"] .badge')?.textContent ?? '',
      title: tr.querySelector('td[data-label="Task"] .task-title')?.textContent ?? '',
    })),
  );
}

describe('the tasks page', () => {
  let d: Dashboard;
  let dispute: { id: string; title: string; invoice: string };
  beforeAll(async () => {
    d = await startDashboard();
    // Yesterday's run opened the tasks it needs people for (customers without a contact, strategic ones).
    await runDay(d.store, d.org, { day: '2026-11-22' });
    // And a customer contested an invoice in a reply.
    const invoice = await d.store.db
      .selectFrom('invoices as i')
      .innerJoin('dunning_state as s', 's.invoice_id', 'i.id')
      .select(['i.id', 'i.number', 'i.customer_id'])
      .where('i.org_id', '=', d.org.id)
      .where('s.next_date', 'is not', null)
      .orderBy('i.number')
      .executeTakeFirstOrThrow();
    const title = `Dispute on ${invoice.number}: goods not received`;
    await openTasks(d.store.db, d.org.id, TODAY, [
      {
        customerId: invoice.customer_id,
        invoiceId: invoice.id,
        kind: 'dispute',
        causeKey: `dispute:${invoice.id}`,
        title,
        detail: { reason: 'the customer says the goods never arrived', invoices: [invoice.number] },
      },
    ]);
    const row = await d.store.db
      .selectFrom('tasks')
      .select('id')
      .where('org_id', '=', d.org.id)
      .where('kind', '=', 'dispute')
      .executeTakeFirstOrThrow();
    dispute = { id: row.id, title, invoice: invoice.number };
  }, 180_000);
  afterAll(async () => {
    await d?.close();
  });

  const openTasksOf = (kind?: string) => {
    let q = d.store.db
      .selectFrom('tasks')
      .selectAll()
      .where('org_id', '=', d.org.id)
      .where('status', '=', 'open');
    if (kind) q = q.where('kind', '=', kind);
    return q.execute();
  };
  /** An open task of that kind whose title no other open task shares (the demo has namesakes). */
  const unambiguous = async (kind: string) => {
    const tasks = await openTasksOf(kind);
    return tasks.filter((t) => tasks.filter((u) => u.title === t.title).length === 1);
  };

  it('lists what the agent needs, narrows it by kind, and gives a task to a member', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/tasks');
    const all = await rows(page);
    expect(all.length).toBe((await openTasksOf()).length);
    expect(new Set(all.map((r) => r.kind))).toEqual(
      new Set(['Contact missing', 'Strategic customer', 'Dispute']),
    );
    await screenshot(page, 'tasks-desktop');

    await page.getByLabel('Kind').selectOption('dispute');
    await page.waitForURL(/kind=dispute/);
    await expect.poll(async () => (await rows(page)).map((r) => r.title)).toEqual([dispute.title]);

    await page
      .getByRole('combobox', { name: `Assignee of “${dispute.title}”` })
      .selectOption({ label: 'Marc Membre' });
    await page.getByRole('status').getByText('Task given to Marc Membre.').waitFor();
    const marc = await d.store.db
      .selectFrom('members')
      .select('id')
      .where('org_id', '=', d.org.id)
      .where('email', '=', MEMBER_FR.email)
      .executeTakeFirstOrThrow();
    const task = await d.store.db
      .selectFrom('tasks')
      .select('assignee_id')
      .where('id', '=', dispute.id)
      .executeTakeFirstOrThrow();
    expect(task.assignee_id).toBe(marc.id);

    // Marc's tasks, whatever their kind: only the dispute.
    await page.getByLabel('Kind').selectOption('');
    await page
      .getByRole('form', { name: 'Filters' })
      .getByLabel('Assignee')
      .selectOption({ label: 'Marc Membre' });
    await page.waitForURL(new RegExp(`assignee=${marc.id}`));
    await expect.poll(async () => (await rows(page)).map((r) => r.title)).toEqual([dispute.title]);
    await page
      .getByRole('form', { name: 'Filters' })
      .getByLabel('Assignee')
      .selectOption({ label: 'Nobody' });
    await expect.poll(async () => (await rows(page)).length).toBe(all.length - 1);
    await context.close();
  });

  it('resolves a missing contact with a new one: the customer has it and the task is done', async () => {
    const [missing] = await unambiguous('missing_contact');
    const customer = await d.store.db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('id', '=', missing!.customer_id!)
      .executeTakeFirstOrThrow();
    const { context, page } = await signedIn(d);
    await page.goto('/tasks?kind=missing_contact');
    await rows(page);
    await page.getByRole('button', { name: `Resolve: ${missing!.title}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve the task' });
    await dialog.getByLabel('Name').fill('Inès Compta');
    await dialog.getByLabel('Email').fill('ines.compta@example.org');
    await dialog.getByLabel('Language').selectOption('fr');
    await dialog.getByRole('button', { name: 'Add the contact and resolve' }).click();
    await page.getByRole('status').getByText('Task resolved.').waitFor();

    const after = await d.store.db
      .selectFrom('tasks')
      .select('status')
      .where('id', '=', missing!.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('done');
    const contacts = await d.store.db
      .selectFrom('contacts')
      .select(['name', 'email', 'language', 'role', 'valid'])
      .where('customer_id', '=', customer.id)
      .execute();
    expect(contacts).toContainEqual({
      name: 'Inès Compta',
      email: 'ines.compta@example.org',
      language: 'fr',
      role: 'billing',
      valid: true,
    });
    await expect.poll(async () => (await rows(page)).map((r) => r.title)).not.toContain(missing!.title);
    await context.close();
  });

  it('refuses a contact without a valid address, saying why', async () => {
    const [missing] = await unambiguous('missing_contact');
    const { context, page } = await signedIn(d);
    await page.goto('/tasks?kind=missing_contact');
    await rows(page);
    await page.getByRole('button', { name: `Resolve: ${missing!.title}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve the task' });
    await dialog.getByLabel('Email').fill('ines@localhost');
    await dialog.getByRole('button', { name: 'Add the contact and resolve' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/email/i);
    const still = await d.store.db
      .selectFrom('tasks')
      .select('status')
      .where('id', '=', missing!.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe('open');
    await context.close();
  });

  it('decides a dispute: the reminders of its invoice stop and the task is done', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/tasks?kind=dispute');
    await rows(page);
    await page.getByRole('button', { name: `Resolve: ${dispute.title}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve the task' });
    await dialog.getByLabel('Dispute upheld: stop the reminders of these invoices').check();
    await dialog.getByLabel('Note (kept in the history)').fill('delivery lost by the carrier');
    await dialog.getByRole('button', { name: 'Mark done' }).click();
    await page.getByRole('status').getByText('Task resolved.').waitFor();
    const task = await d.store.db
      .selectFrom('tasks')
      .select(['status', 'resolution'])
      .where('id', '=', dispute.id)
      .executeTakeFirstOrThrow();
    expect(task.status).toBe('done');
    expect(task.resolution).toMatchObject({ note: 'delivery lost by the carrier' });
    const state = await d.store.db
      .selectFrom('dunning_state as s')
      .innerJoin('invoices as i', 'i.id', 's.invoice_id')
      .select(['s.stopped', 's.next_date'])
      .where('i.org_id', '=', d.org.id)
      .where('i.number', '=', dispute.invoice)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ stopped: true, next_date: null });
    await context.close();
  });

  it('reads well on a phone, in French, the resolve button in reach', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE, who: MEMBER_FR });
    await page.goto('/tasks');
    await page.getByRole('table', { name: 'Tâches pour l’équipe' }).waitFor();
    await screenshot(page, 'tasks-phone');
    const first = page.locator('tbody tr').first();
    const resolve = first.getByRole('button', { name: /^Résoudre : / });
    expect(await resolve.isVisible()).toBe(true);
    await resolve.click();
    await page.getByRole('dialog', { name: 'Résoudre la tâche' }).waitFor();
    await screenshot(page, 'tasks-phone-resolve');
    await context.close();
  });
});
