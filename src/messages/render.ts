// Turns a dunning step into the message a customer receives: picks the template for the level and
// language, formats every amount and date the way that language writes them, and derives the HTML
// part from the plain text so that both always say the same thing.

import { boundedCache } from '../calendar/memo.ts';
import { daysBetween, type PlainDate, toDayNumber } from '../calendar/plain-date.ts';
import { formatMoney, type Money } from '../ledger/money.ts';
import { de } from './default-templates/de.ts';
import { en } from './default-templates/en.ts';
import { es } from './default-templates/es.ts';
import { fr } from './default-templates/fr.ts';
import { it } from './default-templates/it.ts';
import { nl } from './default-templates/nl.ts';
import { isMessageLanguage, type MessageLanguage, normalizeLanguage } from './language.ts';
import {
  type CompiledTemplate,
  compileTemplate,
  type MessageTemplate,
  type TemplateItem,
  type TemplateLevel,
  type TemplateProblem,
  type TemplateSet,
  type TemplateValues,
} from './templates.ts';

export const DEFAULT_TEMPLATES: Readonly<Record<MessageLanguage, TemplateSet>> = { fr, en, de, es, it, nl };

/** An invoice as a message shows it. Amounts in minor units of `currency`. */
export interface MessageInvoice {
  readonly number: string;
  readonly issueDate: PlainDate;
  readonly dueDate: PlainDate;
  readonly currency: string;
  /** Total with tax. */
  readonly total: number;
  readonly outstanding: number;
  /** Payments received against it (not credit notes), for "we have received …". */
  readonly paid?: number;
}

export interface MessageData {
  /** The day the message is for: days overdue count to it. */
  readonly asOf: PlainDate;
  /** The invoices this message is about (at least one, except for a statement). */
  readonly invoices: readonly MessageInvoice[];
  /** The customer's other overdue invoices, mentioned but not the subject of this step. */
  readonly otherOverdue?: readonly MessageInvoice[];
  readonly customerName: string;
  readonly contactName?: string | null;
  /** The customer's country, for regional formats (de-CH amounts, en-US dates). */
  readonly country?: string | null;
  /** The seller. */
  readonly companyName: string;
  readonly senderName?: string | null;
  readonly bank?: {
    readonly iban?: string | null;
    readonly bic?: string | null;
    readonly name?: string | null;
  } | null;
  readonly paymentReference?: string | null;
  /** For `promise_broken`: the date the customer promised. */
  readonly promisedDate?: PlainDate | null;
  /** A payment deadline stated in the message; without it the text gives a number of days. */
  readonly payBy?: PlainDate | null;
  /** Late-payment interest accrued to `asOf`, when computed. */
  readonly lateInterest?: Money | null;
  /**
   * The fixed compensation per invoice for recovery costs (EUR 40 under directive 2011/7/EU
   * art. 6), set only when the law gives it: business customers, EU seller. It shows the block.
   */
  readonly recoveryIndemnity?: Money | null;
  /** The seller's country, to cite its national text beside the directive. */
  readonly sellerCountry?: string | null;
}

export interface RenderMessageInput {
  readonly level: TemplateLevel;
  /** A language code; one with no templates falls back to English. */
  readonly language: string;
  readonly data: MessageData;
  /** The organisation's own wording for this level and language, replacing the default. */
  readonly overrides?: Partial<MessageTemplate>;
}

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The language actually used. */
  readonly language: MessageLanguage;
}

/** A template that does not compile reached rendering; templates are checked on save, so this is a bug. */
export class TemplateCompileError extends Error {
  constructor(
    readonly field: 'subject' | 'body',
    readonly problems: readonly TemplateProblem[],
  ) {
    const first = problems[0];
    super(
      `template ${field} does not compile${first ? ` at line ${first.line}, column ${first.column}: ${first.message}` : ''}`,
    );
    this.name = 'TemplateCompileError';
  }
}

/** A problem in a user's template, with the field it is in. */
export interface TemplateFieldProblem extends TemplateProblem {
  readonly field: 'subject' | 'body';
}

/** Checks a template edited by a user before it is saved: empty when it can be used. */
export function checkMessageTemplate(template: Partial<MessageTemplate>): TemplateFieldProblem[] {
  const problems: TemplateFieldProblem[] = [];
  for (const field of ['subject', 'body'] as const) {
    const source = template[field];
    if (source === undefined) continue;
    const result = compileTemplate(source);
    if (!result.ok) for (const error of result.errors) problems.push({ ...error, field });
  }
  return problems;
}

// The national texts implementing directive 2011/7/EU's fixed compensation, cited as each
// country's lawyers write them.
const NATIONAL_LEGAL_BASIS: Readonly<Record<string, string>> = {
  FR: 'art. L441-10 et D441-5 du Code de commerce',
  DE: '§ 288 Abs. 5 BGB',
  AT: '§ 458 UGB',
  IT: 'art. 6 d.lgs. 231/2002',
  ES: 'art. 8 de la Ley 3/2004',
  NL: 'art. 6:96 lid 4 BW',
};

const DEFAULT_LOCALES: Readonly<Record<MessageLanguage, string>> = {
  fr: 'fr-FR',
  // British conventions ("15 November 2026") suit a European product; US customers get en-US below.
  en: 'en-GB',
  de: 'de-DE',
  es: 'es-ES',
  it: 'it-IT',
  nl: 'nl-NL',
};

// Regional variants whose dates or amounts read differently from the language's default.
const REGIONAL_LOCALES = new Set([
  'fr-BE',
  'fr-CH',
  'fr-LU',
  'fr-CA',
  'fr-MC',
  'de-AT',
  'de-CH',
  'de-LI',
  'de-LU',
  'de-BE',
  'it-CH',
  'nl-BE',
  'en-US',
  'en-IE',
  'en-CA',
  'en-AU',
  'en-NZ',
  'en-MT',
  'es-MX',
  'es-AR',
  'es-CL',
  'es-CO',
  'es-PE',
  'es-US',
]);

/** The Intl locale for a message: language plus the customer's country when it changes formats. */
export function messageLocale(language: MessageLanguage, country?: string | null): string {
  const regional = country ? `${language}-${country.trim().toUpperCase()}` : '';
  return REGIONAL_LOCALES.has(regional) ? regional : DEFAULT_LOCALES[language];
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

const listFormats = new Map<string, Intl.ListFormat>();

function listFormat(locale: string): Intl.ListFormat {
  let format = listFormats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { type: 'conjunction' });
    listFormats.set(locale, format);
  }
  return format;
}

// The same few hundred due dates come back in every message of a run.
const formattedDates = boundedCache<string, string>(50_000);

function formatDate(date: PlainDate, locale: string, language: MessageLanguage): string {
  return formattedDates(`${locale}|${language}|${date}`, () => formatDateNow(date, locale, language));
}

function formatDateNow(date: PlainDate, locale: string, language: MessageLanguage): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dateFormats.set(locale, format);
  }
  const text = format.format(new Date(toDayNumber(date) * 86_400_000));
  // French writes the first of the month as an ordinal: "1er novembre".
  return language === 'fr' ? text.replace(/^1 /, '1er ') : text;
}

/** Sums per currency, in order of first appearance: "1 200,00 € + 300,00 $US" when they differ. */
function sumMoney(entries: readonly { amount: number; currency: string }[], locale: string): string {
  const totals = new Map<string, number>();
  for (const { amount, currency } of entries) totals.set(currency, (totals.get(currency) ?? 0) + amount);
  return [...totals].map(([currency, amount]) => formatMoney(amount, currency, locale)).join(' + ');
}

function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}

function present(value: string | null | undefined): string {
  return value?.trim() ?? '';
}

/** The values a template sees, formatted for `language`. Exported for previews. */
export function messageValues(data: MessageData, language: MessageLanguage): TemplateValues {
  const locale = messageLocale(language, data.country);
  const date = (d: PlainDate) => formatDate(d, locale, language);
  const overdueDays = (invoice: MessageInvoice) => Math.max(0, daysBetween(invoice.dueDate, data.asOf));
  const item = (invoice: MessageInvoice): TemplateItem => {
    const days = overdueDays(invoice);
    return {
      number: invoice.number,
      issue_date: date(invoice.issueDate),
      due_date: date(invoice.dueDate),
      amount: formatMoney(invoice.total, invoice.currency, locale),
      outstanding: formatMoney(invoice.outstanding, invoice.currency, locale),
      days_overdue: String(days),
      overdue: days > 0,
    };
  };

  const invoices = data.invoices;
  const other = data.otherOverdue ?? [];
  const earliestDue = invoices.reduce<PlainDate | undefined>(
    (min, invoice) => (min === undefined || invoice.dueDate < min ? invoice.dueDate : min),
    undefined,
  );
  const paid = invoices.filter((invoice) => (invoice.paid ?? 0) > 0);
  const bank: NonNullable<MessageData['bank']> = data.bank ?? {};
  const iban = present(bank.iban);
  const money = (m: Money | null | undefined) =>
    m && m.amount > 0 ? formatMoney(m.amount, m.currency, locale) : '';
  const recoveryIndemnity = money(data.recoveryIndemnity);

  return {
    invoice_number: listFormat(locale).format(invoices.map((i) => i.number)),
    amount: sumMoney(
      invoices.map((i) => ({ amount: i.total, currency: i.currency })),
      locale,
    ),
    due_date: earliestDue ? date(earliestDue) : '',
    days_overdue: String(invoices.reduce((max, invoice) => Math.max(max, overdueDays(invoice)), 0)),
    contact_name: present(data.contactName),
    customer_name: present(data.customerName),
    company_name: present(data.companyName),
    sender_name: present(data.senderName),
    total_due: sumMoney(
      invoices.map((i) => ({ amount: i.outstanding, currency: i.currency })),
      locale,
    ),
    paid_so_far: paid.length
      ? sumMoney(
          paid.map((i) => ({ amount: i.paid ?? 0, currency: i.currency })),
          locale,
        )
      : '',
    invoice_count: String(invoices.length),
    several: invoices.length > 1,
    invoices: invoices.map(item),
    other_overdue: other.map(item),
    other_overdue_total: other.length
      ? sumMoney(
          other.map((i) => ({ amount: i.outstanding, currency: i.currency })),
          locale,
        )
      : '',
    bank: iban !== '',
    'bank.iban': iban ? formatIban(iban) : '',
    'bank.bic': present(bank.bic).toUpperCase(),
    'bank.name': present(bank.name),
    payment_reference: present(data.paymentReference),
    promised_date: data.promisedDate ? date(data.promisedDate) : '',
    pay_by: data.payBy ? date(data.payBy) : '',
    late_interest: money(data.lateInterest),
    recovery_indemnity: recoveryIndemnity,
    legal_basis:
      recoveryIndemnity && data.sellerCountry
        ? (NATIONAL_LEGAL_BASIS[data.sellerCountry.trim().toUpperCase()] ?? '')
        : '',
    as_of: date(data.asOf),
  };
}

const compiled = new Map<string, CompiledTemplate>();

function compiledFor(source: string, field: 'subject' | 'body'): CompiledTemplate {
  let template = compiled.get(source);
  if (!template) {
    const result = compileTemplate(source);
    if (!result.ok) throw new TemplateCompileError(field, result.errors);
    template = result.template;
    // Users' templates are few per organisation; bounding the cache keeps a long-running server flat.
    if (compiled.size > 1000) compiled.clear();
    compiled.set(source, template);
  }
  return template;
}

function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LIST_LINE = /^[-•] /;

/**
 * The HTML part, built from the final plain text: every character of it is escaped, so neither a
 * value (a customer named "<script>") nor a user's template can inject markup. Blank lines make
 * paragraphs, lines starting with "- " make lists.
 */
export function textToHtml(text: string, language: string, title = ''): string {
  const blocks: string[] = [];
  for (const paragraph of text.split(/\n{2,}/)) {
    let lines: string[] = [];
    let items: string[] = [];
    const flushLines = () => {
      if (lines.length) blocks.push(`<p>${lines.map(escapeHtml).join('<br>\n')}</p>`);
      lines = [];
    };
    const flushItems = () => {
      if (items.length)
        blocks.push(`<ul>\n${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ul>`);
      items = [];
    };
    for (const line of paragraph.split('\n')) {
      if (LIST_LINE.test(line)) {
        flushLines();
        items.push(line.slice(2));
      } else {
        flushItems();
        lines.push(line);
      }
    }
    flushLines();
    flushItems();
  }
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(language)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">',
    blocks.join('\n'),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The subject, plain text and HTML of one message. Throws `TemplateCompileError` when an override
 * does not compile, and a RangeError for a reminder about no invoice.
 */
export function renderMessage(input: RenderMessageInput): RenderedMessage {
  const requested = normalizeLanguage(input.language) ?? 'en';
  const language: MessageLanguage = isMessageLanguage(requested) ? requested : 'en';
  if (input.data.invoices.length === 0 && input.level !== 'statement') {
    throw new RangeError(`a ${input.level} message needs at least one invoice`);
  }
  const defaults = DEFAULT_TEMPLATES[language][input.level];
  const subjectSource = input.overrides?.subject ?? defaults.subject;
  const bodySource = input.overrides?.body ?? defaults.body;
  const values = messageValues(input.data, language);
  // A subject is one header line: whatever a value contains, it stays on one line.
  const subject = compiledFor(subjectSource, 'subject').render(values).replace(/\s+/g, ' ').trim();
  const text = tidyText(compiledFor(bodySource, 'body').render(values));
  // The daily run keeps the text only (the HTML is made again when the mail is composed): built on
  // first read, not for each of a hundred thousand planned messages.
  let html: string | undefined;
  return {
    subject,
    text,
    language,
    get html() {
      html ??= textToHtml(text, language, subject);
      return html;
    },
  };
}
