// The server's settings, read once from the environment (README, "Configuration").
import { InputError } from '../ledger/organisations.ts';

export interface ServerConfig {
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
  /** Largest uploaded file, in bytes. */
  uploadLimit: number;
  sessionHours: number;
  /** Fastify's trustProxy: false, true, a hop count (as a function of the hop), or addresses. */
  trustProxy: boolean | string | ((address: string, hop: number) => boolean);
  loginAttempts: number;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  tickMs: number;
  leaseSeconds: number;
  shutdownMs: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new InputError(`${name}: expected a positive number, got "${text}"`);
  return n;
}

function trustProxy(text: string | undefined): ServerConfig['trustProxy'] {
  if (!text || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  return text;
}

export function serverConfig(env: NodeJS.ProcessEnv): ServerConfig {
  return {
    bodyLimit: Math.round(positive(env, 'ARDENT_BODY_LIMIT_KB', 1024) * 1024),
    uploadLimit: Math.round(positive(env, 'ARDENT_UPLOAD_LIMIT_MB', 25) * 1024 * 1024),
    sessionHours: positive(env, 'ARDENT_SESSION_HOURS', 168),
    trustProxy: trustProxy(env.ARDENT_TRUST_PROXY),
    loginAttempts: positive(env, 'ARDENT_LOGIN_ATTEMPTS', 10),
    metricsToken: env.ARDENT_METRICS_TOKEN || undefined,
    tickMs: positive(env, 'ARDENT_SCHEDULER_TICK_MS', 60_000),
    leaseSeconds: positive(env, 'ARDENT_LEASE_SECONDS', 300),
    shutdownMs: positive(env, 'ARDENT_SHUTDOWN_TIMEOUT_MS', 30_000),
  };
}
