// Writes a batch of validated records in a few set-based statements (unnest of arrays), on
// PostgreSQL and PGlite alike. Upserts are keyed by (organisation, ref) and (organisation, number)
// and skip rows that would not change, so re-importing a file writes nothing.
import { sql } from 'kysely';
import { derivedStatusSql } from '../ledger/status.ts';
import { numberArray, textArray } from '../store/arrays.ts';
import { uuidv7 } from '../store/ids.ts';
import type { Db } from '../store/store.ts';
import type { ContactRecord, CustomerRecord, InvoiceRecord } from './records.ts';

export interface BatchCounts {
  created: number;
  updated: number;
  customersCreated: number;
}

type Executor = Pick<Db, 'executeQuery'> & Db;

export function contactKey(contact: ContactRecord): string | undefined {
  if (contact.email) return contact.email.toLowerCase();
  if (contact.name) return `name:${contact.name.toLowerCase()}`;
  if (contact.phone) return `phone:${contact.phone.replace(/\s/g, '')}`;
  return undefined;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function writeCustomers(
  db: Executor,
  orgId: string,
  customers: CustomerRecord[],
): Promise<number> {
  if (customers.length === 0) return 0;
  const byRef = new Map<string, CustomerRecord>();
  for (const c of customers) {
    const previous = byRef.get(c.ref);
    byRef.set(c.ref, previous ? { ...previous, ...c, contacts: [...previous.contacts, ...c.contacts] } : c);
  }
  const list = [...byRef.values()];
  const inserted = await sql<{ inserted: boolean }>`
    insert into customers (org_id, ref, name, country, language, legal_id, vat_id, address)
    select ${orgId}::uuid, t.ref, t.name, t.country, t.language, t.legal_id, t.vat_id, t.address::jsonb
      from unnest(${textArray(list.map((c) => c.ref))}::text[], ${textArray(list.map((c) => c.name))}::text[],
                  ${textArray(list.map((c) => c.country ?? null))}::text[], ${textArray(list.map((c) => c.language ?? null))}::text[],
                  ${textArray(list.map((c) => c.legalId ?? null))}::text[], ${textArray(list.map((c) => c.vatId ?? null))}::text[],
                  ${textArray(list.map((c) => json(c.address)))}::text[])
        as t(ref, name, country, language, legal_id, vat_id, address)
    on conflict (org_id, ref) do update set
      name = excluded.name,
      country = coalesce(excluded.country, customers.country),
      language = coalesce(excluded.language, customers.language),
      legal_id = coalesce(excluded.legal_id, customers.legal_id),
      vat_id = coalesce(excluded.vat_id, customers.vat_id),
      address = coalesce(excluded.address, customers.address),
      updated_at = now()
    where (customers.name, customers.country, customers.language, customers.legal_id, customers.vat_id, customers.address)
      is distinct from (excluded.name, coalesce(excluded.country, customers.country), coalesce(excluded.language, customers.language),
        coalesce(excluded.legal_id, customers.legal_id), coalesce(excluded.vat_id, customers.vat_id), coalesce(excluded.address, customers.address))
    returning (xmax = 0) as inserted`.execute(db);

  const flagged = list.filter((c) => c.strategic !== undefined || c.excluded !== undefined);
  if (flagged.length > 0) {
    await sql`
      update customers c set strategic = coalesce(t.strategic, c.strategic), excluded = coalesce(t.excluded, c.excluded)
        from unnest(${textArray(flagged.map((c) => c.ref))}::text[], ${numberArray(flagged.map((c) => c.strategic ?? null))}::boolean[],
                    ${numberArray(flagged.map((c) => c.excluded ?? null))}::boolean[]) as t(ref, strategic, excluded)
       where c.org_id = ${orgId}::uuid and c.ref = t.ref`.execute(db);
  }

  const contacts = new Map<string, { ref: string; key: string; contact: ContactRecord }>();
  for (const c of list) {
    for (const contact of c.contacts) {
      const key = contactKey(contact);
      if (!key) continue;
      const id = `${c.ref}\u0000${key}`;
      const previous = contacts.get(id)?.contact;
      contacts.set(id, { ref: c.ref, key, contact: previous ? { ...previous, ...contact } : contact });
    }
  }
  const rows = [...contacts.values()];
  if (rows.length > 0) {
    await sql`
      insert into contacts (org_id, customer_id, key, name, email, phone, language, role, address)
      select ${orgId}::uuid, c.id, t.key, t.name, t.email, t.phone, t.language, t.role, t.address::jsonb
        from unnest(${textArray(rows.map((r) => r.ref))}::text[], ${textArray(rows.map((r) => r.key))}::text[],
                    ${textArray(rows.map((r) => r.contact.name ?? null))}::text[], ${textArray(rows.map((r) => r.contact.email ?? null))}::text[],
                    ${textArray(rows.map((r) => r.contact.phone ?? null))}::text[], ${textArray(rows.map((r) => r.contact.language ?? null))}::text[],
                    ${textArray(rows.map((r) => r.contact.role ?? 'billing'))}::text[], ${textArray(rows.map((r) => json(r.contact.address)))}::text[])
          as t(ref, key, name, email, phone, language, role, address)
        join customers c on c.org_id = ${orgId}::uuid and c.ref = t.ref
      on conflict (org_id, customer_id, key) do update set
        name = coalesce(excluded.name, contacts.name),
        email = coalesce(excluded.email, contacts.email),
        phone = coalesce(excluded.phone, contacts.phone),
        language = coalesce(excluded.language, contacts.language),
        address = coalesce(excluded.address, contacts.address),
        updated_at = now()
      where (contacts.name, contacts.email, contacts.phone, contacts.language, contacts.address) is distinct from
        (coalesce(excluded.name, contacts.name), coalesce(excluded.email, contacts.email), coalesce(excluded.phone, contacts.phone),
         coalesce(excluded.language, contacts.language), coalesce(excluded.address, contacts.address))`.execute(
      db,
    );
  }
  return inserted.rows.filter((r) => r.inserted).length;
}

export async function writeInvoices(
  db: Executor,
  orgId: string,
  importId: string,
  invoices: InvoiceRecord[],
): Promise<{ created: number; updated: number }> {
  if (invoices.length === 0) return { created: 0, updated: 0 };
  const byNumber = new Map<string, InvoiceRecord>();
  for (const invoice of invoices) byNumber.set(invoice.number, invoice);
  const list = [...byNumber.values()];
  // The source's outstanding overrides ours only when the source's own figure changed: payments
  // and credit notes recorded here are not undone by re-importing an export that predates them.
  const newOutstanding = sql`case
    when (excluded.source_outstanding, excluded.total) is distinct from (invoices.source_outstanding, invoices.total)
    then excluded.source_outstanding else invoices.outstanding end`;
  const result = await sql<{ inserted: boolean }>`
    insert into invoices (id, org_id, customer_id, number, type, issue_date, due_date, currency, total, outstanding,
                          source_outstanding, po_number, applies_to, status, import_id)
    select t.id, ${orgId}::uuid, c.id, t.number, t.type, t.issue_date, t.due_date, t.currency, t.total, t.outstanding,
           t.outstanding, t.po_number, t.applies_to,
           ${derivedStatusSql(sql`t.outstanding`, sql`t.total`)},
           ${importId}::uuid
      from unnest(${textArray(list.map(() => uuidv7()))}::uuid[], ${textArray(list.map((i) => i.number))}::text[], ${textArray(list.map((i) => i.type))}::text[],
                  ${textArray(list.map((i) => i.customerRef))}::text[], ${textArray(list.map((i) => i.issueDate))}::date[],
                  ${textArray(list.map((i) => i.dueDate))}::date[], ${textArray(list.map((i) => i.currency))}::text[],
                  ${numberArray(list.map((i) => i.total))}::bigint[], ${numberArray(list.map((i) => i.outstanding))}::bigint[],
                  ${textArray(list.map((i) => i.poNumber ?? null))}::text[], ${textArray(list.map((i) => i.appliesTo ?? null))}::text[])
        as t(id, number, type, customer_ref, issue_date, due_date, currency, total, outstanding, po_number, applies_to)
      join customers c on c.org_id = ${orgId}::uuid and c.ref = t.customer_ref
    on conflict (org_id, number) do update set
      customer_id = excluded.customer_id,
      type = excluded.type,
      issue_date = excluded.issue_date,
      due_date = excluded.due_date,
      currency = excluded.currency,
      total = excluded.total,
      outstanding = ${newOutstanding},
      source_outstanding = excluded.source_outstanding,
      po_number = excluded.po_number,
      applies_to = excluded.applies_to,
      status = ${derivedStatusSql(newOutstanding, sql`excluded.total`, sql`invoices.status`)},
      import_id = excluded.import_id,
      absent_since = null,
      updated_at = now()
    where (invoices.customer_id, invoices.type, invoices.issue_date, invoices.due_date, invoices.currency, invoices.total,
           invoices.source_outstanding, invoices.po_number, invoices.applies_to, invoices.absent_since)
      is distinct from (excluded.customer_id, excluded.type, excluded.issue_date, excluded.due_date, excluded.currency,
           excluded.total, excluded.source_outstanding, excluded.po_number, excluded.applies_to, null::date)
    returning (xmax = 0) as inserted`.execute(db);
  const created = result.rows.filter((r) => r.inserted).length;
  return { created, updated: result.rows.length - created };
}
