// Which statement format a file is, from its content (the name only breaks a tie for CSV), and the
// one entry point that reads any of them.
import { camtNamespace, parseCamt } from './parse-camt.ts';
import { parseMt940 } from './parse-mt940.ts';
import { parseOfx } from './parse-ofx.ts';
import { type DateOrder, parseStatementCsv, type StatementCsvMapping } from './parse-statement-csv.ts';
import { type StatementFile, type StatementFormat, unreadable } from './statement.ts';
import { decodeBytes, peek } from './text.ts';

const SNIFF_BYTES = 16_384;

function head(bytes: Uint8Array): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const text = utf16 ? decodeBytes(bytes.subarray(0, SNIFF_BYTES)) : peek(bytes, SNIFF_BYTES);
  return text.replace(/^(\uFEFF|\u00EF\u00BB\u00BF)/, '');
}

export function detectStatementFormat(fileName: string, bytes: Uint8Array): StatementFormat | undefined {
  const text = head(bytes);
  const start = text.trimStart();
  if (/^OFXHEADER\s*:/i.test(start) || /<\?OFX\s/i.test(text) || /<OFX[\s>]/i.test(text)) return 'ofx';
  if (start.startsWith('<')) return camtNamespace(text)?.format;
  if (/^\{1:/.test(start) || (/^:20:/m.test(text) && /^:(25|28C|60F|60M|61):/m.test(text))) return 'mt940';
  if (text.includes('\u0000')) return undefined;
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  if (/\.(csv|tsv|txt)$/i.test(fileName) || /[;,\t|]/.test(firstLine)) return 'csv';
  return undefined;
}

export interface ParseStatementOptions {
  /** Which CSV column is which; guessed from the header row when absent. */
  csvMapping?: StatementCsvMapping;
  /** The currency of a CSV that does not say (the organisation's); EUR otherwise. */
  csvCurrency?: string;
  csvDateOrder?: DateOrder;
}

/**
 * Reads a bank statement file of any supported format. Throws UnreadableFileError, naming the file
 * and where in it, for anything that cannot be read whole: an unknown format, malformed XML, an
 * amount that is not a number, a currency that is not ISO 4217, a missing required field.
 */
export function parseStatementFile(
  fileName: string,
  bytes: Uint8Array,
  options: ParseStatementOptions = {},
): StatementFile {
  const format = detectStatementFormat(fileName, bytes);
  switch (format) {
    case 'camt.052':
    case 'camt.053':
    case 'camt.054':
      return parseCamt(bytes, fileName);
    case 'ofx':
      return parseOfx(bytes, fileName);
    case 'mt940':
      return parseMt940(bytes, fileName);
    case 'csv':
      return parseStatementCsv(bytes, fileName, {
        ...(options.csvMapping ? { mapping: options.csvMapping } : {}),
        ...(options.csvCurrency ? { currency: options.csvCurrency } : {}),
        ...(options.csvDateOrder ? { dateOrder: options.csvDateOrder } : {}),
      });
    case undefined:
      throw unreadable(
        fileName,
        'not a bank statement format Ardent reads: expected camt.052, camt.053 or camt.054 XML, OFX, MT940 or CSV',
      );
  }
}
