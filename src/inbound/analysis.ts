// The shape of a message analysis, as published in CONTRACT.md §3 (`ardent inspect-email --json`).
// Users' scripts read these exact names: change them only with the contract.

import type { PlainDate } from '../calendar/plain-date.ts';

export const LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const INTENTS = [
  'promise_to_pay',
  'already_paid',
  'dispute',
  'payment_plan_request',
  'document_request',
  'callback_request',
  'refusal',
  'insolvency',
  'wrong_contact',
  'auto_reply',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

export type AnalysisKind = 'reply' | 'auto_reply' | 'bounce' | 'unknown';

export interface BounceRecipient {
  address: string;
  status: string;
  hard: boolean;
  reason: string;
}

export interface BounceReport {
  recipients: BounceRecipient[];
}

/** CONTRACT.md §3. Fields that do not apply are absent, never null. */
export interface Analysis {
  kind: AnalysisKind;
  language?: Language;
  intent?: Intent;
  confidence?: number;
  promisedDate?: PlainDate;
  returnDate?: PlainDate;
  invoiceNumbers: string[];
  bounce?: BounceReport;
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}
