import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from './support/engines.ts';
import { bearer, call, DAY, multipart, type SeededOrg, seedOrg, signIn, testApp } from './support/server.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Invoice {
  number: string;
  customer: { ref: string; name: string };
  status: string;
  outstanding: string;
  daysOverdue: number;
}
interface QueueItem {
  customer: { ref: string };
  invoices: string[];
  status: string;
  plannedFor: string;
  level: number;
  channel: string;
}
interface Task {
  id: string;
  kind: string;
  status: string;
  customer: { ref: string } | null;
  assignee: { id: string } | null;
}

describe.each(engines)('the HTTP API on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let home: string;
  let a: SeededOrg;
  let admin: Record<string, string>;
  let member: Record<string, string>;
  const get = <T>(url: string, headers = member) =>
    call(app, 'GET', url, headers).then((r) => {
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      return r.json<T>();
    });

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    ({ app, home } = await testApp(db.store));
    admin = bearer(a.keys.admin);
    member = bearer(a.keys.member);
    const run = await call(app, 'POST', '/api/run', admin, {});
    expect(run.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  describe('invoices', () => {
    it.skipIf(!engine.available)('lists with filters and pages through them with a cursor', async () => {
      const all = await get<Page<Invoice>>('/api/invoices?limit=500');
      expect(all.items.map((i) => i.number)).toEqual(['A-F-1', 'A-F-2', 'A-F-3']);
      expect(all.items[0]).toMatchObject({
        customer: { ref: 'A-C1', name: 'A Boulangerie Martin' },
        outstanding: '1200.00',
        daysOverdue: 40,
      });
      const first = await get<Page<Invoice>>('/api/invoices?limit=2');
      expect(first.items.map((i) => i.number)).toEqual(['A-F-1', 'A-F-2']);
      const second = await get<Page<Invoice>>(`/api/invoices?limit=2&cursor=${first.nextCursor}`);
      expect(second).toEqual({ items: [expect.objectContaining({ number: 'A-F-3' })], nextCursor: null });
      expect((await get<Page<Invoice>>('/api/invoices?customer=A-C2')).items.map((i) => i.number)).toEqual([
        'A-F-3',
      ]);
      expect((await get<Page<Invoice>>('/api/invoices?status=paid')).items).toEqual([]);
      expect((await get<Page<Invoice>>('/api/invoices?overdue=true&status=open')).items).toHaveLength(3);
      const bad = await call(app, 'GET', '/api/invoices?status=owed', member);
      expect(bad.statusCode).toBe(400);
    });

    it.skipIf(!engine.available)('reads one invoice with its reminders and history', async () => {
      const f1 = await get<{
        number: string;
        reminders: { level: number; status: string }[];
        history: { kind: string }[];
        next: unknown;
      }>('/api/invoices/A-F-1');
      expect(f1.reminders).toEqual([expect.objectContaining({ level: 1, status: 'sent' })]);
      expect(f1.next).toMatchObject({ level: 2 });
      expect((await call(app, 'GET', '/api/invoices/NOPE', member)).statusCode).toBe(404);
    });

    it.skipIf(!engine.available)(
      'creates one invoice, then updates it, refusing bad fields by name',
      async () => {
        const body = {
          customer: {
            ref: 'A-C9',
            name: 'Nouveau Client',
            country: 'BE',
            contacts: [{ email: 'factures@nouveau.be', language: 'nl' }],
          },
          issueDate: '2026-11-01',
          dueDate: '2026-12-01',
          total: '99.90',
        };
        const created = await call(app, 'PUT', '/api/invoices/A-F-9', member, body);
        expect(created.statusCode).toBe(201);
        expect(created.json()).toMatchObject({
          created: true,
          invoice: { number: 'A-F-9', total: '99.90', currency: 'EUR', status: 'open' },
        });
        const updated = await call(app, 'PUT', '/api/invoices/A-F-9', member, {
          ...body,
          outstanding: '49.90',
        });
        expect(updated.statusCode).toBe(200);
        expect(updated.json()).toMatchObject({
          created: false,
          updated: true,
          invoice: { outstanding: '49.90', status: 'partially_paid' },
        });
        const refused = await call(app, 'PUT', '/api/invoices/A-F-10', member, { ...body, total: 'twelve' });
        expect(refused.statusCode).toBe(400);
        expect(refused.json<{ errors: { field: string }[] }>().errors[0]!.field).toMatch(/total/);
        expect((await call(app, 'GET', '/api/invoices/A-F-10', member)).statusCode).toBe(404);
      },
    );

    it.skipIf(!engine.available)(
      'imports an uploaded file, naming refused rows, and refuses an unreadable one',
      async () => {
        const csv =
          'numero;ref_client;client;pays;email;date_facture;echeance;montant_ttc\nA-F-20;A-C1;A Boulangerie Martin;FR;;01/11/2026;01/12/2026;10,00\nA-F-21;A-C1;A Boulangerie Martin;FR;;31/02/2026;01/12/2026;10,00\n';
        const upload = multipart('factures.csv', csv);
        const r = await app.inject({
          method: 'POST',
          url: '/api/invoices/import',
          headers: { ...member, ...upload.headers },
          payload: upload.payload,
        });
        expect(r.statusCode).toBe(200);
        const result = r.json<{
          files: { file: string; created: number; rejected: number }[];
          problems: { line: string }[];
        }>();
        expect(result.files).toEqual([
          expect.objectContaining({ file: 'factures.csv', created: 1, rejected: 1 }),
        ]);
        expect(result.problems[0]!.line).toMatch(/^factures\.csv: line 3: field issue_date/);
        const xml = multipart('odd.xml', '<?xml version="1.0"?><Order/>');
        const unreadable = await app.inject({
          method: 'POST',
          url: '/api/invoices/import',
          headers: { ...member, ...xml.headers },
          payload: xml.payload,
        });
        expect(unreadable.statusCode).toBe(422);
        expect(unreadable.json<{ detail: string }>().detail).toMatch(/^odd\.xml: /);
        const nothing = await app.inject({
          method: 'POST',
          url: '/api/invoices/import',
          headers: { ...member, 'content-type': 'application/json' },
          payload: '{}',
        });
        expect(nothing.statusCode).toBe(415);
      },
    );
  });

  describe('customers and contacts', () => {
    it.skipIf(!engine.available)(
      'pages through customers and reads one with contacts, settings and timeline',
      async () => {
        const first = await get<Page<{ ref: string }>>('/api/customers?limit=1');
        expect(first.items.map((c) => c.ref)).toEqual(['A-C1']);
        const rest = await get<Page<{ ref: string }>>(`/api/customers?limit=50&cursor=${first.nextCursor}`);
        expect(rest.items[0]!.ref).toBe('A-C2');
        const c1 = await get<{
          contacts: { email: string; valid: boolean }[];
          timeline: { kind: string }[];
          settings: { policy: string };
          invoices: unknown[];
        }>('/api/customers/A-C1');
        expect(c1.contacts).toEqual([expect.objectContaining({ email: 'compta@a-martin.fr', valid: true })]);
        expect(c1.settings.policy).toBe('default');
        expect(c1.timeline.map((e) => e.kind)).toContain('message.sent');
        expect((await call(app, 'GET', '/api/customers/NOPE', member)).statusCode).toBe(404);
      },
    );

    it.skipIf(!engine.available)('changes a customer’s settings and says what changed', async () => {
      const r = await call(app, 'PATCH', '/api/customers/A-C1/settings', member, {
        strategic: true,
        holdUntil: '2026-11-20',
        holdReason: 'call',
      });
      expect(r.json()).toMatchObject({
        ref: 'A-C1',
        changes: ['strategic (no automatic message)', 'on hold until 2026-11-20'],
      });
      await call(app, 'PATCH', '/api/customers/A-C1/settings', member, { strategic: false, holdUntil: null });
      const bad = await call(app, 'PATCH', '/api/customers/A-C1/settings', member, { country: 'XX' });
      expect(bad.statusCode).toBe(400);
    });

    it.skipIf(!engine.available)(
      'makes a bounced contact valid again, and the task asking for an address is done',
      async () => {
        const { contacts } = await get<{ contacts: { id: string }[] }>('/api/customers/A-C1');
        const id = contacts[0]!.id;
        await db.store.db
          .updateTable('contacts')
          .set({ valid: false, invalid_reason: 'bounce 5.1.1', invalid_since: DAY })
          .where('id', '=', id)
          .execute();
        const fixed = await call(app, 'PATCH', `/api/contacts/${id}`, member, {
          email: 'paiements@a-martin.fr',
        });
        expect(fixed.statusCode).toBe(200);
        expect(fixed.json()).toMatchObject({
          customer: { ref: 'A-C1' },
          email: 'paiements@a-martin.fr',
          valid: true,
          invalidReason: null,
        });
        const invalid = await call(app, 'PATCH', `/api/contacts/${id}`, member, { email: 'not an address' });
        expect(invalid.statusCode).toBe(400);
        expect(
          (
            await call(app, 'PATCH', '/api/contacts/00000000-0000-4000-8000-000000000000', member, {
              name: 'x',
            })
          ).statusCode,
        ).toBe(404);

        const added = await call(app, 'POST', '/api/customers/A-C2/contacts', member, {
          name: 'Léa',
          email: 'lea@sans-contact.fr',
        });
        expect(added.statusCode).toBe(200);
        expect(added.json()).toMatchObject({
          customer: { ref: 'A-C2' },
          email: 'lea@sans-contact.fr',
          closedTasks: 1,
        });
        const tasks = await get<Page<Task>>('/api/tasks?status=all');
        expect(
          tasks.items.find((t) => t.kind === 'missing_contact' && t.customer?.ref === 'A-C2')?.status,
        ).toBe('done');
        expect(
          (await call(app, 'POST', '/api/customers/A-C2/contacts', member, { email: 'not an address' }))
            .statusCode,
        ).toBe(400);
      },
    );
  });

  describe('policy and templates', () => {
    it.skipIf(!engine.available)(
      'reads and saves the policy, refusing levels out of order by field',
      async () => {
        const current = await get<{ name: string; policy: { levels: { offsetDays: number }[] } }>(
          '/api/policy',
        );
        expect(current.policy.levels.map((l) => l.offsetDays)).toEqual([7, 14, 21]);
        const levels = [
          { level: 1, offsetDays: 10, tone: 'courteous' },
          { level: 2, offsetDays: 5, tone: 'firm' },
        ];
        const refused = await call(app, 'PUT', '/api/policy', admin, { levels });
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({ errors: [{ field: 'levels.1.offsetDays' }] });
        const named = await call(app, 'PUT', '/api/policy?name=gentle', admin, {
          levels: [{ level: 1, offsetDays: 10, tone: 'courteous' }],
        });
        expect(named.statusCode).toBe(200);
        expect((await get<{ name: string }[]>('/api/policies')).map((p) => p.name)).toContain('gentle');
        expect((await call(app, 'GET', '/api/policy?name=harsh', member)).statusCode).toBe(404);
      },
    );

    it.skipIf(!engine.available)(
      'saves a template only when it compiles, and previews it in every language',
      async () => {
        expect(await get<unknown[]>('/api/templates')).toHaveLength(36);
        const broken = await call(app, 'PUT', '/api/templates/1/fr', admin, {
          body: 'Bonjour {{#if customer_name}} sans fin',
        });
        expect(broken.statusCode).toBe(400);
        expect(broken.json()).toMatchObject({
          errors: [{ field: 'body', message: expect.stringMatching(/^line 1, column \d+/) }],
        });
        const saved = await call(app, 'PUT', '/api/templates/1/fr?customer=A-C1', admin, {
          subject: 'Petit rappel : {{invoice_number}}',
        });
        expect(saved.statusCode).toBe(200);
        expect(saved.json()).toMatchObject({
          custom: true,
          preview: { subject: expect.stringMatching(/^Petit rappel : A-F-1/), language: 'fr' },
        });
        const previews = await get<{ language: string }[]>('/api/templates/2/preview?customer=A-C1');
        expect(previews.map((p) => p.language)).toEqual(['fr', 'en', 'de', 'es', 'it', 'nl']);
        expect((await call(app, 'DELETE', '/api/templates/1/fr', admin)).statusCode).toBe(204);
        expect((await get<{ custom: boolean }>('/api/templates/1/fr')).custom).toBe(false);
        expect((await call(app, 'GET', '/api/templates/9/fr', member)).statusCode).toBe(404);
        expect((await call(app, 'GET', '/api/templates/1/pt', member)).statusCode).toBe(404);
      },
    );
  });

  describe('the queue', () => {
    it.skipIf(!engine.available)(
      'pages through the queue with a cursor and finds every item once',
      async () => {
        const whole = await get<Page<QueueItem>>('/api/queue?limit=500');
        expect(whole.items.length).toBeGreaterThan(0);
        const seen: QueueItem[] = [];
        let cursor: string | null = null;
        do {
          const page: Page<QueueItem> = await get<Page<QueueItem>>(
            `/api/queue?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          );
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(whole.items);
        expect(
          (await get<Page<QueueItem>>('/api/queue?customer=A-C1')).items.every(
            (i) => i.customer.ref === 'A-C1',
          ),
        ).toBe(true);
      },
    );

    it.skipIf(!engine.available)(
      "shows a policy's new channel in the queue as soon as it is saved",
      async () => {
        const channels = async () =>
          (await get<Page<QueueItem>>('/api/queue?limit=500')).items.map((i) => `${i.level}:${i.channel}`);
        const before = await channels();
        expect(before.length).toBeGreaterThan(0);
        const policy = (await get<{ policy: { levels: { channel: string }[] } }>('/api/policy')).policy;
        const byPost = { ...policy, levels: policy.levels.map((l) => ({ ...l, channel: 'letter' })) };
        expect((await call(app, 'PUT', '/api/policy', admin, byPost)).statusCode).toBe(200);
        try {
          expect(await channels()).toEqual(before.map((c) => c.replace(/:.*/, ':letter')));
        } finally {
          expect((await call(app, 'PUT', '/api/policy', admin, policy)).statusCode).toBe(200);
        }
        expect(await channels()).toEqual(before);
      },
    );

    it.skipIf(!engine.available)('postpones, cancels and resumes, and records who did it', async () => {
      const postponed = await call(app, 'POST', '/api/queue/postpone', member, {
        invoices: ['A-F-2'],
        to: '2026-12-01',
      });
      expect(postponed.json()).toEqual({ invoices: ['A-F-2'], message: 'postponed to 2026-12-01' });
      const past = await call(app, 'POST', '/api/queue/postpone', member, {
        invoices: ['A-F-2'],
        to: '2026-11-01',
      });
      expect(past.statusCode).toBe(400);
      const cancelled = await call(app, 'POST', '/api/queue/cancel', member, {
        customer: 'A-C1',
        reason: 'dispute',
      });
      expect(cancelled.json<{ invoices: string[] }>().invoices).toEqual(
        expect.arrayContaining(['A-F-1', 'A-F-2']),
      );
      expect((await get<Page<QueueItem>>('/api/queue?customer=A-C1')).items).toEqual([]);
      await call(app, 'POST', '/api/queue/resume', member, { customer: 'A-C1' });
      const history = await get<Page<{ kind: string; actor: string }>>('/api/history?customer=A-C1&limit=5');
      expect(history.items[0]).toMatchObject({ kind: 'queue.resumed', actor: 'api-key:A member key' });
      expect((await call(app, 'POST', '/api/queue/cancel', member, {})).statusCode).toBe(400);
    });

    it.skipIf(!engine.available)(
      'marks an invoice paid, excludes a customer, and sends one now',
      async () => {
        const paid = await call(app, 'POST', '/api/queue/mark-paid', member, { invoices: ['A-F-2'] });
        expect(paid.json<{ invoices: string[] }>().invoices).toEqual(['A-F-2']);
        expect((await get<Invoice>('/api/invoices/A-F-2')).status).toBe('paid');
        const now = await call(app, 'POST', '/api/queue/send-now', member, { customer: 'A-C2' });
        expect(now.statusCode).toBe(200);
        expect(now.json()).toMatchObject({
          sent: [{ customer: { ref: 'A-C2' }, to: 'lea@sans-contact.fr' }],
        });
        expect(readdirSync(join(home, 'outbox')).some((f) => f.includes('A-C2'))).toBe(true);
        const excluded = await call(app, 'POST', '/api/queue/exclude', member, { customer: 'A-C2' });
        expect(excluded.json<{ message: string }>().message).toMatch(/excluded/);
        await call(app, 'PATCH', '/api/customers/A-C2/settings', member, { excluded: false });
      },
    );

    it.skipIf(!engine.available)(
      'holds messages for approval in semi-automatic mode until approved',
      async () => {
        const policy = (await get<{ policy: Record<string, unknown> }>('/api/policy')).policy;
        await call(app, 'PUT', '/api/policy', admin, { ...policy, mode: 'approval' });
        const run = await call(app, 'POST', '/api/run', admin, { day: '2026-11-24' });
        expect(
          run
            .json<{ messages: { status: string }[] }>()
            .messages.every((m) => m.status === 'awaiting_approval'),
        ).toBe(true);
        const waiting = (await get<Page<QueueItem>>('/api/queue?limit=500')).items.filter(
          (i) => i.status === 'awaiting_approval',
        );
        expect(waiting.length).toBeGreaterThan(0);
        const approved = await call(app, 'POST', '/api/queue/approve', member, { all: true });
        expect(approved.json<{ message: string }>().message).toMatch(/^\d+ message\(s\) approved$/);
        expect(
          (await get<Page<QueueItem>>('/api/queue?limit=500')).items.filter(
            (i) => i.status === 'awaiting_approval',
          ),
        ).toEqual([]);
        await call(app, 'PUT', '/api/policy', admin, { ...policy, mode: 'automatic' });
      },
    );
  });

  describe('tasks, history, forecast and runs', () => {
    it.skipIf(!engine.available)(
      'assigns a task and resolves it with a contact the agent writes to next',
      async () => {
        await call(app, 'PUT', '/api/invoices/A-F-30', member, {
          customer: { ref: 'A-C3', name: 'Muet SA', country: 'FR' },
          issueDate: '2026-09-01',
          dueDate: '2026-10-01',
          total: '50.00',
        });
        await call(app, 'POST', '/api/run', admin, { day: '2026-11-25' });
        const task = (await get<Page<Task>>('/api/tasks')).items.find(
          (t) => t.customer?.ref === 'A-C3' && t.kind === 'missing_contact',
        )!;
        const assigned = await call(app, 'POST', `/api/tasks/${task.id}/assign`, member, {
          memberId: a.members.member.id,
        });
        expect(assigned.json<Task>().assignee?.id).toBe(a.members.member.id);
        const vague = await call(app, 'POST', `/api/tasks/${task.id}/resolve`, member, { outcome: 'done' });
        expect(vague.statusCode).toBe(400);
        const resolved = await call(app, 'POST', `/api/tasks/${task.id}/resolve`, member, {
          outcome: 'done',
          contact: { email: 'compta@muet.fr', name: 'Compta' },
          note: 'found on their website',
        });
        expect(resolved.statusCode).toBe(200);
        expect(resolved.json()).toMatchObject({
          status: 'done',
          effects: ['contact compta@muet.fr added for Muet SA'],
        });
        expect(
          (await call(app, 'POST', `/api/tasks/${task.id}/resolve`, member, { outcome: 'done' })).statusCode,
        ).toBe(409);
        const next = await call(app, 'POST', '/api/run', admin, { day: '2026-11-26' });
        expect(
          next.json<{ messages: { customer: { ref: string }; to: string }[] }>().messages,
        ).toContainEqual(
          expect.objectContaining({
            customer: expect.objectContaining({ ref: 'A-C3' }),
            to: 'compta@muet.fr',
          }),
        );
      },
    );

    it.skipIf(!engine.available)('pages the history newest first and forecasts the coming days', async () => {
      const first = await get<Page<{ kind: string }>>('/api/history?limit=3');
      expect(first.items).toHaveLength(3);
      const next = await get<Page<{ kind: string }>>(`/api/history?limit=3&cursor=${first.nextCursor}`);
      expect(next.items).toHaveLength(3);
      const forecast = await get<{ items: { date: string; customer: { ref: string } }[] }>(
        '/api/forecast?days=30&from=2026-11-26',
      );
      expect(forecast.items.length).toBeGreaterThan(0);
      expect(forecast.items.every((i) => i.date >= '2026-11-26')).toBe(true);
    });

    it.skipIf(!engine.available)('lets admins run a day or rehearse it, not members', async () => {
      expect((await call(app, 'POST', '/api/run', member, { dryRun: true })).statusCode).toBe(403);
      const dry = await call(app, 'POST', '/api/run', admin, { day: '2026-12-01', dryRun: true });
      expect(dry.json()).toMatchObject({ day: '2026-12-01', dryRun: true, delivered: 0 });
      const hour = await call(app, 'PATCH', '/api/organisation', admin, { runHour: 6 });
      expect(hour.json()).toEqual({ runHour: 6, timezone: 'Europe/Paris' });
    });
  });

  describe('members, API keys, webhooks and notifications', () => {
    it.skipIf(!engine.available)(
      'lets admins manage members, owners manage owners, and keeps one owner',
      async () => {
        const adminSession = await signIn(app, 'admin@a.example');
        const ownerSession = await signIn(app, 'owner@a.example');
        const added = await call(app, 'POST', '/api/members', adminSession.headers, {
          email: 'New.Person@A.example',
          name: 'New',
          role: 'member',
          password: 'another good password',
        });
        expect(added.statusCode).toBe(201);
        expect(added.json()).toMatchObject({
          email: 'new.person@a.example',
          role: 'member',
          canSignIn: true,
        });
        const id = added.json<{ id: string }>().id;
        expect(
          (await call(app, 'PATCH', `/api/members/${id}`, adminSession.headers, { role: 'owner' }))
            .statusCode,
        ).toBe(403);
        expect(
          (await call(app, 'PATCH', `/api/members/${id}`, ownerSession.headers, { role: 'owner' }))
            .statusCode,
        ).toBe(200);
        expect(
          (
            await call(app, 'PATCH', `/api/members/${a.members.owner.id}`, ownerSession.headers, {
              role: 'admin',
            })
          ).statusCode,
        ).toBe(200);
        // The new member is now the only owner: they cannot step down or leave.
        const owner2 = await signIn(app, 'new.person@a.example', 'another good password');
        expect(
          (await call(app, 'PATCH', `/api/members/${id}`, owner2.headers, { role: 'admin' })).statusCode,
        ).toBe(409);
        expect((await call(app, 'DELETE', `/api/members/${id}`, owner2.headers)).statusCode).toBe(409);
        expect((await call(app, 'DELETE', `/api/members/${id}`, ownerSession.headers)).statusCode).toBe(403);
        expect(
          (await call(app, 'PATCH', `/api/members/${a.members.owner.id}`, owner2.headers, { role: 'owner' }))
            .statusCode,
        ).toBe(200);
        expect((await call(app, 'DELETE', `/api/members/${id}`, ownerSession.headers)).statusCode).toBe(204);
        expect(
          (
            await call(app, 'POST', '/api/members', adminSession.headers, {
              email: 'x@a.example',
              name: 'X',
              password: 'short',
            })
          ).statusCode,
        ).toBe(400);
        expect((await get<{ email: string }[]>('/api/members')).map((m) => m.email)).not.toContain(
          'new.person@a.example',
        );
      },
    );

    it.skipIf(!engine.available)(
      'shows a new API key once, lists keys without them, and revokes',
      async () => {
        const created = await call(app, 'POST', '/api/api-keys', admin, {
          name: 'accounting sync',
          role: 'read_only',
        });
        expect(created.statusCode).toBe(201);
        const { key, id } = created.json<{ key: string; id: string }>();
        expect(key).toMatch(/^ardent_[0-9a-f]{12}_/);
        expect((await call(app, 'GET', '/api/invoices', bearer(key))).statusCode).toBe(200);
        const listed = await call(app, 'GET', '/api/api-keys', admin);
        expect(listed.body).not.toContain(key);
        expect(listed.json<{ id: string; name: string }[]>().find((k) => k.id === id)?.name).toBe(
          'accounting sync',
        );
        expect(
          (await call(app, 'POST', '/api/api-keys', bearer(a.keys.admin), { name: 'x', role: 'owner' }))
            .statusCode,
        ).toBe(400);
        expect((await call(app, 'DELETE', `/api/api-keys/${id}`, admin)).statusCode).toBe(204);
        expect((await call(app, 'GET', '/api/invoices', bearer(key))).statusCode).toBe(401);
      },
    );

    it.skipIf(!engine.available)(
      'creates a webhook with its secret shown once, lists and removes it',
      async () => {
        const created = await call(app, 'POST', '/api/webhooks', admin, {
          url: 'https://hooks.example/ardent',
          events: ['invoice.paid'],
        });
        expect(created.statusCode).toBe(201);
        const hook = created.json<{ id: string; secret: string }>();
        expect(hook.secret).toMatch(/^whsec_/);
        const listed = await call(app, 'GET', '/api/webhooks', admin);
        expect(listed.body).not.toContain(hook.secret);
        expect((await call(app, 'GET', `/api/webhooks/${hook.id}/deliveries`, admin)).json()).toEqual([]);
        expect(
          (await call(app, 'POST', '/api/webhooks', admin, { url: 'ftp://x', events: ['invoice.paid'] }))
            .statusCode,
        ).toBe(400);
        expect(
          (
            await call(app, 'POST', '/api/webhooks', admin, {
              url: 'https://x.example',
              events: ['invoice.eaten'],
            })
          ).statusCode,
        ).toBe(400);
        expect((await call(app, 'DELETE', `/api/webhooks/${hook.id}`, admin)).statusCode).toBe(204);
      },
    );

    it.skipIf(!engine.available)('lists notifications newest first and marks one read', async () => {
      await db.store.db
        .insertInto('notifications')
        .values({ org_id: a.org.id, kind: 'run.summary', title: 'Résumé', language: 'fr', day: DAY })
        .execute();
      const list = await get<Page<{ id: string; read: boolean; title: string }>>(
        '/api/notifications?unread=true',
      );
      const note = list.items.find((n) => n.title === 'Résumé')!;
      expect(note.read).toBe(false);
      expect(
        (await call(app, 'POST', `/api/notifications/${note.id}/read`, bearer(a.keys.read_only))).statusCode,
      ).toBe(204);
      expect(
        (await get<Page<{ id: string }>>('/api/notifications?unread=true')).items.map((n) => n.id),
      ).not.toContain(note.id);
    });
  });

  describe('statements, messages and the API’s own description', () => {
    it.skipIf(!engine.available)('takes a bank statement upload and a customer’s reply', async () => {
      const statement = multipart(
        'releve.csv',
        'Date;Libellé;Débit;Crédit\n10/11/2026;VIR SEPA A BOULANGERIE MARTIN FACTURE A-F-1;;1 200,00\n',
      );
      const imported = await app.inject({
        method: 'POST',
        url: '/api/payments/import',
        headers: { ...member, ...statement.headers },
        payload: statement.payload,
      });
      expect(imported.statusCode).toBe(200);
      expect(imported.json<{ files: { file: string; format: string }[] }>().files[0]).toMatchObject({
        file: 'releve.csv',
        format: 'csv',
      });
      const reply = [
        'From: Paul <compta@a-martin.fr>',
        'To: relances@org-a.invalid',
        'Subject: Re: Relance',
        'Message-ID: <reply-1@a-martin.fr>',
        'Date: Tue, 10 Nov 2026 10:00:00 +0100',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Bonjour, nous réglerons la facture A-F-30 vendredi prochain par virement. Cordialement, Paul',
        '',
      ].join('\r\n');
      const message = multipart('reply.eml', reply);
      const read = await app.inject({
        method: 'POST',
        url: '/api/inbound',
        headers: { ...member, ...message.headers },
        payload: message.payload,
      });
      expect(read.statusCode).toBe(200);
      expect(read.json<{ file: string; analysis: { kind: string } }[]>()[0]).toMatchObject({
        file: 'reply.eml',
        analysis: { kind: 'reply' },
      });
    });

    it.skipIf(!engine.available)(
      'describes itself in OpenAPI with a browsable page, and reports health and metrics',
      async () => {
        const doc = (await call(app, 'GET', '/api/openapi.json', {})).json<{
          openapi: string;
          paths: Record<string, unknown>;
        }>();
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            '/api/invoices',
            '/api/queue',
            '/api/tasks/{id}/resolve',
            '/api/auth/login',
          ]),
        );
        expect((await call(app, 'GET', '/api/docs', {})).statusCode).toBeLessThan(400);
        expect((await call(app, 'GET', '/health', {})).json()).toEqual({
          status: 'ok',
          database: engine.name,
        });
        const metrics = await call(app, 'GET', '/metrics', {});
        expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(metrics.body).toMatch(/^ardent_queue_depth \d+$/m);
        expect(metrics.body).toMatch(/^ardent_messages\{status="sent"\} \d+$/m);
      },
    );
  });
});
