// A small token-pattern language for the intent lexicons, so that a cue reads like the phrase it
// catches: "will ~2 pay|settle*" is "will", up to two words, then "pay" or a word starting "settle".
//
//   word      the folded word; a word of 6+ letters also matches one typo away ("paiment" → "paiement")
//   word!     the word exactly, no typo tolerance (for words one letter from an unrelated word)
//   stem*     any word starting with stem; a stem of 5+ letters tolerates one typo in the stem
//   a|b*|@M   alternatives; @M is a macro, whose entries may be whole phrases
//   {a b|c}   alternatives that are phrases ("{in the post|posted}")
//   ?x        optional x
//   ~N        up to N words of anything (within the same sentence)
//   ^         the start of a sentence ("^ paid" is a reply that begins with "Paid")
//
// Matching never crosses a sentence boundary. Each distinct word test gets an id; the ids a text word
// passes are computed once per word and cached, so a message costs one dictionary pass plus cheap
// set look-ups whatever the number of cues.

import { editDistance, foldWord } from './text.ts';

interface WordTest {
  kind: 'exact' | 'prefix';
  text: string;
  typo: boolean;
}

type Elem =
  | { t: 'start' }
  | { t: 'tok'; ids: Set<number> }
  | { t: 'gap'; max: number }
  | { t: 'alt'; options: Elem[][] };

export interface CompiledPattern {
  source: string;
  elems: Elem[];
  /** Word-test ids that can start a match; null when the pattern may start anywhere. */
  first: Set<number> | null;
}

export interface PatternMatch {
  /** Index of the first token of the match. */
  start: number;
  /** Index after the last token of the match. */
  end: number;
}

interface TokenLike {
  word: string;
  sentence: number;
}

const MIN_TYPO_WORD = 6;
const MIN_TYPO_STEM = 6;
const CACHE_LIMIT = 50_000;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

export class PatternSet {
  private readonly tests: WordTest[] = [];
  private readonly testIds = new Map<string, number>();
  private readonly exact = new Map<string, number[]>();
  private readonly prefix = new Map<string, number[]>();
  private readonly typoExact = new Map<string, number[]>();
  private readonly typoPrefix = new Map<string, number[]>();
  private readonly macroCache = new Map<string, Elem>();
  private readonly wordCache = new Map<string, readonly number[]>();
  private minStem = Number.POSITIVE_INFINITY;
  private maxStem = 0;

  constructor(private readonly macros: Readonly<Record<string, readonly string[]>>) {}

  compile(source: string): CompiledPattern {
    const elems = this.compileSequence(source, new Set());
    return { source, elems, first: firstIds(elems) };
  }

  private compileSequence(source: string, expanding: Set<string>): Elem[] {
    // Lexicons are written as people write ("rendez-vous", "l'avoir", "reçu"); texts are tokenized
    // at apostrophes and hyphens and folded, so patterns are too.
    const normalised = source.replace(/['’]|(?<=\p{L})-(?=\p{L})/gu, ' ');
    const parts: string[] = [];
    const re = /\{[^}]*\}|\S+/g;
    for (let m = re.exec(normalised); m; m = re.exec(normalised)) parts.push(m[0]);
    return parts.map((part) => this.compileElement(part, expanding));
  }

  private compileElement(part: string, expanding: Set<string>): Elem {
    if (part.startsWith('{')) {
      if (!part.endsWith('}')) throw new Error(`unclosed { in "${part}"`);
      const options = part
        .slice(1, -1)
        .split('|')
        .map((option) => this.compileSequence(option, expanding));
      return { t: 'alt', options };
    }
    if (part === '^') return { t: 'start' };
    if (/^~\d+$/.test(part)) return { t: 'gap', max: Number(part.slice(1)) };
    if (part.startsWith('?') && part.length > 1) {
      return { t: 'alt', options: [[this.compileElement(part.slice(1), expanding)], []] };
    }
    const alternatives = part.split('|');
    const ids = new Set<number>();
    const options: Elem[][] = [];
    for (const alternative of alternatives) {
      if (alternative.startsWith('@')) options.push([this.macro(alternative.slice(1), expanding)]);
      else ids.add(this.testId(alternative));
    }
    if (options.length === 0) return { t: 'tok', ids };
    if (ids.size > 0) options.push([{ t: 'tok', ids }]);
    return { t: 'alt', options };
  }

  private macro(name: string, expanding: Set<string>): Elem {
    const cached = this.macroCache.get(name);
    if (cached) return cached;
    const entries = this.macros[name];
    if (!entries) throw new Error(`unknown macro @${name}`);
    if (expanding.has(name)) throw new Error(`macro @${name} refers to itself`);
    expanding.add(name);
    const singles = new Set<number>();
    const options: Elem[][] = [];
    for (const entry of entries) {
      const seq = this.compileSequence(entry, expanding);
      const only = seq.length === 1 ? seq[0] : undefined;
      if (only && only.t === 'tok') for (const id of only.ids) singles.add(id);
      else options.push(seq);
    }
    expanding.delete(name);
    if (singles.size > 0) options.unshift([{ t: 'tok', ids: singles }]);
    const elem: Elem =
      options.length === 1 && options[0]!.length === 1 ? options[0]![0]! : { t: 'alt', options };
    this.macroCache.set(name, elem);
    return elem;
  }

  private testId(raw: string): number {
    const noTypo = raw.endsWith('!');
    const body = noTypo ? raw.slice(0, -1) : raw;
    const kind = body.endsWith('*') ? 'prefix' : 'exact';
    const text = foldWord(kind === 'prefix' ? body.slice(0, -1) : body);
    if (!text) throw new Error(`empty word in pattern element "${raw}"`);
    const key = `${kind}:${text}:${noTypo}`;
    const known = this.testIds.get(key);
    if (known !== undefined) return known;
    const id = this.tests.length;
    const typo =
      !noTypo && !/\d/.test(text) && text.length >= (kind === 'exact' ? MIN_TYPO_WORD : MIN_TYPO_STEM);
    this.tests.push({ kind, text, typo });
    this.testIds.set(key, id);
    const add = (map: Map<string, number[]>, k: string) => {
      const list = map.get(k);
      if (list) list.push(id);
      else map.set(k, [id]);
    };
    if (kind === 'exact') add(this.exact, text);
    else {
      add(this.prefix, text);
      this.minStem = Math.min(this.minStem, text.length);
      this.maxStem = Math.max(this.maxStem, text.length);
    }
    if (typo) {
      const target = kind === 'exact' ? this.typoExact : this.typoPrefix;
      for (const variant of new Set([text, ...deletions(text)])) add(target, variant);
    }
    this.wordCache.clear();
    return id;
  }

  /** Ids of the word tests `word` passes. */
  idsOf(word: string): readonly number[] {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    const ids = new Set<number>();
    for (const id of this.exact.get(word) ?? []) ids.add(id);
    for (let p = Math.max(1, this.minStem); p <= Math.min(word.length, this.maxStem); p++) {
      for (const id of this.prefix.get(word.slice(0, p)) ?? []) ids.add(id);
    }
    // A word the lexicon knows exactly is no typo of another ("payer" is not a misspelt "payera").
    if (!/\d/.test(word) && !this.exact.has(word)) {
      if (word.length >= MIN_TYPO_WORD - 1) this.typoLookup(word, this.typoExact, ids, 'exact');
      const low = Math.max(MIN_TYPO_STEM - 1, this.minStem - 1);
      for (let p = low; p <= Math.min(word.length, this.maxStem + 1); p++) {
        this.typoLookup(word.slice(0, p), this.typoPrefix, ids, 'prefix');
      }
    }
    const result = [...ids];
    if (this.wordCache.size >= CACHE_LIMIT) this.wordCache.clear();
    this.wordCache.set(word, result);
    return result;
  }

  private typoLookup(
    text: string,
    index: Map<string, number[]>,
    ids: Set<number>,
    kind: WordTest['kind'],
  ): void {
    for (const variant of new Set([text, ...deletions(text)])) {
      for (const id of index.get(variant) ?? []) {
        if (ids.has(id)) continue;
        const test = this.tests[id]!;
        if (test.kind !== kind) continue;
        // A different first letter is rarely a typo and often another word ("context"/"contest").
        if (test.text[0] !== text[0]) continue;
        if (editDistance(text, test.text, 1) <= 1) ids.add(id);
      }
    }
  }

  /** Every (leftmost, shortest) match of `pattern` in `tokens`, given their precomputed ids. */
  findAll(
    pattern: CompiledPattern,
    tokens: readonly TokenLike[],
    tokenIds: readonly (readonly number[])[],
  ): PatternMatch[] {
    const matches: PatternMatch[] = [];
    let from = 0;
    while (from < tokens.length) {
      let found: PatternMatch | null = null;
      for (let start = from; start < tokens.length; start++) {
        if (pattern.first && !tokenIds[start]!.some((id) => pattern.first!.has(id))) continue;
        const end = matchSeq(pattern.elems, 0, start, tokens[start]!.sentence, tokens, tokenIds, (e) => e);
        if (end >= 0) {
          found = { start, end };
          break;
        }
      }
      if (!found) break;
      matches.push(found);
      from = Math.max(found.end, found.start + 1);
    }
    return matches;
  }
}

function matchSeq(
  elems: readonly Elem[],
  index: number,
  at: number,
  sentence: number,
  tokens: readonly TokenLike[],
  tokenIds: readonly (readonly number[])[],
  done: (end: number) => number,
): number {
  if (index === elems.length) return done(at);
  const elem = elems[index]!;
  switch (elem.t) {
    case 'start': {
      if (at > 0 && at < tokens.length && tokens[at - 1]!.sentence === sentence) return -1;
      return matchSeq(elems, index + 1, at, sentence, tokens, tokenIds, done);
    }
    case 'tok': {
      if (at >= tokens.length || tokens[at]!.sentence !== sentence) return -1;
      if (!tokenIds[at]!.some((id) => elem.ids.has(id))) return -1;
      return matchSeq(elems, index + 1, at + 1, sentence, tokens, tokenIds, done);
    }
    case 'gap': {
      for (let skip = 0; skip <= elem.max; skip++) {
        const pos = at + skip;
        if (skip > 0 && (pos - 1 >= tokens.length || tokens[pos - 1]!.sentence !== sentence)) break;
        const end = matchSeq(elems, index + 1, pos, sentence, tokens, tokenIds, done);
        if (end >= 0) return end;
      }
      return -1;
    }
    case 'alt': {
      for (const option of elem.options) {
        const end = matchSeq(option, 0, at, sentence, tokens, tokenIds, (mid) =>
          matchSeq(elems, index + 1, mid, sentence, tokens, tokenIds, done),
        );
        if (end >= 0) return end;
      }
      return -1;
    }
  }
}

function firstIds(elems: readonly Elem[]): Set<number> | null {
  const head = elems[0];
  if (!head) return null;
  if (head.t === 'tok') return head.ids;
  if (head.t === 'start') return firstIds(elems.slice(1));
  if (head.t === 'gap') return null;
  const union = new Set<number>();
  for (const option of head.options) {
    // An empty option (from ?x) lets the rest start the match; be permissive then.
    const ids = option.length === 0 ? firstIds(elems.slice(1)) : firstIds(option);
    if (!ids) return null;
    for (const id of ids) union.add(id);
  }
  return union;
}
