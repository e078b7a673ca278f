// ISO 20022 cash management: camt.052 (account report), camt.053 (statement) and camt.054
// (debit/credit notification), message versions 001.02 to 001.08 and later ones of the same shape.
// The differences between versions that matter here are read whichever way the file writes them:
// Sts is a bare code before 001.08 and Sts/Cd (EntryStatus1Choice) from 001.08; a related party is
// Dbtr/Nm before 001.08 and Dbtr/Pty/Nm (Party40Choice) from it; an agent's BIC is BIC in 001.02 and
// 001.03, BICFI later; TxDtls has only AmtDtls/TxAmt in 001.02 and its own Amt in later versions.
import { isPlainDate, type PlainDate } from '../calendar/plain-date.ts';
import { decodeXmlBytes } from '../imports/xml.ts';
import { isCurrency } from '../ledger/money.ts';
import { parseStatementAmount } from './amount.ts';
import { findCreditorReference, normalizeCreditorReference } from './creditor-reference.ts';
import { normalizeBic, normalizeIban } from './iban.ts';
import {
  type Balance,
  type Counterparty,
  type EntryDirection,
  type EntryStatus,
  newEntry,
  type Statement,
  type StatementEntry,
  type StatementFile,
  unreadable,
} from './statement.ts';
import { clean, joinText, joinWrapped, stripBom } from './text.ts';
import { attribute, child, children, find, parseXml, text, textAt, type XmlElement } from './xml-tree.ts';

export type CamtFormat = 'camt.052' | 'camt.053' | 'camt.054';

const MESSAGES: Record<CamtFormat, { message: string; statement: string }> = {
  'camt.052': { message: 'BkToCstmrAcctRpt', statement: 'Rpt' },
  'camt.053': { message: 'BkToCstmrStmt', statement: 'Stmt' },
  'camt.054': { message: 'BkToCstmrDbtCdtNtfctn', statement: 'Ntfctn' },
};

const NAMESPACE =
  /xmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.(\d{2})["']/;

/** The message and its version (`08` for camt.053.001.08) from the document's namespace. */
export function camtNamespace(text: string): { format: CamtFormat; version: number } | undefined {
  const m = NAMESPACE.exec(text);
  return m ? { format: m[1] as CamtFormat, version: Number(m[2]) } : undefined;
}

export function parseCamt(content: string | Uint8Array, file: string): StatementFile {
  const xml = typeof content === 'string' ? stripBom(content) : stripBom(decodeXmlBytes(content, file));
  const ns = camtNamespace(xml);
  if (!ns) {
    throw unreadable(
      file,
      'not a camt.052, camt.053 or camt.054 document: no urn:iso:std:iso:20022:tech:xsd:camt.05x namespace',
    );
  }
  const root = parseXml(xml, file);
  const { message: messageName, statement: statementName } = MESSAGES[ns.format];
  const message = child(root, messageName);
  if (root.name !== 'Document' || !message) {
    throw unreadable(file, `expected Document/${messageName} for ${ns.format}`, where(root));
  }
  return {
    format: ns.format,
    statements: children(message, statementName).map((s) => readStatement(s, file)),
  };
}

/** Where an element is, for a Problem's `at`. */
function where(element: XmlElement): string {
  return `line ${element.line}, element ${element.path}`;
}

function readStatement(stmt: XmlElement, file: string): Statement {
  const account = child(stmt, 'Acct');
  const iban = textAt(account, 'Id/IBAN');
  const currencyElement =
    child(account, 'Ccy') ?? child(child(stmt, 'Bal'), 'Amt') ?? child(child(stmt, 'Ntry'), 'Amt');
  if (!currencyElement) {
    throw unreadable(file, 'the statement gives no currency (Acct/Ccy, Bal/Amt or Ntry/Amt)', where(stmt));
  }
  const currency = currencyOf(currencyElement, file);
  let openingBalance: Balance | undefined;
  let closingBalance: Balance | undefined;
  for (const bal of children(stmt, 'Bal')) {
    const code = textAt(bal, 'Tp/CdOrPrtry/Cd');
    // OPBD is the opening booked balance; a bank that leaves it out gives PRCD, the previous closing.
    if (code === 'OPBD' || (code === 'PRCD' && !openingBalance)) openingBalance = readBalance(bal, file);
    else if (code === 'CLBD') closingBalance = readBalance(bal, file);
  }
  return {
    account: iban ? iban.replace(/\s/g, '').toUpperCase() : textAt(account, 'Id/Othr/Id'),
    currency,
    id: textAt(stmt, 'Id'),
    openingBalance,
    closingBalance,
    entries: children(stmt, 'Ntry').map((n) => readEntry(n, file)),
  };
}

function currencyOf(element: XmlElement, file: string): string {
  const code = element.name === 'Ccy' ? text(element) : attribute(element, 'Ccy');
  if (code === undefined || !isCurrency(code)) {
    throw unreadable(
      file,
      `expected an ISO 4217 currency code such as EUR, got "${code ?? ''}"`,
      where(element),
      element.name === 'Ccy' ? 'Ccy' : `${element.name}@Ccy`,
    );
  }
  return code;
}

/** An ActiveOrHistoricCurrencyAndAmount: the amount and its Ccy attribute. */
function readAmount(element: XmlElement, file: string): { amount: number; currency: string } {
  const currency = currencyOf(element, file);
  const r = parseStatementAmount(text(element) ?? '', currency, '.');
  if (!r.ok) throw unreadable(file, r.reason, where(element), element.name);
  if (r.minor < 0) throw unreadable(file, 'camt amounts are never negative', where(element), element.name);
  return { amount: r.minor, currency };
}

function readDirection(parent: XmlElement, file: string): EntryDirection | undefined {
  const element = child(parent, 'CdtDbtInd');
  if (!element) return undefined;
  const code = text(element);
  if (code === 'CRDT') return 'credit';
  if (code === 'DBIT') return 'debit';
  throw unreadable(file, `expected CRDT or DBIT, got "${code ?? ''}"`, where(element), 'CdtDbtInd');
}

/** DateAndDateTimeChoice: Dt, or DtTm whose calendar day is the bank's own, as written. */
function readDate(parent: XmlElement | undefined, file: string): PlainDate | undefined {
  const element = child(parent, 'Dt') ?? child(parent, 'DtTm');
  const value = text(element);
  if (!element || value === undefined) return undefined;
  const day = value.slice(0, 10);
  if (!isPlainDate(day)) {
    throw unreadable(file, `expected a date as YYYY-MM-DD, got "${value}"`, where(element), element.name);
  }
  return day;
}

function readBalance(bal: XmlElement, file: string): Balance | undefined {
  const amt = child(bal, 'Amt');
  if (!amt) return undefined;
  const { amount, currency } = readAmount(amt, file);
  return {
    amount: readDirection(bal, file) === 'debit' ? -amount : amount,
    currency,
    date: readDate(child(bal, 'Dt'), file),
  };
}

// ExternalEntryStatus1Code. FUTR (value at a future date) is not on the account yet.
const STATUSES: Record<string, EntryStatus> = {
  BOOK: 'booked',
  PDNG: 'pending',
  FUTR: 'pending',
  INFO: 'info',
};

function readEntry(ntry: XmlElement, file: string): StatementEntry {
  const amt = child(ntry, 'Amt');
  if (!amt) throw unreadable(file, 'an entry needs its Amt', where(ntry), 'Amt');
  const { amount, currency } = readAmount(amt, file);
  const direction = readDirection(ntry, file);
  if (!direction) throw unreadable(file, 'an entry needs its CdtDbtInd', where(ntry), 'CdtDbtInd');
  const sts = child(ntry, 'Sts');
  const statusCode = textAt(sts, 'Cd') ?? text(sts) ?? 'BOOK';
  const reversal = /^(true|1)$/.test(textAt(ntry, 'RvslInd') ?? '');
  const base = newEntry({
    amount,
    currency,
    direction,
    status: STATUSES[statusCode] ?? 'booked',
    bookingDate: readDate(child(ntry, 'BookgDt'), file),
    valueDate: readDate(child(ntry, 'ValDt'), file),
    bankReference: textAt(ntry, 'AcctSvcrRef'),
    reversal,
  });
  const entryInfo = clean(textAt(ntry, 'AddtlNtryInf'));
  const txs = children(ntry, 'NtryDtls').flatMap((d) => children(d, 'TxDtls'));
  const read = txs.map((tx) => readTransaction(tx, base, file));

  if (read.length === 1) {
    const only = read[0]!;
    return withFallbacks({
      ...base,
      bankReference: base.bankReference ?? only.entry.bankReference,
      endToEndId: only.entry.endToEndId,
      creditorReference: only.entry.creditorReference,
      remittance: only.entry.remittance ?? only.additionalInfo ?? entryInfo,
      counterparty: only.entry.counterparty,
    });
  }
  // A batch is listed detail by detail only when each detail says its amount: one that does not
  // cannot be matched to an invoice on its own, so such a batch stays one entry with all its text.
  if (read.length > 1 && read.every((r) => r.hasAmount)) {
    return {
      ...withFallbacks({ ...base, remittance: entryInfo }),
      details: read.map((r) => withFallbacks(r.entry)),
    };
  }
  if (read.length > 1) {
    return withFallbacks({
      ...base,
      remittance: joinText([entryInfo, ...read.map((r) => r.entry.remittance)]),
    });
  }
  return withFallbacks({ ...base, remittance: entryInfo });
}

/** Payers often type the RF reference in the free text instead of the structured field. */
function withFallbacks(entry: StatementEntry): StatementEntry {
  return entry.creditorReference || !entry.remittance
    ? entry
    : { ...entry, creditorReference: findCreditorReference(entry.remittance) };
}

function readTransaction(
  tx: XmlElement,
  entry: StatementEntry,
  file: string,
): { entry: StatementEntry; hasAmount: boolean; additionalInfo?: string } {
  const amountElement = child(tx, 'Amt') ?? find(tx, 'AmtDtls/TxAmt/Amt') ?? find(tx, 'AmtDtls/InstdAmt/Amt');
  const own = amountElement ? readAmount(amountElement, file) : undefined;
  const direction = readDirection(tx, file) ?? entry.direction;
  const refs = child(tx, 'Refs');
  const endToEndId = textAt(refs, 'EndToEndId');
  const rmtInf = children(tx, 'RmtInf');
  const structured = rmtInf.flatMap((r) => children(r, 'Strd'));
  const creditorReference = structured
    .map((s) => textAt(s, 'CdtrRefInf/Ref'))
    .find((ref): ref is string => ref !== undefined);
  // Everything the payer wrote to say what is paid: Ustrd lines, then the structured parts a matcher
  // can read as text (the referred document's number, additional remittance lines).
  const remittance = joinText([
    // Ustrd is Max140Text: banks cut a longer text into 140-character lines.
    joinWrapped(
      rmtInf.flatMap((r) => children(r, 'Ustrd')).map((u) => text(u) ?? ''),
      140,
    ),
    ...structured.flatMap((s) => children(s, 'RfrdDocInf').map((d) => textAt(d, 'Nb'))),
    ...structured.flatMap((s) => children(s, 'AddtlRmtInf').map((a) => text(a))),
  ]);
  return {
    hasAmount: own !== undefined,
    additionalInfo: clean(textAt(tx, 'AddtlTxInf')),
    entry: newEntry({
      amount: own?.amount ?? entry.amount,
      currency: own?.currency ?? entry.currency,
      direction,
      status: entry.status,
      bookingDate: entry.bookingDate,
      valueDate: entry.valueDate,
      bankReference: textAt(refs, 'AcctSvcrRef'),
      // "NOTPROVIDED" is what the SEPA rulebooks tell banks to send when the payer gave no reference.
      endToEndId: endToEndId && endToEndId !== 'NOTPROVIDED' ? endToEndId : undefined,
      creditorReference: creditorReference ? normalizeCreditorReference(creditorReference) : undefined,
      remittance,
      counterparty: counterpartyOf(tx, direction, entry.reversal),
      reversal: entry.reversal,
    }),
  };
}

/**
 * The other party is the debtor of money coming in and the creditor of money going out. A reversal
 * keeps the parties of the transaction it cancels, so its side is the opposite of its direction.
 */
function counterpartyOf(tx: XmlElement, direction: EntryDirection, reversal: boolean): Counterparty {
  const payer = (direction === 'credit') !== reversal;
  const first = party(tx, payer ? 'Dbtr' : 'Cdtr');
  return first.name || first.iban ? first : party(tx, payer ? 'Cdtr' : 'Dbtr');
}

function party(tx: XmlElement, role: 'Dbtr' | 'Cdtr'): Counterparty {
  const parties = child(tx, 'RltdPties');
  const partyElement = child(parties, role);
  const ultimate = child(parties, `Ultmt${role}`);
  const name =
    textAt(partyElement, 'Nm') ??
    textAt(partyElement, 'Pty/Nm') ??
    textAt(ultimate, 'Nm') ??
    textAt(ultimate, 'Pty/Nm');
  const account = find(parties, `${role}Acct/Id`);
  const agent = find(tx, `RltdAgts/${role}Agt/FinInstnId`);
  const out: Counterparty = {};
  const cleanName = clean(name);
  const iban = normalizeIban(textAt(account, 'IBAN'));
  const bic = normalizeBic(textAt(agent, 'BICFI') ?? textAt(agent, 'BIC'));
  if (cleanName) out.name = cleanName;
  if (iban) out.iban = iban;
  if (bic) out.bic = bic;
  return out;
}
