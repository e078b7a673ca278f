// The decision core: one customer's state and a day in, the actions to take that day and each
// open invoice's next step out, every one with its reason. No database, no clock, no I/O.
import { explainShift, nextBusinessDay } from '../calendar/business-days.ts';
import { addDays, daysBetween, type PlainDate } from '../calendar/plain-date.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { InvoiceStatus } from '../ledger/status.ts';
import { customerLanguage } from '../messages/language.ts';
import { COURTESY_LEVEL, type Policy, type PolicyLevel, type Tone } from './policy.ts';

export interface PlanInvoice {
  id: string;
  number: string;
  issueDate: PlainDate;
  dueDate: PlainDate;
  currency: string;
  total: number;
  outstanding: number;
  status: InvoiceStatus;
  lastLevel: number | null;
  lastSentOn: PlainDate | null;
  remindersSent: number;
  postponedUntil: PlainDate | null;
  pausedUntil: PlainDate | null;
  pauseReason: string | null;
  stopped: boolean;
  stopReason: string | null;
  /** A message about it waits for a person's approval: nothing more until it is decided. */
  awaitingApproval: boolean;
  /** A person asked for the next step to go out now, whatever its date. */
  sendNow: boolean;
  /** The agent has planned this invoice before. One it sees for the first time starts at the first level. */
  known: boolean;
  /** The customer's open promise to pay it, or its claim that it is paid (from a reply). */
  promise?: PlanPromise | null;
}

/**
 * What a customer said about an invoice in a reply. Past `graceUntil` and still unpaid, a promise is
 * broken and gets one polite follow-up (the `promise_broken` template); a claim of payment that the
 * bank has not confirmed by then goes to a person.
 */
export interface PlanPromise {
  kind: 'promise' | 'paid_claim';
  /** Null when the customer gave no date. */
  promisedDate: PlainDate | null;
  graceUntil: PlainDate;
}

export interface PlanCredit {
  number: string;
  currency: string;
  outstanding: number;
}

export interface PlanContact {
  id: string;
  name: string | null;
  email: string | null;
  language: string | null;
  role: string;
  valid: boolean;
  invalidReason: string | null;
}

export interface PlanCustomer {
  id: string;
  ref: string;
  name: string;
  country: string | null;
  language: string | null;
  strategic: boolean;
  excluded: boolean;
  holdUntil: PlainDate | null;
  holdReason: string | null;
  invoices: PlanInvoice[];
  credits: PlanCredit[];
  contacts: PlanContact[];
  /** The day of the last dunning message to this customer. */
  lastMessageOn: PlainDate | null;
  /** Dunning messages sent since the customer last wrote to us. */
  unansweredReminders: number;
  /** In insolvency proceedings: nothing more is sent; the claim goes to the administrator. */
  insolvent?: boolean;
}

export interface PlanSettings {
  day: PlainDate;
  /** Used for the calendar when the customer has no country. */
  orgCountry: string;
  policy: Policy;
}

export interface Step {
  invoiceId: string;
  number: string;
  level: number;
  /** What is asked: the outstanding amount less unused credit notes. */
  amount: number;
  currency: string;
  daysOverdue: number;
  reason: string;
  /** The follow-up of a broken promise: the invoice keeps its level, and it is not one more reminder. */
  followUp?: true;
}

export type TaskCause =
  | 'missing_contact'
  | 'missing_country'
  | 'inconsistent_data'
  | 'no_answer'
  | 'reminders_exhausted'
  | 'strategic_customer'
  | 'payment_claimed';

export type Action =
  | {
      kind: 'send';
      channel: 'email' | 'letter' | 'both';
      level: number;
      tone: Tone;
      contact: PlanContact;
      language: string;
      steps: Step[];
      /** The customer's other overdue invoices, mentioned in the message. */
      otherOverdue: string[];
      awaitingApproval: boolean;
      reason: string;
      /** Written with the `promise_broken` template: the customer promised to pay and has not. */
      followUp?: { promisedDate: PlainDate | null };
    }
  | { kind: 'notify_strategic'; level: number; steps: Step[]; reason: string }
  /** These invoices' promises (or claims of payment) lapsed unpaid today and were acted on. */
  | { kind: 'promise_lapsed'; invoiceIds: string[]; reason: string }
  | { kind: 'task'; cause: TaskCause; invoiceIds: string[]; reason: string }
  | { kind: 'skip'; invoiceId: string; number: string; level: number; reason: string };

export type NextStatus = 'planned' | 'postponed' | 'held' | 'deferred' | 'blocked';

export interface NextStep {
  invoiceId: string;
  level: number | null;
  date: PlainDate | null;
  reason: string;
  /** Why the date is what it is, for the queue: the policy's date, a person's, a pause, or waiting. */
  status?: NextStatus;
}

export interface CustomerPlan {
  actions: Action[];
  next: NextStep[];
}

interface Candidate {
  level: PolicyLevel | { level: number; offsetDays: number; tone: Tone; channel: 'email'; approval: false };
  nominal: PlainDate;
  date: PlainDate;
  reason: string;
  status: NextStatus;
}

/** The latest of some plain dates ('YYYY-MM-DD' strings compare in calendar order). */
function latest(...dates: (PlainDate | null | undefined)[]): PlainDate {
  let result = '';
  for (const d of dates) if (d && d > result) result = d;
  return result;
}

const BLOCKING: Partial<Record<InvoiceStatus, string>> = {
  paid: 'paid',
  cancelled: 'cancelled',
  written_off: 'written off',
  disputed: 'disputed: waits for a person',
};

export function planCustomer(customer: PlanCustomer, settings: PlanSettings): CustomerPlan {
  const { day, policy } = settings;
  const country = customer.country ?? settings.orgCountry;
  const actions: Action[] = [];
  const next: NextStep[] = [];
  const invoices = customer.invoices
    .slice()
    .sort((a, b) =>
      a.dueDate === b.dueDate ? (a.number < b.number ? -1 : 1) : a.dueDate < b.dueDate ? -1 : 1,
    );

  // Unused credit notes cover the oldest invoices first, currency by currency.
  const credit = new Map<string, number>();
  for (const c of customer.credits)
    if (c.outstanding > 0) credit.set(c.currency, (credit.get(c.currency) ?? 0) + c.outstanding);
  const creditNumbers = customer.credits.filter((c) => c.outstanding > 0).map((c) => c.number);
  const net = new Map<string, number>();
  for (const inv of invoices) {
    if (inv.outstanding <= 0 || BLOCKING[inv.status]) continue;
    const available = credit.get(inv.currency) ?? 0;
    const covered = Math.min(available, inv.outstanding);
    credit.set(inv.currency, available - covered);
    net.set(inv.id, inv.outstanding - covered);
  }

  const hasOpen = !customer.insolvent && invoices.some((i) => i.outstanding > 0 && !BLOCKING[i.status]);
  if (!customer.country && hasOpen) {
    actions.push({
      kind: 'task',
      cause: 'missing_country',
      invoiceIds: [],
      reason: `${customer.name} has no country: its business days are taken from ${country}`,
    });
  }
  const negative = invoices.filter((i) => i.outstanding < 0);
  if (negative.length > 0) {
    actions.push({
      kind: 'task',
      cause: 'inconsistent_data',
      invoiceIds: negative.map((i) => i.id),
      reason: `negative amount still due on ${negative.map((i) => `${i.number} (${formatDecimal(i.outstanding, i.currency)} ${i.currency})`).join(', ')}: check the export`,
    });
  }

  let due: Due[] = [];
  const exhausted: PlanInvoice[] = [];
  const lapsedClaims: PlanInvoice[] = [];
  for (const inv of invoices) {
    const blockReason = whyNot(inv, customer, net.get(inv.id), creditNumbers);
    if (blockReason) {
      next.push({ invoiceId: inv.id, level: null, date: null, reason: blockReason });
      continue;
    }
    const promise = inv.promise;
    if (promise) {
      // A later hold (the customer wrote again, a person paused it) also holds the follow-up.
      const waitEnd = latest(promise.graceUntil, inv.pausedUntil, customer.holdUntil);
      const promised = promise.promisedDate ? `by ${promise.promisedDate}` : 'soon (no date given)';
      if (day > waitEnd && promise.kind === 'promise') {
        due.push({
          inv,
          candidate: {
            level: {
              level: inv.lastLevel ?? COURTESY_LEVEL,
              offsetDays: daysBetween(inv.dueDate, day),
              tone: 'courteous',
              channel: 'email',
              approval: false,
            },
            nominal: day,
            date: day,
            reason: `promise to pay ${promised} not kept: ${inv.number} is still unpaid after ${promise.graceUntil}`,
            status: 'planned',
          },
          skipped: [],
          followUp: true,
        });
        continue;
      }
      if (day > waitEnd) lapsedClaims.push(inv);
      else if (promise.kind === 'promise') {
        next.push({
          invoiceId: inv.id,
          level: inv.lastLevel ?? COURTESY_LEVEL,
          date: nextBusinessDay(addDays(waitEnd, 1), country),
          reason: `a follow-up if the promise to pay ${promised} is not kept by ${promise.graceUntil}`,
          status: 'held',
        });
        continue;
      }
    }
    const candidates = candidatesFor(inv, customer, policy, country, day);
    if (candidates.length === 0) {
      const waitUntil = inv.lastSentOn ? addDays(inv.lastSentOn, policy.intervalDays) : day;
      if (waitUntil <= day) exhausted.push(inv);
      next.push({
        invoiceId: inv.id,
        level: null,
        date: null,
        reason: `all ${inv.remindersSent} reminders sent`,
      });
      continue;
    }
    // Catching up after days without a run sends only the step now due, never a burst of levels.
    const dueNow = candidates.filter(
      (c) => c.date <= day && (c.level.level !== COURTESY_LEVEL || day <= inv.dueDate),
    );
    const chosen = dueNow.at(-1);
    if (chosen) {
      due.push({
        inv,
        candidate: chosen,
        skipped: dueNow.slice(0, -1).filter((c) => c.level.level !== COURTESY_LEVEL),
      });
    } else {
      const upcoming = candidates.find(
        (c) => c.date > day && (c.level.level !== COURTESY_LEVEL || c.date <= inv.dueDate),
      );
      next.push(
        upcoming
          ? {
              invoiceId: inv.id,
              level: upcoming.level.level,
              date: upcoming.date,
              reason: upcoming.reason,
              status: upcoming.status,
            }
          : { invoiceId: inv.id, level: null, date: null, reason: 'no further step' },
      );
    }
  }

  if (lapsedClaims.length > 0) {
    const numbers = lapsedClaims.map((i) => i.number).join(', ');
    actions.push(
      {
        kind: 'task',
        cause: 'payment_claimed',
        invoiceIds: lapsedClaims.map((i) => i.id),
        reason: `${customer.name} said ${numbers} ${lapsedClaims.length > 1 ? 'were' : 'was'} paid, and no payment has been matched since: check the bank, or ask for the payment's date and reference`,
      },
      {
        kind: 'promise_lapsed',
        invoiceIds: lapsedClaims.map((i) => i.id),
        reason: `claim of payment not confirmed by the bank for ${numbers}`,
      },
    );
  }
  if (exhausted.length > 0) {
    actions.push({
      kind: 'task',
      cause: 'reminders_exhausted',
      invoiceIds: exhausted.map((i) => i.id),
      reason: `every reminder has been sent for ${exhausted.map((i) => i.number).join(', ')} and it is still unpaid: decide the next step (call, collection, write-off)`,
    });
  }
  if (due.length === 0) return { actions, next };

  const stepOf = (d: Due): Step => ({
    invoiceId: d.inv.id,
    number: d.inv.number,
    level: d.candidate.level.level,
    amount: net.get(d.inv.id) ?? d.inv.outstanding,
    currency: d.inv.currency,
    daysOverdue: Math.max(0, daysBetween(d.inv.dueDate, day)),
    reason: d.candidate.reason,
    ...(d.followUp ? { followUp: true as const } : {}),
  });
  const defer = (reason: string, status: NextStatus, which: Due[] = due) => {
    const tomorrow = nextBusinessDay(addDays(day, 1), country);
    for (const d of which)
      next.push({
        invoiceId: d.inv.id,
        level: d.candidate.level.level,
        date: tomorrow,
        reason: `${d.candidate.reason}; ${reason}`,
        status,
      });
  };

  if (customer.lastMessageOn === day) {
    defer('held to the next business day: one message per customer and day', 'deferred');
    return { actions, next };
  }
  // The follow-up of a broken promise is a message of its own (its own wording): the other steps
  // due today wait for the next business day, one message per customer and day.
  const followUps = due.filter((d) => d.followUp);
  if (followUps.length > 0 && followUps.length < due.length) {
    defer(
      'held to the next business day: the follow-up of a broken promise goes today',
      'deferred',
      due.filter((d) => !d.followUp),
    );
    due = followUps;
  }
  const lapsed: Action[] = followUps.length
    ? [
        {
          kind: 'promise_lapsed',
          invoiceIds: followUps.map((d) => d.inv.id),
          reason: `promise to pay not kept for ${followUps.map((d) => d.inv.number).join(', ')}`,
        },
      ]
    : [];

  const steps = due.map(stepOf);
  const top = due.reduce((a, b) => (b.candidate.level.level > a.candidate.level.level ? b : a)).candidate
    .level;
  const summary = steps.map((s) => `${s.number} (level ${s.level})`).join(', ');

  if (customer.strategic) {
    actions.push({
      kind: 'notify_strategic',
      level: top.level,
      steps,
      reason: `${customer.name} is a strategic customer: no automatic message; the team is told privately that ${summary} ${steps.length > 1 ? 'are' : 'is'} due for a reminder`,
    });
    actions.push(...lapsed);
    pushSkips(actions, due);
    for (const d of due) next.push(afterSending(d, customer, policy, country, day));
    return { actions, next };
  }

  const contact = pickContact(customer.contacts);
  if (!contact) {
    const invalid = customer.contacts.filter((c) => c.email && !c.valid);
    actions.push({
      kind: 'task',
      cause: 'missing_contact',
      invoiceIds: due.map((d) => d.inv.id),
      reason: invalid.length
        ? `no valid email for ${customer.name} (${invalid.map((c) => `${c.email}: ${c.invalidReason ?? 'invalid'}`).join('; ')}); ${summary} wait for a new contact`
        : `no contact with an email for ${customer.name}; ${summary} wait for one`,
    });
    defer('waiting for a valid contact', 'blocked');
    return { actions, next };
  }

  const included = new Set(due.map((d) => d.inv.id));
  const otherOverdue = invoices
    .filter((i) => !included.has(i.id) && (net.get(i.id) ?? 0) > 0 && i.dueDate < day && !i.stopped)
    .map((i) => i.id);
  const promisedDates = due
    .map((d) => d.inv.promise?.promisedDate)
    .filter((p): p is PlainDate => Boolean(p))
    .sort();
  const awaitingApproval =
    settings.policy.mode === 'approval' ||
    due.some((d) => 'approval' in d.candidate.level && d.candidate.level.approval);
  actions.push({
    kind: 'send',
    channel: top.channel,
    level: top.level,
    tone: top.tone,
    contact,
    language: customerLanguage({
      contactLanguage: contact.language,
      customerLanguage: customer.language,
      country,
    }),
    steps,
    otherOverdue,
    awaitingApproval,
    reason: steps.map((s) => s.reason).join('; '),
    ...(followUps.length ? { followUp: { promisedDate: promisedDates[0] ?? null } } : {}),
  });
  actions.push(...lapsed);
  pushSkips(actions, due);
  for (const d of due) next.push(afterSending(d, customer, policy, country, day));

  const unanswered = customer.unansweredReminders + 1;
  if (unanswered >= policy.noAnswerTaskAfter) {
    actions.push({
      kind: 'task',
      cause: 'no_answer',
      invoiceIds: due.map((d) => d.inv.id),
      reason: `${unanswered} reminders to ${customer.name} without any answer: a person should call`,
    });
  }
  return { actions, next };
}

interface Due {
  inv: PlanInvoice;
  candidate: Candidate;
  skipped: Candidate[];
  /** The follow-up of a broken promise rather than the policy's next level. */
  followUp?: boolean;
}

function pushSkips(actions: Action[], due: Due[]): void {
  for (const d of due) {
    for (const s of d.skipped) {
      actions.push({
        kind: 'skip',
        invoiceId: d.inv.id,
        number: d.inv.number,
        level: s.level.level,
        reason: `level ${s.level.level} of ${d.inv.number} (planned for ${s.date}) was not sent in time; level ${d.candidate.level.level} is the step now due`,
      });
    }
  }
}

function whyNot(
  inv: PlanInvoice,
  customer: PlanCustomer,
  netAmount: number | undefined,
  credits: string[],
): string | null {
  if (inv.outstanding <= 0) return inv.outstanding < 0 ? 'negative amount still due' : 'paid';
  const blocking = BLOCKING[inv.status];
  if (blocking) return blocking;
  if (netAmount === 0) return `covered by credit notes ${credits.join(', ')}`;
  if (inv.stopped) return `reminders stopped${inv.stopReason ? `: ${inv.stopReason}` : ''}`;
  if (customer.insolvent)
    return 'customer in insolvency proceedings: no reminders; the claim goes to the administrator';
  if (customer.excluded) return 'customer excluded from automatic reminders';
  if (inv.awaitingApproval) return 'a reminder waits for approval';
  return null;
}

/** A valid contact with an email: the billing one first, then the primary one, then any. */
function pickContact(contacts: PlanContact[]): PlanContact | undefined {
  const usable = contacts.filter((c) => c.valid && c.email);
  const rank = (c: PlanContact) => (c.role === 'billing' ? 0 : c.role === 'primary' ? 1 : 2);
  return usable.sort((a, b) => rank(a) - rank(b))[0];
}

/** The levels still to come for an invoice, each with the business day it falls on and why. */
function candidatesFor(
  inv: PlanInvoice,
  customer: PlanCustomer,
  policy: Policy,
  country: string,
  day: PlainDate,
): Candidate[] {
  const sent = inv.lastLevel ?? -1;
  const levels: Candidate['level'][] = [];
  if (policy.courtesyDaysBefore !== null && inv.lastLevel === null) {
    levels.push({
      level: COURTESY_LEVEL,
      offsetDays: -policy.courtesyDaysBefore,
      tone: 'courteous',
      channel: 'email',
      approval: false,
    });
  }
  const remaining = policy.maxReminders - inv.remindersSent;
  if (remaining <= 0) return [];
  // An invoice seen for the first time (a backlog just imported) is first reminded courteously,
  // whatever its age; one already planned catches up to the step now due. A step a person
  // postponed or asked for now is that very step, not a later one.
  const ahead = policy.levels.filter((l) => l.level > sent);
  // A pause or hold (a promise, a customer away or in discussion) moves the next step past it; the
  // levels whose day it covered are not skipped over to a harsher one.
  const holdEnd = latest(inv.pausedUntil, customer.holdUntil);
  const heldOver = ahead[0] !== undefined && holdEnd >= addDays(inv.dueDate, ahead[0].offsetDays);
  const onlyNext =
    (!inv.known && inv.lastLevel === null) || inv.postponedUntil !== null || inv.sendNow || heldOver;
  levels.push(...(onlyNext ? ahead.slice(0, 1) : ahead));
  // After the last level, the last level again every interval, up to the maximum number of reminders.
  const last = policy.levels.at(-1)!;
  if (levels.length === 0 && sent >= last.level && inv.lastSentOn)
    levels.push({
      ...last,
      offsetDays: daysBetween(inv.dueDate, addDays(inv.lastSentOn, policy.intervalDays)),
    });

  const holdUntil = latest(
    inv.pausedUntil ? addDays(inv.pausedUntil, 1) : null,
    customer.holdUntil ? addDays(customer.holdUntil, 1) : null,
    '0000-01-01',
  );
  // Each step at least the minimum gap after the one before it, as after a reminder sent: when the
  // gap holds a step back past the day of the next, the next waits its turn instead of overtaking it
  // (firmer step by step). Only steps whose day passed without any run are skipped over (see plan).
  let previous: PlainDate | null = null;
  return levels.slice(0, Math.max(1, remaining)).map((level, index) => {
    const now = inv.sendNow && index === 0;
    const nominal = addDays(inv.dueDate, level.offsetDays);
    const afterPrevious =
      previous && level.level !== COURTESY_LEVEL ? addDays(previous, policy.minGapDays) : null;
    const earliest = latest(
      nominal,
      inv.lastSentOn ? addDays(inv.lastSentOn, policy.minGapDays) : null,
      inv.postponedUntil,
      holdUntil,
      afterPrevious,
    );
    const date = now ? day : nextBusinessDay(earliest, country);
    previous = date;
    // A step whose day has passed goes out today: it is as overdue as the invoice is today.
    const overdue = daysBetween(inv.dueDate, date > day ? date : day);
    let status: NextStatus = 'planned';
    const parts = [
      level.level === COURTESY_LEVEL
        ? `courtesy reminder because ${inv.number} falls due on ${inv.dueDate}`
        : `level ${level.level} because ${inv.number} is ${overdue} days overdue`,
    ];
    if (now) {
      parts.push('sent now at the request of a person');
    } else if (earliest !== nominal) {
      if (earliest === inv.postponedUntil) {
        parts.push(`postponed by a person to ${earliest}`);
        status = 'postponed';
      } else if (earliest === holdUntil) {
        parts.push(
          `held until ${addDays(holdUntil, -1)}${inv.pauseReason ? ` (${inv.pauseReason})` : customer.holdReason ? ` (${customer.holdReason})` : ''}`,
        );
        status = 'held';
      } else if (earliest === afterPrevious)
        parts.push(`at least ${policy.minGapDays} days after the step before it`);
      else parts.push(`at least ${policy.minGapDays} days after the reminder of ${inv.lastSentOn}`);
    }
    const shift = now ? '' : explainShift(earliest, date, country, 'en');
    if (shift) parts.push(shift);
    return { level, nominal, date, reason: parts.join('; '), status };
  });
}

/** The next step of an invoice once today's reminder (or a promise's follow-up) went out. */
function afterSending(
  { inv, candidate, followUp }: Due,
  customer: PlanCustomer,
  policy: Policy,
  country: string,
  day: PlainDate,
): NextStep {
  const level = candidate.level.level;
  const sent: PlanInvoice = followUp
    ? { ...inv, lastSentOn: day, promise: null, known: true }
    : {
        ...inv,
        lastLevel: level,
        lastSentOn: day,
        remindersSent: inv.remindersSent + (level === COURTESY_LEVEL ? 0 : 1),
        postponedUntil: null,
        sendNow: false,
        known: true,
      };
  const upcoming = candidatesFor(sent, customer, policy, country, day).find((c) => c.date > day);
  return upcoming
    ? {
        invoiceId: inv.id,
        level: upcoming.level.level,
        date: upcoming.date,
        reason: upcoming.reason,
        status: upcoming.status,
      }
    : { invoiceId: inv.id, level: null, date: null, reason: 'last reminder sent' };
}
