import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/support/pdf-text.ts';
import { type StatementItem, statementFileName, statementPdf } from './statement-pdf.ts';

const items: StatementItem[] = [
  {
    number: 'F-2026-0412',
    type: 'invoice',
    issueDate: '2026-10-01',
    dueDate: '2026-10-31',
    currency: 'EUR',
    total: 120000,
    outstanding: 120000,
  },
  {
    number: 'F-2026-0431',
    type: 'invoice',
    issueDate: '2026-10-05',
    dueDate: '2026-11-04',
    currency: 'EUR',
    total: 50000,
    outstanding: 30000,
  },
  {
    number: 'AV-2026-007',
    type: 'credit_note',
    issueDate: '2026-10-10',
    dueDate: '2026-10-10',
    currency: 'EUR',
    total: 4000,
    outstanding: 4000,
  },
];
const seller = {
  name: 'Atelier Dupont',
  address: { lines: ['12 rue des Lilas'], postalCode: '69003', city: 'Lyon' },
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP',
};

describe('statement of account', () => {
  it('lists the open items and the total still due, in French', async () => {
    const bytes = statementPdf({
      language: 'fr',
      country: 'FR',
      asOf: '2026-11-12',
      seller,
      customer: { name: 'Boulangerie Martin', ref: 'C1' },
      items,
      created: new Date('2026-11-12T08:00:00Z'),
    });
    const { pages, text, title } = await pdfText(bytes);
    expect(pages).toBe(1);
    expect(title).toBe('Relevé de compte Boulangerie Martin 2026-11-12');
    expect(text).toContain('Relevé de compte au 12 novembre 2026');
    expect(text).toContain('F-2026-0412');
    expect(text).toContain('31/10/2026');
    expect(text).toContain('1 200,00 €');
    expect(text).toContain('AV-2026-007 (Avoir)');
    expect(text).toContain('-40,00 €');
    // 1 200 + 300 − 40
    expect(text).toContain('1 460,00 €');
    expect(text).toContain('IBAN FR7630006000011234567890189');
  });

  it('writes in the customer’s language, one total per currency, over several pages when long', async () => {
    const many: StatementItem[] = Array.from({ length: 50 }, (_, i) => ({
      number: `R-${i}`,
      type: 'invoice',
      issueDate: '2026-09-01',
      dueDate: '2026-10-01',
      currency: i % 2 ? 'EUR' : 'CHF',
      total: 10000,
      outstanding: 10000,
    }));
    const { pages, text } = await pdfText(
      statementPdf({
        language: 'de',
        country: 'CH',
        asOf: '2026-11-12',
        seller,
        customer: { name: 'Müller AG', ref: 'D7' },
        items: many,
        created: new Date(),
      }),
    );
    expect(pages).toBe(2);
    expect(text).toContain('Kontoauszug zum 12. November 2026');
    expect(text).toMatch(/CHF.?2.?500\.00/);
    expect(text).toMatch(/EUR.?2.?500\.00/);
  });

  it('is named after the customer and the day', () => {
    expect(statementFileName('fr', 'C 1/2', '2026-11-12')).toBe('releve-de-compte_C_1_2_2026-11-12.pdf');
  });
});
