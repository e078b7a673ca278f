// What the customer means, from what they wrote (the reply without its quote), by lexicon rules.
//
// Each language has a lexicon of cues (lexicons/*.ts): phrases with an intent and a weight, written
// with their negated and conditional readings in mind. A message's score per intent is the sum of the
// cues it contains (each cue once). Then:
//
// PRIORITY. Several intents often appear together ("the goods arrived broken, we will pay once we get
// the credit note"; "we paid, please send a statement"). Among the intents with decisive evidence
// (score ≥ 1), the first in this order wins:
//   insolvency > dispute > already_paid > payment_plan_request > promise_to_pay > wrong_contact >
//   refusal > document_request > callback_request
// The order follows what acting on the wrong reading would cost: reminding a company in insolvency
// proceedings breaks the law (claims go to the administrator); reminding over a dispute or a payment
// already made angers a customer who is right; a plan request or a promise pauses the reminders; the
// rest changes who we write to or what we send. A promise beats a request for documents ("send me
// your IBAN, I pay Friday") because the date is what the agent acts on.
//
// NEGATION. Each cue says what its negated form means (see lexicons/types.ts): "we have not received
// the goods" is a dispute, "nous n'avons pas reçu la facture" a document request, "we will not pay" a
// refusal, "ce n'est pas un litige" no dispute at all. A negation counts within four words before the
// cue or inside it, not across "but"/"mais"/"aber" or a comma, so "I have not paid yet but will pay
// Friday" stays a promise.
//
// CONDITIONS. "Once we get the credit note we will pay" is a dispute (a credit note is expected);
// "we will pay as soon as our client pays us" is a payment_plan_request: it commits to no date and
// hangs on a third party, which is asking for more time; "we will pay when we receive the invoice" is
// a document request. The lexicons carry these as cues on the condition word and its object, weighted
// above the promise they contain and, by priority, winning over it.
//
// A plan request that only asks for time ("could you give us until the 15th?") becomes a promise when
// it names a firm date for the whole amount, as §3 defines a plan as having none.

import type { PlainDate } from '../calendar/plain-date.ts';
import { type Intent, LANGUAGES, type Language } from './analysis.ts';
import { type DateMention, findDateMentions, isDocumentDate, paymentTense } from './dates.ts';
import { LEXICONS } from './lexicons/index.ts';
import type { Cue, Lexicon } from './lexicons/types.ts';
import { type CompiledPattern, PatternSet } from './patterns.ts';
import { foldWord, splitSentences, type Token, tokenize } from './text.ts';

export const PRIORITY: readonly Intent[] = [
  'insolvency',
  'dispute',
  'already_paid',
  'payment_plan_request',
  'promise_to_pay',
  'wrong_contact',
  'refusal',
  'document_request',
  'callback_request',
];

const DECISIVE = 1;
const WEAK = 0.5;
const NEGATION_BEFORE = 4;

export interface IntentEvidence {
  cue: string;
  intent: Intent;
  weight: number;
  negated: boolean;
}

export interface IntentResult {
  intent: Intent;
  confidence: number;
  scores: Partial<Record<Intent, number>>;
  evidence: IntentEvidence[];
  /** True when the plan evidence only asks for time (no instalments): a firm date makes it a promise. */
  delayOnly: boolean;
  mentions: DateMention[];
}

interface CompiledCue {
  cue: Cue;
  pattern: CompiledPattern;
  nb: Set<string> | null;
}

interface CompiledLexicon {
  lexicon: Lexicon;
  set: PatternSet;
  cues: CompiledCue[];
  condition: CompiledPattern | null;
  negations: Set<string>;
}

const compiled = new Map<Language, CompiledLexicon>();

function compile(language: Language): CompiledLexicon {
  const cached = compiled.get(language);
  if (cached) return cached;
  const lexicon = LEXICONS[language];
  const set = new PatternSet(lexicon.macros);
  const cues = lexicon.cues.map((cue) => {
    try {
      return {
        cue,
        pattern: set.compile(cue.p),
        nb: cue.nb ? new Set(cue.nb.split('|').map(foldWord)) : null,
      };
    } catch (error) {
      throw new Error(`lexicon ${language}: cue "${cue.p}": ${(error as Error).message}`);
    }
  });
  const condition = lexicon.macros.COND ? set.compile('@COND') : null;
  const result = {
    lexicon,
    set,
    cues,
    condition,
    negations: new Set(lexicon.negations.split('|').map(foldWord)),
  };
  compiled.set(language, result);
  return result;
}

function isNegated(tokens: readonly Token[], start: number, end: number, lex: CompiledLexicon): boolean {
  const first = tokens[start]!;
  for (let i = start - 1; i >= Math.max(0, start - NEGATION_BEFORE); i--) {
    const t = tokens[i]!;
    if (t.sentence !== first.sentence || t.clause !== first.clause) break;
    if (lex.negations.has(t.word)) return true;
  }
  for (let i = start; i < end; i++) if (lex.negations.has(tokens[i]!.word)) return true;
  const last = tokens[end - 1]!;
  for (let i = end; i < Math.min(tokens.length, end + lex.lexicon.negationAfter); i++) {
    const t = tokens[i]!;
    if (t.sentence !== last.sentence || t.clause !== last.clause) break;
    if (lex.negations.has(t.word)) return true;
  }
  return false;
}

function blockedBefore(tokens: readonly Token[], start: number, nb: Set<string>): boolean {
  const sentence = tokens[start]!.sentence;
  for (let i = start - 1; i >= Math.max(0, start - 3); i--) {
    const t = tokens[i]!;
    if (t.sentence !== sentence) break;
    if (nb.has(t.word)) return true;
  }
  return false;
}

/** Marks the tokens that follow a condition word ("once", "dès que", "sobald", "zodra"…) in its clause. */
function conditionalZones(
  tokens: readonly Token[],
  ids: readonly (readonly number[])[],
  lex: CompiledLexicon,
): boolean[] {
  const zone = new Array<boolean>(tokens.length).fill(false);
  if (!lex.condition) return zone;
  for (const match of lex.set.findAll(lex.condition, tokens, ids)) {
    const { sentence, clause } = tokens[match.start]!;
    for (let i = match.end; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.sentence !== sentence || t.clause !== clause) break;
      zone[i] = true;
    }
  }
  return zone;
}

export interface ClassifyInput {
  text: string;
  language: Language;
  asOf: PlainDate;
}

/** Scores every intent in `text` with `language`'s lexicon. */
function score(text: string, language: Language, asOf: PlainDate, known?: DateMention[]) {
  const lex = compile(language);
  const sentences = splitSentences(text);
  const tokens = tokenize(text, sentences);
  const ids = tokens.map((t) => lex.set.idsOf(t.word));
  const hypothetical = conditionalZones(tokens, ids, lex);
  const scores: Partial<Record<Intent, number>> = {};
  const evidence: IntentEvidence[] = [];
  let planCues = 0;
  let delayCues = 0;
  interface Hit extends IntentEvidence {
    sentence: number;
    delay: boolean;
    conditional: boolean;
  }
  const hits: Hit[] = [];
  for (const { cue, pattern, nb } of lex.cues) {
    const found = lex.set.findAll(pattern, tokens, ids);
    const best = new Map<Intent, Hit>();
    for (const match of found) {
      if (nb && blockedBefore(tokens, match.start, nb)) continue;
      // "once our client has paid us", "sobald wir bezahlt werden": what a condition supposes is not a fact.
      if ((cue.i === 'already_paid' || cue.i === 'promise_to_pay') && hypothetical[match.start]) continue;
      const negated = cue.neg === 'keep' ? false : isNegated(tokens, match.start, match.end, lex);
      let intent: Intent | null;
      let weight = cue.w;
      const mode = cue.neg ?? 'drop';
      if (mode === 'need') intent = negated ? cue.i : null;
      else if (mode === 'keep') intent = cue.i;
      else if (mode === 'drop') intent = negated ? null : cue.i;
      else {
        intent = negated ? mode : cue.i;
        if (negated) weight = cue.nw ?? cue.w;
      }
      if (!intent) continue;
      const prior = best.get(intent);
      if (!prior || prior.weight < weight) {
        best.set(intent, {
          cue: cue.p,
          intent,
          weight,
          negated,
          sentence: tokens[match.start]!.sentence,
          delay: cue.delay === true,
          conditional: cue.p.startsWith('@COND'),
        });
      }
    }
    hits.push(...best.values());
  }
  // A promise made under a condition ("we will pay when we receive the invoice") is the condition's
  // intent, whatever the priority between the two.
  const conditioned = new Set(
    hits.filter((h) => h.conditional && h.intent !== 'promise_to_pay').map((h) => h.sentence),
  );
  for (const hit of hits) {
    if (hit.intent === 'promise_to_pay' && conditioned.has(hit.sentence)) continue;
    scores[hit.intent] = (scores[hit.intent] ?? 0) + hit.weight;
    evidence.push({ cue: hit.cue, intent: hit.intent, weight: hit.weight, negated: hit.negated });
    if (hit.intent === 'payment_plan_request') {
      planCues++;
      if (hit.delay) delayCues++;
    }
  }
  // A payment sentence with a date behind us reads as done, with one ahead as promised.
  // Dates are read once, in the detected language, even when other lexicons are tried.
  const mentions = known ?? findDateMentions(text, language, asOf);
  for (const sentence of sentences) {
    const inside = mentions.filter(
      (m) => m.start >= sentence.start && m.start < sentence.end && !isDocumentDate(text, m),
    );
    if (inside.length === 0) continue;
    const tense = paymentTense(sentence.text, inside, language, asOf);
    const intent: Intent | null =
      tense === 'past' ? 'already_paid' : tense === 'future' ? 'promise_to_pay' : null;
    if (intent) {
      scores[intent] = (scores[intent] ?? 0) + 0.5;
      evidence.push({ cue: `date:${tense}`, intent, weight: 0.5, negated: false });
    }
  }
  return { scores, evidence, delayOnly: planCues > 0 && planCues === delayCues, mentions, tokens };
}

function decide(
  scores: Partial<Record<Intent, number>>,
  tokenCount: number,
): { intent: Intent; confidence: number } {
  const strong = PRIORITY.filter((i) => (scores[i] ?? 0) >= DECISIVE);
  const round = (x: number) => Math.round(Math.max(0.05, Math.min(0.97, x)) * 100) / 100;
  if (strong.length > 0) {
    const winner = strong[0]!;
    const s = scores[winner] ?? 0;
    const rivals = strong.length - 1;
    return { intent: winner, confidence: round(0.55 + 0.42 * (1 - Math.exp(-s)) - 0.08 * rivals) };
  }
  let best: Intent | null = null;
  for (const i of PRIORITY)
    if ((scores[i] ?? 0) >= WEAK && (!best || (scores[i] ?? 0) > (scores[best] ?? 0))) best = i;
  if (best) return { intent: best, confidence: round(0.35 + 0.2 * (scores[best] ?? 0)) };
  const noise = PRIORITY.reduce((sum, i) => sum + (scores[i] ?? 0), 0);
  // Nothing actionable: "other". Confident when the text is short and cue-free ("Merci !"); a long
  // message in which no cue was found is more likely one the lexicons do not cover.
  const base = tokenCount <= 6 ? 0.8 : tokenCount <= 15 ? 0.65 : 0.5;
  return { intent: 'other', confidence: round(base - noise * 0.3) };
}

/**
 * Classifies a reply's new text. The text should already be stripped of its quoted history
 * (strip-quotes.ts); `asOf` is the day the message is read, for telling paid from promised.
 */
export function classifyIntent(input: ClassifyInput): IntentResult {
  const text = input.text.slice(0, 20_000);
  const primary = score(text, input.language, input.asOf);
  let chosen = primary;
  let decision = decide(primary.scores, primary.tokens.length);
  // Nothing found in the detected language: customers mix languages (an English reply from a Dutch
  // company, a French greeting over an English sentence), so try the others before saying "other".
  if (decision.intent === 'other' && primary.tokens.length > 0) {
    for (const language of LANGUAGES) {
      if (language === input.language) continue;
      const alternative = score(text, language, input.asOf, primary.mentions);
      const d = decide(alternative.scores, alternative.tokens.length);
      // Clearer evidence is asked of another language's lexicon than of the detected one's.
      if (d.intent !== 'other' && (alternative.scores[d.intent] ?? 0) >= 1.5) {
        chosen = alternative;
        decision = { intent: d.intent, confidence: Math.round(d.confidence * 0.85 * 100) / 100 };
        break;
      }
    }
  }
  return {
    intent: decision.intent,
    confidence: decision.confidence,
    scores: chosen.scores,
    evidence: chosen.evidence,
    delayOnly: chosen.delayOnly,
    mentions: primary.mentions,
  };
}
