// The HTTP API: Fastify with zod schemas (validated input, generated OpenAPI at /api/openapi.json,
// a browsable page at /api/docs), callers authenticated and scoped to their organisation, every
// error an RFC 9457 problem, bodies and uploads bounded.
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import {
  createJsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Store } from '../store/store.ts';
import type { RouteModule, ServerDeps } from './api.ts';
import { installAuth, LoginLimiter } from './auth.ts';
import { type Clock, clockFromEnv } from './clock.ts';
import { serverConfig } from './config.ts';
import { registerDashboard } from './dashboard.ts';
import { type MailEventOptions, registerMailEvents } from './mail-events.ts';
import { Metrics } from './metrics.ts';
import { installProblems } from './problems.ts';
import { registerAccess } from './routes/access.ts';
import { registerAuth } from './routes/auth.ts';
import { registerCustomers } from './routes/customers.ts';
import { registerDocuments } from './routes/documents.ts';
import { registerHistory } from './routes/history.ts';
import { registerInvoices } from './routes/invoices.ts';
import { registerNotifications } from './routes/notifications.ts';
import { registerOverview } from './routes/overview.ts';
import { registerPayments } from './routes/payments.ts';
import { registerQueue } from './routes/queue.ts';
import { registerRun } from './routes/run.ts';
import { registerSettings } from './routes/settings.ts';
import { registerSystem } from './routes/system.ts';
import { registerTasks } from './routes/tasks.ts';
import { registerWebhooks } from './routes/webhooks.ts';

export interface AppOptions {
  store: Store;
  home: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  metrics?: Metrics;
  logger?: FastifyServerOptions['logger'];
  /** A pino logger of the caller's (the server process logs through one). */
  loggerInstance?: FastifyBaseLogger;
  /** The mail providers' webhooks (tests pass the SNS certificate). */
  mailEvents?: MailEventOptions;
  /** Where the built dashboard is (default web/dist). */
  dashboardDir?: string;
  /** Told of every route as it is added (tests walk them all). */
  onRoute?: (route: { method: string; url: string; access: string | undefined }) => void;
}

const API_ROUTES: RouteModule[] = [
  registerAuth,
  registerInvoices,
  registerCustomers,
  registerSettings,
  registerQueue,
  registerTasks,
  registerHistory,
  registerRun,
  registerAccess,
  registerWebhooks,
  registerNotifications,
  registerPayments,
  registerOverview,
  registerDocuments,
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const env = options.env ?? process.env;
  const config = serverConfig(env);
  const deps: ServerDeps = {
    store: options.store,
    home: options.home,
    env,
    clock: options.clock ?? clockFromEnv(env),
    metrics: options.metrics ?? new Metrics(),
    config,
    logins: new LoginLimiter(config.loginAttempts),
  };
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Ids and numbers in paths are short; a path longer than this is not one of ours.
    routerOptions: { maxParamLength: 200 },
    // Two lines per request at 200 requests a second drown what matters: slow and failed requests
    // are logged by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
  });
  if (options.onRoute) {
    const tell = options.onRoute;
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        tell({ method, url: route.url, access: route.config?.access });
    });
  }
  // JSON (and multipart uploads) only: a cross-site form can post text/plain without a preflight,
  // so the API does not take it at all.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblems(app, () => deps.metrics.inc('ardent_errors_total', { where: 'http' }));
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.inc('ardent_http_requests_total', { status: `${Math.floor(reply.statusCode / 100)}xx` });
    if (reply.statusCode >= 500 || reply.elapsedTime > 1000)
      request.log.info(
        {
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
  });

  await app.register(fastifyCookie);
  await app.register(fastifyCompress, { threshold: 2048 });
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.uploadLimit, files: 10, fields: 20, parts: 40, fieldSize: 64 * 1024 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ardent API',
        version: '1',
        description:
          'The accounts-receivable agent over HTTP. Amounts are decimal strings beside their currency, dates YYYY-MM-DD, ' +
          'rows name their customer as { ref, name }. Errors are RFC 9457 problem documents. Long lists are paged with a cursor. ' +
          'Sign in with POST /api/auth/login (a session cookie, and a CSRF token to send back in X-CSRF-Token on every change), ' +
          'or send an API key as Authorization: Bearer <key>.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key: `ardent api-key create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'ardent_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  installAuth(app, options.store);
  const api = app.withTypeProvider<ZodTypeProvider>();
  registerSystem(api, deps, app);
  await app.register(
    async (scope) => {
      const typed = scope.withTypeProvider<ZodTypeProvider>();
      for (const register of API_ROUTES) register(typed, deps);
    },
    { prefix: '/api' },
  );
  await registerMailEvents(app, deps, options.mailEvents);
  await registerDashboard(app, options.dashboardDir);
  return app;
}
