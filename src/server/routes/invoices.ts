// Invoices and credit notes: listed with filters and a cursor, one read by number with what
// happened to it, one upserted, or files imported (the same importers as `ardent import invoices`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { type FileImportResult, importInvoiceFile } from '../../imports/import-invoices.ts';
import { describeProblem, type Problem, UnreadableFileError } from '../../imports/records.ts';
import { listInvoices } from '../../ledger/listings.ts';
import { formatDecimal } from '../../ledger/money.ts';
import { INVOICE_STATUSES } from '../../ledger/status.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { messageDetails } from '../customer-timeline.ts';
import { INVOICE_SORTS, pageInvoices } from '../invoice-listing.ts';
import { invoicePlan } from '../invoice-plan.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';
import { badRequest, HttpError, notFound } from '../problems.ts';
import { commaList, invoiceListing, page, plainDate } from '../schemas.ts';
import { receiveUpload } from '../uploads.ts';

const contactInput = z.strictObject({
  name: z.string().max(300).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(50).optional(),
  language: z.string().max(10).optional(),
  role: z.enum(['billing', 'primary', 'other']).optional(),
});

const invoiceInput = z.strictObject({
  type: z.enum(['invoice', 'credit_note']).default('invoice'),
  customer: z.strictObject({
    ref: z.string().min(1).max(100),
    name: z.string().min(1).max(300),
    country: z.string().min(2).max(2).describe('ISO 3166-1 alpha-2'),
    language: z.string().max(10).optional(),
    contacts: z.array(contactInput).max(20).optional(),
  }),
  issueDate: plainDate,
  dueDate: plainDate,
  currency: z.string().length(3).optional().describe('ISO 4217; default the organisation’s'),
  total: z.string().max(30).describe('decimal amount including tax, e.g. "1200.00"'),
  outstanding: z.string().max(30).optional().describe('amount still due; default the total'),
  poNumber: z.string().max(100).optional(),
  appliesTo: z.string().max(100).optional().describe('for a credit note: the invoice it corrects'),
});

const problemFields = (problems: Problem[]) =>
  problems.map((p) => ({ in: 'body', field: p.field ?? p.at ?? '', message: p.message }));

export const registerInvoices: RouteModule = (api: Api, deps) => {
  api.get(
    '/invoices',
    {
      schema: {
        tags: ['invoices'],
        summary:
          'Invoices and credit notes, filtered, searched and sorted (by number unless asked), each with its next step, a page at a time',
        querystring: z.strictObject({
          q: z
            .string()
            .max(200)
            .optional()
            .describe('part of the number, the customer’s name or ref, or the PO'),
          sort: z.enum(INVOICE_SORTS).default('number'),
          dir: z.enum(['asc', 'desc']).default('asc'),
          status: commaList.optional().describe(`comma-separated: ${INVOICE_STATUSES.join(', ')}`),
          customer: z.string().max(100).optional().describe('a customer’s ref'),
          overdue: z
            .enum(['true', 'false'])
            .optional()
            .describe('only invoices past their due date and still due'),
          ...pageQuery,
        }),
        response: {
          200: page(
            invoiceListing.extend({
              nextStep: z
                .object({ level: z.number().nullable(), plannedFor: z.string(), status: z.string() })
                .nullable()
                .describe('the next step the agent has planned, when the invoice is still due'),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const unknown = q.status?.filter((s) => !(INVOICE_STATUSES as readonly string[]).includes(s));
      if (unknown?.length)
        throw badRequest(`status: expected ${INVOICE_STATUSES.join(', ')}; got ${unknown.join(', ')}`, [
          { in: 'querystring', field: 'status', message: `unknown status ${unknown.join(', ')}` },
        ]);
      const after = decodeCursor(
        q.cursor,
        z.object({ s: z.string(), d: z.string(), v: z.union([z.string(), z.number()]), number: z.string() }),
      );
      if (after && (after.s !== q.sort || after.d !== q.dir))
        throw badRequest('cursor: it belongs to another sort order; start again without it', [
          { in: 'querystring', field: 'cursor', message: 'another sort order' },
        ]);
      const { rows, positions } = await pageInvoices(deps.store.db, org.id, todayFor(deps, org), {
        ...(q.status?.length ? { status: q.status } : {}),
        customerRef: q.customer,
        overdue: q.overdue === 'true',
        q: q.q,
        sort: q.sort,
        dir: q.dir,
        after,
        limit: q.limit + 1,
      });
      return pageOf(
        rows.map((r, i) => ({ r, p: positions[i]! })),
        q.limit,
        (x) => x.r,
        (x) => ({ s: q.sort, d: q.dir, ...x.p }),
      );
    },
  );

  api.get(
    '/invoices/:number',
    {
      schema: {
        tags: ['invoices'],
        summary:
          'One invoice or credit note: its reminders with their delivery status, settlements, dunning state, the plan of its next steps, and its history',
        params: z.object({ number: z.string().min(1).max(100) }),
        querystring: z.strictObject({
          days: z.coerce.number().int().min(1).max(366).default(120).describe('how far the plan looks ahead'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const [invoice] = await listInvoices(deps.store.db, org.id, todayFor(deps, org), {
        number: request.params.number,
      });
      if (!invoice) throw notFound(`no invoice ${request.params.number}`);
      const db = deps.store.db;
      const row = await db
        .selectFrom('invoices')
        .select(['id', 'customer_id', 'status_reason'])
        .where('org_id', '=', org.id)
        .where('number', '=', invoice.number)
        .executeTakeFirstOrThrow();
      const reminders = await db
        .selectFrom('message_invoices as mi')
        .innerJoin('messages as m', (j) =>
          j.onRef('m.id', '=', 'mi.message_id').onRef('m.org_id', '=', 'mi.org_id'),
        )
        .select([
          'm.id',
          'm.day',
          'mi.level',
          'm.status',
          'm.channel',
          'm.to_address',
          'm.subject',
          'mi.amount',
        ])
        .where('mi.org_id', '=', org.id)
        .where('mi.invoice_id', '=', row.id)
        .orderBy('m.day')
        .execute();
      const settlements = await db
        .selectFrom('allocations as a')
        .leftJoin('payments as p', (j) =>
          j.onRef('p.id', '=', 'a.payment_id').onRef('p.org_id', '=', 'a.org_id'),
        )
        .leftJoin('invoices as cn', (j) =>
          j.onRef('cn.id', '=', 'a.credit_note_id').onRef('cn.org_id', '=', 'a.org_id'),
        )
        .select(['a.amount', 'p.received_on', 'p.method', 'p.reference', 'cn.number as credit_note'])
        .where('a.org_id', '=', org.id)
        .where('a.invoice_id', '=', row.id)
        .orderBy('a.created_at')
        .execute();
      const history = await db
        .selectFrom('events')
        .select(['at', 'day', 'kind', 'actor', 'summary'])
        .where('org_id', '=', org.id)
        // The run writes a message's lines for the customer, naming the message, not each invoice.
        .where((e) =>
          reminders.length
            ? e.or([
                e('invoice_id', '=', row.id),
                e.and([
                  e('customer_id', '=', row.customer_id),
                  e(
                    sql<string>`data->>'messageId'`,
                    'in',
                    reminders.map((r) => r.id),
                  ),
                ]),
              ])
            : e('invoice_id', '=', row.id),
        )
        .orderBy('id')
        .limit(200)
        .execute();
      const state = await db
        .selectFrom('dunning_state')
        .selectAll()
        .where('org_id', '=', org.id)
        .where('invoice_id', '=', row.id)
        .executeTakeFirst();
      const today = todayFor(deps, org);
      const [delivery, plan, promise] = await Promise.all([
        messageDetails(
          db,
          org.id,
          reminders.map((r) => r.id),
        ),
        invoice.type === 'invoice'
          ? invoicePlan(
              db,
              org,
              row.customer_id,
              { id: row.id, number: invoice.number },
              today,
              request.query.days,
            )
          : null,
        db
          .selectFrom('promises')
          .select(['kind', 'made_on', 'promised_date', 'grace_until', 'status'])
          .where('org_id', '=', org.id)
          .where('invoice_id', '=', row.id)
          .orderBy('created_at', 'desc')
          .executeTakeFirst(),
      ]);
      return {
        ...invoice,
        statusReason: row.status_reason,
        dunning: state
          ? {
              lastLevel: state.last_level,
              lastSentOn: state.last_sent_on,
              remindersSent: state.reminders_sent,
              postponedUntil: state.postponed_until,
              pausedUntil: state.paused_until,
              pauseReason: state.pause_reason,
              stopReason: state.stop_reason,
            }
          : null,
        promise: promise
          ? {
              kind: promise.kind,
              madeOn: promise.made_on,
              promisedDate: promise.promised_date,
              graceUntil: promise.grace_until,
              status: promise.status,
            }
          : null,
        plan,
        next: state?.next_date
          ? {
              level: state.next_level,
              plannedFor: state.next_date,
              status: state.next_status ?? 'planned',
              reason: state.next_reason,
            }
          : null,
        stopped: state?.stopped ?? false,
        reminders: reminders.map((r) => ({
          day: r.day,
          level: r.level,
          status: r.status,
          delivery: delivery.get(r.id)?.message.status ?? r.status,
          bounce: delivery.get(r.id)?.message.bounce ?? null,
          opened: delivery.get(r.id)?.message.opened ?? false,
          channel: r.channel,
          to: r.to_address,
          subject: r.subject,
          amount: formatDecimal(r.amount, invoice.currency),
          currency: invoice.currency,
        })),
        settlements: settlements.map((s) => ({
          amount: formatDecimal(s.amount, invoice.currency),
          currency: invoice.currency,
          kind: s.credit_note ? 'credit_note' : 'payment',
          creditNote: s.credit_note,
          receivedOn: s.received_on,
          method: s.method,
          reference: s.reference,
        })),
        history: history.map((h) => ({
          at: h.at.toISOString(),
          day: h.day,
          kind: h.kind,
          actor: h.actor,
          summary: h.summary,
        })),
      };
    },
  );

  api.put(
    '/invoices/:number',
    {
      schema: {
        tags: ['invoices'],
        summary:
          'Create or update one invoice or credit note (and its customer), as an import of one row would',
        params: z.object({ number: z.string().min(1).max(100) }),
        body: invoiceInput,
      },
    },
    async (request, reply) => {
      const { org } = callerOf(request);
      const b = request.body;
      const document = {
        customers: [{ ...b.customer, contacts: b.customer.contacts ?? [] }],
        invoices: [
          {
            number: request.params.number,
            type: b.type,
            customerRef: b.customer.ref,
            issueDate: b.issueDate,
            dueDate: b.dueDate,
            currency: b.currency ?? org.currency,
            total: b.total,
            ...(b.outstanding !== undefined ? { outstanding: b.outstanding } : {}),
            ...(b.poNumber !== undefined ? { poNumber: b.poNumber } : {}),
            ...(b.appliesTo !== undefined ? { appliesTo: b.appliesTo } : {}),
          },
        ],
      };
      const upload = await scratchFile(
        `${request.params.number.replace(/[^\w.-]+/g, '_')}.json`,
        JSON.stringify(document),
      );
      try {
        const problems: Problem[] = [];
        const result = await importInvoiceFile(deps.store, org, upload.path, {
          strict: true,
          today: todayFor(deps, org),
          onProblem: (p) => problems.push(p),
        });
        if (result.refused || problems.length > 0)
          throw badRequest(
            `invoice refused: ${problems.map((p) => [p.field, p.message].filter(Boolean).join(': ')).join('; ')}`,
            problemFields(problems),
          );
        const [invoice] = await listInvoices(deps.store.db, org.id, todayFor(deps, org), {
          number: request.params.number,
        });
        return reply.code(result.created > 0 ? 201 : 200).send({
          created: result.created > 0,
          updated: result.updated > 0,
          invoice: invoice!,
        });
      } finally {
        await upload.dispose();
      }
    },
  );

  api.post(
    '/invoices/import',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Import files of invoices (multipart, part "file"): CSV, JSON, UBL, CII, Factur-X',
        querystring: z.strictObject({
          full: z.enum(['true', 'false']).optional().describe('the files are a full export'),
          strict: z.enum(['true', 'false']).optional().describe('refuse a whole file when a row is refused'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const upload = await receiveUpload(request);
      try {
        const files: FileImportResult[] = [];
        const problems: (Problem & { line: string })[] = [];
        for (const file of upload.files) {
          const rename = (p: Problem) => ({ ...p, file: file.name });
          try {
            const result = await importInvoiceFile(deps.store, org, file.path, {
              full: request.query.full === 'true',
              strict: request.query.strict === 'true',
              today: todayFor(deps, org),
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
        return { files, problems };
      } finally {
        await upload.dispose();
      }
    },
  );
};

async function scratchFile(name: string, content: string) {
  const dir = await mkdtemp(join(tmpdir(), 'ardent-api-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}
