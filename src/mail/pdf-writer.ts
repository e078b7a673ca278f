// A small PDF writer for the documents that go with reminders: text in the two standard Helvetica
// faces, rules and shaded boxes, on A4 pages. Fonts, metrics and the WinAnsi encoding come from
// pdf-lib; the file itself (ISO 32000-1 §7.5: header, objects, cross-reference table, trailer) is
// written here, because pdf-lib's document model costs 1 to 2 ms of CPU for a one-page statement and
// one goes with every reminder. Pure: no clock (the creation date is passed in), no I/O.
import { deflateSync } from 'node:zlib';
import { StandardFontEmbedder, StandardFonts } from 'pdf-lib';

export type FontFace = 'regular' | 'bold';

export const A4 = { width: 595.28, height: 841.89 } as const;
/** Millimetres to PDF points (1/72 in). */
export const mm = (n: number): number => (n * 72) / 25.4;

// pdf-lib's StandardFonts and its embedder's FontNames are two enums of the same font names.
type FontName = Parameters<typeof StandardFontEmbedder.for>[0];
const FACES: Record<FontFace, { resource: string; embedder: StandardFontEmbedder }> = {
  regular: {
    resource: 'F1',
    embedder: StandardFontEmbedder.for(StandardFonts.Helvetica as string as FontName),
  },
  bold: {
    resource: 'F2',
    embedder: StandardFontEmbedder.for(StandardFonts.HelveticaBold as string as FontName),
  },
};

// Spaces that number formatting puts in amounts ("1 200,00 €" in French uses U+202F) and that
// WinAnsi lacks: shown as a no-break space.
const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/g;

/** The text as the standard fonts can show it: WinAnsi characters kept, accents dropped, else "?". */
export function toWinAnsi(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  let shown = shownCache.get(text);
  if (shown === undefined) {
    shown = winAnsi(text);
    remember(shownCache, text, shown);
  }
  return shown;
}

// Statements repeat the same words, dates and amounts from one reminder to the next: what a text
// becomes is kept (a few thousand entries), which makes a page several times cheaper to write.
const CACHE_SIZE = 5000;
const shownCache = new Map<string, string>();
const encodedCache = new Map<string, { hex: string; width: number }>();

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

function winAnsi(text: string): string {
  const encoding = FACES.regular.embedder.encoding;
  let out = '';
  for (const ch of text.replace(SPACES, '\u00a0').replace(/[\t\r\n]/g, ' ')) {
    const cp = ch.codePointAt(0)!;
    if (encoding.canEncodeUnicodeCodePoint(cp)) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += base && [...base].every((c) => encoding.canEncodeUnicodeCodePoint(c.codePointAt(0)!)) ? base : '?';
  }
  return out;
}

// Per face, each character's WinAnsi code and width at size 1000, looked up once: pdf-lib's own
// encodeText and widthOfTextAtSize walk glyph tables on every call.
const glyphs: Record<FontFace, Map<string, { code: number; width: number }>> = {
  regular: new Map(),
  bold: new Map(),
};

function glyph(face: FontFace, ch: string): { code: number; width: number } {
  let g = glyphs[face].get(ch);
  if (!g) {
    const embedder = FACES[face].embedder;
    const code = embedder.encoding.encodeUnicodeCodePoint(ch.codePointAt(0)!).code;
    g = { code, width: embedder.widthOfTextAtSize(ch, 1000) };
    glyphs[face].set(ch, g);
  }
  return g;
}

// The WinAnsi code of each UTF-16 unit that maps to one as it is (Latin-1's printable characters
// and the Windows-1252 additions such as € and typographic quotes) or after the substitutions of
// winAnsi (the spaces of number formatting, tabs and line ends), else -1; and each code's width at
// size 1000 per face. Text made only of those, nearly every text of a document, is encoded by one
// pass over the table, with nothing kept: amounts, names and numbers differ from one reminder to the
// next, and a cache of them cost more to keep than it saved.
const CODES = new Int16Array(0x10000).fill(-1);
const WIDTHS: Record<FontFace, Float64Array> = {
  regular: new Float64Array(256),
  bold: new Float64Array(256),
};
{
  const encoding = FACES.regular.embedder.encoding;
  const windows1252 = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
  const units = [
    ...Array.from({ length: 0x7f - 0x20 }, (_, k) => 0x20 + k),
    ...Array.from({ length: 0x100 - 0xa0 }, (_, k) => 0xa0 + k),
    ...Array.from(windows1252, (ch) => ch.charCodeAt(0)),
  ];
  for (const unit of units) {
    if (!encoding.canEncodeUnicodeCodePoint(unit)) continue;
    const { code } = encoding.encodeUnicodeCodePoint(unit);
    CODES[unit] = code;
    for (const face of ['regular', 'bold'] as const)
      WIDTHS[face][code] = glyph(face, String.fromCharCode(unit)).width;
  }
  for (const unit of [
    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f,
    0x3000,
  ])
    CODES[unit] = CODES[0xa0]!;
  for (const unit of [0x09, 0x0a, 0x0d]) CODES[unit] = CODES[0x20]!;
}

let codes = Buffer.alloc(256);

/** The text as a PDF hex string in WinAnsi, and its width at `size`. */
function encode(text: string, size: number, face: FontFace): { hex: string; width: number } {
  if (codes.length < text.length) codes = Buffer.alloc(2 * text.length);
  const widths = WIDTHS[face];
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = CODES[text.charCodeAt(i)]!;
    // Anything else (accents outside Latin-1, symbols, surrogate pairs) goes through winAnsi.
    if (code < 0) return encodeShown(toWinAnsi(text), size, face);
    codes[i] = code;
    width += widths[code]!;
  }
  return { hex: `<${codes.toString('hex', 0, text.length)}>`, width: (width * size) / 1000 };
}

/** Text already passed through toWinAnsi, as a PDF hex string and its width at `size`. */
function encodeShown(shown: string, size: number, face: FontFace): { hex: string; width: number } {
  const key = `${face}\u0000${shown}`;
  let e = encodedCache.get(key);
  if (!e) {
    e = encodeAt1000(shown, face);
    remember(encodedCache, key, e);
  }
  return { hex: e.hex, width: (e.width * size) / 1000 };
}

function encodeAt1000(shown: string, face: FontFace): { hex: string; width: number } {
  let hex = '<';
  let width = 0;
  for (const ch of shown) {
    const g = glyph(face, ch);
    hex += g.code.toString(16).padStart(2, '0');
    width += g.width;
  }
  return { hex: `${hex}>`, width };
}

export function textWidth(text: string, size: number, face: FontFace = 'regular'): number {
  return encode(text, size, face).width;
}

/** Breaks a paragraph into lines no wider than `width`, at spaces (a longer word stands alone). */
export function wrapText(text: string, size: number, width: number, face: FontFace = 'regular'): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && textWidth(candidate, size, face) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line);
  return lines;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

export interface TextOptions {
  size?: number;
  face?: FontFace;
  /** `x` is the left edge (default), the right edge, or the centre. */
  align?: 'left' | 'right' | 'center';
  /** Grey level, 0 black to 1 white. */
  gray?: number;
}

export class PdfPage {
  readonly ops: string[] = [];
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** Writes one line of text with its baseline at (x, y), y measured from the bottom of the page. */
  text(x: number, y: number, text: string, options: TextOptions = {}): void {
    const size = options.size ?? 10;
    const face = options.face ?? 'regular';
    const { hex, width } = encode(text, size, face);
    const left = options.align === 'right' ? x - width : options.align === 'center' ? x - width / 2 : x;
    const gray = options.gray ?? 0;
    this.ops.push(
      `BT ${num(gray)} g /${FACES[face].resource} ${num(size)} Tf ${num(left)} ${num(y)} Td ${hex} Tj ET`,
    );
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, gray = 0): void {
    this.ops.push(`${num(gray)} G ${num(width)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  box(x: number, y: number, width: number, height: number, gray: number): void {
    this.ops.push(`${num(gray)} g ${num(x)} ${num(y)} ${num(width)} ${num(height)} re f 0 g`);
  }
}

export interface PdfInfo {
  title: string;
  author?: string | undefined;
  subject?: string | undefined;
  created: Date;
}

/** PDF text string (ISO 32000-1 §7.9.2.2): UTF-16BE with its byte order mark, in hex. */
function textString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`;
}

export class PdfDocument {
  readonly pages: PdfPage[] = [];

  addPage(width: number = A4.width, height: number = A4.height): PdfPage {
    const page = new PdfPage(width, height);
    this.pages.push(page);
    return page;
  }

  toBytes(info: PdfInfo): Uint8Array {
    // The file as Latin-1 text (one character, one byte), but for compressed streams: a statement
    // becomes one string and one buffer, not a buffer for each of its pieces.
    const chunks: Buffer[] = [];
    const offsets: number[] = [];
    let text = '';
    let length = 0;
    const write = (b: Buffer | string) => {
      if (typeof b === 'string') text += b;
      else {
        chunks.push(Buffer.from(text, 'latin1'), b);
        text = '';
      }
      length += b.length;
    };
    const object = (n: number, body: string | (string | Buffer)[]) => {
      offsets[n] = length;
      write(`${n} 0 obj\n`);
      if (typeof body === 'string') write(body);
      else for (const b of body) write(b);
      write('\nendobj\n');
    };
    // A binary comment line after the header marks the file as binary (ISO 32000-1 §7.5.2).
    write('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
    const firstPage = 6;
    const kids = this.pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
    object(1, '<< /Type /Catalog /Pages 2 0 R >>');
    object(2, `<< /Type /Pages /Kids [${kids}] /Count ${this.pages.length} >>`);
    object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
    object(4, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
    object(
      5,
      `<< /Title ${textString(info.title)}${info.author ? ` /Author ${textString(info.author)}` : ''}${info.subject ? ` /Subject ${textString(info.subject)}` : ''} /Producer (Ardent) /CreationDate ${pdfDate(info.created)} >>`,
    );
    this.pages.forEach((page, i) => {
      const n = firstPage + i * 2;
      object(
        n,
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${n + 1} 0 R >>`,
      );
      // A page of a statement is 2 or 3 KB of operators: compressing it costs more CPU than its
      // bytes cost on the wire, so only long documents are compressed.
      const raw = page.ops.join('\n');
      const content = raw.length > 16_384 ? deflateSync(Buffer.from(raw, 'latin1'), { level: 1 }) : raw;
      const filter = typeof content === 'string' ? '' : ' /Filter /FlateDecode';
      object(n + 1, [`<< /Length ${content.length}${filter} >>\nstream\n`, content, '\nendstream']);
    });
    const count = firstPage + this.pages.length * 2;
    const xref = length;
    let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
    for (let n = 1; n < count; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
    write(table);
    write(`trailer\n<< /Size ${count} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
    if (chunks.length === 0) return Buffer.from(text, 'latin1');
    chunks.push(Buffer.from(text, 'latin1'));
    return Buffer.concat(chunks, length);
  }
}
