// The invoice CSV (CONTRACT.md §2), read as a stream: memory stays flat however long the file.
import { TextDecoder } from 'node:util';
import Papa from 'papaparse';
import { columnFor, frenchName, type InvoiceColumn, REQUIRED_COLUMNS } from './columns.ts';
import { type FlatFields, flatToItem } from './flat-record.ts';
import { type ImportItem, type ParseContext, UnreadableFileError } from './records.ts';

/**
 * Decodes UTF-8 (with or without BOM). A file that is not valid UTF-8 in its first 64 KiB is read
 * as Windows-1252, which is what French and German accounting software write when they do not write UTF-8.
 */
async function* decode(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let head = Buffer.alloc(0);
  for await (const chunk of bytes) {
    if (!decoder) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 65_536) continue;
      decoder = chooseDecoder(head);
      yield stripBom(decoder.decode(head, { stream: true }));
      continue;
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (!decoder) {
    decoder = chooseDecoder(head);
    yield stripBom(decoder.decode(head, { stream: true }));
  }
  yield decoder.decode();
}

function chooseDecoder(head: Buffer): TextDecoder {
  try {
    // Cut a possibly incomplete multi-byte sequence at the end before checking.
    let end = head.length;
    while (end > 0 && end > head.length - 4 && (head[end - 1]! & 0xc0) === 0x80) end--;
    if (end > 0 && head[end - 1]! >= 0xc0) end--;
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return new TextDecoder('utf-8');
  } catch {
    return new TextDecoder('windows-1252');
  }
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The separator is whichever of `;`, `,` and tab the header line (outside quotes) uses most. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

interface HeaderMap {
  columns: (InvoiceColumn | undefined)[];
  ignored: string[];
}

function mapHeader(cells: string[], file: string): HeaderMap {
  const columns: (InvoiceColumn | undefined)[] = [];
  const seen = new Set<InvoiceColumn>();
  const ignored: string[] = [];
  for (const cell of cells) {
    const column = columnFor(cell);
    if (column && !seen.has(column)) {
      seen.add(column);
      columns.push(column);
    } else {
      columns.push(undefined);
      if (cell.trim()) ignored.push(cell.trim());
    }
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new UnreadableFileError({
      file,
      at: 'line 1',
      message: `missing required column${missing.length > 1 ? 's' : ''} ${missing
        .map((c) => `${c} (${frenchName(c)})`)
        .join(', ')}; the header row names: ${cells.map((c) => c.trim()).join(', ')}`,
    });
  }
  return { columns, ignored };
}

export interface CsvParseEvents {
  /** Header cells that match no column, reported once so that a typo in a header is noticed. */
  onIgnoredColumns?(columns: string[]): void;
}

/**
 * Cuts decoded text into blocks of whole records: a block ends at a line break outside quotes (an
 * even number of `"` before it, since an escaped `""` counts twice). Papaparse then parses each block
 * synchronously, which is many times faster than its Node stream mode.
 */
async function* recordBlocks(text: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of text) {
    const buffer = carry + chunk;
    let cut = buffer.lastIndexOf('\n');
    let quotes = -1;
    while (cut >= 0) {
      if (quotes < 0) quotes = countQuotes(buffer, 0, cut);
      if (quotes % 2 === 0) break;
      const previous = buffer.lastIndexOf('\n', cut - 1);
      quotes -= countQuotes(buffer, previous + 1, cut);
      cut = previous;
    }
    if (cut < 0) {
      carry = buffer;
      continue;
    }
    yield buffer.slice(0, cut);
    carry = buffer.slice(cut + 1);
  }
  if (carry.length > 0) yield carry;
}

function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('"', from); i >= 0 && i < to; i = text.indexOf('"', i + 1)) n++;
  return n;
}

export async function* parseInvoiceCsv(
  bytes: AsyncIterable<Buffer>,
  ctx: ParseContext,
  events: CsvParseEvents = {},
): AsyncGenerator<ImportItem> {
  for await (const items of parseInvoiceCsvBlocks(bytes, ctx, events)) yield* items;
}

/**
 * The same items, a block of records at a time: one await per block instead of one per row, which
 * counts on an import of a million rows.
 */
export async function* parseInvoiceCsvBlocks(
  bytes: AsyncIterable<Buffer>,
  ctx: ParseContext,
  events: CsvParseEvents = {},
): AsyncGenerator<ImportItem[]> {
  let header: HeaderMap | undefined;
  let delimiter = ',';
  // Line numbers count records; a quoted field spanning lines makes later numbers lag behind the file's.
  let line = 0;
  for await (const block of recordBlocks(decode(bytes))) {
    if (!header) delimiter = detectDelimiter(block.split('\n', 1)[0] ?? '');
    const rows = Papa.parse<string[]>(block.endsWith('\r') ? block.slice(0, -1) : block, {
      delimiter,
      newline: block.includes('\r\n') ? '\r\n' : '\n',
      header: false,
      skipEmptyLines: false,
    }).data;
    const items: ImportItem[] = [];
    for (const raw of rows) {
      line++;
      const cells =
        raw.length > 0 && raw[raw.length - 1]!.endsWith('\r')
          ? [...raw.slice(0, -1), raw[raw.length - 1]!.slice(0, -1)]
          : raw;
      if (cells.length === 0 || (cells.length === 1 && cells[0]!.trim() === '')) continue;
      if (!header) {
        header = mapHeader(cells, ctx.file);
        if (header.ignored.length > 0) events.onIgnoredColumns?.(header.ignored);
        continue;
      }
      const extra = cells.slice(header.columns.length).filter((c) => c.trim() !== '');
      if (extra.length > 0) {
        items.push({
          kind: 'problem',
          problem: {
            file: ctx.file,
            at: `line ${line}`,
            message: `expected ${header.columns.length} fields as in the header, found ${cells.length} (is a "${delimiter}" inside an unquoted value?)`,
          },
        });
        continue;
      }
      const fields: FlatFields = {};
      const { columns } = header;
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i];
        if (column) fields[column] = cells[i] ?? '';
      }
      items.push(...flatToItem(fields, ctx, `line ${line}`));
    }
    if (items.length > 0) yield items;
  }
  if (!header) throw new UnreadableFileError({ file: ctx.file, message: 'the file is empty' });
}
