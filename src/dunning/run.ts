// The daily run: for every customer, in batches, load the state, let the planner decide, and
// write its decisions in one transaction per batch: messages into the outbox (idempotent per
// customer and day), each invoice's next step, tasks, and the history with every reason.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { membersLanguage } from '../messages/language.ts';
import { type MemberTextKey, memberText } from '../messages/member-texts.ts';
import { numberArray, textArray } from '../store/arrays.ts';
import { uuidv7 } from '../store/ids.ts';
import type { Db, Store } from '../store/store.ts';
import { closeTasks, type NewTask, openTasks } from '../tasks/open-tasks.ts';
import { composeDunning, composeOrganisation, type TemplateOverrides } from './compose.ts';
import { type LoadedBatch, loadBatch, loadPolicies, loadTemplateOverrides } from './load.ts';
import { type Action, type CustomerPlan, type NextStep, type PlanCustomer, planCustomer } from './plan.ts';
import { COURTESY_LEVEL } from './policy.ts';

export interface RunOptions {
  day: PlainDate;
  /** Decide and report, then roll everything back. */
  dryRun?: boolean;
  batchSize?: number;
  /** Only these customers (queue actions such as "send now"). */
  customerIds?: string[];
}

export interface PlannedMessage {
  customer: { ref: string; name: string };
  invoices: string[];
  level: number;
  channel: string;
  language: string;
  to: string;
  subject: string;
  status: 'queued' | 'awaiting_approval';
  amounts: { amount: string; currency: string }[];
  reason: string;
}

export interface RunReport {
  day: PlainDate;
  dryRun: boolean;
  customers: number;
  invoices: number;
  messages: PlannedMessage[];
  notifications: { customer: { ref: string; name: string }; invoices: string[]; reason: string }[];
  tasks: { customer: { ref: string; name: string } | null; kind: string; title: string; reason: string }[];
  skipped: { invoice: string; level: number; reason: string }[];
}

class DryRunRollback extends Error {}

export async function runDay(store: Store, org: Organisation, options: RunOptions): Promise<RunReport> {
  const report: RunReport = {
    day: options.day,
    dryRun: Boolean(options.dryRun),
    customers: 0,
    invoices: 0,
    messages: [],
    notifications: [],
    tasks: [],
    skipped: [],
  };
  const context = await loadContext(store.db, org);
  const work = async (db: Db, afterId: string | null) => {
    const batch = await loadBatch(
      db,
      org.id,
      afterId,
      options.batchSize ?? 500,
      options.customerIds ? { customerIds: options.customerIds } : {},
    );
    if (batch.customers.length > 0) await applyBatch(db, org, context, batch, options.day, report);
    return batch.lastId;
  };
  const sorted = () => {
    report.messages.sort((a, b) => a.customer.ref.localeCompare(b.customer.ref));
    report.tasks.sort((a, b) => (a.customer?.ref ?? '').localeCompare(b.customer?.ref ?? ''));
    return report;
  };
  if (options.dryRun) {
    try {
      await store.db.transaction().execute(async (trx) => {
        let last: string | null = null;
        do last = await work(trx, last);
        while (last);
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return sorted();
  }
  // The next batch is read on another connection while this one is written: the database and
  // the planner work at the same time.
  const load = (after: string | null) =>
    loadBatch(
      store.db,
      org.id,
      after,
      options.batchSize ?? 500,
      options.customerIds ? { customerIds: options.customerIds } : {},
    );
  // Three things at once: the database writes one batch's decisions while the planner decides the
  // next batch, which was read while the one before was written. Batches hold disjoint customers.
  let pending = load(null);
  const statistics = new StatisticsKeeper(store.db);
  let writing: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const batch = await pending;
      if (batch.customers.length === 0) break;
      pending = load(batch.lastId);
      pending.catch(() => {});
      const decisions = await decideBatch(org, context, batch, options.day, report);
      await writing;
      writing = store.db
        .transaction()
        .execute((trx) => writeDecisions(trx, org, options.day, report, decisions))
        .then((rows) => statistics.wrote(rows));
      writing.catch(() => {});
    }
  } finally {
    // Whatever stopped the loop, the batch being written finishes (or fails) before the run returns.
    await writing.catch(() => {});
  }
  await writing;
  await statistics.finish();
  return sorted();
}

/**
 * Refreshes the planner's statistics of the tables a run fills, after 10,000 rows written, then
 * 80,000, 640,000…: a first run over a large ledger writes a million steps and a hundred thousand
 * messages, and until autovacuum catches up (if it runs at all) every query of the next batches
 * and of the API would be planned for the tables as they were, nearly empty. A few ANALYZE per
 * run (each reads a fixed sample, about a second and a half on a million rows), and one at the end
 * once a thousand rows were written since the last: the sender's claims and loads of the day's
 * reminders are planned with them.
 */
class StatisticsKeeper {
  private written = 0;
  private analysedAt = 0;
  private next = 10_000;
  constructor(private readonly db: Db) {}

  async wrote(rows: number): Promise<void> {
    this.written += rows;
    if (this.written < this.next) return;
    await this.analyse();
    this.next = this.written * 8;
  }

  async finish(): Promise<void> {
    if (this.written - this.analysedAt >= 1_000) await this.analyse();
  }

  private async analyse(): Promise<void> {
    await sql`analyze dunning_state, messages, message_invoices, tasks, events`.execute(this.db);
    this.analysedAt = this.written;
  }
}

interface RunContext {
  policies: Awaited<ReturnType<typeof loadPolicies>>;
  overrides: TemplateOverrides;
  memberLanguage: string;
}

async function loadContext(db: Db, org: Organisation): Promise<RunContext> {
  const members = await db.selectFrom('members').select('language').where('org_id', '=', org.id).execute();
  return {
    policies: await loadPolicies(db, org.id),
    overrides: await loadTemplateOverrides(db, org.id),
    memberLanguage: members.length ? membersLanguage(members) : org.language,
  };
}

const TASK_TEXT: Record<string, MemberTextKey> = {
  missing_contact: 'task.missing_contact',
  missing_country: 'task.missing_country',
  inconsistent_data: 'task.inconsistent_data',
  no_answer: 'task.no_answer',
  reminders_exhausted: 'task.reminders_exhausted',
  strategic_customer: 'task.strategic_customer',
  payment_claimed: 'task.payment_claimed',
};

/** What the planner decided for one batch, composed and ready to write. */
interface Decisions {
  batch: LoadedBatch;
  plans: { customer: PlanCustomer; plan: CustomerPlan }[];
  messages: MessageRow[];
  advanced: { invoiceId: string; level: number | null }[];
  lapsed: string[];
  tasks: NewTask[];
  events: EventRow[];
}

async function applyBatch(
  db: Db,
  org: Organisation,
  ctx: RunContext,
  batch: LoadedBatch,
  day: PlainDate,
  report: RunReport,
): Promise<number> {
  return writeDecisions(db, org, day, report, await decideBatch(org, ctx, batch, day, report));
}

/** Customers decided between two turns of the event loop. */
const DECIDE_SLICE = 50;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The planner and the composer over one batch: no database, so it runs while the last batch is
 * written. It yields to the event loop every few customers, so that the batch being written sends
 * its next statement as soon as the database finished the last one.
 */
async function decideBatch(
  org: Organisation,
  ctx: RunContext,
  batch: LoadedBatch,
  day: PlainDate,
  report: RunReport,
): Promise<Decisions> {
  const plans: { customer: PlanCustomer; plan: CustomerPlan }[] = [];
  for (const [n, customer] of batch.customers.entries()) {
    if (n > 0 && n % DECIDE_SLICE === 0) await nextTurn();
    const policy = (customer.policyId && ctx.policies.byId.get(customer.policyId)) || ctx.policies.fallback;
    plans.push({ customer, plan: planCustomer(customer, { day, orgCountry: org.country, policy }) });
    report.customers++;
    report.invoices += customer.invoices.length;
  }

  const messages: MessageRow[] = [];
  // A promise's follow-up moves the invoice's last message day, not its level (level null).
  const advanced: { invoiceId: string; level: number | null }[] = [];
  const lapsed: string[] = [];
  const tasks: NewTask[] = [];
  const events: EventRow[] = [];
  const numberOf = (id: string) => batch.documents.get(id)?.number ?? id;
  const who = (c: PlanCustomer) => ({ ref: c.ref, name: c.name });

  for (const [n, { customer, plan }] of plans.entries()) {
    if (n > 0 && n % DECIDE_SLICE === 0) await nextTurn();
    for (const action of plan.actions) {
      switch (action.kind) {
        case 'send': {
          const rendered = composeDunning({
            action,
            day,
            customer,
            org: composeOrganisation(org),
            invoices: batch.documents,
            overrides: ctx.overrides,
          });
          const status = action.awaitingApproval ? 'awaiting_approval' : 'queued';
          const amounts = sumByCurrency(action.steps);
          messages.push({ customer, action, rendered, status, amounts });
          report.messages.push({
            customer: who(customer),
            invoices: action.steps.map((s) => s.number),
            level: action.level,
            channel: action.channel,
            language: rendered.language,
            to: action.contact.email!,
            subject: rendered.subject,
            status,
            amounts: amounts.map((a) => ({
              amount: formatDecimal(a.amount, a.currency),
              currency: a.currency,
            })),
            reason: action.reason,
          });
          break;
        }
        case 'notify_strategic': {
          for (const s of action.steps)
            advanced.push({ invoiceId: s.invoiceId, level: s.followUp ? null : s.level });
          const amount = sumByCurrency(action.steps)
            .map((a) => `${formatDecimal(a.amount, a.currency)} ${a.currency}`)
            .join(', ');
          tasks.push(
            task(
              ctx,
              customer,
              'strategic_customer',
              action.reason,
              { amount },
              action.steps.map((s) => s.number),
            ),
          );
          events.push({
            customerId: customer.id,
            invoiceId: null,
            kind: 'dunning.strategic',
            summary: action.reason,
          });
          report.notifications.push({
            customer: who(customer),
            invoices: action.steps.map((s) => s.number),
            reason: action.reason,
          });
          break;
        }
        case 'task': {
          const numbers = action.invoiceIds.map(numberOf);
          tasks.push(
            task(
              ctx,
              customer,
              action.cause,
              action.reason,
              { count: customer.unansweredReminders + 1 },
              numbers,
            ),
          );
          break;
        }
        case 'promise_lapsed':
          lapsed.push(...action.invoiceIds);
          events.push({
            customerId: customer.id,
            invoiceId: null,
            kind: 'promise.lapsed',
            summary: action.reason,
          });
          break;
        case 'skip':
          events.push({
            customerId: customer.id,
            invoiceId: action.invoiceId,
            kind: 'dunning.skipped',
            summary: action.reason,
          });
          report.skipped.push({ invoice: action.number, level: action.level, reason: action.reason });
          break;
      }
    }
  }

  return { batch, plans, messages, advanced, lapsed, tasks, events };
}

/** Writes one batch's decisions in the caller's transaction; returns how many rows it wrote. */
async function writeDecisions(
  db: Db,
  org: Organisation,
  day: PlainDate,
  report: RunReport,
  decisions: Decisions,
): Promise<number> {
  const { batch, plans, messages, advanced, lapsed, tasks, events } = decisions;
  const who = (c: PlanCustomer) => ({ ref: c.ref, name: c.name });
  // Messages first: a message that already exists for this customer and day (a second run) is not
  // written again, and its invoices are not advanced again.
  const written = await insertMessages(db, org.id, day, messages);
  for (const m of messages) {
    if (!written.has(m.customer.id)) continue;
    for (const s of m.action.steps)
      advanced.push({ invoiceId: s.invoiceId, level: s.followUp ? null : s.level });
    events.push({
      customerId: m.customer.id,
      invoiceId: null,
      kind: m.status === 'queued' ? 'dunning.queued' : 'dunning.awaiting_approval',
      summary: `${m.status === 'queued' ? 'Reminder' : 'Reminder awaiting approval'} (level ${m.action.level}) to ${m.action.contact.email} about ${m.action.steps.map((s) => s.number).join(', ')}: ${m.action.reason}`,
      data: { messageId: written.get(m.customer.id), level: m.action.level },
    });
  }

  const next: NextStep[] = plans.flatMap((p) => p.plan.next);
  const stateRows = await writeState(db, org.id, batch, day, next, advanced);
  await settlePromises(db, org.id, batch, day, lapsed, written, messages);
  const opened = await openTasks(db, org.id, day, tasks);
  const customers = new Map(batch.customers.map((c) => [c.id, c]));
  for (const t of tasks) {
    if (!opened.has(t.causeKey)) continue;
    const c = t.customerId ? customers.get(t.customerId) : undefined;
    report.tasks.push({
      customer: c ? who(c) : null,
      kind: t.kind,
      title: t.title,
      reason: String(t.detail.reason ?? ''),
    });
    events.push({
      customerId: t.customerId,
      invoiceId: null,
      kind: 'task.opened',
      summary: `Task for the team: ${t.title} (${String(t.detail.reason ?? '')})`,
    });
  }
  const withContact = plans
    .filter((p) => p.customer.contacts.some((c) => c.valid && c.email))
    .map((p) => `missing_contact:${p.customer.id}`);
  await closeTasks(db, org.id, withContact, { by: 'agent', reason: 'a valid contact is now known' });
  await insertEvents(db, org.id, day, events);
  return stateRows + written.size + opened.size + events.length;
}

interface MessageRow {
  customer: PlanCustomer;
  action: Extract<Action, { kind: 'send' }>;
  rendered: { subject: string; text: string; html: string; language: string };
  status: 'queued' | 'awaiting_approval';
  amounts: { amount: number; currency: string }[];
}

interface EventRow {
  customerId: string | null;
  invoiceId: string | null;
  kind: string;
  summary: string;
  data?: Record<string, unknown>;
}

function task(
  ctx: RunContext,
  customer: PlanCustomer,
  cause: string,
  reason: string,
  values: Record<string, string | number>,
  numbers: string[],
): NewTask {
  const key = TASK_TEXT[cause];
  const title = key
    ? memberText(key, ctx.memberLanguage, {
        customer_name: customer.name,
        invoice_number: numbers.join(', '),
        ...values,
      })
    : reason;
  return {
    customerId: customer.id,
    kind: cause,
    causeKey: `${cause}:${customer.id}`,
    title,
    detail: { reason, invoices: numbers },
  };
}

function sumByCurrency(
  steps: { amount: number; currency: string }[],
): { amount: number; currency: string }[] {
  const sums = new Map<string, number>();
  for (const s of steps) sums.set(s.currency, (sums.get(s.currency) ?? 0) + s.amount);
  return [...sums].map(([currency, amount]) => ({ amount, currency }));
}

/** Inserts the day's messages; returns, per customer, the id of each message written now. */
async function insertMessages(
  db: Db,
  orgId: string,
  day: PlainDate,
  messages: MessageRow[],
): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  if (messages.length === 0) return written;
  const rows = await sql<{ id: string; customer_id: string }>`
    insert into messages (id, org_id, customer_id, contact_id, idempotency_key, kind, channel, level, day, status, language,
                          to_address, to_name, subject, text_body, currency, amount, reason)
    select t.id, ${orgId}::uuid, t.customer_id, t.contact_id, t.key, 'dunning', t.channel, t.level, ${day}::date, t.status, t.language,
           t.to_address, t.to_name, t.subject, t.text_body, t.currency, t.amount, t.reason
      from unnest(${textArray(messages.map(() => uuidv7()))}::uuid[],
                  ${textArray(messages.map((m) => m.customer.id))}::uuid[], ${textArray(messages.map((m) => m.action.contact.id))}::uuid[],
                  ${textArray(messages.map((m) => `dunning:${m.customer.id}:${day}`))}::text[],
                  ${textArray(messages.map((m) => (m.action.channel === 'letter' ? 'letter' : 'email')))}::text[],
                  ${numberArray(messages.map((m) => m.action.level))}::integer[], ${textArray(messages.map((m) => m.status))}::text[],
                  ${textArray(messages.map((m) => m.rendered.language))}::text[], ${textArray(messages.map((m) => m.action.contact.email))}::text[],
                  ${textArray(messages.map((m) => m.action.contact.name))}::text[], ${textArray(messages.map((m) => m.rendered.subject))}::text[],
                  ${textArray(messages.map((m) => m.rendered.text))}::text[],
                  ${textArray(messages.map((m) => (m.amounts.length === 1 ? m.amounts[0]!.currency : null)))}::text[],
                  ${numberArray(messages.map((m) => (m.amounts.length === 1 ? m.amounts[0]!.amount : null)))}::bigint[],
                  ${textArray(messages.map((m) => m.action.reason))}::text[])
        as t(id, customer_id, contact_id, key, channel, level, status, language, to_address, to_name, subject, text_body,
             currency, amount, reason)
    on conflict (org_id, idempotency_key) do nothing
    returning id, customer_id`.execute(db);
  for (const r of rows.rows) written.set(r.customer_id, r.id);
  const links = messages
    .filter((m) => written.has(m.customer.id))
    .flatMap((m) =>
      m.action.steps.map((s) => ({
        messageId: written.get(m.customer.id)!,
        invoiceId: s.invoiceId,
        level: s.level,
        amount: s.amount,
      })),
    );
  if (links.length > 0) {
    await sql`
      insert into message_invoices (message_id, invoice_id, org_id, level, amount)
      select t.message_id, t.invoice_id, ${orgId}::uuid, t.level, t.amount
        from unnest(${textArray(links.map((l) => l.messageId))}::uuid[], ${textArray(links.map((l) => l.invoiceId))}::uuid[],
                    ${numberArray(links.map((l) => l.level))}::integer[], ${numberArray(links.map((l) => l.amount))}::bigint[]) as t(message_id, invoice_id, level, amount)`.execute(
      db,
    );
  }
  return written;
}

/**
 * Closes the promises the day settled: kept when the invoice is paid; followed up when a follow-up
 * message was written for it; broken when it lapsed otherwise (a claim of payment the bank did not
 * confirm, now with a person; a strategic customer's, told to the team).
 */
async function settlePromises(
  db: Db,
  orgId: string,
  batch: LoadedBatch,
  day: PlainDate,
  lapsed: string[],
  written: Map<string, string>,
  messages: MessageRow[],
): Promise<void> {
  const customerIds = batch.customers.map((c) => c.id);
  await sql`
    update promises p set status = 'kept', resolved_on = ${day}::date
      from invoices i
     where p.org_id = ${orgId}::uuid and p.customer_id = any(${customerIds}::uuid[]) and p.status = 'open'
       and i.id = p.invoice_id and i.org_id = p.org_id and (i.outstanding <= 0 or i.status in ('paid', 'cancelled', 'written_off'))`.execute(
    db,
  );
  if (lapsed.length === 0) return;
  const followedUp = new Map<string, string>();
  for (const m of messages) {
    const id = written.get(m.customer.id);
    if (id && m.action.followUp) for (const s of m.action.steps) followedUp.set(s.invoiceId, id);
  }
  await sql`
    update promises p set status = case when t.message_id is null then 'broken' else 'followed_up' end,
           resolved_on = ${day}::date, follow_up_message_id = t.message_id
      from unnest(${lapsed}::uuid[], ${textArray(lapsed.map((id) => followedUp.get(id) ?? null))}::uuid[]) as t(invoice_id, message_id)
     where p.org_id = ${orgId}::uuid and p.invoice_id = t.invoice_id and p.status = 'open'`.execute(db);
}

async function writeState(
  db: Db,
  orgId: string,
  batch: LoadedBatch,
  day: PlainDate,
  next: NextStep[],
  advanced: { invoiceId: string; level: number | null }[],
): Promise<number> {
  const customerOf = new Map<string, string>();
  for (const c of batch.customers) for (const i of c.invoices) customerOf.set(i.id, c.id);
  const sent = new Map(advanced.map((a) => [a.invoiceId, a.level]));
  // Only what changed is written: on an ordinary day most invoices keep the step they had.
  const rows = next.filter((n) => {
    if (!customerOf.has(n.invoiceId)) return false;
    if (sent.has(n.invoiceId)) return true;
    const before = batch.stored.get(n.invoiceId);
    return (
      !before ||
      before.level !== n.level ||
      before.date !== n.date ||
      before.reason !== n.reason ||
      before.status !== (n.status ?? null)
    );
  });
  if (rows.length === 0) return 0;
  await sql`
    insert into dunning_state (invoice_id, org_id, customer_id, last_level, last_sent_on, reminders_sent, next_level, next_date, next_reason, next_status)
    select t.invoice_id, ${orgId}::uuid, t.customer_id, t.sent_level, case when t.touched then ${day}::date end,
           case when t.sent_level > 0 then 1 else 0 end, t.next_level, t.next_date, t.next_reason, t.next_status
      from unnest(${textArray(rows.map((r) => r.invoiceId))}::uuid[], ${textArray(rows.map((r) => customerOf.get(r.invoiceId)!))}::uuid[],
                  ${numberArray(rows.map((r) => sent.get(r.invoiceId) ?? null))}::integer[], ${numberArray(rows.map((r) => sent.has(r.invoiceId)))}::boolean[],
                  ${numberArray(rows.map((r) => r.level))}::integer[],
                  ${textArray(rows.map((r) => r.date))}::date[], ${textArray(rows.map((r) => r.reason))}::text[], ${textArray(rows.map((r) => r.status ?? null))}::text[])
        as t(invoice_id, customer_id, sent_level, touched, next_level, next_date, next_reason, next_status)
    on conflict (invoice_id) do update set
      last_level = coalesce(excluded.last_level, dunning_state.last_level),
      last_sent_on = coalesce(excluded.last_sent_on, dunning_state.last_sent_on),
      reminders_sent = dunning_state.reminders_sent + excluded.reminders_sent,
      postponed_until = case when excluded.last_level is null then dunning_state.postponed_until end,
      send_now = case when excluded.last_level is null then dunning_state.send_now else false end,
      next_level = excluded.next_level, next_date = excluded.next_date, next_reason = excluded.next_reason,
      next_status = excluded.next_status, updated_at = now()`.execute(db);
  return rows.length;
}

async function insertEvents(db: Db, orgId: string, day: PlainDate, events: EventRow[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    insert into events (org_id, customer_id, invoice_id, day, kind, actor, summary, data)
    select ${orgId}::uuid, t.customer_id, t.invoice_id, ${day}::date, t.kind, 'agent', t.summary, t.data::jsonb
      from unnest(${textArray(events.map((e) => e.customerId))}::uuid[], ${textArray(events.map((e) => e.invoiceId))}::uuid[],
                  ${textArray(events.map((e) => e.kind))}::text[], ${textArray(events.map((e) => e.summary))}::text[],
                  ${textArray(events.map((e) => (e.data ? JSON.stringify(e.data) : null)))}::text[]) as t(customer_id, invoice_id, kind, summary, data)`.execute(
    db,
  );
}

export { COURTESY_LEVEL };
