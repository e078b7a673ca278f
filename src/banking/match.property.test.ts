// Whatever the entry and the candidates, a decision never takes more from an invoice than it owes,
// nor more from the payment than it brings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CandidateInvoice,
  type MatchCandidates,
  type MatchSettings,
  matchEntry,
  settle,
  tolerance,
} from './match.ts';

const amount = fc.integer({ min: 1, max: 2_000_000 });
const currency = fc.constantFrom('EUR', 'EUR', 'EUR', 'USD');
const customerId = fc.constantFrom('c1', 'c2', 'c3');

const invoiceArb = fc.record({
  id: fc.uuid(),
  number: fc.stringMatching(/^F-20(25|26)-\d{3,4}$/),
  customerId,
  type: fc.constantFrom('invoice', 'invoice', 'invoice', 'credit_note'),
  currency,
  total: amount,
  outstanding: fc.oneof(amount, fc.constant(0), fc.integer({ min: 1, max: 500 })),
  dueDate: fc.constantFrom('2026-09-30', '2026-10-15', '2026-10-31', '2026-11-15'),
  status: fc.constantFrom('open', 'open', 'partially_paid', 'paid', 'disputed', 'cancelled'),
});

const settingsArb: fc.Arbitrary<MatchSettings> = fc.record({
  threshold: fc.double({ min: 0, max: 1, noNaN: true }),
  toleranceMinor: fc.integer({ min: 0, max: 2_000 }),
  toleranceBp: fc.integer({ min: 0, max: 500 }),
  maxCombination: fc.integer({ min: 1, max: 12 }),
});

const scenario = fc
  .record({
    invoices: fc.uniqueArray(invoiceArb, { maxLength: 14, selector: (i) => i.id }),
    amount,
    currency,
    settings: settingsArb,
    refCount: fc.nat({ max: 4 }),
    payerName: fc.constantFrom(undefined, 'BOULANGERIE MARTIN', 'GARAGE LEROY', 'X'),
    viaIban: fc.boolean(),
  })
  .map((s) => {
    const referenced = s.invoices.slice(0, s.refCount);
    const remittance = referenced.map((i) => `FACT ${i.number}`).join(' ');
    const candidates: MatchCandidates = {
      referenced,
      customerNames: new Map([
        ['c1', 'Boulangerie Martin'],
        ['c2', 'Garage Leroy'],
        ['c3', 'Hôtel de la Gare'],
      ]),
      payers: ['c1', 'c2'].map((id) => ({
        id,
        name: id === 'c1' ? 'Boulangerie Martin' : 'Garage Leroy',
        via: s.viaIban && id === 'c1' ? ('iban' as const) : ('name' as const),
        openInvoices: s.invoices.filter((i) => i.customerId === id),
      })),
      sameAmount: s.invoices.filter((i) => i.outstanding === s.amount),
    };
    return { ...s, remittance, candidates };
  });

function checkLimits(
  invoices: readonly CandidateInvoice[],
  paymentAmount: number,
  paymentCurrency: string,
  allocations: { invoiceId: string; amount: number }[],
  adjustments: { invoiceId: string; amount: number }[],
  unallocated: number,
) {
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const taken = new Map<string, number>();
  for (const a of [...allocations, ...adjustments]) {
    expect(a.amount).toBeGreaterThan(0);
    expect(Number.isSafeInteger(a.amount)).toBe(true);
    taken.set(a.invoiceId, (taken.get(a.invoiceId) ?? 0) + a.amount);
  }
  for (const [id, sum] of taken) {
    const invoice = byId.get(id)!;
    expect(invoice, 'allocates only to a candidate invoice').toBeDefined();
    expect(invoice.type).toBe('invoice');
    expect(invoice.currency).toBe(paymentCurrency);
    expect(sum).toBeLessThanOrEqual(invoice.outstanding);
  }
  expect(new Set(allocations.map((a) => a.invoiceId)).size).toBe(allocations.length);
  const allocatedSum = allocations.reduce((s, a) => s + a.amount, 0);
  expect(allocatedSum).toBeLessThanOrEqual(paymentAmount);
  expect(allocatedSum + unallocated).toBe(paymentAmount);
}

describe('the matcher, whatever it is given', () => {
  it('never allocates more than an invoice owes nor more than the payment brings', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const d = matchEntry(
          { amount: s.amount, currency: s.currency, remittance: s.remittance, payerName: s.payerName },
          s.candidates,
          s.settings,
        );
        expect(d.confidence).toBeGreaterThanOrEqual(0);
        expect(d.confidence).toBeLessThanOrEqual(1);
        expect(d.reasons.length).toBeGreaterThan(0);
        if (d.kind === 'unmatched') return;
        if (d.kind === 'apply') {
          expect(d.confidence).toBeGreaterThanOrEqual(s.settings.threshold);
          expect(d.allocations.length).toBeGreaterThan(0);
        }
        checkLimits(s.invoices, s.amount, s.currency, d.allocations, d.adjustments, d.unallocated);
        // A written-off difference stays within the tolerance of what was due.
        const due =
          d.allocations.reduce((sum, a) => sum + a.amount, 0) +
          d.adjustments.reduce((x, a) => x + a.amount, 0);
        const written = d.adjustments.reduce((x, a) => x + a.amount, 0);
        expect(written).toBeLessThanOrEqual(tolerance(due, s.settings));
      }),
      { numRuns: 2_000 },
    );
  });

  it('settles a set of invoices within its limits for any amount', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(invoiceArb, { minLength: 1, maxLength: 8, selector: (i) => i.id }),
        amount,
        settingsArb,
        (raw, paid, settings) => {
          const invoices = raw.map((i) => ({
            ...i,
            type: 'invoice',
            currency: 'EUR',
            outstanding: Math.max(1, i.outstanding),
          }));
          const s = settle(invoices, paid, 'EUR', settings);
          checkLimits(invoices, paid, 'EUR', s.allocations, s.adjustments, s.unallocated);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
