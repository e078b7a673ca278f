import { describe, expect, it } from 'vitest';
import {
  type CandidateCustomer,
  type CandidateInvoice,
  DEFAULT_MATCH_SETTINGS,
  type MatchCandidates,
  type MatchDecision,
  type MatchEntry,
  matchEntry,
} from './match.ts';
import { invoiceCreditorReference, numberKey, referenceKeys } from './match-references.ts';

function invoice(
  number: string,
  outstanding: number,
  more: Partial<CandidateInvoice> = {},
): CandidateInvoice {
  return {
    id: `id-${number}`,
    number,
    customerId: 'martin',
    type: 'invoice',
    currency: 'EUR',
    total: outstanding,
    outstanding,
    dueDate: '2026-10-31',
    status: 'open',
    ...more,
  };
}

const MARTIN = 'Boulangerie Martin';

function customer(
  openInvoices: CandidateInvoice[],
  more: Partial<CandidateCustomer> = {},
): CandidateCustomer {
  return { id: 'martin', name: MARTIN, via: 'name', openInvoices, ...more };
}

function candidates(more: Partial<MatchCandidates> = {}): MatchCandidates {
  return {
    referenced: [],
    customerNames: new Map([['martin', MARTIN]]),
    payers: [],
    sameAmount: [],
    ...more,
  };
}

/** The candidates the shell would find: invoices whose number key the entry carries. */
function referencedIn(entry: MatchEntry, ledger: CandidateInvoice[]): CandidateInvoice[] {
  const keys = new Set(referenceKeys(entry).map((k) => k.key));
  return ledger.filter((i) => keys.has(numberKey(i.number)));
}

function entry(amount: number, more: Partial<MatchEntry> = {}): MatchEntry {
  return { amount, currency: 'EUR', ...more };
}

const allocated = (d: MatchDecision) =>
  d.kind === 'unmatched' ? [] : d.allocations.map((a) => `${a.number} ${a.amount}`);

describe('finding invoice references in a bank entry', () => {
  it.each([
    ['VIR SEPA FACT F 2026 0412', 'F-2026-0412'],
    ['VIR SEPA FACTURE F-2026-0412 MERCI', 'F-2026-0412'],
    ['Rechnung F20260412', 'F-2026-0412'],
    ['REGLEMENT FACTUREF-2026-0412', 'F-2026-0412'],
    ['inv. f.2026.0412', 'F-2026-0412'],
    ['PAIEMENT N°12345 DU 03/11', '12345'],
    ['Rechnungsnr. 2026/118', '2026-118'],
  ])('finds %s as invoice %s', (remittance, number) => {
    expect(referenceKeys({ remittance }).map((k) => k.key)).toContain(numberKey(number));
  });

  it('reads the invoice number inside an RF creditor reference', () => {
    expect(referenceKeys({ creditorReference: 'RF75F20261001' })).toContainEqual(
      expect.objectContaining({ key: 'F20261001', source: 'creditor_reference' }),
    );
    expect(referenceKeys({ remittance: 'ACOMPTE REF RF75 F202 6100 1' })).toContainEqual(
      expect.objectContaining({ key: 'F20261001', source: 'creditor_reference' }),
    );
  });

  it('gives each invoice the RF reference that leads back to it', () => {
    expect(invoiceCreditorReference('F-2026-1001')).toBe('RF75F20261001');
    expect(invoiceCreditorReference('A-VERY-LONG-INVOICE-NUMBER-2026')).toBeUndefined();
  });

  it('does not look up days, months and three-digit numbers nobody introduced', () => {
    const keys = referenceKeys({ remittance: 'ECHEANCE 11/2026 CMD 221' }).map((k) => k.key);
    expect(keys).not.toContain('11');
    expect(keys).not.toContain('221');
  });
});

describe('matching by reference', () => {
  const ledger = [invoice('F-2026-0412', 125_000), invoice('F-2026-0413', 30_000)];

  it("matches 'VIR SEPA FACT F 2026 0412' to F-2026-0412", () => {
    const e = entry(125_000, { remittance: 'VIR SEPA FACT F 2026 0412', payerName: 'BOULANGERIE MARTIN' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-2026-0412 125000']);
    expect(d.reasons.join(' ')).toMatch(/invoice number F-2026-0412 in the remittance/);
  });

  it('matches an RF reference that embeds the invoice number', () => {
    const e = entry(30_000, { creditorReference: invoiceCreditorReference('F-2026-0413') });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-2026-0413 30000']);
    expect(d.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('applies a partial payment to the invoice it names and says what is left', () => {
    const e = entry(40_000, { remittance: 'ACOMPTE FACTURE F-2026-0412' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-2026-0412 40000']);
    expect(d.reasons.join(' ')).toMatch(/partial payment: 400\.00 EUR received .*850\.00 EUR still due/);
  });

  it('keeps a 2.50 EUR bank fee difference within tolerance and says so', () => {
    const e = entry(124_750, { remittance: 'F-2026-0412' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('apply');
    if (d.kind !== 'apply') return;
    expect(allocated(d)).toEqual(['F-2026-0412 124750']);
    expect(d.adjustments).toEqual([
      { invoiceId: 'id-F-2026-0412', number: 'F-2026-0412', amount: 250, kind: 'bank_fee' },
    ]);
    expect(d.reasons.join(' ')).toMatch(
      /2\.50 EUR short .* a bank fee \(within the tolerance of 5\.00 EUR\)/,
    );
  });

  it('takes a 2 % shortfall as an early-payment discount when the tolerance allows it', () => {
    const e = entry(122_500, { remittance: 'F-2026-0412 SKONTO' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }), {
      ...DEFAULT_MATCH_SETTINGS,
      toleranceBp: 200,
    });
    expect(d.kind === 'apply' && d.adjustments.map((a) => `${a.kind} ${a.amount}`)).toEqual([
      'discount 2500',
    ]);
  });

  it('keeps what is paid beyond the invoice as unallocated credit and says so', () => {
    const e = entry(130_000, { remittance: 'FACTURE F-2026-0412' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('apply');
    if (d.kind !== 'apply') return;
    expect(allocated(d)).toEqual(['F-2026-0412 125000']);
    expect(d.unallocated).toBe(5_000);
    expect(d.reasons.join(' ')).toMatch(/overpaid by 50\.00 EUR: kept as unallocated credit/);
  });

  it('pays two invoices named in one transfer', () => {
    const e = entry(155_000, { remittance: 'FACTURES F-2026-0412 ET F-2026-0413' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-2026-0412 125000', 'F-2026-0413 30000']);
  });

  it('prefers the longer number when a shorter invoice number sits inside it', () => {
    const withShort = [...ledger, invoice('2026-0412', 99_00)];
    const e = entry(125_000, { remittance: 'FACT F-2026-0412' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, withShort) }));
    expect(allocated(d)).toEqual(['F-2026-0412 125000']);
  });

  it('asks a person when the invoice named is already paid', () => {
    const e = entry(125_000, { remittance: 'F-2026-0412' });
    const paid = [invoice('F-2026-0412', 0, { total: 125_000, status: 'paid' })];
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, paid) }));
    expect(d.kind).toBe('unmatched');
    expect(d.reasons.join(' ')).toMatch(/already paid: a second payment\?/);
  });

  it('does not apply a payment to an invoice in another currency', () => {
    const e = entry(125_000, { currency: 'USD', remittance: 'F-2026-0412' });
    const d = matchEntry(e, candidates({ referenced: referencedIn(e, ledger) }));
    expect(d.kind).toBe('unmatched');
    expect(d.reasons.join(' ')).toMatch(/is in EUR and the payment in USD/);
  });

  it('lowers its trust when the payer is known as another customer', () => {
    const e = entry(125_000, { remittance: 'F-2026-0412', payerIban: 'FR76…' });
    const d = matchEntry(
      e,
      candidates({
        referenced: referencedIn(e, ledger),
        payers: [{ id: 'other', name: 'Garage Leroy', via: 'iban', openInvoices: [] }],
      }),
    );
    expect(d.kind).toBe('suggest');
    expect(d.reasons.join(' ')).toMatch(/known for another customer, Garage Leroy/);
  });
});

describe('matching by payer and amount', () => {
  const open = [
    invoice('F-1', 120_000, { dueDate: '2026-10-01' }),
    invoice('F-2', 30_000, { dueDate: '2026-10-15' }),
    invoice('F-3', 45_000, { dueDate: '2026-11-01' }),
  ];

  it('applies a payment from a known account that equals one invoice', () => {
    const d = matchEntry(
      entry(30_000, { payerIban: 'FR1420041010050500013M02606' }),
      candidates({ payers: [customer(open, { via: 'iban' })] }),
    );
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-2 30000']);
  });

  it('applies a payment from the customer named exactly that equals one invoice', () => {
    const d = matchEntry(
      entry(45_000, { payerName: 'BOULANGERIE MARTIN SARL' }),
      candidates({ payers: [customer(open)] }),
    );
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-3 45000']);
  });

  it('suggests rather than applies a name-only match below the threshold', () => {
    const d = matchEntry(
      entry(45_000, { payerName: 'BOULANGERIE MARTI' }),
      candidates({ payers: [customer(open)] }),
    );
    expect(d.kind).toBe('suggest');
    expect(d.confidence).toBeLessThan(DEFAULT_MATCH_SETTINGS.threshold);
    expect(allocated(d)).toEqual(['F-3 45000']);
    expect(d.reasons.join(' ')).toMatch(/name cut short/);
  });

  it('pays two invoices whose sum equals the amount', () => {
    const d = matchEntry(
      entry(165_000, { payerIban: 'FR1420041010050500013M02606' }),
      candidates({ payers: [customer(open, { via: 'iban' })] }),
    );
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-1 120000', 'F-3 45000']);
    expect(d.reasons.join(' ')).toMatch(/2 invoices whose outstanding sum equals the amount: F-1 \+ F-3/);
  });

  it('pays the whole balance', () => {
    const d = matchEntry(
      entry(195_000, { payerName: 'Boulangerie Martin' }),
      candidates({ payers: [customer(open)] }),
    );
    expect(d.kind).toBe('apply');
    expect(allocated(d)).toEqual(['F-1 120000', 'F-2 30000', 'F-3 45000']);
  });

  it('suggests the oldest invoice first when no invoice or combination fits', () => {
    const d = matchEntry(
      entry(50_000, { payerName: 'Boulangerie Martin' }),
      candidates({ payers: [customer(open)] }),
    );
    expect(d.kind).toBe('suggest');
    expect(allocated(d)).toEqual(['F-1 50000']);
  });

  it('suggests when two customers bear the payer’s name', () => {
    const twin = customer([invoice('G-9', 45_000, { customerId: 'twin' })], { id: 'twin' });
    const d = matchEntry(
      entry(45_000, { payerName: 'Boulangerie Martin' }),
      candidates({ payers: [customer(open), twin] }),
    );
    expect(d.kind).toBe('suggest');
    expect(d.reasons.join(' ')).toMatch(/another customer fits as well/);
  });
});

describe('matching by amount alone', () => {
  it('suggests the only open invoice of exactly that amount', () => {
    const d = matchEntry(
      entry(12_345, { payerName: 'SOMEONE' }),
      candidates({ sameAmount: [invoice('F-7', 12_345)] }),
    );
    expect(d.kind).toBe('suggest');
    expect(d.confidence).toBe(0.5);
    expect(allocated(d)).toEqual(['F-7 12345']);
  });

  it('leaves an entry unmatched, saying why, when nothing points anywhere', () => {
    const d = matchEntry(entry(12_345), candidates());
    expect(d).toMatchObject({ kind: 'unmatched', reason: expect.stringMatching(/unknown payer/) });
  });
});
