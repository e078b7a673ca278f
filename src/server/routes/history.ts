// Everything that happened, newest first, with the agent's reasons; and the forecast: what the agent
// would do over the coming days if nothing else happened.
import { z } from 'zod';
import { type ForecastItem, forecastCustomer } from '../../dunning/forecast.ts';
import { loadBatch, loadPolicies } from '../../dunning/load.ts';
import { formatDecimal } from '../../ledger/money.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../pagination.ts';
import { plainDate } from '../schemas.ts';
import { customerByRef } from './customers.ts';

export const registerHistory: RouteModule = (api: Api, deps) => {
  api.get(
    '/history',
    {
      schema: {
        tags: ['history'],
        summary:
          'What happened, newest first: imports, messages, replies, payments, decisions and who made them',
        querystring: z.strictObject({ customer: z.string().max(100).optional(), ...pageQuery }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const customer = q.customer ? await customerByRef(deps.store.db, org.id, q.customer) : undefined;
      const after = decodeCursor(q.cursor, z.object({ id: z.number().int() }));
      let query = deps.store.db
        .selectFrom('events as e')
        .leftJoin('customers as c', (j) =>
          j.onRef('c.id', '=', 'e.customer_id').onRef('c.org_id', '=', 'e.org_id'),
        )
        .leftJoin('invoices as i', (j) =>
          j.onRef('i.id', '=', 'e.invoice_id').onRef('i.org_id', '=', 'e.org_id'),
        )
        .select(['e.id', 'e.at', 'e.day', 'e.kind', 'e.actor', 'e.summary', 'c.ref', 'c.name', 'i.number'])
        .where('e.org_id', '=', org.id)
        .orderBy('e.id', 'desc')
        .limit(q.limit + 1);
      if (customer) query = query.where('e.customer_id', '=', customer.id);
      if (after) query = query.where('e.id', '<', after.id);
      return pageOf(
        await query.execute(),
        q.limit,
        (r) => ({
          at: r.at.toISOString(),
          day: r.day,
          customer: r.ref ? { ref: r.ref, name: r.name! } : null,
          invoice: r.number,
          kind: r.kind,
          actor: r.actor,
          summary: r.summary,
        }),
        (r) => ({ id: Number(r.id) }),
      );
    },
  );

  api.get(
    '/forecast',
    {
      schema: {
        tags: ['forecast'],
        summary:
          'What the agent would do over the next days, changing nothing; paged by customers (limit customers per page)',
        querystring: z.strictObject({
          days: z.coerce.number().int().min(1).max(366).default(30),
          from: plainDate.optional().describe('the first day (default today)'),
          customer: z.string().max(100).optional(),
          ...pageQuery,
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const db = deps.store.db;
      const customer = q.customer ? await customerByRef(db, org.id, q.customer) : undefined;
      const after = decodeCursor(q.cursor, z.object({ id: z.string().uuid() }));
      const from = q.from ?? todayFor(deps, org);
      const policies = await loadPolicies(db, org.id);
      const batch = await loadBatch(
        db,
        org.id,
        after?.id ?? null,
        q.limit,
        customer ? { customerIds: [customer.id] } : {},
      );
      const items: (Omit<ForecastItem, 'amounts'> & {
        customer: { ref: string; name: string };
        amounts: { amount: string; currency: string }[];
      })[] = [];
      for (const c of batch.customers) {
        const policy = (c.policyId && policies.byId.get(c.policyId)) || policies.fallback;
        for (const item of forecastCustomer(c, { orgCountry: org.country, policy }, from, q.days))
          items.push({
            ...item,
            customer: { ref: c.ref, name: c.name },
            amounts: item.amounts.map((a) => ({
              amount: formatDecimal(a.amount, a.currency),
              currency: a.currency,
            })),
          });
      }
      items.sort((a, b) =>
        a.date === b.date ? a.customer.ref.localeCompare(b.customer.ref) : a.date < b.date ? -1 : 1,
      );
      const more = batch.customers.length === q.limit && batch.lastId !== null;
      return { from, days: q.days, items, nextCursor: more ? encodeCursor({ id: batch.lastId }) : null };
    },
  );
};
