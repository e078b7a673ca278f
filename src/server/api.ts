// What every route module gets: the Fastify instance with zod schemas, and the server's
// dependencies, passed in (the store, ARDENT_HOME, the clock, the metrics, the settings).
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import type { Store } from '../store/store.ts';
import type { LoginLimiter } from './auth.ts';
import type { Clock } from './clock.ts';
import type { ServerConfig } from './config.ts';
import type { Metrics } from './metrics.ts';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServerDeps {
  store: Store;
  /** ARDENT_HOME: the outbox directory and uploads' scratch space live here. */
  home: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  metrics: Metrics;
  config: ServerConfig;
  logins: LoginLimiter;
}

export type RouteModule = (api: Api, deps: ServerDeps) => void;

/** Today for the organisation, in its time zone (or the pretended day). */
export function todayFor(deps: Pick<ServerDeps, 'clock'>, org: Organisation): PlainDate {
  return deps.clock.local(org.timezone).day;
}
