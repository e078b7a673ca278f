// Factur-X 1.0 / ZUGFeRD 2.x: a PDF/A-3 whose invoice data is an attached CII XML file (XRechnung may
// ride the same way, in CII or UBL). The PDF is only the envelope: we find the attachment, then read
// the XML as any other. Pure: bytes in, records out.
import {
  decodePDFRawStream,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import { ciiItems } from './parse-cii.ts';
import { ublItems } from './parse-ubl.ts';
import type { ImportItem, ParseContext } from './records.ts';
import { UnreadableFileError } from './records.ts';
import { decodeXmlBytes, parseXml } from './xml.ts';

/**
 * Attachment names the specifications fix (Factur-X 1.0 §6.2.2, ZUGFeRD 2.x, and ZUGFeRD 1.0's
 * capitalised one, compared without case) and XRechnung's.
 */
const INVOICE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

/** Name trees are shallow in practice; the limit stops a looping or absurd one. */
const MAX_TREE_DEPTH = 32;

export async function parseFacturX(pdf: Uint8Array, ctx: ParseContext): Promise<ImportItem[]> {
  const attachment = await findInvoiceXml(pdf, ctx.file);
  const where = (at: string | undefined) => (at ? `${attachment.name} ${at}` : attachment.name);
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(decodeXmlBytes(attachment.bytes, ctx.file), ctx.file);
  } catch (error) {
    if (error instanceof UnreadableFileError) {
      throw new UnreadableFileError({ ...error.problem, at: where(error.problem.at) });
    }
    throw error;
  }
  return root.name === 'Invoice' || root.name === 'CreditNote' ? ublItems(root, ctx) : ciiItems(root, ctx);
}

interface Attachment {
  name: string;
  bytes: Uint8Array;
}

async function findInvoiceXml(pdf: Uint8Array, file: string): Promise<Attachment> {
  let doc: PDFDocument;
  try {
    // throwOnInvalidObject: a damaged PDF is refused rather than half-repaired with console warnings.
    // ignoreEncryption, then the check below: pdf-lib's own EncryptedPDFError fails `instanceof`.
    doc = await PDFDocument.load(pdf, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: true,
      parseSpeed: ParseSpeeds.Fastest,
    });
  } catch (error) {
    throw new UnreadableFileError({ file, message: `not a readable PDF: ${errorMessage(error)}` });
  }
  if (doc.isEncrypted) {
    throw new UnreadableFileError({
      file,
      message: 'the PDF is encrypted, so its attachments cannot be read (a Factur-X PDF/A-3 never is)',
    });
  }
  try {
    for (const [name, spec] of attachedFiles(doc)) {
      if (!INVOICE_NAMES.includes(name.toLowerCase())) continue;
      const bytes = embeddedBytes(spec);
      if (bytes) return { name, bytes };
    }
  } catch (error) {
    throw new UnreadableFileError({ file, message: `damaged PDF attachment: ${errorMessage(error)}` });
  }
  throw new UnreadableFileError({
    file,
    message: `no Factur-X/ZUGFeRD XML attached to this PDF (looked for ${INVOICE_NAMES.join(', ')})`,
  });
}

/**
 * Every file specification with its name: from the document's EmbeddedFiles name tree (PDF 32000-1
 * §7.7.4, §7.9.6) and from the catalog's associated files /AF (PDF/A-3, ISO 19005-3 §6.8), which
 * Factur-X requires and some writers fill without the name tree.
 */
function* attachedFiles(doc: PDFDocument): Generator<[string, PDFDict]> {
  const names = lookup(doc.catalog, 'Names');
  const tree = names instanceof PDFDict ? lookup(names, 'EmbeddedFiles') : undefined;
  if (tree instanceof PDFDict) yield* nameTree(tree, 0, new Set());
  const associated = lookup(doc.catalog, 'AF');
  if (associated instanceof PDFArray) {
    for (let i = 0; i < associated.size(); i++) {
      const spec = associated.lookup(i);
      if (!(spec instanceof PDFDict)) continue;
      const name = textOf(lookup(spec, 'UF')) ?? textOf(lookup(spec, 'F'));
      if (name !== undefined) yield [name, spec];
    }
  }
}

function* nameTree(node: PDFDict, depth: number, seen: Set<PDFDict>): Generator<[string, PDFDict]> {
  if (depth > MAX_TREE_DEPTH || seen.has(node)) return;
  seen.add(node);
  const pairs = lookup(node, 'Names');
  if (pairs instanceof PDFArray) {
    for (let i = 0; i + 1 < pairs.size(); i += 2) {
      const key = textOf(pairs.lookup(i));
      const spec = pairs.lookup(i + 1);
      if (!(spec instanceof PDFDict)) continue;
      // The tree's key is what viewers show, but writers differ on it; the spec's own names count too.
      for (const name of new Set([key, textOf(lookup(spec, 'UF')), textOf(lookup(spec, 'F'))])) {
        if (name !== undefined) yield [name, spec];
      }
    }
  }
  const kids = lookup(node, 'Kids');
  if (kids instanceof PDFArray) {
    for (let i = 0; i < kids.size(); i++) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) yield* nameTree(kid, depth + 1, seen);
    }
  }
}

/** The decoded content of a file specification's embedded file stream (/EF /UF or /F). */
function embeddedBytes(spec: PDFDict): Uint8Array | undefined {
  const ef = lookup(spec, 'EF');
  if (!(ef instanceof PDFDict)) return undefined;
  const stream = lookup(ef, 'UF') ?? lookup(ef, 'F');
  return stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : undefined;
}

function lookup(dict: PDFDict, key: string): PDFObject | undefined {
  return dict.lookup(PDFName.of(key));
}

function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
