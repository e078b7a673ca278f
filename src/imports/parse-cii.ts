// UN/CEFACT Cross-Industry Invoice (D16B), read as EN 16931-3-3 maps the semantic model onto it: the
// XML of Factur-X 1.0 and ZUGFeRD 2.x (profiles MINIMUM to EXTENDED) and XRechnung CII. Pure.
import type { PlainDate } from '../calendar/plain-date.ts';
import { billingContacts, checkAmountIn, withoutUndefined } from './parse-ubl.ts';
import type { CustomerRecord, ImportItem, InvoiceRecord, ParseContext, PostalAddress } from './records.ts';
import { UnreadableFileError } from './records.ts';
import type { Check } from './validate.ts';
import { checkClaim, checkCountry, checkCurrency, checkDate, checkEmail, checkTypeCode } from './validate.ts';
import type { XmlElement } from './xml.ts';
import { attribute, child, FieldReader, find, findAll, parseXml, pathOf, text, textAt } from './xml.ts';

const NAMESPACE = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';

export function parseCii(xml: string, ctx: ParseContext): ImportItem[] {
  return ciiItems(parseXml(xml, ctx.file), ctx);
}

/** For callers that already parsed the XML (the attachment of a Factur-X PDF). */
export function ciiItems(root: XmlElement, ctx: ParseContext): ImportItem[] {
  if (root.name === 'CrossIndustryDocument') {
    throw new UnreadableFileError({
      file: ctx.file,
      at: root.qname,
      message:
        'ZUGFeRD 1.0 (CrossIndustryDocument) is not supported: expected a CrossIndustryInvoice as in ZUGFeRD 2.x, Factur-X or XRechnung',
    });
  }
  if (root.name !== 'CrossIndustryInvoice') {
    throw new UnreadableFileError({
      file: ctx.file,
      at: root.qname,
      message: `expected a UN/CEFACT CrossIndustryInvoice, but the root element is ${root.qname}`,
    });
  }
  if (root.namespace !== NAMESPACE) {
    throw new UnreadableFileError({
      file: ctx.file,
      at: root.qname,
      message: `expected CrossIndustryInvoice in the namespace ${NAMESPACE}, found ${root.namespace ? `namespace ${root.namespace}` : 'no namespace'}`,
    });
  }
  const r = new FieldReader(ctx.file);
  const transaction = child(root, 'rsm:SupplyChainTradeTransaction');
  if (!transaction) {
    r.problem(
      pathOf(root, 'rsm:SupplyChainTradeTransaction'),
      'total',
      'missing: the trade transaction (EN 16931 BG-25 to BG-22)',
    );
  }
  const invoice = transaction ? readInvoice(root, transaction, r, ctx) : undefined;
  const customer = transaction ? readCustomer(transaction, r) : undefined;
  if (r.problems.length > 0 || !invoice || !customer) {
    return r.problems.map((problem) => ({ kind: 'problem', problem }));
  }
  return [{ kind: 'invoice', at: root.path, customer, invoice: { ...invoice, customerRef: customer.ref } }];
}

const asText = (value: string): Check<string> => ({ ok: true, value });

/** udt:DateTimeString with format 102, the only one EN 16931 allows for a day (YYYYMMDD). */
function asDate102(value: string, el: XmlElement): Check<PlainDate> {
  const format = attribute(el, 'format');
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if ((format !== undefined && format !== '102') || !m) {
    return {
      ok: false,
      reason: `expected a date as YYYYMMDD with format="102", got "${value}"${format && format !== '102' ? ` with format="${format}"` : ''}`,
    };
  }
  const checked = checkDate(`${m[1]}-${m[2]}-${m[3]}`);
  return checked.ok ? checked : { ok: false, reason: `"${value}" is not a calendar date (YYYYMMDD)` };
}

function readInvoice(
  root: XmlElement,
  transaction: XmlElement,
  r: FieldReader,
  ctx: ParseContext,
): Omit<InvoiceRecord, 'customerRef'> | undefined {
  const doc = 'rsm:ExchangedDocument';
  const number = r.read(
    root,
    `${doc}/ram:ID`,
    'number',
    asText,
    'missing: every invoice has a number (EN 16931 BT-1)',
  );
  const type = r.read(root, `${doc}/ram:TypeCode`, 'type', checkTypeCode) ?? 'invoice';
  const issueDate = r.read(
    root,
    `${doc}/ram:IssueDateTime/udt:DateTimeString`,
    'issue_date',
    asDate102,
    'missing: the issue date (EN 16931 BT-2)',
  );
  const agreement = child(transaction, 'ram:ApplicableHeaderTradeAgreement');
  const settlement = child(transaction, 'ram:ApplicableHeaderTradeSettlement');
  if (!settlement) {
    r.problem(
      pathOf(transaction, 'ram:ApplicableHeaderTradeSettlement'),
      'total',
      'missing: the settlement with the totals (EN 16931 BG-22)',
    );
    return undefined;
  }
  const currency = readCurrency(settlement, r, ctx);
  const amounts = currency === undefined ? undefined : readAmounts(settlement, r, type, currency);

  // EN 16931 allows one set of payment terms; EXTENDED may carry instalments, and the first
  // stated due date is the one the buyer is late on first.
  const duePath = 'ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString';
  let dueDate = r.read(settlement, duePath, 'due_date', asDate102);
  if (textAt(settlement, duePath) === undefined) {
    // Decision (as for UBL): terms in words only (BT-20, allowed by BR-CO-25) give no date to chase
    // on; a credit note or an invoice with nothing left to pay takes its issue date.
    if (type === 'credit_note' || amounts?.outstanding === 0) dueDate = issueDate;
    else {
      r.problem(
        pathOf(settlement, duePath),
        'due_date',
        'missing: expected the payment due date (EN 16931 BT-9); payment terms in words give no date to chase on',
      );
    }
  }
  if (number === undefined || issueDate === undefined || dueDate === undefined || !currency || !amounts) {
    return undefined;
  }
  const poNumber = textAt(agreement, 'ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID');
  const appliesTo =
    type === 'credit_note'
      ? textAt(settlement, 'ram:InvoiceReferencedDocument/ram:IssuerAssignedID')
      : undefined;
  return withoutUndefined({ number, type, issueDate, dueDate, currency, ...amounts, poNumber, appliesTo });
}

const SUMMATION = 'ram:SpecifiedTradeSettlementHeaderMonetarySummation';

/** BT-5, else the currency the grand total is stated in, else the organisation's. */
function readCurrency(settlement: XmlElement, r: FieldReader, ctx: ParseContext): string | undefined {
  if (textAt(settlement, 'ram:InvoiceCurrencyCode') !== undefined) {
    return r.read(settlement, 'ram:InvoiceCurrencyCode', 'currency', checkCurrency);
  }
  const stated = attribute(find(settlement, `${SUMMATION}/ram:GrandTotalAmount`), 'currencyID');
  const checked = stated === undefined ? undefined : checkCurrency(stated);
  return checked?.ok ? checked.value : ctx.defaultCurrency;
}

function readAmounts(
  settlement: XmlElement,
  r: FieldReader,
  type: InvoiceRecord['type'],
  currency: string,
): { total: number; outstanding: number } | undefined {
  const amount = (value: string, el: XmlElement) => checkAmountIn(value, el, currency);
  const before = r.problems.length;
  const total = r.read(
    settlement,
    `${SUMMATION}/ram:GrandTotalAmount`,
    'total',
    amount,
    'missing: the invoice total with VAT (EN 16931 BT-112)',
  );
  const rounding = r.read(settlement, `${SUMMATION}/ram:RoundingAmount`, 'total', amount) ?? 0;
  const prepaid = r.read(settlement, `${SUMMATION}/ram:TotalPrepaidAmount`, 'outstanding', amount) ?? 0;
  const payable = r.read(settlement, `${SUMMATION}/ram:DuePayableAmount`, 'outstanding', amount);
  if (total === undefined || r.problems.length > before) return undefined;
  // BT-115 = BT-112 − BT-113 + BT-114 (BR-CO-16): the rounding is part of the claim.
  const claim = checkClaim(type, total + rounding, payable ?? total + rounding - prepaid, currency);
  if (!claim.ok) {
    const path = `${SUMMATION}/${claim.field === 'total' ? 'ram:GrandTotalAmount' : 'ram:DuePayableAmount'}`;
    r.problem(find(settlement, path)?.path ?? pathOf(settlement, path), claim.field, claim.reason);
    return undefined;
  }
  return { total: claim.total, outstanding: claim.outstanding };
}

function readCustomer(transaction: XmlElement, r: FieldReader): CustomerRecord | undefined {
  const buyerPath = 'ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty';
  const buyer = find(transaction, buyerPath);
  if (!buyer) {
    r.problem(pathOf(transaction, buyerPath), 'customer_ref', 'missing: the buyer (EN 16931 BG-7)');
    return undefined;
  }
  const vatId = text(
    findAll(buyer, 'ram:SpecifiedTaxRegistration/ram:ID').find(
      (id) => attribute(id, 'schemeID')?.toUpperCase() === 'VA',
    ),
  );
  const legalId = textAt(buyer, 'ram:SpecifiedLegalOrganization/ram:ID');
  const endpoint = find(buyer, 'ram:URIUniversalCommunication/ram:URIID');
  // The same order as in UBL, so that one buyer gets one ref whichever syntax its invoices come in:
  // BT-46 (ID, or GlobalID with its scheme), BT-49, BT-47, BT-48.
  const ref = textAt(buyer, 'ram:ID') ?? textAt(buyer, 'ram:GlobalID') ?? text(endpoint) ?? legalId ?? vatId;
  if (ref === undefined) {
    r.problem(
      pathOf(buyer, 'ram:ID'),
      'customer_ref',
      "missing: expected the buyer's identifier (EN 16931 BT-46), electronic address (BT-49), legal registration (BT-47) or VAT number (BT-48)",
    );
  }
  // BT-44, else the trading name (BT-45); when both are missing, the problem points at BT-44.
  const tradingName = 'ram:SpecifiedLegalOrganization/ram:TradingBusinessName';
  const namePath = !textAt(buyer, 'ram:Name') && textAt(buyer, tradingName) ? tradingName : 'ram:Name';
  const name = r.read(buyer, namePath, 'customer_name', asText, "missing: the buyer's name (EN 16931 BT-44)");
  const country = r.read(
    buyer,
    'ram:PostalTradeAddress/ram:CountryID',
    'customer_country',
    checkCountry,
    "missing: the buyer's country (EN 16931 BT-55)",
  );

  const postal = child(buyer, 'ram:PostalTradeAddress');
  const address: PostalAddress | undefined = postal
    ? withoutUndefined({
        lines: ['ram:LineOne', 'ram:LineTwo', 'ram:LineThree']
          .map((line) => text(child(postal, line)))
          .filter((line): line is string => line !== undefined),
        postalCode: text(child(postal, 'ram:PostcodeCode')),
        city: text(child(postal, 'ram:CityName')),
        country,
      })
    : undefined;

  const contact = child(buyer, 'ram:DefinedTradeContact');
  // Scheme EM (CEF EAS code list) makes the electronic address (BT-49) an email address.
  const endpointEmails =
    attribute(endpoint, 'schemeID')?.toUpperCase() === 'EM'
      ? r.readList(endpoint, 'contact_email', checkEmail)
      : [];
  const contacts = billingContacts(
    textAt(contact, 'ram:PersonName') ?? textAt(contact, 'ram:DepartmentName'),
    textAt(contact, 'ram:TelephoneUniversalCommunication/ram:CompleteNumber'),
    [
      ...r.readList(
        find(contact, 'ram:EmailURIUniversalCommunication/ram:URIID'),
        'contact_email',
        checkEmail,
      ),
      ...endpointEmails,
    ],
  );
  if (ref === undefined || name === undefined || country === undefined) return undefined;
  return withoutUndefined({ ref, name, country, legalId, vatId, address, contacts });
}
