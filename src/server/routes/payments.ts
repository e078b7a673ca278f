// Money that comes in: bank statements (reconciled against the invoices, as with `ardent import
// payments`), payments recorded by hand (as with `ardent payment record`), the suggestions the
// matcher was not sure enough of (confirmed as proposed or corrected, or rejected, in one action),
// and customers' messages (read and acted on, as with `ardent inbound`).
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { z } from 'zod';
import { importPaymentFile, type PaymentFileResult } from '../../banking/reconcile.ts';
import {
  listPaymentsPage,
  listSuggestions,
  SUGGESTION_STATUSES,
  type SuggestionListing,
} from '../../banking/reconcile-listings.ts';
import {
  confirmSuggestion,
  recordManualPayment,
  rejectSuggestion,
} from '../../banking/reconcile-suggestions.ts';
import { describeProblem, type Problem, UnreadableFileError } from '../../imports/records.ts';
import { checkDate, checkDecimalAmount } from '../../imports/validate.ts';
import { ingestMessage } from '../../inbound/ingest.ts';
import { formatDecimal } from '../../ledger/money.ts';
import type { Db } from '../../store/store.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { isUuid } from '../credentials.ts';
import { decodeCursor, encodeCursor, pageQuery } from '../pagination.ts';
import { badRequest, HttpError, notFound } from '../problems.ts';
import { plainDate } from '../schemas.ts';
import { receiveUpload } from '../uploads.ts';

/** The contract's decimal string; the currency's number of decimals is checked once it is known. */
const decimal = z
  .string()
  .max(30)
  .regex(/^\d+(\.\d+)?$/, 'expected a positive decimal amount with a point, such as 1250.00');

const idParams = z.object({ id: z.string().max(100) });

/** A decimal string of the API in minor units of `currency`, or a 400 naming the field. */
function minorOf(text: string, currency: string, field: string): number {
  const checked = checkDecimalAmount(text, currency);
  if (!checked.ok)
    throw badRequest(`${field}: ${checked.reason}`, [{ in: 'body', field, message: checked.reason }]);
  if (checked.value <= 0)
    throw badRequest(`${field}: a payment is a positive amount, got "${text}"`, [
      { in: 'body', field, message: 'a payment is a positive amount' },
    ]);
  return checked.value;
}

interface OpenInvoice {
  id: string;
  number: string;
  type: string;
  currency: string;
  outstanding: number;
  due_date: string;
  ref: string;
  name: string;
}

function openInvoices(db: Db, orgId: string) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.id', '=', 'i.customer_id').onRef('c.org_id', '=', 'i.org_id'),
    )
    .select(['i.id', 'i.number', 'i.type', 'i.currency', 'i.outstanding', 'i.due_date', 'c.ref', 'c.name'])
    .where('i.org_id', '=', orgId);
}

const candidateView = (r: OpenInvoice) => ({
  number: r.number,
  customer: { ref: r.ref, name: r.name },
  dueDate: r.due_date,
  currency: r.currency,
  outstanding: formatDecimal(Number(r.outstanding), r.currency),
});

export type SuggestionView = SuggestionListing & { candidates: ReturnType<typeof candidateView>[] };

/**
 * What a person may pick from when the proposal is wrong or empty: the proposed invoices, the
 * customer's other open invoices, and, when no customer is known, the open invoices of exactly the
 * amount (the same index the matcher reads).
 */
async function withCandidates(db: Db, orgId: string, list: SuggestionListing[]): Promise<SuggestionView[]> {
  if (list.length === 0) return [];
  const refs = [...new Set(list.flatMap((s) => (s.customer ? [s.customer.ref] : [])))];
  const proposed = [...new Set(list.flatMap((s) => s.proposal.map((p) => p.invoice)))];
  const amounts = list
    .filter((s) => !s.customer)
    .map((s) => ({ currency: s.currency, minor: checkDecimalAmount(s.amount, s.currency) }))
    .flatMap((a) => (a.minor.ok ? [{ currency: a.currency, minor: a.minor.value }] : []));
  const rows = (await openInvoices(db, orgId)
    .where('i.type', '=', 'invoice')
    .where((eb) =>
      eb.or([
        ...(proposed.length ? [eb('i.number', 'in', proposed)] : []),
        ...(refs.length ? [eb.and([eb('c.ref', 'in', refs), eb('i.outstanding', '>', 0)])] : []),
        ...amounts.map((a) => eb.and([eb('i.currency', '=', a.currency), eb('i.outstanding', '=', a.minor)])),
        eb.val(false),
      ]),
    )
    .orderBy('i.due_date')
    .orderBy('i.number')
    .limit(2000)
    .execute()) as OpenInvoice[];
  return list.map((s) => {
    const mine = rows.filter(
      (r) =>
        r.currency === s.currency &&
        (s.proposal.some((p) => p.invoice === r.number) ||
          (s.customer
            ? r.ref === s.customer.ref && Number(r.outstanding) > 0
            : formatDecimal(Number(r.outstanding), r.currency) === s.amount)),
    );
    return { ...s, candidates: mine.slice(0, 50).map(candidateView) };
  });
}

/** The suggestion named in the URL, in the caller's organisation: anything else is not found. */
async function suggestionOf(db: Db, orgId: string, id: string) {
  const row = isUuid(id)
    ? await db
        .selectFrom('payment_suggestions')
        .select(['id', 'status'])
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`no payment suggestion ${id}`);
  if (row.status !== 'open') throw new HttpError(409, `payment suggestion ${id} is already ${row.status}`);
  return row;
}

const paymentPosition = z.object({ on: z.string(), at: z.string(), id: z.string().uuid() });

export const registerPayments: RouteModule = (api: Api, deps) => {
  const db = deps.store.db;

  api.get(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Payments received, newest first, with the invoices each settled and why',
        querystring: z.strictObject({
          ...pageQuery,
          customer: z.string().max(100).optional().describe('one customer’s payments, by ref'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const page = await listPaymentsPage(db, org.id, {
        customerRef: q.customer,
        limit: q.limit,
        after: decodeCursor(q.cursor, paymentPosition),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  api.post(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Record a payment received outside a statement (a cheque, cash): for an invoice, or for a customer’s oldest open invoice; what is beyond what it owes is kept as credit',
        body: z.strictObject({
          invoice: z.string().min(1).max(100).optional().describe('the invoice it pays'),
          customer: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe('or the customer who paid: their open invoice due first is paid'),
          amount: decimal,
          currency: z.string().length(3).optional().describe('checked against the invoice’s'),
          date: plainDate.optional().describe('when it was received; default today'),
          reference: z.string().min(1).max(200).optional().describe('a cheque number, a transfer reference'),
        }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { org } = caller;
      const b = request.body;
      if ((b.invoice === undefined) === (b.customer === undefined))
        throw badRequest('name the invoice or the customer (one of them)', [
          {
            in: 'body',
            field: b.invoice === undefined ? 'invoice' : 'customer',
            message: 'give invoice or customer, not both',
          },
        ]);
      const today = todayFor(deps, org);
      let receivedOn = today;
      if (b.date !== undefined) {
        const d = checkDate(b.date);
        if (!d.ok) throw badRequest(`date: ${d.reason}`, [{ in: 'body', field: 'date', message: d.reason }]);
        receivedOn = d.value;
      }
      const currency = b.currency?.toUpperCase();
      let target: OpenInvoice | undefined;
      if (b.invoice !== undefined) {
        target = (await openInvoices(db, org.id).where('i.number', '=', b.invoice).executeTakeFirst()) as
          | OpenInvoice
          | undefined;
        if (!target) throw notFound(`no invoice ${b.invoice}`);
        const refuse = (message: string) =>
          badRequest(`invoice: ${message}`, [{ in: 'body', field: 'invoice', message }]);
        if (target.type !== 'invoice')
          throw refuse(`${target.number} is a credit note; only invoices are paid`);
        if (Number(target.outstanding) <= 0) throw refuse(`${target.number} has nothing left to pay`);
      } else {
        const customer = await db
          .selectFrom('customers')
          .select('id')
          .where('org_id', '=', org.id)
          .where('ref', '=', b.customer!)
          .executeTakeFirst();
        if (!customer) throw notFound(`no customer ${b.customer}`);
        let query = openInvoices(db, org.id)
          .where('i.customer_id', '=', customer.id)
          .where('i.type', '=', 'invoice')
          .where('i.outstanding', '>', 0);
        if (currency) query = query.where('i.currency', '=', currency);
        target = (await query.orderBy('i.due_date').orderBy('i.number').executeTakeFirst()) as
          | OpenInvoice
          | undefined;
        if (!target) {
          const message = `${b.customer} has no open invoice${currency ? ` in ${currency}` : ''}`;
          throw badRequest(`customer: ${message}`, [{ in: 'body', field: 'customer', message }]);
        }
      }
      if (currency && currency !== target.currency) {
        const message = `${target.number} is in ${target.currency}, not ${currency}`;
        throw badRequest(`currency: ${message}`, [{ in: 'body', field: 'currency', message }]);
      }
      const result = await recordManualPayment(deps.store, org, {
        invoiceNumber: target.number,
        amount: minorOf(b.amount, target.currency, 'amount'),
        receivedOn,
        actor: caller.actor,
        today,
        ...(b.reference ? { reference: b.reference } : {}),
      });
      return reply.code(201).send(result);
    },
  );

  api.get(
    '/suggestions',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Payments the matcher was not sure enough of, with its proposal, its reasons and the invoices a person may pick instead',
        querystring: z.strictObject({
          status: z.enum([...SUGGESTION_STATUSES, 'all']).default('open'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      return withCandidates(db, org.id, await listSuggestions(db, org.id, { status: request.query.status }));
    },
  );

  api.post(
    '/suggestions/:id/confirm',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Apply a suggestion as proposed, or corrected: the invoices it pays (an amount left out takes what the invoice still owes, in order, up to the payment)',
        params: idParams,
        body: z
          .strictObject({
            allocations: z
              .array(z.strictObject({ invoice: z.string().min(1).max(100), amount: decimal.optional() }))
              .max(1000)
              .optional(),
          })
          .default({}),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { org } = caller;
      const s = await suggestionOf(db, org.id, request.params.id);
      const wanted = request.body.allocations ?? [];
      let allocations: { invoiceNumber: string; amount: number }[] | undefined;
      if (wanted.length > 0) {
        const entry = await sql<{ amount: number; currency: string }>`
          select b.amount, b.currency from payment_suggestions s
            join bank_entries b on b.id = s.bank_entry_id and b.org_id = s.org_id
           where s.org_id = ${org.id}::uuid and s.id = ${s.id}::uuid`.execute(db);
        const { currency } = entry.rows[0]!;
        const total = Number(entry.rows[0]!.amount);
        const found = new Map(
          (
            (await openInvoices(db, org.id)
              .where(
                'i.number',
                'in',
                wanted.map((w) => w.invoice),
              )
              .execute()) as OpenInvoice[]
          ).map((r) => [r.number, r]),
        );
        wanted.forEach((w, i) => {
          if (!found.has(w.invoice))
            throw badRequest(`allocations.${i}.invoice: no invoice ${w.invoice}`, [
              { in: 'body', field: `allocations.${i}.invoice`, message: `no invoice ${w.invoice}` },
            ]);
        });
        const given = wanted.map((w, i) =>
          w.amount === undefined ? undefined : minorOf(w.amount, currency, `allocations.${i}.amount`),
        );
        let left = total - given.reduce<number>((sum, a) => sum + (a ?? 0), 0);
        allocations = wanted.map((w, i) => {
          let amount = given[i];
          if (amount === undefined) {
            amount = Math.max(0, Math.min(left, Number(found.get(w.invoice)!.outstanding)));
            left -= amount;
          }
          return { invoiceNumber: w.invoice, amount };
        });
        const nothing = allocations.findIndex((a) => a.amount <= 0);
        if (nothing >= 0)
          throw badRequest(
            `allocations.${nothing}: nothing of the payment is left for ${allocations[nothing]!.invoiceNumber}`,
            [
              {
                in: 'body',
                field: `allocations.${nothing}.amount`,
                message: 'nothing of the payment is left for it',
              },
            ],
          );
      }
      return confirmSuggestion(deps.store, org, s.id, {
        actor: caller.actor,
        today: todayFor(deps, org),
        ...(allocations ? { allocations } : {}),
      });
    },
  );

  api.post(
    '/suggestions/:id/reject',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Set a bank credit aside: it is not a payment of our invoices (a refund, a transfer between accounts)',
        params: idParams,
        body: z.strictObject({ reason: z.string().min(1).max(500).optional() }).default({}),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { org } = caller;
      const s = await suggestionOf(db, org.id, request.params.id);
      return rejectSuggestion(deps.store, org, s.id, {
        actor: caller.actor,
        today: todayFor(deps, org),
        ...(request.body.reason ? { reason: request.body.reason } : {}),
      });
    },
  );

  api.post(
    '/payments/import',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Import bank statements (multipart, part "file"): camt.052/053/054, OFX, MT940, CSV; payments are matched and applied, the unsure ones become suggestions',
        querystring: z.strictObject({
          currency: z.string().length(3).optional().describe('for a CSV that does not say'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const upload = await receiveUpload(request);
      try {
        const before = new Set((await listSuggestions(db, org.id, { status: 'open' })).map((s) => s.id));
        const files: PaymentFileResult[] = [];
        const problems: (Problem & { line: string })[] = [];
        for (const file of upload.files) {
          const rename = (p: Problem) => ({ ...p, file: file.name });
          try {
            const result = await importPaymentFile(deps.store, org, file.path, {
              today: todayFor(deps, org),
              ...(request.query.currency ? { csvCurrency: request.query.currency.toUpperCase() } : {}),
              onProblem: (p) => problems.push({ ...rename(p), line: describeProblem(rename(p)) }),
            });
            files.push({ ...result, file: file.name });
          } catch (error) {
            if (error instanceof UnreadableFileError)
              throw new HttpError(422, describeProblem(rename(error.problem)), {
                slug: 'unreadable-file',
                title: 'File not readable',
                errors: [{ in: 'file', field: file.name, message: error.problem.message }],
              });
            throw error;
          }
        }
        // The suggestions this upload created, for the person to review at once.
        const created = (await listSuggestions(db, org.id, { status: 'open' })).filter(
          (s) => !before.has(s.id),
        );
        return { files, problems, suggestions: await withCandidates(db, org.id, created) };
      } finally {
        await upload.dispose();
      }
    },
  );

  api.post(
    '/inbound',
    {
      schema: {
        tags: ['inbound'],
        summary:
          'Hand over a message received for the organisation (multipart, part "file": an RFC 5322 .eml): a reply, an automatic reply or a bounce',
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const upload = await receiveUpload(request);
      try {
        const reports = [];
        for (const file of upload.files) {
          const report = await ingestMessage(deps.store, await readFile(file.path), {
            asOf: todayFor(deps, org),
            via: 'api',
            orgId: org.id,
          });
          // Scoped to the caller's organisation; the report says so without its internal id.
          reports.push({
            file: file.name,
            ...report,
            organisation: report.organisation ? { slug: report.organisation.slug } : null,
          });
        }
        return reports;
      } finally {
        await upload.dispose();
      }
    },
  );
};
