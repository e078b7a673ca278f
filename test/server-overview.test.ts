// The overview: what is owed per currency and how late, DSO, what the agent did on the day and will
// do at its next run, open tasks; on a small ledger whose every figure is worked out by hand below.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/store.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { bearer, call, DAY, type SeededOrg, seedOrg, signIn, testApp } from './support/server.ts';

interface Figures {
  currency: string;
  outstanding: string;
  invoices: string;
  credits: string;
  overdue: string;
  disputed: string;
  openCount: number;
  overdueCount: number;
  disputedCount: number;
  buckets: {
    bucket: string;
    minDays: number | null;
    maxDays: number | null;
    amount: string;
    count: number;
  }[];
  dso: { days: number | null; sales: string; windowDays: number };
}
interface Overview {
  today: string;
  currency: string;
  currencies: Figures[];
  activity: Record<string, number | { amount: string; currency: string }[]>;
  next: {
    day: string;
    messages: number;
    customers: number;
    invoices: number;
    amounts: { amount: string; currency: string }[];
    awaitingApproval: number;
  };
  tasks: { open: number; byKind: { kind: string; count: number }[] };
}

const YESTERDAY = '2026-11-09';

interface Doc {
  number: string;
  customer?: string;
  type?: 'invoice' | 'credit_note';
  issue: string;
  due: string;
  currency?: string;
  total: number;
  outstanding?: number;
  status?: string;
}

/**
 * DAY is Tuesday 10 November 2026. Besides seedOrg's A-F-1 (1200, due 1 Oct: 40 days late),
 * A-F-2 (300, due 20 Oct: 21 days) and A-F-3 (80, due 1 Oct: 40 days), all EUR issued in September:
 */
const LEDGER: Doc[] = [
  { number: 'A-F-4', issue: '2026-11-01', due: DAY, total: 50000 }, // due today: not yet due
  {
    number: 'A-F-5',
    issue: '2026-08-10',
    due: '2026-09-10',
    total: 100000,
    outstanding: 25000,
    status: 'partially_paid',
  }, // 61 days
  { number: 'A-F-6', issue: '2026-07-11', due: '2026-08-11', total: 70000, status: 'disputed' }, // 91 days
  { number: 'A-F-7', issue: '2026-10-01', due: '2026-07-01', total: 99900, status: 'cancelled' },
  { number: 'A-F-8', issue: '2026-10-15', due: '2026-07-01', total: 44400, status: 'written_off' },
  { number: 'A-F-9', issue: '2026-10-10', due: '2026-11-09', total: 60000, outstanding: 0, status: 'paid' },
  { number: 'A-F-10', issue: '2026-07-01', due: '2026-10-11', total: 1000 }, // 30 days
  { number: 'A-F-11', customer: 'A-C3', issue: '2026-08-13', due: '2026-10-10', total: 2000 }, // 31 days
  { number: 'A-F-12', issue: '2026-08-12', due: '2026-08-12', total: 3000 }, // 90 days
  { number: 'A-AV-1', type: 'credit_note', issue: '2026-11-05', due: '2026-11-05', total: 10000 }, // unused
  {
    number: 'A-AV-2',
    type: 'credit_note',
    issue: '2026-10-25',
    due: '2026-10-25',
    total: 5000,
    outstanding: 0,
    status: 'paid',
  },
  { number: 'A-G-1', issue: '2026-10-01', due: '2026-10-31', currency: 'GBP', total: 30050 }, // 10 days
  { number: 'A-CH-1', issue: '2025-12-01', due: '2026-01-01', currency: 'CHF', total: 10000 }, // long ago
];

async function customerId(db: Db, orgId: string, ref: string): Promise<string> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('org_id', '=', orgId)
    .where('ref', '=', ref)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function addDocs(db: Db, orgId: string, docs: Doc[]): Promise<Map<string, string>> {
  for (const d of docs) {
    const outstanding = d.outstanding ?? d.total;
    await db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: await customerId(db, orgId, d.customer ?? `${d.number.split('-')[0]}-C1`),
        number: d.number,
        type: d.type ?? 'invoice',
        issue_date: d.issue,
        due_date: d.due,
        currency: d.currency ?? 'EUR',
        total: d.total,
        outstanding,
        source_outstanding: outstanding,
        status: d.status ?? 'open',
      })
      .execute();
  }
  const rows = await db.selectFrom('invoices').select(['id', 'number']).where('org_id', '=', orgId).execute();
  return new Map(rows.map((r) => [r.number, r.id]));
}

/** The agent's day on DAY (and around it) for A: messages, replies, payments, tasks, planned steps. */
async function addActivity(db: Db, orgId: string, ids: Map<string, string>): Promise<void> {
  const c1 = await customerId(db, orgId, 'A-C1');
  const c2 = await customerId(db, orgId, 'A-C2');
  const c3 = await customerId(db, orgId, 'A-C3');
  const message = (key: string, day: string, status: string, amount: number) => ({
    org_id: orgId,
    customer_id: c1,
    idempotency_key: key,
    day,
    status,
    language: 'fr',
    subject: 'Relance',
    text_body: 'Bonjour',
    reason: 'test',
    currency: 'EUR',
    amount,
  });
  await db
    .insertInto('messages')
    .values([
      message('sent', DAY, 'sent', 150000),
      message('bounced', DAY, 'bounced', 2000),
      message('queued', DAY, 'queued', 8000),
      message('approval', DAY, 'awaiting_approval', 30000),
      message('approval-old', YESTERDAY, 'awaiting_approval', 30000),
      message('failed', DAY, 'failed', 1000),
      message('withdrawn', DAY, 'cancelled', 5000),
      message('yesterday', YESTERDAY, 'sent', 7000),
    ])
    .execute();
  const inbound = (id: string, day: string, status: string, intent?: string) => ({
    org_id: orgId,
    message_id: `<${id}@a.example>`,
    via: 'file',
    raw: 'x',
    size: 1,
    received_on: day,
    status,
    analysis: intent ? JSON.stringify({ kind: 'reply', intent }) : null,
  });
  await db
    .insertInto('inbound_messages')
    .values([
      inbound('promise', DAY, 'acted', 'promise_to_pay'),
      inbound('question', DAY, 'noted', 'document_request'),
      inbound('bounce', DAY, 'bounce'),
      inbound('old', YESTERDAY, 'acted', 'promise_to_pay'),
    ])
    .execute();
  await db
    .insertInto('payments')
    .values([
      { org_id: orgId, customer_id: c1, amount: 10000, currency: 'EUR', received_on: DAY },
      { org_id: orgId, customer_id: c1, amount: 2500, currency: 'GBP', received_on: DAY },
      { org_id: orgId, customer_id: c1, amount: 9999, currency: 'EUR', received_on: DAY, reversed_on: DAY },
      { org_id: orgId, customer_id: c1, amount: 7777, currency: 'EUR', received_on: YESTERDAY },
    ])
    .execute();
  const task = (key: string, kind: string, status: string, on: string) => ({
    org_id: orgId,
    customer_id: c1,
    kind,
    cause_key: key,
    status,
    title: kind,
    created_on: on,
  });
  await db
    .insertInto('tasks')
    .values([
      task('t1', 'no_answer', 'open', DAY),
      task('t2', 'no_answer', 'open', YESTERDAY),
      task('t3', 'dispute', 'open', YESTERDAY),
      task('t4', 'missing_contact', 'done', DAY),
      task('t5', 'refusal', 'dismissed', YESTERDAY),
    ])
    .execute();
  // Wednesday 11 November is Armistice Day: the next run is on Thursday the 12th, and takes
  // everything planned up to it.
  const step = (number: string, customer: string, date: string, status = 'planned') => ({
    invoice_id: ids.get(number)!,
    org_id: orgId,
    customer_id: customer,
    next_level: 1,
    next_date: date,
    next_status: status,
  });
  await db
    .insertInto('dunning_state')
    .values([
      step('A-F-1', c1, '2026-11-12'),
      step('A-F-2', c1, '2026-11-12', 'deferred'),
      step('A-G-1', c1, '2026-11-11'),
      step('A-F-3', c2, '2026-11-11', 'blocked'),
      step('A-F-11', c3, '2026-11-12'),
      step('A-F-4', c1, '2026-11-13'),
      step('A-F-5', c1, DAY),
      step('A-F-6', c1, '2026-11-02', 'postponed'),
    ])
    .execute();
}

describe.each(engines)('the overview on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;
  let b: SeededOrg;
  let overview: Overview;

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    b = await seedOrg(db.store, 'B');
    const store = db.store.db;
    await store
      .insertInto('customers')
      .values({ org_id: a.org.id, ref: 'A-C3', name: 'A Grand Compte', country: 'FR', strategic: true })
      .execute();
    await addActivity(store, a.org.id, await addDocs(store, a.org.id, LEDGER));
    // B's ledger and day, which A must never see.
    await addDocs(store, b.org.id, [
      { number: 'B-U-1', issue: '2026-10-01', due: '2026-10-15', currency: 'USD', total: 123400 },
    ]);
    await store
      .insertInto('tasks')
      .values({ org_id: b.org.id, kind: 'refusal', cause_key: 'b1', title: 'B', created_on: DAY })
      .execute();
    await store
      .insertInto('payments')
      .values({ org_id: b.org.id, amount: 50000, currency: 'EUR', received_on: DAY })
      .execute();
    ({ app } = await testApp(db.store));
    const r = await call(app, 'GET', '/api/overview', bearer(a.keys.read_only));
    expect(r.statusCode).toBe(200);
    overview = r.json<Overview>();
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  const figures = (currency: string) => overview.currencies.find((c) => c.currency === currency)!;

  it.skipIf(!engine.available)(
    'lists the organisation’s currency first, then the others, each on its own',
    () => {
      expect(overview.today).toBe(DAY);
      expect(overview.currency).toBe('EUR');
      expect(overview.currencies.map((c) => c.currency)).toEqual(['EUR', 'CHF', 'GBP']);
    },
  );

  it.skipIf(!engine.available)(
    'puts each invoice still due in its age bucket, due today in "not yet due", 30 days late in 1–30, 90 in 61–90',
    () => {
      expect(figures('EUR').buckets).toEqual([
        { bucket: 'not_due', minDays: null, maxDays: 0, amount: '500.00', count: 1 },
        { bucket: 'days_1_30', minDays: 1, maxDays: 30, amount: '310.00', count: 2 },
        { bucket: 'days_31_60', minDays: 31, maxDays: 60, amount: '1300.00', count: 3 },
        { bucket: 'days_61_90', minDays: 61, maxDays: 90, amount: '280.00', count: 2 },
        { bucket: 'over_90', minDays: 91, maxDays: null, amount: '700.00', count: 1 },
      ]);
      expect(figures('GBP').buckets.map((x) => [x.amount, x.count])).toEqual([
        ['0.00', 0],
        ['300.50', 1],
        ['0.00', 0],
        ['0.00', 0],
        ['0.00', 0],
      ]);
    },
  );

  it.skipIf(!engine.available)(
    'leaves out cancelled, written-off and paid invoices, and takes unused credit notes off what is owed',
    () => {
      expect(figures('EUR')).toMatchObject({
        invoices: '3090.00',
        credits: '100.00',
        outstanding: '2990.00',
        overdue: '2590.00',
        openCount: 9,
        overdueCount: 8,
        disputed: '700.00',
        disputedCount: 1,
      });
      expect(figures('GBP')).toMatchObject({ outstanding: '300.50', overdue: '300.50', credits: '0.00' });
    },
  );

  it.skipIf(!engine.available)(
    'measures DSO against the last 90 days of sales, net of credit notes, cancelled ones left out',
    () => {
      // 1200 + 300 + 80 + 500 + 444 (written off, but sold) + 600 (paid) + 20 − 100 − 50; A-F-7 is
      // cancelled, A-F-12 was issued 90 days ago (outside), A-F-5 and A-F-6 earlier still.
      expect(figures('EUR').dso).toEqual({ days: 90, sales: '2994.00', windowDays: 90 });
      // 2990 / 2994 × 90 = 89.88
      expect(figures('GBP').dso).toEqual({ days: 90, sales: '300.50', windowDays: 90 });
      expect(figures('CHF').dso).toEqual({ days: null, sales: '0.00', windowDays: 90 });
    },
  );

  it.skipIf(!engine.available)(
    'counts what the agent did today: messages by outcome, replies, bounces, payments not reversed, tasks opened',
    () => {
      expect(overview.activity).toEqual({
        messagesSent: 2,
        messagesQueued: 1,
        awaitingApproval: 1,
        messagesFailed: 1,
        reminded: [{ amount: '1600.00', currency: 'EUR' }],
        replies: 2,
        promises: 1,
        bounces: 1,
        payments: 2,
        paid: [
          { amount: '100.00', currency: 'EUR' },
          { amount: '25.00', currency: 'GBP' },
        ],
        tasksOpened: 2,
        pending: 1,
      });
    },
  );

  it.skipIf(!engine.available)(
    'plans the next business day’s run past a public holiday, one message per customer and day, none for blocked steps or strategic customers',
    () => {
      expect(overview.next).toMatchObject({
        day: '2026-11-12',
        messages: 2,
        customers: 1,
        invoices: 3,
        awaitingApproval: 2,
      });
      expect(overview.next.amounts).toEqual([
        { amount: '1500.00', currency: 'EUR' },
        { amount: '300.50', currency: 'GBP' },
      ]);
    },
  );

  it.skipIf(!engine.available)('counts open tasks by kind, most first', () => {
    expect(overview.tasks).toEqual({
      open: 3,
      byKind: [
        { kind: 'no_answer', count: 2 },
        { kind: 'dispute', count: 1 },
      ],
    });
  });

  it.skipIf(!engine.available)('shows another organisation only its own figures', async () => {
    const r = await call(app, 'GET', '/api/overview', bearer(b.keys.member));
    expect(r.statusCode).toBe(200);
    const theirs = r.json<Overview>();
    expect(theirs.currencies.map((c) => [c.currency, c.outstanding])).toEqual([
      ['EUR', '1580.00'],
      ['USD', '1234.00'],
    ]);
    expect(theirs.activity).toMatchObject({
      messagesSent: 0,
      payments: 1,
      paid: [{ amount: '500.00', currency: 'EUR' }],
    });
    expect(theirs.next).toMatchObject({ messages: 0, awaitingApproval: 0, amounts: [] });
    expect(theirs.tasks).toEqual({ open: 1, byKind: [{ kind: 'refusal', count: 1 }] });
    expect(overview.currencies.map((c) => c.currency)).not.toContain('USD');
  });

  it.skipIf(!engine.available)(
    'is open to every role, with a session or an API key, and to no one without credentials',
    async () => {
      const reader = await signIn(app, 'read_only@a.example');
      const bySession = await call(app, 'GET', '/api/overview', { cookie: reader.cookie });
      expect(bySession.statusCode).toBe(200);
      expect(bySession.json<Overview>().currencies[0]!.outstanding).toBe('2990.00');
      expect((await call(app, 'GET', '/api/overview', bearer(a.keys.admin))).statusCode).toBe(200);
      const none = await call(app, 'GET', '/api/overview', {});
      expect(none.statusCode).toBe(401);
      expect(none.body).not.toContain('2990');
      const revoked = await call(app, 'GET', '/api/overview', bearer(`${a.keys.read_only}x`));
      expect(revoked.statusCode).toBe(401);
      expect((await call(app, 'POST', '/api/overview', bearer(a.keys.admin), {})).statusCode).toBe(404);
    },
  );
});
