// Payments through the HTTP API: recorded by hand, and the matcher's suggestions confirmed (as
// proposed or corrected) or rejected, with the same effects as the command line, on both engines.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from './support/engines.ts';
import { bearer, call, multipart, type SeededOrg, seedOrg, testApp } from './support/server.ts';

interface Invoice {
  number: string;
  status: string;
  outstanding: string;
}
interface QueueItem {
  invoices: string[];
  status: string;
}
interface Suggestion {
  id: string;
  amount: string;
  proposal: { invoice: string; amount: string }[];
  reasons: string[];
  candidates: { number: string; outstanding: string }[];
}

describe.each(engines)('payments through the API on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;
  let b: SeededOrg;
  let member: Record<string, string>;

  const json = async <T>(method: 'GET' | 'POST', url: string, body?: unknown, headers = member) => {
    const r = await call(app, method, url, headers, body);
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json<T>();
  };
  /** A bank statement (CSV) through the upload route; the suggestions it left to a person. */
  const statement = async (csv: string, headers = member) => {
    const form = multipart('releve.csv', csv);
    const r = await app.inject({
      method: 'POST',
      url: '/api/payments/import',
      headers: { ...headers, ...form.headers },
      payload: form.payload,
    });
    expect(r.statusCode).toBe(200);
    return r.json<{ files: { suggested: number; unmatched: number }[]; suggestions: Suggestion[] }>();
  };

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    b = await seedOrg(db.store, 'B');
    ({ app } = await testApp(db.store));
    member = bearer(a.keys.member);
    for (const key of [a.keys.admin, b.keys.admin])
      expect((await call(app, 'POST', '/api/run', bearer(key), {})).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it.skipIf(!engine.available)(
    'marks an invoice paid by a payment recorded by hand and cancels its planned reminder',
    async () => {
      const planned = (await json<{ items: QueueItem[] }>('GET', '/api/queue?customer=A-C1')).items.filter(
        (q) => q.invoices.includes('A-F-1') && q.status === 'planned',
      );
      expect(planned.length).toBeGreaterThan(0);
      const r = await call(app, 'POST', '/api/payments', member, {
        invoice: 'A-F-1',
        amount: '1200.00',
        currency: 'EUR',
        date: '2026-11-09',
        reference: 'CHQ 0042',
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({
        amount: '1200.00',
        currency: 'EUR',
        customer: { ref: 'A-C1' },
        invoices: [{ number: 'A-F-1', amount: '1200.00', outstanding: '0.00', status: 'paid' }],
        unallocated: '0.00',
      });
      expect(await json<Invoice>('GET', '/api/invoices/A-F-1')).toMatchObject({
        status: 'paid',
        outstanding: '0.00',
      });
      const after = (await json<{ items: QueueItem[] }>('GET', '/api/queue?customer=A-C1')).items;
      expect(after.filter((q) => q.invoices.includes('A-F-1') && q.status === 'planned')).toEqual([]);
      const listed = await json<{ items: { receivedOn: string; reference: string; source: string }[] }>(
        'GET',
        '/api/payments?customer=A-C1',
      );
      expect(listed.items).toContainEqual(
        expect.objectContaining({ receivedOn: '2026-11-09', reference: 'CHQ 0042', source: 'manual' }),
      );
    },
  );

  it.skipIf(!engine.available)(
    'pays the customer’s oldest open invoice when the payment names the customer',
    async () => {
      const r = await call(app, 'POST', '/api/payments', member, { customer: 'A-C2', amount: '30.00' });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({
        invoices: [{ number: 'A-F-3', amount: '30.00', outstanding: '50.00', status: 'partially_paid' }],
      });
    },
  );

  it.skipIf(!engine.available)('refuses a bad amount with a 400 naming the field', async () => {
    for (const amount of ['-5.00', '12,50', 'ten', '1.234', '0.00']) {
      const r = await call(app, 'POST', '/api/payments', member, { invoice: 'A-F-2', amount });
      expect({ amount, status: r.statusCode }).toEqual({ amount, status: 400 });
      expect(r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('amount');
    }
    const wrongCurrency = await call(app, 'POST', '/api/payments', member, {
      invoice: 'A-F-2',
      amount: '10.00',
      currency: 'USD',
    });
    expect(wrongCurrency.statusCode).toBe(400);
    expect(wrongCurrency.json()).toMatchObject({ errors: [{ field: 'currency' }] });
    const both = await call(app, 'POST', '/api/payments', member, {
      invoice: 'A-F-2',
      customer: 'A-C1',
      amount: '10.00',
    });
    expect(both.statusCode).toBe(400);
    expect(await json<Invoice>('GET', '/api/invoices/A-F-2')).toMatchObject({ outstanding: '300.00' });
  });

  it.skipIf(!engine.available)(
    'refuses a read-only key, and another organisation’s invoice is a 404',
    async () => {
      const reader = await call(app, 'POST', '/api/payments', bearer(a.keys.read_only), {
        invoice: 'A-F-2',
        amount: '1.00',
      });
      expect(reader.statusCode).toBe(403);
      const other = await call(app, 'POST', '/api/payments', bearer(b.keys.member), {
        invoice: 'A-F-2',
        amount: '1.00',
      });
      expect(other.statusCode).toBe(404);
    },
  );

  it.skipIf(!engine.available)(
    'lists a credit nothing points to as a suggestion and applies it when confirmed, corrected',
    async () => {
      const imported = await statement('Date;Libellé;Montant\n10/11/2026;VIR M DUPONT JEAN;300,00\n');
      expect(imported.files[0]).toMatchObject({ suggested: expect.any(Number) });
      const [s] = imported.suggestions;
      expect(s).toMatchObject({ amount: '300.00', reasons: expect.arrayContaining([expect.any(String)]) });
      // Nobody is named: the open invoice of exactly the amount is offered.
      expect(s!.candidates.map((c) => c.number)).toContain('A-F-2');
      const open = await json<Suggestion[]>('GET', '/api/suggestions');
      expect(open.map((x) => x.id)).toContain(s!.id);

      const confirmed = await json<{ invoices: { number: string; status: string }[] }>(
        'POST',
        `/api/suggestions/${s!.id}/confirm`,
        { allocations: [{ invoice: 'A-F-2' }] },
      );
      expect(confirmed.invoices).toEqual([
        expect.objectContaining({ number: 'A-F-2', status: 'paid', outstanding: '0.00' }),
      ]);
      expect(await json<Invoice>('GET', '/api/invoices/A-F-2')).toMatchObject({ status: 'paid' });
      expect((await json<Suggestion[]>('GET', '/api/suggestions')).map((x) => x.id)).not.toContain(s!.id);
      const again = await call(app, 'POST', `/api/suggestions/${s!.id}/confirm`, member, {});
      expect(again.statusCode).toBe(409);
    },
  );

  it.skipIf(!engine.available)('leaves the invoice open when a suggestion is rejected', async () => {
    const { suggestions } = await statement(
      'Date;Libellé;Montant\n11/11/2026;VIR REMBOURSEMENT ASSURANCE;50,00\n',
    );
    const s = suggestions[0]!;
    const r = await call(app, 'POST', `/api/suggestions/${s.id}/reject`, member, {
      reason: 'an insurance refund',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: s.id, message: 'set aside: an insurance refund' });
    expect(await json<Invoice>('GET', '/api/invoices/A-F-3')).toMatchObject({ outstanding: '50.00' });
    const all = await json<(Suggestion & { status: string })[]>('GET', '/api/suggestions?status=all');
    expect(all.find((x) => x.id === s.id)).toMatchObject({ status: 'rejected' });
  });

  it.skipIf(!engine.available)(
    'answers 404 for another organisation’s suggestion and leaves it as it was',
    async () => {
      const { suggestions } = await statement('Date;Libellé;Montant\n12/11/2026;VIR INCONNU SARL;50,00\n');
      const s = suggestions[0]!;
      const otherMember = bearer(b.keys.member);
      for (const action of ['confirm', 'reject']) {
        const r = await call(app, 'POST', `/api/suggestions/${s.id}/${action}`, otherMember, {});
        expect({ action, status: r.statusCode }).toEqual({ action, status: 404 });
        expect(r.body).not.toContain('INCONNU');
      }
      expect(await json<Suggestion[]>('GET', '/api/suggestions', undefined, otherMember)).toEqual([]);
      expect((await json<Suggestion[]>('GET', '/api/suggestions')).map((x) => x.id)).toContain(s.id);
      expect((await call(app, 'POST', '/api/suggestions/not-an-id/reject', member, {})).statusCode).toBe(404);
    },
  );

  it.skipIf(!engine.available)(
    'refuses a correction with a bad amount or an unknown invoice, naming the field',
    async () => {
      const [s] = (await json<Suggestion[]>('GET', '/api/suggestions')).slice(-1);
      const bad = await call(app, 'POST', `/api/suggestions/${s!.id}/confirm`, member, {
        allocations: [{ invoice: 'A-F-3', amount: '12.345' }],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ errors: [{ field: 'allocations.0.amount' }] });
      const unknown = await call(app, 'POST', `/api/suggestions/${s!.id}/confirm`, member, {
        allocations: [{ invoice: 'NOPE-1', amount: '1.00' }],
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ errors: [{ field: 'allocations.0.invoice' }] });
    },
  );
});

// The settings pages stand on these too: the organisation's sender and bank details, and a draft
// template previewed without being saved.
describe.each(engines)('organisation settings and template drafts through the API on $name', (engine) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let a: SeededOrg;

  beforeAll(async () => {
    if (!engine.available) return;
    db = await engine.open();
    a = await seedOrg(db.store, 'A');
    ({ app } = await testApp(db.store));
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it.skipIf(!engine.available)('saves the sender and a bank account whose IBAN checks out', async () => {
    const admin = bearer(a.keys.admin);
    const r = await call(app, 'PATCH', '/api/organisation', admin, {
      senderName: 'Atelier A, comptabilité',
      senderEmail: 'compta@a.example',
      bankIban: 'fr76 3000 4000 0312 3456 7890 143',
      bankBic: 'bnpafrpp',
      bankName: 'BNP Paribas',
    });
    expect(r.statusCode).toBe(200);
    const org = await call(app, 'GET', '/api/organisation', bearer(a.keys.read_only));
    expect(org.json()).toMatchObject({
      slug: 'org-a',
      senderName: 'Atelier A, comptabilité',
      senderEmail: 'compta@a.example',
      bankIban: 'FR7630004000031234567890143',
      bankBic: 'BNPAFRPP',
      bankName: 'BNP Paribas',
    });
  });

  it.skipIf(!engine.available)(
    'refuses a mistyped IBAN and a broken email, naming each, and keeps the old ones',
    async () => {
      const r = await call(app, 'PATCH', '/api/organisation', bearer(a.keys.admin), {
        bankIban: 'FR7630004000031234567890144',
        senderEmail: 'compta at a.example',
      });
      expect(r.statusCode).toBe(400);
      expect(
        r
          .json<{ errors: { field: string }[] }>()
          .errors.map((e) => e.field)
          .sort(),
      ).toEqual(['bankIban', 'senderEmail']);
      expect((await call(app, 'GET', '/api/organisation', bearer(a.keys.admin))).json()).toMatchObject({
        bankIban: 'FR7630004000031234567890143',
        senderEmail: 'compta@a.example',
      });
      const member = await call(app, 'PATCH', '/api/organisation', bearer(a.keys.member), { bankName: 'x' });
      expect(member.statusCode).toBe(403);
    },
  );

  it.skipIf(!engine.available)('previews a draft on a real customer without saving it', async () => {
    const reader = bearer(a.keys.read_only);
    const r = await call(app, 'POST', '/api/templates/2/fr/preview?customer=A-C1', reader, {
      subject: 'Brouillon pour {{customer_name}}',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ subject: 'Brouillon pour A Boulangerie Martin' });
    const saved = await call(app, 'GET', '/api/templates/2/fr', reader);
    expect(saved.json()).toMatchObject({ custom: false });
    expect(saved.json<{ subject: string }>().subject).not.toContain('Brouillon');
    const broken = await call(app, 'POST', '/api/templates/2/fr/preview', reader, {
      body: 'Bonjour {{#if contact_name}}',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ errors: [{ field: 'body' }] });
  });
});
