// Sends the emails queued for members (run summaries) through the same transports as customers'
// mail: the SMTP relay when ARDENT_SMTP_URL is set, else .eml files in ARDENT_HOME/outbox/.
import { sql } from 'kysely';
import type { Organisation } from '../ledger/organisations.ts';
import { messageIdDomain, senderAddress } from '../mail/compose-mail.ts';
import { mailSettingsFromEnv } from '../mail/deliver.ts';
import { classifySendError, DEFAULT_RETRY, retryDelaySeconds } from '../mail/errors.ts';
import { buildMime } from '../mail/mime.ts';
import type { Transport } from '../mail/transport.ts';
import { textToHtml } from '../messages/render.ts';
import type { Db } from '../store/store.ts';

/** The transport customers' mail uses (ARDENT_SMTP_URL, else ARDENT_HOME/outbox). */
export function transportFromEnv(env: NodeJS.ProcessEnv, home: string): Transport {
  return mailSettingsFromEnv(env, home).transport;
}

const MAX_ATTEMPTS = 6;

/**
 * Sends due member mail across organisations. Each row is claimed by pushing its next attempt into
 * the future (FOR UPDATE SKIP LOCKED), so two workers never send the same one.
 */
export async function sendMemberMail(db: Db, transport: Transport, batch = 20): Promise<number> {
  const due = await sql<{
    id: string;
    org_id: string;
    to_address: string;
    language: string;
    subject: string;
    text_body: string;
    attempts: number;
    created_at: Date;
  }>`
    with due as (
      select id from member_mail where status = 'queued' and next_attempt_at <= now()
       order by next_attempt_at limit ${batch} for update skip locked
    )
    update member_mail m set attempts = m.attempts + 1, next_attempt_at = now() + interval '10 minutes'
      from due where m.id = due.id
    returning m.id, m.org_id, m.to_address, m.language, m.subject, m.text_body, m.attempts, m.created_at`.execute(
    db,
  );
  if (due.rows.length === 0) return 0;
  const orgIds = [...new Set(due.rows.map((r) => r.org_id))];
  const orgs = new Map(
    (await db.selectFrom('organisations').selectAll().where('id', 'in', orgIds).execute()).map((o) => [
      o.id,
      o as Organisation,
    ]),
  );
  let sent = 0;
  for (const m of due.rows) {
    const org = orgs.get(m.org_id)!;
    const messageId = `<member-${m.id}@${messageIdDomain(org)}>`;
    const from = senderAddress(org);
    try {
      const mime = buildMime({
        from,
        to: { name: null, address: m.to_address },
        subject: m.subject,
        text: m.text_body,
        html: textToHtml(m.text_body, m.language, m.subject),
        messageId,
        date: new Date(),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      const day = m.created_at.toISOString().slice(0, 10);
      await transport.send(
        mime,
        { from: from.address, to: [m.to_address] },
        { messageId, name: `member_${day}_${m.id.slice(0, 8)}` },
      );
      await sql`update member_mail set status = 'sent', sent_at = now(), last_error = null
                 where org_id = ${m.org_id}::uuid and id = ${m.id}::uuid`.execute(db);
      sent++;
    } catch (error) {
      const failure = classifySendError(error);
      const final = !failure.retryable || m.attempts >= MAX_ATTEMPTS;
      await sql`update member_mail set last_error = ${failure.message.slice(0, 500)}, status = ${final ? 'failed' : 'queued'},
                  next_attempt_at = now() + make_interval(secs => ${retryDelaySeconds(m.attempts, DEFAULT_RETRY, m.id)})
                 where org_id = ${m.org_id}::uuid and id = ${m.id}::uuid`.execute(db);
    }
  }
  return sent;
}
