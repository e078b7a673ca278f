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

/**
 * One row's reading: its fields, and the problems found so far. A class rather than closures made
 * per row, which cost more than the checks themselves on an import of a million rows.
 */
class Row {
  readonly problems: Problem[] = [];
  constructor(
    private readonly fields: FlatFields,
    private readonly ctx: ParseContext,
    private readonly at: string,
  ) {}

  value(column: InvoiceColumn): string {
    return this.fields[column]?.trim() ?? '';
  }

  fail(column: InvoiceColumn, message: string): void {
    this.problems.push({ file: this.ctx.file, at: this.at, field: fieldLabel(column), message });
  }

  required(column: InvoiceColumn): string {
    const v = this.value(column);
    if (!v) this.fail(column, 'required, but empty');
    return v;
  }

  checked<T>(
    column: InvoiceColumn,
    check: (text: string, currency: string) => Check<T>,
    currency = '',
  ): T | undefined {
    const v = this.value(column);
    if (!v) return undefined;
    const r = check(v, currency);
    if (!r.ok) {
      this.fail(column, r.reason);
      return undefined;
    }
    return r.value;
  }
}

export function flatToItem(fields: FlatFields, ctx: ParseContext, at: string): ImportItem[] {
  const row = new Row(fields, ctx, at);
  const { problems } = row;

  const number = row.required('number');
  const customerRef = row.required('customer_ref');
  const customerName = row.required('customer_name');
  if (!row.value('customer_country')) row.fail('customer_country', 'required, but empty');
  const country = row.checked('customer_country', checkCountry);
  if (!row.value('issue_date')) row.fail('issue_date', 'required, but empty');
  const issueDate = row.checked('issue_date', checkDate);
  if (!row.value('due_date')) row.fail('due_date', 'required, but empty');
  const dueDate = row.checked('due_date', checkDate);
  const currency =
    row.checked('currency', checkCurrency) ?? (row.value('currency') ? undefined : ctx.defaultCurrency);

  let type: InvoiceRecord['type'] | undefined;
  const typeText = row.value('type').toLowerCase();
  if (typeText) {
    type = TYPE_WORDS[typeText];
    if (!type)
      row.fail('type', `expected invoice or credit_note (facture or avoir), got "${row.value('type')}"`);
  }

  let total: number | undefined;
  let outstanding: number | undefined;
  if (currency) {
    if (!row.value('total')) row.fail('total', 'required, but empty');
    total = row.checked('total', checkAmount, currency);
    outstanding = row.checked('outstanding', checkAmount, currency);
  }

  const contacts: ContactRecord[] = [];
  const language = row.checked('contact_language', checkLanguage);
  const emails = row
    .value('contact_email')
    .split(/[;,]/)
    .map((e) => e.trim())
    .filter(Boolean);
  for (const email of emails) {
    const r = checkEmail(email);
    if (!r.ok) row.fail('contact_email', r.reason);
    else contacts.push({ email: r.value });
  }
  const contactName = row.value('contact_name');
  const phone = row.value('contact_phone');
  if (contacts.length === 0 && (contactName || phone)) contacts.push({});
  if (contacts[0]) {
    if (contactName) contacts[0].name = contactName;
    if (phone) contacts[0].phone = phone;
  }
  for (const c of contacts) {
    c.role = 'billing';
    if (language) c.language = language;
  }
  const customerLanguage = row.checked('customer_language', checkLanguage);

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
        `an invoice's total cannot be negative (${row.value('total')}); a credit note is type credit_note`,
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
        `the amount still due (${row.value('outstanding')}) is more than the total (${row.value('total')})`,
      ),
    ];
  }

  const customer: CustomerRecord = { ref: customerRef, name: customerName, country, contacts };
  if (customerLanguage) customer.language = customerLanguage;
  const legalId = row.value('customer_legal_id');
  if (legalId) customer.legalId = legalId;
  const vatId = row.value('customer_vat_id');
  if (vatId) customer.vatId = vatId;
  const street = row.value('customer_address');
  if (street || row.value('customer_city')) {
    customer.address = { lines: street ? street.split(/\s*\n\s*/) : [], country };
    if (row.value('customer_postal_code')) customer.address.postalCode = row.value('customer_postal_code');
    if (row.value('customer_city')) customer.address.city = row.value('customer_city');
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
  if (row.value('po_number')) invoice.poNumber = row.value('po_number');
  if (row.value('applies_to')) invoice.appliesTo = row.value('applies_to');
  return [{ kind: 'invoice', at, customer, invoice }];
}

function fieldLabel(column: InvoiceColumn): string {
  const fr = frenchName(column);
  return fr === column ? column : `${column} (${fr})`;
}

function problem(ctx: ParseContext, at: string, column: InvoiceColumn, message: string): ImportItem {
  return { kind: 'problem', problem: { file: ctx.file, at, field: fieldLabel(column), message } };
}
