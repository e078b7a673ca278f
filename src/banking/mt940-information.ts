// Field :86: of MT940, "information to account owner": six lines of 65 characters that each bank
// fills in its own way. Three layouts are read; anything else is kept as free text.
//   - German (DFÜ-Abkommen, Anlage 3): a three-digit business transaction code (GVC), then
//     subfields `?00` booking text, `?20`–`?29` and `?60`–`?63` purpose, `?30` bank code or BIC,
//     `?31` account or IBAN, `?32`–`?33` name, the purpose carrying SEPA qualifiers `EREF+`, `SVWZ+`…
//   - Dutch (Rabobank, ING, ABN AMRO, after the SWIFT/NVB SEPA guidelines): `/KEYWORD/value`
//     pairs such as `/EREF/…`, `/ORDP//NAME/…`, `/CNTP/iban/bic/name/city/`, `/REMI/USTD//…/`.

import { findCreditorReference, normalizeCreditorReference } from './creditor-reference.ts';
import { normalizeBic, normalizeIban } from './iban.ts';
import type { Counterparty } from './statement.ts';
import { clean, joinText, joinWrapped } from './text.ts';

export interface AccountOwnerInformation {
  remittance?: string;
  endToEndId?: string;
  creditorReference?: string;
  counterparty: Counterparty;
}

const LINE_WIDTH = 65;

export function readInformation(lines: readonly string[]): AccountOwnerInformation {
  // Banks cut the field at 65 characters wherever that falls, inside a word, a keyword or an IBAN.
  const joined = lines.join('');
  if (/^\d{3}\?\d{2}/.test(joined)) return readGerman(joined);
  if (/^\/[A-Z]{2,9}\//.test(joined) && SLASH_KEYWORD.test(joined)) return readSlashKeywords(joined);
  const remittance = joinWrapped(lines, LINE_WIDTH);
  return { remittance, creditorReference: findCreditorReference(remittance), counterparty: {} };
}

// --- German ?-subfields ---

const SUBFIELD_WIDTH = 27;
const SEPA_QUALIFIER = /^(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT|PURP|SQTP|RTRN)\+/;

function readGerman(text: string): AccountOwnerInformation {
  const subfields = new Map<string, string>();
  const purpose: string[] = [];
  for (const m of text.slice(3).matchAll(/\?(\d{2})([^?]*)/g)) {
    const key = m[1]!;
    const value = m[2]!;
    if (/^(2\d|6[0-3])$/.test(key)) purpose.push(value);
    else subfields.set(key, (subfields.get(key) ?? '') + value);
  }
  // DK rule: each SEPA qualifier starts a purpose subfield; the subfields after it continue its value.
  // The qualifier stays on its line until the lines are joined: it counts towards the 27 characters.
  const qualified = new Map<string, string[]>();
  const unqualified: string[] = [];
  let current = unqualified;
  for (const line of purpose) {
    const q = SEPA_QUALIFIER.exec(line);
    if (q) {
      current = [line];
      qualified.set(q[1]!, current);
    } else current.push(line);
  }
  const value = (key: string) => {
    const parts = qualified.get(key);
    return parts ? clean(joinWrapped(parts, SUBFIELD_WIDTH)?.slice(key.length + 1)) : undefined;
  };
  const eref = value('EREF');
  const remittance = joinText([joinWrapped(unqualified, SUBFIELD_WIDTH), value('SVWZ')]);
  const name =
    joinWrapped([subfields.get('32') ?? '', subfields.get('33') ?? ''], SUBFIELD_WIDTH) ?? value('ABWA');
  const iban = normalizeIban(subfields.get('31')) ?? normalizeIban(value('IBAN'));
  const bic = normalizeBic(subfields.get('30')) ?? normalizeBic(value('BIC'));
  return {
    remittance,
    endToEndId: eref && eref !== 'NOTPROVIDED' ? eref : undefined,
    creditorReference: findCreditorReference(joinText([remittance, eref, value('KREF')])),
    counterparty: { ...(name ? { name } : {}), ...(iban ? { iban } : {}), ...(bic ? { bic } : {}) },
  };
}

// --- Dutch /KEYWORD/ pairs ---

// The keywords of the NVB/SWIFT SEPA layout (and ING's CDTRREF family). Only these split the text,
// so a slash inside a name or an invoice number does not.
const KEYWORDS = [
  'TRTP',
  'IBAN',
  'BIC',
  'NAME',
  'ADDR',
  'ID',
  'REMI',
  'EREF',
  'ORDP',
  'BENM',
  'CNTP',
  'MARF',
  'CSID',
  'PREF',
  'RTRN',
  'ISDT',
  'PURP',
  'ULTC',
  'ULTD',
  'ULTB',
  'UDTR',
  'UCRD',
  'SVCL',
  'CREF',
  'FEES',
  'OCMT',
  'ACCW',
  'BUSP',
  'IREF',
  'EXCH',
  'CHGS',
  'COAM',
  'CDTRREFTP',
  'CDTRREF',
  'CD',
  'ISSR',
];
const SLASH_KEYWORD = new RegExp(`/(${KEYWORDS.join('|')})/`);
const SLASH_KEYWORDS = new RegExp(`/(${KEYWORDS.join('|')})(?=/)`, 'g');

function readSlashKeywords(text: string): AccountOwnerInformation {
  const pairs: [string, string][] = [];
  const matches = [...text.matchAll(SLASH_KEYWORDS)];
  matches.forEach((m, i) => {
    const start = m.index + m[0].length + 1;
    const end = i + 1 < matches.length ? matches[i + 1]!.index : text.length;
    pairs.push([m[1]!, start <= end ? text.slice(start, end) : '']);
  });
  const first = (key: string) => pairs.find(([k, v]) => k === key && v.replace(/\//g, '').trim() !== '')?.[1];
  const trimSlashes = (v: string | undefined) => v?.replace(/^\/+|\/+$/g, '').trim() || undefined;

  const counterparty: Counterparty = {};
  const cntp = first('CNTP');
  if (cntp) {
    // Rabobank: /CNTP/account/BIC/name/city/
    const [account, bic, name] = cntp.split('/');
    const iban = normalizeIban(account);
    if (iban) counterparty.iban = iban;
    if (normalizeBic(bic)) counterparty.bic = normalizeBic(bic);
    if (trimSlashes(name)) counterparty.name = trimSlashes(name);
  }
  const name = trimSlashes(first('NAME'));
  const iban = normalizeIban(trimSlashes(first('IBAN')));
  const bic = normalizeBic(trimSlashes(first('BIC')));
  if (name && !counterparty.name) counterparty.name = name;
  if (iban && !counterparty.iban) counterparty.iban = iban;
  if (bic && !counterparty.bic) counterparty.bic = bic;

  let remittance: string | undefined;
  let structured = trimSlashes(first('CDTRREF'));
  const remi = first('REMI');
  if (remi) {
    const body = remi.replace(/\/+$/, '');
    const strd = /^STRD\/(?:[A-Z]{3}\/)?(.*)$/.exec(body);
    if (strd) structured ??= trimSlashes(strd[1]);
    else remittance = joinText([body.replace(/^USTD\/\//, '')]);
  }
  const eref = trimSlashes(first('EREF'));
  const creditorReference = structured ? normalizeCreditorReference(structured) : undefined;
  return {
    remittance,
    endToEndId: eref && eref !== 'NOTPROVIDED' ? eref : undefined,
    creditorReference: creditorReference ?? findCreditorReference(joinText([remittance, eref])),
    counterparty,
  };
}
