import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from '../../test/fixtures/statements/fixtures.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { guessStatementCsvMapping, parseStatementCsv } from './parse-statement-csv.ts';

function unreadableMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnreadableFileError) return error.message;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

describe('guessing the columns of a statement CSV', () => {
  it('recognises a French export with Crédit and Débit columns', () => {
    expect(guessStatementCsvMapping(['Date', 'Date de valeur', 'Libellé', 'Débit', 'Crédit'])).toEqual({
      date: 'Date',
      valueDate: 'Date de valeur',
      remittance: 'Libellé',
      debit: 'Débit',
      credit: 'Crédit',
    });
  });

  it('recognises a German export and keeps both description columns', () => {
    expect(
      guessStatementCsvMapping([
        'Buchungstag',
        'Valutadatum',
        'Buchungstext',
        'Verwendungszweck',
        'Begünstigter/Zahlungspflichtiger',
        'Kontonummer/IBAN',
        'Betrag',
        'Währung',
      ]),
    ).toEqual({
      date: 'Buchungstag',
      valueDate: 'Valutadatum',
      remittance: ['Buchungstext', 'Verwendungszweck'],
      counterpartyName: 'Begünstigter/Zahlungspflichtiger',
      counterpartyIban: 'Kontonummer/IBAN',
      amount: 'Betrag',
      currency: 'Währung',
    });
  });

  it('recognises "Date opération", "Libellé" and "Montant (EUR)"', () => {
    expect(guessStatementCsvMapping(['Date opération', 'Libellé', 'Montant (EUR)'])).toEqual({
      date: 'Date opération',
      remittance: 'Libellé',
      amount: 'Montant (EUR)',
    });
  });

  it('gives up without an amount column', () => {
    expect(guessStatementCsvMapping(['Date', 'Libellé', 'Solde'])).toBeUndefined();
  });
});

describe('a French bank CSV in Windows-1252 with a preamble', () => {
  const file = parseStatementCsv(fixture(FIXTURES.csvFrench), FIXTURES.csvFrench);
  const statement = file.statements[0]!;

  it('skips the preamble and the closing balance row, and finds the account IBAN', () => {
    expect(file.format).toBe('csv');
    expect(statement.account).toBe('FR7630004000031234567890143');
    expect(statement.currency).toBe('EUR');
    expect(statement.entries).toHaveLength(4);
    expect(statement.entries.map((e) => e.direction)).toEqual(['credit', 'debit', 'debit', 'credit']);
  });

  it('reads a credit with a grouped decimal-comma amount and an RF reference', () => {
    expect(statement.entries[0]).toEqual({
      amount: 125000,
      currency: 'EUR',
      direction: 'credit',
      status: 'booked',
      bookingDate: '2026-11-13',
      valueDate: '2026-11-13',
      creditorReference: 'RF18539007547034',
      remittance: 'VIR SEPA RECU /DE BOULANGERIE MARTIN /MOTIF FACTURE F-1001 /REF RF18 5390 0754 7034',
      counterparty: {},
      reversal: false,
      details: [],
    });
  });

  it('reads debits written with or without a minus sign, and accents', () => {
    expect(statement.entries[1]).toMatchObject({ amount: 2340, remittance: 'CB CAFÉ DU MARCHÉ 10/11' });
    expect(statement.entries[2]).toMatchObject({ amount: 8420, direction: 'debit' });
  });
});

describe('an English bank CSV', () => {
  const statement = parseStatementCsv(fixture(FIXTURES.csvEnglish), FIXTURES.csvEnglish).statements[0]!;

  it('takes the currency from the "Amount (GBP)" header and the sign for the direction', () => {
    expect(statement.currency).toBe('GBP');
    expect(statement.entries.map((e) => [e.amount, e.direction])).toEqual([
      [480000, 'credit'],
      [750, 'debit'],
      [120000, 'credit'],
    ]);
  });

  it('reads the payer reference as remittance and the transaction id as bank reference', () => {
    expect(statement.entries[0]).toMatchObject({
      bookingDate: '2026-11-18',
      bankReference: 'TX-88120',
      remittance: 'INV-2026-118',
      counterparty: { name: 'SMITH & JONES LTD' },
    });
    expect(statement.entries[2]!.creditorReference).toBe('RF95INV2026411');
  });
});

describe('CSV with a mapping from the caller', () => {
  const csv = 'When;What;Who;IBAN;In;Out\n11/03/2026;Invoice 7;ACME;DE89 3704 0044 0532 0130 00;10,00;\n';

  it('uses the named columns', () => {
    const entry = parseStatementCsv(csv, 'mapped.csv', {
      mapping: {
        date: 'when',
        remittance: 'what',
        counterpartyName: 'Who',
        counterpartyIban: 'iban',
        credit: 'In',
        debit: 'Out',
      },
      currency: 'CHF',
    }).statements[0]!.entries[0]!;
    expect(entry).toMatchObject({
      amount: 1000,
      currency: 'CHF',
      bookingDate: '2026-03-11',
      remittance: 'Invoice 7',
      counterparty: { name: 'ACME', iban: 'DE89370400440532013000' },
    });
  });

  it('reads month-first dates when the file shows them', () => {
    const us = 'Date,Description,Amount\n03/11/2026,A,1.00\n03/25/2026,B,2.00\n';
    const dates = parseStatementCsv(us, 'us.csv', { currency: 'USD' }).statements[0]!.entries.map(
      (e) => e.bookingDate,
    );
    expect(dates).toEqual(['2026-03-11', '2026-03-25']);
  });
});

describe('unreadable statement CSVs', () => {
  it('names the row and column of an amount that is not a number', () => {
    const csv = 'Date;Libellé;Montant\n13/11/2026;VIR;12,5O\n';
    expect(unreadableMessage(() => parseStatementCsv(csv, 'bad.csv'))).toMatch(
      /^bad\.csv: row 2: field Montant: expected an amount/,
    );
  });

  it('refuses a currency that is not ISO 4217', () => {
    const csv = 'Date;Libellé;Montant;Devise\n13/11/2026;VIR;12,50;EUX\n';
    expect(unreadableMessage(() => parseStatementCsv(csv, 'bad.csv'))).toMatch(
      /field Devise: expected an ISO 4217/,
    );
  });

  it('refuses an impossible date', () => {
    const csv = 'Date;Libellé;Montant\n31/02/2026;VIR;12,50\n';
    expect(unreadableMessage(() => parseStatementCsv(csv, 'bad.csv'))).toMatch(
      /row 2: field Date: "31\/02\/2026" is not a date/,
    );
  });

  it('says which columns it looked for when the header is not recognised', () => {
    expect(unreadableMessage(() => parseStatementCsv('a;b;c\n1;2;3\n', 'odd.csv'))).toMatch(
      /no header row naming a date/,
    );
  });
});
