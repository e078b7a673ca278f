// Which language a message is written in: for a customer, and for the organisation's members.

/** The languages Ardent's default templates and texts are written in. */
export const MESSAGE_LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

const FALLBACK = 'en';

export function isMessageLanguage(code: string): code is MessageLanguage {
  return (MESSAGE_LANGUAGES as readonly string[]).includes(code);
}

/**
 * `fr`, `FR`, `fr-BE`, `fr_CA` → `fr`; undefined for an empty or malformed value. Contacts and
 * customers carry ISO 639-1 codes, but imports bring locale tags too.
 */
export function normalizeLanguage(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const m = /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$/.exec(code);
  return m ? (m[1] as string).toLowerCase() : undefined;
}

// The language a business in each country is most likely to read, for customers whose language
// nobody recorded. Languages Ardent has no templates for are listed too, so that adding one (say
// Portuguese) needs no change here; until then they fall back to English.
const COUNTRY_LANGUAGES: Readonly<Record<string, string>> = {
  FR: 'fr',
  MC: 'fr',
  // Dutch is Belgium's majority language (about six in ten), yet we write French: Brussels, where
  // a large share of Belgian companies are registered, works mostly in French, and Ardent's users are
  // mostly French-speaking sellers whose Belgian customers lean towards Brussels and Wallonia.
  // Setting the contact's or customer's language is how a Flemish customer gets Dutch.
  BE: 'fr',
  // Luxembourgish is not a business language in writing; French is the language of administration
  // and contracts, German the other common one.
  LU: 'fr',
  // German is the first language of about six Swiss in ten; French and Italian cantons need the
  // contact's language to be set.
  CH: 'de',
  DE: 'de',
  AT: 'de',
  LI: 'de',
  ES: 'es',
  AD: 'ca',
  MX: 'es',
  AR: 'es',
  CL: 'es',
  CO: 'es',
  PE: 'es',
  UY: 'es',
  IT: 'it',
  SM: 'it',
  VA: 'it',
  NL: 'nl',
  SR: 'nl',
  GB: 'en',
  IE: 'en',
  US: 'en',
  // Canada: English is the majority language; Quebec customers need the contact's language set.
  CA: 'en',
  AU: 'en',
  NZ: 'en',
  MT: 'en',
  PT: 'pt',
  BR: 'pt',
  PL: 'pl',
  CZ: 'cs',
  SK: 'sk',
  SI: 'sl',
  HR: 'hr',
  HU: 'hu',
  RO: 'ro',
  BG: 'bg',
  GR: 'el',
  CY: 'el',
  DK: 'da',
  SE: 'sv',
  NO: 'no',
  FI: 'fi',
  EE: 'et',
  LV: 'lv',
  LT: 'lt',
  // French-speaking Africa and the Maghreb: French is the usual language of business letters.
  MA: 'fr',
  DZ: 'fr',
  TN: 'fr',
  SN: 'fr',
  CI: 'fr',
  CM: 'fr',
  BJ: 'fr',
  BF: 'fr',
  ML: 'fr',
  NE: 'fr',
  TG: 'fr',
  GA: 'fr',
  CG: 'fr',
  CD: 'fr',
  MG: 'fr',
};

/** The language of business correspondence in a country, or undefined when we have no guess. */
export function countryLanguage(country: string | null | undefined): string | undefined {
  if (!country) return undefined;
  return COUNTRY_LANGUAGES[country.trim().toUpperCase()];
}

export interface CustomerLanguageInput {
  readonly contactLanguage?: string | null;
  readonly customerLanguage?: string | null;
  readonly country?: string | null;
  /** Languages we can write in; default all of `MESSAGE_LANGUAGES`. */
  readonly supported?: readonly string[];
}

/**
 * The language to write to a customer's contact in: the contact's own, else the customer's, else
 * the language of the customer's country. When that language has no templates, English — not the
 * next guess down the list: a contact who told us they read Portuguese is better served by English
 * than by a language inferred from an address.
 */
export function customerLanguage(input: CustomerLanguageInput): string {
  const supported: readonly string[] = input.supported ?? MESSAGE_LANGUAGES;
  const chosen =
    normalizeLanguage(input.contactLanguage) ??
    normalizeLanguage(input.customerLanguage) ??
    countryLanguage(input.country);
  if (chosen !== undefined && supported.includes(chosen)) return chosen;
  return supported.includes(FALLBACK) ? FALLBACK : (supported[0] ?? FALLBACK);
}

/** The `members.language` column: null when the member never chose. */
export interface MemberLanguageInput {
  readonly language?: string | null;
}

/** A member's preferred language, English when none is set. */
export function memberLanguage(member: MemberLanguageInput): string {
  return normalizeLanguage(member.language) ?? FALLBACK;
}

/**
 * One language for a message to several members: theirs when they all share it, else the language
 * of a strict majority, else English. Members with no preference count as English speakers. An
 * even split (fr, en) has no majority.
 */
export function membersLanguage(members: readonly MemberLanguageInput[]): string {
  const counts = new Map<string, number>();
  for (const member of members) {
    const language = memberLanguage(member);
    counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  for (const [language, count] of counts) {
    if (count * 2 > members.length) return language;
  }
  return FALLBACK;
}
