// Text normalisation shared by the inbound readers. Customers write with or without accents, in any
// case, with curly apostrophes from phones; every matcher works on the same folded form so that a
// lexicon entry written once ("reçu") also matches "recu", "REÇU" and "reçu".

/** Lower-cases and strips diacritics, one output character per input character, so offsets found in
 * the folded text point at the same place in the original. ß and œ keep their letter (no expansion). */
export function foldKeepLength(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const base = lower.normalize('NFD').charAt(0);
    const folded = base.length === 1 && lower.length === 1 ? base : ch;
    // Astral characters (emoji) are two UTF-16 units: keep them whole so lengths still line up.
    out += folded.length === ch.length ? folded : ch;
  }
  return out.replace(/[’‘`´]/g, "'");
}

/** Folds a single word for dictionary look-up: accents away, ß → ss, œ → oe, æ → ae. */
export function foldWord(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

export interface Token {
  /** Folded form used for matching. */
  word: string;
  /** Index of the sentence the token belongs to. */
  sentence: number;
  /** Clause index: commas, semicolons and contrastive conjunctions start a new clause. */
  clause: number;
  start: number;
  end: number;
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

// English contractions carry the negation inside the word; expanding them lets one negation list
// ("not") serve "don't", "haven't", "won't" and "can't".
const CONTRACTIONS: Record<string, string[]> = {
  "won't": ['will', 'not'],
  "can't": ['can', 'not'],
  "shan't": ['shall', 'not'],
  cannot: ['can', 'not'],
  "i'm": ['i', 'am'],
  "i've": ['i', 'have'],
  "we've": ['we', 'have'],
  "i'll": ['i', 'will'],
  "we'll": ['we', 'will'],
  "you'll": ['you', 'will'],
  "it'll": ['it', 'will'],
  "they'll": ['they', 'will'],
  "we're": ['we', 'are'],
  "you're": ['you', 'are'],
  "they're": ['they', 'are'],
  "it's": ['it', 'is'],
  "i'd": ['i', 'would'],
  "we'd": ['we', 'would'],
};

const ABBREVIATIONS = new Set([
  'nr',
  'no',
  'n',
  'tel',
  'mr',
  'mrs',
  'ms',
  'dr',
  'me',
  'mme',
  'm',
  'st',
  'sig',
  'sig.ra',
  'ca',
  'bzw',
  'z',
  'b',
  'u',
  'a',
  'etc',
  'ref',
  'réf',
  'vs',
  'inc',
  'ltd',
  'sr',
  'sra',
  'dhr',
  'mevr',
  'mw',
  'art',
  'ggf',
  'inkl',
  'evtl',
  'max',
  'min',
  'approx',
  'p',
  'pp',
  'dott',
  'avv',
  'ing',
  'geb',
]);

/** Splits into sentences: at blank lines, at line ends that close a sentence, and at `.!?;` followed by
 * a space. A period after a one- or two-digit number ("am 2. Dezember") or an abbreviation is not an end. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (trimmed) {
      const offset = start + raw.indexOf(trimmed);
      sentences.push({ text: trimmed, start: offset, end: offset + trimmed.length });
    }
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      const line = text.slice(lineStart, i).trim();
      const next = text.slice(
        i + 1,
        text.indexOf('\n', i + 1) === -1 ? undefined : text.indexOf('\n', i + 1),
      );
      // Hard-wrapped prose continues on the next line in lower case; anything else ends the sentence.
      const continues = line.length >= 50 && !/[.!?:;]$/.test(line) && /^\s*\p{Ll}/u.test(next);
      if (!continues) push(i + 1);
      continue;
    }
    if (ch === '?' || ch === '!' || ch === ';') {
      if (i + 1 >= text.length || /\s/.test(text[i + 1]!)) push(i + 1);
      continue;
    }
    if (ch === '.') {
      if (i + 1 < text.length && !/\s/.test(text[i + 1]!)) continue;
      const before = /([\p{L}\d.]+)$/u.exec(text.slice(Math.max(0, i - 12), i))?.[1]?.toLowerCase() ?? '';
      if (/^\d{1,2}$/.test(before)) continue;
      // "am 24.11. überwiesen": a date written with dots, followed by the rest of the sentence.
      if (/^\d{1,2}\.\d{1,2}(?:\.\d{2,4})?$/.test(before) && /^\s+\p{Ll}/u.test(text.slice(i + 1, i + 4)))
        continue;
      if (ABBREVIATIONS.has(before)) continue;
      push(i + 1);
    }
  }
  push(text.length);
  return sentences;
}

const CLAUSE_WORDS = new Set([
  'but',
  'mais',
  'aber',
  'pero',
  'ma',
  'maar',
  'however',
  'cependant',
  'jedoch',
  'sino',
]);

/** Folded word tokens with their sentence and clause. */
export function tokenize(text: string, sentences: Sentence[] = splitSentences(text)): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  sentences.forEach((sentence, index) => {
    clause++;
    const re = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[,;:()]/gu;
    for (let m = re.exec(sentence.text); m; m = re.exec(sentence.text)) {
      const raw = m[0].replace('’', "'");
      const start = sentence.start + m.index;
      if (raw.length === 1 && ',;:()'.includes(raw)) {
        clause++;
        continue;
      }
      const lower = raw.toLowerCase();
      const expanded = CONTRACTIONS[lower];
      let parts: string[];
      if (expanded) parts = expanded;
      else if (/n't$/.test(lower)) parts = [lower.slice(0, -3), 'not'];
      else if (lower.includes("'")) {
        // French and Italian elision (l'avoir, n'avons, dell'ordine) and English possessives.
        const [head, tail] = lower.split("'") as [string, string];
        parts = tail === 's' || tail === 'd' || tail === 'll' ? [head] : [head, tail];
      } else parts = [lower];
      const folded = parts.map(foldWord).filter((p) => p.length > 0);
      if (folded.length === 1 && CLAUSE_WORDS.has(folded[0]!)) clause++;
      for (const word of folded)
        tokens.push({ word, sentence: index, clause, start, end: start + raw.length });
    }
  });
  return tokens;
}

/** Damerau-free Levenshtein distance capped at `max + 1` (enough to answer "within max?"). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
