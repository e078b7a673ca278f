// Payments and payment suggestions as people and scripts read them (CONTRACT.md §1 conventions:
// decimal strings beside their currency, plain dates, `customer: { ref, name }`).
import { sql } from 'kysely';
import { formatDecimal } from '../ledger/money.ts';
import { InputError } from '../ledger/organisations.ts';
import type { Db } from '../store/store.ts';
import type { ProposedAdjustment, ProposedAllocation } from './match.ts';

export interface PaymentListing {
  id: string;
  receivedOn: string;
  amount: string;
  currency: string;
  customer: { ref: string; name: string } | null;
  payer: { name: string | null; iban: string | null };
  reference: string | null;
  remittance: string | null;
  source: string;
  status: 'applied' | 'reversed';
  reversedOn: string | null;
  allocations: { invoice: string; amount: string }[];
  writtenOff: { invoice: string; amount: string; kind: string }[];
  unallocated: string;
  confidence: number | null;
  reasons: string[];
}

/** Where a page of payments ends: the last one's day, moment of recording and id (newest first). */
export interface PaymentPosition {
  on: string;
  at: string;
  id: string;
}

export async function listPayments(
  db: Db,
  orgId: string,
  filter: { customerRef?: string | undefined; limit?: number; after?: PaymentPosition | undefined } = {},
): Promise<PaymentListing[]> {
  return (await listPaymentsPage(db, orgId, { ...filter, limit: filter.limit ?? 500 })).items;
}

/** A page of payments, newest first, and the position of its last one when more follow. */
export async function listPaymentsPage(
  db: Db,
  orgId: string,
  filter: { customerRef?: string | undefined; limit: number; after?: PaymentPosition | undefined },
): Promise<{ items: PaymentListing[]; next: PaymentPosition | null }> {
  const { after } = filter;
  const found = await sql<{
    id: string;
    received_on: string;
    created_at: string;
    amount: number;
    currency: string;
    ref: string | null;
    name: string | null;
    payer_name: string | null;
    payer_iban: string | null;
    reference: string | null;
    remittance: string | null;
    source: string;
    reversed_on: string | null;
    match_confidence: number | null;
    match_reasons: string[] | null;
  }>`
    select p.id, p.received_on, to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as created_at,
           p.amount, p.currency, c.ref, c.name, p.payer_name, p.payer_iban, p.reference, p.remittance,
           p.source, p.reversed_on, p.match_confidence, p.match_reasons
      from payments p left join customers c on c.id = p.customer_id and c.org_id = p.org_id
     where p.org_id = ${orgId}::uuid ${filter.customerRef ? sql`and c.ref = ${filter.customerRef}` : sql``}
       ${
         after
           ? sql`and (p.received_on, p.created_at at time zone 'UTC', p.id) < (${after.on}::date, ${after.at}::timestamp, ${after.id}::uuid)`
           : sql``
       }
     order by p.received_on desc, p.created_at desc, p.id desc
     limit ${filter.limit + 1}`.execute(db);
  const more = found.rows.length > filter.limit;
  const rows = found.rows.slice(0, filter.limit);
  const ids = rows.map((r) => r.id);
  const parts = ids.length
    ? await sql<{ payment_id: string; number: string; amount: number; kind: string | null }>`
        select a.payment_id, i.number, a.amount, null as kind from allocations a
          join invoices i on i.id = a.invoice_id and i.org_id = a.org_id
         where a.org_id = ${orgId}::uuid and a.payment_id = any(${ids}::uuid[])
        union all
        select a.payment_id, i.number, a.amount, a.kind from payment_adjustments a
          join invoices i on i.id = a.invoice_id and i.org_id = a.org_id
         where a.org_id = ${orgId}::uuid and a.payment_id = any(${ids}::uuid[])
        order by 2`.execute(db)
    : { rows: [] };
  const byPayment = new Map<string, typeof parts.rows>();
  for (const p of parts.rows) byPayment.set(p.payment_id, [...(byPayment.get(p.payment_id) ?? []), p]);
  const items = rows.map((r): PaymentListing => {
    const mine = byPayment.get(r.id) ?? [];
    const allocations = mine.filter((m) => m.kind === null);
    const allocated = allocations.reduce((s, a) => s + Number(a.amount), 0);
    return {
      id: r.id,
      receivedOn: r.received_on,
      amount: formatDecimal(Number(r.amount), r.currency),
      currency: r.currency,
      customer: r.ref ? { ref: r.ref, name: r.name ?? '' } : null,
      payer: { name: r.payer_name, iban: r.payer_iban },
      reference: r.reference,
      remittance: r.remittance,
      source: r.source,
      status: r.reversed_on ? 'reversed' : 'applied',
      reversedOn: r.reversed_on,
      allocations: allocations.map((a) => ({
        invoice: a.number,
        amount: formatDecimal(Number(a.amount), r.currency),
      })),
      writtenOff: mine
        .filter((m) => m.kind !== null)
        .map((a) => ({
          invoice: a.number,
          amount: formatDecimal(Number(a.amount), r.currency),
          kind: a.kind!,
        })),
      unallocated: formatDecimal(Number(r.amount) - allocated, r.currency),
      confidence: r.match_confidence === null ? null : r.match_confidence / 100,
      reasons: r.match_reasons ?? [],
    };
  });
  const last = rows.at(-1);
  return { items, next: more && last ? { on: last.received_on, at: last.created_at, id: last.id } : null };
}

export const SUGGESTION_STATUSES = ['open', 'confirmed', 'rejected'] as const;

export interface SuggestionListing {
  id: string;
  status: string;
  receivedOn: string;
  amount: string;
  currency: string;
  payer: { name: string | null; iban: string | null };
  remittance: string | null;
  reference: string | null;
  customer: { ref: string; name: string } | null;
  proposal: { invoice: string; amount: string }[];
  writeOff: { invoice: string; amount: string; kind: string }[];
  confidence: number;
  reasons: string[];
  createdOn: string;
}

export async function listSuggestions(
  db: Db,
  orgId: string,
  filter: { status?: string } = {},
): Promise<SuggestionListing[]> {
  const status = filter.status ?? 'open';
  if (status !== 'all' && !(SUGGESTION_STATUSES as readonly string[]).includes(status))
    throw new InputError(`--status: expected ${SUGGESTION_STATUSES.join(', ')} or all, got "${status}"`);
  const rows = await sql<{
    id: string;
    status: string;
    booking_date: string;
    amount: number;
    currency: string;
    payer_name: string | null;
    payer_iban: string | null;
    remittance: string | null;
    reference: string | null;
    ref: string | null;
    name: string | null;
    proposal: { allocations?: ProposedAllocation[]; adjustments?: ProposedAdjustment[] } | null;
    confidence: number;
    reasons: string[];
    created_on: string;
  }>`
    select s.id, s.status, b.booking_date, b.amount, b.currency, b.payer_name, b.payer_iban, b.remittance,
           coalesce(b.creditor_reference, b.end_to_end_id, b.bank_reference) as reference, c.ref, c.name, s.proposal,
           s.confidence, s.reasons, s.created_on
      from payment_suggestions s
      join bank_entries b on b.id = s.bank_entry_id and b.org_id = s.org_id
      left join customers c on c.id = s.customer_id and c.org_id = s.org_id
     where s.org_id = ${orgId}::uuid ${status === 'all' ? sql`` : sql`and s.status = ${status}`}
     order by b.booking_date, s.created_at`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    status: r.status,
    receivedOn: r.booking_date,
    amount: formatDecimal(Number(r.amount), r.currency),
    currency: r.currency,
    payer: { name: r.payer_name, iban: r.payer_iban },
    remittance: r.remittance,
    reference: r.reference,
    customer: r.ref ? { ref: r.ref, name: r.name ?? '' } : null,
    proposal: (r.proposal?.allocations ?? []).map((a) => ({
      invoice: a.number,
      amount: formatDecimal(a.amount, r.currency),
    })),
    writeOff: (r.proposal?.adjustments ?? []).map((a) => ({
      invoice: a.number,
      amount: formatDecimal(a.amount, r.currency),
      kind: a.kind,
    })),
    confidence: r.confidence / 100,
    reasons: r.reasons,
    createdOn: r.created_on,
  }));
}
