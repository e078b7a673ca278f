import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from '../../test/fixtures/statements/fixtures.ts';
import { parseCamt } from './parse-camt.ts';
import { newEntry, toContractJson } from './statement.ts';

describe('the inspect-statement JSON of CONTRACT.md §5', () => {
  it('prints an entry with decimal amounts, plain dates and only the values present', () => {
    const json = toContractJson(parseCamt(fixture(FIXTURES.camt053v02), 'x.xml'));
    expect(json.format).toBe('camt.053');
    const { entries, ...statement } = json.statements[0]!;
    expect(statement).toEqual({
      account: 'FR7630004000031234567890143',
      currency: 'EUR',
      id: '20261113-FR7630004000031234567890143',
      openingBalance: { amount: '10250.75', currency: 'EUR', date: '2026-11-13' },
      closingBalance: { amount: '11416.55', currency: 'EUR', date: '2026-11-13' },
    });
    expect(JSON.stringify(entries[0])).toBe(
      JSON.stringify({
        amount: '1250.00',
        currency: 'EUR',
        direction: 'credit',
        status: 'booked',
        bookingDate: '2026-11-13',
        valueDate: '2026-11-13',
        bankReference: '2026111300451',
        endToEndId: 'BM-2026-0877',
        creditorReference: 'RF18539007547034',
        remittance: 'VIR SEPA FACTURE F-1001',
        counterparty: { name: 'BOULANGERIE MARTIN', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPLYO' },
        reversal: false,
      }),
    );
  });

  it('omits absent values rather than writing null, and keeps counterparty as an object', () => {
    const json = toContractJson({
      format: 'csv',
      statements: [
        { currency: 'JPY', entries: [newEntry({ amount: 1200, currency: 'JPY', direction: 'debit' })] },
      ],
    });
    expect(json).toEqual({
      format: 'csv',
      statements: [
        {
          currency: 'JPY',
          entries: [
            {
              amount: '1200',
              currency: 'JPY',
              direction: 'debit',
              status: 'booked',
              counterparty: {},
              reversal: false,
            },
          ],
        },
      ],
    });
    expect(JSON.stringify(json)).not.toContain('null');
  });

  it('lists details with the same fields only for a batch', () => {
    const json = toContractJson(parseCamt(fixture(FIXTURES.camt054v04), 'x.xml'));
    const batch = json.statements[0]!.entries[0]!;
    expect(batch.details).toHaveLength(3);
    expect(batch.details![0]).toEqual({
      amount: '1200.00',
      currency: 'EUR',
      direction: 'credit',
      status: 'booked',
      bookingDate: '2026-11-16',
      valueDate: '2026-11-16',
      bankReference: 'AGRI20261116B77-001',
      endToEndId: 'E2E-PHARMA-1001',
      remittance: 'FACTURE F-1002',
      counterparty: { name: 'PHARMACIE DU CENTRE', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPXXX' },
      reversal: false,
    });
    const single = toContractJson(parseCamt(fixture(FIXTURES.camt053v02), 'x.xml')).statements[0]!
      .entries[0]!;
    expect(single).not.toHaveProperty('details');
  });
});
