// Tasks for people: listed, assigned to a member, resolved (the resolution feeds back into the agent,
// see src/tasks/resolve.ts).
import { sql } from 'kysely';
import { z } from 'zod';
import { resolveTask, TaskStateError } from '../../tasks/resolve.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { isUuid } from '../credentials.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';
import { HttpError, notFound } from '../problems.ts';
import { commaList, plainDate } from '../schemas.ts';

const idParams = z.object({ id: z.string().max(100) });

export const registerTasks: RouteModule = (api: Api, deps) => {
  const taskQuery = (orgId: string) =>
    deps.store.db
      .selectFrom('tasks as t')
      .leftJoin('customers as c', (j) =>
        j.onRef('c.id', '=', 't.customer_id').onRef('c.org_id', '=', 't.org_id'),
      )
      .leftJoin('members as m', (j) =>
        j.onRef('m.id', '=', 't.assignee_id').onRef('m.org_id', '=', 't.org_id'),
      )
      .select([
        't.id',
        't.kind',
        't.title',
        't.status',
        't.created_on',
        't.detail',
        't.resolved_at',
        't.resolution',
        'c.ref',
        'c.name',
        'm.id as assignee_id',
        'm.name as assignee_name',
        'm.email as assignee_email',
      ])
      .where('t.org_id', '=', orgId);
  type Row = Awaited<ReturnType<ReturnType<typeof taskQuery>['execute']>>[number];
  const view = (r: Row) => {
    const detail = (r.detail ?? {}) as {
      reason?: string;
      invoices?: string[];
      proposals?: string[];
      from?: string | null;
      subject?: string | null;
    };
    return {
      id: r.id,
      customer: r.ref ? { ref: r.ref, name: r.name! } : null,
      kind: r.kind,
      title: r.title,
      status: r.status,
      createdOn: r.created_on,
      reason: detail.reason ?? null,
      invoices: detail.invoices ?? [],
      // What a reply said, for a person deciding: who wrote, about what, and the addresses it proposed.
      from: detail.from ?? null,
      subject: detail.subject ?? null,
      proposals: detail.proposals ?? [],
      assignee: r.assignee_id
        ? { id: r.assignee_id, name: r.assignee_name!, email: r.assignee_email! }
        : null,
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      resolution: r.resolution ?? null,
    };
  };
  const one = async (orgId: string, id: string) => {
    const row = isUuid(id) ? await taskQuery(orgId).where('t.id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw notFound(`no task ${id}`);
    return view(row);
  };

  api.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'What the agent needs a person for, oldest first, a page at a time',
        querystring: z.strictObject({
          status: z.enum(['open', 'done', 'dismissed', 'all']).default('open'),
          kind: commaList.optional().describe('comma-separated kinds: missing_contact, dispute…'),
          assignee: z.string().max(100).optional().describe('a member’s id, or "none" for nobody'),
          customer: z.string().max(100).optional().describe('a customer’s ref'),
          ...pageQuery,
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const after = decodeCursor(q.cursor, z.object({ on: z.string(), id: z.string().uuid() }));
      let query = taskQuery(org.id)
        .orderBy('t.created_on')
        .orderBy('t.id')
        .limit(q.limit + 1);
      if (q.status !== 'all') query = query.where('t.status', '=', q.status);
      if (q.kind?.length) query = query.where('t.kind', 'in', q.kind);
      if (q.assignee === 'none') query = query.where('t.assignee_id', 'is', null);
      else if (q.assignee)
        // An id that is no member's (or not a uuid) matches no task rather than failing the listing.
        query = isUuid(q.assignee)
          ? query.where('t.assignee_id', '=', q.assignee)
          : query.where(sql<boolean>`false`);
      if (q.customer) query = query.where('c.ref', '=', q.customer);
      if (after)
        query = query.where((eb) =>
          eb.or([
            eb('t.created_on', '>', after.on),
            eb.and([eb('t.created_on', '=', after.on), eb('t.id', '>', after.id)]),
          ]),
        );
      return pageOf(await query.execute(), q.limit, view, (r) => ({ on: r.created_on, id: r.id }));
    },
  );

  api.get(
    '/tasks/:id',
    { schema: { tags: ['tasks'], summary: 'One task', params: idParams } },
    async (request) => one(callerOf(request).org.id, request.params.id),
  );

  api.post(
    '/tasks/:id/assign',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Give a task to a member (null: to nobody)',
        params: idParams,
        body: z.strictObject({ memberId: z.string().max(100).nullable() }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const db = deps.store.db;
      const task = await one(caller.org.id, request.params.id);
      const { memberId } = request.body;
      if (memberId !== null) {
        const member = isUuid(memberId)
          ? await db
              .selectFrom('members')
              .select('id')
              .where('org_id', '=', caller.org.id)
              .where('id', '=', memberId)
              .executeTakeFirst()
          : undefined;
        if (!member) throw notFound(`no member ${memberId}`);
      }
      await db
        .updateTable('tasks')
        .set({ assignee_id: memberId })
        .where('org_id', '=', caller.org.id)
        .where('id', '=', task.id)
        .execute();
      return one(caller.org.id, task.id);
    },
  );

  api.post(
    '/tasks/:id/resolve',
    {
      schema: {
        tags: ['tasks'],
        summary:
          'Resolve a task; what it carries (a contact, a country, a hold, stop or resume) is applied for the agent',
        params: idParams,
        body: z.strictObject({
          outcome: z.enum(['done', 'dismissed']),
          note: z.string().max(2000).optional(),
          contact: z
            .strictObject({
              email: z.string().max(320),
              name: z.string().max(300).optional(),
              language: z.string().max(10).optional(),
            })
            .optional(),
          country: z.string().length(2).optional(),
          holdUntil: plainDate.optional(),
          stopReminders: z.boolean().optional(),
          resumeReminders: z.boolean().optional(),
        }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      if (!isUuid(request.params.id)) throw notFound(`no task ${request.params.id}`);
      try {
        const result = await resolveTask(
          deps.store,
          caller.org,
          request.params.id,
          request.body,
          caller.actor,
          todayFor(deps, caller.org),
        );
        return { ...(await one(caller.org.id, result.id)), effects: result.effects };
      } catch (error) {
        if (error instanceof TaskStateError)
          throw error.reason === 'not_found' ? notFound(error.message) : new HttpError(409, error.message);
        throw error;
      }
    },
  );
};
