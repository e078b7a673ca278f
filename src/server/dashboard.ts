// The dashboard's files (web/dist, made by `npm run build`): hashed assets cached for a year, the
// page itself revalidated on every load, both compressed by the server's compress plugin. Any other
// address outside /api is a page of the dashboard, answered with its index.html.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from './problems.ts';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function dashboardBuilt(dir = DASHBOARD_DIR): boolean {
  return existsSync(`${dir}/index.html`);
}

export async function registerDashboard(app: FastifyInstance, dir = DASHBOARD_DIR): Promise<void> {
  if (!dashboardBuilt(dir)) {
    // A checkout without its build: the API still works, and the root says how to get the page.
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Ardent</title><p>The dashboard is not built: run <code>npm run build</code>, then reload. The API is at <a href="/api/docs">/api/docs</a>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, { root: dir, serve: false });

  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.sendFile(`assets/${file}`, { maxAge: '365d', immutable: true });
  });

  const page = { config: { access: 'public' }, schema: { hide: true } } as const;
  const index = async (request: { url: string }, reply: import('fastify').FastifyReply) => {
    if (request.url.startsWith('/api/')) throw notFound(`no route ${request.url}`);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };
  app.get('/', page, index);
  app.get('/*', page, index);
}
