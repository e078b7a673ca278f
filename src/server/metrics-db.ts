// The gauges and totals read from the database when /metrics is scraped: the truth of every process
// sharing it (workers included), not only of the one answering. Cached briefly so that a scraper
// polling every few seconds does not count a large table each time.
import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import { Metrics } from './metrics.ts';

const CACHE_MS = 10_000;
let cached: { at: number; metrics: Metrics; store: Store } | undefined;

async function tableExists(store: Store, name: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(store.db);
  return r.rows[0]?.t != null;
}

export async function databaseMetrics(store: Store, now = Date.now()): Promise<Metrics> {
  if (cached && cached.store === store && now - cached.at < CACHE_MS) return cached.metrics;
  const m = new Metrics();
  m.define('ardent_queue_depth', 'gauge', 'Invoices with a next reminder step planned');
  m.define('ardent_messages', 'gauge', 'Messages in the outbox, by status');
  m.define('ardent_daily_runs', 'gauge', 'Scheduled daily runs recorded, by state');
  m.define('ardent_bounces_total', 'counter', 'Bounces received, hard or soft');
  m.define('ardent_replies_total', 'counter', 'Customer replies read, by intent');
  m.define('ardent_webhook_deliveries', 'gauge', 'Webhook deliveries, by status');

  const depth = await sql<{
    n: number;
  }>`select count(*) as n from dunning_state where next_date is not null`.execute(store.db);
  m.set('ardent_queue_depth', {}, Number(depth.rows[0]?.n ?? 0));
  const messages = await sql<{ status: string; n: number }>`
    select status, count(*) as n from messages group by status`.execute(store.db);
  for (const r of messages.rows) m.set('ardent_messages', { status: r.status }, Number(r.n));
  const runs = await sql<{ state: string; n: number }>`
    select case when done_at is not null then 'done' when claimed_until > now() then 'running' else 'pending' end as state,
           count(*) as n
      from jobs where kind = 'daily_run' group by 1`.execute(store.db);
  for (const r of runs.rows) m.set('ardent_daily_runs', { state: r.state }, Number(r.n));
  const deliveries = await sql<{ status: string; n: number }>`
    select status, count(*) as n from webhook_deliveries group by status`.execute(store.db);
  for (const r of deliveries.rows) m.set('ardent_webhook_deliveries', { status: r.status }, Number(r.n));
  if (await tableExists(store, 'bounces')) {
    const bounces = await sql<{
      hard: boolean;
      n: number;
    }>`select hard, count(*) as n from bounces group by hard`.execute(store.db);
    for (const r of bounces.rows)
      m.set('ardent_bounces_total', { kind: r.hard ? 'hard' : 'soft' }, Number(r.n));
  }
  for (const [intent, n] of await repliesByIntent(store)) m.set('ardent_replies_total', { intent }, n);
  cached = { at: now, metrics: m, store };
  return m;
}

/** Replies by intent, from the inbound side's table when this database has it. */
async function repliesByIntent(store: Store): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!(await tableExists(store, 'inbound_messages'))) return out;
  const rows = await sql<{ intent: string | null; n: number }>`
    select analysis->>'intent' as intent, count(*) as n from inbound_messages
     where analysis is not null and status <> 'bounce' group by 1`.execute(store.db);
  for (const r of rows.rows) out.set(r.intent ?? 'none', Number(r.n));
  return out;
}
