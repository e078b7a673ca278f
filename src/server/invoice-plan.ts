// An invoice's plan: the steps the agent foresees for it over the coming days if nothing else happens
// (no payment, no reply), with their dates, levels and reasons. The forecast's own machinery, run on
// the invoice's customer and kept to the steps that name this invoice, so the invoice page and
// `ardent forecast` never disagree.
import type { PlainDate } from '../calendar/plain-date.ts';
import { forecastCustomer } from '../dunning/forecast.ts';
import { loadBatch, loadPolicies } from '../dunning/load.ts';
import { planCustomer } from '../dunning/plan.ts';
import { formatDecimal } from '../ledger/money.ts';
import type { Db } from '../store/store.ts';

export interface PlannedStep {
  date: PlainDate;
  kind: 'email' | 'letter' | 'approval' | 'in_person' | 'task';
  level: number | null;
  /** Every invoice the step covers: one message per customer and day covers all that are due. */
  invoices: string[];
  amounts: { amount: string; currency: string }[];
  reason: string;
}

export interface InvoicePlan {
  from: PlainDate;
  days: number;
  /** What the planner says of the invoice today: its next step's date, or why it has none. */
  next: { level: number | null; date: PlainDate | null; reason: string; status: string } | null;
  steps: PlannedStep[];
}

export async function invoicePlan(
  db: Db,
  org: { id: string; country: string },
  customerId: string,
  invoice: { id: string; number: string },
  from: PlainDate,
  days: number,
): Promise<InvoicePlan> {
  const [policies, batch] = await Promise.all([
    loadPolicies(db, org.id),
    loadBatch(db, org.id, null, 1, { customerIds: [customerId] }),
  ]);
  const customer = batch.customers[0];
  if (!customer) return { from, days, next: null, steps: [] };
  const policy = (customer.policyId && policies.byId.get(customer.policyId)) || policies.fallback;
  const settings = { orgCountry: org.country, policy };
  const next = planCustomer(customer, { ...settings, day: from }).next.find(
    (n) => n.invoiceId === invoice.id,
  );
  const steps = forecastCustomer(customer, settings, from, days)
    .filter((item) => item.invoices.includes(invoice.number))
    .map((item) => ({
      ...item,
      amounts: item.amounts.map((a) => ({
        amount: formatDecimal(a.amount, a.currency),
        currency: a.currency,
      })),
    }));
  return {
    from,
    days,
    next: next
      ? { level: next.level, date: next.date, reason: next.reason, status: next.status ?? 'planned' }
      : null,
    steps,
  };
}
