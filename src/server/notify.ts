// After each scheduled run, the organisation's people are told what was sent and what waits for
// them: in the app (a notification in their common language) and by email (each member in their
// own language). Written once per organisation and day, however many times the run is retried.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { RunReport } from '../dunning/run.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { memberLanguage, membersLanguage } from '../messages/language.ts';
import { memberText } from '../messages/member-texts.ts';
import type { Db } from '../store/store.ts';

export interface RunSummary {
  sent: number;
  awaitingApproval: number;
  newTasks: number;
  openTasks: number;
  paid: number;
}

function longDate(day: PlainDate, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    );
  } catch {
    return day;
  }
}

function mailBody(title: string, report: RunReport, tasks: string[]): string {
  const lines = [title, ''];
  for (const m of report.messages)
    lines.push(
      `${m.status === 'awaiting_approval' ? '[?] ' : '→ '}${m.customer.name}: ${m.invoices.join(', ')} (${m.amounts.map((a) => `${a.amount} ${a.currency}`).join(', ')})`,
    );
  if (report.messages.length) lines.push('');
  for (const t of tasks) lines.push(`• ${t}`);
  // Customer names, numbers and amounts need no translation; task titles are in the members' language.
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Records the day's summary for the organisation's members; false when it was already recorded. */
export async function notifyRunSummary(
  db: Db,
  org: Organisation,
  day: PlainDate,
  report: RunReport,
): Promise<boolean> {
  const already = await db
    .selectFrom('notifications')
    .select('id')
    .where('org_id', '=', org.id)
    .where('kind', '=', 'run.summary')
    .where('day', '=', day)
    .executeTakeFirst();
  if (already) return false;
  const members = await db
    .selectFrom('members')
    .select(['id', 'email', 'name', 'language'])
    .where('org_id', '=', org.id)
    .execute();
  const counts = await sql<{ open_tasks: number; awaiting: number; paid: number }>`
    select (select count(*) from tasks where org_id = ${org.id}::uuid and status = 'open') as open_tasks,
           (select count(*) from messages where org_id = ${org.id}::uuid and status = 'awaiting_approval') as awaiting,
           (select count(distinct e.invoice_id) from events e join invoices i on i.id = e.invoice_id and i.org_id = e.org_id
             where e.org_id = ${org.id}::uuid and e.day = ${day}::date and e.kind in ('invoice.paid', 'payment.applied')
               and i.outstanding <= 0) as paid`.execute(db);
  const c = counts.rows[0]!;
  const summary: RunSummary = {
    sent: report.messages.filter((m) => m.status === 'queued').length,
    awaitingApproval: Number(c.awaiting),
    newTasks: report.tasks.length,
    openTasks: Number(c.open_tasks),
    paid: Number(c.paid),
  };
  const titleIn = (language: string) =>
    memberText('summary.daily', language, {
      date: longDate(day, language),
      sent: summary.sent,
      tasks: summary.newTasks,
      paid: summary.paid,
    });
  const common = members.length ? membersLanguage(members) : org.language;
  const notification = await db
    .insertInto('notifications')
    .values({
      org_id: org.id,
      kind: 'run.summary',
      title: titleIn(common),
      language: common,
      day,
      data: JSON.stringify({
        ...summary,
        messages: report.messages.map((m) => ({
          customer: m.customer,
          invoices: m.invoices,
          level: m.level,
          status: m.status,
        })),
        tasks: report.tasks.map((t) => ({ customer: t.customer, kind: t.kind, title: t.title })),
      }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const taskTitles = report.tasks.map((t) => t.title);
  const mails = members.map((m) => {
    const language = memberLanguage(m);
    const subject = titleIn(language);
    return {
      org_id: org.id,
      member_id: m.id,
      notification_id: notification.id,
      to_address: m.email,
      language,
      subject,
      text_body: mailBody(subject, report, taskTitles),
    };
  });
  if (mails.length > 0) await db.insertInto('member_mail').values(mails).execute();
  return true;
}
