import type { Intent, Language } from '../analysis.ts';

/**
 * One cue: a token pattern (see patterns.ts) and what it says about the customer's intent.
 *
 * `neg` says what a negated match means: `'drop'` (default) ignores it ("ce n'est pas un litige");
 * `'need'` counts it only when negated ("we have NOT received the goods"); `'keep'` ignores negation
 * (the pattern already holds it, or it does not matter); an intent moves the weight to that intent
 * ("we will NOT pay" is a refusal).
 */
export interface Cue {
  p: string;
  i: Intent;
  w: number;
  neg?: 'drop' | 'need' | 'keep' | Intent;
  /** Weight when negated and moved to another intent (default `w`). */
  nw?: number;
  /** Plan cues that only ask for time: with a firm date for the whole amount it is a promise (§3). */
  delay?: boolean;
  /** Words (|-separated) that must not stand in the three tokens before the match ("will be paid on"). */
  nb?: string;
}

export interface Lexicon {
  language: Language;
  macros: Record<string, string[]>;
  /** Negation words (folded, |-separated). */
  negations: string;
  /** How many tokens after a match may carry its negation (German and Dutch put "nicht"/"niet" late). */
  negationAfter: number;
  cues: Cue[];
}
