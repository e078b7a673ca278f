import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, fixtureText } from '../../test/fixtures/statements/fixtures.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { readInformation } from './mt940-information.ts';
import { parseMt940 } from './parse-mt940.ts';

function unreadableMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnreadableFileError) return error.message;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

describe('MT940 from a German bank, two statements in SWIFT envelopes', () => {
  const file = parseMt940(fixture(FIXTURES.mt940German), FIXTURES.mt940German);
  const [day1, day2] = file.statements;

  it('reads one statement per :20:, numbered by :28C:, with its balances', () => {
    expect(file.format).toBe('mt940');
    expect(file.statements).toHaveLength(2);
    expect(day1).toMatchObject({
      account: '37040044/0532013000',
      currency: 'EUR',
      id: '00221/001',
      openingBalance: { amount: 1025075, currency: 'EUR', date: '2026-11-12' },
      closingBalance: { amount: 1141655, currency: 'EUR', date: '2026-11-13' },
    });
    expect(day1!.entries).toHaveLength(2);
    expect(day2!.entries).toHaveLength(2);
  });

  it('reads a SEPA credit with ?20–?29 purpose, EREF+, SVWZ+ and the ?30–?32 counterparty', () => {
    expect(day1!.entries[0]).toEqual({
      amount: 125000,
      currency: 'EUR',
      direction: 'credit',
      status: 'booked',
      bookingDate: '2026-11-13',
      valueDate: '2026-11-13',
      bankReference: '2026111300451',
      endToEndId: 'BM-2026-0877',
      creditorReference: 'RF18539007547034',
      remittance: 'Rechnung F-1001 Kundennr 10087 RF18539007547034',
      counterparty: { name: 'BOULANGERIE MARTIN', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPLYO' },
      reversal: false,
      details: [],
    });
  });

  it('joins a purpose cut inside a word at 27 characters and a name over ?32 and ?33', () => {
    const debit = day1!.entries[1]!;
    expect(debit.direction).toBe('debit');
    expect(debit.remittance).toBe('Abschlag Nov. 2026 Vertrag 4471');
    expect(debit.counterparty.name).toBe('ELECTRICITE DE FRANCE SA DIRECTION COMMERCE');
    expect(debit.endToEndId).toBe('EDF-PRLV-99812');
  });

  it('reads a purpose without SEPA qualifiers as plain lines', () => {
    expect(day2!.entries[0]).toMatchObject({
      remittance: 'RECHNUNG 2026-0415 ANZAHLUNG',
      counterparty: { name: 'MUELLER MASCHINENBAU GMBH', iban: 'DE44500105175407324931', bic: 'INGDDEFFXXX' },
    });
  });

  it('reads RC as the reversal of a credit, booked as a debit', () => {
    expect(day2!.entries[1]).toMatchObject({ direction: 'debit', reversal: true, amount: 125000 });
  });
});

describe('MT940 from Rabobank and ING, one statement per account', () => {
  const file = parseMt940(fixture(FIXTURES.mt940Dutch), FIXTURES.mt940Dutch);
  const [rabo, ing] = file.statements;

  it('reads the IBAN of :25: followed by the currency', () => {
    expect(file.statements.map((s) => [s.account, s.entries.length])).toEqual([
      ['NL44RABO0123456789', 2],
      ['NL20INGB0001234567', 3],
    ]);
    expect(ing!.closingBalance?.amount).toBe(135005);
  });

  it('reads Rabobank /EREF/, /CNTP/ and /REMI/USTD// across wrapped lines', () => {
    expect(rabo!.entries[0]).toMatchObject({
      amount: 60500,
      direction: 'credit',
      bookingDate: '2026-11-18',
      endToEndId: '2026-0412',
      remittance: 'Factuur F-2026-0412 klantnr 3310',
      counterparty: {
        name: 'J. Jansen Installatietechniek B.V.',
        iban: 'NL91ABNA0417164300',
        bic: 'ABNANL2A',
      },
    });
    expect(rabo!.entries[0]!.bankReference).toBeUndefined();
  });

  it('reads a structured /REMI/STRD/CUR/ reference', () => {
    expect(rabo!.entries[1]!.creditorReference).toBe('+++090/0000/00151+++');
    expect(rabo!.entries[1]!.counterparty.name).toBe('Brasserie De Kroon');
  });

  it('reads ING /NAME/, /IBAN/, /BIC/, /REMI/ with a keyword cut across lines', () => {
    expect(ing!.entries[0]).toMatchObject({
      bankReference: 'INGB2611180091',
      remittance: 'Factuur F-2026-0413',
      counterparty: { name: 'J JANSEN', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
    });
    expect(ing!.entries[0]!.endToEndId).toBeUndefined();
    expect(ing!.entries[1]).toMatchObject({
      direction: 'debit',
      amount: 1995,
      endToEndId: 'KPN-E2E-88120',
      counterparty: { name: 'KPN B.V.', iban: 'NL86INGB0002445588' },
    });
  });

  it("reads ING's /CDTRREF/ structured reference", () => {
    expect(ing!.entries[2]!.creditorReference).toBe('RF3671204');
  });
});

describe(':86: information', () => {
  it('keeps free text, joining a line cut at 65 characters without a space', () => {
    const full = `VIR SEPA RECU /DE BOULANGERIE MARTIN /MOTIF FACTURE F-10${''}`;
    const line1 = full.padEnd(65, 'X').slice(0, 65);
    expect(readInformation([line1, '01 MERCI']).remittance).toBe(`${line1}01 MERCI`);
    expect(readInformation(['VIREMENT RECU', 'FACTURE F-1001']).remittance).toBe(
      'VIREMENT RECU FACTURE F-1001',
    );
  });
});

describe('unreadable MT940 files', () => {
  const valid = fixtureText(FIXTURES.mt940Dutch);

  it('names the line and field of an amount that is not a number', () => {
    const bad = valid.replace(':60F:C261117EUR5012,40', ':60F:C261117EUR5O12,40');
    expect(unreadableMessage(() => parseMt940(bad, 'bad.sta'))).toMatch(
      /^bad\.sta: line 5: field 60F \(opening balance\): expected an amount/,
    );
  });

  it('refuses a currency that is not ISO 4217', () => {
    const bad = valid.replace(':60F:C261117EUR5012,40', ':60F:C261117EUX5012,40');
    expect(unreadableMessage(() => parseMt940(bad, 'bad.sta'))).toMatch(/expected an ISO 4217 currency code/);
  });

  it('refuses a statement line it cannot read', () => {
    const bad = valid.replace(':61:261118C605,00N541NONREF', ':61:26111XC605,00N541NONREF');
    expect(unreadableMessage(() => parseMt940(bad, 'bad.sta'))).toMatch(
      /line 6: field 61 \(statement line\): expected a statement line/,
    );
  });

  it('refuses a statement cut short before its closing balance', () => {
    const cut = valid.slice(0, valid.indexOf(':62F:C261118EUR1350,05'));
    expect(unreadableMessage(() => parseMt940(cut, 'cut.sta'))).toMatch(
      /field 62F \(closing balance\): .* cut short/,
    );
  });

  it('refuses a file without MT940 fields', () => {
    expect(unreadableMessage(() => parseMt940('hello', 'x.sta'))).toMatch(/not an MT940 statement/);
  });
});
