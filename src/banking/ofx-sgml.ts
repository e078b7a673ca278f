// A tolerant reader for OFX bodies, both the SGML of OFX 1.x and the XML of OFX 2.x.
// In OFX 1.x (OFX 1.0.2 §2.3) aggregates have end tags but data elements usually do not:
// `<TRNAMT>-12.50` ends where the next tag begins. Real files also leave data elements empty, close
// some of them and not others, and mis-nest end tags; none of that should stop the read.
import { decodeXmlEntities } from './text.ts';

export interface OfxElement {
  readonly name: string;
  /** 1-based line of the start tag. */
  readonly line: number;
  text?: string;
  readonly children: OfxElement[];
}

/** Header fields: `KEY:VALUE` lines before the body in OFX 1.x, attributes of `<?OFX …?>` in 2.x. */
export function readOfxHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  const bodyStart = text.search(/<OFX[\s>]/i);
  const head = bodyStart >= 0 ? text.slice(0, bodyStart) : text.slice(0, 2048);
  for (const m of head.matchAll(/^\s*([A-Z]+)\s*:\s*(\S*)\s*$/gm)) headers.set(m[1]!, m[2]!);
  const pi = /<\?OFX\s([^?]*)\?>/i.exec(head);
  if (pi)
    for (const m of pi[1]!.matchAll(/([A-Z]+)\s*=\s*"([^"]*)"/gi)) headers.set(m[1]!.toUpperCase(), m[2]!);
  return headers;
}

// Aggregates of the statement download (OFX 2.1.1 §11): never taken for data elements, even in a file
// cut short before their end tags.
const AGGREGATES = new Set([
  'OFX',
  'SIGNONMSGSRSV1',
  'SONRS',
  'STATUS',
  'FI',
  'BANKMSGSRSV1',
  'STMTTRNRS',
  'STMTRS',
  'BANKACCTFROM',
  'BANKACCTTO',
  'BANKTRANLIST',
  'STMTTRN',
  'PAYEE',
  'CURRENCY',
  'ORIGCURRENCY',
  'LEDGERBAL',
  'AVAILBAL',
  'BALLIST',
  'BAL',
  'CREDITCARDMSGSRSV1',
  'CCSTMTTRNRS',
  'CCSTMTRS',
  'CCACCTFROM',
  'CCACCTTO',
]);

export interface OfxBody {
  ofx: OfxElement;
  /** False when the text ends before `</OFX>`: a download cut short. */
  complete: boolean;
}

/** Parses from the first `<OFX>` to the end; undefined when there is no OFX element. */
export function parseOfxBody(text: string): OfxBody | undefined {
  const start = text.search(/<OFX[\s>]/i);
  if (start < 0) return undefined;
  // A data element is one never closed anywhere in the file: it ends at the next tag even when empty.
  const closed = new Set<string>();
  for (const m of text.slice(start).matchAll(/<\/\s*([A-Za-z0-9_.]+)\s*>/g)) closed.add(m[1]!.toUpperCase());

  const root: OfxElement = { name: '#root', line: 0, children: [] };
  const stack: { element: OfxElement; dataOnly: boolean }[] = [{ element: root, dataOnly: false }];
  let complete = false;
  let line = 1 + countNewlines(text, 0, start);
  let i = start;
  const top = () => stack[stack.length - 1]!;
  const closeFinishedData = () => {
    const t = top();
    if (
      t.element !== root &&
      (t.dataOnly || (t.element.text !== undefined && t.element.children.length === 0))
    ) {
      stack.pop();
    }
  };

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > i) {
      addText(top().element, text.slice(i, textEnd), root);
      line += countNewlines(text, i, textEnd);
      i = textEnd;
      continue;
    }
    // At a '<'.
    if (text.startsWith('<!--', i) || text.startsWith('<?', i) || text.startsWith('<!', i)) {
      const close = text.startsWith('<!--', i) ? '-->' : text.startsWith('<?', i) ? '?>' : '>';
      const end = text.indexOf(close, i + 2);
      const next = end < 0 ? text.length : end + close.length;
      line += countNewlines(text, i, next);
      i = next;
      continue;
    }
    const tag = /^<(\/?)\s*([A-Za-z0-9_.]+)([^<>]*)>/.exec(text.slice(i, i + 256));
    if (!tag) {
      // A lone '<' in data (`<` written unescaped by an old exporter): keep it as text.
      addText(top().element, '<', root);
      i += 1;
      continue;
    }
    const name = tag[2]!.toUpperCase();
    if (tag[1] === '/') {
      for (let s = stack.length - 1; s >= 1; s--) {
        if (stack[s]!.element.name === name) {
          stack.length = s;
          if (name === 'OFX') complete = true;
          break;
        }
      }
    } else {
      closeFinishedData();
      const element: OfxElement = { name, line, children: [] };
      top().element.children.push(element);
      if (!tag[3]!.trimEnd().endsWith('/')) {
        stack.push({ element, dataOnly: !closed.has(name) && !AGGREGATES.has(name) });
      }
    }
    line += countNewlines(text, i, i + tag[0].length);
    i += tag[0].length;
  }
  const ofx = findFirst(root, 'OFX');
  return ofx ? { ofx, complete } : undefined;
}

function addText(element: OfxElement, raw: string, root: OfxElement): void {
  const value = decodeXmlEntities(raw).replace(/\s+/g, ' ').trim();
  if (value === '' || element === root || element.children.length > 0) return;
  element.text = element.text === undefined ? value : `${element.text} ${value}`;
}

// Within the range only: indexOf would look on to the end of the text for a newline that is not
// there, once per tag, and a file of one long line would take quadratic time.
function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The first element down a path of child names. */
export function ofxChild(element: OfxElement | undefined, ...names: string[]): OfxElement | undefined {
  let current = element;
  for (const name of names) current = current?.children.find((c) => c.name === name);
  return current;
}

export function ofxText(element: OfxElement | undefined, ...names: string[]): string | undefined {
  const found = ofxChild(element, ...names);
  return found?.text === undefined || found.text === '' ? undefined : found.text;
}

/**
 * Every descendant with one of these names, in document order, without looking inside a match.
 * Iterative: a hostile file can nest thousands of unclosed aggregates.
 */
export function findAll(element: OfxElement, names: ReadonlySet<string>): OfxElement[] {
  const found: OfxElement[] = [];
  const pending: OfxElement[] = [...element.children].reverse();
  while (pending.length > 0) {
    const e = pending.pop()!;
    if (names.has(e.name)) found.push(e);
    else for (let c = e.children.length - 1; c >= 0; c--) pending.push(e.children[c]!);
  }
  return found;
}

export function findFirst(element: OfxElement, name: string): OfxElement | undefined {
  return findAll(element, new Set([name]))[0];
}
