import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTransport } from '../src/mail/transports/directory.ts';
import { fixedDayClock, instantClock } from '../src/server/clock.ts';
import { claimJob, finishJob, type JobKey, releaseAll, renewJob } from '../src/server/leases.ts';
import { Metrics } from '../src/server/metrics.ts';
import { Scheduler } from '../src/server/scheduler.ts';
import {
  enqueueWebhookEvents,
  newWebhookSecret,
  sendDueWebhooks,
  signPayload,
} from '../src/server/webhooks.ts';
import type { Store } from '../src/store/store.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { type SeededOrg, seedOrg } from './support/server.ts';

const quiet = { info() {}, warn() {}, error() {} };

function scheduler(store: Store, home: string, clock = fixedDayClock('2026-11-10'), holder?: string) {
  return new Scheduler({
    store,
    home,
    env: {},
    clock,
    metrics: new Metrics(),
    transport: directoryTransport(join(home, 'outbox')),
    log: quiet,
    tickMs: 60_000,
    leaseSeconds: 60,
    ...(holder ? { holder } : {}),
  });
}

describe.each(engines)('leases on $name', (engine) => {
  let db: TestDatabase;
  let a: SeededOrg;
  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
  });
  afterAll(() => db?.dispose());

  it.skipIf(!engine.available)(
    'gives a day’s job to one holder, takes it over when the lease runs out, and never twice once done',
    async () => {
      const key: JobKey = { orgId: a.org.id, kind: 'daily_run', day: '2026-11-10' };
      const s = db.store.db;
      expect(await claimJob(s, key, 'w1', 60)).toBe(true);
      expect(await claimJob(s, key, 'w2', 60)).toBe(false);
      expect(await renewJob(s, key, 'w1', 60)).toBe(true);
      // w1 dies: its lease ends, w2 takes the job over, and w1 can no longer finish it.
      await sql`update jobs set claimed_until = now() - interval '1 second'`.execute(s);
      expect(await claimJob(s, key, 'w2', 60)).toBe(true);
      expect(await renewJob(s, key, 'w1', 60)).toBe(false);
      expect(await finishJob(s, key, 'w1', {})).toBe(false);
      expect(await finishJob(s, key, 'w2', { ok: true })).toBe(true);
      await sql`update jobs set claimed_until = null`.execute(s);
      expect(await claimJob(s, key, 'w3', 60)).toBe(false);
      const row = await s
        .selectFrom('jobs')
        .selectAll()
        .where('org_id', '=', a.org.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ claimed_by: 'w2', attempts: 2 });
      expect(row.done_at).not.toBeNull();
    },
  );

  it.skipIf(!engine.available)('gives back on shutdown what is held and not done', async () => {
    const key: JobKey = { orgId: a.org.id, kind: 'daily_run', day: '2026-11-12' };
    expect(await claimJob(db.store.db, key, 'w1', 600)).toBe(true);
    expect(await releaseAll(db.store.db, 'w1')).toBe(1);
    expect(await claimJob(db.store.db, key, 'w2', 600)).toBe(true);
  });
});

describe.each(engines)('the scheduler on $name', (engine) => {
  let db: TestDatabase;
  let a: SeededOrg;
  let home: string;
  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    home = mkdtempSync(join(tmpdir(), 'ardent-scheduler-'));
  });
  afterAll(() => db?.dispose());

  it.skipIf(!engine.available)('waits for the run hour and skips public holidays', async () => {
    // 07:30 in Paris on Tuesday 10 November: before the run hour (8).
    const early = scheduler(
      db.store,
      home,
      instantClock(() => new Date('2026-11-10T06:30:00Z')),
    );
    expect((await early.tick()).runs).toEqual([]);
    // 11 November is Armistice Day in France.
    const holiday = scheduler(db.store, home, fixedDayClock('2026-11-11'));
    expect((await holiday.tick()).runs).toEqual([]);
    expect(await db.store.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it.skipIf(!engine.available)(
    'runs the day once, sends within the window, and tells the members in their language',
    async () => {
      const first = await scheduler(db.store, home).tick();
      expect(first.runs).toEqual([{ org: 'org-a', day: '2026-11-10', messages: 1 }]);
      expect(first.delivered).toBe(1);
      expect(first.memberMails).toBe(4);
      const again = await scheduler(db.store, home).tick();
      expect(again).toMatchObject({ runs: [], delivered: 0, memberMails: 0 });

      const notes = await db.store.db
        .selectFrom('notifications')
        .selectAll()
        .where('org_id', '=', a.org.id)
        .execute();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ kind: 'run.summary', language: 'fr', day: '2026-11-10' });
      expect(notes[0]!.title).toBe(
        '10 novembre 2026 : relances envoyées : 1 · nouvelles tâches : 1 · factures payées : 0',
      );
      const files = readdirSync(join(home, 'outbox'));
      expect(files.filter((f) => f.startsWith('member_'))).toHaveLength(4);
      expect(files.filter((f) => f.startsWith('2026-11-10_A-C1'))).toHaveLength(1);
    },
  );

  it.skipIf(!engine.available)(
    'sends at the next tick a reminder left by a sender that stopped, though nothing else is queued',
    async () => {
      // The reminder above, as a sender killed after claiming it leaves it: held, its lease over.
      const held = await sql<{ id: string }>`
        update messages set status = 'sending', claimed_by = 'gone:1', claimed_until = now() - interval '1 minute', sent_at = null
         where org_id = ${a.org.id}::uuid and day = '2026-11-10'
        returning id`.execute(db.store.db);
      expect(held.rows).toHaveLength(1);
      const next = await scheduler(db.store, home).tick();
      expect(next.delivered).toBe(1);
      const row = await db.store.db
        .selectFrom('messages')
        .select(['status', 'claimed_by'])
        .where('id', '=', held.rows[0]!.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
      expect(row.claimed_by).not.toBe('gone:1');
    },
  );
});

describe.each(engines)('webhooks on $name', (engine) => {
  let db: TestDatabase;
  let a: SeededOrg;
  let receiver: Server;
  let url: string;
  let failNext = 0;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await db?.dispose();
  });

  it.skipIf(!engine.available)(
    'delivers what happened, signed, and retries a refused delivery later',
    async () => {
      const secret = newWebhookSecret();
      await db.store.db
        .insertInto('webhooks')
        .values({ org_id: a.org.id, url, secret, events: ['reminder.sent', 'task.created', 'invoice.paid'] })
        .execute();
      const home = mkdtempSync(join(tmpdir(), 'ardent-hooks-'));
      failNext = 1;
      await scheduler(db.store, home).tick();
      const deliveries = await db.store.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .orderBy('event_id')
        .execute();
      expect(deliveries.map((d) => d.event).sort()).toEqual(['reminder.sent', 'task.created']);
      // One was refused (503): it waits, with its attempt counted and the status on record.
      const refused = deliveries.find((d) => d.status === 'pending')!;
      expect(refused).toMatchObject({ attempts: 1, last_status: 503 });
      expect(refused.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 10_000);
      await sql`update webhook_deliveries set next_attempt_at = now()`.execute(db.store.db);
      expect(await sendDueWebhooks(db.store.db)).toEqual({ delivered: 1, retried: 0, failed: 0 });
      expect(received).toHaveLength(2);

      for (const r of received) {
        const [t, v1] = String(r.headers['ardent-signature']).split(',');
        const stamp = Number(t!.slice(2));
        expect(Math.abs(stamp - Date.now() / 1000)).toBeLessThan(60);
        expect(v1).toBe(`v1=${createHmac('sha256', secret).update(`${stamp}.${r.body}`).digest('hex')}`);
        expect(signPayload(secret, r.body, stamp)).toBe(r.headers['ardent-signature']);
      }
      const sent = received.map((r) => JSON.parse(r.body)).find((p) => p.type === 'reminder.sent');
      expect(sent).toMatchObject({ organisation: 'org-a', data: { customer: { ref: 'A-C1' } } });
      expect(received[0]!.headers['ardent-event']).toBeDefined();

      // Nothing is delivered twice, however often the events are read again.
      expect(await enqueueWebhookEvents(db.store, a.org)).toBe(0);
      expect(await db.store.db.selectFrom('webhook_deliveries').selectAll().execute()).toHaveLength(2);
    },
  );
});
