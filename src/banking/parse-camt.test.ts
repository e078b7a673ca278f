import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, fixtureText } from '../../test/fixtures/statements/fixtures.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { camtNamespace, parseCamt } from './parse-camt.ts';

const parse = (name: string) => parseCamt(fixture(name), name);

function unreadableMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnreadableFileError) return error.message;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

describe('camt.053.001.02 with two statements', () => {
  const file = parse(FIXTURES.camt053v02);

  it('reads the format from the namespace and one statement per Stmt', () => {
    expect(file.format).toBe('camt.053');
    expect(file.statements).toHaveLength(2);
    expect(file.statements.map((s) => s.entries.length)).toEqual([2, 2]);
  });

  it('reads the account, currency, id and balances of a statement', () => {
    const [first, second] = file.statements;
    expect(first!.account).toBe('FR7630004000031234567890143');
    expect(first!.currency).toBe('EUR');
    expect(first!.id).toBe('20261113-FR7630004000031234567890143');
    expect(first!.openingBalance).toEqual({ amount: 1025075, currency: 'EUR', date: '2026-11-13' });
    expect(first!.closingBalance).toEqual({ amount: 1141655, currency: 'EUR', date: '2026-11-13' });
    // The second statement gives PRCD (previous closing) instead of OPBD.
    expect(second!.openingBalance?.amount).toBe(1141655);
  });

  it('reads every field of a credit transfer with a structured RF reference', () => {
    expect(file.statements[0]!.entries[0]).toEqual({
      amount: 125000,
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
      details: [],
    });
  });

  it('takes the creditor as counterparty of a debit', () => {
    const debit = file.statements[0]!.entries[1]!;
    expect(debit.direction).toBe('debit');
    expect(debit.amount).toBe(8420);
    expect(debit.valueDate).toBe('2026-11-12');
    expect(debit.counterparty).toEqual({ name: 'EDF ENTREPRISES', iban: 'FR4630003012340001234567812' });
  });

  it('reads a booking DtTm as its calendar day, decodes entities and finds an RF typed in Ustrd', () => {
    const entry = file.statements[1]!.entries[0]!;
    expect(entry.bookingDate).toBe('2026-11-14');
    expect(entry.counterparty.name).toBe('Café des Arts & Métiers');
    expect(entry.counterparty.iban).toBe('FR5610107001180000000000197');
    expect(entry.endToEndId).toBeUndefined();
    expect(entry.creditorReference).toBe('RF75F20261001');
  });

  it('marks a reversal and keeps the original payer as counterparty', () => {
    const reversal = file.statements[1]!.entries[1]!;
    expect(reversal).toMatchObject({
      direction: 'debit',
      reversal: true,
      amount: 125000,
      endToEndId: 'BM-2026-0877',
      counterparty: { name: 'BOULANGERIE MARTIN' },
    });
  });
});

describe('camt.053.001.08 with two accounts', () => {
  const file = parse(FIXTURES.camt053v08);

  it('reads one statement per account, IBAN or other id, in its currency', () => {
    expect(file.statements.map((s) => [s.account, s.currency])).toEqual([
      ['DE89370400440532013000', 'EUR'],
      ['0532013999', 'USD'],
    ]);
  });

  it('reads a debit opening balance as negative', () => {
    expect(file.statements[0]!.openingBalance?.amount).toBe(-42000);
  });

  it('reads Sts/Cd, Dbtr/Pty/Nm and BICFI of the 2019 message versions', () => {
    const entry = file.statements[0]!.entries[0]!;
    expect(entry.status).toBe('booked');
    expect(entry.counterparty).toEqual({
      name: 'Müller Maschinenbau GmbH',
      iban: 'DE44500105175407324931',
      bic: 'INGDDEFFXXX',
    });
    expect(entry.creditorReference).toBe('RF95INV2026411');
    expect(entry.remittance).toBe('RE-2026-1187');
  });

  it('reads a Cdtr/Pty party for a debit', () => {
    const entry = file.statements[0]!.entries[1]!;
    expect(entry.direction).toBe('debit');
    expect(entry.counterparty.name).toBe('Bürobedarf Schmidt KG');
    expect(entry.counterparty.bic).toBe('BYLADEM1001');
  });

  it('reads a pending entry', () => {
    const entry = file.statements[1]!.entries[0]!;
    expect(entry.status).toBe('pending');
    expect(entry.amount).toBe(1500000);
    expect(entry.currency).toBe('USD');
    expect(entry.counterparty).toEqual({ name: 'ACME Industrial Supply Inc.', bic: 'CHASUS33' });
  });
});

describe('camt.054.001.04 batch entry', () => {
  const file = parse(FIXTURES.camt054v04);
  const batch = file.statements[0]!.entries[0]!;

  it('reads the notification as one statement with one entry', () => {
    expect(file.format).toBe('camt.054');
    expect(file.statements[0]!.account).toBe('FR7630004000031234567890143');
    expect(file.statements[0]!.entries).toHaveLength(1);
  });

  it('keeps the booked total on the entry and lists the three transactions as details', () => {
    expect(batch.amount).toBe(274230);
    expect(batch.bankReference).toBe('AGRI20261116B77');
    expect(batch.remittance).toBe('REMISE VIREMENTS SEPA 3 OPERATIONS');
    expect(batch.details.map((d) => d.amount)).toEqual([120000, 84230, 70000]);
    expect(batch.details.every((d) => d.direction === 'credit' && d.bookingDate === '2026-11-16')).toBe(true);
  });

  it('reads each detail with its own references, party and remittance', () => {
    const [first, second, third] = batch.details;
    expect(first).toMatchObject({
      bankReference: 'AGRI20261116B77-001',
      endToEndId: 'E2E-PHARMA-1001',
      remittance: 'FACTURE F-1002',
      counterparty: { name: 'PHARMACIE DU CENTRE', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPXXX' },
    });
    expect(second!.creditorReference).toBe('+++090/0000/00151+++');
    expect(second!.endToEndId).toBeUndefined();
    expect(third!.remittance).toBe('REGLEMENT FACTURES F-0998 ET F-1004 ACOMPTE');
    expect(third!.counterparty.name).toBe('HOTEL DE LA GARE');
  });
});

describe('camt.052.001.06 intraday report', () => {
  const file = parse(FIXTURES.camt052v06);

  it('reads Rpt entries, booked and pending', () => {
    expect(file.format).toBe('camt.052');
    const [booked, pending] = file.statements[0]!.entries;
    expect(booked).toMatchObject({
      amount: 60500,
      status: 'booked',
      bookingDate: '2026-11-18',
      endToEndId: '2026-0412',
      remittance: 'Factuur F-2026-0412 klantnr 3310',
      counterparty: {
        name: 'J. Jansen Installatietechniek B.V.',
        iban: 'NL91ABNA0417164300',
        bic: 'ABNANL2A',
      },
    });
    expect(pending).toMatchObject({ status: 'pending', amount: 4800 });
    expect(pending!.remittance).toBe('IDEAL BETALING 0088 1234 5678 BESTELLING 7781');
  });
});

describe('camt namespaces', () => {
  it('gives the message and version', () => {
    expect(camtNamespace('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">')).toEqual({
      format: 'camt.054',
      version: 4,
    });
    expect(
      camtNamespace('<x:Document xmlns:x="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">')?.version,
    ).toBe(8);
  });

  it('reads a document whose elements carry a namespace prefix', () => {
    const text = fixtureText(FIXTURES.camt052v06)
      .replace('xmlns="urn:iso', 'xmlns:c="urn:iso')
      .replace(/<(\/?)([A-Z])/g, '<$1c:$2');
    expect(parseCamt(text, 'prefixed.xml').statements[0]!.entries).toHaveLength(2);
  });
});

describe('unreadable camt files', () => {
  const valid = fixtureText(FIXTURES.camt052v06);

  it('names the line of malformed XML', () => {
    const broken = valid.replace('</Ntry>', '</Entry>');
    expect(unreadableMessage(() => parseCamt(broken, 'broken.xml'))).toMatch(
      /^broken\.xml: line \d+: malformed XML/,
    );
  });

  it('names the element, line and field of an amount that is not a number', () => {
    const bad = valid.replace('<Amt Ccy="EUR">605.00</Amt>', '<Amt Ccy="EUR">6O5.00</Amt>');
    expect(unreadableMessage(() => parseCamt(bad, 'bad.xml'))).toMatch(
      /^bad\.xml: line 30, element Document\/BkToCstmrAcctRpt\/Rpt\/Ntry\[1\]\/Amt: field Amt: expected an amount/,
    );
  });

  it('refuses a currency that is not ISO 4217', () => {
    const bad = valid.replace('<Ccy>EUR</Ccy>', '<Ccy>EUX</Ccy>');
    expect(unreadableMessage(() => parseCamt(bad, 'bad.xml'))).toMatch(
      /field Ccy: expected an ISO 4217 currency/,
    );
  });

  it('refuses a DOCTYPE, which camt never has and could hide entity expansion', () => {
    const bad = valid.replace('<Document', '<!DOCTYPE Document [<!ENTITY a "aaaa">]>\n<Document');
    expect(unreadableMessage(() => parseCamt(bad, 'dtd.xml'))).toMatch(/DOCTYPE/);
  });

  it('refuses an XML document of another message', () => {
    const pain =
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>';
    expect(unreadableMessage(() => parseCamt(pain, 'pain.xml'))).toMatch(/not a camt/);
  });
});

describe('camt entries built inline', () => {
  const document = (version: string, ntry: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.${version}">` +
    `<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Id>N1</Id>` +
    `<Acct><Id><IBAN>FR7630004000031234567890143</IBAN></Id></Acct>${ntry}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
  const tx = (body: string) => `<TxDtls>${body}</TxDtls>`;

  it('lists the details of a 001.02 batch from AmtDtls/TxAmt', () => {
    const xml = document(
      '02',
      `<Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>` +
        tx(
          '<AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>F-1</Ustrd></RmtInf>',
        ) +
        tx(
          '<AmtDtls><TxAmt><Amt Ccy="EUR">20.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>F-2</Ustrd></RmtInf>',
        ) +
        `</NtryDtls></Ntry>`,
    );
    const entry = parseCamt(xml, 'v02.xml').statements[0]!.entries[0]!;
    expect(entry.details.map((d) => [d.amount, d.remittance])).toEqual([
      [1000, 'F-1'],
      [2000, 'F-2'],
    ]);
  });

  it('keeps a batch whose details give no amounts as one entry with all their text', () => {
    const xml = document(
      '04',
      `<Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>` +
        tx('<RmtInf><Ustrd>F-1</Ustrd></RmtInf>') +
        tx('<RmtInf><Ustrd>F-2</Ustrd></RmtInf>') +
        `</NtryDtls></Ntry>`,
    );
    const entry = parseCamt(xml, 'x.xml').statements[0]!.entries[0]!;
    expect(entry.details).toEqual([]);
    expect(entry.remittance).toBe('F-1 F-2');
    expect(entry.amount).toBe(3000);
  });

  it('reads INFO entries and takes the currency from the first entry when the account has none', () => {
    const xml = document(
      '04',
      `<Ntry><Amt Ccy="CHF">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>INFO</Sts></Ntry>`,
    );
    const statement = parseCamt(xml, 'x.xml').statements[0]!;
    expect(statement.currency).toBe('CHF');
    expect(statement.entries[0]).toMatchObject({ status: 'info', direction: 'debit', amount: 500 });
  });

  it('joins Ustrd lines the bank cut at 140 characters without a space', () => {
    const first = `FACTURES ${'X'.repeat(127)}F-10`;
    expect(first).toHaveLength(140);
    const xml = document(
      '04',
      `<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>` +
        tx(`<RmtInf><Ustrd>${first}</Ustrd><Ustrd>01 ET F-1002</Ustrd></RmtInf>`) +
        `</NtryDtls></Ntry>`,
    );
    expect(parseCamt(xml, 'x.xml').statements[0]!.entries[0]!.remittance).toBe(`${first}01 ET F-1002`);
  });

  it('decodes a file declared in ISO-8859-1', () => {
    const xml = document(
      '04',
      `<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>` +
        tx('<RltdPties><Dbtr><Nm>Crêperie Le Goëlo</Nm></Dbtr></RltdPties>') +
        `</NtryDtls></Ntry>`,
    ).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const bytes = Uint8Array.from(xml, (c) => c.charCodeAt(0));
    expect(parseCamt(bytes, 'latin1.xml').statements[0]!.entries[0]!.counterparty.name).toBe(
      'Crêperie Le Goëlo',
    );
  });
});
