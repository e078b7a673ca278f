// What the agent does about a message it has read and matched: the decision rules for each intent,
// every decision with its reason. Pure: the analysis, the customer's state and the day in; the
// decisions out. apply.ts writes them.
import { nextBusinessDay } from '../calendar/business-days.ts';
import { addDays, type PlainDate } from '../calendar/plain-date.ts';
import type { InvoiceStatus } from '../ledger/status.ts';
import type { Analysis, Intent } from './analysis.ts';
import {
  DOCUMENTS_WE_SEND,
  type DocumentKind,
  documentsAsked,
  isHarmless,
  proposedAddresses,
} from './reply-details.ts';
import type { Thread } from './thread.ts';

export interface InboundSettings {
  /** Business days after the promised date before a promise counts as broken. */
  promiseGraceDays: number;
  /** Business days a customer who just wrote is not reminded: an open discussion. */
  discussionHoldDays: number;
  /** Business days the invoices concerned by a task (callback, payment plan…) wait for the team. */
  taskHoldDays: number;
  /** Business days to see a payment the customer says it made before a person is asked. */
  paidClaimWaitDays: number;
  /** Under this confidence (0–1) a reply is not acted on; a person reads it. */
  minConfidence: number;
}

export const DEFAULT_INBOUND_SETTINGS: InboundSettings = {
  promiseGraceDays: 3,
  discussionHoldDays: 3,
  taskHoldDays: 10,
  paidClaimWaitDays: 5,
  minConfidence: 0.5,
};

/** "We will pay shortly": with no date, the promise is taken as within a week. */
export const UNDATED_PROMISE_DAYS = 7;

export type InboundTaskKind =
  | 'unmatched_reply'
  | 'read_reply'
  | 'dispute'
  | 'payment_plan_request'
  | 'callback_request'
  | 'refusal'
  | 'insolvency'
  | 'wrong_contact'
  | 'document_request';

export interface ActInvoice {
  id: string;
  number: string;
  status: InvoiceStatus;
  outstanding: number;
  currency: string;
}

export interface ActCustomer {
  id: string;
  ref: string;
  name: string;
  /** For business days; the organisation's when the customer has none. */
  country: string;
  holdUntil: PlainDate | null;
  insolvent: boolean;
  /** Its invoices still open (not credit notes). */
  invoices: ActInvoice[];
}

export interface ActContact {
  id: string;
  email: string | null;
  valid: boolean;
}

export interface ActInput {
  day: PlainDate;
  analysis: Analysis;
  thread: Thread;
  customer: ActCustomer | null;
  contact: ActContact | null;
  from: { address: string; name: string } | null;
  /** What the customer wrote, quotes and signature removed. */
  text: string;
  /** The message carries attachments (a remittance advice, a signed document…). */
  hasAttachments: boolean;
  /** Our own addresses, never proposed as a customer's new contact. */
  ownAddresses: readonly string[];
  settings: InboundSettings;
}

export type Decision =
  | { kind: 'record_reply'; reason: string }
  | { kind: 'hold_customer'; until: PlainDate; reason: string }
  | { kind: 'pause_invoices'; invoiceIds: string[]; until: PlainDate; reason: string }
  | {
      kind: 'record_promise';
      promiseKind: 'promise' | 'paid_claim';
      invoiceIds: string[];
      promisedDate: PlainDate | null;
      graceUntil: PlainDate;
      reason: string;
    }
  | { kind: 'dispute_invoices'; invoiceIds: string[]; reason: string }
  | { kind: 'stop_customer'; reason: string }
  | { kind: 'invalidate_contact'; contactId: string; reason: string }
  | {
      kind: 'open_task';
      task: InboundTaskKind;
      invoiceIds: string[];
      reason: string;
      /** Addresses a person may confirm as the customer's new contact. */
      proposals?: string[];
      documents?: DocumentKind[];
    }
  | { kind: 'send_statement'; invoiceIds: string[]; to: string; contactId: string | null; reason: string }
  | { kind: 'handle_bounce'; reason: string }
  | { kind: 'note'; reason: string };

/** `n` business days after `day` in `country` (`day` itself for 0). */
export function addBusinessDays(day: PlainDate, n: number, country: string): PlainDate {
  let d = day;
  for (let i = 0; i < n; i++) d = nextBusinessDay(addDays(d, 1), country);
  return d;
}

const TASK_FOR: Partial<Record<Intent, InboundTaskKind>> = {
  payment_plan_request: 'payment_plan_request',
  callback_request: 'callback_request',
  refusal: 'refusal',
};

const ASKS: Partial<Record<Intent, string>> = {
  payment_plan_request: 'asks for a payment plan or more time',
  callback_request: 'asks to be called back',
  refusal: 'refuses to pay',
};

export function decide(input: ActInput): Decision[] {
  const { analysis, customer, day, settings } = input;
  if (analysis.kind === 'bounce')
    return [{ kind: 'handle_bounce', reason: 'a delivery failure report: the bounce rules decide' }];

  if (!customer) {
    if (analysis.kind === 'auto_reply')
      return [{ kind: 'note', reason: 'an automatic reply matched to no customer: nothing to do' }];
    return [
      {
        kind: 'open_task',
        task: 'unmatched_reply',
        invoiceIds: [],
        reason: `matched to no customer (${input.thread.reason || 'no clue'}): a person reads it and files it`,
      },
    ];
  }

  const of = `reply of ${day}`;
  const open = customer.invoices.filter(
    (i) => i.outstanding > 0 && !['paid', 'cancelled', 'written_off'].includes(i.status),
  );
  const openIds = new Set(open.map((i) => i.id));
  const named = input.thread.invoiceIds.filter((id) => openIds.has(id));
  const concerned = named.length ? named : open.map((i) => i.id);
  const numbers = (ids: string[]) =>
    ids.map((id) => customer.invoices.find((i) => i.id === id)?.number ?? id).join(', ');
  const about = named.length
    ? numbers(named)
    : open.length
      ? `${numbers(concerned)} (no invoice named: all that is open)`
      : '';

  if (analysis.kind === 'auto_reply') {
    const back = analysis.returnDate;
    if (!back || back <= day)
      return [{ kind: 'note', reason: 'an automatic reply without a later return date: nothing changes' }];
    if (customer.holdUntil && customer.holdUntil >= back)
      return [
        {
          kind: 'note',
          reason: `an automatic reply (back on ${back}); reminders already wait until ${customer.holdUntil}`,
        },
      ];
    return [
      {
        kind: 'hold_customer',
        until: back,
        reason: `automatic reply: away until ${back}; the next step waits until after it`,
      },
    ];
  }

  const decisions: Decision[] = [{ kind: 'record_reply', reason: `${customer.name} wrote on ${day}` }];
  const discussion = (): Decision[] => {
    const until = addBusinessDays(day, settings.discussionHoldDays, customer.country);
    if (settings.discussionHoldDays === 0 || (customer.holdUntil && customer.holdUntil >= until)) return [];
    return [{ kind: 'hold_customer', until, reason: `in discussion: ${of}` }];
  };
  const taskPause = (ids: string[], why: string): Decision[] => {
    if (ids.length === 0 || settings.taskHoldDays === 0) return [];
    const until = addBusinessDays(day, settings.taskHoldDays, customer.country);
    return [{ kind: 'pause_invoices', invoiceIds: ids, until, reason: `${why} (${of}): waits for the team` }];
  };
  const readIt = (why: string): Decision[] => [
    { kind: 'open_task', task: 'read_reply', invoiceIds: named, reason: why },
    ...discussion(),
  ];

  if (analysis.kind === 'unknown') {
    if (input.hasAttachments)
      return [
        ...decisions,
        ...readIt(
          'a reply with an attachment and no words of its own (a remittance advice?): a person looks at it',
        ),
      ];
    return [{ kind: 'note', reason: 'a reply with no words of its own: nothing to do' }];
  }

  const intent = analysis.intent ?? 'other';
  const confidence = analysis.confidence ?? 0;
  if (confidence < settings.minConfidence)
    return [
      ...decisions,
      ...readIt(`unsure what it says (${intent} at ${Math.round(confidence * 100)}%): a person reads it`),
    ];

  switch (intent) {
    case 'promise_to_pay': {
      if (concerned.length === 0)
        return [...decisions, { kind: 'note', reason: 'promises to pay, but nothing is open in our books' }];
      const promised = analysis.promisedDate && analysis.promisedDate >= day ? analysis.promisedDate : null;
      const basis = promised ?? addDays(day, UNDATED_PROMISE_DAYS);
      const graceUntil = addBusinessDays(basis, settings.promiseGraceDays, customer.country);
      const what = promised
        ? `promise to pay by ${promised}`
        : `promise to pay soon, no date (taken as ${basis})`;
      return [
        ...decisions,
        {
          kind: 'pause_invoices',
          invoiceIds: concerned,
          until: graceUntil,
          reason: `${what} (${of}); a follow-up after ${graceUntil} if still unpaid`,
        },
        {
          kind: 'record_promise',
          promiseKind: 'promise',
          invoiceIds: concerned,
          promisedDate: promised,
          graceUntil,
          reason: `${what} for ${about}, ${settings.promiseGraceDays} business days of grace`,
        },
        ...discussion(),
      ];
    }

    case 'already_paid': {
      if (concerned.length === 0)
        return [
          ...decisions,
          { kind: 'note', reason: 'says it has paid, and nothing is open in our books: nothing to do' },
        ];
      const waitUntil = addBusinessDays(day, settings.paidClaimWaitDays, customer.country);
      return [
        ...decisions,
        {
          kind: 'pause_invoices',
          invoiceIds: concerned,
          until: waitUntil,
          reason: `says it has paid (${of}): waiting for the payment to show until ${waitUntil}`,
        },
        {
          kind: 'record_promise',
          promiseKind: 'paid_claim',
          invoiceIds: concerned,
          promisedDate: null,
          graceUntil: waitUntil,
          reason: `says ${about} ${concerned.length > 1 ? 'are' : 'is'} paid; if no payment is matched by ${waitUntil}, a person checks`,
        },
        ...discussion(),
      ];
    }

    case 'dispute': {
      const target = named.length ? named : open.length === 1 ? [open[0]!.id] : [];
      if (target.length === 0) {
        return [
          ...decisions,
          {
            kind: 'open_task',
            task: 'dispute',
            invoiceIds: [],
            reason: 'disputes an invoice without naming it: a person finds out which',
          },
          ...(open.length
            ? [
                {
                  kind: 'hold_customer' as const,
                  until: addBusinessDays(day, settings.taskHoldDays, customer.country),
                  reason: `disputes an invoice it did not name (${of}): waits for the team`,
                },
              ]
            : []),
        ];
      }
      return [
        ...decisions,
        {
          kind: 'dispute_invoices',
          invoiceIds: target,
          reason: `disputed by the customer (${of}): no reminder for it until a person settles the dispute`,
        },
        {
          kind: 'open_task',
          task: 'dispute',
          invoiceIds: target,
          reason: `${customer.name} disputes ${numbers(target)}: check and reply`,
        },
        ...discussion(),
      ];
    }

    case 'payment_plan_request':
    case 'callback_request':
    case 'refusal': {
      const asks = ASKS[intent]!;
      return [
        ...decisions,
        {
          kind: 'open_task',
          task: TASK_FOR[intent]!,
          invoiceIds: concerned,
          reason: `${customer.name} ${asks}${about ? ` about ${about}` : ''}`,
        },
        ...taskPause(concerned, asks),
        ...discussion(),
      ];
    }

    case 'insolvency':
      return [
        ...decisions,
        {
          kind: 'stop_customer',
          reason: `in insolvency proceedings (${of}): no more reminders; the claim goes to the administrator`,
        },
        {
          kind: 'open_task',
          task: 'insolvency',
          invoiceIds: open.map((i) => i.id),
          reason: `${customer.name} is in insolvency proceedings: declare the claim${open.length ? ` for ${numbers(open.map((i) => i.id))}` : ''} to the administrator within the legal time limit`,
        },
      ];

    case 'wrong_contact': {
      const exclude = [...input.ownAddresses, ...(input.from ? [input.from.address] : [])];
      if (input.contact?.email) exclude.push(input.contact.email);
      const proposals = proposedAddresses(input.text, exclude);
      const out: Decision[] = [...decisions];
      if (input.contact?.valid)
        out.push({
          kind: 'invalidate_contact',
          contactId: input.contact.id,
          reason: `wrong contact (${of})`,
        });
      out.push({
        kind: 'open_task',
        task: 'wrong_contact',
        invoiceIds: named,
        reason: proposals.length
          ? `${input.contact?.email ?? input.from?.address ?? 'the contact'} is not the right person; the reply points to ${proposals.join(', ')}: once checked, \`ardent contact set ${customer.ref} --email ${proposals[0]}\``
          : `${input.contact?.email ?? input.from?.address ?? 'the contact'} is not the right person: find the right one`,
        proposals,
      });
      return out;
    }

    case 'document_request': {
      const asked = documentsAsked(input.text);
      const byPerson = asked.filter((k) => !DOCUMENTS_WE_SEND.has(k));
      // A statement goes only to an address the thread vouches for: a stranger quoting an invoice
      // number does not get the customer's account.
      const to = input.thread.matchedBy === 'invoice_number' ? input.contact?.email : input.from?.address;
      if (byPerson.length === 0 && open.length > 0 && to) {
        return [
          ...decisions,
          {
            kind: 'send_statement',
            invoiceIds: open.map((i) => i.id),
            to,
            contactId: input.contact?.id ?? null,
            reason: `asks for ${asked.length ? asked.map((k) => k.replace('_', ' ')).join(', ') : 'a copy of the invoice'}: the statement of account (every open invoice, our bank details) goes to ${to}`,
          },
          ...discussion(),
        ];
      }
      return [
        ...decisions,
        {
          kind: 'open_task',
          task: 'document_request',
          invoiceIds: concerned,
          reason: byPerson.length
            ? `asks for ${byPerson.map((k) => k.replace(/_/g, ' ')).join(', ')}: only a person can provide it`
            : 'asks for a document we cannot send from here',
          documents: asked,
        },
        ...taskPause(concerned, 'asks for a document'),
        ...discussion(),
      ];
    }

    default: {
      if (isHarmless(input.text))
        return [
          ...decisions,
          { kind: 'note', reason: 'a thank-you or acknowledgement: nothing to do' },
          ...discussion(),
        ];
      return [...decisions, ...readIt('a reply the agent does not act on by itself: a person reads it')];
    }
  }
}
