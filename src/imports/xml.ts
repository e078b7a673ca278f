// One way to read XML for every import (UBL, CII, and later camt bank statements): a plain tree of
// elements with namespaces resolved, safe against entity tricks, and errors that name the line.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Problem } from './records.ts';
import { UnreadableFileError } from './records.ts';
import type { Check } from './validate.ts';

export interface XmlElement {
  /** Local name, prefix removed: `TaxInclusiveAmount`. */
  readonly name: string;
  /** The name as written in the file, for messages: `cbc:TaxInclusiveAmount`. */
  readonly qname: string;
  /** Namespace URI the prefix is bound to; undefined when none is in scope. */
  readonly namespace: string | undefined;
  /** Attribute values by local name (`schemeID`, `currencyID`); namespace declarations left out. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Character data of the element itself (entities decoded, CDATA kept verbatim), untrimmed. */
  readonly rawText: string;
  /** `Invoice/cac:InvoiceLine[2]/cbc:ID`: where a problem sits, `[n]` only when a name repeats. */
  readonly path: string;
}

/** Deeper than any invoice or statement schema goes; a guard against stack exhaustion by hostile files. */
const MAX_DEPTH = 200;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  // Entities are decoded below, XML's five and character references only: nothing a DTD declares is
  // ever expanded, so neither billion laughs nor external entities (XXE) can do anything.
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: MAX_DEPTH,
});

/**
 * Parses a whole document and returns its root element. Throws UnreadableFileError when the text is
 * not well-formed XML (with the line the parser points at) or declares entities in a DOCTYPE.
 */
export function parseXml(xml: string, file: string): XmlElement {
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  refuseEntityDeclarations(text, file);
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line } = verdict.err;
    throw new UnreadableFileError({
      file,
      at: line ? `line ${line}` : undefined,
      message: `malformed XML: ${explainValidatorMessage(msg)}`,
    });
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (error) {
    const message = errorMessage(error);
    throw new UnreadableFileError({
      file,
      message: /nested tags/i.test(message)
        ? `elements nested deeper than ${MAX_DEPTH} levels`
        : `malformed XML: ${message}`,
    });
  }
  const roots = asNodeList(nodes).filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1) {
    throw new UnreadableFileError({
      file,
      message:
        roots.length === 0
          ? 'malformed XML: no root element'
          : `malformed XML: ${roots.length} root elements, a document has exactly one`,
    });
  }
  return buildElement(roots[0]!, new Map(), undefined, 1, file);
}

/**
 * Turns the bytes of an XML file into text the way an XML processor does (XML 1.0 §4.3.3, appendix F):
 * a byte-order mark wins, then the encoding declaration, else UTF-8.
 */
export function decodeXmlBytes(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return decode(bytes.subarray(3), 'utf-8', file);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode(bytes.subarray(2), 'utf-16le', file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode(bytes.subarray(2), 'utf-16be', file);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  return decode(bytes, declared ?? 'utf-8', file);
}

function decode(bytes: Uint8Array, encoding: string, file: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw new UnreadableFileError({ file, message: `unsupported XML encoding "${encoding}"` });
  }
  return decoder.decode(bytes);
}

// ---------------------------------------------------------------------------------------------
// Walking the tree. Names are local names (prefixes are the writer's choice, Invoice-2 files come
// with `cbc:`, `ubl:` or a default namespace alike); a path is local names joined by `/`, and a
// segment may carry a prefix for readability (`cac:Party/cbc:EndpointID`), which is ignored.

/** What walking needs of an element; invoice and bank-statement trees both have it. */
export interface XmlNode<E> {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly E[];
  readonly rawText: string;
}

export function child<E extends XmlNode<E>>(el: E | undefined, name: string): E | undefined {
  const local = localName(name);
  return el?.children.find((c) => c.name === local);
}

export function children<E extends XmlNode<E>>(el: E | undefined, name: string): E[] {
  const local = localName(name);
  return el ? el.children.filter((c) => c.name === local) : [];
}

/** Every element reached by `path` under `el`, in document order, across repeated elements. */
export function findAll<E extends XmlNode<E>>(el: E | undefined, path: string): E[] {
  let current = el ? [el] : [];
  for (const segment of path.split('/')) {
    current = current.flatMap((c) => children(c, segment));
  }
  return current;
}

/** The first element reached by `path`: the first `PartyTaxScheme` that has a `CompanyID`, say. */
export function find<E extends XmlNode<E>>(el: E | undefined, path: string): E | undefined {
  return findAll(el, path)[0];
}

/** Trimmed text; undefined for an absent element or one with only whitespace. */
export function text<E extends XmlNode<E>>(el: E | undefined): string | undefined {
  const value = el?.rawText.trim();
  return value ? value : undefined;
}

/** Text of the first element at `path` that has some. */
export function textAt<E extends XmlNode<E>>(el: E | undefined, path: string): string | undefined {
  for (const found of findAll(el, path)) {
    const value = text(found);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function attribute<E extends XmlNode<E>>(el: E | undefined, name: string): string | undefined {
  return el?.attributes.get(name);
}

/** Where an element that is missing would have been, for a problem's `at`. */
export function pathOf(parent: XmlElement, path: string): string {
  return `${parent.path}/${path}`;
}

// ---------------------------------------------------------------------------------------------
// Reading checked fields out of one document, gathering every problem rather than stopping at the
// first: a user fixes a file in one pass.

export class FieldReader {
  readonly problems: Problem[] = [];

  constructor(readonly file: string) {}

  problem(at: string, field: string, message: string): void {
    this.problems.push({ file: this.file, at, field, message });
  }

  /**
   * The checked value of the first non-empty element at `path` under `parent`. A failed check is a
   * problem at that element; an absent one is a problem only when `missing` says why it is needed.
   */
  read<T>(
    parent: XmlElement,
    path: string,
    field: string,
    check: (text: string, el: XmlElement) => Check<T>,
    missing?: string,
  ): T | undefined {
    const el = findAll(parent, path).find((c) => text(c) !== undefined);
    const value = text(el);
    if (el === undefined || value === undefined) {
      if (missing) this.problem(pathOf(parent, path), field, missing);
      return undefined;
    }
    const result = check(value, el);
    if (!result.ok) {
      this.problem(el.path, field, result.reason);
      return undefined;
    }
    return result.value;
  }

  /** Each value of an element that holds several separated by `;` or `,` (two addresses in one email field). */
  readList<T>(el: XmlElement | undefined, field: string, check: (text: string) => Check<T>): T[] {
    const values: T[] = [];
    for (const piece of (text(el) ?? '').split(/[;,]/)) {
      if (!el || !piece.trim()) continue;
      const result = check(piece.trim());
      if (result.ok) values.push(result.value);
      else this.problem(el.path, field, result.reason);
    }
    return values;
  }
}

/** xsd:date may carry a zone (`2026-11-13+01:00`, `2026-11-13Z`); the calendar day is the part before it. */
export function xsdDateText(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$/.exec(value.trim());
  return m ? m[1]! : value;
}

// ---------------------------------------------------------------------------------------------

/** A DOCTYPE may declare entities; we never expand them, and a file that declares any is refused outright. */
function refuseEntityDeclarations(text: string, file: string): void {
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype >= 0 && text.indexOf('<!ENTITY', doctype) >= 0) {
    throw new UnreadableFileError({
      file,
      at: `line ${lineOf(text, doctype)}`,
      message:
        'refused: the DOCTYPE declares entities, which invoices and statements never need (a common way to attack XML readers)',
    });
  }
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The validator reports a truncated file as `Invalid '["a","b"]' found.`: say which elements are left open. */
function explainValidatorMessage(msg: string): string {
  if (/^Invalid '\[/.test(msg)) {
    const open = [...msg.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    return `the file ends before ${open.length === 1 ? 'element' : 'elements'} ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} closed (truncated?)`;
  }
  const unclosed = /^Unclosed tag '([^']+)'/.exec(msg);
  if (unclosed) return `the file ends before element ${unclosed[1]} is closed (truncated?)`;
  if (msg === 'Start tag expected.') return 'no element found (empty file or not XML)';
  return msg;
}

type Node = Record<string, unknown>;

function asNodeList(value: unknown): Node[] {
  return Array.isArray(value)
    ? value.filter((v): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

/** The element name of a preserveOrder node; undefined for text, CDATA and processing instructions. */
function elementName(node: Node): string | undefined {
  for (const key of Object.keys(node)) {
    if (key === ':@' || key === '#text' || key === '#cdata' || key.startsWith('?') || key.startsWith('!'))
      continue;
    return key;
  }
  return undefined;
}

function buildElement(
  node: Node,
  inScope: ReadonlyMap<string, string>,
  /** Its path when the parent knows it (with `[n]` when the name repeats there); the root is its own name. */
  givenPath: string | undefined,
  depth: number,
  file: string,
): XmlElement {
  if (depth > MAX_DEPTH) {
    throw new UnreadableFileError({ file, message: `elements nested deeper than ${MAX_DEPTH} levels` });
  }
  const qname = elementName(node)!;
  const rawAttributes = node[':@'];
  const namespaces = new Map(inScope);
  const attributes = new Map<string, string>();
  if (typeof rawAttributes === 'object' && rawAttributes !== null) {
    for (const [key, value] of Object.entries(rawAttributes)) {
      const decoded = decodeEntities(String(value));
      if (key === 'xmlns') namespaces.set('', decoded);
      else if (key.startsWith('xmlns:')) namespaces.set(key.slice(6), decoded);
      else attributes.set(localName(key), decoded);
    }
  }
  const colon = qname.indexOf(':');
  const prefix = colon >= 0 ? qname.slice(0, colon) : '';
  const path = givenPath ?? qname;

  const content = asNodeList(node[qname]);
  let rawText = '';
  const childNodes: Node[] = [];
  for (const item of content) {
    if (typeof item['#text'] === 'string') rawText += decodeEntities(item['#text']);
    else if ('#cdata' in item) rawText += cdataText(item['#cdata']);
    else if (elementName(item) !== undefined) childNodes.push(item);
  }
  const counts = new Map<string, number>();
  for (const c of childNodes) counts.set(elementName(c)!, (counts.get(elementName(c)!) ?? 0) + 1);
  const seen = new Map<string, number>();
  const builtChildren = childNodes.map((c) => {
    const name = elementName(c)!;
    const index = (seen.get(name) ?? 0) + 1;
    seen.set(name, index);
    const segment = (counts.get(name) ?? 0) > 1 ? `${name}[${index}]` : name;
    return buildElement(c, namespaces, `${path}/${segment}`, depth + 1, file);
  });
  return {
    name: localName(qname),
    qname,
    namespace: namespaces.get(prefix),
    attributes,
    children: builtChildren,
    rawText,
    path,
  };
}

function cdataText(value: unknown): string {
  return asNodeList(value)
    .map((n) => (typeof n['#text'] === 'string' ? n['#text'] : ''))
    .join('');
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(
    /&(?:#(\d{1,7})|#x([0-9A-Fa-f]{1,6})|(amp|lt|gt|quot|apos));/g,
    (whole, dec, hex, named) => {
      if (named) return PREDEFINED[named as string]!;
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16);
      // Character references to NUL, surrogates or beyond Unicode are not characters (XML 1.0 §4.1, WFC: Legal Character).
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return String.fromCodePoint(code);
    },
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
