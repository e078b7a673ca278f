// Message templates: what levels exist, which variables a template may use, and the template
// language itself.
//
// The syntax is deliberately small, so that a template edited by a user can be checked completely
// when it is saved and can never run code:
//   {{name}}                          a value (dotted names such as {{bank.iban}} are plain names)
//   {{#if name}} … {{else}} … {{/if}} a block shown when the value is non-empty, true, or a non-empty list
//   {{#each list}} … {{else}} … {{/each}}  repeated for each item; inside, an item's fields come first
//   [NUMERO], [MONTANT] …             the French bracket names users know from other tools, as aliases
// A block tag alone on its line takes its line with it, so blocks do not leave blank lines behind.
// Values are inserted as they are and never read as template text.

export const TEMPLATE_LEVELS = ['courtesy', 1, 2, 3, 'promise_broken', 'statement'] as const;
/**
 * `courtesy`: before the due date (optional). 1: courteous reminder. 2: firm reminder. 3: formal
 * notice. `promise_broken`: after a promised payment date passed. `statement`: statement of account.
 */
export type TemplateLevel = (typeof TEMPLATE_LEVELS)[number];

export interface MessageTemplate {
  readonly subject: string;
  /** Plain text; the HTML part is derived from it. */
  readonly body: string;
}

export type TemplateSet = Readonly<Record<TemplateLevel, MessageTemplate>>;

/** `text` can be printed and tested; `flag` only tested with #if; a list is iterated with #each. */
export type VariableKind = 'text' | 'flag' | { readonly list: Readonly<Record<string, 'text' | 'flag'>> };
export type VariableSpec = Readonly<Record<string, VariableKind>>;

const INVOICE_FIELDS = {
  number: 'text',
  issue_date: 'text',
  due_date: 'text',
  /** Total with tax. */
  amount: 'text',
  outstanding: 'text',
  days_overdue: 'text',
  /** Past its due date (a statement lists invoices not yet due too). */
  overdue: 'flag',
} as const;

/**
 * What a message template may use. Amounts and dates arrive formatted for the message's language.
 * With several invoices, the scalar invoice fields summarise them (numbers listed, earliest due
 * date, largest delay, summed amounts).
 */
export const MESSAGE_VARIABLES: VariableSpec = {
  invoice_number: 'text',
  amount: 'text',
  due_date: 'text',
  days_overdue: 'text',
  contact_name: 'text',
  customer_name: 'text',
  company_name: 'text',
  sender_name: 'text',
  total_due: 'text',
  paid_so_far: 'text',
  invoice_count: 'text',
  several: 'flag',
  invoices: { list: INVOICE_FIELDS },
  other_overdue: { list: INVOICE_FIELDS },
  other_overdue_total: 'text',
  bank: 'flag',
  'bank.iban': 'text',
  'bank.bic': 'text',
  'bank.name': 'text',
  payment_reference: 'text',
  promised_date: 'text',
  pay_by: 'text',
  late_interest: 'text',
  recovery_indemnity: 'text',
  legal_basis: 'text',
  as_of: 'text',
};

/** The bracket names of French invoicing tools, accepted in templates users paste in. */
export const FRENCH_ALIASES: Readonly<Record<string, string>> = {
  '[NUMERO]': 'invoice_number',
  '[MONTANT]': 'amount',
  '[DATE]': 'due_date',
  '[CONTACT]': 'contact_name',
  '[ENTREPRISE_CLIENT]': 'customer_name',
  '[JOURS_RETARD]': 'days_overdue',
  '[VOTRE ENTREPRISE]': 'company_name',
  '[VOTRE_ENTREPRISE]': 'company_name',
};

export interface TemplateProblem {
  readonly message: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly offset: number;
}

export type TemplateScalar = string | number | boolean | null | undefined;
export type TemplateItem = Readonly<Record<string, TemplateScalar>>;
export type TemplateValues = Readonly<Record<string, TemplateScalar | readonly TemplateItem[]>>;

export interface CompiledTemplate {
  readonly source: string;
  /** The variables it uses, each once, in order of first use. */
  readonly variables: readonly string[];
  render(values: TemplateValues): string;
}

export type CompileResult =
  | { readonly ok: true; readonly template: CompiledTemplate; readonly warnings: readonly TemplateProblem[] }
  | { readonly ok: false; readonly errors: readonly TemplateProblem[] };

export interface CompileOptions {
  /** Default `MESSAGE_VARIABLES`. */
  readonly variables?: VariableSpec;
  /** Default `FRENCH_ALIASES`; `{}` for none. */
  readonly aliases?: Readonly<Record<string, string>>;
}

type Node =
  | { readonly t: 'text'; readonly value: string }
  | { readonly t: 'var'; readonly name: string; readonly item: boolean }
  | {
      readonly t: 'if';
      readonly name: string;
      readonly item: boolean;
      readonly yes: Node[];
      readonly no: Node[];
    }
  | { readonly t: 'each'; readonly name: string; readonly body: Node[]; readonly empty: Node[] };

type Token =
  | { readonly t: 'text'; readonly start: number; readonly end: number }
  | {
      readonly t: 'var';
      readonly name: string;
      readonly label: string;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly t: 'open';
      readonly block: 'if' | 'each';
      readonly name: string;
      readonly start: number;
      readonly end: number;
    }
  | { readonly t: 'else'; readonly start: number; readonly end: number }
  | { readonly t: 'close'; readonly block: string; readonly start: number; readonly end: number };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const BRACKET = /\[([A-ZÀ-Ý][A-ZÀ-Ý0-9_ ]{1,30})\]/y;

function position(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function tokenize(
  source: string,
  aliases: Readonly<Record<string, string>>,
  problem: (message: string, offset: number, warning?: boolean) => void,
): Token[] {
  const tokens: Token[] = [];
  let textStart = 0;
  let i = 0;
  const flushText = (end: number) => {
    if (end > textStart) tokens.push({ t: 'text', start: textStart, end });
  };
  while (i < source.length) {
    const ch = source[i];
    if (ch === '[') {
      BRACKET.lastIndex = i;
      const m = BRACKET.exec(source);
      if (m) {
        const alias = aliases[m[0]];
        if (alias !== undefined) {
          flushText(i);
          tokens.push({ t: 'var', name: alias, label: m[0], start: i, end: i + m[0].length });
          i += m[0].length;
          textStart = i;
          continue;
        }
        if (Object.keys(aliases).length > 0 && m[0].length >= 5) {
          problem(`${m[0]} looks like a variable but is not one; it will be sent as written`, i, true);
        }
      }
      i++;
      continue;
    }
    if (ch !== '{' || source[i + 1] !== '{') {
      i++;
      continue;
    }
    const close = source.indexOf('}}', i + 2);
    const nextOpen = source.indexOf('{{', i + 2);
    if (close === -1) {
      problem('unclosed tag: "{{" has no matching "}}"', i);
      break;
    }
    if (nextOpen !== -1 && nextOpen < close) {
      problem('unclosed tag: "{{" is not closed with "}}" before the next "{{"', i);
      i = nextOpen;
      continue;
    }
    flushText(i);
    const end = close + 2;
    const content = source.slice(i + 2, close).trim();
    textStart = end;
    const start = i;
    i = end;
    if (content.startsWith('{')) {
      problem('triple braces are not supported: write {{name}}', start);
      continue;
    }
    if (content.startsWith('#')) {
      const m = /^#(\S*)\s*(.*)$/s.exec(content);
      const block = m?.[1] ?? '';
      const arg = (m?.[2] ?? '').trim();
      if (block !== 'if' && block !== 'each') {
        problem(`unknown block "{{#${block}}}": expected {{#if name}} or {{#each name}}`, start);
        continue;
      }
      if (!NAME.test(arg)) {
        problem(
          arg
            ? `"{{#${block} ${arg}}}": "${arg}" is not a variable name`
            : `"{{#${block}}}" needs a variable name`,
          start,
        );
        // Still open the block, so that its {{/…}} does not cascade into more errors.
        tokens.push({ t: 'open', block, name: '', start, end });
        continue;
      }
      tokens.push({ t: 'open', block, name: arg, start, end });
      continue;
    }
    if (content.startsWith('/')) {
      tokens.push({ t: 'close', block: content.slice(1).trim(), start, end });
      continue;
    }
    if (content === 'else') {
      tokens.push({ t: 'else', start, end });
      continue;
    }
    if (!NAME.test(content)) {
      problem(
        content
          ? `"{{${content}}}" is not a variable name or a block tag`
          : 'empty tag "{{}}": expected a variable name',
        start,
      );
      continue;
    }
    tokens.push({ t: 'var', name: content, label: `{{${content}}}`, start, end });
  }
  flushText(source.length);
  return tokens;
}

/**
 * Characters to drop so that a line holding only block tags and spaces disappears entirely,
 * newline included.
 */
function standaloneDrops(source: string, tokens: readonly Token[]): Uint8Array {
  const drop = new Uint8Array(source.length);
  let k = 0;
  while (k < tokens.length) {
    const token = tokens[k] as Token;
    if (token.t === 'text' || token.t === 'var') {
      k++;
      continue;
    }
    const lineStart = source.lastIndexOf('\n', token.start - 1) + 1;
    const newline = source.indexOf('\n', token.end);
    const lineEnd = newline === -1 ? source.length : newline;
    // All tokens on this line: back to the line start, forward to its end.
    let first = k;
    while (first > 0 && (tokens[first - 1] as Token).end > lineStart) first--;
    let last = k;
    while (last + 1 < tokens.length && (tokens[last + 1] as Token).start < lineEnd) last++;
    let standalone = true;
    for (let j = first; j <= last && standalone; j++) {
      const other = tokens[j] as Token;
      if (other.t === 'var') standalone = false;
      else if (other.t === 'text') {
        const from = Math.max(other.start, lineStart);
        const to = Math.min(other.end, lineEnd);
        if (source.slice(from, to).trim() !== '') standalone = false;
      }
    }
    if (standalone) {
      const dropEnd = newline === -1 ? source.length : newline + 1;
      drop.fill(1, lineStart, dropEnd);
    }
    k = last + 1;
  }
  return drop;
}

function textOf(source: string, start: number, end: number, drop: Uint8Array): string {
  let out = '';
  let runStart = -1;
  for (let i = start; i < end; i++) {
    if (drop[i]) {
      if (runStart !== -1) {
        out += source.slice(runStart, i);
        runStart = -1;
      }
    } else if (runStart === -1) runStart = i;
  }
  if (runStart !== -1) out += source.slice(runStart, end);
  return out;
}

interface OpenBlock {
  readonly block: 'if' | 'each';
  readonly name: string;
  readonly start: number;
  /** The nodes before {{else}}, and after it. */
  readonly yes: Node[];
  readonly no: Node[];
  inElse: boolean;
  /** For #each: the item fields in scope. */
  readonly fields?: Readonly<Record<string, 'text' | 'flag'>>;
}

/**
 * Parses and checks a template. Never throws: every problem comes back with its line and column,
 * worded for the person who edited the template.
 */
export function compileTemplate(source: string, options: CompileOptions = {}): CompileResult {
  const spec = options.variables ?? MESSAGE_VARIABLES;
  const aliases = options.aliases ?? FRENCH_ALIASES;
  const errors: TemplateProblem[] = [];
  const warnings: TemplateProblem[] = [];
  const problem = (message: string, offset: number, warning = false) => {
    (warning ? warnings : errors).push({ message, offset, ...position(source, offset) });
  };

  const tokens = tokenize(source, aliases, problem);
  const drop = standaloneDrops(source, tokens);
  const root: Node[] = [];
  const stack: OpenBlock[] = [];
  const used: string[] = [];
  const use = (name: string) => {
    if (!used.includes(name)) used.push(name);
  };
  const target = (): Node[] => {
    const top = stack.at(-1);
    if (!top) return root;
    return top.inElse ? top.no : top.yes;
  };
  // The innermost #each's fields shadow the template's variables.
  const resolve = (name: string): { kind: VariableKind; item: boolean } | undefined => {
    for (let j = stack.length - 1; j >= 0; j--) {
      const fields = (stack[j] as OpenBlock).fields;
      const field = fields && Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (field) return { kind: field, item: true };
    }
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    return kind ? { kind, item: false } : undefined;
  };
  const unknown = (name: string, label: string, offset: number) => {
    const names = new Set(Object.keys(spec));
    for (const open of stack) for (const field of Object.keys(open.fields ?? {})) names.add(field);
    problem(`unknown variable "${name}" in ${label}${suggestion(name, names)}`, offset);
  };

  for (const token of tokens) {
    switch (token.t) {
      case 'text': {
        const value = textOf(source, token.start, token.end, drop);
        if (value) target().push({ t: 'text', value });
        break;
      }
      case 'var': {
        const found = resolve(token.name);
        if (!found) {
          unknown(token.name, token.label, token.start);
          break;
        }
        if (found.kind === 'flag') {
          problem(`"${token.name}" is a yes/no value: use it as {{#if ${token.name}}}…{{/if}}`, token.start);
          break;
        }
        if (typeof found.kind === 'object') {
          problem(`"${token.name}" is a list: use {{#each ${token.name}}}…{{/each}}`, token.start);
          break;
        }
        use(token.name);
        target().push({ t: 'var', name: token.name, item: found.item });
        break;
      }
      case 'open': {
        const label = `{{#${token.block} ${token.name}}}`;
        const open: OpenBlock = {
          block: token.block,
          name: token.name,
          start: token.start,
          yes: [],
          no: [],
          inElse: false,
        };
        const found = token.name ? resolve(token.name) : undefined;
        if (token.name && !found) unknown(token.name, label, token.start);
        if (token.block === 'each') {
          if (stack.some((b) => b.block === 'each')) {
            problem(`${label} inside another {{#each}}: lists cannot be nested`, token.start);
          } else if (found && typeof found.kind !== 'object') {
            problem(`{{#each ${token.name}}}: "${token.name}" is not a list`, token.start);
          }
          const fields = found && typeof found.kind === 'object' ? found.kind.list : {};
          if (found) use(token.name);
          target().push({ t: 'each', name: token.name, body: open.yes, empty: open.no });
          stack.push({ ...open, fields });
        } else {
          if (found) use(token.name);
          target().push({
            t: 'if',
            name: token.name,
            item: found?.item ?? false,
            yes: open.yes,
            no: open.no,
          });
          stack.push(open);
        }
        break;
      }
      case 'else': {
        const top = stack.at(-1);
        if (!top)
          problem('{{else}} outside a block: it belongs inside {{#if …}} or {{#each …}}', token.start);
        else if (top.inElse) problem(`a second {{else}} in {{#${top.block} ${top.name}}}`, token.start);
        else top.inElse = true;
        break;
      }
      case 'close': {
        const top = stack.at(-1);
        if (!top) {
          problem(`{{/${token.block}}} closes no open block`, token.start);
          break;
        }
        if (top.block !== token.block) {
          const at = position(source, top.start);
          problem(
            `{{/${token.block}}} does not match {{#${top.block} ${top.name}}} opened at line ${at.line}, column ${at.column}: expected {{/${top.block}}}`,
            token.start,
          );
        }
        stack.pop();
        break;
      }
    }
  }
  for (const open of stack.reverse()) {
    problem(`{{#${open.block} ${open.name}}} is never closed: add {{/${open.block}}}`, open.start);
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.offset - b.offset);
    return { ok: false, errors };
  }
  const program = root;
  return {
    ok: true,
    warnings,
    template: {
      source,
      variables: used,
      render: (values) => renderNodes(program, values, undefined),
    },
  };
}

function truthy(value: TemplateScalar | readonly TemplateItem[]): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value === true;
}

function renderNodes(nodes: readonly Node[], values: TemplateValues, item: TemplateItem | undefined): string {
  let out = '';
  for (const node of nodes) {
    switch (node.t) {
      case 'text':
        out += node.value;
        break;
      case 'var': {
        const value = node.item && item ? item[node.name] : values[node.name];
        if (typeof value === 'string') out += value;
        else if (typeof value === 'number') out += String(value);
        break;
      }
      case 'if': {
        const value = node.item && item ? item[node.name] : values[node.name];
        out += renderNodes(truthy(value) ? node.yes : node.no, values, item);
        break;
      }
      case 'each': {
        const list = values[node.name];
        if (Array.isArray(list) && list.length > 0) {
          for (const entry of list as readonly TemplateItem[]) out += renderNodes(node.body, values, entry);
        } else out += renderNodes(node.empty, values, item);
        break;
      }
    }
  }
  return out;
}
