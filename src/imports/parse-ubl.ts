// OASIS UBL 2.1 Invoice and CreditNote, read as EN 16931-3-2 (the European e-invoice in UBL syntax,
// PEPPOL BIS Billing 3.0, XRechnung UBL) maps the semantic model onto it. Pure: text in, records out.
import type { PlainDate } from '../calendar/plain-date.ts';
import type {
  ContactRecord,
  CustomerRecord,
  ImportItem,
  InvoiceRecord,
  ParseContext,
  PostalAddress,
} from './records.ts';
import { UnreadableFileError } from './records.ts';
import type { Check } from './validate.ts';
import {
  checkClaim,
  checkCountry,
  checkCurrency,
  checkDate,
  checkDecimalAmount,
  checkEmail,
  checkTypeCode,
} from './validate.ts';
import type { XmlElement } from './xml.ts';
import {
  attribute,
  child,
  children,
  FieldReader,
  find,
  findAll,
  parseXml,
  pathOf,
  text,
  textAt,
  xsdDateText,
} from './xml.ts';

const NAMESPACES: Record<string, string> = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
};

export function parseUbl(xml: string, ctx: ParseContext): ImportItem[] {
  return ublItems(parseXml(xml, ctx.file), ctx);
}

/** For callers that already parsed the XML (a Factur-X PDF may carry an XRechnung in UBL). */
export function ublItems(root: XmlElement, ctx: ParseContext): ImportItem[] {
  const expected = NAMESPACES[root.name];
  if (!expected) {
    throw new UnreadableFileError({
      file: ctx.file,
      at: root.qname,
      message: `expected a UBL 2.1 Invoice or CreditNote, but the root element is ${root.qname}`,
    });
  }
  if (root.namespace !== expected) {
    throw new UnreadableFileError({
      file: ctx.file,
      at: root.qname,
      message: `expected ${root.name} in the UBL 2.1 namespace ${expected}, found ${root.namespace ? `namespace ${root.namespace}` : 'no namespace'}`,
    });
  }
  const r = new FieldReader(ctx.file);
  const invoice = readInvoice(root, r, ctx);
  const customer = readCustomer(root, r);
  if (r.problems.length > 0 || !invoice || !customer) {
    return r.problems.map((problem) => ({ kind: 'problem', problem }));
  }
  return [{ kind: 'invoice', at: root.path, customer, invoice: { ...invoice, customerRef: customer.ref } }];
}

const asText = (value: string): Check<string> => ({ ok: true, value });
const asDate = (value: string): Check<PlainDate> => checkDate(xsdDateText(value));

function readInvoice(
  root: XmlElement,
  r: FieldReader,
  ctx: ParseContext,
): Omit<InvoiceRecord, 'customerRef'> | undefined {
  const number = r.read(
    root,
    'cbc:ID',
    'number',
    asText,
    'missing: every invoice has a number (EN 16931 BT-1)',
  );
  // The root says credit note for a CreditNote; an Invoice may still be one by its type code (BT-3).
  const isCreditNote = root.name === 'CreditNote';
  const coded = r.read(
    root,
    isCreditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode',
    'type',
    checkTypeCode,
  );
  const type = isCreditNote ? 'credit_note' : (coded ?? 'invoice');
  const issueDate = r.read(
    root,
    'cbc:IssueDate',
    'issue_date',
    asDate,
    'missing: the issue date (EN 16931 BT-2)',
  );

  const currency = readCurrency(root, r, ctx);
  const amounts = currency === undefined ? undefined : readAmounts(root, r, type, currency);

  // BT-9 sits in cbc:DueDate on an Invoice; a CreditNote has no such element in UBL 2.1, so PEPPOL
  // puts it in PaymentMeans, and UBL also allows it in PaymentTerms.
  const duePath = [
    'cbc:DueDate',
    'cac:PaymentMeans/cbc:PaymentDueDate',
    'cac:PaymentTerms/cbc:PaymentDueDate',
  ].find((path) => textAt(root, path) !== undefined);
  let dueDate = duePath ? r.read(root, duePath, 'due_date', asDate) : undefined;
  if (!duePath) {
    // Decision: EN 16931 (BR-CO-25) lets an invoice give payment terms in words (BT-20) instead of a
    // due date, but Ardent chases on a date and will not guess one from "30 days end of month".
    // Nothing is chased on a credit note or on an invoice with nothing left to pay, so there the
    // issue date stands in.
    if (type === 'credit_note' || amounts?.outstanding === 0) dueDate = issueDate;
    else {
      r.problem(
        pathOf(root, 'cbc:DueDate'),
        'due_date',
        'missing: expected cbc:DueDate or cac:PaymentMeans/cbc:PaymentDueDate (EN 16931 BT-9); payment terms in words give no date to chase on',
      );
    }
  }

  if (number === undefined || issueDate === undefined || dueDate === undefined || !currency || !amounts) {
    return undefined;
  }
  const poNumber = textAt(root, 'cac:OrderReference/cbc:ID');
  const appliesTo =
    type === 'credit_note'
      ? textAt(root, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID')
      : undefined;
  return withoutUndefined({ number, type, issueDate, dueDate, currency, ...amounts, poNumber, appliesTo });
}

/** BT-5, else the currency the total is stated in, else the organisation's. */
function readCurrency(root: XmlElement, r: FieldReader, ctx: ParseContext): string | undefined {
  if (textAt(root, 'cbc:DocumentCurrencyCode') !== undefined) {
    return r.read(root, 'cbc:DocumentCurrencyCode', 'currency', checkCurrency);
  }
  const stated = attribute(find(root, 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount'), 'currencyID');
  const checked = stated === undefined ? undefined : checkCurrency(stated);
  return checked?.ok ? checked.value : ctx.defaultCurrency;
}

function readAmounts(
  root: XmlElement,
  r: FieldReader,
  type: InvoiceRecord['type'],
  currency: string,
): { total: number; outstanding: number } | undefined {
  const amount = (text: string, el: XmlElement) => checkAmountIn(text, el, currency);
  const before = r.problems.length;
  const totals = 'cac:LegalMonetaryTotal';
  const total = r.read(
    root,
    `${totals}/cbc:TaxInclusiveAmount`,
    'total',
    amount,
    'missing: the invoice total with VAT (EN 16931 BT-112)',
  );
  const rounding = r.read(root, `${totals}/cbc:PayableRoundingAmount`, 'total', amount) ?? 0;
  const prepaid = r.read(root, `${totals}/cbc:PrepaidAmount`, 'outstanding', amount) ?? 0;
  const payable = r.read(root, `${totals}/cbc:PayableAmount`, 'outstanding', amount);
  if (total === undefined || r.problems.length > before) return undefined;
  // BT-115 = BT-112 − BT-113 + BT-114: the rounding belongs to what is claimed, so it joins the total,
  // and the amount due is what the buyer still owes once prepayments are deducted.
  const claim = checkClaim(type, total + rounding, payable ?? total + rounding - prepaid, currency);
  if (!claim.ok) {
    const path = claim.field === 'total' ? `${totals}/cbc:TaxInclusiveAmount` : `${totals}/cbc:PayableAmount`;
    r.problem(find(root, path)?.path ?? pathOf(root, path), claim.field, claim.reason);
    return undefined;
  }
  return { total: claim.total, outstanding: claim.outstanding };
}

/** An amount of the document: a decimal with a point, in the document's currency (currencyID is mandatory in UBL). */
export function checkAmountIn(value: string, el: XmlElement, currency: string): Check<number> {
  const stated = attribute(el, 'currencyID')?.trim().toUpperCase();
  if (stated !== undefined && stated !== currency) {
    return {
      ok: false,
      reason: `expected an amount in ${currency}, the document's currency (EN 16931 BT-5), got currencyID="${stated}"`,
    };
  }
  return checkDecimalAmount(value, currency);
}

function readCustomer(root: XmlElement, r: FieldReader): CustomerRecord | undefined {
  const accounting = child(root, 'cac:AccountingCustomerParty');
  const party = child(accounting, 'cac:Party');
  if (!accounting || !party) {
    r.problem(
      pathOf(root, 'cac:AccountingCustomerParty/cac:Party'),
      'customer_ref',
      'missing: the buyer (EN 16931 BG-7)',
    );
    return undefined;
  }
  const taxSchemes = children(party, 'cac:PartyTaxScheme');
  const vatScheme =
    taxSchemes.find((s) => textAt(s, 'cac:TaxScheme/cbc:ID')?.toUpperCase() === 'VAT') ?? taxSchemes[0];
  const vatId = textAt(vatScheme, 'cbc:CompanyID');
  const legalId = textAt(party, 'cac:PartyLegalEntity/cbc:CompanyID');
  // The seller's own account number for the buyer says exactly what customer_ref means; PEPPOL leaves
  // it out, so then the buyer's identifiers in EN 16931's order: BT-46, BT-49, BT-47, BT-48.
  const ref =
    textAt(accounting, 'cbc:SupplierAssignedAccountID') ??
    textAt(party, 'cac:PartyIdentification/cbc:ID') ??
    textAt(party, 'cbc:EndpointID') ??
    legalId ??
    vatId;
  if (ref === undefined) {
    r.problem(
      pathOf(party, 'cac:PartyIdentification/cbc:ID'),
      'customer_ref',
      "missing: expected the buyer's identifier (EN 16931 BT-46), electronic address (BT-49), legal registration (BT-47) or VAT number (BT-48)",
    );
  }
  // BT-44, else the trading name (BT-45); when both are missing, the problem points at BT-44.
  const legalName = 'cac:PartyLegalEntity/cbc:RegistrationName';
  const tradingName = 'cac:PartyName/cbc:Name';
  const namePath = !textAt(party, legalName) && textAt(party, tradingName) ? tradingName : legalName;
  const name = r.read(party, namePath, 'customer_name', asText, "missing: the buyer's name (EN 16931 BT-44)");
  const countryPath = 'cac:PostalAddress/cac:Country/cbc:IdentificationCode';
  const country = r.read(
    party,
    countryPath,
    'customer_country',
    checkCountry,
    "missing: the buyer's country (EN 16931 BT-55)",
  );

  const postal = child(party, 'cac:PostalAddress');
  const address: PostalAddress | undefined = postal
    ? withoutUndefined({
        lines: [
          text(child(postal, 'cbc:StreetName')),
          text(child(postal, 'cbc:AdditionalStreetName')),
          ...findAll(postal, 'cac:AddressLine/cbc:Line').map(text),
        ].filter((line): line is string => line !== undefined),
        postalCode: text(child(postal, 'cbc:PostalZone')),
        city: text(child(postal, 'cbc:CityName')),
        country,
      })
    : undefined;

  const contact = child(party, 'cac:Contact');
  const endpoint = child(party, 'cbc:EndpointID');
  // Scheme EM (CEF EAS code list) makes the electronic address (BT-49) an email address.
  const endpointEmails =
    attribute(endpoint, 'schemeID')?.toUpperCase() === 'EM'
      ? r.readList(endpoint, 'contact_email', checkEmail)
      : [];
  const contacts = billingContacts(textAt(contact, 'cbc:Name'), textAt(contact, 'cbc:Telephone'), [
    ...r.readList(child(contact, 'cbc:ElectronicMail'), 'contact_email', checkEmail),
    ...endpointEmails,
  ]);
  if (ref === undefined || name === undefined || country === undefined) return undefined;
  return withoutUndefined({ ref, name, country, legalId, vatId, address, contacts });
}

/**
 * The buyer contact (EN 16931 BG-9) is whom the invoice was addressed to, so whom reminders go to.
 * One email is one contact: a second address becomes a second contact of the same role.
 */
export function billingContacts(
  name: string | undefined,
  phone: string | undefined,
  emails: string[],
): ContactRecord[] {
  const unique = emails.filter((e, i) => emails.findIndex((o) => o.toLowerCase() === e.toLowerCase()) === i);
  const [first, ...others] = unique;
  const contacts: ContactRecord[] = [];
  if (name !== undefined || phone !== undefined || first !== undefined) {
    contacts.push(withoutUndefined({ name, email: first, phone, role: 'billing' as const }));
  }
  for (const email of others) contacts.push({ email, role: 'billing' });
  return contacts;
}

/** Records leave absent fields out rather than holding `undefined`, so that they compare and print cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
