import { describe, expect, it } from 'vitest';
import { findInvoiceNumbers } from './invoice-numbers.ts';

describe('invoice numbers', () => {
  it.each([
    ['Relance facture F-2026-0412', ['F-2026-0412']],
    ['Invoice FA2026-001 and INV-1234 are paid.', ['FA2026-001', 'INV-1234']],
    ['Facture 2026/0012 réglée.', ['2026/0012']],
    ['Zu Rechnung Nr. 12345: bezahlt.', ['12345']],
    ['La factura nº 123 está pagada.', ['123']],
    ['Rif. fattura FT 88/2027', ['FT 88/2027']],
    ['invoice #4521', ['4521']],
    ['RG 2026/0118 ist beglichen', ['RG 2026/0118']],
  ])('finds the number in "%s"', (text, expected) => {
    expect(findInvoiceNumbers(text)).toEqual(expected);
  });

  it('leaves out dates, amounts, phone numbers, IBANs, postcodes and purchase orders', () => {
    const text = [
      'Payé le 12/11/2026 et le 2026-11-12, montant 4 380,00 € (EUR 1,250.00).',
      'Tel. 04 72 00 00 00 / +44 20 7946 0958 / 06-12345678.',
      'IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP.',
      'Lieferadresse: D-80331 München. PO 4500123456, BC-88412, PAY-77812.',
    ].join('\n');
    expect(findInvoiceNumbers(text)).toEqual([]);
  });

  it('with the organisation’s numbers, reports only those, in their spelling', () => {
    const known = ['F-2026-0412', 'F-2026-0398', '12345'];
    expect(findInvoiceNumbers('Facture f 2026 0412 et bon BC-88412, commande 55231.', { known })).toEqual([
      'F-2026-0412',
    ]);
    expect(findInvoiceNumbers('About 12345 and INV-9999.', { known })).toEqual(['12345']);
  });
});
