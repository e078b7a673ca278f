import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.ts';
import { createDemo, type DemoSummary } from './create-demo.ts';

describe('the demo with its last two weeks played', () => {
  let store: Store;
  let demo: DemoSummary;
  beforeAll(async () => {
    store = await openStore({});
    demo = await createDemo(store, '2026-11-23', { history: true });
  }, 120_000);
  afterAll(() => store?.close());

  it('has reminders sent on the business days before today, none left in flight', async () => {
    const r = await sql<{ status: string; first: string; last: string; n: number }>`
      select status, min(day)::text as first, max(day)::text as last, count(*)::int as n
        from messages where org_id = ${demo.org.id}::uuid group by status`.execute(store.db);
    expect(r.rows.map((x) => x.status)).toEqual(['sent']);
    expect(r.rows[0]!.n).toBeGreaterThan(100);
    expect(r.rows[0]!.first >= '2026-11-09' && r.rows[0]!.last < '2026-11-23').toBe(true);
  });

  it('has customers’ replies, each read and acted on, of several kinds', async () => {
    const r = await sql<{ intent: string; status: string }>`
      select distinct analysis->>'intent' as intent, status from inbound_messages where org_id = ${demo.org.id}::uuid`.execute(
      store.db,
    );
    expect(demo.replies).toBeGreaterThan(10);
    expect(new Set(r.rows.map((x) => x.status))).toEqual(new Set(['acted']));
    expect(r.rows.map((x) => x.intent)).toEqual(
      expect.arrayContaining(['promise_to_pay', 'dispute', 'already_paid', 'document_request']),
    );
  });

  it('is created once', async () => {
    expect((await createDemo(store, '2026-11-23', { history: true })).created).toBe(false);
  });
});
