// Organisations kept apart: every route of the API, called with a second organisation's credentials
// and the first one's ids, answers 404 (never 403, never the data); the routes that name no id answer
// with the caller's own data only. And every route wants credentials, a CSRF token with a session,
// and the right role.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from './support/engines.ts';
import {
  type Browser,
  bearer,
  call,
  DAY,
  multipart,
  type SeededOrg,
  seedOrg,
  signIn,
  testApp,
} from './support/server.ts';

interface Ids {
  contact: string;
  task: string;
  member: string;
  apiKey: string;
  webhook: string;
  notification: string;
  suggestion: string;
}

type Expect = 'not_found' | 'own';
interface Step {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  upload?: { name: string; content: string };
  expect: Expect;
}

/** Every route, with the first organisation's ids. Keyed by route so that a new route without a step fails the walk. */
function walk(ids: Ids): Record<string, Step> {
  return {
    'GET /api/invoices/:number': { method: 'GET', url: '/api/invoices/A-F-1', expect: 'not_found' },
    'GET /api/invoices/:number/document': {
      method: 'GET',
      url: '/api/invoices/A-F-1/document',
      expect: 'not_found',
    },
    'PUT /api/invoices/:number/document': {
      method: 'PUT',
      url: '/api/invoices/A-F-1/document',
      upload: { name: 'A-F-1.pdf', content: '%PDF-1.4\n%%EOF\n' },
      expect: 'not_found',
    },
    'POST /api/documents/import': {
      method: 'POST',
      url: '/api/documents/import',
      upload: { name: 'A-F-1.pdf', content: '%PDF-1.4\n%%EOF\n' },
      expect: 'own',
    },
    'GET /api/invoices': { method: 'GET', url: '/api/invoices?customer=A-C1', expect: 'own' },
    'GET /api/customers/:ref': { method: 'GET', url: '/api/customers/A-C1', expect: 'not_found' },
    'GET /api/customers/:ref/timeline': {
      method: 'GET',
      url: '/api/customers/A-C1/timeline',
      expect: 'not_found',
    },
    'GET /api/customers': { method: 'GET', url: '/api/customers', expect: 'own' },
    'PATCH /api/customers/:ref/settings': {
      method: 'PATCH',
      url: '/api/customers/A-C1/settings',
      body: { strategic: true },
      expect: 'not_found',
    },
    'POST /api/customers/:ref/contacts': {
      method: 'POST',
      url: '/api/customers/A-C2/contacts',
      body: { email: 'x@b.example' },
      expect: 'not_found',
    },
    'PATCH /api/contacts/:id': {
      method: 'PATCH',
      url: `/api/contacts/${ids.contact}`,
      body: { valid: true },
      expect: 'not_found',
    },
    'GET /api/queue': { method: 'GET', url: '/api/queue?customer=A-C1', expect: 'not_found' },
    'GET /api/queue/preview': {
      method: 'GET',
      url: `/api/queue/preview?customer=A-C1&date=${DAY}`,
      expect: 'not_found',
    },
    'POST /api/queue/send-now': {
      method: 'POST',
      url: '/api/queue/send-now',
      body: { invoices: ['A-F-1'] },
      expect: 'not_found',
    },
    'POST /api/queue/postpone': {
      method: 'POST',
      url: '/api/queue/postpone',
      body: { invoices: ['A-F-1'], to: '2026-12-01' },
      expect: 'not_found',
    },
    'POST /api/queue/cancel': {
      method: 'POST',
      url: '/api/queue/cancel',
      body: { customer: 'A-C1' },
      expect: 'not_found',
    },
    'POST /api/queue/resume': {
      method: 'POST',
      url: '/api/queue/resume',
      body: { invoices: ['A-F-1'] },
      expect: 'not_found',
    },
    'POST /api/queue/mark-paid': {
      method: 'POST',
      url: '/api/queue/mark-paid',
      body: { invoices: ['A-F-1'] },
      expect: 'not_found',
    },
    'POST /api/queue/exclude': {
      method: 'POST',
      url: '/api/queue/exclude',
      body: { customer: 'A-C1' },
      expect: 'not_found',
    },
    'POST /api/queue/approve': {
      method: 'POST',
      url: '/api/queue/approve',
      body: { customer: 'A-C1' },
      expect: 'not_found',
    },
    'GET /api/tasks/:id': { method: 'GET', url: `/api/tasks/${ids.task}`, expect: 'not_found' },
    'POST /api/tasks/:id/assign': {
      method: 'POST',
      url: `/api/tasks/${ids.task}/assign`,
      body: { memberId: null },
      expect: 'not_found',
    },
    'POST /api/tasks/:id/resolve': {
      method: 'POST',
      url: `/api/tasks/${ids.task}/resolve`,
      body: { outcome: 'dismissed' },
      expect: 'not_found',
    },
    'GET /api/tasks': { method: 'GET', url: '/api/tasks?status=all', expect: 'own' },
    'GET /api/history': { method: 'GET', url: '/api/history?customer=A-C1', expect: 'not_found' },
    'GET /api/forecast': { method: 'GET', url: '/api/forecast?customer=A-C1', expect: 'not_found' },
    'GET /api/overview': { method: 'GET', url: '/api/overview', expect: 'own' },
    'GET /api/templates/:level/:language/preview': {
      method: 'GET',
      url: '/api/templates/1/fr/preview?customer=A-C1',
      expect: 'not_found',
    },
    'GET /api/templates/:level/preview': {
      method: 'GET',
      url: '/api/templates/1/preview?customer=A-C1',
      expect: 'not_found',
    },
    'PUT /api/templates/:level/:language': {
      method: 'PUT',
      url: '/api/templates/1/fr?customer=A-C1',
      body: { subject: 'x' },
      expect: 'not_found',
    },
    'GET /api/policy': { method: 'GET', url: '/api/policy?name=a-only', expect: 'not_found' },
    'PATCH /api/members/:id': {
      method: 'PATCH',
      url: `/api/members/${ids.member}`,
      body: { name: 'x' },
      expect: 'not_found',
    },
    'DELETE /api/members/:id': { method: 'DELETE', url: `/api/members/${ids.member}`, expect: 'not_found' },
    'DELETE /api/api-keys/:id': { method: 'DELETE', url: `/api/api-keys/${ids.apiKey}`, expect: 'not_found' },
    'GET /api/webhooks/:id/deliveries': {
      method: 'GET',
      url: `/api/webhooks/${ids.webhook}/deliveries`,
      expect: 'not_found',
    },
    'DELETE /api/webhooks/:id': {
      method: 'DELETE',
      url: `/api/webhooks/${ids.webhook}`,
      expect: 'not_found',
    },
    'POST /api/notifications/:id/read': {
      method: 'POST',
      url: `/api/notifications/${ids.notification}/read`,
      expect: 'not_found',
    },
    'GET /api/notifications': { method: 'GET', url: '/api/notifications', expect: 'own' },
    'GET /api/policies': { method: 'GET', url: '/api/policies', expect: 'own' },
    'GET /api/templates': { method: 'GET', url: '/api/templates', expect: 'own' },
    'GET /api/templates/:level/:language': { method: 'GET', url: '/api/templates/1/fr', expect: 'own' },
    'DELETE /api/templates/:level/:language': { method: 'DELETE', url: '/api/templates/2/fr', expect: 'own' },
    'PUT /api/policy': {
      method: 'PUT',
      url: '/api/policy',
      body: { levels: [{ level: 1, offsetDays: 5, tone: 'courteous' }] },
      expect: 'own',
    },
    'GET /api/members': { method: 'GET', url: '/api/members', expect: 'own' },
    'POST /api/members': {
      method: 'POST',
      url: '/api/members',
      body: { email: 'owner@a.example', name: 'Same email', password: 'a long enough password' },
      expect: 'own',
    },
    'GET /api/api-keys': { method: 'GET', url: '/api/api-keys', expect: 'own' },
    'POST /api/api-keys': { method: 'POST', url: '/api/api-keys', body: { name: 'walk' }, expect: 'own' },
    'GET /api/webhooks': { method: 'GET', url: '/api/webhooks', expect: 'own' },
    'POST /api/webhooks': {
      method: 'POST',
      url: '/api/webhooks',
      body: { url: 'https://b.example/hook' },
      expect: 'own',
    },
    'GET /api/auth/me': { method: 'GET', url: '/api/auth/me', expect: 'own' },
    'POST /api/run': { method: 'POST', url: '/api/run', body: { dryRun: true }, expect: 'own' },
    'PATCH /api/organisation': {
      method: 'PATCH',
      url: '/api/organisation',
      body: { runHour: 7 },
      expect: 'own',
    },
    'POST /api/invoices/import': {
      method: 'POST',
      url: '/api/invoices/import',
      upload: {
        name: 'f.csv',
        content:
          'numero;ref_client;client;pays;date_facture;echeance;montant_ttc\nB-F-9;B-C9;B Neuf;FR;01/11/2026;01/12/2026;1,00\n',
      },
      expect: 'own',
    },
    'POST /api/payments/import': {
      method: 'POST',
      url: '/api/payments/import',
      upload: {
        name: 'releve.csv',
        content: 'Date;Libellé;Débit;Crédit\n10/11/2026;VIR A BOULANGERIE MARTIN FACTURE A-F-1;;1 200,00\n',
      },
      expect: 'own',
    },
    'POST /api/inbound': {
      method: 'POST',
      url: '/api/inbound',
      upload: {
        name: 'reply.eml',
        content:
          'From: Paul <compta@a-martin.fr>\r\nTo: relances@b.example\r\nSubject: Re: F A-F-1\r\nMessage-ID: <walk@a-martin.fr>\r\n\r\nNous paierons la facture A-F-1 demain.\r\n',
      },
      expect: 'own',
    },
    'POST /api/auth/password': {
      method: 'POST',
      url: '/api/auth/password',
      body: { current: 'wrong', password: 'whatever long enough' },
      expect: 'own',
    },
    'PUT /api/invoices/:number': {
      method: 'PUT',
      url: '/api/invoices/A-F-1',
      body: {
        customer: { ref: 'A-C1', name: 'B own customer', country: 'FR' },
        issueDate: '2026-11-01',
        dueDate: '2026-12-01',
        total: '1.00',
      },
      expect: 'own',
    },
    'GET /api/payments': { method: 'GET', url: '/api/payments', expect: 'own' },
    'POST /api/payments': {
      method: 'POST',
      url: '/api/payments',
      body: { invoice: 'A-F-1', amount: '1.00' },
      expect: 'not_found',
    },
    'GET /api/suggestions': { method: 'GET', url: '/api/suggestions?status=all', expect: 'own' },
    'POST /api/suggestions/:id/confirm': {
      method: 'POST',
      url: `/api/suggestions/${ids.suggestion}/confirm`,
      body: {},
      expect: 'not_found',
    },
    'POST /api/suggestions/:id/reject': {
      method: 'POST',
      url: `/api/suggestions/${ids.suggestion}/reject`,
      body: {},
      expect: 'not_found',
    },
    'GET /api/organisation': { method: 'GET', url: '/api/organisation', expect: 'own' },
    'POST /api/templates/:level/:language/preview': {
      method: 'POST',
      url: '/api/templates/1/fr/preview?customer=A-C1',
      body: { subject: 'x' },
      expect: 'not_found',
    },
    'POST /api/auth/logout': { method: 'POST', url: '/api/auth/logout', expect: 'own' },
  };
}

// Routes outside the walk: sign-in (no caller yet) and the public system routes.
const UNWALKED = new Set(['POST /api/auth/login', 'GET /api/openapi.json']);

describe.each(engines)('organisations kept apart on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;
  let b: SeededOrg;
  let ids: Ids;
  const routes: { method: string; url: string; access: string | undefined }[] = [];

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    b = await seedOrg(db.store, 'B');
    ({ app } = await testApp(db.store, { onRoute: (r) => routes.push(r) }));
    for (const key of [a.keys.admin, b.keys.admin])
      expect((await call(app, 'POST', '/api/run', bearer(key), {})).statusCode).toBe(200);
    const adminA = bearer(a.keys.admin);
    await call(app, 'PUT', '/api/policy?name=a-only', adminA, {
      levels: [{ level: 1, offsetDays: 3, tone: 'firm' }],
    });
    const customer = (await call(app, 'GET', '/api/customers/A-C1', adminA)).json<{
      contacts: { id: string }[];
    }>();
    const tasks = (await call(app, 'GET', '/api/tasks', adminA)).json<{ items: { id: string }[] }>();
    const webhook = (
      await call(app, 'POST', '/api/webhooks', adminA, { url: 'https://a.example/hook' })
    ).json<{ id: string }>();
    const keys = (await call(app, 'GET', '/api/api-keys', adminA)).json<{ id: string }[]>();
    const note = await db.store.db
      .insertInto('notifications')
      .values({ org_id: a.org.id, kind: 'run.summary', title: 'A summary', language: 'fr', day: DAY })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids = {
      contact: customer.contacts[0]!.id,
      task: tasks.items[0]!.id,
      member: a.members.member.id,
      apiKey: keys[0]!.id,
      webhook: webhook.id,
      notification: note.id,
      // A credit nothing points to: the matcher leaves it to a person, as a suggestion of A's.
      suggestion: (
        await app.inject({
          method: 'POST',
          url: '/api/payments/import',
          ...((form) => ({ payload: form.payload, headers: { ...adminA, ...form.headers } }))(
            multipart('a.csv', 'Date;Libellé;Montant\n09/11/2026;VIR M DUPONT JEAN;50,00\n'),
          ),
        })
      ).json<{ suggestions: { id: string }[] }>().suggestions[0]!.id,
    };
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  const apiRoutes = () => [
    ...new Set(
      routes
        .filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
        .map((r) => `${r.method} ${r.url}`),
    ),
  ];

  const send = (step: Step, headers: Record<string, string>) => {
    if (step.upload) {
      const form = multipart(step.upload.name, step.upload.content);
      return app.inject({
        method: step.method,
        url: step.url,
        headers: { ...headers, ...form.headers },
        payload: form.payload,
      });
    }
    return call(app, step.method, step.url, headers, step.body);
  };

  /** Anything of A's that B must never see. */
  const markers = () => [
    'A Boulangerie',
    'A Sans Contact',
    'a-martin.fr',
    '@a.example',
    'org-a',
    a.org.id,
    ...Object.values(ids),
  ];

  it.skipIf(!engine.available)('has a step for every route of the API', () => {
    const steps = walk(ids);
    const missing = apiRoutes().filter((r) => !(r in steps) && !UNWALKED.has(r));
    expect(missing).toEqual([]);
  });

  it.skipIf(!engine.available)('answers 404 to an API key of the second organisation too', async () => {
    const key = bearer(b.keys.admin);
    for (const step of Object.values(walk(ids)).filter((s) => s.expect === 'not_found')) {
      const r = await send(step, key);
      expect({ url: step.url, status: r.statusCode }).toEqual({ url: step.url, status: 404 });
    }
  });

  it.skipIf(!engine.available)(
    'answers 404 for the first organisation’s ids and shows only the caller’s own data',
    async () => {
      const browser: Browser = await signIn(app, 'owner@b.example');
      const steps = Object.entries(walk(ids));
      // Steps that find nothing first; then those that work on the caller's own data, sign-out last.
      const ordered = [
        ...steps.filter(([, s]) => s.expect === 'not_found'),
        ...steps.filter(([, s]) => s.expect === 'own'),
      ];
      const before = await call(app, 'GET', '/api/invoices/A-F-1', bearer(a.keys.admin));
      for (const [route, step] of ordered) {
        const r = await send(step, browser.headers);
        // What the caller sent (an id in the path, an address in an uploaded message) may come back;
        // anything else of A's may not.
        const sent = `${step.url} ${JSON.stringify(step.body ?? '')} ${step.upload?.content ?? ''}`;
        const seen = markers().filter((m) => r.body.includes(m) && !sent.includes(m));
        expect({ route, leaked: seen }).toEqual({ route, leaked: [] });
        if (step.expect === 'not_found')
          expect({ route, status: r.statusCode }).toEqual({ route, status: 404 });
        else
          expect({ route, status: r.statusCode < 500 && r.statusCode !== 404 }).toEqual({
            route,
            status: true,
          });
      }
      // The first organisation's invoice is as it was: B's upsert of the same number made B's own.
      const after = await call(app, 'GET', '/api/invoices/A-F-1', bearer(a.keys.admin));
      expect(after.json()).toEqual(before.json());
      const bOwn = await call(app, 'GET', '/api/invoices/A-F-1', bearer(b.keys.admin));
      expect(bOwn.json()).toMatchObject({ customer: { name: 'B own customer' } });
      expect((await call(app, 'GET', '/api/customers/A-C1', bearer(a.keys.admin))).json()).toMatchObject({
        strategic: false,
      });
    },
  );

  it.skipIf(!engine.available)(
    'wants credentials on every route, a CSRF token with a session, and the right role',
    async () => {
      const steps = walk(ids);
      const reader = await signIn(app, 'read_only@b.example');
      for (const route of apiRoutes()) {
        if (UNWALKED.has(route)) continue;
        const step = steps[route]!;
        const access = routes.find((r) => `${r.method} ${r.url}` === route)?.access;
        const none = await send(step, {});
        expect({ route, status: none.statusCode }).toEqual({ route, status: 401 });
        if (step.method === 'GET') continue;
        const noCsrf = await send(step, { cookie: reader.cookie });
        expect({ route, status: noCsrf.statusCode }).toEqual({ route, status: 403 });
        const forged = await send(step, { cookie: reader.cookie, 'x-csrf-token': 'x'.repeat(43) });
        expect({ route, status: forged.statusCode }).toEqual({ route, status: 403 });
        if (access === 'read_only') continue;
        const readOnly = await send(step, bearer(b.keys.read_only));
        expect({ route, status: readOnly.statusCode }).toEqual({ route, status: 403 });
      }
    },
  );
});
