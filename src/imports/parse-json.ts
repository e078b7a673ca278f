// The JSON form of an invoice import: `{ "customers": [...], "invoices": [...] }`, the CSV's
// fields in camelCase; customers carry their contacts.
import { z } from 'zod';
import type { InvoiceColumn } from './columns.ts';
import { type FlatFields, flatToItem } from './flat-record.ts';
import {
  type ContactRecord,
  type CustomerRecord,
  type ImportItem,
  type ParseContext,
  type Problem,
  UnreadableFileError,
} from './records.ts';
import { checkCountry, checkEmail, checkLanguage } from './validate.ts';

// Amounts may come as "1234.56" or 1234.56; a JSON number is read back through its shortest
// decimal text, which is exactly what was written.
const scalar = z.union([z.string(), z.number()]).transform(String);

const contactSchema = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  language: z.string().optional(),
  role: z.enum(['billing', 'primary', 'other']).optional(),
});

const customerSchema = z.object({
  ref: scalar,
  name: z.string().min(1),
  country: z.string(),
  language: z.string().optional(),
  legalId: z.string().optional(),
  vatId: z.string().optional(),
  strategic: z.boolean().optional(),
  excluded: z.boolean().optional(),
  address: z
    .object({
      lines: z.array(z.string()).default([]),
      postalCode: z.string().optional(),
      city: z.string().optional(),
      country: z.string().optional(),
    })
    .optional(),
  contacts: z.array(contactSchema).default([]),
});

const FIELD_OF: Record<string, InvoiceColumn> = {
  number: 'number',
  type: 'type',
  customerRef: 'customer_ref',
  customerName: 'customer_name',
  customerCountry: 'customer_country',
  contactName: 'contact_name',
  contactEmail: 'contact_email',
  contactLanguage: 'contact_language',
  contactPhone: 'contact_phone',
  issueDate: 'issue_date',
  dueDate: 'due_date',
  currency: 'currency',
  total: 'total',
  outstanding: 'outstanding',
  poNumber: 'po_number',
  appliesTo: 'applies_to',
};

const documentSchema = z.object({
  customers: z.array(z.unknown()).default([]),
  invoices: z.array(z.unknown()).default([]),
});

export function parseInvoiceJson(text: string, ctx: ParseContext): ImportItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new UnreadableFileError({ file: ctx.file, message: `not valid JSON: ${(error as Error).message}` });
  }
  const doc = documentSchema.safeParse(data);
  if (!doc.success) {
    throw new UnreadableFileError({
      file: ctx.file,
      message: 'expected an object { "customers": [...], "invoices": [...] }',
    });
  }
  const items: ImportItem[] = [];
  const customers = new Map<string, CustomerRecord>();
  doc.data.customers.forEach((raw, i) => {
    const at = `customers[${i}]`;
    const parsed = customerSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) items.push(zodProblem(ctx, at, issue));
      return;
    }
    const c = parsed.data;
    const problems: Problem[] = [];
    const country = checkCountry(c.country);
    if (!country.ok) problems.push({ file: ctx.file, at, field: 'country', message: country.reason });
    const language = c.language ? checkLanguage(c.language) : undefined;
    if (language && !language.ok)
      problems.push({ file: ctx.file, at, field: 'language', message: language.reason });
    const contacts: ContactRecord[] = [];
    c.contacts.forEach((contact, j) => {
      const record: ContactRecord = { role: contact.role ?? 'billing' };
      if (contact.name) record.name = contact.name;
      if (contact.phone) record.phone = contact.phone;
      if (contact.email) {
        const email = checkEmail(contact.email);
        if (email.ok) record.email = email.value;
        else
          problems.push({
            file: ctx.file,
            at: `${at}.contacts[${j}]`,
            field: 'email',
            message: email.reason,
          });
      }
      if (contact.language) {
        const lang = checkLanguage(contact.language);
        if (lang.ok) record.language = lang.value;
        else
          problems.push({
            file: ctx.file,
            at: `${at}.contacts[${j}]`,
            field: 'language',
            message: lang.reason,
          });
      }
      contacts.push(record);
    });
    if (problems.length > 0 || !country.ok) {
      for (const problem of problems) items.push({ kind: 'problem', problem });
      return;
    }
    const customer: CustomerRecord = { ref: c.ref, name: c.name, country: country.value, contacts };
    if (language?.ok) customer.language = language.value;
    if (c.legalId) customer.legalId = c.legalId;
    if (c.vatId) customer.vatId = c.vatId;
    if (c.address) customer.address = { ...c.address, country: c.address.country ?? country.value };
    if (c.strategic !== undefined) customer.strategic = c.strategic;
    if (c.excluded !== undefined) customer.excluded = c.excluded;
    customers.set(customer.ref, customer);
    items.push({ kind: 'customer', at, customer });
  });

  doc.data.invoices.forEach((raw, i) => {
    const at = `invoices[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      items.push({ kind: 'problem', problem: { file: ctx.file, at, message: 'expected an object' } });
      return;
    }
    const fields: FlatFields = {};
    for (const [key, value] of Object.entries(raw)) {
      const column = FIELD_OF[key];
      if (column && (typeof value === 'string' || typeof value === 'number')) fields[column] = String(value);
    }
    // An invoice may name its customer by ref alone when the file lists that customer.
    const known = fields.customer_ref ? customers.get(fields.customer_ref) : undefined;
    if (known) {
      fields.customer_name ??= known.name;
      fields.customer_country ??= known.country;
    }
    for (const item of flatToItem(fields, ctx, at)) {
      if (item.kind === 'invoice' && known) {
        items.push({
          ...item,
          customer: { ...known, contacts: [...known.contacts, ...item.customer.contacts] },
        });
      } else {
        items.push(item);
      }
    }
  });
  return items;
}

function zodProblem(ctx: ParseContext, at: string, issue: z.core.$ZodIssue): ImportItem {
  const path = issue.path.join('.');
  return {
    kind: 'problem',
    problem: { file: ctx.file, at, ...(path ? { field: path } : {}), message: issue.message },
  };
}
