// The scheduler: every tick (a minute by default), for every organisation, the daily run once its
// local run hour has come on a business day of its country, then the day's sending within the
// sending window; webhooks and members' mail; all shared between the processes on one database
// through leases (leases.ts). See ARCHITECTURE.md in this folder.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { isBusinessDay } from '../calendar/business-days.ts';
import type { PlainDate } from '../calendar/plain-date.ts';
import { DEFAULT_SEND_WINDOW } from '../calendar/send-window.ts';
import { runDay } from '../dunning/run.ts';
import { type ImapSettings, pollImap } from '../inbound/imap-poller.ts';
import { ingestMessage } from '../inbound/ingest.ts';
import { openAiCompatibleFromEnv } from '../inbound/providers/openai-compatible.ts';
import type { Organisation } from '../ledger/organisations.ts';
import type { Transport } from '../mail/transport.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import { deliverDue } from './delivery.ts';
import { claimJob, finishJob, isDone, type JobKey, releaseAll, releaseJob, renewJob } from './leases.ts';
import { sendMemberMail } from './member-mail.ts';
import type { Metrics } from './metrics.ts';
import { notifyRunSummary } from './notify.ts';
import { enqueueWebhookEvents, sendDueWebhooks } from './webhooks.ts';

export interface SchedulerOptions {
  store: Store;
  home: string;
  /** For the mail transport (ARDENT_SMTP_URL…), as the command line reads it. */
  env: NodeJS.ProcessEnv;
  clock: Clock;
  metrics: Metrics;
  transport: Transport;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  tickMs: number;
  leaseSeconds: number;
  /** This process's name in the leases it holds. */
  holder?: string;
  /** The reply mailbox to poll (ARDENT_IMAP_URL), and how often. */
  imap?: { settings: ImapSettings; everyMs: number; env: NodeJS.ProcessEnv } | undefined;
}

export interface TickReport {
  runs: { org: string; day: PlainDate; messages: number }[];
  delivered: number;
  webhooks: number;
  memberMails: number;
  inbound: number;
}

// Any fixed number, distinct from the migrations' lock: the one process reading the reply mailbox holds it.
const INBOUND_LOCK = 7_411_020_265;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export class Scheduler {
  readonly holder: string;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopping = false;
  private lastPoll = 0;

  constructor(private readonly o: SchedulerOptions) {
    this.holder = o.holder ?? workerName();
  }

  start(): void {
    const loop = async () => {
      if (this.stopping) return;
      this.current = this.tick().catch((error) => {
        this.o.metrics.inc('ardent_errors_total', { where: 'scheduler' });
        this.o.log.error({ err: error }, 'scheduler tick failed');
      });
      await this.current;
      this.current = undefined;
      if (!this.stopping) this.timer = setTimeout(loop, this.o.tickMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  /**
   * Stops taking work, waits for what is under way (up to `timeoutMs`), then gives back whatever this
   * process still holds so that another process takes it over at once.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.current) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.current, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
    const released = await releaseAll(this.o.store.db, this.holder).catch(() => 0);
    if (released) this.o.log.warn({ released }, 'released unfinished jobs for another process');
  }

  async tick(): Promise<TickReport> {
    const report: TickReport = { runs: [], delivered: 0, webhooks: 0, memberMails: 0, inbound: 0 };
    const orgs = await this.o.store.db
      .selectFrom('organisations')
      .selectAll()
      .orderBy('created_at')
      .execute();
    for (const org of orgs) {
      if (this.stopping) break;
      const local = this.o.clock.local(org.timezone);
      const businessDay = isBusinessDay(local.day, org.country);
      try {
        if (businessDay && local.minutes >= org.run_hour * 60) {
          const run = await this.dailyRun(org, local.day);
          if (run) report.runs.push(run);
        }
        const window = DEFAULT_SEND_WINDOW;
        if (businessDay && local.minutes >= minutes(window.start) && local.minutes < minutes(window.end))
          report.delivered += await this.deliver(org, local.day);
        await enqueueWebhookEvents(this.o.store, org);
      } catch (error) {
        this.o.metrics.inc('ardent_errors_total', { where: 'scheduler' });
        this.o.log.error({ err: error, org: org.slug }, 'scheduled work failed');
      }
    }
    if (this.stopping) return report;
    const hooks = await sendDueWebhooks(this.o.store.db, {
      onAttempt: (ok) =>
        this.o.metrics.inc('ardent_webhook_deliveries_total', { outcome: ok ? 'delivered' : 'failed' }),
    });
    report.webhooks = hooks.delivered;
    report.memberMails = await sendMemberMail(this.o.store.db, this.o.transport);
    this.o.metrics.inc('ardent_member_mails_total', {}, report.memberMails);
    report.inbound = await this.pollInbound().catch((error) => {
      this.o.metrics.inc('ardent_errors_total', { where: 'inbound' });
      this.o.log.error({ err: error }, 'polling the reply mailbox failed');
      return 0;
    });
    return report;
  }

  /**
   * The reply mailbox, read by one process at a time (an advisory lock held for the pass; the
   * embedded database has one process anyway), every `everyMs`. Each message goes through the same
   * ingestion as `ardent replies fetch`; its Message-ID makes a second reading a no-op.
   */
  private async pollInbound(): Promise<number> {
    const imap = this.o.imap;
    if (!imap || Date.now() - this.lastPoll < imap.everyMs) return 0;
    this.lastPoll = Date.now();
    const classifier = openAiCompatibleFromEnv(imap.env);
    const pass = async () => {
      const result = await pollImap(imap.settings, (raw) =>
        ingestMessage(this.o.store, raw, {
          asOf: this.o.clock.local('UTC').day,
          via: 'imap',
          ...(classifier ? { classifier } : {}),
        }),
      );
      for (const f of result.failed)
        this.o.log.warn({ uid: f.uid, error: f.error }, 'reply left unseen for the next pass');
      return result.taken;
    };
    if (this.o.store.engine === 'pglite') return pass();
    return this.o.store.db.transaction().execute(async (trx) => {
      const lock = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_xact_lock(${INBOUND_LOCK}) as ok`.execute(trx);
      return lock.rows[0]?.ok ? pass() : 0;
    });
  }

  /** The organisation's run for `day`, by whichever process claims it first; once. */
  private async dailyRun(org: Organisation, day: PlainDate): Promise<TickReport['runs'][number] | undefined> {
    const db = this.o.store.db;
    const key: JobKey = { orgId: org.id, kind: 'daily_run', day };
    if (await isDone(db, key)) return undefined;
    if (!(await claimJob(db, key, this.holder, this.o.leaseSeconds))) return undefined;
    // The lease is renewed while the run lasts: a long run is not taken over by a second process.
    const heartbeat = setInterval(
      () => void renewJob(db, key, this.holder, this.o.leaseSeconds).catch(() => {}),
      (this.o.leaseSeconds * 1000) / 3,
    );
    try {
      const run = await runDay(this.o.store, org, { day });
      await notifyRunSummary(db, org, day, run);
      const done = await finishJob(db, key, this.holder, {
        messages: run.messages.length,
        tasks: run.tasks.length,
        customers: run.customers,
        invoices: run.invoices,
        holder: this.holder,
      });
      this.o.metrics.inc('ardent_scheduled_runs_total', { outcome: done ? 'done' : 'lost' });
      this.o.log.info(
        { org: org.slug, day, messages: run.messages.length, tasks: run.tasks.length },
        'daily run done',
      );
      return { org: org.slug, day, messages: run.messages.length };
    } catch (error) {
      this.o.metrics.inc('ardent_scheduled_runs_total', { outcome: 'failed' });
      const attempts = await sql<{ attempts: number }>`
        select attempts from jobs where org_id = ${org.id}::uuid and kind = 'daily_run' and day = ${day}::date`.execute(
        db,
      );
      // The run is idempotent: trying again later redoes only what is missing. 1, 2, 4, 8 minutes.
      const wait = 60 * 2 ** Math.max(0, (attempts.rows[0]?.attempts ?? 1) - 1);
      await releaseJob(db, key, this.holder, error instanceof Error ? error.message : String(error), wait);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Sends what is due today; one process at a time per organisation. */
  private async deliver(org: Organisation, day: PlainDate): Promise<number> {
    const db = this.o.store.db;
    // Queued, or held by a sender whose claim ran out (it stopped): the pass takes both.
    const pending = await sql`
      select 1 from messages
       where org_id = ${org.id}::uuid and day <= ${day}::date
         and (status = 'queued' or (status = 'sending' and claimed_until < now()))
       limit 1`.execute(db);
    if (pending.rows.length === 0) return 0;
    const key: JobKey = { orgId: org.id, kind: 'deliver', day };
    if (!(await claimJob(db, key, this.holder, this.o.leaseSeconds, null))) return 0;
    try {
      const result = await deliverDue(this.o.store, org, {
        env: this.o.env,
        home: this.o.home,
        upTo: day,
        today: day,
        workerId: this.holder,
      });
      this.o.metrics.inc('ardent_messages_delivered_total', {}, result.delivered);
      return result.delivered;
    } finally {
      await releaseJob(db, key, this.holder);
    }
  }
}
