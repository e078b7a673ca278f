// One flat row of invoice fields (a CSV line, or a JSON invoice with the same fields in camelCase)
// into validated records. Every problem in the row is reported, not only the first.
import type { InvoiceColumn } from './columns.ts';
import { frenchName } from './columns.ts';
import type {
  ContactRecord,
  CustomerRecord,
  ImportItem,
  InvoiceRecord,
  ParseContext,
  Problem,
} from './records.ts';
import {
  type Check,
  checkAmount,
  checkCountry,
  checkCurrency,
  checkDate,
  checkEmail,
  checkLanguage,
} from './validate.ts';

export type FlatFields = Partial<Record<InvoiceColumn, string>>;

const TYPE_WORDS: Record<string, InvoiceRecord['type']> = {
  invoice: 'invoice',
  facture: 'invoice',
  credit_note: 'credit_note',
  'credit note': 'credit_note',
  creditnote: 'credit_note',
  credit: 'credit_note',
  avoir: 'credit_note',
};

export function flatToItem(fields: FlatFields, ctx: ParseContext, at: string): ImportItem[] {
  const problems: Problem[] = [];
  const value = (column: InvoiceColumn) => fields[column]?.trim() ?? '';
  const fail = (column: InvoiceColumn, message: string) =>
    problems.push({ file: ctx.file, at, field: fieldLabel(column), message });
  const required = (column: InvoiceColumn) => {
    const v = value(column);
    if (!v) fail(column, 'required, but empty');
    return v;
  };
  const checked = <T>(column: InvoiceColumn, check: (text: string) => Check<T>): T | undefined => {
    const v = value(column);
    if (!v) return undefined;
    const r = check(v);
    if (!r.ok) {
      fail(column, r.reason);
      return undefined;
    }
    return r.value;
  };

  const number = required('number');
  const customerRef = required('customer_ref');
  const customerName = required('customer_name');
  if (!value('customer_country')) fail('customer_country', 'required, but empty');
  const country = checked('customer_country', checkCountry);
  if (!value('issue_date')) fail('issue_date', 'required, but empty');
  const issueDate = checked('issue_date', checkDate);
  if (!value('due_date')) fail('due_date', 'required, but empty');
  const dueDate = checked('due_date', checkDate);
  const currency =
    checked('currency', checkCurrency) ?? (value('currency') ? undefined : ctx.defaultCurrency);

  let type: InvoiceRecord['type'] | undefined;
  const typeText = value('type').toLowerCase();
  if (typeText) {
    type = TYPE_WORDS[typeText];
    if (!type) fail('type', `expected invoice or credit_note (facture or avoir), got "${value('type')}"`);
  }

  let total: number | undefined;
  let outstanding: number | undefined;
  if (currency) {
    if (!value('total')) fail('total', 'required, but empty');
    total = checked('total', (t) => checkAmount(t, currency));
    outstanding = checked('outstanding', (t) => checkAmount(t, currency));
  }

  const contacts: ContactRecord[] = [];
  const language = checked('contact_language', checkLanguage);
  const emails = value('contact_email')
    .split(/[;,]/)
    .map((e) => e.trim())
    .filter(Boolean);
  for (const email of emails) {
    const r = checkEmail(email);
    if (!r.ok) fail('contact_email', r.reason);
    else contacts.push({ email: r.value });
  }
  const contactName = value('contact_name');
  const phone = value('contact_phone');
  if (contacts.length === 0 && (contactName || phone)) contacts.push({});
  if (contacts[0]) {
    if (contactName) contacts[0].name = contactName;
    if (phone) contacts[0].phone = phone;
  }
  for (const c of contacts) {
    c.role = 'billing';
    if (language) c.language = language;
  }
  const customerLanguage = checked('customer_language', checkLanguage);

  if (problems.length > 0 || total === undefined || !issueDate || !dueDate || !currency || !country) {
    return problems.map((problem) => ({ kind: 'problem', problem }));
  }

  // A negative amount with no type, or on a credit note, is how many exports write a credit note.
  if (!type) type = total < 0 ? 'credit_note' : 'invoice';
  if (type === 'credit_note') {
    total = Math.abs(total);
    if (outstanding !== undefined) outstanding = Math.abs(outstanding);
  } else if (total < 0) {
    return [
      problem(
        ctx,
        at,
        'total',
        `an invoice's total cannot be negative (${value('total')}); a credit note is type credit_note`,
      ),
    ];
  }
  outstanding ??= total;
  if (outstanding > total) {
    return [
      problem(
        ctx,
        at,
        'outstanding',
        `the amount still due (${value('outstanding')}) is more than the total (${value('total')})`,
      ),
    ];
  }

  const customer: CustomerRecord = { ref: customerRef, name: customerName, country, contacts };
  if (customerLanguage) customer.language = customerLanguage;
  const legalId = value('customer_legal_id');
  if (legalId) customer.legalId = legalId;
  const vatId = value('customer_vat_id');
  if (vatId) customer.vatId = vatId;
  const street = value('customer_address');
  if (street || value('customer_city')) {
    customer.address = { lines: street ? street.split(/\s*\n\s*/) : [], country };
    if (value('customer_postal_code')) customer.address.postalCode = value('customer_postal_code');
    if (value('customer_city')) customer.address.city = value('customer_city');
  }

  const invoice: InvoiceRecord = {
    number,
    type,
    customerRef,
    issueDate,
    dueDate,
    currency,
    total,
    outstanding,
  };
  if (value('po_number')) invoice.poNumber = value('po_number');
  if (value('applies_to')) invoice.appliesTo = value('applies_to');
  return [{ kind: 'invoice', at, customer, invoice }];
}

function fieldLabel(column: InvoiceColumn): string {
  const fr = frenchName(column);
  return fr === column ? column : `${column} (${fr})`;
}

function problem(ctx: ParseContext, at: string, column: InvoiceColumn, message: string): ImportItem {
  return { kind: 'problem', problem: { file: ctx.file, at, field: fieldLabel(column), message } };
}
