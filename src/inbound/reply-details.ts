// What the acting rules need from a reply's own words beyond its intent: which document a document
// request asks for, whether an unclassified reply is a harmless thank-you, and which address a
// "wrong contact" reply points to. Pure; works on the folded text (accents and case away).
import { foldKeepLength } from './text.ts';

/**
 * What a document request asks for. The first three the agent answers itself with a statement of
 * account (it lists every open invoice and carries the bank details); the others need a person: a
 * new invoice with their reference on it, a delivery note, an upload to their portal.
 */
export type DocumentKind =
  | 'invoice_copy'
  | 'statement'
  | 'bank_details'
  | 'po_number'
  | 'proof_of_delivery'
  | 'portal';

export const DOCUMENTS_WE_SEND: ReadonlySet<DocumentKind> = new Set([
  'invoice_copy',
  'statement',
  'bank_details',
]);

// Cues per kind, in fr, en, de, es, it, nl, on folded text. Order does not matter: a reply may ask
// for several things ("a copy and your bank details").
const DOCUMENT_CUES: Record<DocumentKind, RegExp> = {
  po_number:
    /\b(?:bon de commande|n(?:umero|°) de (?:commande|bc)|numero d'engagement|code service|siret|purchase order|po (?:number|no)|po\b ?\d|order (?:number|reference)|bestell(?:nummer|nr)|auftragsnummer|numero de pedido|numero d'ordine|numero ordine|(?:inkoop)?ordernummer|inkoopnummer|with our reference|notre reference|unsere referenz)/,
  proof_of_delivery:
    /\b(?:bons? de livraison|bl signes?|pv de reception|preuve de livraison|attestation de livraison|proof of delivery|delivery note|signed pod|lieferschein|wareneingang|albaran|documento di trasporto|ddt\b|bolla di consegna|afleverbon|pakbon|leverbon)/,
  portal:
    /\b(?:chorus|plate-?forme|portail|portal|portale|portaal|coupa|ariba|basware|tungsten|sdi\b|sistema di interscambio|format(?:o)? (?:elettronico|electronique)|e-?invoic|upload|hochladen|laden sie|uploaden|deposer|deposez|televers|suban|subir la factura|caricare)/,
  statement:
    /\b(?:releve de compte|releve des factures|etat des factures|extrait de compte|situation de compte|statement|kontoauszug|kontenauszug|saldenbestatigung|offene[n]? posten|extracto de cuenta|estado de cuenta|estratto conto|rekeningoverzicht|saldo-?overzicht|overzicht van (?:de )?(?:openstaande )?facturen)/,
  bank_details:
    /\b(?:rib\b|iban|bic\b|coordonnees bancaires|bank details|bank account|bankverbindung|kontoverbindung|datos bancarios|cuenta bancaria|coordinate bancarie|bankgegevens|rekeningnummer)/,
  invoice_copy:
    /\b(?:copie|duplicata|copy|kopie|copia|pdf|renvoy|re-?send|resend|send (?:it|the invoice) again|email it again|erneut|nochmal|reenvi|rimand|opnieuw (?:sturen|toesturen|versturen)|not received|pas recu|nicht erhalten|keine rechnung erhalten|no hemos recibido|non abbiamo ricevuto|geen factuur ontvangen|niet ontvangen|never rec[ie]+ved)/,
};

/** The documents a request asks for; empty when none is recognised (taken as a copy of the invoice). */
export function documentsAsked(text: string): DocumentKind[] {
  const folded = foldKeepLength(text);
  return (Object.keys(DOCUMENT_CUES) as DocumentKind[]).filter((kind) => DOCUMENT_CUES[kind].test(folded));
}

const THANKS =
  /^(?:(?:bonjour|hello|hi|dear \w+|guten tag|hallo|buenos dias|hola|buongiorno|ciao|goedemorgen|goedendag|beste \w+)[,!. ]*)?(?:(?:un grand |many |vielen |muchas |mille |hartelijk )?(?:merci|thanks?(?: you)?|cheers|danke(?: schon)?|dank|gracias|grazie|bedankt|dank u(?: wel)?|dank je)|bien recu|c'est note|(?:duly )?noted|received|well received|ok(?:ay)?|parfait|perfect|super|top|entendido|recibido|ricevuto|perfetto|ontvangen|genoteerd|prima|in ordnung|erhalten)(?:\b[^?]{0,80})?$/;

/**
 * A short thank-you or acknowledgement with no question in it ("Merci, bien reçu", "Thanks!"):
 * nothing a person needs to read. Anything longer, or asking something, is not harmless.
 */
export function isHarmless(text: string): boolean {
  const body = foldKeepLength(text).replace(/\s+/g, ' ').trim();
  if (!body || body.length > 120 || body.includes('?')) return false;
  // The sign-off is not part of what was said.
  const said = body
    .replace(
      /[,.!]?\s*(?:cordialement|bien a vous|bonne journee|regards|kind regards|best|mit freundlichen grussen|viele grusse|un saludo|saludos|cordiali saluti|saluti|met vriendelijke groet|groeten)\b.*$/,
      '',
    )
    .trim();
  return THANKS.test(said);
}

const ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;

/**
 * The addresses a "wrong contact" reply points to ("please write to compta@client.fr instead"),
 * lower-cased, without the sender's own nor the ones in `exclude` (ours, the contact it replaces).
 */
export function proposedAddresses(text: string, exclude: readonly string[]): string[] {
  const skip = new Set(exclude.map((a) => a.toLowerCase()));
  const found: string[] = [];
  for (const match of text.matchAll(ADDRESS)) {
    const address = match[0].toLowerCase().replace(/\.$/, '');
    if (!skip.has(address) && !found.includes(address)) found.push(address);
  }
  return found;
}
