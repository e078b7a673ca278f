// The dashboard's shell in a real browser: signing in, the navigation, the language, the files served.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, MEMBER_FR, OWNER, PHONE, signedIn, startDashboard } from './support/dashboard.ts';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

describe('the dashboard shell', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  it('refuses a wrong password with the server’s reason, then signs in', async () => {
    const context = await d.browser.newContext({ baseURL: d.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/wrong email or password/);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Queue', exact: true }).isVisible()).toBe(true);
    await context.close();
  });

  it('speaks French to a member who prefers it', async () => {
    const { context, page } = await signedIn(d, { who: MEMBER_FR });
    await page
      .getByRole('navigation', { name: 'Principal' })
      .getByRole('link', { name: 'File de relances', exact: true })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await context.close();
  });

  it('opens the menu on a phone and follows a link to another page', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    expect(await nav(page).getByRole('link', { name: 'Tasks', exact: true }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav(page).getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.waitForURL(/\/tasks$/);
    expect(await nav(page).getByRole('link', { name: 'Tasks', exact: true }).isVisible()).toBe(false);
    await context.close();
  });

  it('serves the page compressed, its assets cached for good, and the API’s 404 as a problem', async () => {
    const html = await fetch(`${d.url}/customers/anything`);
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())![1]!;
    const js = await fetch(`${d.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const api = await fetch(`${d.url}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
