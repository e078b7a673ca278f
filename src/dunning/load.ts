// Reads customers' dunning state in batches (keyset on customer id), for the planner. Every query
// names the organisation; memory holds one batch at a time.
import { type Selectable, sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { InvoiceStatus } from '../ledger/status.ts';
import type { Database } from '../store/db-types.ts';
import { type Db, PREPARED } from '../store/store.ts';
import { type ComposeInvoice, overrideKey, type TemplateOverrides } from './compose.ts';
import type { PlanContact, PlanCustomer, PlanInvoice, PlanPromise } from './plan.ts';
import { checkPolicy, DEFAULT_POLICY, type Policy } from './policy.ts';

export interface LoadedBatch {
  customers: (PlanCustomer & { policyId: string | null })[];
  documents: Map<string, ComposeInvoice>;
  /** Each invoice's next step as stored, so that only changes are written back. */
  stored: Map<string, StoredStep>;
  lastId: string | null;
}

export interface StoredStep {
  level: number | null;
  date: string | null;
  reason: string | null;
  status: string | null;
}

export interface LoadFilter {
  customerIds?: string[];
}

export async function loadBatch(
  db: Db,
  orgId: string,
  afterId: string | null,
  size: number,
  filter: LoadFilter = {},
): Promise<LoadedBatch> {
  let query = db
    .selectFrom('customers')
    .select([
      'id',
      'ref',
      'name',
      'country',
      'language',
      'strategic',
      'excluded',
      'hold_until',
      'hold_reason',
      'last_reply_on',
      'policy_id',
      'insolvent',
    ])
    .where('org_id', '=', orgId)
    .orderBy('id')
    .limit(size);
  if (afterId) query = query.where('id', '>', afterId);
  if (filter.customerIds)
    query = query.where(
      'id',
      'in',
      filter.customerIds.length ? filter.customerIds : ['00000000-0000-0000-0000-000000000000'],
    );
  const rows = await query.execute();
  const documents = new Map<string, ComposeInvoice>();
  const stored = new Map<string, StoredStep>();
  if (rows.length === 0) return { customers: [], documents, stored, lastId: null };
  const ids = rows.map((r) => r.id);

  const invoices = await sql<{
    id: string;
    customer_id: string;
    number: string;
    type: string;
    issue_date: string;
    due_date: string;
    currency: string;
    total: number;
    outstanding: number;
    status: InvoiceStatus;
    last_level: number | null;
    last_sent_on: string | null;
    reminders_sent: number | null;
    postponed_until: string | null;
    paused_until: string | null;
    pause_reason: string | null;
    stopped: boolean | null;
    stop_reason: string | null;
    send_now: boolean | null;
    known: boolean;
    next_level: number | null;
    next_date: string | null;
    next_reason: string | null;
    next_status: string | null;
  }>`
    select i.id, i.customer_id, i.number, i.type, i.issue_date, i.due_date, i.currency, i.total, i.outstanding, i.status,
           d.last_level, d.last_sent_on, d.reminders_sent, d.postponed_until, d.paused_until, d.pause_reason, d.stopped,
           d.stop_reason, d.send_now, d.invoice_id is not null as known,
           d.next_level, d.next_date, d.next_reason, d.next_status
      from invoices i
      -- the customer filter on both sides keeps each batch to its own rows, whatever the statistics say
      left join dunning_state d on d.invoice_id = i.id and d.org_id = i.org_id and d.customer_id = any(${ids}::uuid[])
     where i.org_id = ${orgId}::uuid and i.customer_id = any(${ids}::uuid[])
       -- open invoices, and those that left since the last run but still hold a place in the queue
       and ((i.outstanding <> 0 and i.status not in ('paid', 'cancelled', 'written_off')) or d.next_date is not null)`.execute(
    db,
  );

  const awaiting = await sql<{ invoice_id: string }>`
    select mi.invoice_id from messages m join message_invoices mi on mi.message_id = m.id and mi.org_id = m.org_id
     where m.org_id = ${orgId}::uuid and m.status = 'awaiting_approval' and m.customer_id = any(${ids}::uuid[])`.execute(
    db,
  );
  const awaitingIds = new Set(awaiting.rows.map((r) => r.invoice_id));

  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'customer_id', 'name', 'email', 'language', 'role', 'valid', 'invalid_reason'])
    .where('org_id', '=', orgId)
    .where('customer_id', 'in', ids)
    .orderBy('created_at')
    .execute();

  // Customer by customer through the (organisation, customer, day) index, whatever the statistics
  // say: just after a large run they still count the messages table as nearly empty, and the
  // planner would read every message of the organisation for each batch.
  const messages = await sql<{ customer_id: string; last_day: string | null; unanswered: number }>`
    select k.customer_id, x.last_day, x.unanswered
      from unnest(${ids}::uuid[], ${rows.map((r) => r.last_reply_on)}::date[]) as k(customer_id, last_reply_on)
      cross join lateral (
        select max(m.day) as last_day,
               count(*) filter (where m.status in ('queued', 'sending', 'sent')
                                  and (k.last_reply_on is null or m.day > k.last_reply_on)) as unanswered
          from messages m
         where m.org_id = ${orgId}::uuid and m.customer_id = k.customer_id and m.kind = 'dunning'
           and m.status in ('awaiting_approval', 'queued', 'sending', 'sent')) x
     where x.last_day is not null`.execute(db);

  // Promises to pay (and claims of payment) from customers' replies, still waiting to be kept.
  const promises = await db
    .selectFrom('promises')
    .select(['invoice_id', 'kind', 'promised_date', 'grace_until'])
    .where('org_id', '=', orgId)
    .where('customer_id', 'in', ids)
    .where('status', '=', 'open')
    .execute();
  const promiseOf = new Map<string, PlanPromise>(
    promises.map((p) => [
      p.invoice_id,
      {
        kind: p.kind === 'paid_claim' ? 'paid_claim' : 'promise',
        promisedDate: p.promised_date,
        graceUntil: p.grace_until,
      },
    ]),
  );

  const byCustomer = new Map<string, PlanCustomer & { policyId: string | null }>();
  for (const r of rows) {
    byCustomer.set(r.id, {
      id: r.id,
      ref: r.ref,
      name: r.name,
      country: r.country,
      language: r.language,
      strategic: r.strategic,
      excluded: r.excluded,
      holdUntil: r.hold_until,
      holdReason: r.hold_reason,
      invoices: [],
      credits: [],
      contacts: [],
      lastMessageOn: null,
      unansweredReminders: 0,
      insolvent: r.insolvent,
      policyId: r.policy_id,
    });
  }
  for (const i of invoices.rows) {
    const c = byCustomer.get(i.customer_id)!;
    if (i.known)
      stored.set(i.id, {
        level: i.next_level,
        date: i.next_date,
        reason: i.next_reason,
        status: i.next_status,
      });
    documents.set(i.id, {
      id: i.id,
      number: i.number,
      issueDate: i.issue_date,
      dueDate: i.due_date,
      currency: i.currency,
      total: Number(i.total),
      outstanding: Number(i.outstanding),
    });
    if (i.type === 'credit_note') {
      c.credits.push({ number: i.number, currency: i.currency, outstanding: Number(i.outstanding) });
      continue;
    }
    const invoice: PlanInvoice = {
      id: i.id,
      number: i.number,
      issueDate: i.issue_date,
      dueDate: i.due_date,
      currency: i.currency,
      total: Number(i.total),
      outstanding: Number(i.outstanding),
      status: i.status,
      lastLevel: i.last_level,
      lastSentOn: i.last_sent_on,
      remindersSent: i.reminders_sent ?? 0,
      postponedUntil: i.postponed_until,
      pausedUntil: i.paused_until,
      pauseReason: i.pause_reason,
      stopped: i.stopped ?? false,
      stopReason: i.stop_reason,
      awaitingApproval: awaitingIds.has(i.id),
      sendNow: i.send_now ?? false,
      known: i.known,
      promise: promiseOf.get(i.id) ?? null,
    };
    c.invoices.push(invoice);
  }
  for (const k of contacts) {
    const contact: PlanContact = {
      id: k.id,
      name: k.name,
      email: k.email,
      language: k.language,
      role: k.role,
      valid: k.valid,
      invalidReason: k.invalid_reason,
    };
    byCustomer.get(k.customer_id)?.contacts.push(contact);
  }
  for (const m of messages.rows) {
    const c = byCustomer.get(m.customer_id)!;
    c.lastMessageOn = m.last_day;
    c.unansweredReminders = Number(m.unanswered);
  }
  return { customers: [...byCustomer.values()], documents, stored, lastId: rows.at(-1)!.id };
}

/** The organisation's policies: its default (or the contract's) and the named ones customers use. */
export type Policies = { byId: Map<string, Policy>; fallback: Policy };

export async function loadPolicies(db: Db, orgId: string): Promise<Policies> {
  // Read by every page of the queue: a prepared statement, so its columns are named (a prepared
  // `select *` would fail on every connection once a migration adds a column).
  const { rows } = await sql<
    Pick<
      Selectable<Database['policies']>,
      | 'id'
      | 'name'
      | 'is_default'
      | 'levels'
      | 'interval_days'
      | 'min_gap_days'
      | 'max_reminders'
      | 'courtesy_days_before'
      | 'mode'
      | 'no_answer_task_after'
    >
  >`${sql.raw(PREPARED)}
    select id, name, is_default, levels, interval_days, min_gap_days, max_reminders, courtesy_days_before, mode,
           no_answer_task_after
      from policies where org_id = ${orgId}::uuid`.execute(db);
  const byId = new Map<string, Policy>();
  let fallback = DEFAULT_POLICY;
  for (const row of rows) {
    const checked = checkPolicy({
      levels: row.levels,
      intervalDays: row.interval_days,
      minGapDays: row.min_gap_days,
      maxReminders: row.max_reminders,
      courtesyDaysBefore: row.courtesy_days_before,
      mode: row.mode,
      noAnswerTaskAfter: row.no_answer_task_after,
    });
    if (!checked.ok) throw new Error(`policy ${row.name} is invalid: ${checked.problems.join('; ')}`);
    byId.set(row.id, checked.policy);
    if (row.is_default) fallback = checked.policy;
  }
  return { byId, fallback };
}

const recentPolicies = new WeakMap<Db, Map<string, { at: number; policies: Policies }>>();

/**
 * The policies as read at most `maxAgeMs` ago, for listings served many times a second (the queue's
 * pages show each step's channel). A change made in this process is seen at once (`savePolicy`
 * forgets them); one made by another process, within `maxAgeMs`. Decisions never read them here.
 */
export async function recentPoliciesOf(db: Db, orgId: string, maxAgeMs = 5000): Promise<Policies> {
  let byOrg = recentPolicies.get(db);
  if (!byOrg) {
    byOrg = new Map();
    recentPolicies.set(db, byOrg);
  }
  const kept = byOrg.get(orgId);
  const now = Date.now();
  if (kept && now - kept.at < maxAgeMs) return kept.policies;
  const policies = await loadPolicies(db, orgId);
  byOrg.set(orgId, { at: now, policies });
  return policies;
}

export function forgetPolicies(db: Db, orgId: string): void {
  recentPolicies.get(db)?.delete(orgId);
}

export type { PlainDate };

/** The organisation's own wording of levels and languages: it wins over the default templates. */
export async function loadTemplateOverrides(db: Db, orgId: string): Promise<TemplateOverrides> {
  const templates = await db.selectFrom('templates').selectAll().where('org_id', '=', orgId).execute();
  return new Map(
    templates.map((t) => [
      overrideKey(/^\d+$/.test(t.level) ? Number(t.level) : t.level, t.language),
      { subject: t.subject, body: t.body },
    ]),
  );
}
