// The sender: takes what is due from the outbox and carries it out exactly once.
//
//   claim (lease, FOR UPDATE SKIP LOCKED) → re-check (invoices still due as written, contact still
//   valid, postal address known) → compose → transfer all but the final step → record "sent" under
//   the claim's fence → final step → record the provider's id.
//
// Several senders may run at once, in one process or many: a row belongs to the sender whose claim
// (claimed_by, attempts) it carries, and only that sender can record it as sent. ARCHITECTURE.md has
// the diagram, the retry policy and what each failure does.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { type PlainDate, plainDateAt } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { literal } from '../store/literal.ts';
import type { Db, Store } from '../store/store.ts';
import { applyBounce } from './bounce/apply.ts';
import { classify } from './bounce/classify.ts';
import {
  type ComposeContext,
  type Composed,
  composeMessage,
  letterAddress,
  messageIdDomain,
  messageName,
  type OutboxInvoice,
  type OutboxMessage,
  senderAddress,
} from './compose-mail.ts';
import { type ComposeThreads, composeThreads } from './compose-threads.ts';
import {
  ClaimLostError,
  classifySendError,
  DEFAULT_RETRY,
  type RetryPolicy,
  retryDelaySeconds,
  SendError,
  type SendFailure,
} from './errors.ts';
import { type DeliveryEvent, recordDeliveryEvents } from './events.ts';
import type { LetterProvider } from './letters/provider.ts';
import type { MailAttachment } from './mime.ts';
import { type PendingRecord, RecordLine } from './record-line.ts';
import { rewindDunningState } from './rewind.ts';
import type { StatementItem } from './statement-pdf.ts';
import { openTaskFor } from './tasks.ts';
import type { CommitPoint, Transport } from './transport.ts';

export interface DeliverOptions {
  /** Messages planned for this day or before. */
  upTo: PlainDate;
  transport: Transport;
  /** Where letters go; absent, letter messages stay in the outbox. */
  letters?: LetterProvider | null;
  /** This sender's name in claims (default: host:pid:random). */
  workerId?: string;
  /** Messages in flight at once (default: what the transport can carry, at most 8). */
  concurrency?: number;
  /** Messages claimed at a time (default 50). */
  batchSize?: number;
  /** How long a claim holds (default 300 s): a sender that dies loses its messages after that. */
  leaseSeconds?: number;
  retry?: RetryPolicy;
  /** ARDENT_REPLY_TO: the inbound address whose subaddress carries the customer's token. */
  replyTo?: string | null;
  /** ARDENT_PUBLIC_URL: the base of tracking URLs (used when the organisation turned tracking on). */
  publicUrl?: string | null;
  /**
   * What a crash in the instant between the final dot and its record can cause: `at-least-once`
   * (default) a duplicate with the same Message-ID, `at-most-once` a message recorded as sent that
   * never arrived (ARDENT_SEND_GUARANTEE). Everywhere else a crash causes neither.
   */
  guarantee?: 'at-least-once' | 'at-most-once';
  /** Where messages are composed: threads (default: those ARDENT_COMPOSE_THREADS asks for), or null: this thread. */
  composing?: ComposeThreads | null;
  /** Attach the statement of account to reminders (default true). */
  statement?: boolean;
  /** The organisation's today (default: from the clock in its time zone). */
  today?: PlainDate;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface DeliveryReport {
  destination: string;
  /** Ids of the messages handed over (emails and letters). */
  delivered: string[];
  letters: string[];
  cancelled: { id: string; reason: string }[];
  suspended: { id: string; reason: string }[];
  deferred: { id: string; attempt: number; retryAt: string; error: string }[];
  failed: { id: string; error: string }[];
  /** A failure that stops every message (login, TLS, sender refused): what it said. */
  halted: string | null;
}

/** A message's 'sent' event, with the relay's id and reply: written with a later record. */
interface Confirmation {
  id: string;
  attempt: number;
  detail: SentDetail;
}

/** What the 'sent' event of a message says. */
interface SentDetail {
  to: string | null;
  channel: 'email' | 'letter';
  destination: string | undefined;
  providerId: string;
  response: string | null;
}

type Provided = { providerId: string; response: string | null };

const LIVE_STATUSES = new Set(['open', 'partially_paid']);

/** Delivers every message due up to `upTo`; returns what became of each. */
export async function deliverDue(
  store: Store,
  org: Organisation,
  options: DeliverOptions,
): Promise<DeliveryReport> {
  return new Sender(store, org, options).run();
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** One of the sender's lanes: messages one after another, each on one SMTP connection. */
interface Lane {
  /** On PostgreSQL, the lane's connection for the records of its messages. */
  line: RecordLine<Confirmation> | null;
  /** Takes the lane's next message now, so that its record can go with this message's COMMIT. */
  takeAhead(): OutboxMessage | undefined;
}

const sentSummary = (m: OutboxMessage) => `Sent "${m.subject}" to ${m.toAddress}`;

class Sender {
  private readonly report: DeliveryReport;
  private readonly worker: string;
  private readonly retry: RetryPolicy;
  private readonly lease: number;
  private readonly confirmations: Confirmation[] = [];
  private halted: SendFailure | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly org: Organisation,
    private readonly options: DeliverOptions,
  ) {
    this.worker = options.workerId ?? newWorkerId();
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.lease = options.leaseSeconds ?? 300;
    this.now = options.now ?? (() => new Date());
    this.report = {
      destination: options.transport.destination,
      delivered: [],
      letters: [],
      cancelled: [],
      suspended: [],
      deferred: [],
      failed: [],
      halted: null,
    };
  }

  private get db(): Db {
    return this.store.db;
  }

  async run(): Promise<DeliveryReport> {
    await this.reportUnconfirmed();
    const lanes = Math.min(this.options.concurrency ?? this.options.transport.concurrency, 8);
    const stopped = () => this.halted !== null || Boolean(this.options.signal?.aborted);
    // The next batch is claimed, loaded and checked while this one is sent.
    let next = this.batch();
    for (;;) {
      const batch = await next;
      if (!batch) break;
      next = stopped() ? Promise.resolve(null) : this.batch();
      await this.inLanes(batch.ready, lanes, (m, lane) =>
        this.deliver(m, batch.context, batch.composed?.get(m.id), lane),
      );
      await Promise.all(this.finishing);
      await this.flushConfirmations();
      if (stopped()) {
        // A batch claimed ahead and not sent goes back to the queue.
        const ahead = await next;
        for (const m of ahead?.ready ?? []) await this.release(m);
        break;
      }
    }
    return this.report;
  }

  /** The messages over `count` lanes, each taking the next one whenever it is free. */
  private async inLanes(
    messages: readonly OutboxMessage[],
    count: number,
    work: (m: OutboxMessage, lane: Lane) => Promise<void>,
  ): Promise<void> {
    let at = 0;
    const take = () => (at < messages.length ? messages[at++] : undefined);
    const run = async () => {
      let ahead: OutboxMessage | undefined;
      const lane: Lane = {
        line:
          this.store.engine === 'postgres'
            ? new RecordLine(this.db, this.options.guarantee === 'at-most-once')
            : null,
        takeAhead: () => {
          ahead ??= take();
          return ahead;
        },
      };
      try {
        for (let m = take(); m; m = ahead ?? take()) {
          ahead = undefined;
          if (this.halted) {
            this.confirmations.push(...((await lane.line?.abandon(m.id)) ?? []));
            await this.release(m);
          } else await work(m, lane);
        }
      } finally {
        // The lane's last COMMIT is done before its connection goes back.
        await Promise.all(this.finishing);
        this.confirmations.push(...((await lane.line?.close()) ?? []));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(count, messages.length)) }, run));
  }

  private async batch(): Promise<{
    ready: OutboxMessage[];
    context: ComposeContext;
    composed: Map<string, Promise<Composed | null>> | null;
  } | null> {
    const claimed = await this.claim();
    if (claimed.length === 0) return null;
    const ready = await this.recheck(await this.load(claimed));
    const context = await this.context(ready);
    // Composed on other threads while the batch before this one is sent.
    const threads = this.options.composing === undefined ? composeThreads() : this.options.composing;
    return { ready, context, composed: threads?.compose(ready, context) ?? null };
  }

  // --- claim and re-check -------------------------------------------------------------------------

  private async claim(): Promise<string[]> {
    const channels = this.options.letters ? ['email', 'letter'] : ['email'];
    const limit = this.options.batchSize ?? 50;
    // Two scans in the order of messages_outbox (organisation, status, day, id), each stopping at the
    // batch's size: claims of a sender that died first, then what is queued. One scan with an OR
    // would sort every queued message at each claim, and pass again over those already claimed.
    const rows = await sql<{ id: string }>`
      with expired as (
        select id from messages
         where org_id = ${this.org.id}::uuid and status = 'sending' and day <= ${this.options.upTo}::date
           and channel = any(${channels}::text[]) and claimed_until < now()
         order by day, id
         limit ${limit}
         for update skip locked
      ), queued as (
        select id from messages
         where org_id = ${this.org.id}::uuid and status = 'queued' and day <= ${this.options.upTo}::date
           and channel = any(${channels}::text[]) and (next_attempt_at is null or next_attempt_at <= now())
         order by day, id
         limit ${limit}
         for update skip locked
      ), due as (
        select id from expired union all select id from queued limit ${limit}
      )
      update messages m
         set status = 'sending', claimed_by = ${this.worker}, attempts = m.attempts + 1,
             claimed_until = now() + make_interval(secs => ${this.lease}),
             message_id_header = coalesce(m.message_id_header, '<' || m.id || '@' || ${messageIdDomain(this.org)} || '>')
        from due
       where m.org_id = ${this.org.id}::uuid and m.id = due.id
      returning m.id`.execute(this.db);
    return rows.rows.map((r) => r.id);
  }

  private async load(ids: string[]): Promise<OutboxMessage[]> {
    const rows = await sql<{
      id: string;
      attempts: number;
      customer_id: string;
      contact_id: string | null;
      channel: 'email' | 'letter';
      level: number | null;
      day: string;
      language: string;
      to_address: string | null;
      to_name: string | null;
      subject: string;
      text_body: string;
      message_id_header: string;
      ref: string;
      customer_name: string;
      country: string | null;
      customer_address: unknown;
      reply_token: string;
      contact_valid: boolean | null;
      contact_email: string | null;
      invalid_reason: string | null;
      contact_name: string | null;
      contact_address: unknown;
      invoices: OutboxInvoice[];
      thread: string[] | null;
    }>`
      select m.id, m.attempts, m.customer_id, m.contact_id, m.channel, m.level, m.day, m.language, m.to_address, m.to_name,
             m.subject, m.text_body, m.message_id_header, c.ref, c.name as customer_name, c.country,
             c.address as customer_address, c.reply_token,
             k.valid as contact_valid, k.email as contact_email, k.invalid_reason, k.name as contact_name,
             k.address as contact_address,
             (select coalesce(json_agg(json_build_object('id', i.id, 'number', i.number, 'issueDate', i.issue_date,
                       'dueDate', i.due_date, 'currency', i.currency, 'total', i.total, 'outstanding', i.outstanding,
                       'status', i.status, 'asked', mi.amount) order by i.due_date, i.number), '[]'::json)
                from message_invoices mi join invoices i on i.id = mi.invoice_id and i.org_id = mi.org_id
               where mi.org_id = m.org_id and mi.message_id = m.id) as invoices,
             -- Earlier messages of the thread, through messages_customer only: the conditions below are
             -- written so that no other index serves them. Statistics taken before an organisation's
             -- first large send say that nothing was sent and no Message-ID given; an index on either
             -- would look like one row and be walked whole for every message (quadratic in the send).
             (select array_agg(p.message_id_header order by p.sent_at)
                from (select message_id_header, sent_at from messages p
                       where p.org_id = m.org_id and p.customer_id = m.customer_id and p.sent_at is not null
                         and p.channel = 'email' and p.id <> m.id and coalesce(p.message_id_header, '') <> ''
                       order by p.sent_at desc limit 10) p) as thread
        from messages m join customers c on c.id = m.customer_id and c.org_id = m.org_id
        left join contacts k on k.id = m.contact_id and k.org_id = m.org_id
       where m.org_id = ${this.org.id}::uuid and m.id = any(${ids}::uuid[]) and m.claimed_by = ${this.worker}
       order by m.day, m.id`.execute(this.db);
    return rows.rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      customerId: r.customer_id,
      contactId: r.contact_id,
      channel: r.channel,
      level: r.level,
      day: r.day,
      language: r.language,
      toAddress: r.to_address,
      toName: r.to_name,
      subject: r.subject,
      text: r.text_body,
      messageId: r.message_id_header,
      customer: {
        ref: r.ref,
        name: r.customer_name,
        country: r.country,
        address: r.customer_address,
        replyToken: r.reply_token,
      },
      contact:
        r.contact_valid === null
          ? null
          : {
              valid: r.contact_valid,
              email: r.contact_email,
              invalidReason: r.invalid_reason,
              name: r.contact_name,
              address: r.contact_address,
            },
      invoices: r.invoices.map((i) => ({
        ...i,
        total: Number(i.total),
        outstanding: Number(i.outstanding),
        asked: Number(i.asked),
      })),
      thread: r.thread ?? [],
    }));
  }

  /**
   * Just before sending: every invoice still due as the message says, the contact still valid, the
   * letter's address known. What fails is withdrawn (cancelled or suspended), never sent.
   */
  private async recheck(messages: OutboxMessage[]): Promise<OutboxMessage[]> {
    const ready: OutboxMessage[] = [];
    const cancelled: { m: OutboxMessage; reason: string; rewind: boolean }[] = [];
    const suspended: { m: OutboxMessage; reason: string; rewind: boolean }[] = [];
    const noAddress: OutboxMessage[] = [];
    for (const m of messages) {
      const changed = m.invoices.filter(
        (i) => !LIVE_STATUSES.has(i.status) || i.outstanding <= 0 || i.outstanding < i.asked,
      );
      if (m.invoices.length > 0 && changed.length === m.invoices.length) {
        cancelled.push({
          m,
          reason: 'every invoice in it was paid, disputed or cancelled before it left',
          rewind: false,
        });
      } else if (changed.length > 0) {
        cancelled.push({
          m,
          reason: `${changed.map((i) => i.number).join(', ')} changed since it was written (paid, disputed or less due): the next run writes with the figures of the day`,
          rewind: true,
        });
      } else if (m.channel === 'email' && (!m.contact?.valid || !m.toAddress)) {
        suspended.push({
          m,
          reason: m.contact
            ? `${m.contact.email ?? m.toAddress} is not a valid address (${m.contact.invalidReason ?? 'marked invalid'}): waiting for a valid contact`
            : 'its contact was removed: waiting for a valid contact',
          rewind: true,
        });
      } else if (m.channel === 'letter' && !letterAddress(m)) {
        suspended.push({
          m,
          reason: `no postal address for ${m.customer.name}: a letter cannot be sent`,
          rewind: false,
        });
        noAddress.push(m);
      } else ready.push(m);
    }
    await this.withdraw('cancelled', cancelled);
    await this.withdraw('suspended', suspended);
    for (const m of noAddress)
      await openTaskFor(this.store, this.org, {
        customerId: m.customerId,
        kind: 'missing_address',
        causeKey: `missing_address:${m.customerId}`,
        text: 'task.missing_address',
        values: { customer_name: m.customer.name },
        reason: `a letter (level ${m.level ?? '?'}) is due for ${m.customer.name}, who has no postal address`,
        invoices: m.invoices.map((i) => i.number),
        day: m.day,
      });
    return ready;
  }

  private async withdraw(
    status: 'cancelled' | 'suspended',
    list: { m: OutboxMessage; reason: string; rewind: boolean }[],
  ): Promise<void> {
    if (list.length === 0) return;
    const done = await sql<{ id: string }>`
      update messages m set status = ${status}, last_error = t.reason, claimed_until = null
        from unnest(${list.map((x) => x.m.id)}::uuid[], ${list.map((x) => x.reason)}::text[]) as t(id, reason)
       where m.org_id = ${this.org.id}::uuid and m.id = t.id and m.status = 'sending' and m.claimed_by = ${this.worker}
      returning m.id`.execute(this.db);
    const mine = new Set(done.rows.map((r) => r.id));
    const kept = list.filter((x) => mine.has(x.m.id));
    await rewindDunningState(
      this.db,
      this.org.id,
      kept.filter((x) => x.rewind).map((x) => x.m.id),
    );
    await recordDeliveryEvents(
      this.db,
      this.org.id,
      kept.map(({ m, reason }) => ({
        messageId: m.id,
        kind: status,
        attempt: m.attempts,
        detail: { reason },
        history: {
          customerId: m.customerId,
          day: m.day,
          kind: `message.${status}`,
          summary: `${status === 'cancelled' ? 'Not sent' : 'Held back'}: "${m.subject}": ${reason}`,
        },
      })),
    );
    for (const { m, reason } of kept) this.report[status].push({ id: m.id, reason });
  }

  /** Open items for the statements, and the invoices' own documents, for this batch. */
  private async context(messages: OutboxMessage[]): Promise<ComposeContext> {
    const now = this.now();
    const ctx: ComposeContext = {
      org: this.org,
      today: this.options.today ?? plainDateAt(now, this.org.timezone),
      now,
      replyTo: this.options.replyTo,
      publicUrl: this.options.publicUrl,
    };
    const emails = messages.filter((m) => m.channel === 'email');
    if (emails.length === 0) return ctx;
    const customers = [...new Set(emails.map((m) => m.customerId))];
    if (this.options.statement !== false) {
      const items = await sql<{
        customer_id: string;
        number: string;
        type: 'invoice' | 'credit_note';
        issue_date: string;
        due_date: string;
        currency: string;
        total: number;
        outstanding: number;
      }>`
        select customer_id, number, type, issue_date, due_date, currency, total, outstanding
          from invoices
         where org_id = ${this.org.id}::uuid and customer_id = any(${customers}::uuid[])
           and outstanding > 0 and status not in ('paid', 'cancelled', 'written_off')`.execute(this.db);
      const open = new Map<string, StatementItem[]>(customers.map((c) => [c, []]));
      for (const i of items.rows)
        open.get(i.customer_id)!.push({
          number: i.number,
          type: i.type,
          issueDate: i.issue_date,
          dueDate: i.due_date,
          currency: i.currency,
          total: Number(i.total),
          outstanding: Number(i.outstanding),
        });
      ctx.openItems = open;
    }
    const invoiceIds = [...new Set(emails.flatMap((m) => m.invoices.map((i) => i.id)))];
    if (invoiceIds.length > 0) {
      const docs = await this.db
        .selectFrom('documents')
        .select(['invoice_id', 'file_name', 'content_type', 'path', 'content'])
        .where('org_id', '=', this.org.id)
        .where('invoice_id', 'in', invoiceIds)
        .execute();
      const byInvoice = new Map<string, MailAttachment[]>();
      for (const d of docs) {
        // A file that went away since it was recorded is left out, not a reason to hold the reminder.
        const content = d.content
          ? Buffer.from(d.content)
          : d.path
            ? await readFile(d.path).catch(() => null)
            : null;
        if (!content) continue;
        byInvoice.set(d.invoice_id, [
          ...(byInvoice.get(d.invoice_id) ?? []),
          { filename: d.file_name, contentType: d.content_type, content },
        ]);
      }
      ctx.documents = byInvoice;
    }
    return ctx;
  }

  // --- delivery ------------------------------------------------------------------------------------

  /**
   * The commit point: a transaction that records the message as sent, opened with the transfer and
   * committed in the same tick as the final step (see transports/smtp.ts).
   */
  private commitPoint(m: OutboxMessage, summary: string, name: string, lane: Lane) {
    const line = lane.line;
    let committing: Promise<void> | null = null;
    // The lane's next message's record, to go with this COMMIT; built before the final step, so that
    // nothing is computed between the two writes.
    let ahead: PendingRecord<Confirmation> | null = null;
    let recorded: Promise<void> | null = null;
    let carried: Confirmation[] = [];
    const embedded = async () => {
      // Embedded database: one process, in-process storage; record, then the final step.
      carried = this.confirmations.splice(0);
      try {
        await this.recordNow(this.recordSent(m, summary, name, carried));
      } catch (error) {
        throw /claim lost/.test(String(error)) ? new ClaimLostError(m.id) : error;
      }
      committing = Promise.resolve();
    };
    // On PostgreSQL the record starts with the transfer (or went with the lane's previous COMMIT), so
    // that the database's round trip overlaps the SMTP server's; the row stays locked by the open
    // transaction until the COMMIT. A lost claim stops the message before MAIL FROM is answered.
    if (line) recorded = line.record(m.id, () => this.pendingRecord(m, summary, name));
    const point: CommitPoint = {
      order: this.options.guarantee === 'at-most-once' ? 'record-then-release' : 'release-then-record',
      prepare: async () => {
        recorded ??= embedded();
        await recorded;
        // At most once, the COMMIT goes alone before the dot: the least written ahead of it.
        const next =
          line && !this.halted && point.order === 'release-then-record' ? lane.takeAhead() : undefined;
        if (next?.channel === 'email') ahead = this.pendingRecord(next, sentSummary(next), messageName(next));
      },
      commit: () => {
        if (!line) return;
        committing = line.commit(ahead);
        ahead = null;
      },
    };
    return {
      point,
      committed: () => committing !== null,
      /**
       * After the final step, or instead of it: waits for the COMMIT (rejects if it failed), or
       * rolls the record back; what an undone record carried goes back to be recorded later.
       */
      finish: async (): Promise<void> => {
        await recorded?.catch(() => {});
        if (ahead) this.confirmations.push(...ahead.carried);
        ahead = null;
        if (committing) return committing;
        this.confirmations.push(...(line ? await line.abandon(m.id) : carried.splice(0)));
      },
    };
  }

  /** A message's record, carrying the provider ids of earlier messages waiting to be recorded. */
  private pendingRecord(m: OutboxMessage, summary: string, name: string): PendingRecord<Confirmation> {
    const carried = this.confirmations.splice(0);
    return { id: m.id, statement: this.recordSent(m, summary, name, carried), carried };
  }

  /**
   * The statement that records a message as sent (ardent_record_sent, migration 012), its values
   * written out as escaped literals so that it travels with BEGIN in one round trip. `provided`: the
   * reply, when it is known before the record (the outbox folder, letters, a record made again).
   */
  private recordSent(
    m: OutboxMessage,
    summary: string,
    name: string,
    confirmations: Confirmation[],
    provided?: Provided,
  ): string {
    const json = (v: unknown) => literal(JSON.stringify(v));
    const sent = provided ? json(this.sentDetail(m, provided)) : 'null';
    return `select ardent_record_sent(${literal(this.org.id)}, ${literal(m.id)}, ${literal(this.worker)}, ${Number(
      m.attempts,
    )}, ${literal(summary)}, ${json({ messageId: m.id, file: name, channel: m.channel })}, ${sent}, array[${confirmations
      .map((c) => literal(c.id))
      .join(
        ',',
      )}]::uuid[], array[${confirmations.map((c) => Number(c.attempt)).join(',')}]::integer[], array[${confirmations
      .map((c) => json(c.detail))
      .join(',')}]::jsonb[])`;
  }

  /** A record in a transaction of its own, committed before it returns. */
  private async recordNow(statement: string): Promise<void> {
    await this.db.transaction().execute((trx) => sql.raw(statement).execute(trx));
  }

  private sentDetail(m: OutboxMessage, provided: Provided): SentDetail {
    return {
      to: m.toAddress,
      channel: m.channel,
      destination:
        m.channel === 'letter' ? this.options.letters?.destination : this.options.transport.destination,
      providerId: provided.providerId,
      response: provided.response,
    };
  }

  private async deliver(
    m: OutboxMessage,
    ctx: ComposeContext,
    ahead: Promise<Composed | null> | undefined,
    lane: Lane,
  ): Promise<void> {
    const name = messageName(m);
    let composed: Composed;
    try {
      composed = (await ahead) ?? composeMessage(m, ctx);
    } catch (error) {
      // Its record may have gone with the lane's previous COMMIT: undone before the row is touched.
      this.confirmations.push(...((await lane.line?.abandon(m.id)) ?? []));
      await this.failed(
        m,
        { kind: 'message', retryable: false, message: `could not be written: ${String(error)}` },
        false,
      );
      return;
    }
    const city = letterAddress(m)?.city;
    const summary =
      'pdf' in composed
        ? `Letter "${m.subject}" for ${m.customer.name}${city ? `, ${city}` : ''}: ${this.options.letters?.destination}`
        : sentSummary(m);
    // The outbox folder, the print folder and postal APIs take the same message twice as once (a
    // file name, an idempotency key): hand it over, then record. SMTP does not: the commit point.
    if ('pdf' in composed || this.options.transport.kind === 'directory') {
      await this.deliverIdempotent(m, composed, summary, name);
      return;
    }
    const cp = this.commitPoint(m, summary, name, lane);
    try {
      const sent = await this.options.transport.send(
        composed.mime,
        { from: senderAddress(this.org).address, to: [composed.to] },
        { messageId: m.messageId, name, commitPoint: cp.point },
      );
      const provided: Provided = { providerId: sent.providerId, response: sent.response ?? null };
      // The lane goes on with its next message's transfer while the COMMIT completes.
      this.inBackground(
        cp.finish().then(
          () => {
            this.confirmations.push({ id: m.id, attempt: m.attempts, detail: this.sentDetail(m, provided) });
            this.report.delivered.push(m.id);
          },
          // The server has the message but the COMMIT failed (the database went away): record it
          // again, else the expired claim would send it a second time.
          () => this.recordAgain(m, summary, name, provided),
        ),
      );
    } catch (error) {
      const committed = cp.committed();
      await cp.finish().catch(() => {});
      if (error instanceof ClaimLostError) return;
      await this.failed(
        m,
        classifySendError(error),
        committed || (error instanceof SendError && error.committed),
      );
    }
  }

  private readonly finishing = new Set<Promise<unknown>>();

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.catch(() => {}).finally(() => this.finishing.delete(tracked));
    this.finishing.add(tracked);
  }

  private async recordAgain(
    m: OutboxMessage,
    summary: string,
    name: string,
    provided: Provided,
  ): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.recordNow(this.recordSent(m, summary, name, [], provided));
        this.report.delivered.push(m.id);
        return;
      } catch (error) {
        if (/claim lost/.test(String(error))) return;
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  private async deliverIdempotent(
    m: OutboxMessage,
    composed: Composed,
    summary: string,
    name: string,
  ): Promise<void> {
    let provided: Provided;
    try {
      if ('pdf' in composed) {
        const posted = await this.options.letters!.post({
          pdf: composed.pdf,
          name,
          idempotencyKey: m.id,
          recipient: { name: m.customer.name, address: letterAddress(m)! },
        });
        provided = { providerId: posted.providerId, response: null };
      } else {
        const sent = await this.options.transport.send(
          composed.mime,
          { from: senderAddress(this.org).address, to: [composed.to] },
          { messageId: m.messageId, name },
        );
        provided = { providerId: sent.providerId, response: sent.response ?? null };
      }
    } catch (error) {
      await this.failed(m, classifySendError(error), false);
      return;
    }
    try {
      await this.recordNow(this.recordSent(m, summary, name, [], provided));
    } catch (error) {
      // Not ours any more: another sender holds it and hands over the same file again.
      if (/claim lost/.test(String(error))) return;
      throw error;
    }
    this.report.delivered.push(m.id);
    if ('pdf' in composed) this.report.letters.push(m.id);
  }

  /** A claimed message not attempted (the pass stopped): back to the queue, the claim not counted. */
  private async release(m: OutboxMessage): Promise<void> {
    await sql`
      update messages set status = 'queued', claimed_by = null, claimed_until = null, attempts = attempts - 1
       where org_id = ${this.org.id}::uuid and id = ${m.id}::uuid and status = 'sending' and claimed_by = ${this.worker}
         and attempts = ${m.attempts}`.execute(this.db);
  }

  private async failed(m: OutboxMessage, failure: SendFailure, committed: boolean): Promise<void> {
    const from = committed ? 'sent' : 'sending';
    const exhausted = m.attempts >= this.retry.maxAttempts;
    const error = failure.message.slice(0, 500);
    const events: DeliveryEvent[] = [];
    if (failure.retryable && !exhausted) {
      const delay = retryDelaySeconds(m.attempts, this.retry, m.id);
      const row = await sql<{ next_attempt_at: Date }>`
        update messages set status = 'queued', next_attempt_at = now() + make_interval(secs => ${delay}),
               claimed_by = null, claimed_until = null, sent_at = null, last_error = ${error}
         where org_id = ${this.org.id}::uuid and id = ${m.id}::uuid and status = ${from}
           and claimed_by = ${this.worker} and attempts = ${m.attempts}
        returning next_attempt_at`.execute(this.db);
      const at = row.rows[0]?.next_attempt_at;
      if (!at) return;
      events.push({
        messageId: m.id,
        kind: 'deferred',
        attempt: m.attempts,
        detail: { ...failure, retryAt: at.toISOString() },
        // The history tells the first deferral, and a refusal after it was recorded as sent.
        ...(m.attempts === 1 || committed
          ? {
              history: {
                customerId: m.customerId,
                day: m.day,
                kind: committed ? 'message.refused' : 'message.deferred',
                summary: `"${m.subject}" not sent yet (${error}); trying again`,
              },
            }
          : {}),
      });
      this.report.deferred.push({ id: m.id, attempt: m.attempts, retryAt: at.toISOString(), error });
      if (failure.kind === 'configuration') {
        this.halted = failure;
        this.report.halted = error;
      }
    } else {
      const row = await sql<{ id: string }>`
        update messages set status = 'failed', claimed_until = null, sent_at = null, last_error = ${error}
         where org_id = ${this.org.id}::uuid and id = ${m.id}::uuid and status = ${from}
           and claimed_by = ${this.worker} and attempts = ${m.attempts}
        returning id`.execute(this.db);
      if (row.rows.length === 0) return;
      events.push({
        messageId: m.id,
        kind: 'failed',
        attempt: m.attempts,
        detail: { ...failure },
        history: {
          customerId: m.customerId,
          day: m.day,
          kind: 'message.failed',
          summary: `"${m.subject}" could not be sent to ${m.toAddress}: ${error}`,
        },
      });
      this.report.failed.push({ id: m.id, error });
    }
    await recordDeliveryEvents(this.db, this.org.id, events);
    // A permanent refusal, or a temporary one that lasted too long, is a bounce: the bounce path
    // decides what it means for the contact (classify.ts: hard or soft).
    const bounced =
      m.channel === 'email' &&
      m.toAddress &&
      (failure.kind === 'recipient' ||
        failure.kind === 'message' ||
        (exhausted && failure.kind !== 'configuration'));
    if (bounced && (!failure.retryable || exhausted)) {
      const status =
        failure.status ??
        (exhausted ? '4.4.7' : failure.replyCode && failure.replyCode >= 500 ? '5.0.0' : '');
      const c = classify({
        status,
        replyCode: failure.replyCode ? String(failure.replyCode) : '',
        diagnostic: failure.message,
        stage: failure.stage === 'RCPT' ? 'RCPT' : failure.stage === 'DATA' ? 'DATA' : '',
      });
      await applyBounce(
        this.store,
        this.org,
        {
          recipients: [
            {
              address: m.toAddress!,
              status,
              ...(failure.replyCode ? { replyCode: String(failure.replyCode) } : {}),
              hard: c.hard,
              reason: c.reason,
              diagnostic: failure.message,
            },
          ],
        },
        { day: m.day, source: 'smtp', messageId: m.id },
      );
    }
  }

  /** The 'sent' events whose replies came after the last record of the batch. */
  private async flushConfirmations(): Promise<void> {
    const list = this.confirmations.splice(0);
    await recordDeliveryEvents(
      this.db,
      this.org.id,
      list.map((c) => ({ messageId: c.id, kind: 'sent', attempt: c.attempt, detail: { ...c.detail } })),
    );
  }

  /**
   * Messages recorded as sent whose server answer was never recorded: a sender stopped between the
   * final dot and that record. The server almost surely has them (see ARCHITECTURE.md); they are
   * reported once, not sent again. Looked for among the last day's: a stopped sender's messages are
   * looked at by the next pass, which comes within minutes while anything is due.
   */
  private async reportUnconfirmed(): Promise<void> {
    const reason = 'the sender stopped after the end of the message, before the server’s answer was recorded';
    await this.db.transaction().execute(async (trx) => {
      // One sender at a time per organisation, so that each is reported once.
      await sql`select pg_advisory_xact_lock(hashtext('ardent_unconfirmed'), hashtext(${this.org.id}))`.execute(
        trx,
      );
      const rows = await sql<{ id: string; attempts: number }>`
        select m.id, m.attempts from messages m
         where m.org_id = ${this.org.id}::uuid and m.status = 'sent'
           and m.sent_at >= now() - make_interval(secs => ${this.lease}) - interval '1 day'
           and m.sent_at < now() - make_interval(secs => ${this.lease})
           and not exists (select 1 from message_events e
                            where e.org_id = m.org_id and e.message_id = m.id and e.kind in ('sent', 'unconfirmed'))`.execute(
        trx,
      );
      await recordDeliveryEvents(
        trx,
        this.org.id,
        rows.rows.map((r) => ({
          messageId: r.id,
          kind: 'unconfirmed',
          attempt: r.attempts,
          detail: { reason },
        })),
      );
    });
  }
}
