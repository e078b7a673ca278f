// Work for people. One open task per cause (e.g. one "missing contact" per customer), however many
// runs notice it: a new notice of an open cause is not a new task.
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';

export interface NewTask {
  customerId: string | null;
  invoiceId?: string | null;
  kind: string;
  causeKey: string;
  title: string;
  detail: Record<string, unknown>;
}

/** Opens the tasks whose cause has no open task yet; returns the causes of those opened now. */
export async function openTasks(db: Db, orgId: string, day: string, tasks: NewTask[]): Promise<Set<string>> {
  if (tasks.length === 0) return new Set();
  const unique = [...new Map(tasks.map((t) => [t.causeKey, t])).values()];
  const result = await sql<{ cause_key: string }>`
    insert into tasks (org_id, customer_id, invoice_id, kind, cause_key, title, detail, created_on)
    select ${orgId}::uuid, t.customer_id, t.invoice_id, t.kind, t.cause_key, t.title, t.detail::jsonb, ${day}::date
      from unnest(${unique.map((t) => t.customerId)}::uuid[], ${unique.map((t) => t.invoiceId ?? null)}::uuid[],
                  ${unique.map((t) => t.kind)}::text[], ${unique.map((t) => t.causeKey)}::text[],
                  ${unique.map((t) => t.title)}::text[], ${unique.map((t) => JSON.stringify(t.detail))}::text[])
        as t(customer_id, invoice_id, kind, cause_key, title, detail)
    on conflict (org_id, cause_key) where status = 'open' do nothing
    returning cause_key`.execute(db);
  return new Set(result.rows.map((r) => r.cause_key));
}

/** Closes the open tasks of these causes (the cause went away: a contact was added, the invoice paid). */
export async function closeTasks(
  db: Db,
  orgId: string,
  causeKeys: string[],
  resolution: Record<string, unknown>,
): Promise<number> {
  if (causeKeys.length === 0) return 0;
  const result = await sql`
    update tasks set status = 'done', resolved_at = now(), resolution = ${JSON.stringify(resolution)}::jsonb
     where org_id = ${orgId}::uuid and status = 'open' and cause_key = any(${causeKeys}::text[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
