// Customers: a page of them with contacts and balances, one with its open invoices and its
// timeline, its settings; and contacts: added, corrected or confirmed valid again (after a bounce,
// the next daily run plans the held-back steps again with the corrected address).
import { sql } from 'kysely';
import { z } from 'zod';
import { updateCustomer } from '../../dunning/settings.ts';
import { checkEmail, checkLanguage } from '../../imports/validate.ts';
import { contactKey } from '../../imports/write-batch.ts';
import type { Organisation } from '../../ledger/organisations.ts';
import { setContact } from '../../mail/contact-update.ts';
import type { Db } from '../../store/store.ts';
import { closeTasks } from '../../tasks/open-tasks.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { isUuid } from '../credentials.ts';
import { CUSTOMER_SORTS, describeCustomers, pageCustomers } from '../customer-listing.ts';
import { customerTimeline, TIMELINE_TYPES } from '../customer-timeline.ts';
import { pageInvoices } from '../invoice-listing.ts';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '../pagination.ts';
import { badRequest, HttpError, notFound } from '../problems.ts';
import { commaList, plainDate } from '../schemas.ts';

export async function customerByRef(db: Db, orgId: string, ref: string) {
  const row = await db
    .selectFrom('customers')
    .select(['id', 'ref', 'name'])
    .where('org_id', '=', orgId)
    .where('ref', '=', ref)
    .executeTakeFirst();
  if (!row) throw notFound(`no customer ${ref}`);
  return row;
}

const contactFields = {
  name: z.string().max(300).nullable().optional(),
  email: z.string().max(320).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  language: z.string().max(10).nullable().optional(),
  role: z.enum(['billing', 'primary', 'other']).optional(),
};

function checkedContact(input: { email?: string | null | undefined; language?: string | null | undefined }): {
  email?: string | null;
  language?: string | null;
} {
  const out: { email?: string | null; language?: string | null } = {};
  if (input.email !== undefined && input.email !== null) {
    const e = checkEmail(input.email.trim());
    if (!e.ok) throw badRequest(`email: ${e.reason}`, [{ in: 'body', field: 'email', message: e.reason }]);
    out.email = e.value;
  } else if (input.email === null) out.email = null;
  if (input.language !== undefined && input.language !== null) {
    const l = checkLanguage(input.language);
    if (!l.ok)
      throw badRequest(`language: ${l.reason}`, [{ in: 'body', field: 'language', message: l.reason }]);
    out.language = l.value;
  } else if (input.language === null) out.language = null;
  return out;
}

const contactView = (k: {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  role: string;
  valid: boolean;
  invalid_reason: string | null;
  invalid_since: string | null;
}) => ({
  id: k.id,
  name: k.name,
  email: k.email,
  phone: k.phone,
  language: k.language,
  role: k.role,
  valid: k.valid,
  invalidReason: k.invalid_reason,
  invalidSince: k.invalid_since,
});

/** A valid address is known again: the tasks asking for one are done, and the history says who fixed it. */
async function contactFixed(
  db: Db,
  org: Organisation,
  customer: { id: string; name: string },
  actor: string,
  day: string,
  what: string,
) {
  await closeTasks(db, org.id, [`missing_contact:${customer.id}`, `invalid_email:${customer.id}`], {
    by: actor,
    reason: what,
  });
  await db
    .insertInto('events')
    .values({
      org_id: org.id,
      customer_id: customer.id,
      day,
      kind: 'contact.updated',
      actor,
      summary: `${customer.name}: ${what} (by ${actor})`,
    })
    .execute();
}

export const registerCustomers: RouteModule = (api: Api, deps) => {
  api.get(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        summary:
          'Customers with contacts, what they owe and how they pay, found by ref, name or email, sorted, a page at a time',
        querystring: z.strictObject({
          q: z.string().max(200).optional().describe('part of the ref, the name or a contact’s email'),
          sort: z
            .enum(CUSTOMER_SORTS)
            .default('ref')
            .describe(
              'ref, name; outstanding and overdue (in the organisation’s currency); late (days past due of the oldest invoice still due)',
            ),
          dir: z.enum(['asc', 'desc']).optional().describe('default: asc for ref and name, desc otherwise'),
          overdue: z.enum(['true', 'false']).optional().describe('only customers with an overdue invoice'),
          bounced: z.enum(['true', 'false']).optional().describe('only customers with an invalid contact'),
          ...pageQuery,
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const dir = q.dir ?? (q.sort === 'ref' || q.sort === 'name' ? 'asc' : 'desc');
      const after = decodeCursor(
        q.cursor,
        z.object({ s: z.string(), d: z.string(), v: z.union([z.string(), z.number()]), ref: z.string() }),
      );
      if (
        after &&
        (after.s !== q.sort ||
          after.d !== dir ||
          typeof after.v !== (['ref', 'name'].includes(q.sort) ? 'string' : 'number'))
      )
        throw badRequest('cursor: it belongs to another sort order; start again without it', [
          { in: 'querystring', field: 'cursor', message: 'another sort order' },
        ]);
      const { rows, positions } = await pageCustomers(deps.store.db, org, todayFor(deps, org), {
        q: q.q,
        sort: q.sort,
        dir,
        overdue: q.overdue === 'true',
        bounced: q.bounced === 'true',
        after,
        limit: q.limit + 1,
      });
      const page = pageOf(
        rows.map((r, i) => ({ r, p: positions[i]! })),
        q.limit,
        (x) => x.r,
        (x) => ({ s: q.sort, d: dir, ...x.p }),
      );
      return page;
    },
  );

  api.get(
    '/customers/:ref/timeline',
    {
      schema: {
        tags: ['customers'],
        summary:
          'A customer’s timeline, newest first: messages with their delivery status, replies with their intent, payments, tasks and the agent’s decisions',
        params: z.object({ ref: z.string().min(1).max(100) }),
        querystring: z.strictObject({
          types: commaList.optional().describe(`comma-separated: ${TIMELINE_TYPES.join(', ')}`),
          ...pageQuery,
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const q = request.query;
      const unknown = q.types?.filter((t) => !(TIMELINE_TYPES as readonly string[]).includes(t));
      if (unknown?.length)
        throw badRequest(`types: expected ${TIMELINE_TYPES.join(', ')}; got ${unknown.join(', ')}`, [
          { in: 'querystring', field: 'types', message: `unknown type ${unknown.join(', ')}` },
        ]);
      const customer = await customerByRef(deps.store.db, org.id, request.params.ref);
      const before = decodeCursor(
        q.cursor,
        z.object({ day: plainDate, us: z.number().int(), key: z.string() }),
      );
      const { items, positions } = await customerTimeline(deps.store.db, org.id, customer.id, {
        limit: q.limit + 1,
        before,
        types: q.types as (typeof TIMELINE_TYPES)[number][] | undefined,
      });
      const more = items.length > q.limit;
      return {
        items: items.slice(0, q.limit),
        nextCursor: more ? encodeCursor(positions[q.limit - 1]) : null,
      };
    },
  );

  api.get(
    '/customers/:ref',
    {
      schema: {
        tags: ['customers'],
        summary: 'One customer: contacts, balances, settings, open invoices and timeline',
        params: z.object({ ref: z.string().min(1).max(100) }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const db = deps.store.db;
      const today = todayFor(deps, org);
      const row = await db
        .selectFrom('customers as c')
        .leftJoin('policies as p', (j) =>
          j.onRef('p.id', '=', 'c.policy_id').onRef('p.org_id', '=', 'c.org_id'),
        )
        .select([
          'c.id',
          'c.ref',
          'c.name',
          'c.country',
          'c.language',
          'c.strategic',
          'c.excluded',
          'c.insolvent',
          'c.insolvent_since',
          'c.hold_until',
          'c.hold_reason',
          'c.last_reply_on',
          'p.name as policy',
        ])
        .where('c.org_id', '=', org.id)
        .where('c.ref', '=', request.params.ref)
        .executeTakeFirst();
      if (!row) throw notFound(`no customer ${request.params.ref}`);
      const [listing] = await describeCustomers(db, org.id, today, [row]);
      const contacts = await db
        .selectFrom('contacts')
        .selectAll()
        .where('org_id', '=', org.id)
        .where('customer_id', '=', row.id)
        .orderBy('created_at')
        .execute();
      const bounces = await sql<{
        contact_id: string;
        day: string;
        status: string;
        reason: string;
        diagnostic: string | null;
        hard: boolean;
      }>`
        select distinct on (contact_id) contact_id, day, status, reason, diagnostic, hard
          from bounces
         where org_id = ${org.id}::uuid and contact_id = any(${contacts.map((k) => k.id)}::uuid[])
         order by contact_id, day desc, at desc`.execute(db);
      const bounceOf = new Map(bounces.rows.map((b) => [b.contact_id, b]));
      // Open invoices first by due date: the page shows the oldest debt on top.
      const { rows: invoices } = await pageInvoices(db, org.id, today, {
        customerRef: row.ref,
        status: ['open', 'partially_paid', 'disputed'],
        sort: 'dueDate',
        dir: 'asc',
        limit: 500,
      });
      const timeline = await db
        .selectFrom('events as e')
        .leftJoin('invoices as i', (j) =>
          j.onRef('i.id', '=', 'e.invoice_id').onRef('i.org_id', '=', 'e.org_id'),
        )
        .select(['e.at', 'e.day', 'e.kind', 'e.actor', 'e.summary', 'i.number'])
        .where('e.org_id', '=', org.id)
        .where('e.customer_id', '=', row.id)
        .orderBy('e.id', 'desc')
        .limit(100)
        .execute();
      return {
        ...listing!,
        contacts: contacts.map((k) => {
          const b = bounceOf.get(k.id);
          return {
            ...contactView(k),
            lastBounce: b
              ? { day: b.day, status: b.status, reason: b.reason, diagnostic: b.diagnostic, hard: b.hard }
              : null,
          };
        }),
        settings: {
          policy: row.policy ?? 'default',
          holdUntil: row.hold_until,
          holdReason: row.hold_reason,
          lastReplyOn: row.last_reply_on,
          insolvent: row.insolvent,
          insolventSince: row.insolvent_since,
        },
        invoices,
        timeline: timeline.map((e) => ({
          at: e.at.toISOString(),
          day: e.day,
          kind: e.kind,
          actor: e.actor,
          invoice: e.number,
          summary: e.summary,
        })),
      };
    },
  );

  api.patch(
    '/customers/:ref/settings',
    {
      schema: {
        tags: ['customers'],
        summary: 'Change a customer’s settings: strategic, excluded, language, country, policy, hold',
        params: z.object({ ref: z.string().min(1).max(100) }),
        body: z.strictObject({
          strategic: z.boolean().optional(),
          excluded: z.boolean().optional(),
          language: z.string().max(10).nullable().optional().describe('null: from contacts and country'),
          country: z.string().length(2).optional(),
          policy: z.string().max(100).nullable().optional().describe('a named policy; null for the default'),
          holdUntil: plainDate
            .nullable()
            .optional()
            .describe('no reminders until this day; null lifts the hold'),
          holdReason: z.string().max(500).optional(),
        }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const customer = await customerByRef(deps.store.db, caller.org.id, request.params.ref);
      const b = request.body;
      const changes = await updateCustomer(
        deps.store.db,
        caller.org,
        customer.ref,
        {
          ...(b.strategic !== undefined ? { strategic: b.strategic } : {}),
          ...(b.excluded !== undefined ? { excluded: b.excluded } : {}),
          ...(b.language !== undefined ? { language: b.language } : {}),
          ...(b.country !== undefined ? { country: b.country } : {}),
          ...(b.policy !== undefined ? { policy: b.policy } : {}),
          ...(b.holdUntil !== undefined ? { holdUntil: b.holdUntil, holdReason: b.holdReason ?? null } : {}),
        },
        caller.actor,
        todayFor(deps, caller.org),
      );
      return { ref: customer.ref, changes };
    },
  );

  api.post(
    '/customers/:ref/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary:
          'Give a customer its billing contact (a new address, or a bounced one vouched for): the task asking for it closes, reminders resume at the next run',
        params: z.object({ ref: z.string().min(1).max(100) }),
        body: z.strictObject({
          email: z.string().min(1).max(320),
          name: z.string().max(300).optional(),
          phone: z.string().max(50).optional(),
          language: z.string().max(10).optional(),
        }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const customer = await customerByRef(deps.store.db, caller.org.id, request.params.ref);
      const checked = checkedContact(request.body);
      return setContact(
        deps.store,
        caller.org,
        customer.ref,
        {
          email: checked.email!,
          ...(request.body.name ? { name: request.body.name } : {}),
          ...(request.body.phone ? { phone: request.body.phone } : {}),
          ...(checked.language ? { language: checked.language } : {}),
        },
        caller.actor,
        todayFor(deps, caller.org),
      );
    },
  );

  api.patch(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary:
          'Correct a contact, confirm it valid again (after a bounce: reminders resume at the next run), or mark it invalid',
        params: z.object({ id: z.string().max(100) }),
        body: z.strictObject({
          ...contactFields,
          valid: z
            .boolean()
            .optional()
            .describe('true: the address works again; false: a person knows it does not, stop writing to it'),
          invalidReason: z.string().max(300).optional().describe('with valid: false, why'),
        }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const db = deps.store.db;
      const { id } = request.params;
      const found = isUuid(id)
        ? await db
            .selectFrom('contacts as k')
            .innerJoin('customers as c', (j) =>
              j.onRef('c.id', '=', 'k.customer_id').onRef('c.org_id', '=', 'k.org_id'),
            )
            .selectAll('k')
            .select(['c.name as customer_name', 'c.ref as customer_ref'])
            .where('k.org_id', '=', caller.org.id)
            .where('k.id', '=', id)
            .executeTakeFirst()
        : undefined;
      if (!found) throw notFound(`no contact ${id}`);
      const b = request.body;
      const checked = checkedContact(b);
      const changes: Record<string, unknown> = {};
      const said: string[] = [];
      if (b.name !== undefined) changes.name = b.name;
      if (b.phone !== undefined) changes.phone = b.phone;
      if (checked.language !== undefined) changes.language = checked.language;
      if (b.role !== undefined) changes.role = b.role;
      const emailChanged =
        checked.email !== undefined && checked.email?.toLowerCase() !== found.email?.toLowerCase();
      if (checked.email !== undefined) {
        changes.email = checked.email;
        if (emailChanged) said.push(checked.email ? `email now ${checked.email}` : 'email removed');
      }
      if (b.valid === false) {
        changes.valid = false;
        changes.invalid_reason = b.invalidReason?.trim() || `marked invalid by ${caller.actor}`;
        changes.invalid_since = todayFor(deps, caller.org);
        if (found.valid) said.push('marked invalid');
      }
      // A new address, or a person vouching for the old one, makes the contact valid again.
      else if ((emailChanged && checked.email) || b.valid) {
        changes.valid = true;
        changes.invalid_reason = null;
        changes.invalid_since = null;
        if (!found.valid) said.push('valid again');
      }
      if (Object.keys(changes).length === 0)
        throw badRequest('nothing to change: give at least one field', [
          { in: 'body', field: '', message: 'empty' },
        ]);
      const newKey = contactKey({
        ...((changes.email ?? found.email) ? { email: String(changes.email ?? found.email) } : {}),
        ...((changes.name ?? found.name) ? { name: String(changes.name ?? found.name) } : {}),
        ...((changes.phone ?? found.phone) ? { phone: String(changes.phone ?? found.phone) } : {}),
      });
      if (!newKey) throw badRequest('a contact needs an email, a name or a phone', []);
      const updated = await db.transaction().execute(async (trx) => {
        const clash = await trx
          .selectFrom('contacts')
          .select('id')
          .where('org_id', '=', caller.org.id)
          .where('customer_id', '=', found.customer_id)
          .where('key', '=', newKey)
          .where('id', '!=', found.id)
          .executeTakeFirst();
        if (clash) throw new HttpError(409, `${found.customer_name} already has a contact ${newKey}`);
        const row = await trx
          .updateTable('contacts')
          .set({ ...changes, key: newKey, updated_at: sql<Date>`now()` })
          .where('org_id', '=', caller.org.id)
          .where('id', '=', found.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        if (!row.valid && found.valid)
          await trx
            .insertInto('events')
            .values({
              org_id: caller.org.id,
              customer_id: found.customer_id,
              day: todayFor(deps, caller.org),
              kind: 'contact.invalidated',
              actor: caller.actor,
              summary: `${found.customer_name}: ${row.email ?? row.name ?? 'contact'} marked invalid (${row.invalid_reason}) by ${caller.actor}`,
            })
            .execute();
        else if (row.valid && row.email)
          await contactFixed(
            trx,
            caller.org,
            { id: found.customer_id, name: found.customer_name },
            caller.actor,
            todayFor(deps, caller.org),
            said.length ? `contact ${said.join(', ')}` : 'contact updated',
          );
        return row;
      });
      return { customer: { ref: found.customer_ref, name: found.customer_name }, ...contactView(updated) };
    },
  );
};
