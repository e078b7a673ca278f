// What a person does with payments: confirm a suggestion as proposed or corrected (one action),
// reject it, or record a payment by hand. Each goes through the ledger's own allocate(), has the
// same effects on dunning as an automatic match, and is written in the history with who did it.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { recordPayment } from '../ledger/allocations.ts';
import { formatDecimal, formatMoney, parseAmount } from '../ledger/money.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { Db, Store } from '../store/store.ts';
import { closeTasks } from '../tasks/open-tasks.ts';
import type { ProposedAdjustment, ProposedAllocation } from './match.ts';
import { membersLanguageOf } from './reconcile.ts';
import {
  type EventRow,
  insertEvents,
  insertNotices,
  learnAccounts,
  paymentNotice,
  settleInvoices,
  settlementEffects,
} from './reconcile-write.ts';

export interface AllocationInput {
  invoiceNumber: string;
  /** Minor units of the payment's currency, or a decimal as people type it ("12.50", "1 234,56"). */
  amount: number | string;
}

/** Minor units from a number already in minor units or from a decimal typed by a person. */
function minorUnits(amount: number | string, currency: string, field: string): number {
  if (typeof amount === 'number') return amount;
  const parsed = parseAmount(amount, currency);
  if (!parsed.ok) throw new InputError(`${field}: ${parsed.reason}`);
  if (parsed.minor <= 0) throw new InputError(`${field}: a payment is a positive amount, got "${amount}"`);
  return parsed.minor;
}

export interface PaymentActionResult {
  paymentId: string;
  customer: { ref: string; name: string } | null;
  amount: string;
  currency: string;
  invoices: { number: string; amount: string; outstanding: string; status: string }[];
  unallocated: string;
  withdrawnMessages: number;
  message: string;
}

interface StoredProposal {
  allocations?: ProposedAllocation[];
  adjustments?: ProposedAdjustment[];
}

interface Target {
  id: string;
  number: string;
  customer_id: string;
  type: string;
  currency: string;
  outstanding: number;
}

async function invoicesByNumber(db: Db, orgId: string, numbers: string[]): Promise<Map<string, Target>> {
  const rows = await sql<Target>`
    select id, number, customer_id, type, currency, outstanding from invoices
     where org_id = ${orgId}::uuid and number = any(${numbers}::text[])`.execute(db);
  const found = new Map(rows.rows.map((r) => [r.number, { ...r, outstanding: Number(r.outstanding) }]));
  const missing = numbers.filter((n) => !found.has(n));
  if (missing.length) throw new InputError(`no invoice ${missing.join(', ')} in this organisation`);
  for (const t of found.values())
    if (t.type !== 'invoice') throw new InputError(`${t.number} is a credit note; only invoices are paid`);
  return found;
}

interface SuggestionRow {
  id: string;
  status: string;
  customer_id: string | null;
  proposal: unknown;
  reasons: string[];
  entry_id: string;
  dedupe_key: string;
  amount: number;
  currency: string;
  booking_date: string;
  payer_name: string | null;
  payer_iban: string | null;
  remittance: string | null;
  reference: string | null;
}

async function lockSuggestion(db: Db, orgId: string, id: string): Promise<SuggestionRow> {
  if (!/^[0-9a-f-]{6,36}$/i.test(id))
    throw new InputError(`expected a suggestion id (\`ardent suggestions\` lists them), got "${id}"`);
  const rows = await sql<SuggestionRow>`
    select s.id, s.status, s.customer_id, s.proposal, s.reasons, b.id as entry_id, b.dedupe_key, b.amount, b.currency,
           b.booking_date, b.payer_name, b.payer_iban, b.remittance,
           coalesce(b.creditor_reference, b.end_to_end_id, b.bank_reference) as reference
      from payment_suggestions s join bank_entries b on b.id = s.bank_entry_id and b.org_id = s.org_id
     where s.org_id = ${orgId}::uuid and s.id::text like ${`${id.toLowerCase()}%`}
     limit 2
       for update of s, b`.execute(db);
  if (rows.rows.length === 0) throw new InputError(`no payment suggestion ${id} in this organisation`);
  if (rows.rows.length > 1) throw new InputError(`several suggestions start with ${id}: give more of the id`);
  const row = rows.rows[0]!;
  if (row.status !== 'open') throw new InputError(`suggestion ${row.id} is already ${row.status}`);
  return { ...row, amount: Number(row.amount) };
}

/**
 * A person confirms a suggested match: as proposed, or with the allocations they name (which
 * replace the proposal). Money left over stays on the payment as credit.
 */
export async function confirmSuggestion(
  store: Store,
  org: Organisation,
  suggestionId: string,
  options: { allocations?: AllocationInput[]; actor: string; today: PlainDate },
): Promise<PaymentActionResult> {
  return store.db.transaction().execute(async (db) => {
    const s = await lockSuggestion(db, org.id, suggestionId);
    const proposal = (s.proposal ?? {}) as StoredProposal;
    const corrected = options.allocations !== undefined && options.allocations.length > 0;
    const wanted = (
      corrected
        ? options.allocations!
        : (proposal.allocations ?? []).map((a) => ({ invoiceNumber: a.number, amount: a.amount }))
    ).map((w) => ({
      invoiceNumber: w.invoiceNumber,
      amount: minorUnits(w.amount, s.currency, `--amount for ${w.invoiceNumber}`),
    }));
    if (wanted.length === 0)
      throw new InputError(
        `nothing is proposed for suggestion ${s.id}: name the invoices it pays (--invoice N --amount A)`,
      );
    const targets = await invoicesByNumber(
      db,
      org.id,
      wanted.map((w) => w.invoiceNumber),
    );
    checkAllocations(wanted, targets, s.amount, s.currency);
    const customerIds = new Set(wanted.map((w) => targets.get(w.invoiceNumber)!.customer_id));
    const customerId = customerIds.size === 1 ? [...customerIds][0]! : s.customer_id;
    const paymentId = await recordPayment(
      db,
      org.id,
      {
        amount: s.amount,
        currency: s.currency,
        receivedOn: s.booking_date,
        customerId,
        method: 'transfer',
        source: 'bank',
        reference: s.reference,
        payerName: s.payer_name,
        payerIban: s.payer_iban,
        remittance: s.remittance,
        dedupeKey: s.dedupe_key,
      },
      wanted.map((w) => ({ invoiceId: targets.get(w.invoiceNumber)!.id, amount: w.amount })),
    );
    const reasons = [
      ...s.reasons,
      corrected ? `corrected and confirmed by ${options.actor}` : `confirmed by ${options.actor}`,
    ];
    await sql`update payments set match_confidence = 100, match_reasons = ${JSON.stringify(reasons)}::jsonb
               where org_id = ${org.id}::uuid and id = ${paymentId}::uuid`.execute(db);
    // The write-offs proposed (a bank fee, a discount) go with the proposal, not with a correction.
    if (!corrected && proposal.adjustments?.length) {
      await settleInvoices(
        db,
        org.id,
        [],
        proposal.adjustments.map((a) => ({
          invoiceId: a.invoiceId,
          paymentId,
          amount: a.amount,
          kind: a.kind,
        })),
      );
    }
    await sql`update bank_entries set outcome = 'applied', payment_id = ${paymentId}::uuid
               where org_id = ${org.id}::uuid and id = ${s.entry_id}::uuid`.execute(db);
    await sql`update payment_suggestions set status = 'confirmed', payment_id = ${paymentId}::uuid,
                     resolved_by = ${options.actor}, resolved_at = now()
               where org_id = ${org.id}::uuid and id = ${s.id}::uuid`.execute(db);
    await closeTasks(db, org.id, [`payment_suggestion:${s.id}`], { by: options.actor, action: 'confirmed' });
    if (s.payer_iban && customerId)
      await learnAccounts(db, org.id, [{ iban: s.payer_iban, customerId, day: s.booking_date }], 'confirmed');
    return finish(db, org, {
      paymentId,
      customerId,
      amount: s.amount,
      currency: s.currency,
      receivedOn: s.booking_date,
      payerName: s.payer_name,
      actor: options.actor,
      today: options.today,
      kind: 'payment.confirmed',
      what: `Payment of ${formatDecimal(s.amount, s.currency)} ${s.currency}${s.payer_name ? ` from ${s.payer_name}` : ''} on ${s.booking_date} ${corrected ? 'corrected and confirmed' : 'confirmed'} by ${options.actor}`,
      notify: true,
    });
  });
}

export async function rejectSuggestion(
  store: Store,
  org: Organisation,
  suggestionId: string,
  options: { actor: string; today: PlainDate; reason?: string },
): Promise<{ id: string; message: string }> {
  return store.db.transaction().execute(async (db) => {
    const s = await lockSuggestion(db, org.id, suggestionId);
    const why = options.reason ?? 'not a payment of our invoices';
    await sql`update payment_suggestions set status = 'rejected', resolved_by = ${options.actor}, resolved_at = now()
               where org_id = ${org.id}::uuid and id = ${s.id}::uuid`.execute(db);
    await sql`update bank_entries set outcome = 'ignored', outcome_reason = ${`rejected by ${options.actor}: ${why}`}
               where org_id = ${org.id}::uuid and id = ${s.entry_id}::uuid`.execute(db);
    await closeTasks(db, org.id, [`payment_suggestion:${s.id}`], {
      by: options.actor,
      action: 'rejected',
      reason: why,
    });
    await insertEvents(db, org.id, options.today, options.actor, [
      {
        customerId: s.customer_id,
        invoiceId: null,
        kind: 'payment.rejected',
        summary: `Bank credit of ${formatDecimal(s.amount, s.currency)} ${s.currency}${s.payer_name ? ` from ${s.payer_name}` : ''} on ${s.booking_date} set aside by ${options.actor}: ${why}`,
        data: { suggestionId: s.id },
      },
    ]);
    return { id: s.id, message: `set aside: ${why}` };
  });
}

/** A payment received outside any statement (a cheque, cash, a transfer seen elsewhere). */
export async function recordManualPayment(
  store: Store,
  org: Organisation,
  input: {
    invoiceNumber: string;
    amount: number | string;
    currency?: string;
    receivedOn: PlainDate;
    reference?: string;
    actor: string;
    today: PlainDate;
  },
): Promise<PaymentActionResult> {
  return store.db.transaction().execute(async (db) => {
    const targets = await invoicesByNumber(db, org.id, [input.invoiceNumber]);
    const invoice = targets.get(input.invoiceNumber)!;
    const amount = minorUnits(input.amount, invoice.currency, '--amount');
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new InputError('--amount: a payment is a positive amount');
    const locked = await sql<{ outstanding: number }>`
      select outstanding from invoices where org_id = ${org.id}::uuid and id = ${invoice.id}::uuid for update`.execute(
      db,
    );
    const outstanding = Number(locked.rows[0]?.outstanding ?? 0);
    if (input.currency && input.currency !== invoice.currency)
      throw new InputError(`--currency: ${invoice.number} is in ${invoice.currency}, not ${input.currency}`);
    if (outstanding <= 0) throw new InputError(`${invoice.number} has nothing left to pay`);
    const applied = Math.min(outstanding, amount);
    const paymentId = await recordPayment(
      db,
      org.id,
      {
        amount,
        currency: invoice.currency,
        receivedOn: input.receivedOn,
        customerId: invoice.customer_id,
        method: 'manual',
        source: 'manual',
        reference: input.reference ?? null,
      },
      [{ invoiceId: invoice.id, amount: applied }],
    );
    await sql`update payments set match_reasons = ${JSON.stringify([`recorded by ${input.actor}`])}::jsonb
               where org_id = ${org.id}::uuid and id = ${paymentId}::uuid`.execute(db);
    return finish(db, org, {
      paymentId,
      customerId: invoice.customer_id,
      amount,
      currency: invoice.currency,
      receivedOn: input.receivedOn,
      payerName: null,
      actor: input.actor,
      today: input.today,
      kind: 'payment.recorded',
      what: `Payment of ${formatDecimal(amount, invoice.currency)} ${invoice.currency} received on ${input.receivedOn} recorded by ${input.actor}${input.reference ? ` (${input.reference})` : ''}`,
      notify: false,
    });
  });
}

function checkAllocations(
  wanted: { invoiceNumber: string; amount: number }[],
  targets: Map<string, Target>,
  amount: number,
  currency: string,
): void {
  const seen = new Set<string>();
  let sum = 0;
  for (const w of wanted) {
    if (!Number.isSafeInteger(w.amount) || w.amount <= 0)
      throw new InputError(`--amount for ${w.invoiceNumber}: a positive amount, got ${w.amount}`);
    if (seen.has(w.invoiceNumber)) throw new InputError(`${w.invoiceNumber} is named twice`);
    seen.add(w.invoiceNumber);
    const t = targets.get(w.invoiceNumber)!;
    if (t.currency !== currency)
      throw new InputError(`${t.number} is in ${t.currency} and the payment in ${currency}`);
    sum += w.amount;
  }
  if (sum > amount)
    throw new InputError(
      `the allocations add up to ${formatDecimal(sum, currency)} ${currency}, more than the payment's ${formatDecimal(amount, currency)}`,
    );
}

/** The effects every recorded payment has, and the answer the command prints. */
async function finish(
  db: Db,
  org: Organisation,
  p: {
    paymentId: string;
    customerId: string | null;
    amount: number;
    currency: string;
    receivedOn: PlainDate;
    payerName: string | null;
    actor: string;
    today: PlainDate;
    kind: string;
    what: string;
    notify: boolean;
  },
): Promise<PaymentActionResult> {
  const rows = await sql<{
    invoice_id: string;
    number: string;
    amount: number;
    outstanding: number;
    status: string;
    ref: string;
    name: string;
  }>`
    select a.invoice_id, i.number, a.amount, i.outstanding, i.status, c.ref, c.name
      from allocations a
      join invoices i on i.id = a.invoice_id and i.org_id = a.org_id
      join customers c on c.id = i.customer_id and c.org_id = i.org_id
     where a.org_id = ${org.id}::uuid and a.payment_id = ${p.paymentId}::uuid
     order by i.number`.execute(db);
  const lines = rows.rows.map((r) => ({
    ...r,
    amount: Number(r.amount),
    outstanding: Number(r.outstanding),
  }));
  const events: EventRow[] = lines.map((l) => ({
    customerId: p.customerId,
    invoiceId: l.invoice_id,
    kind: p.kind,
    summary: `${p.what}: ${formatDecimal(l.amount, p.currency)} ${p.currency} applied to ${l.number}, ${l.outstanding <= 0 ? 'now paid' : `${formatDecimal(l.outstanding, p.currency)} ${p.currency} still due`}`,
    data: { paymentId: p.paymentId },
  }));
  const paid = lines.filter((l) => l.outstanding <= 0).map((l) => l.invoice_id);
  const effects = await settlementEffects(db, org.id, paid, `paid: ${p.what}`, events);
  await insertEvents(db, org.id, p.today, p.actor, events);
  const customer = lines[0] ? { ref: lines[0].ref, name: lines[0].name } : null;
  if (p.notify) {
    const language = await membersLanguageOf(db, org);
    await insertNotices(db, org.id, p.today, language, [
      paymentNotice(
        { language, customerNames: new Map(p.customerId && customer ? [[p.customerId, customer.name]] : []) },
        p.customerId,
        {
          payerName: p.payerName ?? undefined,
          bookingDate: p.receivedOn,
          entry: { amount: p.amount, currency: p.currency },
        },
        lines.map((l) => ({ invoiceId: l.invoice_id, number: l.number, amount: l.amount })),
        new Map(lines.map((l) => [l.invoice_id, { outstanding: l.outstanding }])),
      ),
    ]);
  }
  const allocated = lines.reduce((s, l) => s + l.amount, 0);
  const unallocated = p.amount - allocated;
  const parts = lines.map(
    (l) =>
      `${l.number} ${l.outstanding <= 0 ? 'paid' : `${formatMoney(l.outstanding, p.currency, 'en')} still due`}`,
  );
  return {
    paymentId: p.paymentId,
    customer,
    amount: formatDecimal(p.amount, p.currency),
    currency: p.currency,
    invoices: lines.map((l) => ({
      number: l.number,
      amount: formatDecimal(l.amount, p.currency),
      outstanding: formatDecimal(l.outstanding, p.currency),
      status: l.status,
    })),
    unallocated: formatDecimal(unallocated, p.currency),
    withdrawnMessages: effects.withdrawn,
    message: `${parts.join(', ')}${unallocated > 0 ? `; ${formatMoney(unallocated, p.currency, 'en')} kept as credit` : ''}${effects.withdrawn ? `; ${effects.withdrawn} unsent reminder(s) withdrawn` : ''}`,
  };
}
