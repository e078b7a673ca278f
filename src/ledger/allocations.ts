// Settling invoices: part of a payment or of a credit note goes to an invoice. Rows are locked and
// every amount checked, so an invoice is never settled beyond what it owes nor a credit used twice.
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';
import { InputError } from './organisations.ts';
import { derivedStatusSql } from './status.ts';

export interface Allocation {
  invoiceId: string;
  amount: number;
  paymentId?: string;
  creditNoteId?: string;
}

interface LockedDocument {
  id: string;
  number: string;
  type: string;
  customer_id: string;
  currency: string;
  outstanding: number;
}

async function lockDocument(db: Db, orgId: string, id: string): Promise<LockedDocument> {
  const row = await sql<LockedDocument>`
    select id, number, type, customer_id, currency, outstanding from invoices
     where org_id = ${orgId}::uuid and id = ${id}::uuid for update`.execute(db);
  const doc = row.rows[0];
  if (!doc) throw new InputError(`no invoice or credit note ${id} in this organisation`);
  return doc;
}

async function reduceOutstanding(db: Db, orgId: string, id: string, amount: number): Promise<void> {
  await sql`
    update invoices set outstanding = outstanding - ${amount}::bigint,
           status = ${derivedStatusSql(sql`(outstanding - ${amount}::bigint)`, sql`total`, sql`status`)},
           updated_at = now()
     where org_id = ${orgId}::uuid and id = ${id}::uuid`.execute(db);
}

/** Call inside a transaction. Throws InputError, naming the documents, when the allocation is not possible. */
export async function allocate(db: Db, orgId: string, allocation: Allocation): Promise<void> {
  const { amount } = allocation;
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new InputError(`an allocation must be a positive amount, got ${amount}`);
  if ((allocation.paymentId === undefined) === (allocation.creditNoteId === undefined)) {
    throw new InputError('an allocation comes from exactly one payment or one credit note');
  }
  const invoice = await lockDocument(db, orgId, allocation.invoiceId);
  if (invoice.type !== 'invoice')
    throw new InputError(`${invoice.number} is a credit note; only invoices are settled`);
  if (amount > invoice.outstanding) {
    throw new InputError(
      `${invoice.number} has ${invoice.outstanding} (minor units) still due, less than ${amount}`,
    );
  }
  if (allocation.creditNoteId) {
    const credit = await lockDocument(db, orgId, allocation.creditNoteId);
    if (credit.type !== 'credit_note') throw new InputError(`${credit.number} is not a credit note`);
    if (credit.customer_id !== invoice.customer_id) {
      throw new InputError(
        `credit note ${credit.number} belongs to another customer than invoice ${invoice.number}`,
      );
    }
    if (credit.currency !== invoice.currency) {
      throw new InputError(
        `credit note ${credit.number} is in ${credit.currency}, invoice ${invoice.number} in ${invoice.currency}`,
      );
    }
    if (amount > credit.outstanding)
      throw new InputError(`credit note ${credit.number} has only ${credit.outstanding} left to use`);
    await reduceOutstanding(db, orgId, credit.id, amount);
  } else {
    const payment = await sql<{ currency: string; unallocated: number; customer_id: string | null }>`
      select p.currency, p.customer_id,
             p.amount - coalesce((select sum(a.amount) from allocations a where a.org_id = p.org_id and a.payment_id = p.id), 0) as unallocated
        from payments p where p.org_id = ${orgId}::uuid and p.id = ${allocation.paymentId!}::uuid for update`.execute(
      db,
    );
    const p = payment.rows[0];
    if (!p) throw new InputError(`no payment ${allocation.paymentId} in this organisation`);
    if (p.currency !== invoice.currency)
      throw new InputError(`payment in ${p.currency} cannot settle ${invoice.number} in ${invoice.currency}`);
    if (amount > Number(p.unallocated))
      throw new InputError(`the payment has only ${p.unallocated} left to allocate`);
    if (p.customer_id === null) {
      await sql`update payments set customer_id = ${invoice.customer_id}::uuid
                 where org_id = ${orgId}::uuid and id = ${allocation.paymentId!}::uuid`.execute(db);
    }
  }
  await db
    .insertInto('allocations')
    .values({
      org_id: orgId,
      invoice_id: invoice.id,
      payment_id: allocation.paymentId ?? null,
      credit_note_id: allocation.creditNoteId ?? null,
      amount,
    })
    .execute();
  await reduceOutstanding(db, orgId, invoice.id, amount);
}

export interface NewPayment {
  amount: number;
  currency: string;
  receivedOn: string;
  customerId?: string | null;
  method?: string;
  source?: string;
  reference?: string | null;
  payerName?: string | null;
  payerIban?: string | null;
  remittance?: string | null;
  dedupeKey?: string | null;
}

/** Records a payment and its allocations in the caller's transaction; returns the payment id. */
export async function recordPayment(
  db: Db,
  orgId: string,
  payment: NewPayment,
  allocations: { invoiceId: string; amount: number }[],
): Promise<string> {
  const row = await db
    .insertInto('payments')
    .values({
      org_id: orgId,
      customer_id: payment.customerId ?? null,
      amount: payment.amount,
      currency: payment.currency,
      received_on: payment.receivedOn,
      method: payment.method ?? 'transfer',
      source: payment.source ?? 'manual',
      reference: payment.reference ?? null,
      payer_name: payment.payerName ?? null,
      payer_iban: payment.payerIban ?? null,
      remittance: payment.remittance ?? null,
      dedupe_key: payment.dedupeKey ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const a of allocations) await allocate(db, orgId, { ...a, paymentId: row.id });
  return row.id;
}

/**
 * Nets the credit notes of one import against the invoices they name (`applies_to`), for what both
 * still have open. A credit note the source reports as used (outstanding 0) was netted there already.
 */
export async function netCreditNotes(db: Db, orgId: string, importId: string): Promise<number> {
  // The import's few credit notes first, then their invoices by number: right after a bulk load the
  // planner's statistics still say the table is empty, and it would otherwise walk every open invoice.
  const pairs = await sql<{ credit_id: string; invoice_id: string; amount: number }>`
    with cn as materialized (
      select id, number, applies_to, customer_id, currency, outstanding from invoices
       where org_id = ${orgId}::uuid and import_id = ${importId}::uuid and type = 'credit_note'
         and outstanding > 0 and applies_to is not null)
    select cn.id as credit_id, inv.id as invoice_id, least(cn.outstanding, inv.outstanding) as amount
      from cn
      join invoices inv on inv.org_id = ${orgId}::uuid and inv.number = cn.applies_to and inv.type = 'invoice'
       and inv.customer_id = cn.customer_id and inv.currency = cn.currency
     where inv.outstanding > 0 and inv.status not in ('cancelled', 'written_off')
     order by cn.number`.execute(db);
  let netted = 0;
  for (const pair of pairs.rows) {
    // Re-read inside allocate: an earlier credit note of this import may have settled the same invoice.
    const current = await sql<{ cn: number; inv: number }>`
      select (select outstanding from invoices where org_id = ${orgId}::uuid and id = ${pair.credit_id}::uuid) as cn,
             (select outstanding from invoices where org_id = ${orgId}::uuid and id = ${pair.invoice_id}::uuid) as inv`.execute(
      db,
    );
    const amount = Math.min(Number(current.rows[0]?.cn ?? 0), Number(current.rows[0]?.inv ?? 0));
    if (amount <= 0) continue;
    await allocate(db, orgId, { invoiceId: pair.invoice_id, creditNoteId: pair.credit_id, amount });
    netted++;
  }
  return netted;
}
