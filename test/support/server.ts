// For the API tests: an app on a real database with a fixed day, organisations with members of every
// role, their API keys, and signing in as a browser does (cookie + CSRF token).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { importInvoiceFile } from '../../src/imports/import-invoices.ts';
import { createOrganisation, type Organisation } from '../../src/ledger/organisations.ts';
import { buildApp } from '../../src/server/app.ts';
import { fixedDayClock } from '../../src/server/clock.ts';
import { createApiKey } from '../../src/server/credentials.ts';
import { addMember, type Role } from '../../src/server/members.ts';
import type { Store } from '../../src/store/store.ts';

export const DAY = '2026-11-10';
export const PASSWORD = 'a long enough password';

export interface SeededOrg {
  org: Organisation;
  prefix: string;
  members: Record<Role, { id: string; email: string }>;
  keys: Record<'admin' | 'member' | 'read_only', string>;
}

/** Invoices of two customers (one without an email), overdue on DAY, numbered with the prefix. */
export function invoicesJson(prefix: string): string {
  return JSON.stringify({
    customers: [
      {
        ref: `${prefix}-C1`,
        name: `${prefix} Boulangerie Martin`,
        country: 'FR',
        contacts: [{ name: 'Paul', email: `compta@${prefix.toLowerCase()}-martin.fr`, language: 'fr' }],
      },
      { ref: `${prefix}-C2`, name: `${prefix} Sans Contact SARL`, country: 'FR' },
    ],
    invoices: [
      {
        number: `${prefix}-F-1`,
        customerRef: `${prefix}-C1`,
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        total: '1200.00',
      },
      {
        number: `${prefix}-F-2`,
        customerRef: `${prefix}-C1`,
        issueDate: '2026-09-20',
        dueDate: '2026-10-20',
        total: '300.00',
      },
      {
        number: `${prefix}-F-3`,
        customerRef: `${prefix}-C2`,
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        total: '80.00',
      },
    ],
  });
}

export async function seedOrg(store: Store, prefix: string): Promise<SeededOrg> {
  const org = await createOrganisation(store.db, {
    name: `${prefix} Atelier`,
    country: 'FR',
    slug: `org-${prefix.toLowerCase()}`,
  });
  const dir = mkdtempSync(join(tmpdir(), 'ardent-seed-'));
  const file = join(dir, 'invoices.json');
  writeFileSync(file, invoicesJson(prefix));
  await importInvoiceFile(store, org, file, { today: DAY });
  const members = {} as SeededOrg['members'];
  for (const role of ['owner', 'admin', 'member', 'read_only'] as const) {
    const email = `${role}@${prefix.toLowerCase()}.example`;
    const m = await addMember(store.db, org.id, {
      email,
      name: `${prefix} ${role}`,
      role,
      password: PASSWORD,
      language: 'fr',
    });
    members[role] = { id: m.id, email };
  }
  const keys = {} as SeededOrg['keys'];
  for (const role of ['admin', 'member', 'read_only'] as const)
    keys[role] = (await createApiKey(store.db, org.id, { name: `${prefix} ${role} key`, role })).key;
  return { org, prefix, members, keys };
}

export async function testApp(
  store: Store,
  options: { env?: NodeJS.ProcessEnv; onRoute?: Parameters<typeof buildApp>[0]['onRoute'] } = {},
) {
  const home = mkdtempSync(join(tmpdir(), 'ardent-server-'));
  const app = await buildApp({
    store,
    home,
    clock: fixedDayClock(DAY),
    env: options.env ?? {},
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
  });
  return { app, home };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export interface Browser {
  cookie: string;
  csrf: string;
  /** Headers for a request that changes something. */
  headers: Record<string, string>;
}

export async function signIn(app: FastifyInstance, email: string, password = PASSWORD): Promise<Browser> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (r.statusCode !== 200) throw new Error(`sign-in failed: ${r.statusCode} ${r.body}`);
  const cookie = r.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = r.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

export function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}),
  });
}

/** A multipart/form-data body with one file part. */
export function multipart(name: string, content: string | Buffer, field = 'file') {
  const boundary = `----ardent${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export interface Running {
  child: import('node:child_process').ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout + stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `ardent …` as a long-running process (serve, start, a worker). */
export async function spawnArdent(args: string[], env: Record<string, string | undefined>): Promise<Running> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const bin = fileURLToPath(new URL('../../bin/ardent.js', import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, DATABASE_URL: undefined, ARDENT_LOG_LEVEL: 'warn', ...env } as NodeJS.ProcessEnv,
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A test that times out must not leave a server behind.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  void exited.then(() => process.removeListener('exit', orphan));
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const m = out.match(pattern);
          if (m) return resolve(m);
          if (child.exitCode !== null)
            return reject(new Error(`ardent exited (${child.exitCode}) before ${pattern}:\n${out}`));
          if (Date.now() - started > timeoutMs)
            return reject(new Error(`timed out waiting for ${pattern}:\n${out}`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
