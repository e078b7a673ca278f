// Writing what the matcher decided for a batch of bank credits, in the file's transaction: the bank
// entries, payments and their allocations, the differences written off, suggestions for people,
// and the effects on dunning (a paid invoice leaves the queue and its unsent reminders are
// withdrawn), the history with every reason, and the members told in their language.
//
// Set-based, one statement per table and batch: allocate() in src/ledger/allocations.ts does the
// same one row at a time, with the same guarantees, which a hundred thousand entries cannot afford.
// Instead of locking every candidate it read, the batch settles an invoice only if its outstanding
// amount is still the one its decisions were made on (optimistic locking): a decision made on
// figures someone changed meanwhile fails the file, which is then matched again (reconcile.ts).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { withdrawSettledMessages } from '../dunning/withdraw-messages.ts';
import { formatDecimal, formatMoney } from '../ledger/money.ts';
import { derivedStatusSql } from '../ledger/status.ts';
import { type MemberTextKey, memberText } from '../messages/member-texts.ts';
import type { Db } from '../store/store.ts';
import { type NewTask, openTasks } from '../tasks/open-tasks.ts';
import type { MatchDecision, ProposedAllocation } from './match.ts';
import type { BankItem } from './reconcile-entries.ts';

export interface Decided {
  item: BankItem;
  decision: MatchDecision;
}

export interface WriteContext {
  orgId: string;
  importId: string | null;
  day: PlainDate;
  /** The language the organisation's members read (membersLanguage). */
  language: string;
  customerNames: ReadonlyMap<string, string>;
  invoiceNumbers: ReadonlyMap<string, string>;
  /** Each candidate invoice's outstanding amount when the batch read it. */
  loaded: ReadonlyMap<string, number>;
}

export interface BatchOutcome {
  applied: number;
  suggested: number;
  unmatched: number;
  paidInvoices: string[];
  withdrawn: number;
}

export interface EventRow {
  customerId: string | null;
  invoiceId: string | null;
  kind: string;
  summary: string;
  data?: Record<string, unknown>;
}

const money = (minor: number, currency: string) => `${formatDecimal(minor, currency)} ${currency}`;

function reference(item: BankItem): string | null {
  return item.entry.creditorReference ?? item.entry.endToEndId ?? item.entry.bankReference ?? null;
}

export async function writeBatch(db: Db, ctx: WriteContext, decided: Decided[]): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    applied: 0,
    suggested: 0,
    unmatched: 0,
    paidInvoices: [],
    withdrawn: 0,
  };
  if (decided.length === 0) return outcome;
  // Ids are made here, so that every row is written once, in one statement per table, with its links.
  const entryIds = new Map(decided.map((d) => [d.item.dedupeKey, randomUUID()]));
  const applied = decided.filter((d) => d.decision.kind === 'apply');
  const suggested = decided.filter((d) => d.decision.kind !== 'apply');
  const paymentIds = new Map(applied.map((d) => [d.item.dedupeKey, randomUUID()]));
  const suggestionIds = new Map(suggested.map((d) => [d.item.dedupeKey, randomUUID()]));
  const events: EventRow[] = [];

  await insertPayments(db, ctx, applied, paymentIds);
  await insertBankEntries(db, ctx, decided, entryIds, paymentIds);
  const allocations: { invoiceId: string; paymentId: string; amount: number }[] = [];
  const adjustments: { invoiceId: string; paymentId: string; amount: number; kind: string }[] = [];
  for (const d of applied) {
    if (d.decision.kind !== 'apply') continue;
    const paymentId = paymentIds.get(d.item.dedupeKey)!;
    for (const a of d.decision.allocations)
      allocations.push({ invoiceId: a.invoiceId, paymentId, amount: a.amount });
    for (const a of d.decision.adjustments) adjustments.push({ ...a, paymentId });
  }
  const after = await settleInvoices(db, ctx.orgId, allocations, adjustments, ctx.loaded);

  // Customers' accounts learnt from payments an invoice reference identified.
  const learnt = applied.filter(
    (d) =>
      d.decision.kind === 'apply' &&
      d.decision.rule === 'reference' &&
      d.item.payerIban &&
      d.decision.customerId,
  );
  await learnAccounts(
    db,
    ctx.orgId,
    learnt.map((d) => ({
      iban: d.item.payerIban!,
      customerId: d.decision.customerId!,
      day: d.item.bookingDate,
    })),
    'reference',
  );

  // The team hears of a payment when it concerns an invoice the agent was chasing (reminded, or a
  // reminder planned): a statement of routine payments is one summary, not thousands of notices.
  const chased = await chasedInvoices(db, ctx.orgId, [...after.keys()]);
  const notices: NoticeRow[] = [];
  for (const d of applied) {
    if (d.decision.kind !== 'apply') continue;
    const paymentId = paymentIds.get(d.item.dedupeKey)!;
    const e = d.item.entry;
    const parts = d.decision.allocations.map((a) => {
      const left = after.get(a.invoiceId)?.outstanding ?? 0;
      return `${money(a.amount, e.currency)} to ${a.number}, ${left <= 0 ? 'now paid' : `${money(left, e.currency)} still due`}`;
    });
    const single = d.decision.allocations.length === 1 ? d.decision.allocations[0]!.invoiceId : null;
    events.push({
      customerId: d.decision.customerId,
      invoiceId: single,
      kind: 'payment.applied',
      summary: `Payment of ${money(e.amount, e.currency)}${d.item.payerName ? ` from ${d.item.payerName}` : ''} on ${d.item.bookingDate}: ${parts.join('; ')}${d.decision.unallocated > 0 ? `; ${money(d.decision.unallocated, e.currency)} kept as credit` : ''} (confidence ${Math.round(d.decision.confidence * 100)} %: ${d.decision.reasons.join('; ')})`,
      data: { paymentId },
    });
    if (d.decision.allocations.some((a) => chased.has(a.invoiceId)))
      notices.push(paymentNotice(ctx, d.decision.customerId, d.item, d.decision.allocations, after));
    outcome.applied++;
  }

  // Suggestions, each with a task for a person.
  await insertSuggestions(db, ctx, suggested, entryIds, suggestionIds);
  const tasks: NewTask[] = [];
  for (const d of suggested) {
    const id = suggestionIds.get(d.item.dedupeKey)!;
    const proposal = d.decision.kind === 'unmatched' ? [] : d.decision.allocations;
    const customerId = d.decision.customerId;
    const e = d.item.entry;
    const who = (customerId && ctx.customerNames.get(customerId)) || d.item.payerName;
    tasks.push({
      customerId,
      kind: 'payment_to_confirm',
      causeKey: `payment_suggestion:${id}`,
      title: memberText('task.payment_to_confirm', ctx.language, {
        amount: formatMoney(e.amount, e.currency, ctx.language),
        date: formatDay(d.item.bookingDate, ctx.language),
        customer_name: who,
        invoice_number: proposal.map((a) => a.number).join(', '),
      }),
      detail: {
        reason: d.decision.reasons.join('; '),
        invoices: proposal.map((a) => a.number),
        suggestionId: id,
      },
    });
    events.push({
      customerId,
      invoiceId: null,
      kind: 'payment.suggested',
      summary: `Payment of ${money(e.amount, e.currency)}${d.item.payerName ? ` from ${d.item.payerName}` : ''} on ${d.item.bookingDate} awaits a person: ${proposal.length ? `proposed for ${proposal.map((a) => `${a.number} (${money(a.amount, e.currency)})`).join(', ')}` : 'no invoice proposed'} (confidence ${Math.round(d.decision.confidence * 100)} %: ${d.decision.reasons.join('; ')})`,
      data: { suggestionId: id },
    });
    if (d.decision.kind === 'unmatched') outcome.unmatched++;
    else outcome.suggested++;
  }
  await openTasks(db, ctx.orgId, ctx.day, tasks);

  const paid = [...after].filter(([, v]) => v.outstanding <= 0).map(([id]) => id);
  const effects = await settlementEffects(
    db,
    ctx.orgId,
    paid,
    'paid: the bank statement shows the payment',
    events,
  );
  outcome.withdrawn = effects.withdrawn;
  outcome.paidInvoices = paid.map((id) => ctx.invoiceNumbers.get(id) ?? id);
  await insertEvents(db, ctx.orgId, ctx.day, 'agent', events);
  await insertNotices(db, ctx.orgId, ctx.day, ctx.language, notices);
  return outcome;
}

async function insertBankEntries(
  db: Db,
  ctx: WriteContext,
  decided: Decided[],
  ids: Map<string, string>,
  paymentIds: Map<string, string>,
): Promise<void> {
  const items = decided.map((d) => d.item);
  await sql`
    insert into bank_entries (id, org_id, import_id, dedupe_key, account, amount, currency, direction, booking_date, value_date,
                              bank_reference, end_to_end_id, creditor_reference, remittance, payer_name, payer_iban,
                              reversal, outcome, outcome_reason, payment_id)
    select t.id, ${ctx.orgId}::uuid, ${ctx.importId}::uuid, t.key, t.account, t.amount, t.currency, 'credit', t.booking_date,
           t.value_date, t.bank_reference, t.end_to_end_id, t.creditor_reference, t.remittance, t.payer_name, t.payer_iban,
           false, t.outcome, t.reason, t.payment_id
      from unnest(${items.map((i) => ids.get(i.dedupeKey)!)}::uuid[], ${items.map((i) => i.dedupeKey)}::text[],
                  ${items.map((i) => i.account)}::text[],
                  ${items.map((i) => i.entry.amount)}::bigint[], ${items.map((i) => i.entry.currency)}::text[],
                  ${items.map((i) => i.bookingDate)}::date[], ${items.map((i) => i.entry.valueDate ?? null)}::date[],
                  ${items.map((i) => i.entry.bankReference ?? null)}::text[], ${items.map((i) => i.entry.endToEndId ?? null)}::text[],
                  ${items.map((i) => i.entry.creditorReference ?? null)}::text[], ${items.map((i) => i.entry.remittance ?? null)}::text[],
                  ${items.map((i) => i.payerName ?? null)}::text[], ${items.map((i) => i.payerIban ?? null)}::text[],
                  ${decided.map((d) => (d.decision.kind === 'apply' ? 'applied' : 'suggested'))}::text[],
                  ${decided.map((d) => (d.decision.kind === 'unmatched' ? d.decision.reason : null))}::text[],
                  ${items.map((i) => paymentIds.get(i.dedupeKey) ?? null)}::uuid[])
        as t(id, key, account, amount, currency, booking_date, value_date, bank_reference, end_to_end_id, creditor_reference,
             remittance, payer_name, payer_iban, outcome, reason, payment_id)`.execute(db);
}

async function insertPayments(
  db: Db,
  ctx: WriteContext,
  applied: Decided[],
  ids: Map<string, string>,
): Promise<void> {
  const list = applied.flatMap((d) =>
    d.decision.kind === 'apply' ? [{ item: d.item, decision: d.decision }] : [],
  );
  if (list.length === 0) return;
  await sql`
    insert into payments (id, org_id, customer_id, amount, currency, received_on, method, source, reference, payer_name,
                          payer_iban, remittance, dedupe_key, match_confidence, match_reasons)
    select t.id, ${ctx.orgId}::uuid, t.customer_id, t.amount, t.currency, t.received_on, 'transfer', 'bank', t.reference,
           t.payer_name, t.payer_iban, t.remittance, t.key, t.confidence, t.reasons::jsonb
      from unnest(${list.map((d) => ids.get(d.item.dedupeKey)!)}::uuid[], ${list.map((d) => d.decision.customerId)}::uuid[],
                  ${list.map((d) => d.item.entry.amount)}::bigint[],
                  ${list.map((d) => d.item.entry.currency)}::text[], ${list.map((d) => d.item.bookingDate)}::date[],
                  ${list.map((d) => reference(d.item))}::text[], ${list.map((d) => d.item.payerName ?? null)}::text[],
                  ${list.map((d) => d.item.payerIban ?? null)}::text[], ${list.map((d) => d.item.entry.remittance ?? null)}::text[],
                  ${list.map((d) => d.item.dedupeKey)}::text[],
                  ${list.map((d) => Math.round(d.decision.confidence * 100))}::integer[],
                  ${list.map((d) => JSON.stringify(d.decision.reasons))}::text[])
        as t(id, customer_id, amount, currency, received_on, reference, payer_name, payer_iban, remittance, key,
             confidence, reasons)`.execute(db);
}

/** Another import or a person changed an invoice while this statement was being matched. */
export class ConcurrentChange extends Error {
  readonly code = 'concurrent_change';
}

/**
 * Writes allocations and write-offs and lowers the invoices' outstanding amounts, deriving their
 * status as allocate() does. With `before` (the amounts the decisions were made on), an invoice is
 * settled only if its outstanding amount is still that; without, only if it covers what is taken.
 * Either way an invoice never goes below zero. Returns each touched invoice's new amount and status.
 */
export async function settleInvoices(
  db: Db,
  orgId: string,
  allocations: { invoiceId: string; paymentId: string; amount: number }[],
  adjustments: { invoiceId: string; paymentId: string; amount: number; kind: string }[],
  before?: ReadonlyMap<string, number>,
): Promise<Map<string, { outstanding: number; status: string }>> {
  const after = new Map<string, { outstanding: number; status: string }>();
  if (allocations.length === 0 && adjustments.length === 0) return after;
  if (allocations.length > 0) {
    await sql`
      insert into allocations (org_id, invoice_id, payment_id, amount)
      select ${orgId}::uuid, t.invoice_id, t.payment_id, t.amount
        from unnest(${allocations.map((a) => a.invoiceId)}::uuid[], ${allocations.map((a) => a.paymentId)}::uuid[],
                    ${allocations.map((a) => a.amount)}::bigint[]) as t(invoice_id, payment_id, amount)`.execute(
      db,
    );
  }
  if (adjustments.length > 0) {
    await sql`
      insert into payment_adjustments (org_id, payment_id, invoice_id, amount, kind)
      select ${orgId}::uuid, t.payment_id, t.invoice_id, t.amount, t.kind
        from unnest(${adjustments.map((a) => a.paymentId)}::uuid[], ${adjustments.map((a) => a.invoiceId)}::uuid[],
                    ${adjustments.map((a) => a.amount)}::bigint[], ${adjustments.map((a) => a.kind)}::text[])
          as t(payment_id, invoice_id, amount, kind)`.execute(db);
  }
  const taken = new Map<string, number>();
  for (const a of [...allocations, ...adjustments])
    taken.set(a.invoiceId, (taken.get(a.invoiceId) ?? 0) + a.amount);
  const ids = [...taken.keys()];
  const rows = await sql<{ id: string; outstanding: number; status: string }>`
    update invoices i set outstanding = i.outstanding - t.amount,
           status = ${derivedStatusSql(sql`(i.outstanding - t.amount)`, sql`i.total`, sql`i.status`)},
           updated_at = now()
      from unnest(${ids}::uuid[], ${ids.map((id) => taken.get(id)!)}::bigint[],
                  ${ids.map((id) => before?.get(id) ?? null)}::bigint[]) as t(invoice_id, amount, before)
     where i.org_id = ${orgId}::uuid and i.id = t.invoice_id and i.type = 'invoice' and i.outstanding >= t.amount
       and (t.before is null or i.outstanding = t.before)
    returning i.id, i.outstanding, i.status`.execute(db);
  if (rows.rows.length !== ids.length) {
    throw new ConcurrentChange(
      `${ids.length - rows.rows.length} invoice(s) changed while the statement was being matched; nothing was imported`,
    );
  }
  for (const r of rows.rows) after.set(r.id, { outstanding: Number(r.outstanding), status: r.status });
  return after;
}

/** The invoices among these that the agent has reminded, or has a reminder planned for. */
async function chasedInvoices(db: Db, orgId: string, invoiceIds: string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await sql<{ invoice_id: string }>`
    select invoice_id from dunning_state
     where org_id = ${orgId}::uuid and invoice_id = any(${invoiceIds}::uuid[])
       and (reminders_sent > 0 or next_date is not null)`.execute(db);
  return new Set(rows.rows.map((r) => r.invoice_id));
}

/** Remembers which customer pays from which account, for the next transfer without a reference. */
export async function learnAccounts(
  db: Db,
  orgId: string,
  accounts: { iban: string; customerId: string; day: string }[],
  source: 'reference' | 'confirmed' | 'manual',
): Promise<void> {
  const unique = [...new Map(accounts.map((a) => [`${a.iban}|${a.customerId}`, a])).values()];
  if (unique.length === 0) return;
  await sql`
    insert into customer_accounts (org_id, iban, customer_id, source, payments, last_seen)
    select ${orgId}::uuid, t.iban, t.customer_id, ${source}, 1, t.day
      from unnest(${unique.map((a) => a.iban)}::text[], ${unique.map((a) => a.customerId)}::uuid[],
                  ${unique.map((a) => a.day)}::date[]) as t(iban, customer_id, day)
    on conflict (org_id, iban, customer_id) do update
      set payments = customer_accounts.payments + 1, last_seen = greatest(customer_accounts.last_seen, excluded.last_seen),
          source = case when excluded.source = 'confirmed' then 'confirmed' else customer_accounts.source end`.execute(
    db,
  );
}

/**
 * What a settled invoice means for dunning, at once rather than at the next run: its next step
 * leaves the queue, and unsent messages that asked only for settled invoices are withdrawn.
 */
export async function settlementEffects(
  db: Db,
  orgId: string,
  paidInvoiceIds: string[],
  reason: string,
  events: EventRow[],
): Promise<{ withdrawn: number }> {
  if (paidInvoiceIds.length === 0) return { withdrawn: 0 };
  await sql`
    update dunning_state set next_level = null, next_date = null, next_status = null, next_reason = null, send_now = false,
           updated_at = now()
     where org_id = ${orgId}::uuid and invoice_id = any(${paidInvoiceIds}::uuid[]) and next_date is not null`.execute(
    db,
  );
  const withdrawn = await withdrawSettledMessages(db, orgId, paidInvoiceIds, reason);
  for (const m of withdrawn) {
    events.push({
      customerId: m.customerId,
      invoiceId: null,
      kind: 'message.withdrawn',
      summary: `Reminder withdrawn before it left: ${reason}`,
      data: { messageId: m.id },
    });
  }
  return { withdrawn: withdrawn.length };
}

async function insertSuggestions(
  db: Db,
  ctx: WriteContext,
  list: Decided[],
  entryIds: Map<string, string>,
  ids: Map<string, string>,
): Promise<void> {
  if (list.length === 0) return;
  const proposal = (d: MatchDecision) =>
    JSON.stringify(
      d.kind === 'unmatched'
        ? { allocations: [], adjustments: [], unallocated: null }
        : { allocations: d.allocations, adjustments: d.adjustments, unallocated: d.unallocated },
    );
  await sql`
    insert into payment_suggestions (id, org_id, bank_entry_id, customer_id, proposal, confidence, reasons, created_on)
    select t.id, ${ctx.orgId}::uuid, t.entry_id, t.customer_id, t.proposal::jsonb, t.confidence, t.reasons::jsonb,
           ${ctx.day}::date
      from unnest(${list.map((d) => ids.get(d.item.dedupeKey)!)}::uuid[],
                  ${list.map((d) => entryIds.get(d.item.dedupeKey)!)}::uuid[], ${list.map((d) => d.decision.customerId)}::uuid[],
                  ${list.map((d) => proposal(d.decision))}::text[],
                  ${list.map((d) => Math.round(d.decision.confidence * 100))}::integer[],
                  ${list.map((d) => JSON.stringify(d.decision.reasons))}::text[])
        as t(id, entry_id, customer_id, proposal, confidence, reasons)`.execute(db);
}

export interface NoticeRow {
  customerId: string | null;
  kind: string;
  title: string;
  data: Record<string, unknown>;
}

/** "Boulangerie Martin paid 1 250,00 € for F-1001: reminders stopped", or what is left to pay. */
export function paymentNotice(
  ctx: Pick<WriteContext, 'language' | 'customerNames'>,
  customerId: string | null,
  item: Pick<BankItem, 'payerName' | 'bookingDate'> & { entry: { amount: number; currency: string } },
  allocations: readonly ProposedAllocation[],
  after: ReadonlyMap<string, { outstanding: number }>,
): NoticeRow {
  const { amount, currency } = item.entry;
  const name = (customerId && ctx.customerNames.get(customerId)) || item.payerName || '';
  const open = allocations.filter((a) => (after.get(a.invoiceId)?.outstanding ?? 0) > 0);
  const key: MemberTextKey = open.length > 0 ? 'notice.partial_payment' : 'notice.payment_received';
  const remaining = open.reduce((s, a) => s + (after.get(a.invoiceId)?.outstanding ?? 0), 0);
  return {
    customerId,
    kind: open.length > 0 ? 'payment.partial' : 'payment.received',
    title: memberText(key, ctx.language, {
      customer_name: name,
      amount: formatMoney(amount, currency, ctx.language),
      invoice_number: (open.length > 0 ? open : allocations).map((a) => a.number).join(', '),
      remaining: formatMoney(remaining, currency, ctx.language),
    }),
    data: {
      amount: formatDecimal(amount, currency),
      currency,
      receivedOn: item.bookingDate,
      invoices: allocations.map((a) => a.number),
    },
  };
}

export async function insertNotices(
  db: Db,
  orgId: string,
  day: PlainDate,
  language: string,
  notices: NoticeRow[],
): Promise<void> {
  if (notices.length === 0) return;
  await sql`
    insert into notifications (org_id, customer_id, kind, title, language, data, day)
    select ${orgId}::uuid, t.customer_id, t.kind, t.title, ${language}, t.data::jsonb, ${day}::date
      from unnest(${notices.map((n) => n.customerId)}::uuid[], ${notices.map((n) => n.kind)}::text[],
                  ${notices.map((n) => n.title)}::text[], ${notices.map((n) => JSON.stringify(n.data))}::text[])
        as t(customer_id, kind, title, data)`.execute(db);
}

export async function insertEvents(
  db: Db,
  orgId: string,
  day: PlainDate,
  actor: string,
  events: EventRow[],
): Promise<void> {
  if (events.length === 0) return;
  await sql`
    insert into events (org_id, customer_id, invoice_id, day, kind, actor, summary, data)
    select ${orgId}::uuid, t.customer_id, t.invoice_id, ${day}::date, t.kind, ${actor}, t.summary, t.data::jsonb
      from unnest(${events.map((e) => e.customerId)}::uuid[], ${events.map((e) => e.invoiceId)}::uuid[],
                  ${events.map((e) => e.kind)}::text[], ${events.map((e) => e.summary)}::text[],
                  ${events.map((e) => (e.data ? JSON.stringify(e.data) : null))}::text[])
        as t(customer_id, invoice_id, kind, summary, data)`.execute(db);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day as members read it: "13 novembre 2026". */
export function formatDay(day: PlainDate, language: string): string {
  let format = dayFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    dayFormats.set(language, format);
  }
  return format.format(new Date(`${day}T00:00:00Z`));
}
