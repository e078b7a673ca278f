// The XML reader of the statement parsers. It mirrors src/imports/xml.ts (same element shape and
// navigation functions, no entity expansion) and adds what that reader lacks and statement errors
// need: the line of every element. Once imports/xml.ts records lines, parse-camt.ts can import from
// it instead and this file can go.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UnreadableFileError } from '../imports/records.ts';
import { decodeXmlEntities } from './text.ts';

export interface XmlElement {
  /** Local name, prefix removed. */
  readonly name: string;
  /** `Document/BkToCstmrStmt/Stmt[2]/Ntry[3]`: `[n]` only where the name repeats. */
  readonly path: string;
  /** 1-based line of the start tag. */
  readonly line: number;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Character data of the element itself, entities decoded, untrimmed. */
  readonly rawText: string;
}

/** Deeper than any camt schema goes; a guard against stack exhaustion by hostile files. */
const MAX_DEPTH = 200;

// fast-xml-parser declares the key as the `Symbol` wrapper type; at run time it is a plain symbol.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Only XML's five entities and character references are decoded (below): nothing a DTD declares
  // is ever expanded, so neither billion laughs nor external entities can do anything.
  processEntities: false,
  htmlEntities: false,
  captureMetaData: true,
  maxNestedTags: MAX_DEPTH,
});

/** Parses a whole document; throws UnreadableFileError with the line of what is malformed. */
export function parseXml(xml: string, file: string): XmlElement {
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    const newlines = newlineOffsets(text);
    throw new UnreadableFileError({
      file,
      at: `line ${lineAt(newlines, doctype)}`,
      message: 'refused: a DOCTYPE, which statements never have (and a common way to attack XML readers)',
    });
  }
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    throw new UnreadableFileError({
      file,
      ...(verdict.err.line ? { at: `line ${verdict.err.line}` } : {}),
      message: `malformed XML: ${verdict.err.msg}`,
    });
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError({
      file,
      message: /nested tags/i.test(message)
        ? `elements nested deeper than ${MAX_DEPTH} levels`
        : `malformed XML: ${message}`,
    });
  }
  const roots = asNodeList(nodes).filter((n) => elementName(n) !== undefined);
  if (roots.length !== 1) {
    throw new UnreadableFileError({
      file,
      message: 'malformed XML: a document has exactly one root element',
    });
  }
  return buildElement(roots[0]!, undefined, newlineOffsets(text));
}

type Node = Record<string, unknown>;

function asNodeList(value: unknown): Node[] {
  return Array.isArray(value)
    ? value.filter((v): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

function elementName(node: Node): string | undefined {
  for (const key of Object.keys(node)) {
    if (key === ':@' || key === '#text' || key.startsWith('?') || key.startsWith('!')) continue;
    return key;
  }
  return undefined;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function buildElement(node: Node, givenPath: string | undefined, newlines: number[]): XmlElement {
  const qname = elementName(node)!;
  const name = localName(qname);
  const path = givenPath ?? name;
  const meta: unknown = Reflect.get(node, META);
  const start = typeof meta === 'object' && meta !== null ? Reflect.get(meta, 'startIndex') : undefined;
  const attributes = new Map<string, string>();
  const rawAttributes = node[':@'];
  if (typeof rawAttributes === 'object' && rawAttributes !== null) {
    for (const [key, value] of Object.entries(rawAttributes)) {
      if (key !== 'xmlns' && !key.startsWith('xmlns:'))
        attributes.set(localName(key), decodeXmlEntities(String(value)));
    }
  }
  let rawText = '';
  const childNodes: Node[] = [];
  for (const item of asNodeList(node[qname])) {
    if (typeof item['#text'] === 'string') rawText += decodeXmlEntities(item['#text']);
    else if (elementName(item) !== undefined) childNodes.push(item);
  }
  const counts = new Map<string, number>();
  for (const c of childNodes) {
    const n = localName(elementName(c)!);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  const children = childNodes.map((c) => {
    const n = localName(elementName(c)!);
    const index = (seen.get(n) ?? 0) + 1;
    seen.set(n, index);
    return buildElement(c, `${path}/${(counts.get(n) ?? 0) > 1 ? `${n}[${index}]` : n}`, newlines);
  });
  return {
    name,
    path,
    line: typeof start === 'number' ? lineAt(newlines, start) : 1,
    attributes,
    children,
    rawText,
  };
}

function newlineOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) offsets.push(i);
  return offsets;
}

/** 1-based line of a character offset: one more than the newlines before it. */
function lineAt(newlines: number[], offset: number): number {
  let lo = 0;
  let hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlines[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

// Navigation (local names, paths joined by `/`) is the invoice reader's, shared.
export { attribute, child, children, find, findAll, text, textAt } from '../imports/xml.ts';
