// One interface for whatever decides a reply's intent. The local rules (intent.ts) are the default and
// run everywhere, offline; a language-model provider (providers/*.ts) can be configured as a second
// opinion for the replies the rules are unsure of. Either way the answer has the same shape, and a
// provider only ever proposes an intent, a confidence and a date: never an amount.

import type { PlainDate } from '../calendar/plain-date.ts';
import type { Intent, Language } from './analysis.ts';
import { extractPromisedDate } from './dates.ts';
import { classifyIntent } from './intent.ts';

export interface ClassifierInput {
  /** The reply's new text, quoted history and signature removed. */
  text: string;
  language: Language;
  asOf: PlainDate;
}

export interface ClassifierResult {
  intent: Intent;
  confidence: number;
  promisedDate?: PlainDate;
}

export interface IntentClassifier {
  readonly name: string;
  classify(input: ClassifierInput): Promise<ClassifierResult>;
}

/** The rules, synchronously: intent, confidence and, for a promise, the date it names. */
export function classifyWithRules(input: ClassifierInput): ClassifierResult {
  const result = classifyIntent(input);
  let intent = result.intent;
  let promisedDate: PlainDate | undefined;
  const wantsDate = intent === 'promise_to_pay' || (intent === 'payment_plan_request' && result.delayOnly);
  if (wantsDate) {
    promisedDate = extractPromisedDate(input.text, input.language, input.asOf, { mentions: result.mentions });
    // CONTRACT.md §3: a plan request has no firm date for the whole amount; asking for time "until
    // the 15th" names one, which makes it a promise.
    if (intent === 'payment_plan_request' && promisedDate) intent = 'promise_to_pay';
  }
  const out: ClassifierResult = { intent, confidence: result.confidence };
  if (intent === 'promise_to_pay' && promisedDate) out.promisedDate = promisedDate;
  return out;
}

export const localClassifier: IntentClassifier = {
  name: 'local-rules',
  classify: async (input) => classifyWithRules(input),
};
