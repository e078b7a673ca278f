import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSoundItems, expectSoundOutcome, outcomeOf } from '../../test/fixtures/invoices/check-items.ts';
import { damagedXml } from '../../test/fixtures/invoices/mutate-xml.ts';
import { parseCii } from './parse-cii.ts';
import type { Problem } from './records.ts';
import { UnreadableFileError } from './records.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/invoices/${name}`, import.meta.url), 'utf8');
const INVOICE = fixture('cii-invoice.xml');
const CREDIT_NOTE = fixture('cii-credit-note.xml');
const ctx = { file: 'factur-x.xml', defaultCurrency: 'EUR' };

const SETTLEMENT =
  'rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement';
const BUYER =
  'rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty';

function edit(xml: string, ...replacements: [string | RegExp, string][]): string {
  return replacements.reduce((doc, [from, to]) => {
    const next = doc.replace(from, to);
    if (next === doc) throw new Error(`fixture has no ${String(from)}`);
    return next;
  }, xml);
}

function record(xml: string) {
  const items = parseCii(xml, ctx);
  const [item] = items;
  if (items.length !== 1 || item?.kind !== 'invoice') {
    throw new Error(`expected one invoice, got ${JSON.stringify(items, null, 1)}`);
  }
  return item;
}

function problems(xml: string): Problem[] {
  const items = parseCii(xml, ctx);
  expect(items.every((i) => i.kind === 'problem')).toBe(true);
  return items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
}

function unreadable(xml: string): UnreadableFileError {
  try {
    parseCii(xml, ctx);
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

const withTypeCode = (code: string) =>
  edit(INVOICE, ['<ram:TypeCode>380</ram:TypeCode>', `<ram:TypeCode>${code}</ram:TypeCode>`]);

describe('parseCii: an EN 16931 invoice', () => {
  it('maps the document to one invoice with its buyer', () => {
    expect(parseCii(INVOICE, ctx)).toEqual([
      {
        kind: 'invoice',
        at: 'rsm:CrossIndustryInvoice',
        invoice: {
          number: 'FA-2026-00317',
          type: 'invoice',
          customerRef: 'C-10077',
          issueDate: '2026-10-28',
          dueDate: '2026-11-30',
          currency: 'EUR',
          total: 480500,
          outstanding: 480500,
          poNumber: '4500012345',
        },
        customer: {
          ref: 'C-10077',
          name: 'Müller Maschinenbau GmbH',
          country: 'DE',
          legalId: 'HRB 723456',
          vatId: 'DE812345673',
          address: {
            lines: ['Industriestraße 12', 'Halle 3'],
            postalCode: '70565',
            city: 'Stuttgart',
            country: 'DE',
          },
          contacts: [
            {
              name: 'Jana Weber',
              email: 'buchhaltung@mueller-maschinenbau.de',
              phone: '+49 711 123456-0',
              role: 'billing',
            },
            { email: 'rechnungseingang@mueller-maschinenbau.de', role: 'billing' },
          ],
        },
      },
    ]);
  });

  it('takes DuePayableAmount (BT-115) as outstanding, below the grand total after a prepayment', () => {
    const xml = edit(
      INVOICE,
      [
        '<ram:TotalPrepaidAmount>0.00</ram:TotalPrepaidAmount>',
        '<ram:TotalPrepaidAmount>1000.00</ram:TotalPrepaidAmount>',
      ],
      [
        '<ram:DuePayableAmount>4805.00</ram:DuePayableAmount>',
        '<ram:DuePayableAmount>3805.00</ram:DuePayableAmount>',
      ],
    );
    expect(record(xml).invoice).toMatchObject({ total: 480500, outstanding: 380500 });
  });

  it('counts the rounding amount (BT-114) in the total', () => {
    const xml = edit(
      INVOICE,
      [
        '<ram:TotalPrepaidAmount>0.00</ram:TotalPrepaidAmount>',
        '<ram:RoundingAmount>0.02</ram:RoundingAmount>',
      ],
      [
        '<ram:DuePayableAmount>4805.00</ram:DuePayableAmount>',
        '<ram:DuePayableAmount>4805.02</ram:DuePayableAmount>',
      ],
    );
    expect(record(xml).invoice).toMatchObject({ total: 480502, outstanding: 480502 });
  });

  it('treats 384 (corrected) and 389 (self-billed) as invoices, 381 and 261 as credit notes', () => {
    expect(record(withTypeCode('384')).invoice.type).toBe('invoice');
    expect(record(withTypeCode('389')).invoice.type).toBe('invoice');
    expect(record(withTypeCode('381')).invoice.type).toBe('credit_note');
    expect(record(withTypeCode('261')).invoice.type).toBe('credit_note');
  });

  it('refuses a pro-forma (325)', () => {
    expect(problems(withTypeCode('325'))).toEqual([
      expect.objectContaining({
        at: 'rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode',
        field: 'type',
      }),
    ]);
  });

  it('reads dates in format 102 and reports any other', () => {
    expect(record(INVOICE).invoice.issueDate).toBe('2026-10-28');
    const iso = edit(INVOICE, [
      '<udt:DateTimeString format="102">20261028</udt:DateTimeString>',
      '<udt:DateTimeString format="102">2026-10-28</udt:DateTimeString>',
    ]);
    expect(problems(iso)).toEqual([
      {
        file: 'factur-x.xml',
        at: 'rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString',
        field: 'issue_date',
        message: 'expected a date as YYYYMMDD with format="102", got "2026-10-28"',
      },
    ]);
    const month = edit(INVOICE, [
      '<udt:DateTimeString format="102">20261130</udt:DateTimeString>',
      '<udt:DateTimeString format="610">202611</udt:DateTimeString>',
    ]);
    expect(problems(month)).toEqual([
      expect.objectContaining({ field: 'due_date', message: expect.stringMatching(/format="610"/) }),
    ]);
    const impossible = edit(INVOICE, ['>20261130<', '>20261131<']);
    expect(problems(impossible)).toEqual([
      expect.objectContaining({ field: 'due_date', message: '"20261131" is not a calendar date (YYYYMMDD)' }),
    ]);
  });

  it('reports an invoice without a due date', () => {
    const xml = edit(INVOICE, [/<ram:DueDateDateTime>[\s\S]*?<\/ram:DueDateDateTime>/, '']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: `${SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString`,
        field: 'due_date',
      }),
    ]);
  });

  it('falls back on the grand total’s currencyID, then on the organisation’s currency', () => {
    const noCode = edit(INVOICE, ['<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>', '']);
    expect(parseCii(noCode, { file: 'f.xml', defaultCurrency: 'CHF' })).toMatchObject([
      { kind: 'invoice', invoice: { currency: 'CHF' } },
    ]);
    const stated = edit(noCode, ['<ram:GrandTotalAmount>', '<ram:GrandTotalAmount currencyID="EUR">']);
    expect(parseCii(stated, { file: 'f.xml', defaultCurrency: 'CHF' })).toMatchObject([
      { kind: 'invoice', invoice: { currency: 'EUR' } },
    ]);
  });

  it('reports a grand total in another currency than the invoice', () => {
    const xml = edit(INVOICE, ['<ram:GrandTotalAmount>', '<ram:GrandTotalAmount currencyID="USD">']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: `${SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount`,
        field: 'total',
      }),
    ]);
  });

  it('reports a grand total that is not a decimal number', () => {
    const xml = edit(INVOICE, ['<ram:GrandTotalAmount>4805.00', '<ram:GrandTotalAmount>4 805,00']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({ field: 'total', message: expect.stringMatching(/decimal number/) }),
    ]);
  });

  it('reports a missing invoice number', () => {
    const xml = edit(INVOICE, ['<ram:ID>FA-2026-00317</ram:ID>', '']);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: 'rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID',
        field: 'number',
      }),
    ]);
  });

  it('reports a missing settlement', () => {
    const xml = edit(INVOICE, [
      /<ram:ApplicableHeaderTradeSettlement>[\s\S]*<\/ram:ApplicableHeaderTradeSettlement>/,
      '',
    ]);
    expect(problems(xml)).toEqual([expect.objectContaining({ field: 'total' })]);
  });
});

describe('parseCii: the buyer', () => {
  const buyer = (xml: string) => record(xml).customer;
  const noId = edit(INVOICE, ['<ram:ID>C-10077</ram:ID>', '']);

  it('falls back from ID to GlobalID, the electronic address, the legal registration and the VAT number', () => {
    expect(buyer(noId).ref).toBe('4012345000009');
    const noGlobal = edit(noId, ['<ram:GlobalID schemeID="0088">4012345000009</ram:GlobalID>', '']);
    expect(buyer(noGlobal).ref).toBe('rechnungseingang@mueller-maschinenbau.de');
    const noUri = edit(noGlobal, [
      '<ram:URIID schemeID="EM">rechnungseingang@mueller-maschinenbau.de</ram:URIID>',
      '',
    ]);
    expect(buyer(noUri).ref).toBe('HRB 723456');
    const noLegal = edit(noUri, ['<ram:ID>HRB 723456</ram:ID>', '']);
    expect(buyer(noLegal).ref).toBe('DE812345673');
  });

  it('takes only a registration of scheme VA as the VAT number', () => {
    const xml = edit(INVOICE, [
      '<ram:ID schemeID="VA">DE812345673</ram:ID>',
      '<ram:ID schemeID="FC">99015/12345</ram:ID>',
    ]);
    expect(buyer(xml).vatId).toBeUndefined();
  });

  it('reports a buyer with no identifier at all', () => {
    const xml = edit(
      noId,
      ['<ram:GlobalID schemeID="0088">4012345000009</ram:GlobalID>', ''],
      ['<ram:URIID schemeID="EM">rechnungseingang@mueller-maschinenbau.de</ram:URIID>', ''],
      ['<ram:ID>HRB 723456</ram:ID>', ''],
      ['<ram:ID schemeID="VA">DE812345673</ram:ID>', ''],
    );
    expect(problems(xml)).toEqual([
      expect.objectContaining({ at: `${BUYER}/ram:ID`, field: 'customer_ref' }),
    ]);
  });

  it('reports a buyer without a name or a valid country', () => {
    const xml = edit(
      INVOICE,
      ['<ram:Name>Müller Maschinenbau GmbH</ram:Name>', ''],
      ['<ram:CountryID>DE</ram:CountryID>', '<ram:CountryID>Deutschland</ram:CountryID>'],
    );
    expect(problems(xml)).toEqual([
      expect.objectContaining({ at: `${BUYER}/ram:Name`, field: 'customer_name' }),
      expect.objectContaining({
        at: `${BUYER}/ram:PostalTradeAddress/ram:CountryID`,
        field: 'customer_country',
      }),
    ]);
  });

  it('keeps an electronic address of another scheme out of the contacts', () => {
    const xml = edit(INVOICE, [
      '<ram:URIID schemeID="EM">rechnungseingang@mueller-maschinenbau.de</ram:URIID>',
      '<ram:URIID schemeID="0204">991-12345-67</ram:URIID>',
    ]);
    expect(buyer(xml).contacts.map((c) => c.email)).toEqual(['buchhaltung@mueller-maschinenbau.de']);
  });

  it('reports an invalid contact email', () => {
    const xml = edit(INVOICE, [
      '<ram:URIID>buchhaltung@mueller-maschinenbau.de</ram:URIID>',
      '<ram:URIID>buchhaltung(at)mueller</ram:URIID>',
    ]);
    expect(problems(xml)).toEqual([
      expect.objectContaining({
        at: `${BUYER}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID`,
        field: 'contact_email',
      }),
    ]);
  });
});

describe('parseCii: a credit note', () => {
  it('maps a 381 with the invoice it corrects and its issue date as due date', () => {
    expect(record(CREDIT_NOTE).invoice).toEqual({
      number: 'AV-2026-00022',
      type: 'credit_note',
      customerRef: 'C-10077',
      issueDate: '2026-11-05',
      dueDate: '2026-11-05',
      currency: 'EUR',
      total: 8500,
      outstanding: 8500,
      appliesTo: 'FA-2026-00317',
    });
  });

  it('turns negative amounts positive', () => {
    const xml = edit(
      CREDIT_NOTE,
      ['<ram:GrandTotalAmount>85.00', '<ram:GrandTotalAmount>-85.00'],
      ['<ram:DuePayableAmount>85.00', '<ram:DuePayableAmount>-85.00'],
    );
    expect(record(xml).invoice).toMatchObject({ total: 8500, outstanding: 8500 });
  });

  it('leaves appliesTo out of a corrected invoice (384) that refers to the one it replaces', () => {
    const xml = edit(
      CREDIT_NOTE,
      ['<ram:TypeCode>381</ram:TypeCode>', '<ram:TypeCode>384</ram:TypeCode>'],
      [
        '<ram:SpecifiedTradeSettlementHeaderMonetarySummation>',
        '<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">20261205</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms><ram:SpecifiedTradeSettlementHeaderMonetarySummation>',
      ],
    );
    const { invoice } = record(xml);
    expect(invoice).toMatchObject({ type: 'invoice', dueDate: '2026-12-05' });
    expect(invoice.appliesTo).toBeUndefined();
  });
});

describe('parseCii: files it cannot read', () => {
  it('refuses ZUGFeRD 1.0, naming it', () => {
    const xml =
      '<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"><rsm:HeaderExchangedDocument/></rsm:CrossIndustryDocument>';
    expect(unreadable(xml).message).toMatch(/ZUGFeRD 1\.0 \(CrossIndustryDocument\) is not supported/);
  });

  it('refuses a UBL invoice', () => {
    const ubl = fixture('ubl-invoice.xml');
    expect(unreadable(ubl).problem).toMatchObject({
      at: 'Invoice',
      message: 'expected a UN/CEFACT CrossIndustryInvoice, but the root element is Invoice',
    });
  });

  it('refuses a CrossIndustryInvoice in another namespace', () => {
    expect(unreadable('<CrossIndustryInvoice xmlns="urn:example"/>').message).toMatch(
      /found namespace urn:example/,
    );
  });

  it('refuses a truncated file', () => {
    const error = unreadable(INVOICE.slice(0, INVOICE.indexOf('<ram:ApplicableHeaderTradeAgreement>') + 10));
    expect(error.problem.at).toMatch(/^line \d+$/);
  });
});

describe('parseCii: whatever the input', () => {
  it('never throws anything but UnreadableFileError on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        expectSoundOutcome(
          outcomeOf(() => parseCii(input, ctx)),
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
          outcomeOf(() => parseCii(xml, ctx)),
          ctx.file,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('reads both fixtures as sound records', () => {
    expectSoundItems(parseCii(INVOICE, ctx), ctx.file);
    expectSoundItems(parseCii(CREDIT_NOTE, ctx), ctx.file);
  });
});
