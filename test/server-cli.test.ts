import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ardent } from './support/cli.ts';
import { createPostgresDatabase, engines } from './support/engines.ts';
import { spawnArdent } from './support/server.ts';

describe.each(engines)('users, API keys and `ardent serve` from the command line on $name', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'ardent-cli-serve-'));
  let env: Record<string, string>;
  let cleanup = async () => {};
  beforeAll(async () => {
    if (!engine.available) return;
    env = { ARDENT_HOME: join(dir, 'home'), ARDENT_TODAY: '2026-11-10' };
    if (engine.name === 'postgres') {
      const database = await createPostgresDatabase();
      env.DATABASE_URL = database.url;
      cleanup = database.drop;
    }
    expect((await ardent(['init', '--name', 'Atelier', '--country', 'FR'], env)).status).toBe(0);
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)(
    'adds the owner, then members, never without a password',
    { timeout: 180_000 },
    async () => {
      const none = await ardent(['user', 'add', '--email', 'claire@atelier.fr', '--name', 'Claire'], env);
      expect(none.status).toBe(2);
      expect(none.stderr).toMatch(/no password: .*--password-stdin or ARDENT_USER_PASSWORD/);
      const owner = await ardent(
        ['user', 'add', '--email', 'claire@atelier.fr', '--name', 'Claire', '--json'],
        {
          ...env,
          ARDENT_USER_PASSWORD: 'claire’s long password',
        },
      );
      expect(owner.status).toBe(0);
      expect(owner.json()).toMatchObject({ email: 'claire@atelier.fr', role: 'owner', canSignIn: true });
      const second = await ardent(
        ['user', 'add', '--email', 'Marc@Atelier.fr', '--name', 'Marc', '--language', 'de'],
        {
          ...env,
          ARDENT_USER_PASSWORD: 'marc’s long password',
        },
      );
      expect(second.stdout).toMatch(/marc@atelier\.fr is now member/);
      expect(
        (await ardent(['user', 'list', '--json'], env)).json<{ email: string }[]>().map((m) => m.email),
      ).toEqual(['claire@atelier.fr', 'marc@atelier.fr']);
    },
  );

  it.skipIf(!engine.available)(
    'serves the API with a key made on the command line, until revoked, and stops on SIGTERM',
    { timeout: 180_000 },
    async () => {
      const created = await ardent(
        ['api-key', 'create', '--name', 'sync', '--role', 'read_only', '--json'],
        env,
      );
      const { key, id } = created.json<{ key: string; id: string }>();
      expect((await ardent(['api-key', 'list', '--json'], env)).stdout).not.toContain(key);
      const server = await spawnArdent(['serve', '--port', '0', '--no-scheduler'], env);
      try {
        const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        expect((await fetch(`${url}/health`)).status).toBe(200);
        const invoices = await fetch(`${url}/api/invoices`, { headers: { authorization: `Bearer ${key}` } });
        expect(invoices.status).toBe(200);
        expect(await invoices.json()).toEqual({ items: [], nextCursor: null });
        const signIn = await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'claire@atelier.fr', password: 'claire’s long password' }),
        });
        expect(signIn.status).toBe(200);
        // The embedded database belongs to one process at a time: another command runs only on PostgreSQL.
        if (engine.name === 'postgres') {
          expect((await ardent(['api-key', 'revoke', id], env)).status).toBe(0);
          expect(
            (await fetch(`${url}/api/invoices`, { headers: { authorization: `Bearer ${key}` } })).status,
          ).toBe(401);
        }
      } finally {
        expect(await server.stop()).toBe(0);
      }
    },
  );
});

describe('npm start serves the demo organisation', () => {
  const home = mkdtempSync(join(tmpdir(), 'ardent-start-serve-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prints the URL and a demo owner whose generated password signs in', { timeout: 240_000 }, async () => {
    const started = await spawnArdent(['start', '--port', '0'], {
      ARDENT_HOME: home,
      ARDENT_SCHEDULER_TICK_MS: '3600000',
    });
    try {
      const [, email, password] = await started.waitFor(/Sign in as (\S+) with the password (\S+) /, 200_000);
      const [, url] = await started.waitFor(/open (http:\/\/127\.0\.0\.1:\d+) in your browser/);
      const signIn = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const customers = await fetch(`${url}/api/customers?limit=5`, { headers: { cookie } });
      expect(((await customers.json()) as { items: unknown[] }).items).toHaveLength(5);
      // The address printed is the dashboard's.
      const page = await fetch(url!);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toMatch(/<div id="root"><\/div>/);
    } finally {
      expect(await started.stop()).toBe(0);
    }
  });
});
