import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../src/server/credentials.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import {
  bearer,
  call,
  multipart,
  PASSWORD,
  type SeededOrg,
  seedOrg,
  signIn,
  testApp,
} from './support/server.ts';

describe.each(engines)('signing in and the limits of the API on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;
  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    ({ app } = await testApp(db.store, {
      env: { ARDENT_UPLOAD_LIMIT_MB: '0.01', ARDENT_BODY_LIMIT_KB: '4', ARDENT_LOGIN_ATTEMPTS: '3' },
    }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });
  const problemOf = (r: { headers: Record<string, unknown>; json<T>(): T }) => {
    expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
    return r.json<{
      type: string;
      title: string;
      status: number;
      detail: string;
      instance: string;
      errors?: { field: string }[];
    }>();
  };

  it.skipIf(!engine.available)(
    'signs a member in with a session cookie that scripts cannot read, and a CSRF token',
    async () => {
      const r = await call(
        app,
        'POST',
        '/api/auth/login',
        {},
        { email: 'OWNER@a.example', password: PASSWORD },
      );
      expect(r.statusCode).toBe(200);
      const session = r.cookies.find((c) => c.name === 'ardent_session')!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(session.secure).toBeFalsy();
      expect(r.json()).toMatchObject({
        role: 'owner',
        organisation: { slug: 'org-a' },
        member: { email: 'owner@a.example' },
      });
      const stored = await db.store.db.selectFrom('sessions').select('token_hash').execute();
      expect(stored.map((s) => s.token_hash)).not.toContain(session.value);
      const me = await call(app, 'GET', '/api/auth/me', { cookie: `ardent_session=${session.value}` });
      expect(me.json()).toMatchObject({
        role: 'owner',
        member: { email: 'owner@a.example' },
        csrfToken: r.json<{ csrfToken: string }>().csrfToken,
      });
    },
  );

  it.skipIf(!engine.available)(
    'marks the cookie Secure when the client came over HTTPS through a trusted proxy',
    async () => {
      const { app: proxied } = await testApp(db.store, { env: { ARDENT_TRUST_PROXY: 'true' } });
      const r = await proxied.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: 'member@a.example', password: PASSWORD },
      });
      expect(r.cookies.find((c) => c.name === 'ardent_session')?.secure).toBe(true);
      await proxied.close();
    },
  );

  it.skipIf(!engine.available)(
    'refuses a wrong password and an unknown email alike, then slows the address down',
    async () => {
      const { app: fresh } = await testApp(db.store, { env: { ARDENT_LOGIN_ATTEMPTS: '3' } });
      const wrong = await call(
        fresh,
        'POST',
        '/api/auth/login',
        {},
        { email: 'owner@a.example', password: 'not the password' },
      );
      const unknown = await call(
        fresh,
        'POST',
        '/api/auth/login',
        {},
        { email: 'nobody@a.example', password: 'not the password' },
      );
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(problemOf(wrong).detail).toBe(problemOf(unknown).detail);
      await call(fresh, 'POST', '/api/auth/login', {}, { email: 'owner@a.example', password: 'again wrong' });
      const limited = await call(
        fresh,
        'POST',
        '/api/auth/login',
        {},
        { email: 'owner@a.example', password: PASSWORD },
      );
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await fresh.close();
    },
  );

  it.skipIf(!engine.available)('answers 401 without a session or key, and for an ended session', async () => {
    const none = await call(app, 'GET', '/api/invoices', {});
    expect(none.statusCode).toBe(401);
    expect(problemOf(none)).toMatchObject({ status: 401, instance: '/api/invoices' });
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    const browser = await signIn(app, 'member@a.example');
    expect((await call(app, 'POST', '/api/auth/logout', browser.headers)).statusCode).toBe(204);
    expect((await call(app, 'GET', '/api/invoices', { cookie: browser.cookie })).statusCode).toBe(401);
    const expired = await signIn(app, 'member@a.example');
    await sql`update sessions set expires_at = now() - interval '1 minute'`.execute(db.store.db);
    expect((await call(app, 'GET', '/api/invoices', { cookie: expired.cookie })).statusCode).toBe(401);
  });

  it.skipIf(!engine.available)(
    'wants the CSRF token on every change made with the cookie, not with an API key',
    async () => {
      const browser = await signIn(app, 'member@a.example');
      const body = { invoices: ['A-F-1'], to: '2026-12-01' };
      const absent = await call(app, 'POST', '/api/queue/postpone', { cookie: browser.cookie }, body);
      expect(absent.statusCode).toBe(403);
      expect(problemOf(absent).type).toBe('urn:ardent:problem:csrf');
      const forged = await call(
        app,
        'POST',
        '/api/queue/postpone',
        { cookie: browser.cookie, 'x-csrf-token': 'forged' },
        body,
      );
      expect(forged.statusCode).toBe(403);
      const other = await signIn(app, 'admin@a.example');
      const crossed = await call(
        app,
        'POST',
        '/api/queue/postpone',
        { cookie: browser.cookie, 'x-csrf-token': other.csrf },
        body,
      );
      expect(crossed.statusCode).toBe(403);
      expect((await call(app, 'GET', '/api/queue', { cookie: browser.cookie })).statusCode).toBe(200);
      expect((await call(app, 'POST', '/api/queue/postpone', browser.headers, body)).statusCode).toBe(200);
      expect(
        (await call(app, 'POST', '/api/queue/resume', bearer(a.keys.member), { invoices: ['A-F-1'] }))
          .statusCode,
      ).toBe(200);
    },
  );

  it.skipIf(!engine.available)(
    'lets a read-only member read but not change anything; admins alone change the policy',
    async () => {
      const reader = await signIn(app, 'read_only@a.example');
      expect((await call(app, 'GET', '/api/tasks', reader.headers)).statusCode).toBe(200);
      const write = await call(app, 'POST', '/api/queue/cancel', reader.headers, { invoices: ['A-F-1'] });
      expect(write.statusCode).toBe(403);
      expect(problemOf(write).detail).toMatch(/member role or higher; you have read_only/);
      expect(
        (await call(app, 'POST', '/api/queue/cancel', bearer(a.keys.read_only), { invoices: ['A-F-1'] }))
          .statusCode,
      ).toBe(403);
      const policy = (await call(app, 'GET', '/api/policy', bearer(a.keys.member))).json<{
        policy: unknown;
      }>().policy;
      expect((await call(app, 'PUT', '/api/policy', bearer(a.keys.member), policy)).statusCode).toBe(403);
      expect((await call(app, 'PUT', '/api/policy', bearer(a.keys.admin), policy)).statusCode).toBe(200);
    },
  );

  it.skipIf(!engine.available)(
    'refuses a revoked key and an expired key, and one that is not a key',
    async () => {
      const revoked = await createApiKey(db.store.db, a.org.id, { name: 'old', role: 'member' });
      expect((await call(app, 'GET', '/api/invoices', bearer(revoked.key))).statusCode).toBe(200);
      await revokeApiKey(db.store.db, a.org.id, revoked.apiKey.id);
      expect((await call(app, 'GET', '/api/invoices', bearer(revoked.key))).statusCode).toBe(401);
      const expired = await createApiKey(db.store.db, a.org.id, {
        name: 'short',
        role: 'member',
        expiresAt: new Date(Date.now() - 1000),
      });
      expect((await call(app, 'GET', '/api/invoices', bearer(expired.key))).statusCode).toBe(401);
      const forged = `${revoked.key.slice(0, -4)}AAAA`;
      expect((await call(app, 'GET', '/api/invoices', bearer(forged))).statusCode).toBe(401);
      expect((await call(app, 'GET', '/api/invoices', { authorization: 'Basic abc' })).statusCode).toBe(401);
    },
  );

  it.skipIf(!engine.available)(
    'answers malformed JSON, unknown fields and wrong types with a 400 naming the fields',
    async () => {
      const key = bearer(a.keys.member);
      const malformed = await app.inject({
        method: 'POST',
        url: '/api/queue/cancel',
        headers: { ...key, 'content-type': 'application/json' },
        payload: '{"invoices": [',
      });
      expect(malformed.statusCode).toBe(400);
      expect(problemOf(malformed).type).toBe('urn:ardent:problem:malformed-json');
      const unknown = await call(app, 'POST', '/api/queue/cancel', key, {
        invoices: ['A-F-1'],
        reasn: 'typo',
      });
      expect(unknown.statusCode).toBe(400);
      expect(problemOf(unknown)).toMatchObject({
        type: 'urn:ardent:problem:validation',
        errors: [{ field: 'reasn', message: 'unknown field' }],
      });
      const wrongType = await call(app, 'POST', '/api/queue/postpone', key, {
        invoices: 'A-F-1',
        to: 'tomorrow',
      });
      expect(
        problemOf(wrongType)
          .errors?.map((e) => e.field)
          .sort(),
      ).toEqual(['invoices', 'to']);
      const badQuery = await call(app, 'GET', '/api/invoices?limit=100000', key);
      expect(problemOf(badQuery).errors?.[0]).toMatchObject({ in: 'querystring', field: 'limit' });
      const badCursor = await call(app, 'GET', '/api/invoices?cursor=nonsense', key);
      expect(badCursor.statusCode).toBe(400);
      const text = await app.inject({
        method: 'POST',
        url: '/api/queue/cancel',
        headers: { ...key, 'content-type': 'text/plain' },
        payload: 'x',
      });
      expect(text.statusCode).toBe(415);
    },
  );

  it.skipIf(!engine.available)(
    'answers a body or an upload over the limit with 413, and an unknown route with 404',
    async () => {
      const key = bearer(a.keys.member);
      const big = await call(app, 'POST', '/api/queue/cancel', key, {
        invoices: ['A-F-1'],
        reason: 'x'.repeat(5000),
      });
      expect(big.statusCode).toBe(413);
      expect(problemOf(big).status).toBe(413);
      const upload = multipart('big.csv', 'number;total\n'.repeat(2000));
      const tooLarge = await app.inject({
        method: 'POST',
        url: '/api/invoices/import',
        headers: { ...key, ...upload.headers },
        payload: upload.payload,
      });
      expect(tooLarge.statusCode).toBe(413);
      expect(problemOf(tooLarge).detail).toMatch(/limit/);
      const missing = await call(app, 'GET', '/api/nothing-here', key);
      expect(missing.statusCode).toBe(404);
      expect(problemOf(missing).type).toBe('urn:ardent:problem:not-found');
    },
  );
});
