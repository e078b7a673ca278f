import { writeCustomers, writeInvoices } from '../imports/write-batch.ts';
import { netCreditNotes, recordPayment } from '../ledger/allocations.ts';
import { createOrganisation, type Organisation } from '../ledger/organisations.ts';
import type { Store } from '../store/store.ts';
import { generateDemo } from './generate.ts';
import { playDemoHistory } from './history.ts';

export const DEMO_SLUG = 'demo';

export interface DemoSummary {
  org: Organisation;
  created: boolean;
  customers: number;
  invoices: number;
  payments: number;
  /** Replies the customers sent during the played history. */
  replies: number;
}

/**
 * Creates the demo organisation with its customers, invoices, credit notes and payments; once. With
 * `history`, the agent's last two weeks are played too: reminders sent, replies read and acted on.
 */
export async function createDemo(
  store: Store,
  today: string,
  options: { history?: boolean } = {},
): Promise<DemoSummary> {
  const existing = await store.db
    .selectFrom('organisations')
    .selectAll()
    .where('slug', '=', DEMO_SLUG)
    .executeTakeFirst();
  if (existing) return { org: existing, created: false, customers: 0, invoices: 0, payments: 0, replies: 0 };
  const data = generateDemo(today);
  const summary = await store.db.transaction().execute(async (trx) => {
    const org = await createOrganisation(trx, {
      name: 'Atelier Lumière (démo)',
      slug: DEMO_SLUG,
      country: 'FR',
      senderEmail: 'relances@atelier-lumiere.example',
      senderName: 'Atelier Lumière',
      isDemo: true,
    });
    await trx
      .updateTable('organisations')
      .set({
        bank_iban: 'FR7630006000011234567890189',
        bank_bic: 'AGRIFRPPXXX',
        bank_name: 'Crédit Agricole',
        legal_id: '852 123 456',
      })
      .where('id', '=', org.id)
      .execute();
    await trx
      .insertInto('members')
      .values({
        org_id: org.id,
        name: 'Claire Morel',
        email: 'claire@atelier-lumiere.example',
        language: 'fr',
        role: 'owner',
      })
      .execute();
    const importRow = await trx
      .insertInto('imports')
      .values({
        org_id: org.id,
        kind: 'invoices',
        file_name: 'demo',
        format: 'demo',
        sha256: 'demo',
        accepted: data.invoices.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeCustomers(trx, org.id, data.customers);
    await writeInvoices(trx, org.id, importRow.id, data.invoices);
    await netCreditNotes(trx, org.id, importRow.id);
    const ids = new Map(
      (await trx.selectFrom('invoices').select(['id', 'number']).where('org_id', '=', org.id).execute()).map(
        (r) => [r.number, r.id],
      ),
    );
    for (const p of data.payments) {
      const invoiceId = ids.get(p.invoiceNumber)!;
      const current = await trx
        .selectFrom('invoices')
        .select('outstanding')
        .where('org_id', '=', org.id)
        .where('id', '=', invoiceId)
        .executeTakeFirstOrThrow();
      const amount = Math.min(p.amount, current.outstanding);
      if (amount <= 0) continue;
      await recordPayment(
        trx,
        org.id,
        {
          amount,
          currency: p.currency,
          receivedOn: p.receivedOn,
          payerName: p.payerName,
          source: 'demo',
          remittance: `VIR ${p.invoiceNumber}`,
        },
        [{ invoiceId, amount }],
      );
    }
    await trx
      .insertInto('events')
      .values({
        org_id: org.id,
        kind: 'demo.created',
        actor: 'demo',
        day: today,
        summary: 'Demo organisation created',
      })
      .execute();
    return {
      org,
      created: true,
      customers: data.customers.length,
      invoices: data.invoices.length,
      payments: data.payments.length,
      replies: 0,
    };
  });
  if (options.history) summary.replies = (await playDemoHistory(store, summary.org, today)).replies;
  return summary;
}
