// A language model as a second opinion on a reply's intent, through any server that speaks the
// OpenAI chat-completions protocol with structured outputs (OpenAI, Mistral, vLLM, llama.cpp's
// server, Ollama's /v1 …). Off unless configured: Ardent reads replies with its own rules first.
//
// The model is asked for a JSON object fixed by a JSON schema (intent, confidence, promisedDate) and
// its answer is validated with zod before use; anything else is an error, never a guess. The schema
// holds no amount on purpose: figures come from the ledger, never from a model.

import { z } from 'zod';
import { isPlainDate } from '../../calendar/plain-date.ts';
import { INTENTS } from '../analysis.ts';
import type { ClassifierInput, ClassifierResult, IntentClassifier } from '../classifier.ts';

export interface OpenAiCompatibleConfig {
  /** e.g. "https://api.openai.com/v1" or "http://127.0.0.1:11434/v1". */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Injected for tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Failure of the provider. `retryable` is true for network errors, timeouts, 429 and 5xx. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

const MAX_TEXT = 4000;

const answerSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
  promisedDate: z.string().nullable(),
});

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

const JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'confidence', 'promisedDate'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    promisedDate: {
      type: ['string', 'null'],
      description: 'YYYY-MM-DD, only for promise_to_pay with a date',
    },
  },
} as const;

const INSTRUCTIONS = `You read customers' replies to payment reminders and classify the reply's intent.
Intents: promise_to_pay (commits to pay, on or by a date when given), already_paid (says payment was
made or sent), dispute (contests the invoice: amount, price, goods not received or defective, service
not done, not ordered, duplicate, credit note expected), payment_plan_request (asks for instalments or
more time without a firm date), document_request (asks for a copy of the invoice, a PO number on it, a
statement, bank details, proof of delivery, or upload to a portal), callback_request (asks to be called
or to meet), refusal (refuses to pay or to be contacted without disputing the invoice), insolvency
(bankruptcy, receivership, safeguard procedure), wrong_contact (not the right person, has left, points
to someone else), auto_reply (automatic out-of-office or acknowledgement), other (anything else).
promisedDate: for promise_to_pay only, the day the customer commits to pay on or by, as YYYY-MM-DD,
resolved against asOf: "next Friday" is the first Friday after asOf, "end of the month" its last day,
"within N days" asOf plus N days; a vague span ("next week") gives null. Otherwise null.
Answer with the JSON object only.`;

export function openAiCompatibleClassifier(config: OpenAiCompatibleConfig): IntentClassifier {
  const doFetch = config.fetch ?? fetch;
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: `openai-compatible:${config.model}`,
    async classify(input: ClassifierInput): Promise<ClassifierResult> {
      const body = {
        model: config.model,
        temperature: 0,
        messages: [
          { role: 'system', content: INSTRUCTIONS },
          {
            role: 'user',
            content: JSON.stringify({
              asOf: input.asOf,
              language: input.language,
              text: input.text.slice(0, MAX_TEXT),
            }),
          },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'reply_intent', strict: true, schema: JSON_SCHEMA },
        },
      };
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(config.timeoutMs ?? 20_000),
        });
      } catch (error) {
        throw new ProviderError(`${url}: ${(error as Error).message}`, true);
      }
      if (!response.ok) {
        const retryable = response.status === 429 || response.status >= 500;
        throw new ProviderError(`${url}: HTTP ${response.status}`, retryable);
      }
      let payload: unknown;
      try {
        payload = await response.json();
      } catch {
        throw new ProviderError(`${url}: the answer is not JSON`, false);
      }
      const completion = completionSchema.safeParse(payload);
      const content = completion.success ? completion.data.choices[0]?.message.content : undefined;
      if (!content) throw new ProviderError(`${url}: no message content in the answer`, false);
      let parsedContent: unknown;
      try {
        parsedContent = JSON.parse(content);
      } catch {
        throw new ProviderError(`${url}: the model's message is not JSON`, false);
      }
      const answer = answerSchema.safeParse(parsedContent);
      if (!answer.success)
        throw new ProviderError(`${url}: unexpected answer: ${answer.error.message}`, false);
      const result: ClassifierResult = { intent: answer.data.intent, confidence: answer.data.confidence };
      const date = answer.data.promisedDate;
      // A date is kept only for a promise, only if it is a real calendar day not before asOf.
      if (result.intent === 'promise_to_pay' && date && isPlainDate(date) && date >= input.asOf) {
        result.promisedDate = date;
      }
      return result;
    },
  };
}

/**
 * The provider configured by the environment, or null (the default: rules only).
 * ARDENT_LLM_BASE_URL and ARDENT_LLM_MODEL turn it on; ARDENT_LLM_API_KEY is sent as a bearer token.
 */
export function openAiCompatibleFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): IntentClassifier | null {
  const baseUrl = env.ARDENT_LLM_BASE_URL?.trim();
  const model = env.ARDENT_LLM_MODEL?.trim();
  if (!baseUrl || !model) return null;
  const apiKey = env.ARDENT_LLM_API_KEY?.trim();
  return openAiCompatibleClassifier({ baseUrl, model, ...(apiKey ? { apiKey } : {}) });
}
