import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UnreadableFileError } from '../imports/records.ts';
import { InputError } from '../ledger/organisations.ts';
import { applyBounce } from '../mail/bounce/apply.ts';
import { parseBounce } from '../mail/bounce/parse-bounce.ts';
import { deliver } from '../mail/deliver.ts';
import { newWorkerId } from '../mail/sender.ts';
import type { CommandContext } from './context.ts';
import type { Runner } from './main.ts';
import { asOfDay } from './run.ts';

interface SendOptions {
  asOf?: string;
  worker?: boolean;
  interval: string;
  lease: string;
  batch: string;
  concurrency?: string;
}

function positive(name: string, value: string | undefined, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new InputError(`--${name}: expected a positive ${integer ? 'whole ' : ''}number, got "${value}"`);
  return n;
}

/** Message-IDs quoted in a bounce after its own header block: the returned message's. */
function quotedMessageIds(raw: string): string[] {
  const body = raw.slice(Math.max(0, raw.search(/\r?\n\r?\n/)));
  return [...body.matchAll(/^Message-ID:\s*(<[^>\s]+>)/gim)].map((m) => m[1]!);
}

export function registerSend(program: Command, run: Runner): void {
  program
    .command('send')
    .description(
      'sends what is due in the outbox (through ARDENT_SMTP_URL, else to ARDENT_HOME/outbox), for a sender process of its own',
    )
    .option(
      '--as-of <date>',
      'messages planned up to this day (default: today in the organisation’s time zone)',
    )
    .option('--worker', 'keep running: send what falls due, every --interval seconds, until stopped')
    .option('--interval <seconds>', 'with --worker, the pause between two passes', '5')
    .option(
      '--lease <seconds>',
      'how long a claim holds: a sender that dies loses its messages after that',
      '300',
    )
    .option('--batch <n>', 'messages claimed at a time', '50')
    .option('--concurrency <n>', 'messages in flight at once (default: the transport’s)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<SendOptions>();
        const store = await ctx.store();
        const org = await ctx.org();
        const settings = {
          workerId: newWorkerId(),
          leaseSeconds: positive('lease', o.lease, false)!,
          batchSize: positive('batch', o.batch)!,
          ...(o.concurrency ? { concurrency: positive('concurrency', o.concurrency)! } : {}),
        };
        const pass = () => {
          const today = ctx.today(org);
          return deliver(store, org, {
            env: ctx.env,
            home: ctx.home,
            upTo: asOfDay(ctx, o.asOf, org),
            today,
            ...settings,
          });
        };
        if (!o.worker) {
          const report = await pass();
          if (ctx.out.json) ctx.out.data(report);
          else printReport(ctx, report);
          return report.halted ? 1 : 0;
        }
        const interval = positive('interval', o.interval, false)! * 1000;
        let stopping = false;
        const stop = () => {
          stopping = true;
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        ctx.out.error(`ardent send: worker ${settings.workerId} started`);
        while (!stopping) {
          const report = await pass();
          if (
            report.delivered.length +
              report.deferred.length +
              report.failed.length +
              report.cancelled.length >
            0
          )
            printReport(ctx, report);
          if (report.halted) ctx.out.error(`ardent send: sending stopped: ${report.halted}`);
          if (!stopping) await new Promise((resolve) => setTimeout(resolve, interval));
        }
        return 0;
      })();
    });

  program
    .command('bounce')
    .description(
      'takes a bounce (a delivery status notification) by hand and applies it to the contact it names',
    )
    .argument('<file>', 'the bounce as an RFC 5322 message (.eml)')
    .option('--as-of <date>', 'the day it is taken in (default: today)')
    .action(function (this: Command, file: string) {
      return run(async (ctx) => {
        const o = this.opts<{ asOf?: string }>();
        let raw: Buffer;
        try {
          raw = readFileSync(file);
        } catch (error) {
          throw new UnreadableFileError({
            file,
            message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          });
        }
        const report = parseBounce(raw);
        if (!report || report.recipients.length === 0)
          throw new InputError(
            `${file}: not a bounce: no delivery status report and no failed recipient found`,
          );
        const store = await ctx.store();
        const org = await ctx.org();
        const outcomes = await applyBounce(store, org, report, {
          day: asOfDay(ctx, o.asOf, org),
          source: 'dsn',
          referencedIds: quotedMessageIds(raw.toString('latin1')),
        });
        if (ctx.out.json) {
          ctx.out.data(outcomes);
          return 0;
        }
        for (const b of outcomes) {
          const who =
            b.contacts.map((c) => `${c.customer.name} (${c.customer.ref})`).join(', ') || 'no known contact';
          ctx.out.line(
            `${b.address}: ${b.hard ? 'hard' : 'soft'} bounce ${[b.status, b.reason].filter(Boolean).join(' ')} — ${who}`,
          );
          if (b.invalidated) ctx.out.line('  contact marked invalid; no more mail to it');
          if (b.suspended.length) ctx.out.line(`  ${b.suspended.length} waiting message(s) held back`);
          if (b.retryAt) ctx.out.line(`  the message will be sent again after ${b.retryAt}`);
          if (b.tasks.length) ctx.out.line('  a task asks the team for a valid contact (`ardent tasks`)');
        }
        return 0;
      })();
    });
}

function printReport(ctx: CommandContext, r: Awaited<ReturnType<typeof deliver>>): void {
  if (ctx.out.json) return;
  const parts = [`${r.delivered.length - r.letters.length} sent to ${r.destination}`];
  if (r.letters.length) parts.push(`${r.letters.length} letters to print`);
  if (r.deferred.length) parts.push(`${r.deferred.length} to retry`);
  if (r.failed.length) parts.push(`${r.failed.length} failed`);
  if (r.cancelled.length) parts.push(`${r.cancelled.length} cancelled before leaving`);
  if (r.suspended.length) parts.push(`${r.suspended.length} held back`);
  ctx.out.line(`${parts.join(', ')}.`);
  for (const f of r.failed) ctx.out.line(`  failed ${f.id}: ${f.error}`);
  for (const d of r.deferred.slice(0, 10)) ctx.out.line(`  retry ${d.id} after ${d.retryAt}: ${d.error}`);
  if (r.halted) ctx.out.error(`ardent send: stopped: ${r.halted}`);
}
