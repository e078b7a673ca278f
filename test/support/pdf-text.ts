// Reads back the text our PDFs show, for assertions: pdf-lib checks the file is sound, and the
// hex strings of each page's content stream are decoded from WinAnsi.
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFRawStream } from 'pdf-lib';

const WIN_ANSI_HIGH: Record<number, string> = { 128: '€', 146: '’', 150: '–', 151: '—', 156: 'œ', 140: 'Œ' };

export interface PdfTextItem {
  page: number;
  /** Points from the left and from the bottom of the page. */
  x: number;
  y: number;
  text: string;
}

export async function pdfText(
  bytes: Uint8Array,
): Promise<{ pages: number; text: string; title: string; items: PdfTextItem[] }> {
  const doc = await PDFDocument.load(bytes);
  const items: PdfTextItem[] = [];
  for (const [n, page] of doc.getPages().entries()) {
    const contents = page.node.Contents();
    const stream = contents ? doc.context.lookup(contents) : undefined;
    if (!(stream instanceof PDFRawStream)) continue;
    const compressed = stream.dict.toString().includes('/FlateDecode');
    const ops = (
      compressed ? inflateSync(Buffer.from(stream.contents)) : Buffer.from(stream.contents)
    ).toString('latin1');
    for (const m of ops.matchAll(/([\d.-]+) ([\d.-]+) Td <([0-9a-f]*)> Tj/g)) {
      const hex = m[3]!;
      let s = '';
      for (let i = 0; i < hex.length; i += 2) {
        const code = parseInt(hex.slice(i, i + 2), 16);
        s += WIN_ANSI_HIGH[code] ?? String.fromCharCode(code);
      }
      items.push({ page: n + 1, x: Number(m[1]), y: Number(m[2]), text: s.replace(/\u00a0/g, ' ') });
    }
  }
  return {
    pages: doc.getPageCount(),
    text: items.map((i) => i.text).join('\n'),
    title: doc.getTitle() ?? '',
    items,
  };
}
