// What the dashboard's customers and invoices pages read: customers with their balance and how they
// pay, searched and sorted; a customer's timeline of messages, replies, payments, tasks and decisions;
// invoices searched and sorted with their next step; an invoice with the plan the agent foresees.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPayment } from '../src/ledger/allocations.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { bearer, call, DAY, type SeededOrg, seedOrg, testApp } from './support/server.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface CustomerRow {
  ref: string;
  customer: { ref: string; name: string };
  balances: { currency: string; outstanding: string; overdue: string }[];
  contacts: { id: string; email: string | null; valid: boolean }[];
  behaviour: {
    averageDaysLate: number | null;
    paidInvoices: number;
    reminders: number;
    lastReply: { day: string; intent: string | null } | null;
    maxDaysOverdue: number;
    bouncedContact: boolean;
  };
}
interface TimelineItem {
  id: string;
  type: string;
  day: string;
  invoices: string[];
  message?: { status: string; level: number | null; bounce: { reason: string } | null };
  reply?: { intent: string | null; decisions: { reason: string }[] };
  payment?: { amount: string; allocations: { invoice: string; amount: string }[] };
  task?: { kind: string };
  event?: { kind: string };
}
interface InvoiceRow {
  number: string;
  dueDate: string;
  outstanding: string;
  customer: { ref: string };
  nextStep: { level: number | null; plannedFor: string } | null;
}

describe.each(engines)('the customers and invoices pages’ API on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;
  let member: Record<string, string>;
  const get = <T>(url: string) =>
    call(app, 'GET', url, member).then((r) => {
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      return r.json<T>();
    });
  const idOf = async (number: string) =>
    (
      await db.store.db
        .selectFrom('invoices')
        .select(['id', 'customer_id'])
        .where('org_id', '=', a.org.id)
        .where('number', '=', number)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    await seedOrg(db.store, 'B');
    ({ app } = await testApp(db.store));
    member = bearer(a.keys.member);
    expect((await call(app, 'POST', '/api/run', bearer(a.keys.admin), {})).statusCode).toBe(200);
    // A-F-2 (due 20 Oct) paid in full 16 days late; A-F-1 paid in part.
    await recordPayment(
      db.store.db,
      a.org.id,
      { amount: 30000, currency: 'EUR', receivedOn: '2026-11-05', payerName: 'MARTIN' },
      [{ invoiceId: await idOf('A-F-2'), amount: 30000 }],
    );
    await recordPayment(
      db.store.db,
      a.org.id,
      { amount: 20000, currency: 'EUR', receivedOn: '2026-11-06', reference: 'VIR A-F-1' },
      [{ invoiceId: await idOf('A-F-1'), amount: 20000 }],
    );
    const c1 = await db.store.db
      .selectFrom('customers')
      .select('id')
      .where('org_id', '=', a.org.id)
      .where('ref', '=', 'A-C1')
      .executeTakeFirstOrThrow();
    await db.store.db
      .insertInto('inbound_messages')
      .values({
        org_id: a.org.id,
        message_id: '<reply-1@a-martin.fr>',
        via: 'api',
        raw: 'Subject: Re: A-F-1\r\n\r\nNous paierons le 30.',
        size: 40,
        from_address: 'compta@a-martin.fr',
        subject: 'Re: A-F-1',
        received_on: '2026-11-09',
        customer_id: c1.id,
        invoice_ids: [await idOf('A-F-1')],
        status: 'acted',
        analysis: sql`${JSON.stringify({ kind: 'reply', intent: 'promise_to_pay', promisedDate: '2026-11-30' })}::jsonb`,
        decisions: sql`${JSON.stringify([{ kind: 'pause', reason: 'promised to pay on 30 Nov' }])}::jsonb`,
      })
      .execute();
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  describe('customers', () => {
    it.skipIf(!engine.available)('gives each customer its balance as the ledger sums it', async () => {
      const page = await get<Page<CustomerRow>>('/api/customers');
      const c1 = page.items.find((c) => c.ref === 'A-C1')!;
      const sum = await sql<{ outstanding: string }>`
        select sum(outstanding)::text as outstanding from invoices i join customers c on c.id = i.customer_id
         where c.org_id = ${a.org.id}::uuid and c.ref = 'A-C1'`.execute(db.store.db);
      expect(Number(c1.balances[0]!.outstanding) * 100).toBe(Number(sum.rows[0]!.outstanding));
      expect(c1.balances).toEqual([{ currency: 'EUR', outstanding: '1000.00', overdue: '1000.00' }]);
      expect(c1.customer).toEqual({ ref: 'A-C1', name: 'A Boulangerie Martin' });
    });

    it.skipIf(!engine.available)(
      'says how the customer pays: days late, reminders, last reply, oldest debt',
      async () => {
        const c1 = (await get<Page<CustomerRow>>('/api/customers?q=martin')).items[0]!;
        const sent = await sql<{ n: number }>`
        select count(*) as n from messages m join customers c on c.id = m.customer_id
         where c.org_id = ${a.org.id}::uuid and c.ref = 'A-C1' and m.status = 'sent'`.execute(db.store.db);
        expect(Number(sent.rows[0]!.n)).toBeGreaterThan(0);
        expect(c1.behaviour).toEqual({
          averageDaysLate: 16,
          paidInvoices: 1,
          reminders: Number(sent.rows[0]!.n),
          lastReminderOn: DAY,
          lastReply: { day: '2026-11-09', intent: 'promise_to_pay' },
          maxDaysOverdue: 40,
          bouncedContact: false,
        });
      },
    );

    it.skipIf(!engine.available)('finds customers by part of the name, the ref or an email', async () => {
      const refs = async (q: string) =>
        (await get<Page<CustomerRow>>(`/api/customers?q=${encodeURIComponent(q)}`)).items.map((c) => c.ref);
      expect(await refs('boulangerie')).toEqual(['A-C1']);
      expect(await refs('compta@a-MARTIN')).toEqual(['A-C1']);
      expect(await refs('a-c2')).toEqual(['A-C2']);
      expect(await refs('B Boulangerie')).toEqual([]);
      // A % is a character to find, not a wildcard.
      expect(await refs('%')).toEqual([]);
    });

    it.skipIf(!engine.available)('sorts by what is overdue and pages with a cursor', async () => {
      const first = await get<Page<CustomerRow>>('/api/customers?sort=overdue&limit=1');
      expect(first.items.map((c) => c.ref)).toEqual(['A-C1']);
      const second = await get<Page<CustomerRow>>(
        `/api/customers?sort=overdue&limit=1&cursor=${first.nextCursor}`,
      );
      expect(second.items.map((c) => c.ref)).toEqual(['A-C2']);
      expect(second.nextCursor).toBeNull();
      const asc = await get<Page<CustomerRow>>('/api/customers?sort=overdue&dir=asc');
      expect(asc.items.map((c) => c.ref)).toEqual(['A-C2', 'A-C1']);
      const wrong = await call(app, 'GET', `/api/customers?sort=name&cursor=${first.nextCursor}`, member);
      expect(wrong.statusCode).toBe(400);
    });

    it.skipIf(!engine.available)('shows a bounced contact on the list and on the customer', async () => {
      await db.store.db
        .updateTable('contacts')
        .set({ valid: false, invalid_reason: 'hard bounce 5.1.1 user unknown', invalid_since: '2026-11-08' })
        .where('org_id', '=', a.org.id)
        .where('email', '=', 'compta@a-martin.fr')
        .execute();
      try {
        const bounced = await get<Page<CustomerRow>>('/api/customers?bounced=true');
        expect(bounced.items.map((c) => [c.ref, c.behaviour.bouncedContact])).toEqual([['A-C1', true]]);
        const one = await get<{
          contacts: { valid: boolean; invalidReason: string; invalidSince: string }[];
        }>('/api/customers/A-C1');
        expect(one.contacts[0]).toMatchObject({
          valid: false,
          invalidReason: 'hard bounce 5.1.1 user unknown',
          invalidSince: '2026-11-08',
        });
      } finally {
        await db.store.db
          .updateTable('contacts')
          .set({ valid: true, invalid_reason: null, invalid_since: null })
          .where('org_id', '=', a.org.id)
          .where('email', '=', 'compta@a-martin.fr')
          .execute();
      }
    });

    it.skipIf(!engine.available)('marks a contact invalid with a reason, and valid again', async () => {
      const added = await call(app, 'POST', '/api/customers/A-C2/contacts', member, {
        email: 'paie@a-sans.fr',
      });
      expect(added.statusCode).toBe(200);
      const id = (
        await get<{ contacts: { id: string; email: string }[] }>('/api/customers/A-C2')
      ).contacts.find((k) => k.email === 'paie@a-sans.fr')!.id;
      const off = await call(app, 'PATCH', `/api/contacts/${id}`, member, {
        valid: false,
        invalidReason: 'left',
      });
      expect(off.json()).toMatchObject({ valid: false, invalidReason: 'left', invalidSince: DAY });
      const t = await get<Page<TimelineItem>>('/api/customers/A-C2/timeline?types=event');
      expect(t.items[0]!.event).toMatchObject({ kind: 'contact.invalidated', actor: 'api-key:A member key' });
      const on = await call(app, 'PATCH', `/api/contacts/${id}`, member, { valid: true });
      expect(on.json()).toMatchObject({ valid: true, invalidReason: null, invalidSince: null });
    });

    it.skipIf(!engine.available)(
      'reads one customer with its behaviour and open invoices’ next steps',
      async () => {
        const c = await get<CustomerRow & { invoices: InvoiceRow[] }>('/api/customers/A-C1');
        expect(c.behaviour.averageDaysLate).toBe(16);
        expect(c.invoices.map((i) => i.number)).toEqual(['A-F-1']);
        expect(c.invoices[0]!.nextStep?.plannedFor).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      },
    );
  });

  describe('a customer’s timeline', () => {
    it.skipIf(!engine.available)(
      'merges messages with their delivery status, replies, payments, tasks and decisions',
      async () => {
        const message = await db.store.db
          .selectFrom('messages as m')
          .innerJoin('customers as c', 'c.id', 'm.customer_id')
          .select('m.id')
          .where('c.org_id', '=', a.org.id)
          .where('c.ref', '=', 'A-C1')
          .executeTakeFirstOrThrow();
        await db.store.db
          .insertInto('message_events')
          .values({ org_id: a.org.id, message_id: message.id, kind: 'delivered' })
          .execute();
        const t = await get<Page<TimelineItem>>('/api/customers/A-C1/timeline?limit=100');
        const m = t.items.find((i) => i.type === 'message')!;
        expect(m).toMatchObject({ day: DAY, invoices: ['A-F-1', 'A-F-2'], message: { status: 'delivered' } });
        const reply = t.items.find((i) => i.type === 'reply')!;
        expect(reply).toMatchObject({
          day: '2026-11-09',
          invoices: ['A-F-1'],
          reply: { intent: 'promise_to_pay', decisions: [{ reason: 'promised to pay on 30 Nov' }] },
        });
        const payments = t.items.filter((i) => i.type === 'payment');
        expect(payments.map((p) => [p.day, p.payment!.amount, p.payment!.allocations])).toEqual([
          ['2026-11-06', '200.00', [{ invoice: 'A-F-1', amount: '200.00' }]],
          ['2026-11-05', '300.00', [{ invoice: 'A-F-2', amount: '300.00' }]],
        ]);
        // Newest first by day: the run's message (10 Nov) before the reply (9 Nov) and the payments.
        const days = t.items.map((i) => i.day);
        expect(days).toEqual([...days].sort().reverse());
        // The message's own line in the history is not shown twice.
        expect(t.items.some((i) => i.event?.kind.startsWith('message.'))).toBe(false);
        expect(t.items.some((i) => i.event?.kind === 'dunning.queued')).toBe(false);
      },
    );

    it.skipIf(!engine.available)('shows the task opened for a customer without an address', async () => {
      const t = await get<Page<TimelineItem>>('/api/customers/A-C2/timeline?types=task');
      expect(t.items.map((i) => [i.type, i.task!.kind])).toEqual([['task', 'missing_contact']]);
    });

    it.skipIf(!engine.available)(
      'pages through the timeline without losing or repeating an item',
      async () => {
        const all = await get<Page<TimelineItem>>('/api/customers/A-C1/timeline?limit=500');
        expect(all.items.length).toBeGreaterThanOrEqual(4);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Page<TimelineItem> = await get<Page<TimelineItem>>(
            `/api/customers/A-C1/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          );
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all.items.map((i) => i.id));
        expect(
          (await call(app, 'GET', '/api/customers/A-C1/timeline?types=letters', member)).statusCode,
        ).toBe(400);
        expect((await call(app, 'GET', '/api/customers/NOPE/timeline', member)).statusCode).toBe(404);
      },
    );
  });

  describe('invoices', () => {
    it.skipIf(!engine.available)('searches by number, customer or PO, and sorts by due date', async () => {
      const numbers = async (url: string) => (await get<Page<InvoiceRow>>(url)).items.map((i) => i.number);
      expect(await numbers('/api/invoices?q=sans%20contact')).toEqual(['A-F-3']);
      expect(await numbers('/api/invoices?q=F-2')).toEqual(['A-F-2']);
      expect(await numbers('/api/invoices?sort=dueDate&dir=desc')).toEqual(['A-F-2', 'A-F-1', 'A-F-3']);
      expect(await numbers('/api/invoices?sort=outstanding&dir=desc&status=open,partially_paid')).toEqual([
        'A-F-1',
        'A-F-3',
      ]);
    });

    it.skipIf(!engine.available)(
      'pages a sorted list with a cursor and gives each its next step',
      async () => {
        const first = await get<Page<InvoiceRow>>('/api/invoices?sort=dueDate&dir=desc&limit=2');
        const rest = await get<Page<InvoiceRow>>(
          `/api/invoices?sort=dueDate&dir=desc&limit=2&cursor=${first.nextCursor}`,
        );
        expect([...first.items, ...rest.items].map((i) => i.number)).toEqual(['A-F-2', 'A-F-1', 'A-F-3']);
        expect(rest.nextCursor).toBeNull();
        const f1 = first.items.find((i) => i.number === 'A-F-1')!;
        const state = await db.store.db
          .selectFrom('dunning_state')
          .select(['next_level', 'next_date'])
          .where('invoice_id', '=', await idOf('A-F-1'))
          .executeTakeFirstOrThrow();
        expect(f1.nextStep).toMatchObject({ level: state.next_level, plannedFor: state.next_date });
        expect(first.items.find((i) => i.number === 'A-F-2')!.nextStep).toBeNull();
        const other = await call(app, 'GET', `/api/invoices?sort=number&cursor=${first.nextCursor}`, member);
        expect(other.statusCode).toBe(400);
      },
    );

    it.skipIf(!engine.available)(
      'reads an invoice with the plan of its next steps and its reminders',
      async () => {
        const inv = await get<{
          plan: {
            from: string;
            steps: { date: string; level: number | null; invoices: string[]; kind: string }[];
          };
          reminders: { delivery: string }[];
          dunning: { remindersSent: number } | null;
          settlements: { amount: string; kind: string }[];
        }>('/api/invoices/A-F-1');
        expect(inv.plan.from).toBe(DAY);
        const steps = inv.plan.steps.filter((s) => s.level !== null);
        expect(steps.length).toBeGreaterThan(0);
        expect(steps.every((s) => s.date > DAY && s.invoices.includes('A-F-1'))).toBe(true);
        const levels = steps.map((s) => s.level!);
        expect(levels).toEqual([...levels].sort((x, y) => x - y));
        expect(levels[0]!).toBeGreaterThan(0);
        expect(inv.reminders[0]!.delivery).toBe('delivered');
        expect(inv.dunning?.remindersSent).toBe(1);
        expect(inv.settlements).toEqual([expect.objectContaining({ amount: '200.00', kind: 'payment' })]);
      },
    );
  });
});
