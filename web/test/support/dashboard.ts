// For the dashboard's tests: the real server on a real database (embedded PGlite) with the demo
// organisation on a fixed day, listening on a free port, and Debian's Chromium driven by
// playwright-core. Screenshots go to test/.artifacts/screens/, each checked for horizontal overflow.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createDemo } from '../../../src/demo/create-demo.ts';
import type { Organisation } from '../../../src/ledger/organisations.ts';
import { buildApp } from '../../../src/server/app.ts';
import { fixedDayClock } from '../../../src/server/clock.ts';
import { dashboardBuilt } from '../../../src/server/dashboard.ts';
import { addMember } from '../../../src/server/members.ts';
import { openStore, type Store } from '../../../src/store/store.ts';

/** The demo's "today" in these tests: a Monday, so that the agent has work. */
export const TODAY = '2026-11-23';
export const OWNER = { email: 'owner@dashboard.test', password: 'a long enough password' };
export const MEMBER_FR = { email: 'membre@dashboard.test', password: 'un mot de passe assez long' };

export const CHROMIUM = process.env.ARDENT_CHROMIUM ?? '/usr/bin/chromium';
const SCREENS = fileURLToPath(new URL('../../../test/.artifacts/screens/', import.meta.url));

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface Dashboard {
  store: Store;
  org: Organisation;
  app: FastifyInstance;
  url: string;
  home: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The server with the demo organisation and two members who can sign in, and a browser. */
export async function startDashboard(): Promise<Dashboard> {
  const buildError = process.env.ARDENT_DASHBOARD_BUILD_ERROR;
  if (buildError) throw new Error(`the dashboard does not build (npm run build): ${buildError}`);
  if (!dashboardBuilt())
    throw new Error('web/dist is missing: the test setup builds it (npm run build); did the build fail?');
  const store = await openStore({});
  const demo = await createDemo(store, TODAY);
  const org = demo.org;
  await addMember(store.db, org.id, { ...OWNER, name: 'Olivia Owner', role: 'owner', language: 'en' });
  await addMember(store.db, org.id, { ...MEMBER_FR, name: 'Marc Membre', role: 'member', language: 'fr' });
  const home = mkdtempSync(join(tmpdir(), 'ardent-dashboard-'));
  const app = await buildApp({ store, home, clock: fixedDayClock(TODAY), env: {} });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // As root in a sandbox without network: no sandbox, no GPU, and none of Chromium's own calls out.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    store,
    org,
    app,
    url,
    home,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await store.close();
    },
  };
}

/** A new browser window of the given size, signed in as `who` (the English owner by default). */
export async function signedIn(
  d: Dashboard,
  options: { who?: { email: string; password: string }; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await d.browser.newContext({ viewport: options.viewport ?? DESKTOP, baseURL: d.url });
  const page = await context.newPage();
  await page.goto('/');
  const who = options.who ?? OWNER;
  await page.getByLabel(/^(Email|E-mail)$/).fill(who.email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(who.password);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.locator('main#main').waitFor();
  return { context, page };
}

/**
 * A screenshot of the whole page, saved for a person to look at, after checking that nothing is
 * wider than the window (a table or a word that would make the phone scroll sideways).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS, { recursive: true });
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && !el.closest('.table-wrap, dialog:not([open])'))
        culprits.push(`${el.tagName.toLowerCase()}.${(el as HTMLElement).className}`);
    }
    return { scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5) };
  });
  expect(overflow.culprits, `${name}: elements wider than the window`).toEqual([]);
  expect(overflow.scroll, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(overflow.width);
  const file = join(SCREENS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
