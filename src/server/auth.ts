// Who is calling, on every request, before anything else is read: the session cookie or an
// `Authorization: Bearer <API key>`; then, for a request made with the cookie that changes
// something, the CSRF token; then the route's minimum role. The organisation of every handler comes
// from here, never from the URL.
import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/store.ts';
import { type Caller, callerFromApiKey, callerFromSession } from './credentials.ts';
import { atLeast, type Role } from './members.ts';
import { HttpError } from './problems.ts';

export const SESSION_COOKIE = 'ardent_session';
export const CSRF_COOKIE = 'ardent_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Who may call a route: anyone, or a caller with at least this role. */
export type Access = 'public' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Default: read_only for GET and HEAD, member for anything that changes state. */
    access?: Access;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const unauthenticated = (detail: string) =>
  new HttpError(401, detail, { headers: { 'www-authenticate': 'Bearer realm="ardent"' } });

async function authenticate(store: Store, request: FastifyRequest): Promise<Caller> {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated('the Authorization header must be "Bearer <API key>"');
    const caller = await callerFromApiKey(store.db, m[1]!);
    if (!caller) throw unauthenticated('this API key is unknown, revoked or expired');
    return caller;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) throw unauthenticated('sign in (POST /api/auth/login) or send an API key as a Bearer token');
  const caller = await callerFromSession(store.db, token);
  if (!caller) throw unauthenticated('your session has ended: sign in again');
  return caller;
}

export function installAuth(app: FastifyInstance, store: Store): void {
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    // Unknown routes get their 404 as they are; the API's own documentation is public.
    if (url === undefined || url.startsWith('/api/docs')) return;
    const access =
      request.routeOptions.config.access ?? (SAFE_METHODS.has(request.method) ? 'read_only' : 'member');
    if (access === 'public') return;
    const caller = await authenticate(store, request);
    if (caller.session && !SAFE_METHODS.has(request.method)) {
      // Synchronizer token: a page on another site can make the browser send our cookie, but it
      // cannot read the token this session was given, so it cannot send it back in a header.
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, caller.session.csrf))
        throw new HttpError(
          403,
          `missing or wrong CSRF token: send the session's token in the ${CSRF_HEADER} header`,
          {
            slug: 'csrf',
            title: 'CSRF check failed',
          },
        );
    }
    if (!atLeast(caller.role, access))
      throw new HttpError(403, `this needs the ${access} role or higher; you have ${caller.role}`);
    request.caller = caller;
  });
}

/** The authenticated caller of a non-public route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthenticated('sign-in required');
  return request.caller;
}

export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { token: string; csrf: string; expiresAt: Date },
): void {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    // Secure when the client reached us over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto).
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  };
  reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  // Readable by the dashboard's script, which sends it back in the header (double submit).
  reply.setCookie(CSRF_COOKIE, session.csrf, { ...common, httpOnly: false });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: request.protocol === 'https' };
  reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, common);
}

/**
 * Failed sign-ins per client address in a sliding window, in memory: enough to slow a password
 * guesser down to a few tries a minute per address; a cluster behind a proxy limits per process.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds to wait before trying again, or 0. */
  retryAfter(address: string, now = Date.now()): number {
    const recent = (this.failures.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    if (recent.length < this.maxFailures) return 0;
    return Math.ceil((recent[0]! + this.windowMs - now) / 1000);
  }

  failed(address: string, now = Date.now()): void {
    const list = this.failures.get(address) ?? [];
    list.push(now);
    this.failures.set(address, list);
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}
