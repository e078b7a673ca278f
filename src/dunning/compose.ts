// Writing the message a decision calls for: the invoices it is about, the others still overdue,
// our bank details, and the legal mentions a formal notice carries. Pure.
import type { PlainDate } from '../calendar/plain-date.ts';
import { type MessageInvoice, type RenderedMessage, renderMessage } from '../messages/render.ts';
import type { MessageTemplate } from '../messages/templates.ts';
import type { Action } from './plan.ts';
import { templateLevelFor } from './policy.ts';

export interface ComposeOrganisation {
  name: string;
  country: string;
  senderName: string | null;
  bankIban: string | null;
  bankBic: string | null;
  bankName: string | null;
}

/** The organisation's columns a message uses. */
export function composeOrganisation(org: {
  name: string;
  country: string;
  sender_name: string | null;
  bank_iban: string | null;
  bank_bic: string | null;
  bank_name: string | null;
}): ComposeOrganisation {
  return {
    name: org.name,
    country: org.country,
    senderName: org.sender_name,
    bankIban: org.bank_iban,
    bankBic: org.bank_bic,
    bankName: org.bank_name,
  };
}

export interface ComposeInvoice {
  id: string;
  number: string;
  issueDate: PlainDate;
  dueDate: PlainDate;
  currency: string;
  total: number;
  outstanding: number;
}

// Member states of the EU, where directive 2011/7/EU gives the fixed EUR 40 recovery indemnity (art. 6).
const EU = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);

export type TemplateOverrides = ReadonlyMap<string, Partial<MessageTemplate>>;
export const overrideKey = (level: string | number, language: string) => `${level}:${language}`;

export function composeDunning(input: {
  action: Extract<Action, { kind: 'send' }>;
  day: PlainDate;
  customer: { name: string; country: string | null };
  org: ComposeOrganisation;
  invoices: ReadonlyMap<string, ComposeInvoice>;
  overrides?: TemplateOverrides;
}): RenderedMessage {
  const { action, org } = input;
  const asked = new Map(action.steps.map((s) => [s.invoiceId, s.amount]));
  const toMessageInvoice = (id: string): MessageInvoice => {
    const inv = input.invoices.get(id)!;
    const outstanding = asked.get(id) ?? inv.outstanding;
    return {
      number: inv.number,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      currency: inv.currency,
      total: inv.total,
      outstanding,
      ...(outstanding < inv.total ? { paid: inv.total - outstanding } : {}),
    };
  };
  const invoices = action.steps.map((s) => toMessageInvoice(s.invoiceId));
  // A broken promise is followed up in its own words, whatever level the invoice had reached.
  const level = action.followUp ? 'promise_broken' : templateLevelFor(action.level, action.tone);
  const formal = action.tone === 'formal_notice';
  const euros = invoices.filter((i) => i.currency === 'EUR').length;
  const indemnity = formal && EU.has(org.country) && euros > 0;
  return renderMessage({
    level,
    language: action.language,
    data: {
      asOf: input.day,
      invoices,
      otherOverdue: action.otherOverdue.map(toMessageInvoice),
      customerName: input.customer.name,
      contactName: action.contact.name,
      country: input.customer.country,
      companyName: org.name,
      senderName: org.senderName,
      bank: org.bankIban ? { iban: org.bankIban, bic: org.bankBic, name: org.bankName } : null,
      ...(action.followUp ? { promisedDate: action.followUp.promisedDate } : {}),
      ...(indemnity
        ? { recoveryIndemnity: { amount: 40_00 * euros, currency: 'EUR' }, sellerCountry: org.country }
        : {}),
    },
    ...(input.overrides?.get(overrideKey(level, action.language))
      ? { overrides: input.overrides.get(overrideKey(level, action.language))! }
      : {}),
  });
}

/** The statement of account a customer asked for: every open invoice, the balance, our bank details. */
export function composeStatement(input: {
  day: PlainDate;
  language: string;
  customer: { name: string; country: string | null };
  contactName: string | null;
  org: ComposeOrganisation;
  invoices: readonly ComposeInvoice[];
  overrides?: TemplateOverrides;
}): RenderedMessage {
  const { org } = input;
  const override = input.overrides?.get(overrideKey('statement', input.language));
  return renderMessage({
    level: 'statement',
    language: input.language,
    data: {
      asOf: input.day,
      invoices: input.invoices.map((inv) => ({
        number: inv.number,
        issueDate: inv.issueDate,
        dueDate: inv.dueDate,
        currency: inv.currency,
        total: inv.total,
        outstanding: inv.outstanding,
      })),
      customerName: input.customer.name,
      contactName: input.contactName,
      country: input.customer.country,
      companyName: org.name,
      senderName: org.senderName,
      bank: org.bankIban ? { iban: org.bankIban, bic: org.bankBic, name: org.bankName } : null,
    },
    ...(override ? { overrides: override } : {}),
  });
}
