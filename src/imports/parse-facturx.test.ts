import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { asyncOutcomeOf, expectSoundOutcome } from '../../test/fixtures/invoices/check-items.ts';
import { buildFacturX, INVOICE_LINES } from '../../test/fixtures/invoices/make-facturx.ts';
import { parseCii } from './parse-cii.ts';
import { parseFacturX } from './parse-facturx.ts';
import { parseUbl } from './parse-ubl.ts';
import { UnreadableFileError } from './records.ts';

const fixtureUrl = (name: string) => new URL(`../../test/fixtures/invoices/${name}`, import.meta.url);
const PDF = new Uint8Array(readFileSync(fixtureUrl('facturx-invoice.pdf')));
const CII = readFileSync(fixtureUrl('cii-invoice.xml'), 'utf8');
const UBL = readFileSync(fixtureUrl('ubl-invoice.xml'), 'utf8');
const ctx = { file: 'FA-2026-00317.pdf', defaultCurrency: 'EUR' };

async function unreadable(pdf: Uint8Array): Promise<UnreadableFileError> {
  try {
    await parseFacturX(pdf, ctx);
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

/** Loads a PDF, lets `change` rework its catalog, saves it again. */
async function rework(pdf: Uint8Array, change: (doc: PDFDocument) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  change(doc);
  return doc.save({ useObjectStreams: false });
}

describe('parseFacturX', () => {
  it('reads the committed fixture as the CII it carries', async () => {
    expect(await parseFacturX(PDF, ctx)).toEqual(parseCii(CII, ctx));
    expect(await parseFacturX(PDF, ctx)).toMatchObject([
      { kind: 'invoice', invoice: { number: 'FA-2026-00317', total: 480500 }, customer: { ref: 'C-10077' } },
    ]);
  });

  it('builds the committed fixture reproducibly from its script', async () => {
    expect(await buildFacturX(CII, { lines: INVOICE_LINES })).toEqual(PDF);
  });

  it('accepts the ZUGFeRD 2.x attachment names, whatever their case', async () => {
    for (const name of ['zugferd-invoice.xml', 'ZUGFeRD-invoice.xml', 'Factur-X.xml']) {
      const pdf = await buildFacturX(CII, { attachmentName: name });
      expect(await parseFacturX(pdf, ctx)).toMatchObject([
        { kind: 'invoice', invoice: { number: 'FA-2026-00317' } },
      ]);
    }
  });

  it('reads an XRechnung in UBL attached as xrechnung.xml', async () => {
    const pdf = await buildFacturX(UBL, { attachmentName: 'xrechnung.xml' });
    expect(await parseFacturX(pdf, ctx)).toEqual(parseUbl(UBL, ctx));
  });

  it('finds the XML through /AF alone, without a name tree', async () => {
    const pdf = await rework(PDF, (doc) => doc.catalog.delete(PDFName.of('Names')));
    expect(await parseFacturX(pdf, ctx)).toMatchObject([{ kind: 'invoice' }]);
  });

  it('finds the XML through the name tree alone, without /AF', async () => {
    const pdf = await rework(PDF, (doc) => doc.catalog.delete(PDFName.of('AF')));
    expect(await parseFacturX(pdf, ctx)).toMatchObject([{ kind: 'invoice' }]);
  });

  it('walks a name tree split into kids', async () => {
    const pdf = await rework(PDF, (doc) => {
      doc.catalog.delete(PDFName.of('AF'));
      const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict);
      const tree = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict);
      const pairs = tree.lookup(PDFName.of('Names'), PDFArray);
      const leaf = doc.context.obj({ Limits: [PDFString.of('factur-x.xml'), PDFString.of('factur-x.xml')] });
      leaf.set(PDFName.of('Names'), pairs);
      const middle = doc.context.obj({});
      middle.set(PDFName.of('Kids'), doc.context.obj([doc.context.register(leaf)]));
      names.set(PDFName.of('EmbeddedFiles'), doc.context.obj({ Kids: [doc.context.register(middle)] }));
    });
    expect(await parseFacturX(pdf, ctx)).toMatchObject([{ kind: 'invoice' }]);
  });

  it('survives a name tree whose kids loop back on themselves', async () => {
    const pdf = await rework(PDF, (doc) => {
      doc.catalog.delete(PDFName.of('AF'));
      const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict);
      const loop = doc.context.obj({});
      const ref = doc.context.register(loop);
      loop.set(PDFName.of('Kids'), doc.context.obj([ref]));
      names.set(PDFName.of('EmbeddedFiles'), ref);
    });
    expect((await unreadable(pdf)).message).toMatch(/no Factur-X\/ZUGFeRD XML attached to this PDF/);
  });

  it('refuses a PDF without the invoice XML', async () => {
    const error = await unreadable(await buildFacturX(CII, { attachmentName: '' }));
    expect(error.problem).toEqual({
      file: 'FA-2026-00317.pdf',
      message:
        'no Factur-X/ZUGFeRD XML attached to this PDF (looked for factur-x.xml, zugferd-invoice.xml, xrechnung.xml)',
    });
  });

  it('ignores attachments with other names', async () => {
    const pdf = await buildFacturX(CII, { attachmentName: 'bon-de-livraison.xml' });
    expect((await unreadable(pdf)).message).toMatch(/no Factur-X\/ZUGFeRD XML attached/);
  });

  it('refuses an encrypted PDF', async () => {
    const pdf = await rework(await buildFacturX(CII), (doc) => {
      doc.context.trailerInfo.Encrypt = doc.context.obj({
        Filter: 'Standard',
        V: 1,
        R: 2,
        O: PDFHexString.of('00'.repeat(32)),
        U: PDFHexString.of('00'.repeat(32)),
        P: -4,
      });
    });
    expect((await unreadable(pdf)).message).toMatch(/the PDF is encrypted/);
  });

  it('refuses a file that is not a PDF', async () => {
    const error = await unreadable(new TextEncoder().encode(CII));
    expect(error.message).toMatch(/^FA-2026-00317\.pdf: not a readable PDF/);
  });

  it('names the attachment and line when the attached XML is broken', async () => {
    const broken = CII.replace('</ram:ID>', '</ram:Identifier>');
    const error = await unreadable(await buildFacturX(broken));
    expect(error.problem.at).toMatch(/^factur-x\.xml line \d+$/);
    expect(error.message).toMatch(/malformed XML/);
  });

  it('passes on the problems of the attached invoice', async () => {
    const pdf = await buildFacturX(
      CII.replace('<ram:CountryID>DE</ram:CountryID>', '<ram:CountryID>ALLEMAGNE</ram:CountryID>'),
    );
    expect(await parseFacturX(pdf, ctx)).toEqual([
      {
        kind: 'problem',
        problem: expect.objectContaining({ file: 'FA-2026-00317.pdf', field: 'customer_country' }),
      },
    ]);
  });
});

describe('parseFacturX: whatever the bytes', () => {
  it('only ever throws UnreadableFileError on random bytes', async () => {
    const header = new TextEncoder().encode('%PDF-1.7\n');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), async (bytes, withHeader) => {
        const pdf = withHeader ? new Uint8Array([...header, ...bytes]) : bytes;
        expectSoundOutcome(await asyncOutcomeOf(() => parseFacturX(pdf, ctx)), ctx.file);
      }),
      { numRuns: 200 },
    );
  });

  it('yields records, problems or UnreadableFileError from a damaged Factur-X PDF', async () => {
    const damaged = fc.oneof(
      fc.nat({ max: PDF.length }).map((cut) => PDF.slice(0, cut)),
      fc
        .array(fc.tuple(fc.nat({ max: PDF.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        })
        .map((changes) => {
          const copy = PDF.slice();
          for (const [at, byte] of changes) copy[at] = byte;
          return copy;
        }),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (pdf) => {
        expectSoundOutcome(await asyncOutcomeOf(() => parseFacturX(pdf, ctx)), ctx.file);
      }),
      { numRuns: 200 },
    );
  });
});
