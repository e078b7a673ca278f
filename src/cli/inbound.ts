// `ardent inbound FILE.eml`: one customer message taken in and acted on; `ardent replies`: what
// came in, how it was understood and matched; `ardent replies listen|fetch`: the SMTP listener and
// the IMAP poller; `ardent replies settings`: how long the agent waits after each kind of reply.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { plainDateAt } from '../calendar/plain-date.ts';
import { imapSettingsFromUrl, pollImap } from '../inbound/imap-poller.ts';
import { type IngestReport, ingestMessage } from '../inbound/ingest.ts';
import { openAiCompatibleFromEnv } from '../inbound/providers/openai-compatible.ts';
import { loadInboundSettings, saveInboundSettings } from '../inbound/settings.ts';
import { startInboundSmtp } from '../inbound/smtp-listener.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { CommandContext } from './context.ts';
import { fileError } from './inspect-statement.ts';
import type { Runner } from './main.ts';
import { asOfDay } from './run.ts';

const VERBS: Record<string, string> = {
  record_reply: 'reply noted',
  hold_customer: 'reminders held',
  pause_invoices: 'paused',
  record_promise: 'promise recorded',
  dispute_invoices: 'marked disputed',
  stop_customer: 'all reminders stopped',
  invalidate_contact: 'contact marked invalid',
  open_task: 'task',
  send_statement: 'statement queued',
  handle_bounce: 'bounce',
  note: 'noted',
};

function printReport(ctx: CommandContext, file: string, r: IngestReport): void {
  const a = r.analysis;
  ctx.out.line(`${file}: ${a.kind} from ${r.from ?? 'unknown sender'}${r.subject ? `, "${r.subject}"` : ''}`);
  if (r.duplicate) {
    ctx.out.line('  already received (same Message-ID): nothing done again');
    return;
  }
  const understood = [
    a.intent ? `${a.intent} (${Math.round((a.confidence ?? 0) * 100)}%)` : a.kind,
    a.language ? `language ${a.language}` : '',
    a.promisedDate ? `promised ${a.promisedDate}` : '',
    a.returnDate ? `back on ${a.returnDate}` : '',
    a.invoiceNumbers.length ? `invoices ${a.invoiceNumbers.join(', ')}` : '',
    a.bounce ? `${a.bounce.recipients.length} failed recipient(s)` : '',
  ].filter(Boolean);
  ctx.out.line(`  understood: ${understood.join(', ')}`);
  ctx.out.line(
    r.customer
      ? `  matched: ${r.customer.name} (${r.customer.ref}) by ${r.matchedBy.replace(/_/g, '-')}: ${r.matchReason}`
      : `  matched to no customer${r.matchReason ? `: ${r.matchReason}` : ''}`,
  );
  for (const d of r.decisions) {
    const what = [
      VERBS[d.kind] ?? d.kind,
      d.task ? `(${d.task.replace(/_/g, ' ')})` : '',
      d.invoices?.length && d.kind !== 'open_task' ? d.invoices.join(', ') : '',
      d.until ? `until ${d.until}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    ctx.out.line(`  - ${what}: ${d.reason}`);
  }
  for (const n of r.notes) ctx.out.line(`  · ${n}`);
}

/** The day a listener or poller reads its mail: ARDENT_TODAY, else today where it runs. */
function listenerDay(ctx: CommandContext, org: Organisation | null): string {
  return (
    ctx.env.ARDENT_TODAY ??
    plainDateAt(new Date(), org?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone)
  );
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${name}: expected a whole number, got "${value}"`);
  return n;
}

export function registerInbound(program: Command, run: Runner): void {
  program
    .command('inbound')
    .description(
      'takes one inbound message (a reply, an automatic reply, a bounce), matches it to its customer and acts on it',
    )
    .argument('<file>', 'an RFC 5322 message (.eml)')
    .option('--as-of <date>', 'the day it is read (default: today in the organisation’s time zone)')
    .action(function (this: Command, file: string) {
      return run(async (ctx) => {
        const o = this.opts<{ asOf?: string }>();
        let raw: Buffer;
        try {
          raw = await readFile(file);
        } catch (error) {
          throw new InputError(`${file}: ${fileError(error as NodeJS.ErrnoException)}`);
        }
        const store = await ctx.store();
        const org = await ctx.org();
        const classifier = openAiCompatibleFromEnv(ctx.env);
        const report = await ingestMessage(store, raw, {
          asOf: asOfDay(ctx, o.asOf, org),
          via: 'file',
          orgId: org.id,
          ...(classifier ? { classifier } : {}),
        });
        if (ctx.out.json) ctx.out.data(report);
        else printReport(ctx, file, report);
        return 0;
      })();
    });

  const replies = program
    .command('replies')
    .description('what customers wrote: how each message was understood, matched and acted on');

  replies
    .command('list', { isDefault: true })
    .description('the messages received, newest first')
    .option('--customer <ref>', 'one customer')
    .option('--status <status>', 'acted, noted, unmatched or bounce')
    .option('--limit <n>', 'the most recent N (default 50)', '50')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ customer?: string; status?: string; limit: string }>();
        const limit = positive('--limit', o.limit, 50);
        if (o.status && !['acted', 'noted', 'unmatched', 'bounce'].includes(o.status))
          throw new InputError(`--status: expected acted, noted, unmatched or bounce, got "${o.status}"`);
        const org = await ctx.org();
        let query = (await ctx.store()).db
          .selectFrom('inbound_messages as m')
          .leftJoin('customers as c', (j) =>
            j.onRef('c.id', '=', 'm.customer_id').onRef('c.org_id', '=', 'm.org_id'),
          )
          .select([
            'm.id',
            'm.received_on',
            'm.via',
            'm.from_address',
            'm.subject',
            'm.analysis',
            'm.matched_by',
            'm.status',
            'm.decisions',
            'c.ref',
            'c.name',
          ])
          .where('m.org_id', '=', org.id)
          .orderBy('m.received_at', 'desc')
          .limit(limit);
        if (o.customer) query = query.where('c.ref', '=', o.customer);
        if (o.status) query = query.where('m.status', '=', o.status);
        const rows = await query.execute();
        const list = rows.map((r) => {
          const analysis = (r.analysis ?? {}) as { kind?: string; intent?: string; confidence?: number };
          const decisions = (Array.isArray(r.decisions) ? r.decisions : []) as {
            kind: string;
            reason: string;
          }[];
          return {
            id: r.id,
            receivedOn: r.received_on,
            via: r.via,
            from: r.from_address,
            subject: r.subject,
            customer: r.ref ? { ref: r.ref, name: r.name } : null,
            kind: analysis.kind ?? 'unknown',
            intent: analysis.intent ?? null,
            confidence: analysis.confidence ?? null,
            matchedBy: r.matched_by,
            status: r.status,
            decisions,
          };
        });
        if (ctx.out.json) ctx.out.data(list);
        else
          ctx.out.table(
            list.map((m) => ({
              day: m.receivedOn,
              from: m.from ?? '',
              customer: m.customer?.name ?? '',
              understood: m.intent ?? m.kind,
              matched: m.matchedBy,
              status: m.status,
              decided: m.decisions
                .filter((d) => d.kind !== 'record_reply')
                .map((d) => d.kind)
                .join(', '),
            })),
          );
        return 0;
      })();
    });

  replies
    .command('listen')
    .description('an SMTP server for the reply addresses: a mail relay forwards customers’ replies to it')
    .option('--port <n>', 'default env ARDENT_INBOUND_SMTP_PORT, else 2525')
    .option('--host <address>', 'default env ARDENT_INBOUND_SMTP_HOST, else 0.0.0.0')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ port?: string; host?: string }>();
        const store = await ctx.store();
        // With --org the listener serves that organisation only; without, whichever a message names.
        const org = ctx.options.org ? await ctx.org() : null;
        const classifier = openAiCompatibleFromEnv(ctx.env);
        const server = await startInboundSmtp({
          port: positive('--port', o.port ?? ctx.env.ARDENT_INBOUND_SMTP_PORT, 2525),
          host: o.host ?? ctx.env.ARDENT_INBOUND_SMTP_HOST ?? '0.0.0.0',
          store,
          maxBytes: positive('ARDENT_INBOUND_MAX_BYTES', ctx.env.ARDENT_INBOUND_MAX_BYTES, 25 * 1024 * 1024),
          replyAddresses: ctx.env.ARDENT_REPLY_TO ? [ctx.env.ARDENT_REPLY_TO] : [],
          log: (line) => ctx.out.error(line),
          onMessage: async (raw, envelope) => {
            const report = await ingestMessage(store, raw, {
              asOf: listenerDay(ctx, org),
              via: 'smtp',
              envelopeTo: envelope.to,
              ...(org ? { orgId: org.id } : {}),
              ...(classifier ? { classifier } : {}),
            });
            if (!ctx.out.json) printReport(ctx, `smtp from ${envelope.from || '<>'}`, report);
          },
        });
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', resolve);
          process.once('SIGINT', resolve);
        });
        await server.close();
        return 0;
      })();
    });

  replies
    .command('fetch')
    .description(
      'reads the unseen messages of the reply mailbox over IMAP (ARDENT_IMAP_URL) and acts on each',
    )
    .option('--watch', 'keep polling, every --interval seconds, until stopped')
    .option('--interval <seconds>', 'with --watch, the pause between two polls', '60')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ watch?: boolean; interval: string }>();
        const url = ctx.env.ARDENT_IMAP_URL;
        if (!url)
          throw new InputError('ARDENT_IMAP_URL is not set: imaps://user:password@imap.example.com/INBOX');
        let settings: ReturnType<typeof imapSettingsFromUrl>;
        try {
          settings = imapSettingsFromUrl(url, ctx.env.ARDENT_IMAP_MOVE_TO || undefined);
        } catch (error) {
          throw new InputError((error as Error).message);
        }
        const store = await ctx.store();
        const org = ctx.options.org ? await ctx.org() : null;
        const classifier = openAiCompatibleFromEnv(ctx.env);
        const reports: IngestReport[] = [];
        const pass = () =>
          pollImap(settings, async (raw) => {
            const report = await ingestMessage(store, raw, {
              asOf: listenerDay(ctx, org),
              via: 'imap',
              ...(org ? { orgId: org.id } : {}),
              ...(classifier ? { classifier } : {}),
            });
            reports.push(report);
            if (!ctx.out.json) printReport(ctx, `imap ${settings.mailbox}`, report);
          });
        let stopping = false;
        const stop = () => {
          stopping = true;
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        let failed = 0;
        do {
          const result = await pass();
          failed += result.failed.length;
          for (const f of result.failed) ctx.out.error(`imap: message ${f.uid} left unseen: ${f.error}`);
          if (o.watch && !stopping)
            await new Promise((resolve) =>
              setTimeout(resolve, positive('--interval', o.interval, 60) * 1000),
            );
        } while (o.watch && !stopping);
        if (ctx.out.json) ctx.out.data(reports);
        return failed ? 1 : 0;
      })();
    });

  replies
    .command('settings')
    .description(
      'how long the agent waits after each kind of reply (business days); prints them, or changes those given',
    )
    .option(
      '--promise-grace <days>',
      'after a promised date, before the promise counts as broken (default 3)',
    )
    .option('--discussion-hold <days>', 'no reminder to a customer who just wrote (default 3)')
    .option('--task-hold <days>', 'invoices concerned by a task wait for the team (default 10)')
    .option('--paid-claim-wait <days>', 'to see a payment the customer says it made (default 5)')
    .option('--min-confidence <percent>', 'under it, a person reads the reply (default 50)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{
          promiseGrace?: string;
          discussionHold?: string;
          taskHold?: string;
          paidClaimWait?: string;
          minConfidence?: string;
        }>();
        const db = (await ctx.store()).db;
        const org = await ctx.org();
        const num = (name: string, v: string | undefined) =>
          v === undefined ? undefined : positive(`--${name}`, v, 0);
        const change = Object.fromEntries(
          Object.entries({
            promiseGraceDays: num('promise-grace', o.promiseGrace),
            discussionHoldDays: num('discussion-hold', o.discussionHold),
            taskHoldDays: num('task-hold', o.taskHold),
            paidClaimWaitDays: num('paid-claim-wait', o.paidClaimWait),
            minConfidence:
              o.minConfidence === undefined ? undefined : num('min-confidence', o.minConfidence)! / 100,
          }).filter(([, v]) => v !== undefined),
        );
        let settings = await loadInboundSettings(db, org.id);
        if (Object.keys(change).length) {
          const saved = await saveInboundSettings(db, org.id, change);
          if (saved.problems.length) throw new InputError(saved.problems.join('; '));
          settings = saved.settings;
        }
        if (ctx.out.json) ctx.out.data(settings);
        else
          ctx.out.line(
            `promise grace ${settings.promiseGraceDays} · discussion hold ${settings.discussionHoldDays} · task hold ${settings.taskHoldDays} · paid-claim wait ${settings.paidClaimWaitDays} business days · minimum confidence ${Math.round(settings.minConfidence * 100)}%`,
          );
        return 0;
      })();
    });
}
