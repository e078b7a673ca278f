import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSoundItems, expectSoundOutcome, outcomeOf } from '../../test/fixtures/invoices/check-items.ts';
import { damagedXml } from '../../test/fixtures/invoices/mutate-xml.ts';
import { parseUbl } from './parse-ubl.ts';
import type { ImportItem, Problem } from './records.ts';
import { UnreadableFileError } from './records.ts';
import { checkClaim, checkDecimalAmount, checkTypeCode } from './validate.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/invoices/${name}`, import.meta.url), 'utf8');
const INVOICE = fixture('ubl-invoice.xml');
const CREDIT_NOTE = fixture('ubl-credit-note.xml');
const ctx = { file: 'peppol.xml', defaultCurrency: 'EUR' };

/** The fixture with one piece of text replaced; fails loudly if the piece is not there. */
function edit(xml: string, ...replacements: [string | RegExp, string][]): string {
  return replacements.reduce((doc, [from, to]) => {
    const next = doc.replace(from, to);
    if (next === doc) throw new Error(`fixture has no ${String(from)}`);
    return next;
  }, xml);
}

function record(xml: string) {
  const items = parseUbl(xml, ctx);
  const [item] = items;
  if (items.length !== 1 || item?.kind !== 'invoice') {
    throw new Error(`expected one invoice, got ${JSON.stringify(items, null, 1)}`);
  }
  return item;
}

function problems(xml: string): Problem[] {
  const items = parseUbl(xml, ctx);
  expect(items.every((i) => i.kind === 'problem')).toBe(true);
  return items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
}

function unreadable(xml: string): UnreadableFileError {
  try {
    parseUbl(xml, ctx);
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

describe('parseUbl: a PEPPOL BIS 3 invoice', () => {
  it('maps the document to one invoice with its buyer', () => {
    expect(parseUbl(INVOICE, ctx)).toEqual<ImportItem[]>([
      {
        kind: 'invoice',
        at: 'Invoice',
        invoice: {
          number: '2026/0412',
          type: 'invoice',
          customerRef: 'CLI-0042',
          issueDate: '2026-10-15',
          dueDate: '2026-11-14',
          currency: 'EUR',
          total: 134213,
          outstanding: 104213,
          poNumber: 'BC-2026-0981',
        },
        customer: {
          ref: 'CLI-0042',
          name: 'Boulangerie Dupont-Lambert SA',
          country: 'BE',
          legalId: '0876543270',
          vatId: 'BE0876543270',
          address: {
            lines: ['Rue Saint-Gilles 58', 'Zoning artisanal, bâtiment B'],
            postalCode: '4000',
            city: 'Liège',
            country: 'BE',
          },
          contacts: [
            {
              name: 'Sophie Lambert',
              email: 'comptabilite@dupont-lambert.be',
              phone: '+32 4 221 45 67',
              role: 'billing',
            },
          ],
        },
      },
    ]);
  });

  it('takes the total with VAT (BT-112) as total and the amount due after prepayment (BT-115) as outstanding', () => {
    const { invoice } = record(INVOICE);
    expect(invoice.total).toBe(134213);
    expect(invoice.outstanding).toBe(104213);
  });

  it('computes the amount due from the prepaid amount when PayableAmount is left out', () => {
    const xml = edit(INVOICE, [/<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>/, '']);
    expect(record(xml).invoice.outstanding).toBe(104213);
  });

  it('counts the rounding amount (BT-114) in the total', () => {
    const xml = edit(
      INVOICE,
      ['<cbc:PrepaidAmount currencyID="EUR">300.00</cbc:PrepaidAmount>', ''],
      [
        '<cbc:PayableAmount currencyID="EUR">1042.13</cbc:PayableAmount>',
        '<cbc:PayableRoundingAmount currencyID="EUR">-0.03</cbc:PayableRoundingAmount><cbc:PayableAmount currencyID="EUR">1342.10</cbc:PayableAmount>',
      ],
    );
    expect(record(xml).invoice).toMatchObject({ total: 134210, outstanding: 134210 });
  });

  it('reads the buyer from the party with an invoice-level due date', () => {
    expect(record(INVOICE).invoice.dueDate).toBe('2026-11-14');
  });

  it('takes the due date from PaymentMeans when there is no cbc:DueDate', () => {
    const xml = edit(
      INVOICE,
      ['<cbc:DueDate>2026-11-14</cbc:DueDate>', ''],
      [
        '<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>',
        '<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2026-11-20</cbc:PaymentDueDate>',
      ],
    );
    expect(record(xml).invoice.dueDate).toBe('2026-11-20');
  });

  it('takes the due date from PaymentTerms as a last resort', () => {
    const xml = edit(
      INVOICE,
      ['<cbc:DueDate>2026-11-14</cbc:DueDate>', ''],
      ['<cac:PaymentTerms>', '<cac:PaymentTerms><cbc:PaymentDueDate>2026-11-30</cbc:PaymentDueDate>'],
    );
    expect(record(xml).invoice.dueDate).toBe('2026-11-30');
  });

  it('reports an invoice with payment terms in words only, since there is no date to chase on', () => {
    const xml = edit(INVOICE, ['<cbc:DueDate>2026-11-14</cbc:DueDate>', '']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({ file: 'peppol.xml', at: 'Invoice/cbc:DueDate', field: 'due_date' }),
    ]);
  });

  it('lets a fully prepaid invoice without due date fall due on its issue date', () => {
    const xml = edit(
      INVOICE,
      ['<cbc:DueDate>2026-11-14</cbc:DueDate>', ''],
      [
        '<cbc:PrepaidAmount currencyID="EUR">300.00</cbc:PrepaidAmount>',
        '<cbc:PrepaidAmount currencyID="EUR">1342.13</cbc:PrepaidAmount>',
      ],
      [
        '<cbc:PayableAmount currencyID="EUR">1042.13</cbc:PayableAmount>',
        '<cbc:PayableAmount currencyID="EUR">0.00</cbc:PayableAmount>',
      ],
    );
    expect(record(xml).invoice).toMatchObject({ dueDate: '2026-10-15', outstanding: 0 });
  });

  it('reads dates that carry a time zone', () => {
    const xml = edit(INVOICE, [
      '<cbc:IssueDate>2026-10-15</cbc:IssueDate>',
      '<cbc:IssueDate>2026-10-15+02:00</cbc:IssueDate>',
    ]);
    expect(record(xml).invoice.issueDate).toBe('2026-10-15');
  });

  it('reports an impossible issue date', () => {
    const xml = edit(INVOICE, [
      '<cbc:IssueDate>2026-10-15</cbc:IssueDate>',
      '<cbc:IssueDate>2026-02-30</cbc:IssueDate>',
    ]);
    expect(problems(xml)).toEqual([
      {
        file: 'peppol.xml',
        at: 'Invoice/cbc:IssueDate',
        field: 'issue_date',
        message: 'expected a date as YYYY-MM-DD or DD/MM/YYYY, got "2026-02-30"',
      },
    ]);
  });

  it('treats InvoiceTypeCode 381 as a credit note and takes the invoice it corrects', () => {
    const xml = edit(
      INVOICE,
      ['<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', '<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>'],
      [
        '<cac:OrderReference>',
        '<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>2026/0388</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference><cac:OrderReference>',
      ],
    );
    expect(record(xml).invoice).toMatchObject({ type: 'credit_note', appliesTo: '2026/0388' });
  });

  it('keeps a corrected invoice (384) and a self-billed one (389) as invoices', () => {
    for (const code of ['384', '389']) {
      const xml = edit(INVOICE, [
        '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>',
        `<cbc:InvoiceTypeCode>${code}</cbc:InvoiceTypeCode>`,
      ]);
      expect(record(xml).invoice.type).toBe('invoice');
    }
  });

  it('refuses a pro-forma (325): it claims nothing', () => {
    const xml = edit(INVOICE, [
      '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>',
      '<cbc:InvoiceTypeCode>325</cbc:InvoiceTypeCode>',
    ]);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cbc:InvoiceTypeCode',
        field: 'type',
        message: expect.stringMatching(/pro-forma/),
      }),
    ]);
  });

  it('reports a negative invoice total: a credit comes as a credit note', () => {
    const xml = edit(
      INVOICE,
      [
        '<cbc:TaxInclusiveAmount currencyID="EUR">1342.13',
        '<cbc:TaxInclusiveAmount currencyID="EUR">-1342.13',
      ],
      ['<cbc:PrepaidAmount currencyID="EUR">300.00</cbc:PrepaidAmount>', ''],
      ['<cbc:PayableAmount currencyID="EUR">1042.13', '<cbc:PayableAmount currencyID="EUR">-1342.13'],
    );
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
        field: 'total',
        message: expect.stringMatching(/credit note/),
      }),
    ]);
  });

  it('reports an amount due larger than the total', () => {
    const xml = edit(INVOICE, [
      '<cbc:PayableAmount currencyID="EUR">1042.13',
      '<cbc:PayableAmount currencyID="EUR">2042.13',
    ]);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
        field: 'outstanding',
      }),
    ]);
  });

  it('reports a total written with a decimal comma: XML amounts use a point', () => {
    const xml = edit(INVOICE, [
      '<cbc:TaxInclusiveAmount currencyID="EUR">1342.13',
      '<cbc:TaxInclusiveAmount currencyID="EUR">1342,13',
    ]);
    expect(problems(xml)).toEqual([
      {
        file: 'peppol.xml',
        at: 'Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
        field: 'total',
        message: 'expected a decimal number with a point such as 1234.56, got "1342,13"',
      },
    ]);
  });

  it('reports a missing total', () => {
    const xml = edit(INVOICE, [/<cbc:TaxInclusiveAmount[^>]*>[^<]*<\/cbc:TaxInclusiveAmount>/, '']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
        field: 'total',
      }),
    ]);
  });

  it('reports an amount stated in another currency than the document', () => {
    const xml = edit(INVOICE, [
      '<cbc:TaxInclusiveAmount currencyID="EUR">',
      '<cbc:TaxInclusiveAmount currencyID="USD">',
    ]);
    expect(problems(xml)).toEqual([
      expect.objectContaining({ field: 'total', message: expect.stringMatching(/in EUR.*currencyID="USD"/) }),
    ]);
  });

  it('falls back on the currency the amounts are stated in, then on the organisation’s', () => {
    const noCode = edit(INVOICE, ['<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>', '']);
    expect(record(noCode).invoice.currency).toBe('EUR');
    const bare = noCode.replaceAll(' currencyID="EUR"', '');
    expect(parseUbl(bare, { file: 'f.xml', defaultCurrency: 'CHF' })).toMatchObject([
      { kind: 'invoice', invoice: { currency: 'CHF', total: 134213 } },
    ]);
  });

  it('reports a currency code that is not ISO 4217', () => {
    const xml = edit(INVOICE, ['<cbc:DocumentCurrencyCode>EUR<', '<cbc:DocumentCurrencyCode>EURO<']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({ at: 'Invoice/cbc:DocumentCurrencyCode', field: 'currency' }),
    ]);
  });

  it('reports a missing invoice number', () => {
    const xml = edit(INVOICE, ['<cbc:ID>2026/0412</cbc:ID>', '']);
    expect(problems(xml)).toEqual([expect.objectContaining({ at: 'Invoice/cbc:ID', field: 'number' })]);
  });

  it('reports every problem of a document at once, and yields no record for it', () => {
    const xml = edit(
      INVOICE,
      ['<cbc:ID>2026/0412</cbc:ID>', ''],
      ['<cbc:IssueDate>2026-10-15</cbc:IssueDate>', '<cbc:IssueDate>15 octobre</cbc:IssueDate>'],
      [
        '<cbc:IdentificationCode>BE</cbc:IdentificationCode>\n        </cac:Country>\n      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>BE0876543270',
        '<cbc:IdentificationCode>Belgique</cbc:IdentificationCode>\n        </cac:Country>\n      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>BE0876543270',
      ],
    );
    expect(problems(xml).map((p) => p.field)).toEqual(['number', 'issue_date', 'customer_country']);
  });
});

describe('parseUbl: the buyer', () => {
  const party = (xml: string) => record(xml).customer;

  it('prefers the account number the seller gave the buyer', () => {
    const xml = edit(INVOICE, [
      '<cac:AccountingCustomerParty>',
      '<cac:AccountingCustomerParty><cbc:SupplierAssignedAccountID>411DUPONT</cbc:SupplierAssignedAccountID>',
    ]);
    expect(party(xml).ref).toBe('411DUPONT');
  });

  it('falls back from the buyer identifier to the electronic address, the legal registration and the VAT number', () => {
    const noId = edit(INVOICE, [
      '<cac:PartyIdentification>\n        <cbc:ID>CLI-0042</cbc:ID>\n      </cac:PartyIdentification>',
      '',
    ]);
    expect(party(noId).ref).toBe('0876543270');
    const noEndpoint = edit(noId, ['<cbc:EndpointID schemeID="0208">0876543270</cbc:EndpointID>', '']);
    expect(party(noEndpoint).ref).toBe('0876543270');
    const noLegal = edit(noEndpoint, ['<cbc:CompanyID schemeID="0208">0876543270</cbc:CompanyID>', '']);
    expect(party(noLegal)).toMatchObject({ ref: 'BE0876543270', vatId: 'BE0876543270' });
    expect(party(noLegal).legalId).toBeUndefined();
  });

  it('reports a buyer with no identifier at all', () => {
    const xml = edit(
      INVOICE,
      ['<cac:PartyIdentification>\n        <cbc:ID>CLI-0042</cbc:ID>\n      </cac:PartyIdentification>', ''],
      ['<cbc:EndpointID schemeID="0208">0876543270</cbc:EndpointID>', ''],
      ['<cbc:CompanyID schemeID="0208">0876543270</cbc:CompanyID>', ''],
      ['<cbc:CompanyID>BE0876543270</cbc:CompanyID>', ''],
    );
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID',
        field: 'customer_ref',
      }),
    ]);
  });

  it('takes the trading name when there is no registration name', () => {
    const xml = edit(INVOICE, [
      '<cbc:RegistrationName>Boulangerie Dupont-Lambert SA</cbc:RegistrationName>',
      '',
    ]);
    expect(party(xml).name).toBe('Boulangerie Dupont-Lambert');
  });

  it('reports a buyer without a country (BT-55 is mandatory)', () => {
    const xml = edit(INVOICE, [
      '<cbc:CountrySubentity>Liège</cbc:CountrySubentity>\n        <cac:Country>\n          <cbc:IdentificationCode>BE</cbc:IdentificationCode>\n        </cac:Country>',
      '',
    ]);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode',
        field: 'customer_country',
      }),
    ]);
  });

  it('reports a missing buyer', () => {
    const start = INVOICE.indexOf('<cac:AccountingCustomerParty>');
    const end = INVOICE.indexOf('</cac:AccountingCustomerParty>') + '</cac:AccountingCustomerParty>'.length;
    const xml = INVOICE.slice(0, start) + INVOICE.slice(end);
    expect(problems(xml)).toEqual([
      expect.objectContaining({ at: 'Invoice/cac:AccountingCustomerParty/cac:Party', field: 'customer_ref' }),
    ]);
  });

  it('adds an electronic address of scheme EM as an email contact', () => {
    const xml = edit(INVOICE, [
      '<cbc:EndpointID schemeID="0208">0876543270</cbc:EndpointID>\n      <cac:PartyIdentification>',
      '<cbc:EndpointID schemeID="EM">factures@dupont-lambert.be</cbc:EndpointID>\n      <cac:PartyIdentification>',
    ]);
    expect(party(xml).contacts).toEqual([
      {
        name: 'Sophie Lambert',
        email: 'comptabilite@dupont-lambert.be',
        phone: '+32 4 221 45 67',
        role: 'billing',
      },
      { email: 'factures@dupont-lambert.be', role: 'billing' },
    ]);
  });

  it('makes one contact of each address in an email field', () => {
    const xml = edit(INVOICE, [
      'comptabilite@dupont-lambert.be<',
      'comptabilite@dupont-lambert.be; s.lambert@dupont-lambert.be<',
    ]);
    expect(party(xml).contacts.map((c) => c.email)).toEqual([
      'comptabilite@dupont-lambert.be',
      's.lambert@dupont-lambert.be',
    ]);
  });

  it('reports an invalid contact email', () => {
    const xml = edit(INVOICE, ['comptabilite@dupont-lambert.be<', 'comptabilite at dupont-lambert<']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'Invoice/cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail',
        field: 'contact_email',
      }),
    ]);
  });
});

describe('parseUbl: a credit note', () => {
  it('maps a CreditNote with any prefixes, the invoice it corrects, and its issue date as due date', () => {
    expect(parseUbl(CREDIT_NOTE, ctx)).toEqual([
      {
        kind: 'invoice',
        at: 'ubl:CreditNote',
        invoice: {
          number: 'AV-2026/0031',
          type: 'credit_note',
          customerRef: 'CLI-0042',
          issueDate: '2026-10-22',
          dueDate: '2026-10-22',
          currency: 'EUR',
          total: 8295,
          outstanding: 8295,
          appliesTo: '2026/0412',
        },
        customer: {
          ref: 'CLI-0042',
          name: 'Boulangerie Dupont-Lambert SA',
          country: 'BE',
          vatId: 'BE0876543270',
          address: { lines: ['Rue Saint-Gilles 58'], postalCode: '4000', city: 'Liège', country: 'BE' },
          contacts: [],
        },
      },
    ]);
  });

  it('turns a credit note written with negative amounts positive', () => {
    const xml = CREDIT_NOTE.replace(
      '>82.95</b:TaxInclusiveAmount>',
      '>-82.95</b:TaxInclusiveAmount>',
    ).replace('>82.95</b:PayableAmount>', '>-82.95</b:PayableAmount>');
    expect(record(xml).invoice).toMatchObject({ total: 8295, outstanding: 8295 });
  });

  it('reads a PaymentDueDate when the credit note gives one', () => {
    const xml = edit(CREDIT_NOTE, [
      '<b:PaymentMeansCode>30</b:PaymentMeansCode>',
      '<b:PaymentMeansCode>30</b:PaymentMeansCode><b:PaymentDueDate>2026-11-05</b:PaymentDueDate>',
    ]);
    expect(record(xml).invoice.dueDate).toBe('2026-11-05');
  });
});

describe('parseUbl: files it cannot read', () => {
  it('refuses a root element that is neither Invoice nor CreditNote', () => {
    const error = unreadable(
      '<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
    );
    expect(error.problem).toEqual({
      file: 'peppol.xml',
      at: 'Order',
      message: 'expected a UBL 2.1 Invoice or CreditNote, but the root element is Order',
    });
  });

  it('refuses an Invoice outside the UBL namespace', () => {
    expect(unreadable('<Invoice><ID>1</ID></Invoice>').message).toMatch(
      /UBL 2.1 namespace .* found no namespace/,
    );
  });

  it('refuses a truncated file, naming the line', () => {
    const error = unreadable(INVOICE.slice(0, INVOICE.indexOf('<cac:InvoiceLine>')));
    expect(error.problem.at).toMatch(/^line \d+$/);
    expect(error.message).toMatch(/the file ends before element Invoice is closed/);
  });

  it('refuses a DOCTYPE with entities', () => {
    const xml = INVOICE.replace(
      '<Invoice ',
      '<!DOCTYPE Invoice [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<Invoice ',
    );
    expect(unreadable(xml).message).toMatch(/DOCTYPE declares entities/);
  });
});

describe('parseUbl: whatever the input', () => {
  it('never throws anything but UnreadableFileError on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        expectSoundOutcome(
          outcomeOf(() => parseUbl(input, ctx)),
          ctx.file,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('yields complete records or problems from damaged invoices and credit notes', () => {
    fc.assert(
      fc.property(fc.oneof(damagedXml(INVOICE), damagedXml(CREDIT_NOTE)), (xml) => {
        expectSoundOutcome(
          outcomeOf(() => parseUbl(xml, ctx)),
          ctx.file,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('reads both fixtures as sound records', () => {
    expectSoundItems(parseUbl(INVOICE, ctx), ctx.file);
    expectSoundItems(parseUbl(CREDIT_NOTE, ctx), ctx.file);
  });
});

describe('checks added for e-invoices', () => {
  it('reads xsd:decimal amounts strictly: a point, never a thousands separator', () => {
    expect(checkDecimalAmount('1342.13', 'EUR')).toEqual({ ok: true, value: 134213 });
    expect(checkDecimalAmount('-82.95', 'EUR')).toEqual({ ok: true, value: -8295 });
    expect(checkDecimalAmount('100.000', 'EUR')).toEqual({ ok: true, value: 10000 });
    expect(checkDecimalAmount('.5', 'EUR')).toEqual({ ok: true, value: 50 });
    expect(checkDecimalAmount('1500', 'JPY')).toEqual({ ok: true, value: 1500 });
    expect(checkDecimalAmount('1.234', 'EUR')).toEqual({
      ok: false,
      reason: '"1.234" has more decimals than EUR allows (2)',
    });
    expect(checkDecimalAmount('1.234', 'BHD')).toEqual({ ok: true, value: 1234 });
    expect(checkDecimalAmount('1 342.13', 'EUR').ok).toBe(false);
    expect(checkDecimalAmount('1,342.13', 'EUR').ok).toBe(false);
    expect(checkDecimalAmount('.', 'EUR').ok).toBe(false);
    expect(checkDecimalAmount('1e3', 'EUR').ok).toBe(false);
  });

  it('keeps total and amount due within the ledger’s rules', () => {
    expect(checkClaim('credit_note', -8295, -8295, 'EUR')).toEqual({
      ok: true,
      total: 8295,
      outstanding: 8295,
    });
    expect(checkClaim('invoice', -100, -100, 'EUR')).toMatchObject({ ok: false, field: 'total' });
    expect(checkClaim('invoice', 100, 101, 'EUR')).toMatchObject({ ok: false, field: 'outstanding' });
    expect(checkClaim('invoice', 100, -1, 'EUR')).toMatchObject({ ok: false, field: 'outstanding' });
    expect(checkClaim('invoice', 0, 0, 'EUR')).toEqual({ ok: true, total: 0, outstanding: 0 });
  });

  it('maps UNTDID 1001 type codes to invoice or credit note', () => {
    expect(checkTypeCode('380')).toEqual({ ok: true, value: 'invoice' });
    expect(checkTypeCode('384')).toEqual({ ok: true, value: 'invoice' });
    expect(checkTypeCode('389')).toEqual({ ok: true, value: 'invoice' });
    expect(checkTypeCode('381')).toEqual({ ok: true, value: 'credit_note' });
    expect(checkTypeCode('261')).toEqual({ ok: true, value: 'credit_note' });
    expect(checkTypeCode('396')).toEqual({ ok: true, value: 'credit_note' });
    expect(checkTypeCode('325').ok).toBe(false);
    expect(checkTypeCode('invoice').ok).toBe(false);
  });
});
