// Outside the API proper: the health check for load balancers, Prometheus metrics, the OpenAPI
// document and its browsable page.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Api, ServerDeps } from '../api.ts';
import { databaseMetrics } from '../metrics-db.ts';
import { HttpError } from '../problems.ts';

export function registerSystem(api: Api, deps: ServerDeps, app: FastifyInstance): void {
  api.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Whether the server and its database answer',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.string(), detail: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(deps.store.db);
        return { status: 'ok' as const, database: deps.store.engine };
      } catch (error) {
        return reply
          .code(503)
          .send({ status: 'unavailable' as const, database: deps.store.engine, detail: String(error) });
      }
    },
  );

  api.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'Prometheus metrics (text format 0.0.4)' },
    },
    async (request, reply) => {
      const token = deps.config.metricsToken;
      if (token && request.headers.authorization !== `Bearer ${token}`)
        throw new HttpError(401, 'metrics need Authorization: Bearer <ARDENT_METRICS_TOKEN>');
      const fromDb = await databaseMetrics(deps.store);
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render([fromDb]));
    },
  );

  api.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
