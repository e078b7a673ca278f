// Integrators' endpoints: created with the events they want (the signing secret is shown once),
// listed with their recent deliveries, removed.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Api, RouteModule } from '../api.ts';
import { callerOf } from '../auth.ts';
import { isUuid } from '../credentials.ts';
import { notFound } from '../problems.ts';
import { newWebhookSecret, WEBHOOK_EVENTS } from '../webhooks.ts';

const idParams = z.object({ id: z.string().max(100) });

export const registerWebhooks: RouteModule = (api: Api, deps) => {
  const db = deps.store.db;
  const view = (w: { id: string; url: string; events: string[]; active: boolean; created_at: Date }) => ({
    id: w.id,
    url: w.url,
    events: w.events,
    active: w.active,
    createdAt: w.created_at.toISOString(),
  });
  const hookOf = async (orgId: string, id: string) => {
    const row = isUuid(id)
      ? await db
          .selectFrom('webhooks')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row) throw notFound(`no webhook ${id}`);
    return row;
  };

  api.get(
    '/webhooks',
    { config: { access: 'admin' }, schema: { tags: ['webhooks'], summary: 'The organisation’s webhooks' } },
    async (request) => {
      const rows = await db
        .selectFrom('webhooks')
        .selectAll()
        .where('org_id', '=', callerOf(request).org.id)
        .orderBy('created_at')
        .execute();
      return rows.map(view);
    },
  );

  api.post(
    '/webhooks',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: `Create a webhook for some of: ${WEBHOOK_EVENTS.join(', ')}; the signing secret is shown once`,
        body: z.strictObject({
          url: z
            .string()
            .max(2000)
            .url()
            .refine((u) => /^https?:\/\//i.test(u), 'expected an http(s) URL'),
          events: z
            .array(z.enum(WEBHOOK_EVENTS))
            .min(1)
            .default([...WEBHOOK_EVENTS]),
        }),
      },
    },
    async (request, reply) => {
      const { org } = callerOf(request);
      const secret = newWebhookSecret();
      const row = await db.transaction().execute(async (trx) => {
        // History before the first webhook is not replayed: the organisation's cursor starts now.
        const hooks = await trx
          .selectFrom('webhooks')
          .select('id')
          .where('org_id', '=', org.id)
          .where('active', '=', true)
          .execute();
        if (hooks.length === 0)
          await sql`update organisations set webhook_cursor = coalesce((select max(id) from events where org_id = ${org.id}::uuid), 0)
                     where id = ${org.id}::uuid`.execute(trx);
        return trx
          .insertInto('webhooks')
          .values({
            org_id: org.id,
            url: request.body.url,
            secret,
            events: [...new Set(request.body.events)],
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return reply.code(201).send({ ...view(row), secret });
    },
  );

  api.get(
    '/webhooks/:id/deliveries',
    {
      config: { access: 'admin' },
      schema: { tags: ['webhooks'], summary: 'The last hundred deliveries of a webhook', params: idParams },
    },
    async (request) => {
      const { org } = callerOf(request);
      const hook = await hookOf(org.id, request.params.id);
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('org_id', '=', org.id)
        .where('webhook_id', '=', hook.id)
        .orderBy('created_at', 'desc')
        .limit(100)
        .execute();
      return rows.map((d) => ({
        id: d.id,
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.last_status,
        lastError: d.last_error,
        nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
        createdAt: d.created_at.toISOString(),
        deliveredAt: d.delivered_at?.toISOString() ?? null,
        payload: d.payload,
      }));
    },
  );

  api.delete(
    '/webhooks/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['webhooks'], summary: 'Remove a webhook', params: idParams },
    },
    async (request, reply) => {
      const { org } = callerOf(request);
      const hook = await hookOf(org.id, request.params.id);
      await db.deleteFrom('webhooks').where('org_id', '=', org.id).where('id', '=', hook.id).execute();
      return reply.code(204).send();
    },
  );
};
