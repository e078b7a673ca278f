import type { Command } from 'commander';
import pino from 'pino';
import { imapSettingsFromUrl } from '../inbound/imap-poller.ts';
import { InputError } from '../ledger/organisations.ts';
import { buildApp } from '../server/app.ts';
import { clockFromEnv } from '../server/clock.ts';
import { serverConfig } from '../server/config.ts';
import { transportFromEnv } from '../server/member-mail.ts';
import { Metrics } from '../server/metrics.ts';
import { Scheduler } from '../server/scheduler.ts';
import type { CommandContext } from './context.ts';
import type { Runner } from './main.ts';

export interface ServeOptions {
  port: number;
  host: string;
  /** The HTTP API (false: a worker, scheduler only). */
  http: boolean;
  scheduler: boolean;
}

/** What `serve` listens on, from its options and the environment. */
export function serveOptions(
  ctx: CommandContext,
  o: { port?: string; host?: string; scheduler?: boolean; worker?: boolean },
): ServeOptions {
  const portText = o.port ?? ctx.env.ARDENT_PORT ?? ctx.env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InputError(`--port: expected a port number from 0 to 65535, got "${portText}"`);
  if (o.worker && o.scheduler === false)
    throw new InputError('--worker runs the scheduler only: it cannot go with --no-scheduler');
  return {
    port,
    host: o.host ?? ctx.env.ARDENT_HOST ?? '127.0.0.1',
    http: !o.worker,
    scheduler: o.scheduler !== false,
  };
}

/**
 * Runs the HTTP API and/or the scheduler until SIGTERM or SIGINT, then stops gracefully: no new
 * requests or work, what is under way finishes (or its leases are given back), the store closes.
 * Resolves once stopped.
 */
export async function serve(
  ctx: CommandContext,
  options: ServeOptions,
  onReady?: (url: string | null) => void,
): Promise<void> {
  const env = ctx.env;
  const config = serverConfig(env);
  const clock = clockFromEnv(env);
  const store = await ctx.store();
  const log = pino({ level: env.ARDENT_LOG_LEVEL ?? 'info', base: { pid: process.pid } });
  const metrics = new Metrics();
  const app = options.http
    ? await buildApp({
        store,
        home: ctx.home,
        env,
        clock,
        metrics,
        loggerInstance: log.child({ part: 'http' }),
      })
    : undefined;
  const transport = transportFromEnv(env, ctx.home);
  const scheduler = options.scheduler
    ? new Scheduler({
        store,
        home: ctx.home,
        env,
        clock,
        metrics,
        transport,
        log: log.child({ part: 'scheduler' }),
        tickMs: config.tickMs,
        leaseSeconds: config.leaseSeconds,
        imap: env.ARDENT_IMAP_URL
          ? {
              settings: imapSettingsFromUrl(env.ARDENT_IMAP_URL, env.ARDENT_IMAP_MOVE_TO || undefined),
              everyMs: Math.max(10, Number(env.ARDENT_IMAP_INTERVAL_SECONDS ?? 60)) * 1000,
              env,
            }
          : undefined,
      })
    : undefined;
  let url: string | null = null;
  if (app) {
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  }
  scheduler?.start();
  log.info(
    { url, scheduler: Boolean(scheduler), worker: scheduler?.holder, database: store.engine },
    'ardent serving',
  );
  onReady?.(url);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // Requests in flight finish and new connections are refused, while the scheduler finishes its tick.
  await Promise.all([app?.close(), scheduler?.stop(config.shutdownMs)]);
  await transport.close().catch(() => {});
  log.info('stopped');
}

export function registerServe(program: Command, run: Runner): void {
  program
    .command('serve')
    .description(
      'the HTTP API, the dashboard and the scheduler (daily runs, sending, webhooks) in one process',
    )
    .option('--port <n>', 'port to listen on (default: env ARDENT_PORT or PORT, else 3000)')
    .option('--host <address>', 'address to listen on (default: env ARDENT_HOST, else 127.0.0.1)')
    .option('--no-scheduler', 'the API only: another process (ardent serve --worker) does the scheduled work')
    .option(
      '--worker',
      'the scheduler only, no HTTP: for extra worker processes on the same PostgreSQL database',
    )
    .action(function (this: Command) {
      return run(async (ctx) => {
        const options = serveOptions(ctx, this.opts());
        await serve(ctx, options, (url) => {
          if (url) ctx.out.error(`Ardent is listening on ${url} (API documentation: ${url}/api/docs)`);
          else ctx.out.error('Ardent worker started: scheduled work only, no HTTP');
        });
        return 0;
      })();
    });
}
