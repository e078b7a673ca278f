// OFX statements: 1.x (SGML, `OFXHEADER:100`) and 2.x (XML, `<?OFX OFXHEADER="200"?>`), bank
// (STMTRS) and credit-card (CCSTMTRS) statements, as French, British and American banks export them.
import { isPlainDate, type PlainDate } from '../calendar/plain-date.ts';
import { isCurrency } from '../ledger/money.ts';
import { parseStatementAmount } from './amount.ts';
import { findCreditorReference } from './creditor-reference.ts';
import { normalizeIban } from './iban.ts';
import { findAll, type OfxElement, ofxChild, ofxText, parseOfxBody, readOfxHeaders } from './ofx-sgml.ts';
import {
  newEntry,
  type Statement,
  type StatementEntry,
  type StatementFile,
  unreadable,
} from './statement.ts';
import { decodeBytes, joinText, peek, stripBom } from './text.ts';

/**
 * OFX 1.x names its character set in the header (`ENCODING:USASCII` + `CHARSET:1252` is what French
 * banks write, with accented letters in Windows-1252); OFX 2.x in the XML declaration.
 */
export function decodeOfx(bytes: Uint8Array): string {
  const head = peek(bytes, 2048);
  const xmlEncoding = /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  const encoding = /^\s*ENCODING\s*:\s*(\S+)/im.exec(head)?.[1]?.toUpperCase();
  const charset = /^\s*CHARSET\s*:\s*(\S+)/im.exec(head)?.[1]?.toUpperCase();
  let declared = xmlEncoding;
  if (!declared && encoding === 'UTF-8') declared = 'utf-8';
  else if (!declared && charset && /^\d{3,4}$/.test(charset)) declared = `windows-${charset}`;
  else if (!declared && charset && charset !== 'NONE') declared = charset;
  return stripBom(decodeBytes(bytes, declared));
}

const STATEMENT_RESPONSES = new Set(['STMTRS', 'CCSTMTRS']);

export function parseOfx(content: string | Uint8Array, file: string): StatementFile {
  const text = typeof content === 'string' ? stripBom(content) : decodeOfx(content);
  const headers = readOfxHeaders(text);
  const body = parseOfxBody(text);
  if (!body) throw unreadable(file, 'not an OFX file: no <OFX> element');
  // Both OFX 1.x and 2.x require </OFX>; without it the download was cut and entries are missing.
  if (!body.complete)
    throw unreadable(file, 'the file ends before </OFX>: it looks cut short', 'end of file');
  const ofx = body.ofx;
  if (headers.has('OFXHEADER') && !/^(100|200)$/.test(headers.get('OFXHEADER')!)) {
    throw unreadable(file, `unknown OFX header version "${headers.get('OFXHEADER')}"`, 'header', 'OFXHEADER');
  }
  return { format: 'ofx', statements: findAll(ofx, STATEMENT_RESPONSES).map((s) => readStatement(s, file)) };
}

function where(element: OfxElement): string {
  return `line ${element.line}, element ${element.name}`;
}

function readCurrency(element: OfxElement, path: string[], file: string): string | undefined {
  const code = ofxText(element, ...path)?.toUpperCase();
  if (code === undefined) return undefined;
  if (!isCurrency(code)) {
    const at = ofxChild(element, ...path) ?? element;
    throw unreadable(
      file,
      `expected an ISO 4217 currency code such as EUR, got "${code}"`,
      where(at),
      path.join('/'),
    );
  }
  return code;
}

function readStatement(rs: OfxElement, file: string): Statement {
  const currency = readCurrency(rs, ['CURDEF'], file);
  if (!currency) throw unreadable(file, 'the statement has no CURDEF', where(rs), 'CURDEF');
  const accountId = ofxText(rs, 'BANKACCTFROM', 'ACCTID') ?? ofxText(rs, 'CCACCTFROM', 'ACCTID');
  const entries = (ofxChild(rs, 'BANKTRANLIST')?.children ?? [])
    .filter((c) => c.name === 'STMTTRN')
    .map((t) => readTransaction(t, currency, file));
  const ledger = ofxChild(rs, 'LEDGERBAL');
  const balanceText = ofxText(ledger, 'BALAMT');
  let closingBalance: Statement['closingBalance'];
  if (ledger && balanceText !== undefined) {
    closingBalance = {
      amount: readAmount(balanceText, currency, ofxChild(ledger, 'BALAMT')!, file),
      currency,
      date: readDate(ledger, 'DTASOF', file),
    };
  }
  return {
    account: accountId ? (normalizeIban(accountId) ?? accountId) : undefined,
    currency,
    closingBalance,
    entries,
  };
}

function readAmount(text: string, currency: string, at: OfxElement, file: string): number {
  const r = parseStatementAmount(text, currency, 'either');
  if (!r.ok) throw unreadable(file, r.reason, where(at), at.name);
  return r.minor;
}

/**
 * OFX datetime: `YYYYMMDD[HHMMSS[.XXX]][[±hh[:mm]]:TZ]]`. The calendar day is taken as the bank
 * wrote it, in its own zone, which is the day the entry was booked for the account holder too.
 */
function readDate(parent: OfxElement | undefined, name: string, file: string): PlainDate | undefined {
  const element = ofxChild(parent, name);
  if (!element?.text) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(element.text);
  const date = m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  if (!date || !isPlainDate(date)) {
    throw unreadable(file, `expected a date as YYYYMMDD, got "${element.text}"`, where(element), name);
  }
  return date;
}

// TRNTYPE values that take money out (OFX 2.1.1 §11.4.4.3), for the rare zero or unsigned amount.
const OUTGOING_TYPES = new Set([
  'DEBIT',
  'PAYMENT',
  'FEE',
  'SRVCHG',
  'ATM',
  'POS',
  'CHECK',
  'DIRECTDEBIT',
  'CASH',
]);

function readTransaction(trn: OfxElement, statementCurrency: string, file: string): StatementEntry {
  // CURRENCY (not ORIGCURRENCY) means TRNAMT is in that currency rather than CURDEF (OFX 2.1.1 §5.2).
  const currency = readCurrency(trn, ['CURRENCY', 'CURSYM'], file) ?? statementCurrency;
  const amountElement = ofxChild(trn, 'TRNAMT');
  if (!amountElement?.text) throw unreadable(file, 'a transaction needs its TRNAMT', where(trn), 'TRNAMT');
  const signed = readAmount(amountElement.text, currency, amountElement, file);
  const type = ofxText(trn, 'TRNTYPE')?.toUpperCase();
  const direction = signed < 0 || (signed === 0 && type && OUTGOING_TYPES.has(type)) ? 'debit' : 'credit';
  // NAME is "name of payee or description of transaction" (OFX 2.1.1 §11.4.4.1): French banks cut
  // their label into NAME (32 characters) and MEMO, and either may hold the invoice number.
  const label = ofxText(trn, 'NAME');
  const name = label ?? ofxText(trn, 'PAYEE', 'NAME');
  const memo = ofxText(trn, 'MEMO');
  const remittance =
    label && memo && (memo.includes(label) || label.includes(memo))
      ? label.length > memo.length
        ? label
        : memo
      : joinText([label, memo]);
  const refnum = ofxText(trn, 'REFNUM');
  const toAccount = ofxText(trn, 'BANKACCTTO', 'ACCTID') ?? ofxText(trn, 'CCACCTTO', 'ACCTID');
  const iban = normalizeIban(toAccount);
  return newEntry({
    amount: Math.abs(signed),
    currency,
    direction,
    bookingDate: readDate(trn, 'DTPOSTED', file),
    valueDate: readDate(trn, 'DTAVAIL', file),
    bankReference: ofxText(trn, 'FITID'),
    endToEndId: refnum,
    creditorReference: findCreditorReference(joinText([remittance, refnum])),
    remittance,
    counterparty: { ...(name ? { name } : {}), ...(iban ? { iban } : {}) },
  });
}
