// A delivery failure report that came in with the replies goes to the mail side's bounce rules
// (mail/bounce/apply.ts): a hard bounce invalidates the contact and asks the team for another, a soft
// one is counted. Called once the report is stored, outside its transaction (the rules run their own).
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { applyBounce } from '../mail/bounce/apply.ts';
import { parseBounce } from '../mail/bounce/parse-bounce.ts';
import type { Store } from '../store/store.ts';

export interface BounceContext {
  store: Store;
  org: Organisation;
  day: PlainDate;
  raw: Buffer;
  inboundMessageId: string;
}

/** What happens to a bounce; returns what it did, one line each, for the report. */
export type BounceHandler = (context: BounceContext) => Promise<string[]>;

/** Message-IDs quoted after the report's own header block: those of our message that came back. */
export function quotedMessageIds(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const body = text.slice(Math.max(0, text.search(/\r?\n\r?\n/)));
  return [...body.matchAll(/^Message-ID:\s*(<[^>\s]+>)/gim)].map((m) => m[1]!);
}

export const applyBounceReport: BounceHandler = async ({ store, org, day, raw }) => {
  const report = parseBounce(raw);
  if (!report || report.recipients.length === 0)
    return ['a delivery report naming no failed recipient: nothing to do'];
  const outcomes = await applyBounce(store, org, report, {
    day,
    source: 'dsn',
    referencedIds: quotedMessageIds(raw),
  });
  return outcomes.map(
    (b) =>
      `${b.address}: ${b.hard ? 'hard' : 'soft'} bounce${b.status ? ` ${b.status}` : ''} (${b.reason})${b.invalidated ? ', contact marked invalid' : ''}${b.tasks.length ? ', task opened' : ''}`,
  );
};
