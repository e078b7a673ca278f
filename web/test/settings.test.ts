// The settings page in a real browser: a template edited and previewed live on a real customer, a
// policy level moved and saved (and one refused, by field), the bank details checked; laptop and phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPolicy } from '../../src/dunning/settings.ts';
import {
  type Dashboard,
  MEMBER_FR,
  PHONE,
  screenshot,
  signedIn,
  startDashboard,
} from './support/dashboard.ts';

describe('the settings page', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  it('previews a template’s new subject live on a real customer, then saves it', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/settings?tab=templates');
    // A select's accessible name ends with the option it shows ("Level Level 1").
    const main = page.getByRole('main');
    await main.getByRole('combobox', { name: /^Level\b/ }).selectOption('2');
    await main.getByRole('combobox', { name: /^Language\b/ }).selectOption('fr');
    const customer = page.getByLabel('Preview for customer');
    // The customer who owes the most is chosen once the list arrives.
    await expect.poll(() => customer.inputValue(), { timeout: 10_000 }).not.toBe('');
    const name = ((await customer.locator('option:checked').textContent()) ?? '').trim();
    expect(name).not.toBe('Sample data');
    const subject = page.getByLabel('Subject', { exact: true });
    await subject.fill('Dernier rappel amical pour {{customer_name}}');
    const preview = page.getByRole('article', { name: 'Preview' });
    await expect
      .poll(() => preview.textContent(), { timeout: 10_000 })
      .toContain(`Dernier rappel amical pour ${name}`);
    // Nothing is saved by previewing.
    const stored = () =>
      d.store.db
        .selectFrom('templates')
        .select('subject')
        .where('org_id', '=', d.org.id)
        .where('level', '=', '2')
        .where('language', '=', 'fr')
        .executeTakeFirst();
    expect(await stored()).toBeUndefined();

    // A broken draft is refused with the server's reason, and the template is not saved.
    await subject.fill('Rappel {{#if contact_name}}');
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 })
      .toMatch(/never closed/);
    await subject.fill('Dernier rappel amical pour {{customer_name}}');
    await expect
      .poll(() => preview.textContent(), { timeout: 10_000 })
      .toContain(`Dernier rappel amical pour ${name}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Your wording').waitFor();
    expect(await stored()).toEqual({ subject: 'Dernier rappel amical pour {{customer_name}}' });
    await screenshot(page, 'settings-templates-desktop');
    await context.close();
  });

  it('saves a policy level’s new offset, and shows the server’s refusal beside the field at fault', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/settings');
    const level2 = page.getByLabel('Level 2: Days after due date');
    await level2.fill('16');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect((await readPolicy(d.store.db, d.org.id)).policy.levels[1]).toMatchObject({ offsetDays: 16 });
    await page.reload();
    expect(await page.getByLabel('Level 2: Days after due date').inputValue()).toBe('16');

    const level3 = page.getByLabel('Level 3: Days after due date');
    await level3.fill('10');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const row = page.getByRole('row').filter({ has: level3 });
    await expect
      .poll(() => row.textContent(), { timeout: 10_000 })
      .toMatch(/must come later than level 2 \(16 days\)/);
    expect((await readPolicy(d.store.db, d.org.id)).policy.levels[2]!.offsetDays).toBeGreaterThan(16);
    await screenshot(page, 'settings-desktop');
    await context.close();
  });

  it('refuses an IBAN whose check digits are wrong and saves a right one', async () => {
    const { context, page } = await signedIn(d);
    await page.goto('/settings?tab=organisation');
    const iban = page.getByLabel('IBAN');
    await iban.fill('FR76 3000 4000 0312 3456 7890 144');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/not a valid IBAN/).waitFor();
    await iban.fill('FR76 3000 4000 0312 3456 7890 143');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    const org = await d.store.db
      .selectFrom('organisations')
      .select('bank_iban')
      .where('id', '=', d.org.id)
      .executeTakeFirstOrThrow();
    expect(org.bank_iban).toBe('FR7630004000031234567890143');
    await context.close();
  });

  it('shows a member the settings without a way to change them, in French, on a phone', async () => {
    const { context, page } = await signedIn(d, { who: MEMBER_FR, viewport: PHONE });
    await page.goto('/settings');
    await page.getByLabel('Niveau 1 : Jours après l’échéance').waitFor();
    expect(
      await page.getByLabel('Niveau 1 : Jours après l’échéance').getAttribute('readonly'),
    ).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Enregistrer' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Clés d’API' }).count()).toBe(0);
    await screenshot(page, 'settings-phone');
    await context.close();
  });
});
