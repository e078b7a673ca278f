import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInvoiceJson } from './parse-json.ts';
import { UnreadableFileError } from './records.ts';

const ctx = { file: 'f.json', defaultCurrency: 'EUR' };

describe('the JSON invoice form', () => {
  it('takes an invoice that names its customer by ref when the file lists that customer', () => {
    const items = parseInvoiceJson(
      JSON.stringify({
        customers: [
          { ref: 'C1', name: 'Alpha', country: 'fr', contacts: [{ email: 'a@alpha.fr', language: 'FR' }] },
        ],
        invoices: [
          { number: 'F-1', customerRef: 'C1', issueDate: '2026-10-01', dueDate: '01/11/2026', total: 12.5 },
        ],
      }),
      ctx,
    );
    expect(items[1]).toMatchObject({
      kind: 'invoice',
      customer: { ref: 'C1', country: 'FR', contacts: [{ email: 'a@alpha.fr', language: 'fr' }] },
      invoice: { number: 'F-1', dueDate: '2026-11-01', total: 1250, currency: 'EUR' },
    });
  });

  it('names the element and field of every problem', () => {
    const items = parseInvoiceJson(
      JSON.stringify({
        customers: [{ ref: 'C1', name: 'Alpha', country: 'Frankreich' }],
        invoices: [
          { number: 'F-1', customerRef: 'C9', issueDate: '2026-10-01', dueDate: '2026-11-01', total: '12' },
        ],
      }),
      ctx,
    );
    expect(
      items
        .filter((i) => i.kind === 'problem')
        .map((i) => (i.kind === 'problem' ? `${i.problem.at} ${i.problem.field}` : '')),
    ).toEqual([
      'customers[0] country',
      'invoices[0] customer_name (client)',
      'invoices[0] customer_country (pays)',
    ]);
  });

  it('refuses what is not the expected document', () => {
    expect(() => parseInvoiceJson('{"invoices": 3}', ctx)).toThrow(UnreadableFileError);
    expect(() => parseInvoiceJson('[1,2', ctx)).toThrow(/not valid JSON/);
  });

  it('never crashes on random JSON values', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(
          fc.dictionary(
            fc.constantFrom(
              'number',
              'customerRef',
              'customerName',
              'customerCountry',
              'issueDate',
              'dueDate',
              'total',
              'outstanding',
              'type',
            ),
            fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)),
          ),
        ),
        (value, invoices) => {
          for (const text of [JSON.stringify(value), JSON.stringify({ invoices })]) {
            try {
              for (const item of parseInvoiceJson(text, ctx)) {
                if (item.kind === 'invoice')
                  expect(item.invoice.outstanding).toBeLessThanOrEqual(item.invoice.total);
              }
            } catch (error) {
              expect(error).toBeInstanceOf(UnreadableFileError);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
