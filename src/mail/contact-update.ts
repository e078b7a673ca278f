// A person gives a customer a valid contact (after a hard bounce, or because none was known): it
// becomes the customer's billing contact, the task asking for it closes, and the reminders held back
// for want of it are planned again by the next daily run.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { checkEmail } from '../imports/validate.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { Store } from '../store/store.ts';
import { closeTasks } from '../tasks/open-tasks.ts';

export interface ContactInput {
  email: string;
  name?: string | undefined;
  phone?: string | undefined;
  language?: string | undefined;
}

export interface ContactUpdate {
  customer: { ref: string; name: string };
  email: string;
  /** The address was known and invalid, and is valid again. */
  revalidated: boolean;
  /** Other billing contacts, now `other`. */
  demoted: string[];
  closedTasks: number;
}

export async function setContact(
  store: Store,
  org: Organisation,
  customerRef: string,
  input: ContactInput,
  actor: string,
  day: PlainDate,
): Promise<ContactUpdate> {
  const email = checkEmail(input.email);
  if (!email.ok) throw new InputError(`--email: ${email.reason}`);
  return store.db.transaction().execute(async (db) => {
    const customer = await db
      .selectFrom('customers')
      .select(['id', 'ref', 'name'])
      .where('org_id', '=', org.id)
      .where('ref', '=', customerRef)
      .executeTakeFirst();
    if (!customer)
      throw new InputError(
        `no customer ${customerRef} in this organisation (\`ardent customers\` lists them)`,
      );
    const key = email.value.toLowerCase();
    const before = await db
      .selectFrom('contacts')
      .select(['valid'])
      .where('org_id', '=', org.id)
      .where('customer_id', '=', customer.id)
      .where('key', '=', key)
      .executeTakeFirst();
    await sql`
      insert into contacts (org_id, customer_id, key, name, email, phone, language, role, valid, source)
      values (${org.id}::uuid, ${customer.id}::uuid, ${key}, ${input.name ?? null}, ${email.value}, ${input.phone ?? null},
              ${input.language ?? null}, 'billing', true, 'person')
      on conflict (org_id, customer_id, key) do update set
        name = coalesce(excluded.name, contacts.name), email = excluded.email,
        phone = coalesce(excluded.phone, contacts.phone), language = coalesce(excluded.language, contacts.language),
        role = 'billing', valid = true, invalid_reason = null, invalid_since = null, updated_at = now()`.execute(
      db,
    );
    // The reminders go to the contact a person just gave, not to an older billing address.
    const demoted = await sql<{ email: string | null }>`
      update contacts set role = 'other', updated_at = now()
       where org_id = ${org.id}::uuid and customer_id = ${customer.id}::uuid and key <> ${key} and role = 'billing'
      returning email`.execute(db);
    const closed = await closeTasks(db, org.id, [`missing_contact:${customer.id}`], {
      by: actor,
      reason: `a valid contact was given: ${email.value}`,
    });
    await db
      .insertInto('events')
      .values({
        org_id: org.id,
        customer_id: customer.id,
        day,
        kind: 'contact.updated',
        actor,
        summary: `Billing contact set to ${input.name ? `${input.name} <${email.value}>` : email.value}${before && !before.valid ? ' (valid again)' : ''}: reminders resume with the next run`,
      })
      .execute();
    return {
      customer: { ref: customer.ref, name: customer.name },
      email: email.value,
      revalidated: Boolean(before && !before.valid),
      demoted: demoted.rows.map((r) => r.email ?? '').filter(Boolean),
      closedTasks: closed,
    };
  });
}
