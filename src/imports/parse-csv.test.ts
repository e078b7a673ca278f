import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseInvoiceCsv } from './parse-csv.ts';
import { type ImportItem, UnreadableFileError } from './records.ts';

const ctx = { file: 'f.csv', defaultCurrency: 'EUR' };

async function parse(text: string | Buffer, chunkSize = 7): Promise<ImportItem[]> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const items: ImportItem[] = [];
  for await (const item of parseInvoiceCsv(Readable.from(chunks), ctx)) items.push(item);
  return items;
}

const HEADER = 'number,customer_ref,customer_name,customer_country,issue_date,due_date,total';

describe('the invoice CSV', () => {
  it('picks the separator the header uses', () => {
    expect(detectDelimiter('numero;client;"a,b";montant_ttc')).toBe(';');
    expect(detectDelimiter('number,customer')).toBe(',');
    expect(detectDelimiter('number\tcustomer\ttotal')).toBe('\t');
  });

  it('reads a value split across stream chunks, including a multi-byte character', async () => {
    const [item] = await parse(
      `${HEADER}\nF-1,C1,Société Générale d'Électricité,FR,2026-10-01,2026-10-31,"1,234.50"\n`,
      3,
    );
    expect(item).toMatchObject({
      kind: 'invoice',
      customer: { name: "Société Générale d'Électricité" },
      invoice: { total: 123450 },
    });
  });

  it('accepts headers in any case, with accents, and CRLF line ends', async () => {
    const items = await parse(
      'NUMÉRO;Ref Client;CLIENT;Pays;Date Facture;Échéance;Montant TTC\r\nF-1;C1;A;fr;01/10/2026;31/10/2026;10,00\r\n',
    );
    expect(items).toMatchObject([
      { kind: 'invoice', invoice: { number: 'F-1', dueDate: '2026-10-31', total: 1000 } },
    ]);
  });

  it('takes a negative amount without a type as a credit note', async () => {
    const [item] = await parse(`${HEADER}\nAV-1,C1,A,FR,2026-10-01,2026-10-01,-50\n`);
    expect(item).toMatchObject({ invoice: { type: 'credit_note', total: 5000, outstanding: 5000 } });
  });

  it('refuses an outstanding amount larger than the total', async () => {
    const items = await parse(`${HEADER},outstanding\nF-1,C1,A,FR,2026-10-01,2026-10-31,50,80\n`);
    expect(items).toMatchObject([
      { kind: 'problem', problem: { at: 'line 2', field: 'outstanding (reste_du)' } },
    ]);
  });

  it('names a row with more fields than the header', async () => {
    const items = await parse(`${HEADER}\nF-1,C1,A,FR,2026-10-01,2026-10-31,12,50\n`);
    expect(items).toMatchObject([
      { kind: 'problem', problem: { at: 'line 2', message: expect.stringMatching(/expected 7 fields/) } },
    ]);
  });

  it('skips blank lines and keeps counting them', async () => {
    const items = await parse(
      `${HEADER}\n\nF-1,C1,A,FR,2026-10-01,2026-10-31,12\n\nF-2,,A,FR,2026-10-01,2026-10-31,12\n`,
    );
    expect(
      items.map((i) => (i.kind === 'problem' ? i.problem.at : i.kind === 'invoice' ? i.at : '')),
    ).toEqual(['line 3', 'line 5']);
  });

  it('refuses an empty file', async () => {
    await expect(parse('')).rejects.toThrow(UnreadableFileError);
  });

  it('never crashes on random input: only records, problems or an unreadable-file error', async () => {
    const row = fc
      .array(
        fc.oneof(fc.string(), fc.constantFrom('2026-10-01', '01/10/2026', '12,50', 'FR', '"a;b"', '', '"')),
        {
          minLength: 0,
          maxLength: 9,
        },
      )
      .map((cells) => cells.join(fc.sample(fc.constantFrom(',', ';'), 1)[0]));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), fc.boolean(), async (rows, withHeader) => {
        const text = `${withHeader ? `${HEADER}\n` : ''}${rows.join('\n')}`;
        try {
          const items = await parse(text, 5);
          for (const item of items) {
            if (item.kind === 'invoice') {
              expect(item.invoice.total).toBeGreaterThanOrEqual(0);
              expect(item.invoice.outstanding).toBeLessThanOrEqual(item.invoice.total);
              expect(item.invoice.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            } else if (item.kind === 'problem') {
              expect(item.problem.message.length).toBeGreaterThan(0);
            }
          }
        } catch (error) {
          expect(error).toBeInstanceOf(UnreadableFileError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never crashes on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        try {
          await parse(Buffer.from(bytes), 11);
        } catch (error) {
          expect(error).toBeInstanceOf(UnreadableFileError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
