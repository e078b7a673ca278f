// `ardent import payments`: reads bank statements, matches every incoming transfer to the invoices
// it pays (match.ts decides; this file loads and writes), applies what is certain, leaves the rest
// to a person as suggestions, and undoes payments the bank took back. One transaction per file:
// a crash or a refusal leaves nothing half-imported. Re-importing a statement records nothing twice.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { type Problem, UnreadableFileError } from '../imports/records.ts';
import { formatDecimal, formatMoney } from '../ledger/money.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { derivedStatusSql } from '../ledger/status.ts';
import { membersLanguage } from '../messages/language.ts';
import { memberText } from '../messages/member-texts.ts';
import type { Db, Store } from '../store/store.ts';
import { closeTasks } from '../tasks/open-tasks.ts';
import { parseStatementFile } from './detect.ts';
import { DEFAULT_MATCH_SETTINGS, type MatchDecision, type MatchSettings, matchEntry } from './match.ts';
import { type BankItem, type SortedItems, sortStatementFile } from './reconcile-entries.ts';
import { BatchCandidates } from './reconcile-load.ts';
import { type Decided, type EventRow, insertEvents, insertNotices, writeBatch } from './reconcile-write.ts';
import type { StatementFormat } from './statement.ts';

export interface ImportPaymentsOptions {
  /** The calendar day of the import (history, tasks, notifications). */
  today: PlainDate;
  /** Overrides of the organisation's matching settings. */
  settings?: Partial<MatchSettings>;
  /** Entries matched per round of index lookups (default 1,000). */
  batchSize?: number;
  /** The currency of a CSV statement that does not say; the organisation's by default. */
  csvCurrency?: string;
  onProblem?(problem: Problem): void;
}

export interface PaymentFileResult {
  file: string;
  format: StatementFormat;
  /** Transactions in the file, each detail of a batch counted. */
  entries: number;
  credits: number;
  debitsIgnored: number;
  notBooked: number;
  applied: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
  reversals: number;
  refused: number;
  invoicesPaid: string[];
  messagesWithdrawn: number;
}

export async function importPayments(
  store: Store,
  org: Organisation,
  files: readonly string[],
  options: ImportPaymentsOptions,
): Promise<PaymentFileResult[]> {
  const results: PaymentFileResult[] = [];
  for (const file of files) results.push(await importPaymentFile(store, org, file, options));
  return results;
}

/**
 * Throws UnreadableFileError, naming the file and the element, for a file refused whole: one that
 * cannot be read, or a statement in a currency none of the organisation's invoices is in.
 */
export async function importPaymentFile(
  store: Store,
  org: Organisation,
  path: string,
  options: ImportPaymentsOptions,
): Promise<PaymentFileResult> {
  const bytes = new Uint8Array(await readFile(path));
  const parsed = parseStatementFile(path, bytes, { csvCurrency: options.csvCurrency ?? org.currency });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return reconcileStatement(
    store,
    org,
    { file: path, format: parsed.format, sha256 },
    sortStatementFile(parsed),
    options,
  );
}

/** Settings stored for the organisation, else the defaults; `override` wins. */
export async function loadMatchSettings(
  db: Db,
  orgId: string,
  override: Partial<MatchSettings> = {},
): Promise<MatchSettings> {
  const row = await db
    .selectFrom('reconciliation_settings')
    .selectAll()
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return {
    ...DEFAULT_MATCH_SETTINGS,
    ...(row
      ? {
          threshold: row.threshold_pct / 100,
          toleranceMinor: Number(row.tolerance_minor),
          toleranceBp: row.tolerance_bp,
        }
      : {}),
    ...override,
  };
}

export async function membersLanguageOf(db: Db, org: Organisation): Promise<string> {
  const members = await db.selectFrom('members').select('language').where('org_id', '=', org.id).execute();
  return members.length ? membersLanguage(members) : org.language;
}

/**
 * Reconciles the transactions of one statement file in one transaction. When another import or a
 * person changes an invoice meanwhile (or imports the same statement at once), the file fails whole
 * on the changed invoice or on the entries' unique key, and is matched again from the start.
 */
export async function reconcileStatement(
  store: Store,
  org: Organisation,
  source: { file: string; format: StatementFormat; sha256: string },
  sorted: SortedItems,
  options: ImportPaymentsOptions,
): Promise<PaymentFileResult> {
  const problems: Problem[] = [];
  const attempt = () => {
    problems.length = 0;
    return reconcileOnce(store, org, source, sorted, options, problems);
  };
  let result: PaymentFileResult | undefined;
  for (let tries = 1; result === undefined; tries++) {
    try {
      result = await attempt();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (tries >= 3 || (code !== '23505' && code !== 'concurrent_change')) throw error;
    }
  }
  for (const p of problems) options.onProblem?.(p);
  return result;
}

async function reconcileOnce(
  store: Store,
  org: Organisation,
  source: { file: string; format: StatementFormat; sha256: string },
  sorted: SortedItems,
  options: ImportPaymentsOptions,
  problems: Problem[],
): Promise<PaymentFileResult> {
  const report = (p: Problem) => problems.push(p);
  const result: PaymentFileResult = {
    file: source.file,
    format: source.format,
    entries: sorted.total,
    credits: sorted.credits.length,
    debitsIgnored: sorted.debits,
    notBooked: sorted.notBooked,
    applied: 0,
    suggested: 0,
    unmatched: 0,
    duplicates: 0,
    reversals: 0,
    refused: sorted.refused.length,
    invoicesPaid: [],
    messagesWithdrawn: 0,
  };
  for (const r of sorted.refused) report({ file: source.file, at: r.at, message: r.message });
  const batchSize = options.batchSize ?? 1000;

  await store.db.transaction().execute(async (db) => {
    const importRow = await db
      .insertInto('imports')
      .values({
        org_id: org.id,
        kind: 'payments',
        file_name: source.file,
        format: source.format,
        sha256: source.sha256,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const settings = await loadMatchSettings(db, org.id, options.settings);
    const language = await membersLanguageOf(db, org);

    // A statement in a currency none of the organisation's invoices is in can settle nothing: most
    // likely the wrong account's export. The file is refused whole, naming the statement.
    for (const s of sorted.statements) {
      if (s.credits === 0 || (await booksCurrency(db, org, s.currency))) continue;
      throw new UnreadableFileError({
        file: source.file,
        at: `statement ${s.index}${s.account ? ` (account ${s.account})` : ''}`,
        field: 'Ccy',
        message: `the statement is in ${s.currency}, a currency none of this organisation's invoices is in (${org.currency}); nothing was imported`,
      });
    }
    const credits = sorted.credits;

    // On PostgreSQL the next batch's candidates are read on another connection while this batch is
    // matched and written, so that two server processes work at once. That connection sees the
    // ledger as it was before this file: what the file has settled so far is laid over it from
    // `touched`. PGlite has a single connection: there each batch is read in turn, in the transaction.
    const reader = store.engine === 'postgres' ? store.db : undefined;
    const touched = new Map<string, { outstanding: number; status: string }>();
    const learnt = new Map<string, { id: string; name: string }>();
    const read = async (batch: BankItem[], on: Db) => {
      const known = await existingKeys(
        on,
        org.id,
        batch.map((b) => b.dedupeKey),
      );
      const fresh = batch.filter((b) => !known.has(b.dedupeKey));
      const candidates = new BatchCandidates();
      if (fresh.length > 0) await candidates.load(on, org.id, fresh, learnt);
      return { batch, fresh, candidates };
    };
    const batches: BankItem[][] = [];
    for (let start = 0; start < credits.length; start += batchSize)
      batches.push(credits.slice(start, start + batchSize));
    let next = reader && batches[0] ? read(batches[0], reader) : undefined;
    for (let b = 0; b < batches.length; b++) {
      const { batch, fresh, candidates } = next ? await next : await read(batches[b]!, db);
      next = reader && batches[b + 1] ? read(batches[b + 1]!, reader) : undefined;
      next?.catch(() => {});
      result.duplicates += batch.length - fresh.length;
      if (fresh.length === 0) continue;
      candidates.overlay(touched);
      const decided: Decided[] = [];
      for (const item of fresh) {
        const decision = matchEntry(
          {
            amount: item.entry.amount,
            currency: item.entry.currency,
            remittance: item.entry.remittance,
            creditorReference: item.entry.creditorReference,
            endToEndId: item.entry.endToEndId,
            payerName: item.payerName,
            payerIban: item.payerIban,
          },
          candidates.for(item),
          settings,
        );
        if (decision.kind === 'apply') {
          takeFrom(candidates, decision, touched);
          if (decision.rule === 'reference' && item.payerIban && decision.customerId)
            learnt.set(item.payerIban, {
              id: decision.customerId,
              name: candidates.customerNames.get(decision.customerId) ?? '',
            });
        }
        decided.push({ item, decision });
      }
      const outcome = await writeBatch(
        db,
        {
          orgId: org.id,
          importId: importRow.id,
          day: options.today,
          language,
          customerNames: candidates.customerNames,
          invoiceNumbers: new Map([...candidates.invoices.values()].map((i) => [i.id, i.number])),
          loaded: candidates.loaded,
        },
        decided,
      );
      result.applied += outcome.applied;
      result.suggested += outcome.suggested;
      result.unmatched += outcome.unmatched;
      result.invoicesPaid.push(...outcome.paidInvoices);
      result.messagesWithdrawn += outcome.withdrawn;
    }

    const reversals = sorted.reversals;
    const knownReversals = await existingKeys(
      db,
      org.id,
      reversals.map((r) => r.dedupeKey),
    );
    for (const item of reversals) {
      if (knownReversals.has(item.dedupeKey)) {
        result.duplicates++;
        continue;
      }
      const undone = await reverse(db, org, importRow.id, item, options.today, language);
      if (undone) result.reversals++;
      else
        report({
          file: source.file,
          at: item.at,
          message: `warning: the bank took back ${formatDecimal(item.entry.amount, item.entry.currency)} ${item.entry.currency}, but no earlier payment matches it; nothing undone`,
        });
    }

    await db
      .updateTable('imports')
      .set({
        accepted: result.applied + result.suggested + result.unmatched + result.reversals,
        rejected: result.refused,
        created: result.applied,
        updated: result.reversals,
        unchanged: result.duplicates,
      })
      .where('org_id', '=', org.id)
      .where('id', '=', importRow.id)
      .execute();
    if (result.applied + result.suggested + result.unmatched > 0) {
      const toConfirm = result.suggested + result.unmatched;
      await insertNotices(db, org.id, options.today, language, [
        {
          customerId: null,
          kind: 'payments.imported',
          title: memberText('notice.payments_imported', language, {
            count: result.applied,
            paid: result.invoicesPaid.length,
            tasks: toConfirm > 0 ? toConfirm : '',
          }),
          data: { importId: importRow.id, file: source.file, applied: result.applied, toConfirm },
        },
      ]);
    }
    await insertEvents(db, org.id, options.today, 'import', [
      {
        customerId: null,
        invoiceId: null,
        kind: 'import.payments',
        summary: `Imported ${source.file} (${source.format}): ${result.credits} credits, ${result.applied} applied, ${result.suggested + result.unmatched} to confirm, ${result.duplicates} already imported, ${result.reversals} reversals, ${result.refused} refused; ${result.invoicesPaid.length} invoices paid`,
        data: { importId: importRow.id, ...result, invoicesPaid: result.invoicesPaid.length },
      },
    ]);
  });
  return result;
}

/** What an applied decision takes from the invoices, so that the entries after it see it. */
function takeFrom(
  candidates: BatchCandidates,
  decision: Extract<MatchDecision, { kind: 'apply' }>,
  touched: Map<string, { outstanding: number; status: string }>,
): void {
  for (const a of [...decision.allocations, ...decision.adjustments]) {
    const invoice = candidates.invoices.get(a.invoiceId);
    if (!invoice) continue;
    invoice.outstanding -= a.amount;
    if (!['disputed', 'cancelled', 'written_off'].includes(invoice.status))
      invoice.status = invoice.outstanding <= 0 ? 'paid' : 'partially_paid';
    touched.set(invoice.id, { outstanding: invoice.outstanding, status: invoice.status });
  }
}

async function booksCurrency(db: Db, org: Organisation, currency: string): Promise<boolean> {
  if (currency === org.currency) return true;
  const row = await sql<{ found: boolean }>`
    select exists (select 1 from invoices where org_id = ${org.id}::uuid and currency = ${currency}) as found`.execute(
    db,
  );
  return Boolean(row.rows[0]?.found);
}

async function existingKeys(db: Db, orgId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await sql<{ dedupe_key: string }>`
    select dedupe_key from bank_entries where org_id = ${orgId}::uuid and dedupe_key = any(${keys}::text[])`.execute(
    db,
  );
  return new Set(rows.rows.map((r) => r.dedupe_key));
}

/**
 * The bank took a credit back (a returned transfer: closed account, wrong beneficiary, recall):
 * the payment it recorded is undone and its invoices are due again, or its open suggestion is
 * withdrawn. The original is found by its end-to-end id, else by the payer's account, the amount
 * and an earlier date. Returns false when there is nothing to undo.
 */
async function reverse(
  db: Db,
  org: Organisation,
  importId: string,
  item: BankItem,
  today: PlainDate,
  language: string,
): Promise<boolean> {
  const e = item.entry;
  const found = await sql<{
    id: string;
    payment_id: string | null;
    customer_id: string | null;
    suggestion_id: string | null;
  }>`
    select b.id, b.payment_id, p.customer_id, s.id as suggestion_id
      from bank_entries b
      left join payments p on p.id = b.payment_id and p.org_id = b.org_id and p.reversed_on is null
      left join payment_suggestions s on s.bank_entry_id = b.id and s.org_id = b.org_id and s.status = 'open'
     where b.org_id = ${org.id}::uuid and b.direction = 'credit' and b.reversed_by is null
       and b.amount = ${e.amount} and b.currency = ${e.currency} and b.booking_date <= ${item.bookingDate}::date
       and ${
         e.endToEndId
           ? sql`b.end_to_end_id = ${e.endToEndId}`
           : item.payerIban
             ? sql`b.payer_iban = ${item.payerIban}`
             : sql`false`
       }
       and (p.id is not null or s.id is not null)
     order by b.booking_date desc, b.created_at desc
     limit 1`.execute(db);
  const original = found.rows[0];
  const entry = await db
    .insertInto('bank_entries')
    .values({
      org_id: org.id,
      import_id: importId,
      dedupe_key: item.dedupeKey,
      account: item.account,
      amount: e.amount,
      currency: e.currency,
      direction: 'debit',
      booking_date: item.bookingDate,
      value_date: e.valueDate ?? null,
      bank_reference: e.bankReference ?? null,
      end_to_end_id: e.endToEndId ?? null,
      creditor_reference: e.creditorReference ?? null,
      remittance: e.remittance ?? null,
      payer_name: item.payerName ?? null,
      payer_iban: item.payerIban ?? null,
      reversal: true,
      outcome: original ? 'reversal' : 'ignored',
      outcome_reason: original ? null : 'no earlier payment found to take back',
      payment_id: original?.payment_id ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!original) return false;
  await sql`update bank_entries set reversed_by = ${entry.id}::uuid where org_id = ${org.id}::uuid and id = ${original.id}::uuid`.execute(
    db,
  );
  const amount = `${formatDecimal(e.amount, e.currency)} ${e.currency}`;
  const events: EventRow[] = [];
  if (original.suggestion_id) {
    await sql`update payment_suggestions set status = 'rejected', resolved_by = 'bank', resolved_at = now()
               where org_id = ${org.id}::uuid and id = ${original.suggestion_id}::uuid`.execute(db);
    await closeTasks(db, org.id, [`payment_suggestion:${original.suggestion_id}`], {
      by: 'bank',
      reason: 'the bank took the payment back',
    });
    events.push({
      customerId: null,
      invoiceId: null,
      kind: 'payment.reversed',
      summary: `The bank took back ${amount}${item.payerName ? ` from ${item.payerName}` : ''} on ${item.bookingDate}; the payment awaiting confirmation is withdrawn`,
      data: { suggestionId: original.suggestion_id },
    });
    await insertEvents(db, org.id, today, 'agent', events);
    return true;
  }
  const paymentId = original.payment_id!;
  const reopened = await undoPayment(db, org.id, paymentId, item.bookingDate);
  for (const r of reopened) {
    events.push({
      customerId: original.customer_id,
      invoiceId: r.invoiceId,
      kind: 'payment.reversed',
      summary: `The bank took back ${amount}${item.payerName ? ` from ${item.payerName}` : ''} on ${item.bookingDate} (${e.remittance ?? 'no reason given'}): ${r.number} is due again, ${formatDecimal(r.outstanding, e.currency)} ${e.currency}`,
      data: { paymentId, bankEntry: item.dedupeKey },
    });
  }
  await insertEvents(db, org.id, today, 'agent', events);
  const customer = original.customer_id
    ? await db
        .selectFrom('customers')
        .select('name')
        .where('org_id', '=', org.id)
        .where('id', '=', original.customer_id)
        .executeTakeFirst()
    : undefined;
  await insertNotices(db, org.id, today, language, [
    {
      customerId: original.customer_id,
      kind: 'payment.reversed',
      title: memberText('notice.payment_reversed', language, {
        customer_name: customer?.name ?? item.payerName ?? '',
        amount: formatMoney(e.amount, e.currency, language),
        invoice_number: reopened.map((r) => r.number).join(', '),
      }),
      data: { paymentId, invoices: reopened.map((r) => r.number), reversedOn: item.bookingDate },
    },
  ]);
  return true;
}

/** Takes a payment's allocations and write-offs back: its invoices owe again what it had settled. */
export async function undoPayment(
  db: Db,
  orgId: string,
  paymentId: string,
  on: PlainDate,
): Promise<{ invoiceId: string; number: string; outstanding: number }[]> {
  const rows = await sql<{ id: string; number: string; outstanding: number }>`
    with taken as (
      select invoice_id, sum(amount)::bigint as amount from (
        select invoice_id, amount from allocations where org_id = ${orgId}::uuid and payment_id = ${paymentId}::uuid
        union all
        select invoice_id, amount from payment_adjustments where org_id = ${orgId}::uuid and payment_id = ${paymentId}::uuid
      ) x group by invoice_id)
    update invoices i set outstanding = i.outstanding + t.amount,
           status = ${derivedStatusSql(sql`(i.outstanding + t.amount)`, sql`i.total`, sql`i.status`)}, updated_at = now()
      from taken t
     where i.org_id = ${orgId}::uuid and i.id = t.invoice_id
    returning i.id, i.number, i.outstanding`.execute(db);
  await sql`delete from allocations where org_id = ${orgId}::uuid and payment_id = ${paymentId}::uuid`.execute(
    db,
  );
  await sql`delete from payment_adjustments where org_id = ${orgId}::uuid and payment_id = ${paymentId}::uuid`.execute(
    db,
  );
  await sql`update payments set reversed_on = ${on}::date where org_id = ${orgId}::uuid and id = ${paymentId}::uuid`.execute(
    db,
  );
  return rows.rows
    .map((r) => ({ invoiceId: r.id, number: r.number, outstanding: Number(r.outstanding) }))
    .sort((a, b) => a.number.localeCompare(b.number));
}

/** Changes the organisation's matching settings; returns them as they now are. */
export async function saveMatchSettings(
  db: Db,
  orgId: string,
  change: Partial<Pick<MatchSettings, 'threshold' | 'toleranceMinor' | 'toleranceBp'>>,
): Promise<MatchSettings> {
  const current = await loadMatchSettings(db, orgId);
  const next = { ...current, ...change };
  await db
    .insertInto('reconciliation_settings')
    .values({
      org_id: orgId,
      threshold_pct: Math.round(next.threshold * 100),
      tolerance_minor: next.toleranceMinor,
      tolerance_bp: next.toleranceBp,
    })
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        threshold_pct: Math.round(next.threshold * 100),
        tolerance_minor: next.toleranceMinor,
        tolerance_bp: next.toleranceBp,
        updated_at: new Date(),
      }),
    )
    .execute();
  return loadMatchSettings(db, orgId);
}
