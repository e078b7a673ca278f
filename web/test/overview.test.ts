// The overview in a real browser, on the demo organisation after its daily run: every figure checked
// against the database, in English and in French, on a laptop and on a phone.
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/server/credentials.ts';
import {
  type Dashboard,
  MEMBER_FR,
  PHONE,
  screenshot,
  signedIn,
  startDashboard,
  TODAY,
} from './support/dashboard.ts';

/** What the database says, computed here on its own terms (not by the route's queries). */
interface Truth {
  overdue: Map<string, number>;
  over90: Map<string, number>;
  sentToday: number;
  openTasks: number;
}

async function truth(d: Dashboard): Promise<Truth> {
  const db = d.store.db;
  const owed = await sql<{ currency: string; overdue: number; over90: number }>`
    select currency,
           coalesce(sum(outstanding) filter (where due_date < ${TODAY}::date), 0)::bigint as overdue,
           coalesce(sum(outstanding) filter (where due_date < ${TODAY}::date - 90), 0)::bigint as over90
      from invoices
     where org_id = ${d.org.id}::uuid and type = 'invoice' and outstanding > 0
       and status not in ('paid', 'cancelled', 'written_off')
     group by currency`.execute(db);
  const sent = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', d.org.id)
    .where('day', '=', TODAY)
    .where('status', 'in', ['sent', 'bounced'])
    .executeTakeFirstOrThrow();
  const tasks = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', d.org.id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return {
    overdue: new Map(owed.rows.map((r) => [r.currency, Number(r.overdue)])),
    over90: new Map(owed.rows.map((r) => [r.currency, Number(r.over90)])),
    sentToday: Number(sent.n),
    openTasks: Number(tasks.n),
  };
}

const money = (locale: string, minor: number, currency: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);

/** The definition beside a term of a list of facts, inside a section. */
const fact = (page: Page, section: string, term: string) =>
  page.getByRole('region', { name: section }).locator(`dt:text-is("${term}") + dd`);

describe('the overview', () => {
  let d: Dashboard;
  let db: Truth;
  beforeAll(async () => {
    d = await startDashboard();
    // The demo as the agent leaves it after its morning run: messages sent, tasks opened, steps planned.
    const { key } = await createApiKey(d.store.db, d.org.id, { name: 'overview test', role: 'admin' });
    const run = await d.app.inject({
      method: 'POST',
      url: '/api/run',
      headers: { authorization: `Bearer ${key}` },
      payload: {},
    });
    expect(run.statusCode).toBe(200);
    db = await truth(d);
  }, 180_000);
  afterAll(async () => {
    await d?.close();
  });

  it('shows what is overdue per currency, the age chart, today’s work and tomorrow’s plan', async () => {
    // The demo has work in several currencies and a run that sent something: the page has a lot to show.
    expect([...db.overdue.keys()].sort()).toEqual(['CHF', 'EUR', 'GBP', 'USD']);
    expect(db.sentToday).toBeGreaterThan(0);
    const { context, page } = await signedIn(d);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();

    const overdue = page.getByRole('figure', { name: 'Overdue' });
    const overdueText = await overdue.textContent();
    for (const [currency, minor] of db.overdue)
      expect(overdueText).toContain(money('en-GB', minor, currency));
    // The organisation's own currency comes first.
    expect(await overdue.getByRole('listitem').first().textContent()).toBe(
      money('en-GB', db.overdue.get('EUR')!, 'EUR'),
    );
    expect(await page.getByRole('figure', { name: 'Open tasks' }).textContent()).toContain(
      String(db.openTasks),
    );

    const euros = page.getByRole('list', { name: 'Invoices still due by days past due date, EUR' });
    const bars = euros.getByRole('listitem');
    expect(await bars.allTextContents()).toHaveLength(5);
    expect(await bars.first().textContent()).toMatch(/^Not yet due/);
    expect(await bars.last().textContent()).toContain(
      `Over 90 days${money('en-GB', db.over90.get('EUR')!, 'EUR')}`,
    );
    // The four overdue buckets add up to the overdue tile.
    const amounts = await euros.locator('.overview-bar-amount .num').allTextContents();
    const parsed = amounts.map((a) => Math.round(Number(a.replace(/[^\d.]/g, '')) * 100));
    expect(parsed.slice(1).reduce((s, x) => s + x, 0)).toBe(db.overdue.get('EUR'));

    await page.getByRole('button', { name: 'GBP' }).click();
    const pounds = page.getByRole('list', { name: 'Invoices still due by days past due date, GBP' });
    expect(await pounds.getByRole('listitem').last().textContent()).toContain(
      money('en-GB', db.over90.get('GBP')!, 'GBP'),
    );
    expect(await page.getByRole('button', { name: 'GBP' }).getAttribute('aria-pressed')).toBe('true');

    expect(await fact(page, 'Today', 'Messages sent').textContent()).toBe(String(db.sentToday));
    // 23 November 2026 is a Monday.
    // Chromium's English writes "Tuesday, 24 November 2026", other ICU versions drop the comma.
    expect(await page.getByRole('region', { name: 'Next business day' }).textContent()).toMatch(
      /Next run: Tuesday,? 24 November 2026/,
    );
    await screenshot(page, 'overview-desktop');

    await page
      .getByRole('region', { name: 'Next business day' })
      .getByRole('link', { name: 'See the queue' })
      .click();
    await page.waitForURL(/\/queue$/);
    await context.close();
  });

  it('loads under 300 KB of JavaScript, gzipped, to show the overview', async () => {
    const { context, page } = await signedIn(d);
    await page.getByRole('list', { name: /^Invoices still due by days past due date/ }).waitFor();
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((name) => new URL(name).pathname.endsWith('.js')),
    );
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const url of scripts)
      gzipped += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    expect(gzipped).toBeLessThan(300 * 1024);
    await context.close();
  });

  it('reads well on a phone', async () => {
    const { context, page } = await signedIn(d, { viewport: PHONE });
    const bars = page.getByRole('list', { name: 'Invoices still due by days past due date, EUR' });
    await bars.waitFor();
    expect(await bars.getByRole('listitem').nth(2).textContent()).toMatch(/^31–60 days/);
    expect(
      await page
        .getByRole('region', { name: 'Open tasks' })
        .getByRole('link', { name: 'See the tasks' })
        .isVisible(),
    ).toBe(true);
    await screenshot(page, 'overview-phone');
    await context.close();
  });

  it('speaks French to a French member, with French amounts', async () => {
    const { context, page } = await signedIn(d, { who: MEMBER_FR });
    await page.getByRole('heading', { name: 'Vue d’ensemble', level: 1 }).waitFor();
    const overdue = page.getByRole('figure', { name: 'Échu' });
    const euros = money('fr-FR', db.overdue.get('EUR')!, 'EUR');
    // "12 345,67 €": a narrow no-break space between thousands, a comma, the sign after.
    expect(euros).toMatch(/^\d{1,3}(\u202f\d{3})*,\d\d\u00a0€$/);
    expect(await overdue.getByRole('listitem').first().textContent()).toBe(euros);
    const bars = page.getByRole('list', { name: 'Factures à encaisser par jours de retard, EUR' });
    expect(await bars.getByRole('listitem').first().textContent()).toMatch(/^Non échu/);
    expect(await bars.getByRole('listitem').last().textContent()).toMatch(/^Plus de 90 jours/);
    expect(await fact(page, 'Aujourd’hui', 'Messages envoyés').textContent()).toBe(String(db.sentToday));
    expect(await page.getByRole('region', { name: 'Prochain jour ouvré' }).textContent()).toContain(
      'Prochain passage : mardi 24 novembre 2026',
    );
    await screenshot(page, 'overview-desktop-fr');
    await context.close();
  });
});
