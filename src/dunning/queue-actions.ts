// What a person can do with the queue: send now, postpone, mark paid, cancel, resume, exclude the
// customer, approve. Each is recorded in the history with who did it.
import { sql } from 'kysely';
import { nextBusinessDay } from '../calendar/business-days.ts';
import type { PlainDate } from '../calendar/plain-date.ts';
import { recordPayment } from '../ledger/allocations.ts';
import { formatDecimal } from '../ledger/money.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { Db, Store } from '../store/store.ts';
import { withdrawMessages } from './withdraw-messages.ts';

interface Target {
  id: string;
  number: string;
  customer_id: string;
  country: string | null;
  outstanding: number;
  currency: string;
}

/** The open invoices named by number, or all open invoices of a customer named by ref. */
async function targets(
  db: Db,
  orgId: string,
  which: { invoices?: string[]; customerRef?: string },
): Promise<Target[]> {
  if (!which.invoices?.length && !which.customerRef)
    throw new InputError('name the invoices (numbers) or the customer (--customer REF)');
  const rows = await sql<Target>`
    select i.id, i.number, i.customer_id, c.country, i.outstanding, i.currency
      from invoices i join customers c on c.id = i.customer_id and c.org_id = i.org_id
     where i.org_id = ${orgId}::uuid and i.type = 'invoice'
       ${which.invoices?.length ? sql`and i.number = any(${which.invoices}::text[])` : sql``}
       ${which.customerRef ? sql`and c.ref = ${which.customerRef} and i.outstanding > 0` : sql``}
     order by i.number`.execute(db);
  const found = new Set(rows.rows.map((r) => r.number));
  const missing = (which.invoices ?? []).filter((n) => !found.has(n));
  if (missing.length) throw new InputError(`no invoice ${missing.join(', ')} in this organisation`);
  if (rows.rows.length === 0) throw new InputError(`no open invoice for customer ${which.customerRef}`);
  return rows.rows.map((r) => ({ ...r, outstanding: Number(r.outstanding) }));
}

async function ensureState(db: Db, orgId: string, list: Target[]): Promise<void> {
  await sql`
    insert into dunning_state (invoice_id, org_id, customer_id)
    select t.invoice_id, ${orgId}::uuid, t.customer_id
      from unnest(${list.map((t) => t.id)}::uuid[], ${list.map((t) => t.customer_id)}::uuid[]) as t(invoice_id, customer_id)
    on conflict (invoice_id) do nothing`.execute(db);
}

async function history(
  db: Db,
  orgId: string,
  day: PlainDate,
  actor: string,
  list: Target[],
  kind: string,
  summary: string,
): Promise<void> {
  await sql`
    insert into events (org_id, customer_id, invoice_id, day, kind, actor, summary)
    select ${orgId}::uuid, t.customer_id, t.invoice_id, ${day}::date, ${kind}, ${actor}, ${summary}
      from unnest(${list.map((t) => t.customer_id)}::uuid[], ${list.map((t) => t.id)}::uuid[]) as t(customer_id, invoice_id)`.execute(
    db,
  );
}

export interface ActionResult {
  invoices: string[];
  message: string;
}

export async function postpone(
  store: Store,
  org: Organisation,
  which: { invoices?: string[]; customerRef?: string },
  to: PlainDate,
  actor: string,
  today: PlainDate,
): Promise<ActionResult> {
  if (to <= today)
    throw new InputError(`--to: a postponement goes to a later day than today (${today}), got ${to}`);
  return store.db.transaction().execute(async (db) => {
    const list = await targets(db, org.id, which);
    await ensureState(db, org.id, list);
    for (const t of list) {
      const date = nextBusinessDay(to, t.country ?? org.country);
      await sql`update dunning_state set postponed_until = ${to}::date, next_date = ${date}::date, next_status = 'postponed',
                  next_reason = ${`postponed by ${actor} to ${to}`}, updated_at = now()
                 where org_id = ${org.id}::uuid and invoice_id = ${t.id}::uuid`.execute(db);
    }
    await history(
      db,
      org.id,
      today,
      actor,
      list,
      'queue.postponed',
      `Reminders postponed to ${to} by ${actor}`,
    );
    return { invoices: list.map((t) => t.number), message: `postponed to ${to}` };
  });
}

export async function cancel(
  store: Store,
  org: Organisation,
  which: { invoices?: string[]; customerRef?: string },
  actor: string,
  today: PlainDate,
  reason?: string,
): Promise<ActionResult> {
  return store.db.transaction().execute(async (db) => {
    const list = await targets(db, org.id, which);
    await ensureState(db, org.id, list);
    const why = reason ?? `cancelled from the queue by ${actor}`;
    await sql`update dunning_state set stopped = true, stop_reason = ${why}, next_level = null, next_date = null, next_status = null,
                next_reason = null, updated_at = now()
               where org_id = ${org.id}::uuid and invoice_id = any(${list.map((t) => t.id)}::uuid[])`.execute(
      db,
    );
    const withdrawn = await withdrawMessages(db, org.id, list, why);
    await history(db, org.id, today, actor, list, 'queue.cancelled', `Reminders stopped: ${why}`);
    return {
      invoices: list.map((t) => t.number),
      message: `reminders stopped${withdrawn ? `, ${withdrawn} unsent message(s) withdrawn` : ''}`,
    };
  });
}

export async function resume(
  store: Store,
  org: Organisation,
  which: { invoices?: string[]; customerRef?: string },
  actor: string,
  today: PlainDate,
): Promise<ActionResult> {
  return store.db.transaction().execute(async (db) => {
    const list = await targets(db, org.id, which);
    await ensureState(db, org.id, list);
    await sql`update dunning_state set stopped = false, stop_reason = null, paused_until = null, pause_reason = null, updated_at = now()
               where org_id = ${org.id}::uuid and invoice_id = any(${list.map((t) => t.id)}::uuid[])`.execute(
      db,
    );
    await history(db, org.id, today, actor, list, 'queue.resumed', `Reminders resumed by ${actor}`);
    return { invoices: list.map((t) => t.number), message: 'reminders resumed from the next run' };
  });
}

export async function markPaid(
  store: Store,
  org: Organisation,
  invoices: string[],
  actor: string,
  today: PlainDate,
): Promise<ActionResult> {
  return store.db.transaction().execute(async (db) => {
    const list = (await targets(db, org.id, { invoices })).filter((t) => t.outstanding > 0);
    for (const t of list) {
      await recordPayment(
        db,
        org.id,
        {
          amount: t.outstanding,
          currency: t.currency,
          receivedOn: today,
          customerId: t.customer_id,
          method: 'manual',
          source: 'manual',
          reference: `marked paid by ${actor}`,
        },
        [{ invoiceId: t.id, amount: t.outstanding }],
      );
    }
    await ensureState(db, org.id, list);
    await sql`update dunning_state set next_level = null, next_date = null, next_status = null, next_reason = null, updated_at = now()
               where org_id = ${org.id}::uuid and invoice_id = any(${list.map((t) => t.id)}::uuid[])`.execute(
      db,
    );
    const withdrawn = await withdrawMessages(db, org.id, list, `marked paid by ${actor}`);
    for (const t of list)
      await history(
        db,
        org.id,
        today,
        actor,
        [t],
        'invoice.paid',
        `Marked paid by ${actor}: ${formatDecimal(t.outstanding, t.currency)} ${t.currency}`,
      );
    return {
      invoices: list.map((t) => t.number),
      message: `marked paid${withdrawn ? `, ${withdrawn} unsent message(s) withdrawn` : ''}`,
    };
  });
}

export async function exclude(
  store: Store,
  org: Organisation,
  customerRef: string,
  actor: string,
  today: PlainDate,
): Promise<ActionResult> {
  return store.db.transaction().execute(async (db) => {
    const customer = await db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('org_id', '=', org.id)
      .where('ref', '=', customerRef)
      .executeTakeFirst();
    if (!customer) throw new InputError(`no customer ${customerRef} in this organisation`);
    await db
      .updateTable('customers')
      .set({ excluded: true, updated_at: new Date() })
      .where('org_id', '=', org.id)
      .where('id', '=', customer.id)
      .execute();
    await sql`update dunning_state set next_level = null, next_date = null, next_status = null, next_reason = null
               where org_id = ${org.id}::uuid and customer_id = ${customer.id}::uuid`.execute(db);
    const open =
      await sql<Target>`select id, number, customer_id, null as country, outstanding, currency from invoices
                                    where org_id = ${org.id}::uuid and customer_id = ${customer.id}::uuid`.execute(
        db,
      );
    await withdrawMessages(db, org.id, open.rows, `customer excluded by ${actor}`);
    await db
      .insertInto('events')
      .values({
        org_id: org.id,
        customer_id: customer.id,
        day: today,
        kind: 'customer.excluded',
        actor,
        summary: `${customer.name} excluded from automatic reminders by ${actor}`,
      })
      .execute();
    return { invoices: [], message: `${customer.name} excluded from automatic reminders` };
  });
}

/** Semi-automatic mode: the messages waiting for a person go out. */
export async function approve(
  store: Store,
  org: Organisation,
  which: { customerRef?: string; all?: boolean },
  actor: string,
  today: PlainDate,
): Promise<ActionResult> {
  if (!which.customerRef && !which.all)
    throw new InputError('name the customer (--customer REF) or approve --all');
  return store.db.transaction().execute(async (db) => {
    const rows = await sql<{ id: string; customer_id: string }>`
      update messages m set status = 'queued', approved_by = ${actor}, day = greatest(m.day, ${today}::date)
        from customers c
       where m.org_id = ${org.id}::uuid and m.status = 'awaiting_approval' and c.id = m.customer_id and c.org_id = m.org_id
         ${which.customerRef ? sql`and c.ref = ${which.customerRef}` : sql``}
      returning m.id, m.customer_id`.execute(db);
    for (const r of rows.rows) {
      await db
        .insertInto('events')
        .values({
          org_id: org.id,
          customer_id: r.customer_id,
          day: today,
          kind: 'message.approved',
          actor,
          summary: `Reminder approved by ${actor}`,
          data: JSON.stringify({ messageId: r.id }),
        })
        .execute();
    }
    return { invoices: [], message: `${rows.rows.length} message(s) approved` };
  });
}

/** Marks the named invoices to go out at the next run for their customer, which the caller starts at once. */
export async function requestSendNow(
  store: Store,
  org: Organisation,
  which: { invoices?: string[]; customerRef?: string },
  actor: string,
  today: PlainDate,
): Promise<{ customerIds: string[]; invoices: string[] }> {
  return store.db.transaction().execute(async (db) => {
    const list = (await targets(db, org.id, which)).filter((t) => t.outstanding > 0);
    await ensureState(db, org.id, list);
    await sql`update dunning_state set send_now = true, postponed_until = null, updated_at = now()
               where org_id = ${org.id}::uuid and invoice_id = any(${list.map((t) => t.id)}::uuid[])`.execute(
      db,
    );
    await history(db, org.id, today, actor, list, 'queue.send_now', `Sent now at the request of ${actor}`);
    return { customerIds: [...new Set(list.map((t) => t.customer_id))], invoices: list.map((t) => t.number) };
  });
}
