// What the agent would do over the coming days if nothing else happened (no payment, no reply):
// the planner run day after day on a copy of the state. Pure.
import { addDays, type PlainDate } from '../calendar/plain-date.ts';
import { type PlanCustomer, type PlanSettings, planCustomer } from './plan.ts';

export interface ForecastItem {
  date: PlainDate;
  kind: 'email' | 'letter' | 'approval' | 'in_person' | 'task';
  level: number | null;
  invoices: string[];
  amounts: { amount: number; currency: string }[];
  reason: string;
}

export function forecastCustomer(
  start: PlanCustomer,
  settings: Omit<PlanSettings, 'day'>,
  from: PlainDate,
  days: number,
): ForecastItem[] {
  const customer: PlanCustomer = { ...start, invoices: start.invoices.map((i) => ({ ...i })) };
  const items: ForecastItem[] = [];
  const tasksSeen = new Set<string>();
  for (let n = 0; n < days; n++) {
    const day = addDays(from, n);
    const { actions } = planCustomer(customer, { ...settings, day });
    for (const action of actions) {
      if (action.kind === 'skip' || action.kind === 'promise_lapsed') continue;
      if (action.kind === 'task') {
        if (tasksSeen.has(action.cause)) continue;
        tasksSeen.add(action.cause);
        items.push({
          date: day,
          kind: 'task',
          level: null,
          invoices: action.invoiceIds.map((id) => numberOf(customer, id)),
          amounts: [],
          reason: action.reason,
        });
        continue;
      }
      const amounts = new Map<string, number>();
      for (const s of action.steps) amounts.set(s.currency, (amounts.get(s.currency) ?? 0) + s.amount);
      const awaiting = action.kind === 'send' && action.awaitingApproval;
      items.push({
        date: day,
        kind:
          action.kind === 'notify_strategic'
            ? 'in_person'
            : awaiting
              ? 'approval'
              : action.channel === 'letter'
                ? 'letter'
                : 'email',
        level: action.level,
        invoices: action.steps.map((s) => s.number),
        amounts: [...amounts].map(([currency, amount]) => ({ amount, currency })),
        reason: action.reason,
      });
      const sentIds = new Set(action.steps.map((s) => s.invoiceId));
      customer.invoices = customer.invoices.map((i) => {
        if (!sentIds.has(i.id)) return i;
        const step = action.steps.find((s) => s.invoiceId === i.id)!;
        if (awaiting) return { ...i, awaitingApproval: true };
        // A promise's follow-up keeps the invoice's level and is not one more reminder.
        return step.followUp
          ? { ...i, lastSentOn: day, promise: null, known: true }
          : {
              ...i,
              lastLevel: step.level,
              lastSentOn: day,
              remindersSent: i.remindersSent + (step.level > 0 ? 1 : 0),
              postponedUntil: null,
              sendNow: false,
              known: true,
            };
      });
      if (action.kind === 'send') {
        customer.lastMessageOn = day;
        customer.unansweredReminders++;
      }
    }
  }
  return items;
}

function numberOf(customer: PlanCustomer, id: string): string {
  return customer.invoices.find((i) => i.id === id)?.number ?? id;
}
