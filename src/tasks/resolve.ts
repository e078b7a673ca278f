// A person resolves a task, and what they say feeds back into the agent: a missing or bounced
// contact is given (the next run writes to it), a missing country is set, a customer is put on hold
// or its reminders stopped or resumed. Everything is written in one transaction with the task and
// recorded in the history.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { cancel, resume } from '../dunning/queue-actions.ts';
import { checkCountry, checkDate, checkEmail, checkLanguage } from '../imports/validate.ts';
import { contactKey } from '../imports/write-batch.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { Db, Store } from '../store/store.ts';

export interface Resolution {
  /** done: handled; dismissed: nothing to do. */
  outcome: 'done' | 'dismissed';
  note?: string | undefined;
  /** A contact for the task's customer (missing_contact, invalid_email, wrong_contact). */
  contact?: { email: string; name?: string | undefined; language?: string | undefined } | undefined;
  /** The customer's country (missing_country). */
  country?: string | undefined;
  /** No reminders to the customer until this day (a promise made on the phone, a negotiation). */
  holdUntil?: PlainDate | undefined;
  /** Stop the reminders of the task's invoices (a dispute upheld, a write-off coming). */
  stopReminders?: boolean | undefined;
  /** Resume them (a dispute settled in our favour). */
  resumeReminders?: boolean | undefined;
}

export interface ResolvedTask {
  id: string;
  status: 'done' | 'dismissed';
  effects: string[];
}

/** Thrown when the task is not this organisation's, or no longer open. */
export class TaskStateError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_found' | 'closed',
  ) {
    super(message);
  }
}

// The kinds whose cause is a missing or unusable address: resolving them "done" wants a new one
// unless the person fixed the contact another way.
const CONTACT_KINDS = new Set(['missing_contact', 'invalid_email', 'wrong_contact']);

export async function resolveTask(
  store: Store,
  org: Organisation,
  taskId: string,
  resolution: Resolution,
  actor: string,
  day: PlainDate,
): Promise<ResolvedTask> {
  if (resolution.stopReminders && resolution.resumeReminders)
    throw new InputError('stopReminders and resumeReminders: choose one');
  const effects: string[] = [];
  await store.db.transaction().execute(async (db) => {
    const task = await db
      .selectFrom('tasks as t')
      .leftJoin('customers as c', (j) =>
        j.onRef('c.id', '=', 't.customer_id').onRef('c.org_id', '=', 't.org_id'),
      )
      .select(['t.id', 't.kind', 't.status', 't.customer_id', 't.detail', 't.title', 'c.ref', 'c.name'])
      .where('t.org_id', '=', org.id)
      .where('t.id', '=', taskId)
      .forUpdate('t')
      .executeTakeFirst();
    if (!task) throw new TaskStateError(`no task ${taskId}`, 'not_found');
    if (task.status !== 'open') throw new TaskStateError(`this task is already ${task.status}`, 'closed');
    const needsCustomer =
      resolution.contact ||
      resolution.country ||
      resolution.holdUntil ||
      resolution.stopReminders ||
      resolution.resumeReminders;
    if (needsCustomer && !task.customer_id)
      throw new InputError('this task concerns no customer: give only outcome and note');
    const customer = task.customer_id ? { id: task.customer_id, ref: task.ref!, name: task.name! } : null;

    if (resolution.contact && customer)
      effects.push(await addContact(db, org.id, customer, resolution.contact));
    if (resolution.country && customer) {
      const c = checkCountry(resolution.country);
      if (!c.ok) throw new InputError(`country: ${c.reason}`);
      await db
        .updateTable('customers')
        .set({ country: c.value, updated_at: new Date() })
        .where('org_id', '=', org.id)
        .where('id', '=', customer.id)
        .execute();
      effects.push(`country set to ${c.value}`);
    }
    if (resolution.holdUntil && customer) {
      const d = checkDate(resolution.holdUntil);
      if (!d.ok || d.value <= day) throw new InputError(`holdUntil: expected a day after ${day}`);
      await db
        .updateTable('customers')
        .set({
          hold_until: d.value,
          hold_reason: resolution.note ?? `task "${task.title}" resolved by ${actor}`,
          updated_at: new Date(),
        })
        .where('org_id', '=', org.id)
        .where('id', '=', customer.id)
        .execute();
      effects.push(`no reminders until ${d.value}`);
    }
    if (CONTACT_KINDS.has(task.kind) && resolution.outcome === 'done' && !resolution.contact) {
      const valid = await db
        .selectFrom('contacts')
        .select('id')
        .where('org_id', '=', org.id)
        .where('customer_id', '=', task.customer_id)
        .where('valid', '=', true)
        .where('email', 'is not', null)
        .executeTakeFirst();
      if (!valid)
        throw new InputError('contact: this task is about a missing address; give the new contact (email)');
    }
    await db
      .updateTable('tasks')
      .set({
        status: resolution.outcome,
        resolved_at: new Date(),
        resolution: JSON.stringify({
          by: actor,
          outcome: resolution.outcome,
          note: resolution.note ?? null,
          effects,
        }),
      })
      .where('org_id', '=', org.id)
      .where('id', '=', task.id)
      .execute();
    await db
      .insertInto('events')
      .values({
        org_id: org.id,
        customer_id: task.customer_id,
        day,
        kind: 'task.resolved',
        actor,
        summary: `Task ${resolution.outcome === 'done' ? 'done' : 'dismissed'} by ${actor}: ${task.title}${effects.length ? ` (${effects.join('; ')})` : ''}${resolution.note ? ` — ${resolution.note}` : ''}`,
        data: JSON.stringify({ taskId: task.id, kind: task.kind }),
      })
      .execute();
  });
  // Stopping or resuming reminders goes through the queue's own actions (their own transaction and history).
  if (resolution.stopReminders || resolution.resumeReminders) {
    const task = await store.db
      .selectFrom('tasks as t')
      .innerJoin('customers as c', 'c.id', 't.customer_id')
      .select(['c.ref', 't.detail'])
      .where('t.org_id', '=', org.id)
      .where('t.id', '=', taskId)
      .executeTakeFirstOrThrow();
    const numbers = ((task.detail ?? {}) as { invoices?: unknown }).invoices;
    const invoices = Array.isArray(numbers) ? numbers.filter((n): n is string => typeof n === 'string') : [];
    const which = invoices.length ? { invoices } : { customerRef: task.ref };
    const result = resolution.stopReminders
      ? await cancel(store, org, which, actor, day, resolution.note ?? `task resolved by ${actor}`)
      : await resume(store, org, which, actor, day);
    effects.push(`${result.invoices.join(', ')}: ${result.message}`);
  }
  return { id: taskId, status: resolution.outcome, effects };
}

async function addContact(
  db: Db,
  orgId: string,
  customer: { id: string; name: string },
  input: NonNullable<Resolution['contact']>,
): Promise<string> {
  const email = checkEmail(input.email.trim());
  if (!email.ok) throw new InputError(`contact.email: ${email.reason}`);
  let language: string | null = null;
  if (input.language) {
    const l = checkLanguage(input.language);
    if (!l.ok) throw new InputError(`contact.language: ${l.reason}`);
    language = l.value;
  }
  const key = contactKey({ email: email.value })!;
  // The same address known before (perhaps marked invalid after a bounce) is vouched for again.
  await sql`
    insert into contacts (org_id, customer_id, key, name, email, language, role, source)
    values (${orgId}::uuid, ${customer.id}::uuid, ${key}, ${input.name ?? null}, ${email.value}, ${language}, 'billing', 'task')
    on conflict (org_id, customer_id, key) do update set
      valid = true, invalid_reason = null, invalid_since = null,
      name = coalesce(excluded.name, contacts.name), language = coalesce(excluded.language, contacts.language), updated_at = now()`.execute(
    db,
  );
  return `contact ${email.value} added for ${customer.name}`;
}
