// The dashboard's overview: what is owed and how late, DSO, what the agent did today and will do next.
// Every figure is aggregated in SQL, each query scoped by org_id and started from an index on it, so
// the request gets back a few dozen rows whatever the size of the ledger. Two scans still read all of
// the organisation's rows of their table, for want of an index: sales by issue date (DSO) and
// payments by day; (org_id, issue_date) and (org_id, received_on) indexes would narrow them.
import { sql } from 'kysely';
import { z } from 'zod';
import { nextBusinessDay } from '../../calendar/business-days.ts';
import { addDays, type PlainDate } from '../../calendar/plain-date.ts';
import { formatDecimal } from '../../ledger/money.ts';
import type { Db } from '../../store/store.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { plainDate } from '../schemas.ts';

/** The window of sales DSO is measured against. */
const DSO_DAYS = 90;

const AGE_BUCKETS = ['not_due', 'days_1_30', 'days_31_60', 'days_61_90', 'over_90'] as const;
/** Days past the due date each bucket covers, from and up to (null: open-ended). */
const BUCKET_DAYS: [number | null, number | null][] = [
  [null, 0],
  [1, 30],
  [31, 60],
  [61, 90],
  [91, null],
];

interface OwedTally {
  credits: number;
  disputed: number;
  disputedCount: number;
  /** Per age bucket. */
  sums: number[];
  counts: number[];
}

const emptyTally = (): OwedTally => ({
  credits: 0,
  disputed: 0,
  disputedCount: 0,
  sums: [0, 0, 0, 0, 0],
  counts: [0, 0, 0, 0, 0],
});

/**
 * Documents still owed, as the ledger derives them: an amount left, and a status that still counts
 * (cancelled and written-off documents are not owed; a paid one has nothing left). Written out as a
 * list so that the (org_id, status, …) index answers it.
 */
const LIVE = sql`status in ('open', 'partially_paid', 'disputed')`;

const amount = z.object({ amount: z.string(), currency: z.string() });

const bucket = z.object({
  bucket: z.enum(AGE_BUCKETS),
  minDays: z.number().nullable().describe('days past the due date, from (null: not yet due)'),
  maxDays: z.number().nullable().describe('days past the due date, up to (null: no upper bound)'),
  amount: z.string(),
  count: z.number(),
});

const currencyFigures = z.object({
  currency: z.string(),
  outstanding: z
    .string()
    .describe('what customers owe: invoices still due minus credit notes not yet used (may be negative)'),
  invoices: z.string().describe('invoices still due, before credit notes: the sum of the age buckets'),
  credits: z.string().describe('credit notes not yet used'),
  overdue: z.string().describe('invoices still due whose due date has passed'),
  disputed: z.string().describe('invoices still due that a customer disputes (counted in the buckets)'),
  openCount: z.number().describe('invoices still due'),
  overdueCount: z.number(),
  disputedCount: z.number(),
  buckets: z.array(bucket).describe('invoices still due by days past their due date, in this order'),
  dso: z.object({
    days: z
      .number()
      .nullable()
      .describe(
        `days sales outstanding: outstanding ÷ sales of the last ${DSO_DAYS} days × ${DSO_DAYS}, rounded; ` +
          'null when nothing was invoiced in the window',
      ),
    sales: z
      .string()
      .describe(
        `invoices issued in the last ${DSO_DAYS} days (today included) minus credit notes issued then; cancelled documents left out`,
      ),
    windowDays: z.number(),
  }),
});

const overviewResponse = z.object({
  today: plainDate.describe("the organisation's today"),
  currency: z.string().describe("the organisation's currency (listed first in currencies)"),
  currencies: z
    .array(currencyFigures)
    .describe('one entry per currency with something owed or invoiced lately; amounts are never converted'),
  activity: z
    .object({
      messagesSent: z.number().describe('messages for today that left (a later bounce included)'),
      messagesQueued: z.number().describe('messages for today waiting for the sender'),
      awaitingApproval: z.number().describe('messages for today waiting for a person to approve them'),
      messagesFailed: z.number().describe('messages for today that could not leave (failed, held back)'),
      reminded: z.array(amount).describe('what the messages sent or queued today ask for, per currency'),
      replies: z.number().describe('customer replies received today (automatic replies included)'),
      promises: z.number().describe('replies today that promise to pay'),
      bounces: z.number().describe('bounce reports received today'),
      payments: z.number().describe('payments received today (their day of receipt), not reversed'),
      paid: z.array(amount).describe('their amounts, per currency'),
      tasksOpened: z.number().describe('tasks opened today (by the agent or by a person)'),
      pending: z
        .number()
        .describe(
          'customers whose reminder is due today or earlier and not yet written (the daily run is still to come)',
        ),
    })
    .describe('what the agent did today'),
  next: z
    .object({
      day: plainDate.describe("the next business day in the organisation's country: the next daily run"),
      messages: z.number().describe('messages planned after today up to that day (one per customer and day)'),
      customers: z.number(),
      invoices: z.number(),
      amounts: z.array(amount).describe('what they ask for, per currency'),
      awaitingApproval: z.number().describe('messages, of any day, waiting for a person to approve them'),
    })
    .describe('what the agent will do at its next run, from the planned steps (the queue)'),
  tasks: z.object({
    open: z.number(),
    byKind: z.array(z.object({ kind: z.string(), count: z.number() })).describe('most first'),
  }),
});

type Overview = z.infer<typeof overviewResponse>;

/**
 * Documents still owed, grouped by currency and age bucket (0 to 4 in AGE_BUCKETS' order; -1 for
 * credit notes): a few dozen rows, so the database evaluates one expression per document and the
 * sums by kind are added up here.
 */
function receivables(db: Db, orgId: string, today: PlainDate) {
  return sql<{ currency: string; bucket: number; disputed: boolean; n: number; amount: number }>`
    select currency,
           case when type = 'credit_note' then -1
                when due_date >= ${today}::date then 0
                when due_date >= ${addDays(today, -30)}::date then 1
                when due_date >= ${addDays(today, -60)}::date then 2
                when due_date >= ${addDays(today, -90)}::date then 3
                else 4 end as bucket,
           status = 'disputed' as disputed, count(*) as n, sum(outstanding)::bigint as amount
      from invoices
     where org_id = ${orgId}::uuid and ${LIVE} and outstanding > 0
     group by 1, 2, 3`.execute(db);
}

function sales(db: Db, orgId: string, today: PlainDate) {
  return sql<{ currency: string; sales: number }>`
    select currency, sum(case when type = 'invoice' then total else -total end)::bigint as sales
      from invoices
     where org_id = ${orgId}::uuid and issue_date > ${addDays(today, -DSO_DAYS)}::date
       and issue_date <= ${today}::date and status <> 'cancelled'
     group by currency`.execute(db);
}

// Every status listed, so that the (org_id, status, day) outbox index finds the day's messages.
const MESSAGE_STATUSES = [
  'awaiting_approval',
  'queued',
  'sending',
  'sent',
  'failed',
  'cancelled',
  'suspended',
  'bounced',
];

function todaysMessages(db: Db, orgId: string, today: PlainDate) {
  return sql<{ status: string; currency: string | null; n: number; amount: number | null }>`
    select status, currency, count(*) as n, sum(amount)::bigint as amount
      from messages
     where org_id = ${orgId}::uuid and status = any(${MESSAGE_STATUSES}::text[]) and day = ${today}::date
     group by status, currency`.execute(db);
}

function todaysInbound(db: Db, orgId: string, today: PlainDate) {
  return sql<{ replies: number; promises: number; bounces: number }>`
    select count(*) filter (where status <> 'bounce') as replies,
           count(*) filter (where status <> 'bounce' and analysis->>'intent' = 'promise_to_pay') as promises,
           count(*) filter (where status = 'bounce') as bounces
      from inbound_messages
     where org_id = ${orgId}::uuid and received_on = ${today}::date`.execute(db);
}

function todaysPayments(db: Db, orgId: string, today: PlainDate) {
  return sql<{ currency: string; n: number; amount: number }>`
    select currency, count(*) as n, sum(amount)::bigint as amount
      from payments
     where org_id = ${orgId}::uuid and received_on = ${today}::date and reversed_on is null
     group by currency`.execute(db);
}

function tasks(db: Db, orgId: string, today: PlainDate) {
  return sql<{ kind: string | null; open: number; opened_today: number }>`
    select kind, count(*) as open, 0::bigint as opened_today
      from tasks where org_id = ${orgId}::uuid and status = 'open' group by kind
    union all
    select null, 0::bigint, count(*)
      from tasks where org_id = ${orgId}::uuid and status in ('open', 'done', 'dismissed')
       and created_on = ${today}::date`.execute(db);
}

/**
 * The planned steps (dunning_state, which the daily run keeps up to date and the queue lists) due up
 * to `until`, split into those due by `today` (still to be written: the day's run has not come yet)
 * and those after it. One message per customer and day; blocked steps (no valid contact) and
 * strategic customers (told to the team, not written to) send nothing.
 */
function planned(db: Db, orgId: string, today: PlainDate, until: PlainDate) {
  return sql<{
    later: boolean;
    currency: string | null;
    messages: number;
    customers: number;
    invoices: number;
    amount: number;
  }>`
    with due as (
      select d.customer_id, d.next_date, d.next_date > ${today}::date as later, i.currency, i.outstanding
        from dunning_state d
        join invoices i on i.org_id = d.org_id and i.id = d.invoice_id
        join customers c on c.org_id = d.org_id and c.id = d.customer_id
       where d.org_id = ${orgId}::uuid and d.next_date <= ${until}::date
         and d.next_status is distinct from 'blocked' and not c.strategic and i.outstanding > 0
    )
    select later, null as currency, count(distinct (customer_id, next_date)) as messages,
           count(distinct customer_id) as customers, count(*) as invoices, 0::bigint as amount
      from due group by later
    union all
    select later, currency, 0, 0, count(*), sum(outstanding)::bigint from due group by later, currency`.execute(
    db,
  );
}

function awaitingApproval(db: Db, orgId: string) {
  return sql<{ n: number }>`
    select count(*) as n from messages
     where org_id = ${orgId}::uuid and status = 'awaiting_approval'`.execute(db);
}

const money = (minor: number, currency: string) => ({ amount: formatDecimal(minor, currency), currency });

export async function overviewFor(
  db: Db,
  org: { id: string; currency: string; country: string },
  today: PlainDate,
): Promise<Overview> {
  const nextDay = nextBusinessDay(addDays(today, 1), org.country);
  const [open, sold, messages, inbound, paid, taskRows, steps, awaiting] = await Promise.all([
    receivables(db, org.id, today),
    sales(db, org.id, today),
    todaysMessages(db, org.id, today),
    todaysInbound(db, org.id, today),
    todaysPayments(db, org.id, today),
    tasks(db, org.id, today),
    planned(db, org.id, today, nextDay),
    awaitingApproval(db, org.id),
  ]);

  const salesBy = new Map(sold.rows.map((r) => [r.currency, Number(r.sales)]));
  const owedBy = new Map<string, OwedTally>();
  for (const r of open.rows) {
    let t = owedBy.get(r.currency);
    if (!t) {
      t = emptyTally();
      owedBy.set(r.currency, t);
    }
    const minor = Number(r.amount);
    const bucket = Number(r.bucket);
    if (bucket < 0) {
      t.credits += minor;
      continue;
    }
    t.sums[bucket]! += minor;
    t.counts[bucket]! += Number(r.n);
    if (r.disputed) {
      t.disputed += minor;
      t.disputedCount += Number(r.n);
    }
  }
  // The organisation's own currency first, then the others in alphabetical order, in every list.
  const currencyOrder = (a: string, b: string) =>
    a === b ? 0 : a === org.currency ? -1 : b === org.currency ? 1 : a < b ? -1 : 1;
  const amounts = (rows: { currency: string; minor: number }[]) =>
    rows.sort((x, y) => currencyOrder(x.currency, y.currency)).map((r) => money(r.minor, r.currency));
  const currencies = [...new Set([...owedBy.keys(), ...salesBy.keys()])].sort(currencyOrder);
  const total = (xs: number[], from = 0) => xs.slice(from).reduce((s, x) => s + x, 0);
  const figures = currencies.map((currency) => {
    const t = owedBy.get(currency) ?? emptyTally();
    const invoices = total(t.sums);
    const owed = invoices - t.credits;
    const sales = salesBy.get(currency) ?? 0;
    return {
      currency,
      outstanding: formatDecimal(owed, currency),
      invoices: formatDecimal(invoices, currency),
      credits: formatDecimal(t.credits, currency),
      overdue: formatDecimal(total(t.sums, 1), currency),
      disputed: formatDecimal(t.disputed, currency),
      openCount: total(t.counts),
      overdueCount: total(t.counts, 1),
      disputedCount: t.disputedCount,
      buckets: AGE_BUCKETS.map((bucket, i) => ({
        bucket,
        minDays: BUCKET_DAYS[i]![0],
        maxDays: BUCKET_DAYS[i]![1],
        amount: formatDecimal(t.sums[i]!, currency),
        count: t.counts[i]!,
      })),
      dso: {
        // More credit than debt owes nothing: no days outstanding, not negative ones.
        days: sales > 0 ? Math.round((Math.max(0, owed) / sales) * DSO_DAYS) : null,
        sales: formatDecimal(sales, currency),
        windowDays: DSO_DAYS,
      },
    };
  });

  const count = (statuses: string[]) =>
    messages.rows.filter((m) => statuses.includes(m.status)).reduce((s, m) => s + Number(m.n), 0);
  const reminded = new Map<string, number>();
  for (const m of messages.rows)
    if (m.currency && m.amount !== null && ['sent', 'bounced', 'queued', 'sending'].includes(m.status))
      reminded.set(m.currency, (reminded.get(m.currency) ?? 0) + Number(m.amount));
  const inboundRow = inbound.rows[0];
  const kinds = taskRows.rows.filter((t) => t.kind !== null);
  const nextRows = steps.rows.filter((r) => r.later);
  const nextTotals = nextRows.find((r) => r.currency === null);

  return {
    today,
    currency: org.currency,
    currencies: figures,
    activity: {
      messagesSent: count(['sent', 'bounced']),
      messagesQueued: count(['queued', 'sending']),
      awaitingApproval: count(['awaiting_approval']),
      messagesFailed: count(['failed', 'suspended']),
      reminded: amounts([...reminded].map(([currency, minor]) => ({ currency, minor }))),
      replies: Number(inboundRow?.replies ?? 0),
      promises: Number(inboundRow?.promises ?? 0),
      bounces: Number(inboundRow?.bounces ?? 0),
      payments: paid.rows.reduce((s, p) => s + Number(p.n), 0),
      paid: amounts(paid.rows.map((p) => ({ currency: p.currency, minor: Number(p.amount) }))),
      tasksOpened: taskRows.rows.reduce((s, t) => s + Number(t.opened_today), 0),
      pending: Number(steps.rows.find((r) => !r.later && r.currency === null)?.customers ?? 0),
    },
    next: {
      day: nextDay,
      messages: Number(nextTotals?.messages ?? 0),
      customers: Number(nextTotals?.customers ?? 0),
      invoices: Number(nextTotals?.invoices ?? 0),
      amounts: amounts(
        nextRows.flatMap((r) =>
          r.currency === null ? [] : [{ currency: r.currency, minor: Number(r.amount) }],
        ),
      ),
      awaitingApproval: Number(awaiting.rows[0]?.n ?? 0),
    },
    tasks: {
      open: kinds.reduce((s, t) => s + Number(t.open), 0),
      byKind: kinds
        .map((t) => ({ kind: t.kind!, count: Number(t.open) }))
        .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1)),
    },
  };
}

export const registerOverview: RouteModule = (api: Api, deps) => {
  api.get(
    '/overview',
    {
      schema: {
        tags: ['overview'],
        summary:
          'What is owed and how late, per currency (age buckets, DSO); what the agent did today and will do at its next run; open tasks',
        response: { 200: overviewResponse },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      return overviewFor(deps.store.db, org, todayFor(deps, org));
    },
  );
};
