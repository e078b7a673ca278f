import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBusinessDay } from '../calendar/business-days.ts';
import { addDays } from '../calendar/plain-date.ts';
import { type Action, type PlanCustomer, type PlanInvoice, planCustomer } from './plan.ts';
import { DEFAULT_POLICY, type Policy } from './policy.ts';

function invoice(over: Partial<PlanInvoice> = {}): PlanInvoice {
  return {
    id: over.number ?? 'F-1',
    number: 'F-1',
    issueDate: '2026-09-01',
    dueDate: '2026-10-01',
    currency: 'EUR',
    total: 100_00,
    outstanding: 100_00,
    status: 'open',
    lastLevel: null,
    lastSentOn: null,
    remindersSent: 0,
    postponedUntil: null,
    pausedUntil: null,
    pauseReason: null,
    stopped: false,
    stopReason: null,
    awaitingApproval: false,
    sendNow: false,
    known: true,
    ...over,
  };
}

function customer(over: Partial<PlanCustomer> = {}): PlanCustomer {
  return {
    id: 'c1',
    ref: 'C1',
    name: 'Boulangerie Martin',
    country: 'FR',
    language: null,
    strategic: false,
    excluded: false,
    holdUntil: null,
    holdReason: null,
    invoices: [invoice()],
    credits: [],
    contacts: [
      {
        id: 'k1',
        name: 'Paul',
        email: 'compta@martin.fr',
        language: null,
        role: 'billing',
        valid: true,
        invalidReason: null,
      },
    ],
    lastMessageOn: null,
    unansweredReminders: 0,
    ...over,
  };
}

const plan = (c: PlanCustomer, day: string, policy: Policy = DEFAULT_POLICY) =>
  planCustomer(c, { day, orgCountry: 'FR', policy });
const sends = (actions: Action[]) =>
  actions.filter((a): a is Extract<Action, { kind: 'send' }> => a.kind === 'send');
const tasks = (actions: Action[]) =>
  actions.filter((a): a is Extract<Action, { kind: 'task' }> => a.kind === 'task');

describe('the dunning planner', () => {
  it('plans the first reminder seven days after the due date', () => {
    const result = plan(customer(), '2026-10-02');
    expect(result.actions).toEqual([]);
    expect(result.next).toEqual([
      {
        invoiceId: 'F-1',
        level: 1,
        date: '2026-10-08',
        reason: 'level 1 because F-1 is 7 days overdue',
        status: 'planned',
      },
    ]);
  });

  it('sends level 1 on its day, in the courteous tone, and plans level 2 a week later', () => {
    const result = plan(customer(), '2026-10-08');
    const [send] = sends(result.actions);
    expect(send).toMatchObject({
      level: 1,
      tone: 'courteous',
      channel: 'email',
      language: 'fr',
      contact: { email: 'compta@martin.fr' },
    });
    expect(send?.steps).toEqual([
      {
        invoiceId: 'F-1',
        number: 'F-1',
        level: 1,
        amount: 100_00,
        currency: 'EUR',
        daysOverdue: 7,
        reason: 'level 1 because F-1 is 7 days overdue',
      },
    ]);
    expect(result.next).toMatchObject([{ invoiceId: 'F-1', level: 2, date: '2026-10-15' }]);
  });

  it('moves a reminder that falls on Armistice Day to the next business day in France', () => {
    const c = customer({
      invoices: [
        invoice({ dueDate: '2026-10-28', lastLevel: 1, lastSentOn: '2026-11-04', remindersSent: 1 }),
      ],
    });
    const result = plan(c, '2026-11-10');
    expect(result.next[0]).toMatchObject({ level: 2, date: '2026-11-12' });
    expect(result.next[0]?.reason).toMatch(
      /level 2 because F-1 is 15 days overdue; moved from .*11.*Armistice/,
    );
    expect(sends(plan(c, '2026-11-11').actions)).toEqual([]);
    expect(sends(plan(c, '2026-11-12').actions)).toHaveLength(1);
  });

  it('moves a German step from the second Christmas day, but not a French one', () => {
    const de = customer({ country: 'DE', invoices: [invoice({ dueDate: '2025-12-19' })] });
    expect(plan(de, '2025-12-20').next[0]).toMatchObject({ level: 1, date: '2025-12-29' });
    const fr = customer({ invoices: [invoice({ dueDate: '2025-12-19' })] });
    expect(plan(fr, '2025-12-20').next[0]).toMatchObject({ level: 1, date: '2025-12-26' });
  });

  it("moves a British step past Boxing Day's substitute Monday", () => {
    const gb = customer({ country: 'GB', invoices: [invoice({ dueDate: '2026-12-19' })] });
    // 26 Dec 2026 is a Saturday; the bank holiday moves to Monday 28 December.
    expect(plan(gb, '2026-12-20').next[0]).toMatchObject({ level: 1, date: '2026-12-29' });
  });

  it('writes to a Belgian customer in Dutch when its contact reads Dutch', () => {
    const be = customer({
      country: 'BE',
      contacts: [
        {
          id: 'k',
          name: 'Lotte',
          email: 'lotte@peeters.be',
          language: 'nl',
          role: 'billing',
          valid: true,
          invalidReason: null,
        },
      ],
    });
    expect(sends(plan(be, '2026-10-08').actions)[0]?.language).toBe('nl');
  });

  it('writes in the language of the country when nobody said otherwise', () => {
    const it_ = customer({
      country: 'IT',
      contacts: [
        {
          id: 'k',
          name: null,
          email: 'a@b.it',
          language: null,
          role: 'billing',
          valid: true,
          invalidReason: null,
        },
      ],
    });
    expect(sends(plan(it_, '2026-10-08').actions)[0]?.language).toBe('it');
  });

  it('after a run skipped for ten days sends only the step now due, and records the skipped level', () => {
    const c = customer({ invoices: [invoice({ dueDate: '2026-10-01' })] });
    const result = plan(c, '2026-10-16');
    const [send] = sends(result.actions);
    expect(send?.level).toBe(2);
    expect(sends(result.actions)).toHaveLength(1);
    expect(result.actions.filter((a) => a.kind === 'skip')).toMatchObject([{ level: 1, number: 'F-1' }]);
    expect(result.next[0]).toMatchObject({ level: 3, date: '2026-10-22' });
  });

  it('reminds an old invoice it sees for the first time courteously first, not with a formal notice', () => {
    const result = plan(
      customer({ invoices: [invoice({ dueDate: '2026-08-01', known: false })] }),
      '2026-10-16',
    );
    expect(sends(result.actions)[0]?.level).toBe(1);
    expect(result.actions.filter((a) => a.kind === 'skip')).toEqual([]);
    expect(result.next[0]).toMatchObject({ level: 2, date: '2026-10-20' });
    expect(result.next[0]?.reason).toMatch(/at least 4 days after the reminder of 2026-10-16/);
  });

  it('escalates an old invoice step by step: the gap that holds level 2 back holds level 3 after it', () => {
    const first = plan(
      customer({ invoices: [invoice({ dueDate: '2026-08-01', known: false })] }),
      '2026-10-16',
    );
    expect(sends(first.actions)[0]?.level).toBe(1);
    // Level 1 went out on 16 October; levels 2 and 3 are both long overdue by then.
    const after = customer({
      invoices: [
        invoice({ dueDate: '2026-08-01', lastLevel: 1, lastSentOn: '2026-10-16', remindersSent: 1 }),
      ],
    });
    const day2 = plan(after, '2026-10-20');
    expect(sends(day2.actions).map((m) => m.level)).toEqual([2]);
    expect(day2.actions.filter((a) => a.kind === 'skip')).toEqual([]);
    expect(day2.next[0]).toMatchObject({ level: 3, date: '2026-10-26' });
    // What the plan said on the 16th is what the 20th does.
    expect(plan(after, '2026-10-19').next[0]).toMatchObject({ level: 2, date: '2026-10-20' });
  });

  it('keeps the contract dates of later levels when an earlier one was moved by a holiday', () => {
    const c = customer({
      invoices: [
        invoice({ dueDate: '2026-11-04', lastLevel: 1, lastSentOn: '2026-11-12', remindersSent: 1 }),
      ],
    });
    expect(plan(c, '2026-11-13').next[0]).toMatchObject({ level: 2, date: '2026-11-18' });
  });

  it('puts two invoices due the same day into one message, in the tone of the higher level', () => {
    const c = customer({
      invoices: [
        invoice({ id: 'a', number: 'F-1', dueDate: '2026-10-01' }),
        invoice({
          id: 'b',
          number: 'F-2',
          dueDate: '2026-09-24',
          lastLevel: 1,
          lastSentOn: '2026-10-01',
          remindersSent: 1,
        }),
      ],
    });
    const result = plan(c, '2026-10-08');
    const all = sends(result.actions);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ level: 2, tone: 'firm' });
    expect(all[0]?.steps.map((s) => [s.number, s.level])).toEqual([
      ['F-2', 2],
      ['F-1', 1],
    ]);
  });

  it("mentions the customer's other overdue invoices in the message", () => {
    const c = customer({
      invoices: [
        invoice({ id: 'a', number: 'F-1', dueDate: '2026-10-01' }),
        invoice({ id: 'b', number: 'F-2', dueDate: '2026-10-05' }),
      ],
    });
    const [send] = sends(plan(c, '2026-10-08').actions);
    expect(send?.steps.map((s) => s.number)).toEqual(['F-1']);
    expect(send?.otherOverdue).toEqual(['b']);
  });

  it('never reminds an invoice covered by a credit note, and asks only the rest of one partly covered', () => {
    const covered = customer({ credits: [{ number: 'AV-1', currency: 'EUR', outstanding: 100_00 }] });
    const result = plan(covered, '2026-10-08');
    expect(result.actions).toEqual([]);
    expect(result.next[0]).toMatchObject({ level: null, reason: 'covered by credit notes AV-1' });
    const partly = customer({ credits: [{ number: 'AV-1', currency: 'EUR', outstanding: 30_00 }] });
    expect(sends(plan(partly, '2026-10-08').actions)[0]?.steps[0]?.amount).toBe(70_00);
    const otherCurrency = customer({ credits: [{ number: 'AV-1', currency: 'CHF', outstanding: 500_00 }] });
    expect(sends(plan(otherCurrency, '2026-10-08').actions)[0]?.steps[0]?.amount).toBe(100_00);
  });

  it('sends nothing for an invoice paid, disputed, cancelled, written off, stopped or paused', () => {
    for (const over of [
      { outstanding: 0, status: 'paid' as const },
      { status: 'disputed' as const },
      { status: 'cancelled' as const },
      { status: 'written_off' as const },
      { stopped: true, stopReason: 'cancelled from the queue' },
      { pausedUntil: '2026-10-20', pauseReason: 'promise to pay on 20 Oct' },
    ]) {
      expect(sends(plan(customer({ invoices: [invoice(over)] }), '2026-10-08').actions)).toEqual([]);
    }
    const paused = plan(
      customer({ invoices: [invoice({ pausedUntil: '2026-10-20', pauseReason: 'promise to pay' })] }),
      '2026-10-08',
    );
    expect(paused.next[0]).toMatchObject({ level: 1, date: '2026-10-21' });
    expect(paused.next[0]?.reason).toMatch(/held until 2026-10-20 \(promise to pay\)/);
  });

  it('sends a postponed step on the day a person chose', () => {
    const result = plan(customer({ invoices: [invoice({ postponedUntil: '2026-10-13' })] }), '2026-10-08');
    expect(result.actions).toEqual([]);
    expect(result.next[0]).toMatchObject({ level: 1, date: '2026-10-13', status: 'postponed' });
    expect(result.next[0]?.reason).toMatch(/postponed by a person to 2026-10-13/);
  });

  it('sends the next step today when a person asks for it now', () => {
    const result = plan(customer({ invoices: [invoice({ sendNow: true })] }), '2026-10-03');
    expect(sends(result.actions)[0]?.steps[0]).toMatchObject({
      level: 1,
      reason: 'level 1 because F-1 is 2 days overdue; sent now at the request of a person',
    });
  });

  it('sends the postponed step itself on the chosen day, not a later level', () => {
    const result = plan(
      customer({ invoices: [invoice({ dueDate: '2026-10-01', postponedUntil: '2026-10-20' })] }),
      '2026-10-20',
    );
    expect(sends(result.actions)[0]?.level).toBe(1);
    expect(result.next[0]).toMatchObject({ level: 2, date: '2026-10-26' });
  });

  it('tells the team privately instead of writing to a strategic customer', () => {
    const result = plan(customer({ strategic: true }), '2026-10-08');
    expect(sends(result.actions)).toEqual([]);
    expect(result.actions).toMatchObject([{ kind: 'notify_strategic', level: 1 }]);
    expect(result.next[0]).toMatchObject({ level: 2 });
  });

  it('asks the team for a contact instead of sending, and keeps the step waiting', () => {
    const result = plan(customer({ contacts: [] }), '2026-10-08');
    expect(sends(result.actions)).toEqual([]);
    expect(tasks(result.actions)).toMatchObject([{ cause: 'missing_contact', invoiceIds: ['F-1'] }]);
    expect(result.next[0]).toMatchObject({ level: 1, date: '2026-10-09', status: 'blocked' });
    const bounced = customer({
      contacts: [
        {
          id: 'k',
          name: null,
          email: 'old@x.fr',
          language: null,
          role: 'billing',
          valid: false,
          invalidReason: 'hard bounce: 5.1.1',
        },
      ],
    });
    expect(tasks(plan(bounced, '2026-10-08').actions)[0]?.reason).toMatch(/old@x\.fr: hard bounce/);
  });

  it('writes to a customer at most once a day', () => {
    const result = plan(customer({ lastMessageOn: '2026-10-08' }), '2026-10-08');
    expect(sends(result.actions)).toEqual([]);
    expect(result.next[0]).toMatchObject({ level: 1, date: '2026-10-09' });
  });

  it('creates a task after four reminders without any answer', () => {
    const result = plan(customer({ unansweredReminders: 3 }), '2026-10-08');
    expect(tasks(result.actions)).toMatchObject([{ cause: 'no_answer' }]);
    expect(tasks(plan(customer({ unansweredReminders: 2 }), '2026-10-08').actions)).toEqual([]);
  });

  it('hands an invoice to a person once every reminder has been sent', () => {
    const done = invoice({ lastLevel: 3, lastSentOn: '2026-10-22', remindersSent: 3 });
    expect(tasks(plan(customer({ invoices: [done] }), '2026-10-25').actions)).toEqual([]);
    expect(tasks(plan(customer({ invoices: [done] }), '2026-10-29').actions)).toMatchObject([
      { cause: 'reminders_exhausted' },
    ]);
  });

  it('asks for approval in semi-automatic mode', () => {
    const [send] = sends(plan(customer(), '2026-10-08', { ...DEFAULT_POLICY, mode: 'approval' }).actions);
    expect(send?.awaitingApproval).toBe(true);
    expect(plan(customer({ invoices: [invoice({ awaitingApproval: true })] }), '2026-10-09').actions).toEqual(
      [],
    );
  });

  it('sends a courtesy reminder before the due date when the policy has one, never after', () => {
    const policy = { ...DEFAULT_POLICY, courtesyDaysBefore: 3 };
    const before = plan(customer(), '2026-09-25', policy);
    expect(before.next[0]).toMatchObject({ level: 0, date: '2026-09-28' });
    expect(sends(plan(customer(), '2026-09-28', policy).actions)[0]).toMatchObject({
      level: 0,
      tone: 'courteous',
    });
    const late = plan(customer(), '2026-10-08', policy);
    expect(sends(late.actions)[0]?.level).toBe(1);
    expect(late.actions.filter((a) => a.kind === 'skip')).toEqual([]);
  });

  it('repeats the last level up to the maximum number of reminders', () => {
    const policy = { ...DEFAULT_POLICY, maxReminders: 4 };
    const after3 = invoice({ lastLevel: 3, lastSentOn: '2026-10-22', remindersSent: 3 });
    expect(plan(customer({ invoices: [after3] }), '2026-10-23', policy).next[0]).toMatchObject({
      level: 3,
      date: '2026-10-29',
    });
    expect(plan(customer({ invoices: [after3] }), '2026-10-23').next[0]).toMatchObject({ level: null });
  });

  it('asks for a country and for a check of a negative amount', () => {
    const result = plan(
      customer({
        country: null,
        invoices: [invoice(), invoice({ id: 'n', number: 'F-9', outstanding: -5_00 })],
      }),
      '2026-10-02',
    );
    expect(
      tasks(result.actions)
        .map((t) => t.cause)
        .sort(),
    ).toEqual(['inconsistent_data', 'missing_country']);
  });

  it('always plans a business day at or after the nominal date, and at most one message a day', () => {
    const countries = ['FR', 'DE', 'GB', 'BE', 'ES', 'IT', 'NL', 'CH', 'US'];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 700 }),
        fc.constantFrom(...countries),
        fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 90 }),
        (start, country, dueOffsets, after) => {
          const day = addDays('2025-06-01', start);
          const c = customer({
            country,
            invoices: dueOffsets.map((o, i) =>
              invoice({ id: `i${i}`, number: `F-${i}`, dueDate: addDays(day, o) }),
            ),
          });
          const result = plan(c, addDays(day, after));
          expect(sends(result.actions).length).toBeLessThanOrEqual(1);
          for (const n of result.next) if (n.date) expect(isBusinessDay(n.date, country)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the planner after a customer replied', () => {
  // F-1 is due 1 Oct 2026; level 1 went out on 8 Oct; the customer promised to pay by 20 Oct,
  // with three business days of grace: until Friday 23 Oct.
  const promised = (over: Partial<PlanInvoice> = {}) =>
    invoice({
      lastLevel: 1,
      lastSentOn: '2026-10-08',
      remindersSent: 1,
      pausedUntil: '2026-10-23',
      pauseReason: 'promise to pay by 2026-10-20',
      promise: { kind: 'promise', promisedDate: '2026-10-20', graceUntil: '2026-10-23' },
      ...over,
    });

  it('waits while a promise to pay runs, and says a follow-up comes if it is not kept', () => {
    const result = plan(customer({ invoices: [promised()] }), '2026-10-21');
    expect(result.actions).toEqual([]);
    expect(result.next[0]).toMatchObject({ level: 1, date: '2026-10-26', status: 'held' });
    expect(result.next[0]?.reason).toMatch(
      /follow-up if the promise to pay by 2026-10-20 is not kept by 2026-10-23/,
    );
  });

  it('follows up a broken promise once, politely, at the level the invoice had reached', () => {
    const result = plan(customer({ invoices: [promised()] }), '2026-10-26');
    const [send] = sends(result.actions);
    expect(send).toMatchObject({ level: 1, tone: 'courteous', followUp: { promisedDate: '2026-10-20' } });
    expect(send?.steps[0]).toMatchObject({ number: 'F-1', followUp: true });
    expect(send?.reason).toMatch(
      /promise to pay by 2026-10-20 not kept: F-1 is still unpaid after 2026-10-23/,
    );
    expect(result.actions).toContainEqual(
      expect.objectContaining({ kind: 'promise_lapsed', invoiceIds: ['F-1'] }),
    );
    // The next level follows at least the minimum gap after the follow-up.
    expect(result.next[0]).toMatchObject({ level: 2, date: '2026-10-30' });
  });

  it('does not follow up a promise that was kept', () => {
    const result = plan(customer({ invoices: [promised({ outstanding: 0, status: 'paid' })] }), '2026-10-26');
    expect(result.actions).toEqual([]);
  });

  it('sends the follow-up alone: another invoice due the same day waits for the next business day', () => {
    const other = invoice({ id: 'F-2', number: 'F-2', dueDate: '2026-10-19' });
    const result = plan(customer({ invoices: [promised(), other] }), '2026-10-26');
    expect(sends(result.actions).map((s) => s.steps.map((x) => x.number))).toEqual([['F-1']]);
    expect(result.next.find((n) => n.invoiceId === 'F-2')).toMatchObject({
      level: 1,
      date: '2026-10-27',
      status: 'deferred',
    });
  });

  it('asks a person when a payment the customer announced has not shown, and resumes reminders', () => {
    const claim = invoice({
      lastLevel: 1,
      lastSentOn: '2026-10-08',
      remindersSent: 1,
      pausedUntil: '2026-10-16',
      promise: { kind: 'paid_claim', promisedDate: null, graceUntil: '2026-10-16' },
    });
    const result = plan(customer({ invoices: [claim] }), '2026-10-19');
    expect(tasks(result.actions).map((t) => t.cause)).toEqual(['payment_claimed']);
    expect(result.actions).toContainEqual(
      expect.objectContaining({ kind: 'promise_lapsed', invoiceIds: ['F-1'] }),
    );
    expect(sends(result.actions)).toHaveLength(1);
  });

  it('sends nothing at all to a customer in insolvency proceedings', () => {
    const result = plan(
      customer({ insolvent: true, invoices: [invoice(), invoice({ id: 'F-2', number: 'F-2' })] }),
      '2026-10-08',
    );
    expect(result.actions).toEqual([]);
    expect(result.next.map((n) => n.reason)).toEqual([
      'customer in insolvency proceedings: no reminders; the claim goes to the administrator',
      'customer in insolvency proceedings: no reminders; the claim goes to the administrator',
    ]);
  });

  it('moves the next step past a hold instead of skipping to a harsher level', () => {
    // Away until 23 Oct: level 2 (15 Oct) and level 3 (22 Oct) both fell inside the hold.
    const away = customer({
      holdUntil: '2026-10-23',
      holdReason: 'automatic reply: away until 2026-10-23',
      invoices: [invoice({ lastLevel: 1, lastSentOn: '2026-10-08', remindersSent: 1 })],
    });
    const result = plan(away, '2026-10-26');
    expect(sends(result.actions).map((s) => s.level)).toEqual([2]);
    expect(result.actions.filter((a) => a.kind === 'skip')).toEqual([]);
    expect(result.next[0]).toMatchObject({ level: 3, date: '2026-10-30' });
  });
});
