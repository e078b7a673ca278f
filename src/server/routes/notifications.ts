// News for the organisation's people (daily summaries, payments received), newest first, and
// marking them read.
import { z } from 'zod';
import type { Api, RouteModule } from '../api.ts';
import { callerOf } from '../auth.ts';
import { isUuid } from '../credentials.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';
import { notFound } from '../problems.ts';

export const registerNotifications: RouteModule = (api: Api, deps) => {
  const db = deps.store.db;
  api.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'What the organisation’s people are told, newest first',
        querystring: z.strictObject({ unread: z.enum(['true', 'false']).optional(), ...pageQuery }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const after = decodeCursor(q.cursor, z.object({ at: z.string(), id: z.string().uuid() }));
      let query = db
        .selectFrom('notifications as n')
        .leftJoin('customers as c', (j) =>
          j.onRef('c.id', '=', 'n.customer_id').onRef('c.org_id', '=', 'n.org_id'),
        )
        .select([
          'n.id',
          'n.kind',
          'n.title',
          'n.language',
          'n.data',
          'n.day',
          'n.read_at',
          'n.created_at',
          'c.ref',
          'c.name',
        ])
        .where('n.org_id', '=', org.id)
        .orderBy('n.created_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(q.limit + 1);
      if (q.unread === 'true') query = query.where('n.read_at', 'is', null);
      if (after) {
        const at = new Date(after.at);
        query = query.where((eb) =>
          eb.or([
            eb('n.created_at', '<', at),
            eb.and([eb('n.created_at', '=', at), eb('n.id', '<', after.id)]),
          ]),
        );
      }
      return pageOf(
        await query.execute(),
        q.limit,
        (n) => ({
          id: n.id,
          kind: n.kind,
          title: n.title,
          language: n.language,
          day: n.day,
          customer: n.ref ? { ref: n.ref, name: n.name! } : null,
          data: n.data,
          read: n.read_at !== null,
          createdAt: n.created_at.toISOString(),
        }),
        (n) => ({ at: n.created_at.toISOString(), id: n.id }),
      );
    },
  );

  api.post(
    '/notifications/:id/read',
    {
      config: { access: 'read_only' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark a notification read',
        params: z.object({ id: z.string().max(100) }),
      },
    },
    async (request, reply) => {
      const { org } = callerOf(request);
      const { id } = request.params;
      const result = isUuid(id)
        ? await db
            .updateTable('notifications')
            .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(new Date())) }))
            .where('org_id', '=', org.id)
            .where('id', '=', id)
            .executeTakeFirst()
        : undefined;
      if (!result || Number(result.numUpdatedRows) === 0) throw notFound(`no notification ${id}`);
      return reply.code(204).send();
    },
  );
};
