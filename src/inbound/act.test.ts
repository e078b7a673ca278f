import { describe, expect, it } from 'vitest';
import { type ActInput, addBusinessDays, DEFAULT_INBOUND_SETTINGS, type Decision, decide } from './act.ts';
import type { Analysis } from './analysis.ts';
import type { Thread } from './thread.ts';

// Monday 9 November 2026, in France: Wednesday 11 is Armistice Day.
const DAY = '2026-11-09';

const thread = (over: Partial<Thread> = {}): Thread => ({
  orgId: 'org',
  customerId: 'c1',
  contactId: 'k1',
  repliedMessageId: null,
  matchedBy: 'sender',
  invoiceIds: [],
  reason: 'the sender is one of the customer’s contacts',
  ...over,
});

function input(analysis: Partial<Analysis>, over: Partial<ActInput> = {}): ActInput {
  return {
    day: DAY,
    analysis: { kind: 'reply', language: 'fr', confidence: 0.9, invoiceNumbers: [], ...analysis },
    thread: thread(),
    customer: {
      id: 'c1',
      ref: 'C1',
      name: 'Boulangerie Martin',
      country: 'FR',
      holdUntil: null,
      insolvent: false,
      invoices: [
        { id: 'i1', number: 'F-1', status: 'open', outstanding: 100_00, currency: 'EUR' },
        { id: 'i2', number: 'F-2', status: 'open', outstanding: 50_00, currency: 'EUR' },
      ],
    },
    contact: { id: 'k1', email: 'compta@martin.fr', valid: true },
    from: { address: 'compta@martin.fr', name: 'Paul Martin' },
    text: '',
    hasAttachments: false,
    ownAddresses: ['relances@atelier.fr'],
    settings: DEFAULT_INBOUND_SETTINGS,
    ...over,
  };
}

const kinds = (decisions: Decision[]) => decisions.map((d) => d.kind);
const find = <K extends Decision['kind']>(decisions: Decision[], kind: K) =>
  decisions.find((d): d is Extract<Decision, { kind: K }> => d.kind === kind);

describe('acting on a reply', () => {
  it('counts business days past public holidays', () => {
    expect(addBusinessDays(DAY, 3, 'FR')).toBe('2026-11-13');
    expect(addBusinessDays(DAY, 0, 'FR')).toBe(DAY);
  });

  it('pauses the promised invoice until the promised date plus three business days, and records the promise', () => {
    const decisions = decide(
      input(
        { intent: 'promise_to_pay', promisedDate: '2026-11-20' },
        { thread: thread({ invoiceIds: ['i1'] }) },
      ),
    );
    expect(kinds(decisions)).toEqual(['record_reply', 'pause_invoices', 'record_promise', 'hold_customer']);
    expect(find(decisions, 'pause_invoices')).toMatchObject({ invoiceIds: ['i1'], until: '2026-11-25' });
    expect(find(decisions, 'record_promise')).toMatchObject({
      promiseKind: 'promise',
      promisedDate: '2026-11-20',
      graceUntil: '2026-11-25',
    });
  });

  it('takes a promise without a date as within a week, and one naming no invoice as about all', () => {
    const decisions = decide(input({ intent: 'promise_to_pay' }));
    expect(find(decisions, 'record_promise')).toMatchObject({
      invoiceIds: ['i1', 'i2'],
      promisedDate: null,
      graceUntil: '2026-11-19',
    });
  });

  it('holds a customer who just wrote for three business days: an open discussion', () => {
    const hold = find(decide(input({ intent: 'promise_to_pay' })), 'hold_customer');
    expect(hold).toEqual({
      kind: 'hold_customer',
      until: '2026-11-13',
      reason: 'in discussion: reply of 2026-11-09',
    });
  });

  it('does not shorten a longer hold already in place', () => {
    const customer = { ...input({}).customer!, holdUntil: '2026-12-01' };
    expect(kinds(decide(input({ intent: 'promise_to_pay' }, { customer })))).not.toContain('hold_customer');
  });

  it('waits for a payment the customer says it made, and asks a person only if it does not show', () => {
    const decisions = decide(input({ intent: 'already_paid' }, { thread: thread({ invoiceIds: ['i2'] }) }));
    expect(find(decisions, 'pause_invoices')).toMatchObject({ invoiceIds: ['i2'], until: '2026-11-17' });
    expect(find(decisions, 'record_promise')).toMatchObject({
      promiseKind: 'paid_claim',
      graceUntil: '2026-11-17',
    });
    expect(kinds(decisions)).not.toContain('open_task');
  });

  it('marks the disputed invoice disputed, and only that one, with a task', () => {
    const decisions = decide(input({ intent: 'dispute' }, { thread: thread({ invoiceIds: ['i1'] }) }));
    expect(find(decisions, 'dispute_invoices')?.invoiceIds).toEqual(['i1']);
    expect(find(decisions, 'open_task')).toMatchObject({ task: 'dispute', invoiceIds: ['i1'] });
  });

  it('does not guess which invoice is disputed when it is not named and several are open', () => {
    const decisions = decide(input({ intent: 'dispute' }));
    expect(kinds(decisions)).not.toContain('dispute_invoices');
    expect(find(decisions, 'open_task')).toMatchObject({ task: 'dispute', invoiceIds: [] });
    expect(find(decisions, 'hold_customer')?.until).toBe('2026-11-24');
  });

  it('hands a payment plan, a callback or a refusal to a person and holds the invoices meanwhile', () => {
    for (const intent of ['payment_plan_request', 'callback_request', 'refusal'] as const) {
      const decisions = decide(input({ intent }, { thread: thread({ invoiceIds: ['i1'] }) }));
      expect(find(decisions, 'open_task')?.task).toBe(intent);
      expect(find(decisions, 'pause_invoices')).toMatchObject({ invoiceIds: ['i1'], until: '2026-11-24' });
    }
  });

  it('stops everything for a customer in insolvency proceedings and asks for the claim to be declared', () => {
    const decisions = decide(input({ intent: 'insolvency' }));
    expect(kinds(decisions)).toEqual(['record_reply', 'stop_customer', 'open_task']);
    expect(find(decisions, 'open_task')).toMatchObject({ task: 'insolvency', invoiceIds: ['i1', 'i2'] });
  });

  it('marks a wrong contact invalid and proposes the address the reply gives, for a person to confirm', () => {
    const decisions = decide(
      input(
        { intent: 'wrong_contact' },
        {
          text: "Je ne m'occupe plus de la comptabilité, écrivez à compta@client.fr. Merci, compta@martin.fr",
        },
      ),
    );
    expect(find(decisions, 'invalidate_contact')).toEqual({
      kind: 'invalidate_contact',
      contactId: 'k1',
      reason: 'wrong contact (reply of 2026-11-09)',
    });
    expect(find(decisions, 'open_task')).toMatchObject({
      task: 'wrong_contact',
      proposals: ['compta@client.fr'],
    });
  });

  it('answers a request for a copy or a statement with the statement of account', () => {
    const decisions = decide(
      input({ intent: 'document_request' }, { text: 'Pouvez-vous m’envoyer un relevé de compte ?' }),
    );
    expect(find(decisions, 'send_statement')).toMatchObject({
      invoiceIds: ['i1', 'i2'],
      to: 'compta@martin.fr',
    });
  });

  it('asks a person for what only a person can provide: a PO number, a delivery note, a portal upload', () => {
    const decisions = decide(
      input(
        { intent: 'document_request' },
        {
          text: 'Merci de déposer vos factures sur la plateforme Chorus Pro.',
          thread: thread({ invoiceIds: ['i1'] }),
        },
      ),
    );
    expect(kinds(decisions)).not.toContain('send_statement');
    expect(find(decisions, 'open_task')).toMatchObject({ task: 'document_request', documents: ['portal'] });
  });

  it('sends no statement to a stranger who merely quotes an invoice number', () => {
    const decisions = decide(
      input(
        { intent: 'document_request' },
        {
          text: 'Could you send me a copy of the invoice?',
          thread: thread({ matchedBy: 'invoice_number', contactId: null }),
          contact: null,
          from: { address: 'someone@else.example', name: '' },
        },
      ),
    );
    expect(kinds(decisions)).not.toContain('send_statement');
    expect(find(decisions, 'open_task')?.task).toBe('document_request');
  });

  it('moves the next step after the return date of an automatic reply, and does not count it as an answer', () => {
    const decisions = decide(input({ kind: 'auto_reply', intent: 'auto_reply', returnDate: '2026-11-23' }));
    expect(decisions).toEqual([
      {
        kind: 'hold_customer',
        until: '2026-11-23',
        reason: 'automatic reply: away until 2026-11-23; the next step waits until after it',
      },
    ]);
  });

  it('lets an automatic reply without a return date change nothing', () => {
    expect(kinds(decide(input({ kind: 'auto_reply', intent: 'auto_reply' })))).toEqual(['note']);
  });

  it('notes a thank-you, and gives anything else it cannot act on to a person', () => {
    expect(kinds(decide(input({ intent: 'other' }, { text: 'Merci, bien reçu.' })))).toEqual([
      'record_reply',
      'note',
      'hold_customer',
    ]);
    expect(
      find(
        decide(input({ intent: 'other' }, { text: 'Avez-vous encore des cartouches 4410 ?' })),
        'open_task',
      )?.task,
    ).toBe('read_reply');
  });

  it('does not act on a reply it is unsure of', () => {
    const decisions = decide(input({ intent: 'insolvency', confidence: 0.4 }));
    expect(kinds(decisions)).not.toContain('stop_customer');
    expect(find(decisions, 'open_task')?.reason).toMatch(/unsure what it says \(insolvency at 40%\)/);
  });

  it('makes a task of a message matched to no customer, but not of an automatic reply', () => {
    const unmatched = input(
      { intent: 'other' },
      { customer: null, thread: thread({ customerId: null, matchedBy: 'none' }) },
    );
    expect(find(decide(unmatched), 'open_task')?.task).toBe('unmatched_reply');
    expect(kinds(decide({ ...unmatched, analysis: { kind: 'auto_reply', invoiceNumbers: [] } }))).toEqual([
      'note',
    ]);
  });

  it('hands a bounce to the bounce rules', () => {
    expect(kinds(decide(input({ kind: 'bounce', bounce: { recipients: [] } })))).toEqual(['handle_bounce']);
  });
});
