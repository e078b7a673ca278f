// The reminder queue and what a person does with it: the same actions as `ardent queue …`,
// recorded in the history under the caller's name.
import { z } from 'zod';
import { listQueuePage, type QueueCursor } from '../../dunning/queue.ts';
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
import { actionResult, page, plainDate, queueItem, target } from '../schemas.ts';
import { customerByRef } from './customers.ts';

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
        summary: 'The planned reminders, one item per customer and day, by planned day, a page at a time',
        querystring: z.strictObject({
          customer: z.string().max(100).optional(),
          until: plainDate.optional(),
          ...pageQuery,
        }),
        response: { 200: page(queueItem) },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const customer = q.customer ? await customerByRef(deps.store.db, org.id, q.customer) : undefined;
      const after = decodeCursor(q.cursor, cursorSchema) as QueueCursor | undefined;
      const result = await listQueuePage(deps.store.db, org.id, {
        limit: q.limit,
        after,
        ...(customer ? { customerId: customer.id } : {}),
        ...(q.until ? { until: q.until } : {}),
      });
      return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
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
