// The queue as the dashboard reads it: narrowed by priority, level, status and customer, sorted on
// any column, and each item's message shown as it will be sent, without anything being written.
// Tasks narrowed by kind and assignee.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from './support/engines.ts';
import { bearer, call, DAY, type SeededOrg, seedOrg, testApp } from './support/server.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface QueueItem {
  customer: { ref: string; name: string };
  invoices: string[];
  amount: string;
  level: number;
  plannedFor: string;
  priority: 'green' | 'orange' | 'red';
  status: string;
}
interface Preview {
  customer: { ref: string };
  day: string;
  source: 'awaiting_approval' | 'planned';
  level: number;
  language: string;
  to: { name: string | null; email: string | null }[];
  subject: string;
  text: string;
  invoices: { number: string; amount: string; currency: string }[];
}
interface Task {
  id: string;
  kind: string;
  customer: { ref: string } | null;
  assignee: { id: string } | null;
}

describe.each(engines)('the queue’s filters and message preview on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;
  let admin: Record<string, string>;
  let member: Record<string, string>;
  const get = async <T>(url: string) => {
    const r = await call(app, 'GET', url, member);
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r.json<T>();
  };
  /** What a preview must leave as it was: the outbox, the plans, the history, the tasks. */
  const written = async () => {
    const r = await sql<{ messages: number; events: number; tasks: number; state: string }>`
      select (select count(*)::int from messages) as messages, (select count(*)::int from events) as events,
             (select count(*)::int from tasks) as tasks,
             (select string_agg(concat_ws('|', invoice_id, next_level, next_date, next_status), ',' order by invoice_id)
                from dunning_state) as state`.execute(db.store.db);
    return r.rows[0];
  };

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    ({ app } = await testApp(db.store));
    admin = bearer(a.keys.admin);
    member = bearer(a.keys.member);
    // A third customer, a week overdue on the first reminder's day: green, where the others are red.
    const put = await call(app, 'PUT', '/api/invoices/A-F-7', member, {
      customer: {
        ref: 'A-C3',
        name: 'Cave Dupont',
        country: 'FR',
        contacts: [{ name: 'Léa', email: 'lea@cave-dupont.fr', language: 'fr' }],
      },
      issueDate: '2026-10-05',
      dueDate: '2026-11-05',
      total: '420.00',
    });
    expect(put.statusCode).toBe(201);
    expect((await call(app, 'POST', '/api/run', admin, {})).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it.skipIf(!engine.available)('narrows the queue by priority, level, status and customer', async () => {
    const whole = (await get<Page<QueueItem>>('/api/queue?limit=500')).items;
    expect(new Set(whole.map((i) => i.priority))).toEqual(new Set(['green', 'red']));
    const red = (await get<Page<QueueItem>>('/api/queue?priority=red')).items;
    expect(red.map((i) => i.customer.ref).sort()).toEqual(['A-C1', 'A-C2']);
    const greenOrOrange = (await get<Page<QueueItem>>('/api/queue?priority=green,orange')).items;
    expect(greenOrOrange.map((i) => i.customer.ref)).toEqual(['A-C3']);
    expect((await get<Page<QueueItem>>('/api/queue?level=2')).items.map((i) => i.customer.ref)).toEqual([
      'A-C1',
    ]);
    expect(
      (await get<Page<QueueItem>>('/api/queue?status=blocked')).items.map((i) => i.customer.ref),
    ).toEqual(['A-C2']);
    expect((await get<Page<QueueItem>>('/api/queue?search=dupONT')).items.map((i) => i.customer.ref)).toEqual(
      ['A-C3'],
    );
    expect((await get<Page<QueueItem>>('/api/queue?search=a-c2')).items.map((i) => i.customer.ref)).toEqual([
      'A-C2',
    ]);
    const dates = whole.map((i) => i.plannedFor).sort();
    const from = dates.at(-1)!;
    expect(
      (await get<Page<QueueItem>>(`/api/queue?from=${from}`)).items.every((i) => i.plannedFor >= from),
    ).toBe(true);
    expect((await get<Page<QueueItem>>(`/api/queue?from=${from}`)).items.length).toBeLessThan(whole.length);
    // Due today: nothing is left for the day the run just did; everything is later.
    expect((await get<Page<QueueItem>>('/api/queue?due=today')).items).toEqual([]);
    expect((await call(app, 'GET', '/api/queue?priority=purple', member)).statusCode).toBe(400);
    expect((await call(app, 'GET', '/api/queue?level=two', member)).statusCode).toBe(400);
  });

  it.skipIf(!engine.available)('sorts the queue by amount either way and pages through it once', async () => {
    const up = (await get<Page<QueueItem>>('/api/queue?sort=amount')).items.map((i) => i.amount);
    expect(up).toEqual(['80.00', '420.00', '1500.00']);
    const down = (await get<Page<QueueItem>>('/api/queue?sort=amount&order=desc')).items.map((i) => i.amount);
    expect(down).toEqual(['1500.00', '420.00', '80.00']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<QueueItem> = await get<Page<QueueItem>>(
        `/api/queue?sort=amount&order=desc&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.amount));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(down);
    // A cursor of the other ordering is refused, not misread.
    const byDay = await get<Page<QueueItem>>('/api/queue?limit=1');
    const mixed = await call(app, 'GET', `/api/queue?sort=amount&cursor=${byDay.nextCursor}`, member);
    expect(mixed.statusCode).toBe(400);
  });

  it.skipIf(!engine.available)(
    'previews a planned message exactly as the run of that day writes it, writing nothing itself',
    async () => {
      const item = (await get<Page<QueueItem>>('/api/queue?customer=A-C1')).items[0]!;
      const before = await written();
      const preview = await get<Preview>(`/api/queue/preview?customer=A-C1&date=${item.plannedFor}`);
      expect(await written()).toEqual(before);
      expect(preview).toMatchObject({
        customer: { ref: 'A-C1' },
        day: item.plannedFor,
        source: 'planned',
        language: 'fr',
        to: [{ name: 'Paul', email: 'compta@a-martin.fr' }],
        invoices: [
          { number: 'A-F-1', amount: '1200.00', currency: 'EUR' },
          { number: 'A-F-2', amount: '300.00', currency: 'EUR' },
        ],
      });
      expect(preview.text).toContain('A-F-1');

      expect((await call(app, 'POST', '/api/run', admin, { day: item.plannedFor })).statusCode).toBe(200);
      const sent = await db.store.db
        .selectFrom('messages')
        .select(['subject', 'text_body', 'to_address', 'level'])
        .where('org_id', '=', a.org.id)
        .where('day', '=', item.plannedFor)
        .where('customer_id', '=', sql<string>`(select id from customers where ref = 'A-C1')`)
        .executeTakeFirstOrThrow();
      expect(sent).toEqual({
        subject: preview.subject,
        text_body: preview.text,
        to_address: 'compta@a-martin.fr',
        level: preview.level,
      });
    },
  );

  it.skipIf(!engine.available)('shows a message awaiting approval as it was written', async () => {
    const policy = (await get<{ policy: Record<string, unknown> }>('/api/policy')).policy;
    await call(app, 'PUT', '/api/policy', admin, { ...policy, mode: 'approval' });
    const waiting = (await get<Page<QueueItem>>('/api/queue?limit=500')).items.find(
      (i) => i.customer.ref === 'A-C3',
    )!;
    expect((await call(app, 'POST', '/api/run', admin, { day: waiting.plannedFor })).statusCode).toBe(200);
    const awaiting = (await get<Page<QueueItem>>('/api/queue?status=awaiting_approval')).items;
    expect(awaiting.every((i) => i.status === 'awaiting_approval')).toBe(true);
    const item = awaiting.find((i) => i.customer.ref === 'A-C3')!;
    expect(item).toBeDefined();
    const stored = await db.store.db
      .selectFrom('messages')
      .select(['subject', 'text_body'])
      .where('org_id', '=', a.org.id)
      .where('status', '=', 'awaiting_approval')
      .where('customer_id', '=', sql<string>`(select id from customers where ref = 'A-C3')`)
      .executeTakeFirstOrThrow();
    const preview = await get<Preview>(`/api/queue/preview?customer=A-C3&date=${item.plannedFor}`);
    expect(preview).toMatchObject({
      source: 'awaiting_approval',
      subject: stored.subject,
      text: stored.text_body,
      to: [{ name: 'Léa', email: 'lea@cave-dupont.fr' }],
      invoices: [{ number: 'A-F-7', amount: '420.00', currency: 'EUR' }],
    });
    await call(app, 'PUT', '/api/policy', admin, { ...policy, mode: 'automatic' });
  });

  it.skipIf(!engine.available)(
    'says why nothing would be sent, and refuses what it cannot preview',
    async () => {
      const blocked = (await get<Page<QueueItem>>('/api/queue?customer=A-C2')).items[0]!;
      const none = await call(
        app,
        'GET',
        `/api/queue/preview?customer=A-C2&date=${blocked.plannedFor}`,
        member,
      );
      expect(none.statusCode).toBe(404);
      expect(none.json<{ detail: string }>().detail).toMatch(/^nothing would be sent to A-C2 on .*contact/);
      const past = await call(app, 'GET', '/api/queue/preview?customer=A-C1&date=2026-01-05', member);
      expect(past.statusCode).toBe(400);
      expect(
        (await call(app, 'GET', `/api/queue/preview?customer=NOPE&date=${DAY}`, member)).statusCode,
      ).toBe(404);
      expect(
        (await call(app, 'GET', '/api/queue/preview?customer=A-C1&date=05/01/2026', member)).statusCode,
      ).toBe(400);
    },
  );

  it.skipIf(!engine.available)('lists tasks of one kind, one assignee, or nobody’s', async () => {
    const all = (await get<Page<Task>>('/api/tasks?status=all')).items;
    const missing = all.find((t) => t.kind === 'missing_contact')!;
    expect(missing.customer?.ref).toBe('A-C2');
    expect((await get<Page<Task>>('/api/tasks?status=all&kind=dispute')).items).toEqual([]);
    expect(
      (await get<Page<Task>>('/api/tasks?status=all&kind=dispute,missing_contact')).items.map((t) => t.id),
    ).toContain(missing.id);
    expect((await get<Page<Task>>('/api/tasks?status=all&assignee=none')).items.map((t) => t.id)).toContain(
      missing.id,
    );
    await call(app, 'POST', `/api/tasks/${missing.id}/assign`, member, { memberId: a.members.member.id });
    const mine = (await get<Page<Task>>(`/api/tasks?status=all&assignee=${a.members.member.id}`)).items;
    expect(mine.map((t) => t.id)).toEqual([missing.id]);
    expect(
      (await get<Page<Task>>('/api/tasks?status=all&assignee=none')).items.map((t) => t.id),
    ).not.toContain(missing.id);
    expect((await get<Page<Task>>(`/api/tasks?status=all&assignee=${a.members.admin.id}`)).items).toEqual([]);
    expect(
      (await get<Page<Task>>('/api/tasks?status=all&customer=A-C1')).items.every(
        (t) => t.customer?.ref === 'A-C1',
      ),
    ).toBe(true);
  });
});
