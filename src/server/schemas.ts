// Shapes shared by several routes: the contract's listing rows (CONTRACT.md §1: amounts as decimal
// strings beside their currency, dates YYYY-MM-DD, `customer: { ref, name }`) and common fields.
import { z } from 'zod';
import { INVOICE_STATUSES } from '../ledger/status.ts';

export const plainDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .describe('a calendar day, YYYY-MM-DD');

export const customerRef = z.object({ ref: z.string(), name: z.string() });

export const invoiceListing = z.object({
  number: z.string(),
  type: z.enum(['invoice', 'credit_note']),
  customer: customerRef,
  issueDate: z.string(),
  dueDate: z.string(),
  currency: z.string(),
  total: z.string(),
  outstanding: z.string(),
  status: z.enum(INVOICE_STATUSES),
  daysOverdue: z.number(),
  poNumber: z.string().nullable(),
  appliesTo: z.string().nullable(),
  absentSince: z.string().nullable(),
});

export const queueItem = z.object({
  customer: customerRef,
  invoices: z.array(z.string()),
  amount: z.string(),
  currency: z.string(),
  daysOverdue: z.number(),
  level: z.number(),
  channel: z.enum(['email', 'letter', 'both']),
  plannedFor: z.string(),
  priority: z.enum(['green', 'orange', 'red']),
  status: z.string(),
  reason: z.string(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Invoice numbers, or a customer's ref: what a queue action applies to. */
export const target = {
  invoices: z.array(z.string().min(1).max(100)).max(1000).optional(),
  customer: z.string().min(1).max(100).optional(),
};

export const actionResult = z.object({ invoices: z.array(z.string()), message: z.string() });

/** A comma-separated list in a query string: `status=open,partially_paid`. */
export const commaList = z
  .string()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
