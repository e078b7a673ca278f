import type { Selectable } from 'kysely';
import { isTimeZone } from '../calendar/plain-date.ts';
import { checkCountry, checkCurrency, checkEmail } from '../imports/validate.ts';
import type { OrganisationsTable } from '../store/db-types.ts';
import type { Db } from '../store/store.ts';

export type Organisation = Selectable<OrganisationsTable>;

/** A mistake in what a person asked for: reported as it is, exit status 2, never a stack trace. */
export class InputError extends Error {}

export interface NewOrganisation {
  name: string;
  country: string;
  currency?: string | undefined;
  timezone?: string | undefined;
  language?: string | undefined;
  senderEmail?: string | undefined;
  senderName?: string | undefined;
  slug?: string | undefined;
  isDemo?: boolean;
}

// The currency, zone and language an organisation most likely uses, from its country.
const COUNTRY_DEFAULTS: Record<string, { currency: string; timezone: string; language: string }> = {
  FR: { currency: 'EUR', timezone: 'Europe/Paris', language: 'fr' },
  BE: { currency: 'EUR', timezone: 'Europe/Brussels', language: 'fr' },
  LU: { currency: 'EUR', timezone: 'Europe/Luxembourg', language: 'fr' },
  CH: { currency: 'CHF', timezone: 'Europe/Zurich', language: 'de' },
  DE: { currency: 'EUR', timezone: 'Europe/Berlin', language: 'de' },
  AT: { currency: 'EUR', timezone: 'Europe/Vienna', language: 'de' },
  ES: { currency: 'EUR', timezone: 'Europe/Madrid', language: 'es' },
  IT: { currency: 'EUR', timezone: 'Europe/Rome', language: 'it' },
  NL: { currency: 'EUR', timezone: 'Europe/Amsterdam', language: 'nl' },
  PT: { currency: 'EUR', timezone: 'Europe/Lisbon', language: 'pt' },
  IE: { currency: 'EUR', timezone: 'Europe/Dublin', language: 'en' },
  GB: { currency: 'GBP', timezone: 'Europe/London', language: 'en' },
  US: { currency: 'USD', timezone: 'America/New_York', language: 'en' },
  CA: { currency: 'CAD', timezone: 'America/Toronto', language: 'en' },
};

export function slugify(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'organisation'
  );
}

export async function createOrganisation(db: Db, input: NewOrganisation): Promise<Organisation> {
  const country = checkCountry(input.country);
  if (!country.ok) throw new InputError(`--country: ${country.reason}`);
  const defaults = COUNTRY_DEFAULTS[country.value] ?? { currency: 'EUR', timezone: 'UTC', language: 'en' };
  const currency = checkCurrency(input.currency ?? defaults.currency);
  if (!currency.ok) throw new InputError(`--currency: ${currency.reason}`);
  const timezone = input.timezone ?? defaults.timezone;
  if (!isTimeZone(timezone))
    throw new InputError(`--timezone: expected an IANA time zone such as Europe/Paris, got "${timezone}"`);
  if (input.senderEmail) {
    const email = checkEmail(input.senderEmail);
    if (!email.ok) throw new InputError(`--sender-email: ${email.reason}`);
  }
  if (!input.name.trim()) throw new InputError('--name: required, but empty');
  const slug = input.slug ?? slugify(input.name);
  const existing = await db
    .selectFrom('organisations')
    .selectAll()
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (existing) return existing;
  return db
    .insertInto('organisations')
    .values({
      slug,
      name: input.name.trim(),
      country: country.value,
      currency: currency.value,
      timezone,
      language: input.language ?? defaults.language,
      sender_email: input.senderEmail ?? null,
      sender_name: input.senderName ?? input.name.trim(),
      is_demo: input.isDemo ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The organisation a command works on: the one named, or the only one there is. */
export async function resolveOrganisation(db: Db, slug: string | undefined): Promise<Organisation> {
  if (slug) {
    const org = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!org) throw new InputError(`--org: no organisation "${slug}"; \`ardent orgs\` lists them`);
    return org;
  }
  const orgs = await db.selectFrom('organisations').selectAll().orderBy('created_at').limit(2).execute();
  if (orgs.length === 0) {
    throw new InputError(
      'no organisation yet: create one with `ardent init --name NAME --country CC` (or `ardent demo`)',
    );
  }
  if (orgs.length > 1)
    throw new InputError('several organisations: name one with --org SLUG (`ardent orgs` lists them)');
  return orgs[0]!;
}
