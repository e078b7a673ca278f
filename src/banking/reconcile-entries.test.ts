import { describe, expect, it } from 'vitest';
import { sortStatementFile } from './reconcile-entries.ts';
import { newEntry, type StatementEntry, type StatementFile } from './statement.ts';

function file(entries: StatementEntry[]): StatementFile {
  return {
    format: 'mt940',
    statements: [{ account: 'FR7630004000031234567890143', currency: 'EUR', entries }],
  };
}

const credit = (fields: Partial<StatementEntry> = {}) =>
  newEntry({
    amount: 12_000,
    currency: 'EUR',
    direction: 'credit',
    bookingDate: '2026-11-13',
    remittance: 'FACTURE F-1001',
    counterparty: { name: 'BOULANGERIE MARTIN' },
    ...fields,
  });

describe('sorting a statement into what reconciliation looks at', () => {
  it('keys an entry by the bank’s reference and its account', () => {
    const { credits } = sortStatementFile(file([credit({ bankReference: '2026111300451' })]));
    expect(credits[0]!.dedupeKey).toBe('ref:FR7630004000031234567890143:2026111300451');
  });

  it('keys an entry without reference by a hash that is the same on every import', () => {
    const a = sortStatementFile(file([credit({ bankReference: 'NONREF' })])).credits[0]!.dedupeKey;
    const b = sortStatementFile(file([credit({ bankReference: 'NONREF' })])).credits[0]!.dedupeKey;
    expect(a).toMatch(/^sha256:[0-9a-f]{40}$/);
    expect(a).toBe(b);
  });

  it('keeps two identical transfers of one day as two payments', () => {
    const { credits } = sortStatementFile(file([credit(), credit()]));
    expect(new Set(credits.map((c) => c.dedupeKey)).size).toBe(2);
  });

  it('takes each transaction of a batch entry on its own, keyed under the entry’s reference', () => {
    const batch = credit({
      amount: 30_000,
      bankReference: 'B77',
      details: [credit({ amount: 10_000 }), credit({ amount: 20_000, bankReference: 'B77-002' })],
    });
    const { credits, total } = sortStatementFile(file([batch]));
    expect(total).toBe(2);
    expect(credits.map((c) => [c.entry.amount, c.dedupeKey.split(':').pop(), c.at])).toEqual([
      [10_000, 'B77/1', 'statement 1, entry 1, detail 1'],
      [20_000, 'B77-002', 'statement 1, entry 1, detail 2'],
    ]);
  });

  it('leaves debits and entries not booked yet alone, and keeps returned credits as reversals', () => {
    const sorted = sortStatementFile(
      file([
        credit({ direction: 'debit', remittance: 'PRLV EDF' }),
        credit({ status: 'pending' }),
        credit({ direction: 'debit', reversal: true, remittance: 'RETOUR VIR SEPA' }),
        credit({ direction: 'credit', reversal: true, remittance: 'RETOUR PRLV' }),
      ]),
    );
    expect(sorted).toMatchObject({ total: 4, debits: 2, notBooked: 1, credits: [] });
    expect(sorted.reversals.map((r) => r.entry.remittance)).toEqual(['RETOUR VIR SEPA']);
  });

  it('refuses, by its place, a booked entry without any date', () => {
    const sorted = sortStatementFile(file([credit({ bookingDate: undefined })]));
    expect(sorted.refused).toEqual([
      { at: 'statement 1, entry 1', message: 'a booked entry without a booking or value date' },
    ]);
  });
});
