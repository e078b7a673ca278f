// The invoice CSV's columns (CONTRACT.md §2): each canonical name, its French name, and a few
// spellings accounting exports commonly use. Headers are compared without case, accents or punctuation.

export type InvoiceColumn =
  | 'number'
  | 'type'
  | 'customer_ref'
  | 'customer_name'
  | 'customer_country'
  | 'customer_language'
  | 'customer_legal_id'
  | 'customer_vat_id'
  | 'customer_address'
  | 'customer_postal_code'
  | 'customer_city'
  | 'contact_name'
  | 'contact_email'
  | 'contact_language'
  | 'contact_phone'
  | 'issue_date'
  | 'due_date'
  | 'currency'
  | 'total'
  | 'outstanding'
  | 'po_number'
  | 'applies_to';

const ALIASES: Record<InvoiceColumn, string[]> = {
  number: ['numero', 'invoice_number', 'numero_facture', 'no_facture', 'n_facture', 'num_facture', 'facture'],
  type: ['type_document', 'document_type'],
  customer_ref: [
    'ref_client',
    'customer_id',
    'code_client',
    'client_ref',
    'reference_client',
    'compte_client',
  ],
  customer_name: ['client', 'customer', 'raison_sociale', 'nom_client'],
  customer_country: ['pays', 'country', 'pays_client', 'code_pays'],
  customer_language: ['langue_client'],
  customer_legal_id: ['siren', 'siret', 'legal_id', 'identifiant_legal'],
  customer_vat_id: ['tva_intracom', 'vat_id', 'vat_number', 'numero_tva'],
  customer_address: ['adresse', 'address'],
  customer_postal_code: ['code_postal', 'postal_code', 'postcode', 'zip'],
  customer_city: ['ville', 'city'],
  contact_name: ['contact', 'nom_contact'],
  contact_email: ['email', 'e_mail', 'courriel', 'mail', 'email_contact'],
  contact_language: ['langue', 'language', 'langue_contact'],
  contact_phone: ['telephone', 'phone', 'tel'],
  issue_date: ['date_facture', 'invoice_date', 'date', 'date_emission', 'issued'],
  due_date: ['echeance', 'date_echeance', 'due', 'date_limite'],
  currency: ['devise', 'monnaie'],
  total: ['montant_ttc', 'total_ttc', 'amount', 'montant', 'total_amount'],
  outstanding: ['reste_du', 'reste_a_payer', 'solde', 'balance', 'amount_due', 'restant_du'],
  po_number: ['bon_de_commande', 'po', 'purchase_order', 'numero_commande', 'commande'],
  applies_to: ['facture_origine', 'facture_d_origine', 'invoice_reference', 'corrects'],
};

export const REQUIRED_COLUMNS: InvoiceColumn[] = [
  'number',
  'customer_ref',
  'customer_name',
  'customer_country',
  'issue_date',
  'due_date',
  'total',
];

/** The French name the contract gives each column, to name it in messages users understand. */
export function frenchName(column: InvoiceColumn): string {
  return ALIASES[column][0] ?? column;
}

export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[°º]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const LOOKUP = new Map<string, InvoiceColumn>();
for (const [column, aliases] of Object.entries(ALIASES) as [InvoiceColumn, string[]][]) {
  LOOKUP.set(column, column);
  for (const alias of aliases) if (!LOOKUP.has(alias)) LOOKUP.set(alias, column);
}

export function columnFor(header: string): InvoiceColumn | undefined {
  return LOOKUP.get(normaliseHeader(header));
}
