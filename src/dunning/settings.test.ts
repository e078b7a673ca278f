import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../test/support/engines.ts';
import { newOrg } from '../../test/support/org.ts';
import { writeCustomers, writeInvoices } from '../imports/write-batch.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { runDay } from './run.ts';
import {
  previewTemplate,
  readPolicy,
  readTemplate,
  savePolicy,
  saveTemplate,
  updateCustomer,
} from './settings.ts';

describe.each(engines)('changing how the agent chases, on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function orgWithCustomers() {
    const db = database.store.db;
    const org = await newOrg(db);
    const imp = await db
      .insertInto('imports')
      .values({ org_id: org.id, kind: 'invoices', file_name: 't', format: 'test', sha256: '-' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeCustomers(db, org.id, [
      { ref: 'A', name: 'Alpha', country: 'FR', contacts: [{ email: 'a@alpha.fr', role: 'billing' }] },
      { ref: 'B', name: 'Beta', country: 'FR', contacts: [{ email: 'b@beta.fr', role: 'billing' }] },
    ]);
    await writeInvoices(db, org.id, imp.id, [
      {
        number: 'A-1',
        type: 'invoice',
        customerRef: 'A',
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        currency: 'EUR',
        total: 100_00,
        outstanding: 100_00,
      },
      {
        number: 'B-1',
        type: 'invoice',
        customerRef: 'B',
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        currency: 'EUR',
        total: 100_00,
        outstanding: 100_00,
      },
    ]);
    return org;
  }

  it.skipIf(!engine.available)(
    'uses the organisation default until one is saved, then the saved one',
    async () => {
      const org = await orgWithCustomers();
      expect((await readPolicy(database.store.db, org.id)).policy).toEqual(DEFAULT_POLICY);
      await savePolicy(database.store.db, org.id, {
        ...DEFAULT_POLICY,
        levels: [{ level: 1, offsetDays: 3, tone: 'courteous', channel: 'email', approval: false }],
      });
      await runDay(database.store, org, { day: '2026-10-02' });
      const report = await runDay(database.store, org, { day: '2026-10-05' });
      expect(report.messages.map((m) => m.customer.ref)).toEqual(['A', 'B']);
    },
  );

  it.skipIf(!engine.available)('refuses a policy whose levels go backwards, saying which', async () => {
    const org = await orgWithCustomers();
    await expect(
      savePolicy(database.store.db, org.id, {
        ...DEFAULT_POLICY,
        levels: [
          { level: 1, offsetDays: 10, tone: 'courteous' },
          { level: 2, offsetDays: 5, tone: 'firm' },
        ],
      }),
    ).rejects.toThrow(/levels\.1\.offsetDays: level 2 must come later than level 1 \(10 days\)/);
  });

  it.skipIf(!engine.available)(
    'gives one customer its own policy, and writes to nobody strategic',
    async () => {
      const org = await orgWithCustomers();
      await savePolicy(
        database.store.db,
        org.id,
        { ...DEFAULT_POLICY, levels: [{ level: 1, offsetDays: 2, tone: 'courteous' }] },
        'fast',
      );
      await updateCustomer(
        database.store.db,
        org,
        'B',
        { policy: 'fast', strategic: false },
        'test',
        '2026-10-01',
      );
      await updateCustomer(database.store.db, org, 'A', { strategic: true }, 'test', '2026-10-01');
      await runDay(database.store, org, { day: '2026-10-02' });
      const report = await runDay(database.store, org, { day: '2026-10-05' });
      expect(report.messages.map((m) => m.customer.ref)).toEqual(['B']);
      const later = await runDay(database.store, org, { day: '2026-10-08' });
      expect(later.messages).toEqual([]);
      expect(later.notifications.map((n) => n.customer.ref)).toEqual(['A']);
    },
  );

  it.skipIf(!engine.available)(
    'refuses a broken template with the reason, keeps a good one, and previews it on a real customer',
    async () => {
      const org = await orgWithCustomers();
      await expect(
        saveTemplate(database.store.db, org.id, 1, 'fr', {
          body: 'Bonjour {{#if contact_name}}{{contact_name}}',
        }),
      ).rejects.toThrow(/template refused: body/);
      await saveTemplate(database.store.db, org.id, 1, 'fr', {
        subject: 'Rappel [NUMERO] – [ENTREPRISE_CLIENT]',
      });
      expect(await readTemplate(database.store.db, org.id, 1, 'fr')).toMatchObject({
        custom: true,
        subject: 'Rappel [NUMERO] – [ENTREPRISE_CLIENT]',
      });
      const preview = await previewTemplate(database.store.db, org, 1, 'fr', '2026-10-08', 'A');
      expect(preview.subject).toBe('Rappel A-1 – Alpha');
      await runDay(database.store, org, { day: '2026-10-02' });
      const report = await runDay(database.store, org, { day: '2026-10-08' });
      expect(report.messages.find((m) => m.customer.ref === 'A')?.subject).toBe('Rappel A-1 – Alpha');
    },
  );
});
