// Tasks the mail side opens for people (a contact to replace, a postal address to add, mail that
// keeps coming back), titled in the team's language, one open task per cause.
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { membersLanguage } from '../messages/language.ts';
import { type MemberTextKey, memberText } from '../messages/member-texts.ts';
import type { Db, Store } from '../store/store.ts';
import { openTasks } from '../tasks/open-tasks.ts';

export async function teamLanguage(db: Db, org: Organisation): Promise<string> {
  const members = await db.selectFrom('members').select('language').where('org_id', '=', org.id).execute();
  return members.length ? membersLanguage(members) : org.language;
}

export interface MailTask {
  customerId: string;
  kind: string;
  causeKey: string;
  text: MemberTextKey;
  values: Record<string, string | number>;
  reason: string;
  invoices?: string[];
  day: PlainDate;
}

/** Opens the task unless one is open for the same cause; true when it was opened now. */
export async function openTaskFor(
  store: Store | { db: Db },
  org: Organisation,
  task: MailTask,
): Promise<boolean> {
  const db = store.db;
  const title = memberText(task.text, await teamLanguage(db, org), task.values);
  const opened = await openTasks(db, org.id, task.day, [
    {
      customerId: task.customerId,
      kind: task.kind,
      causeKey: task.causeKey,
      title,
      detail: { reason: task.reason, invoices: task.invoices ?? [] },
    },
  ]);
  if (!opened.has(task.causeKey)) return false;
  await db
    .insertInto('events')
    .values({
      org_id: org.id,
      customer_id: task.customerId,
      day: task.day,
      kind: 'task.opened',
      actor: 'agent',
      summary: `Task for the team: ${title} (${task.reason})`,
    })
    .execute();
  return true;
}
