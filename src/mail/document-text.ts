// Words, dates, amounts and postal addresses as the PDFs that go with reminders print them (the
// statement of account and the letter), in the six message languages. Pure.
import type { PlainDate } from '../calendar/plain-date.ts';
import type { PostalAddress } from '../imports/records.ts';
import { formatMoney } from '../ledger/money.ts';
import { isMessageLanguage, type MessageLanguage, normalizeLanguage } from '../messages/language.ts';
import { messageLocale } from '../messages/render.ts';

export interface DocumentWords {
  statement: string;
  asOf: string;
  customer: string;
  ref: string;
  number: string;
  date: string;
  due: string;
  amount: string;
  outstanding: string;
  creditNote: string;
  total: string;
  nothingOpen: string;
  bank: string;
  page: string;
  subject: string;
  yourRef: string;
  interest: string;
  indemnity: string;
  fileStatement: string;
  fileLetter: string;
}

const WORDS: Record<MessageLanguage, DocumentWords> = {
  fr: {
    statement: 'Relevé de compte',
    asOf: 'au',
    customer: 'Client',
    ref: 'Réf. client',
    number: 'N°',
    date: 'Date',
    due: 'Échéance',
    amount: 'Montant TTC',
    outstanding: 'Reste dû',
    creditNote: 'Avoir',
    total: 'Total restant dû',
    nothingOpen: 'Aucune facture ouverte.',
    bank: 'Règlement par virement',
    page: 'Page',
    subject: 'Objet',
    yourRef: 'Vos références',
    interest:
      'Tout retard de paiement donne lieu à des pénalités au taux de la BCE majoré de 10 points (art. L441-10 du Code de commerce).',
    indemnity:
      'Indemnité forfaitaire pour frais de recouvrement due par tout professionnel en situation de retard de paiement : 40 € par facture (art. L441-10 et D441-5 du Code de commerce, directive 2011/7/UE art. 6).',
    fileStatement: 'releve-de-compte',
    fileLetter: 'courrier',
  },
  en: {
    statement: 'Statement of account',
    asOf: 'as of',
    customer: 'Customer',
    ref: 'Customer ref.',
    number: 'Number',
    date: 'Date',
    due: 'Due date',
    amount: 'Amount',
    outstanding: 'Outstanding',
    creditNote: 'Credit note',
    total: 'Total outstanding',
    nothingOpen: 'No open invoice.',
    bank: 'Payment by bank transfer',
    page: 'Page',
    subject: 'Subject',
    yourRef: 'Your reference',
    interest:
      'Late payment gives rise to interest at the reference rate of the European Central Bank plus at least 8 points (directive 2011/7/EU art. 3).',
    indemnity:
      'A fixed compensation of EUR 40 per invoice for recovery costs is due from a business that pays late (directive 2011/7/EU art. 6).',
    fileStatement: 'statement-of-account',
    fileLetter: 'letter',
  },
  de: {
    statement: 'Kontoauszug',
    asOf: 'zum',
    customer: 'Kunde',
    ref: 'Kundennr.',
    number: 'Nr.',
    date: 'Datum',
    due: 'Fällig',
    amount: 'Betrag',
    outstanding: 'Offen',
    creditNote: 'Gutschrift',
    total: 'Offener Betrag gesamt',
    nothingOpen: 'Keine offene Rechnung.',
    bank: 'Zahlung per Überweisung',
    page: 'Seite',
    subject: 'Betreff',
    yourRef: 'Ihr Zeichen',
    interest:
      'Bei Zahlungsverzug fallen Verzugszinsen von 9 Prozentpunkten über dem Basiszinssatz an (§ 288 Abs. 2 BGB).',
    indemnity:
      'Bei Zahlungsverzug eines Unternehmens ist eine Pauschale von 40 € je Rechnung geschuldet (§ 288 Abs. 5 BGB, Richtlinie 2011/7/EU Art. 6).',
    fileStatement: 'kontoauszug',
    fileLetter: 'schreiben',
  },
  es: {
    statement: 'Estado de cuenta',
    asOf: 'a',
    customer: 'Cliente',
    ref: 'Ref. cliente',
    number: 'N.º',
    date: 'Fecha',
    due: 'Vencimiento',
    amount: 'Importe',
    outstanding: 'Pendiente',
    creditNote: 'Abono',
    total: 'Total pendiente',
    nothingOpen: 'Ninguna factura pendiente.',
    bank: 'Pago por transferencia',
    page: 'Página',
    subject: 'Asunto',
    yourRef: 'Su referencia',
    interest:
      'La demora en el pago devenga intereses al tipo del Banco Central Europeo más 8 puntos (Ley 3/2004, art. 7).',
    indemnity:
      'Se devenga una indemnización fija de 40 € por factura por los costes de cobro (Ley 3/2004, art. 8; directiva 2011/7/UE art. 6).',
    fileStatement: 'estado-de-cuenta',
    fileLetter: 'carta',
  },
  it: {
    statement: 'Estratto conto',
    asOf: 'al',
    customer: 'Cliente',
    ref: 'Cod. cliente',
    number: 'N.',
    date: 'Data',
    due: 'Scadenza',
    amount: 'Importo',
    outstanding: 'Residuo',
    creditNote: 'Nota di credito',
    total: 'Totale da pagare',
    nothingOpen: 'Nessuna fattura aperta.',
    bank: 'Pagamento tramite bonifico',
    page: 'Pagina',
    subject: 'Oggetto',
    yourRef: 'Vostro riferimento',
    interest:
      'Il ritardo nel pagamento comporta interessi moratori al tasso BCE maggiorato di 8 punti (d.lgs. 231/2002, art. 5).',
    indemnity:
      'È dovuto un importo forfettario di 40 € per fattura a titolo di risarcimento dei costi di recupero (d.lgs. 231/2002, art. 6; direttiva 2011/7/UE art. 6).',
    fileStatement: 'estratto-conto',
    fileLetter: 'lettera',
  },
  nl: {
    statement: 'Rekeningoverzicht',
    asOf: 'per',
    customer: 'Klant',
    ref: 'Klantnr.',
    number: 'Nr.',
    date: 'Datum',
    due: 'Vervaldatum',
    amount: 'Bedrag',
    outstanding: 'Openstaand',
    creditNote: 'Creditnota',
    total: 'Totaal openstaand',
    nothingOpen: 'Geen openstaande factuur.',
    bank: 'Betaling per overschrijving',
    page: 'Pagina',
    subject: 'Betreft',
    yourRef: 'Uw kenmerk',
    interest:
      'Bij te late betaling is de wettelijke handelsrente verschuldigd: de herfinancieringsrente van de ECB plus 8 procentpunten (art. 6:119a BW).',
    indemnity:
      'Een vaste vergoeding van € 40 per factuur voor invorderingskosten is verschuldigd (art. 6:96 lid 4 BW, richtlijn 2011/7/EU art. 6).',
    fileStatement: 'rekeningoverzicht',
    fileLetter: 'brief',
  },
};

export function documentLanguage(language: string | null | undefined): MessageLanguage {
  const code = normalizeLanguage(language) ?? 'en';
  return isMessageLanguage(code) ? code : 'en';
}

export function documentWords(language: string | null | undefined): DocumentWords {
  return WORDS[documentLanguage(language)];
}

const shortDates = new Map<string, Intl.DateTimeFormat>();
const longDates = new Map<string, Intl.DateTimeFormat>();

function dateFormat(cache: Map<string, Intl.DateTimeFormat>, locale: string, long: boolean) {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      long
        ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
        : { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' },
    );
    cache.set(locale, format);
  }
  return format;
}

// Formatted dates and amounts, kept: the same few days and sums come back in every document.
const formatted = new Map<string, string>();

function memo(key: string, make: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    text = make();
    if (formatted.size >= 5000) formatted.delete(formatted.keys().next().value!);
    formatted.set(key, text);
  }
  return text;
}

/** A printer for one document: dates and amounts the way its language and country write them. */
export function documentFormat(language: string | null | undefined, country?: string | null) {
  const lang = documentLanguage(language);
  const locale = messageLocale(lang, country);
  return {
    language: lang,
    words: WORDS[lang],
    date: (day: PlainDate) =>
      memo(`d|${locale}|${day}`, () =>
        dateFormat(shortDates, locale, false).format(new Date(`${day}T00:00:00Z`)),
      ),
    longDate: (day: PlainDate) =>
      memo(`D|${locale}|${day}`, () => {
        const text = dateFormat(longDates, locale, true).format(new Date(`${day}T00:00:00Z`));
        return lang === 'fr' ? text.replace(/^1 /, '1er ') : text;
      }),
    money: (minor: number, currency: string) =>
      memo(`m|${locale}|${currency}|${minor}`, () => formatMoney(minor, currency, locale)),
    /** "Objet : …" in French (a no-break space before the colon), "Subject: …" elsewhere. */
    labelled: (label: string, value: string) => `${label}${lang === 'fr' ? '\u00a0:' : ':'} ${value}`,
  };
}

/** A stored address (customers.address, contacts.address) when it can carry a letter, else null. */
export function readPostalAddress(value: unknown): PostalAddress | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const lines = Array.isArray(v.lines)
    ? v.lines.filter((l): l is string => typeof l === 'string' && !!l.trim())
    : [];
  const postalCode = typeof v.postalCode === 'string' ? v.postalCode.trim() : '';
  const city = typeof v.city === 'string' ? v.city.trim() : '';
  const country = typeof v.country === 'string' ? v.country.trim().toUpperCase() : '';
  // A letter needs a street (or PO box) line and a town.
  if (lines.length === 0 || !city) return null;
  return { lines, ...(postalCode ? { postalCode } : {}), city, ...(country ? { country } : {}) };
}

/**
 * The address block as the post reads it: name, street lines, postcode and town, and the country in
 * capitals on the last line when it is not the sender's (UPU S42; La Poste and Deutsche Post ask the same).
 */
export function postalLines(
  name: string,
  address: PostalAddress,
  senderCountry: string,
  language: string,
  attention?: string | null,
): string[] {
  const lines = [name];
  if (attention && attention !== name) lines.push(attention);
  lines.push(...address.lines);
  const country = address.country?.toUpperCase();
  // Postcode after the town in the United Kingdom and Ireland; before it almost everywhere else.
  const town =
    country === 'GB' || country === 'IE'
      ? [address.city, address.postalCode].filter(Boolean).join(' ')
      : [address.postalCode, address.city].filter(Boolean).join(' ');
  lines.push(country && country !== senderCountry.toUpperCase() ? town.toUpperCase() : town);
  if (country && country !== senderCountry.toUpperCase()) {
    const names = new Intl.DisplayNames([documentLanguage(language)], { type: 'region' });
    lines.push((names.of(country) ?? country).toUpperCase());
  }
  return lines;
}
