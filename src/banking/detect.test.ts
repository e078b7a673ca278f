import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from '../../test/fixtures/statements/fixtures.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { detectStatementFormat, parseStatementFile } from './detect.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('detecting a statement format from the content', () => {
  it.each([
    [FIXTURES.camt053v02, 'camt.053'],
    [FIXTURES.camt053v08, 'camt.053'],
    [FIXTURES.camt054v04, 'camt.054'],
    [FIXTURES.camt052v06, 'camt.052'],
    [FIXTURES.ofx1, 'ofx'],
    [FIXTURES.ofx2, 'ofx'],
    [FIXTURES.mt940German, 'mt940'],
    [FIXTURES.mt940Dutch, 'mt940'],
    [FIXTURES.csvFrench, 'csv'],
    [FIXTURES.csvEnglish, 'csv'],
  ])('recognises %s as %s whatever its name', (name, format) => {
    expect(detectStatementFormat('download.dat', fixture(name))).toBe(format);
  });

  it('recognises a bare MT940 without the SWIFT envelope', () => {
    expect(detectStatementFormat('x', bytes(':20:REF\n:25:NL44RABO0123456789\n:28C:1\n'))).toBe('mt940');
  });

  it('knows nothing of other XML, PDFs or empty files', () => {
    const pain = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>';
    expect(detectStatementFormat('p.xml', bytes(pain))).toBeUndefined();
    expect(detectStatementFormat('s.pdf', bytes('%PDF-1.7\n\u0000\u0001'))).toBeUndefined();
    expect(detectStatementFormat('empty', new Uint8Array())).toBeUndefined();
  });
});

describe('parsing any statement file', () => {
  it('dispatches to the parser of the detected format', () => {
    expect(parseStatementFile(FIXTURES.camt054v04, fixture(FIXTURES.camt054v04)).format).toBe('camt.054');
    expect(parseStatementFile(FIXTURES.mt940Dutch, fixture(FIXTURES.mt940Dutch)).statements).toHaveLength(2);
  });

  it('passes the CSV mapping and currency through', () => {
    const csv = bytes('Quand;Quoi;Combien\n01/12/2026;Facture 9;5,00\n');
    const file = parseStatementFile('x.csv', csv, {
      csvMapping: { date: 'Quand', remittance: 'Quoi', amount: 'Combien' },
      csvCurrency: 'CHF',
    });
    expect(file.statements[0]!.entries[0]).toMatchObject({
      amount: 500,
      currency: 'CHF',
      remittance: 'Facture 9',
    });
  });

  it('refuses a file of no known format, naming it', () => {
    const run = () => parseStatementFile('scan.pdf', bytes('%PDF-1.7\n\u0000'));
    expect(run).toThrow(UnreadableFileError);
    expect(run).toThrow(/^scan\.pdf: not a bank statement format/);
  });
});
