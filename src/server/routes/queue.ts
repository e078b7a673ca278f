// The reminder queue and what a person does with it: the same actions as `ardent queue …`,
// recorded in the history under the caller's name.
import { z } from 'zod';
import { previewMessage } from '../../dunning/preview.ts';
import { listQueue, listQueuePage, type QueueCursor, type QueueItem } from '../../dunning/queue.ts';
import {
  approve,
  cancel,
  exclude,
  markPaid,
  postpone,
  requestSendNow,
  resume,
} from '../../dunning/queue-actions.ts';
import { runDay } from '../../dunning/run.ts';
import type { Organisation } from '../../ledger/organisations.ts';
import type { Db } from '../../store/store.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { deliverDue } from '../delivery.ts';
import { decodeCursor, encodeCursor, pageQuery } from '../pagination.ts';
import { badRequest, notFound } from '../problems.ts';
import {
  actionResult,
  commaList,
  customerRef as customerRefSchema,
  page,
  plainDate,
  queueItem,
  target,
} from '../schemas.ts';
import { customerByRef } from './customers.ts';

const QUEUE_SORTS = ['plannedFor', 'amount', 'daysOverdue', 'level', 'priority', 'customer'] as const;
type QueueSort = (typeof QUEUE_SORTS)[number];

const offsetCursor = z.object({ offset: z.number().int().min(0) });

const messagePreview = z.object({
  customer: customerRefSchema,
  day: z.string(),
  source: z.enum(['awaiting_approval', 'planned']),
  level: z.number(),
  channel: z.enum(['email', 'letter', 'both']),
  language: z.string(),
  to: z.array(z.object({ name: z.string().nullable(), email: z.string().nullable() })),
  subject: z.string(),
  text: z.string(),
  invoices: z.array(z.object({ number: z.string(), amount: z.string(), currency: z.string() })),
  reason: z.string(),
});

function filterQueue(
  items: QueueItem[],
  f: {
    from?: string | undefined;
    until?: string | undefined;
    priority?: string[] | undefined;
    level?: number[] | undefined;
    status?: string[] | undefined;
    search?: string | undefined;
  },
): QueueItem[] {
  const needle = f.search?.trim().toLocaleLowerCase();
  return items.filter(
    (i) =>
      (!f.from || i.plannedFor >= f.from) &&
      (!f.until || i.plannedFor <= f.until) &&
      (!f.priority?.length || f.priority.includes(i.priority)) &&
      (!f.level?.length || f.level.includes(i.level)) &&
      (!f.status?.length || f.status.includes(i.status)) &&
      (!needle ||
        i.customer.ref.toLocaleLowerCase().includes(needle) ||
        i.customer.name.toLocaleLowerCase().includes(needle)),
  );
}

const PRIORITY_RANK = { green: 0, orange: 1, red: 2 } as const;

/** Sorted on one key, then by planned day and customer, so that pages do not shuffle between calls. */
function sortQueue(items: QueueItem[], sort: QueueSort, order: 'asc' | 'desc'): QueueItem[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const key: Record<QueueSort, (a: QueueItem, b: QueueItem) => number> = {
    plannedFor: (a, b) => text(a.plannedFor, b.plannedFor),
    amount: (a, b) => Number(a.amount) - Number(b.amount) || text(a.currency, b.currency),
    daysOverdue: (a, b) => a.daysOverdue - b.daysOverdue,
    level: (a, b) => a.level - b.level,
    priority: (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority],
    customer: (a, b) =>
      a.customer.name.localeCompare(b.customer.name) || text(a.customer.ref, b.customer.ref),
  };
  const sign = order === 'asc' ? 1 : -1;
  const tie = (a: QueueItem, b: QueueItem) =>
    text(a.plannedFor, b.plannedFor) || text(a.customer.ref, b.customer.ref) || text(a.status, b.status);
  return [...items].sort((a, b) => sign * key[sort](a, b) || tie(a, b));
}

const cursorSchema = z.object({
  date: z.string(),
  customerId: z.string().uuid(),
  source: z.union([z.literal(0), z.literal(1)]),
});

/**
 * The invoices and customer an action names, all of this organisation: anything else is not found,
 * whether it does not exist or belongs to someone else.
 */
async function checkTarget(
  db: Db,
  org: Organisation,
  which: { invoices?: string[] | undefined; customer?: string | undefined },
) {
  if (!which.invoices?.length && !which.customer)
    throw badRequest('name the invoices (invoices: [...]) or the customer (customer: REF)', [
      { in: 'body', field: 'invoices', message: 'invoices or customer required' },
    ]);
  if (which.customer) await customerByRef(db, org.id, which.customer);
  if (which.invoices?.length) {
    const found = await db
      .selectFrom('invoices')
      .select('number')
      .where('org_id', '=', org.id)
      .where('number', 'in', which.invoices)
      .execute();
    const known = new Set(found.map((r) => r.number));
    const missing = which.invoices.filter((n) => !known.has(n));
    if (missing.length) throw notFound(`no invoice ${missing.join(', ')}`);
  }
  return {
    ...(which.invoices?.length ? { invoices: which.invoices } : {}),
    ...(which.customer ? { customerRef: which.customer } : {}),
  };
}

export const registerQueue: RouteModule = (api: Api, deps) => {
  api.get(
    '/queue',
    {
      schema: {
        tags: ['queue'],
        summary:
          'The planned reminders, one item per customer and day, a page at a time: by planned day, or filtered and sorted',
        description:
          'Without filters or sort, pages by planned day through an index. Any of priority, level, status, search, from or a sort other than plannedFor ascending reads the whole queue (up to `until`) for each page: narrow it with `until` on a large ledger.',
        querystring: z.strictObject({
          customer: z.string().max(100).optional(),
          until: plainDate.optional(),
          from: plainDate.optional(),
          due: z.literal('today').optional().describe('planned for today or earlier (overrides until)'),
          priority: commaList.pipe(z.array(z.enum(['green', 'orange', 'red']))).optional(),
          level: commaList
            .pipe(
              z.array(
                z
                  .string()
                  .regex(/^\d{1,2}$/, 'expected level numbers')
                  .transform(Number),
              ),
            )
            .optional(),
          status: commaList.pipe(z.array(z.string().max(50))).optional(),
          search: z.string().max(200).optional().describe('part of the customer’s ref or name, any case'),
          sort: z.enum(QUEUE_SORTS).default('plannedFor'),
          order: z.enum(['asc', 'desc']).default('asc'),
          ...pageQuery,
        }),
        response: { 200: page(queueItem) },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const db = deps.store.db;
      const customer = q.customer ? await customerByRef(db, org.id, q.customer) : undefined;
      const until = q.due === 'today' ? todayFor(deps, org) : q.until;
      const filtered =
        q.priority ||
        q.level ||
        q.status ||
        q.search ||
        q.from ||
        q.sort !== 'plannedFor' ||
        q.order !== 'asc';
      if (filtered) {
        const after = decodeCursor(q.cursor, offsetCursor);
        const all = await listQueue(db, org.id, {
          ...(customer ? { customerRef: customer.ref } : {}),
          ...(until ? { until } : {}),
        });
        const rows = sortQueue(filterQueue(all, { ...q, until }), q.sort, q.order);
        const start = after?.offset ?? 0;
        const end = start + q.limit;
        return {
          items: rows.slice(start, end),
          nextCursor: end < rows.length ? encodeCursor({ offset: end }) : null,
        };
      }
      const after = decodeCursor(q.cursor, cursorSchema) as QueueCursor | undefined;
      const result = await listQueuePage(db, org.id, {
        limit: q.limit,
        after,
        ...(customer ? { customerId: customer.id } : {}),
        ...(until ? { until } : {}),
      });
      return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
    },
  );

  api.get(
    '/queue/preview',
    {
      schema: {
        tags: ['queue'],
        summary:
          'The message a queue item will send, as it will be sent (subject, text, recipients), changing nothing',
        description:
          'A message awaiting approval is shown as written; a planned one as the run of that day would write it from today’s state. 404 when nothing would be sent to the customer that day, with the reason.',
        querystring: z.strictObject({ customer: z.string().min(1).max(100), date: plainDate }),
        response: { 200: messagePreview },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const { customer: ref, date } = request.query;
      const customer = await customerByRef(deps.store.db, org.id, ref);
      const result = await previewMessage(deps.store.db, org, customer, date, todayFor(deps, org));
      if ('nothing' in result) {
        if (result.past)
          throw badRequest(`date: ${result.nothing}; a planned message is previewed from today on`, [
            { in: 'querystring', field: 'date', message: 'expected today or later' },
          ]);
        throw notFound(`nothing would be sent to ${ref} on ${date}: ${result.nothing}`);
      }
      return result;
    },
  );

  api.post(
    '/queue/send-now',
    {
      schema: {
        tags: ['queue'],
        summary: 'Send the next reminder of these invoices (or this customer’s) today',
        body: z.strictObject(target),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const which = await checkTarget(deps.store.db, caller.org, request.body);
      const today = todayFor(deps, caller.org);
      const asked = await requestSendNow(deps.store, caller.org, which, caller.actor, today);
      const report = await runDay(deps.store, caller.org, { day: today, customerIds: asked.customerIds });
      await deliverDue(deps.store, caller.org, { env: deps.env, home: deps.home, upTo: today, today });
      return {
        invoices: asked.invoices,
        sent: report.messages.map((m) => ({
          customer: m.customer,
          invoices: m.invoices,
          level: m.level,
          status: m.status,
          to: m.to,
        })),
        message: report.messages.length
          ? `${report.messages.length} message(s) sent`
          : 'nothing could be sent today (see the tasks)',
      };
    },
  );

  api.post(
    '/queue/postpone',
    {
      schema: {
        tags: ['queue'],
        summary: 'Move the next reminder to a later day',
        body: z.strictObject({ ...target, to: plainDate }),
        response: { 200: actionResult },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const which = await checkTarget(deps.store.db, caller.org, request.body);
      return postpone(
        deps.store,
        caller.org,
        which,
        request.body.to,
        caller.actor,
        todayFor(deps, caller.org),
      );
    },
  );

  api.post(
    '/queue/cancel',
    {
      schema: {
        tags: ['queue'],
        summary: 'Stop reminders for these invoices; unsent messages about them are withdrawn',
        body: z.strictObject({ ...target, reason: z.string().max(500).optional() }),
        response: { 200: actionResult },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const which = await checkTarget(deps.store.db, caller.org, request.body);
      return cancel(
        deps.store,
        caller.org,
        which,
        caller.actor,
        todayFor(deps, caller.org),
        request.body.reason,
      );
    },
  );

  api.post(
    '/queue/resume',
    {
      schema: {
        tags: ['queue'],
        summary: 'Resume reminders stopped by cancel or a pause',
        body: z.strictObject(target),
        response: { 200: actionResult },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const which = await checkTarget(deps.store.db, caller.org, request.body);
      return resume(deps.store, caller.org, which, caller.actor, todayFor(deps, caller.org));
    },
  );

  api.post(
    '/queue/mark-paid',
    {
      schema: {
        tags: ['queue'],
        summary: 'The customer paid these invoices: record it, and the reminders stop',
        body: z.strictObject({ invoices: z.array(z.string().min(1).max(100)).min(1).max(1000) }),
        response: { 200: actionResult },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      await checkTarget(deps.store.db, caller.org, request.body);
      return markPaid(
        deps.store,
        caller.org,
        request.body.invoices,
        caller.actor,
        todayFor(deps, caller.org),
      );
    },
  );

  api.post(
    '/queue/exclude',
    {
      schema: {
        tags: ['queue'],
        summary: 'Exclude a customer from automatic reminders',
        body: z.strictObject({ customer: z.string().min(1).max(100) }),
        response: { 200: actionResult },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      await customerByRef(deps.store.db, caller.org.id, request.body.customer);
      return exclude(deps.store, caller.org, request.body.customer, caller.actor, todayFor(deps, caller.org));
    },
  );

  api.post(
    '/queue/approve',
    {
      schema: {
        tags: ['queue'],
        summary: 'Semi-automatic mode: let the messages waiting for approval go (one customer’s, or all)',
        body: z.strictObject({
          customer: z.string().min(1).max(100).optional(),
          all: z.literal(true).optional(),
        }),
        response: { 200: actionResult },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { customer, all } = request.body;
      if (!customer && !all)
        throw badRequest('name the customer, or approve all: true', [
          { in: 'body', field: 'customer', message: 'customer or all required' },
        ]);
      if (customer) await customerByRef(deps.store.db, caller.org.id, customer);
      const today = todayFor(deps, caller.org);
      const result = await approve(
        deps.store,
        caller.org,
        { ...(customer ? { customerRef: customer } : {}), all: Boolean(all) },
        caller.actor,
        today,
      );
      await deliverDue(deps.store, caller.org, { env: deps.env, home: deps.home, upTo: today, today });
      return result;
    },
  );
};
