import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, fixtureText } from '../../test/fixtures/statements/fixtures.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { parseOfx } from './parse-ofx.ts';

function unreadableMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnreadableFileError) return error.message;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

describe('OFX 1.x SGML from a French bank in Windows-1252', () => {
  const file = parseOfx(fixture(FIXTURES.ofx1), FIXTURES.ofx1);
  const statement = file.statements[0]!;

  it('reads one bank statement with its four transactions', () => {
    expect(file.format).toBe('ofx');
    expect(file.statements).toHaveLength(1);
    expect(statement.account).toBe('00012345678');
    expect(statement.currency).toBe('EUR');
    expect(statement.entries).toHaveLength(4);
    expect(statement.entries.map((e) => e.direction)).toEqual(['credit', 'debit', 'debit', 'credit']);
  });

  it('reads a credit with its FITID, dates, label and the RF reference typed in MEMO', () => {
    expect(statement.entries[0]).toEqual({
      amount: 125000,
      currency: 'EUR',
      direction: 'credit',
      status: 'booked',
      bookingDate: '2026-11-13',
      valueDate: '2026-11-13',
      bankReference: '2026111300451',
      creditorReference: 'RF18539007547034',
      remittance: 'VIR SEPA BOULANGERIE MARTIN FACTURE F-1001 RÈGLEMENT RF18 5390 0754 7034',
      counterparty: { name: 'VIR SEPA BOULANGERIE MARTIN' },
      reversal: false,
      details: [],
    });
  });

  it('decodes accented letters declared by CHARSET:1252', () => {
    expect(statement.entries[1]!.remittance).toBe('CB CAFÉ DU MARCHÉ 10/11');
    expect(statement.entries[2]!.remittance).toBe(
      'PRLV SEPA ÉLECTRICITÉ DE FRANCE ÉCHÉANCE NOVEMBRE CONTRAT 4471',
    );
  });

  it('reads a decimal comma and an empty MEMO left unclosed', () => {
    expect(statement.entries[1]).toMatchObject({
      amount: 2340,
      direction: 'debit',
      bookingDate: '2026-11-12',
    });
    expect(statement.entries[1]!.valueDate).toBeUndefined();
  });

  it('finds a Belgian structured communication in MEMO', () => {
    expect(statement.entries[3]!.creditorReference).toBe('+++090/0000/00151+++');
  });

  it('takes LEDGERBAL as the closing balance', () => {
    expect(statement.closingBalance).toEqual({ amount: 1198545, currency: 'EUR', date: '2026-11-16' });
  });

  it('reads the same file decoded as UTF-8 by a bank that kept the 1252 header', () => {
    const utf8 = new TextEncoder().encode(new TextDecoder('windows-1252').decode(fixture(FIXTURES.ofx1)));
    expect(parseOfx(utf8, 'utf8.ofx').statements[0]!.entries[1]!.remittance).toBe('CB CAFÉ DU MARCHÉ 10/11');
  });
});

describe('OFX 2.x XML with a bank and a credit-card statement', () => {
  const file = parseOfx(fixture(FIXTURES.ofx2), FIXTURES.ofx2);

  it('reads STMTRS and CCSTMTRS as two statements', () => {
    expect(file.statements.map((s) => [s.account, s.currency, s.entries.length])).toEqual([
      ['GB29NWBK60161331926819', 'GBP', 3],
      ['4111111111111111', 'GBP', 1],
    ]);
  });

  it('reads dates with time and zone, REFNUM and escaped names', () => {
    expect(file.statements[0]!.entries[0]).toMatchObject({
      amount: 480000,
      direction: 'credit',
      bookingDate: '2026-11-18',
      valueDate: '2026-11-19',
      bankReference: 'NWB-20261118-000931',
      endToEndId: 'INV-2026-118',
      counterparty: { name: 'SMITH & JONES LTD' },
    });
    expect(file.statements[0]!.entries[1]).toMatchObject({
      amount: 750,
      direction: 'debit',
      bookingDate: '2026-11-19',
    });
  });

  it('takes the counterparty from PAYEE and BANKACCTTO', () => {
    expect(file.statements[0]!.entries[2]!.counterparty).toEqual({
      name: 'Brightwater Cafe Ltd',
      iban: 'GB82WEST12345698765432',
    });
    expect(file.statements[0]!.entries[2]!.remittance).toBe('PAYMENT FOR ORDER 5521');
  });

  it('reads a negative ledger balance', () => {
    expect(file.statements[0]!.closingBalance?.amount).toBe(-125075);
  });

  it('uses the CURRENCY of a transaction in another currency', () => {
    expect(file.statements[1]!.entries[0]).toMatchObject({
      amount: 4599,
      currency: 'EUR',
      direction: 'debit',
    });
  });
});

describe('unreadable OFX files', () => {
  const valid = fixtureText(FIXTURES.ofx2);

  it('names the line and field of an amount that is not a number', () => {
    const bad = valid.replace('<TRNAMT>-7.50</TRNAMT>', '<TRNAMT>seven</TRNAMT>');
    expect(unreadableMessage(() => parseOfx(bad, 'bad.ofx'))).toMatch(
      /^bad\.ofx: line \d+, element TRNAMT: field TRNAMT: expected an amount/,
    );
  });

  it('refuses a CURDEF that is not ISO 4217', () => {
    const bad = valid.replace('<CURDEF>GBP</CURDEF>', '<CURDEF>UKP</CURDEF>');
    expect(unreadableMessage(() => parseOfx(bad, 'bad.ofx'))).toMatch(/field CURDEF: expected an ISO 4217/);
  });

  it('refuses a download cut short before </OFX>', () => {
    const cut = valid.slice(0, valid.indexOf('</BANKTRANLIST>'));
    expect(unreadableMessage(() => parseOfx(cut, 'cut.ofx'))).toMatch(
      /^cut\.ofx: end of file: the file ends before <\/OFX>/,
    );
  });

  it('refuses a file without an OFX element', () => {
    expect(unreadableMessage(() => parseOfx('OFXHEADER:100\n\nnothing', 'empty.ofx'))).toMatch(
      /no <OFX> element/,
    );
  });
});
