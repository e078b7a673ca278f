// Short texts for the organisation's own people: task titles and the daily summary, in the six
// message languages, with the same {{…}} syntax as customer templates.

import { isMessageLanguage, type MessageLanguage, normalizeLanguage } from './language.ts';
import { type CompiledTemplate, compileTemplate, type VariableSpec } from './templates.ts';

export const MEMBER_TEXT_KEYS = [
  'task.missing_contact',
  'task.invalid_email',
  'task.no_answer',
  'task.dispute',
  'task.callback_request',
  'task.refusal',
  'task.insolvency',
  'task.strategic_customer',
  'task.missing_country',
  'task.inconsistent_data',
  'task.reminders_exhausted',
  'task.payment_plan_request',
  'task.wrong_contact',
  'task.document_request',
  'task.unmatched_reply',
  'task.read_reply',
  'task.payment_claimed',
  'summary.daily',
  'notice.payment_received',
  'notice.partial_payment',
  'notice.payment_reversed',
  'task.payment_to_confirm',
  'notice.payments_imported',
  'task.missing_address',
  'task.repeated_bounces',
] as const;
export type MemberTextKey = (typeof MEMBER_TEXT_KEYS)[number];

/** Forms chosen by `Intl.PluralRules` on the `count` value; `other` is the fallback. */
export interface PluralText {
  readonly one: string;
  readonly other: string;
}
export type MemberText = string | PluralText;

/** Values arrive formatted by the caller (amounts with `formatMoney`, dates in the language). */
export const MEMBER_VARIABLES: VariableSpec = {
  customer_name: 'text',
  invoice_number: 'text',
  email: 'text',
  phone: 'text',
  amount: 'text',
  count: 'text',
  date: 'text',
  sent: 'text',
  tasks: 'text',
  paid: 'text',
  remaining: 'text',
};

export const MEMBER_TEXTS: Readonly<Record<MessageLanguage, Readonly<Record<MemberTextKey, MemberText>>>> = {
  en: {
    'task.missing_contact': 'Add a contact with an email address for {{customer_name}}',
    'task.invalid_email': 'Find a new contact for {{customer_name}}: {{email}} is not a valid address',
    'task.no_answer': {
      one: 'No answer from {{customer_name}} after {{count}} reminder',
      other: 'No answer from {{customer_name}} after {{count}} reminders',
    },
    'task.dispute':
      '{{customer_name}} disputes {{#if invoice_number}}invoice {{invoice_number}}{{else}}an invoice{{/if}}: check and reply',
    'task.callback_request': 'Call {{customer_name}} back{{#if phone}} on {{phone}}{{/if}}',
    'task.refusal': '{{customer_name}} refuses to pay: decide on the next step',
    'task.insolvency': '{{customer_name}} is in insolvency proceedings: reminders stopped, file the claim',
    'task.strategic_customer': 'Remind {{customer_name}} personally: {{amount}} overdue (strategic customer)',
    'task.missing_country': 'Add the country of {{customer_name}}',
    'task.inconsistent_data':
      'Check the amounts of {{customer_name}}: {{invoice_number}} shows a negative amount due',
    'task.reminders_exhausted':
      'Every reminder was sent to {{customer_name}} for {{invoice_number}}: decide the next step',
    'task.payment_plan_request':
      '{{customer_name}} asks for a payment plan{{#if invoice_number}} for {{invoice_number}}{{/if}}: decide and reply',
    'task.wrong_contact':
      'Find the right contact for {{customer_name}}{{#if email}}: the reply proposes {{email}}{{/if}}',
    'task.document_request':
      '{{customer_name}} asks for a document{{#if invoice_number}} about {{invoice_number}}{{/if}}: send it',
    'task.unmatched_reply': 'Read a reply matched to no customer{{#if email}}, from {{email}}{{/if}}',
    'task.read_reply': 'Read the reply of {{customer_name}}: the agent did not act on it',
    'task.payment_claimed':
      '{{customer_name}} says {{invoice_number}} is paid, but no payment was found: check',
    'summary.daily': '{{date}}: reminders sent: {{sent}} · new tasks: {{tasks}} · invoices paid: {{paid}}',
    'notice.payment_received':
      '{{customer_name}} paid {{amount}}{{#if invoice_number}} for {{invoice_number}}{{/if}}: reminders stopped',
    'notice.partial_payment':
      '{{customer_name}} paid {{amount}} towards {{invoice_number}}: {{remaining}} still due, reminders continue for it',
    'notice.payment_reversed':
      'The bank took back the payment of {{amount}} from {{customer_name}}{{#if invoice_number}}: {{invoice_number}} is due again{{/if}}',
    'task.payment_to_confirm':
      'Confirm the payment of {{amount}} received on {{date}}{{#if customer_name}} from {{customer_name}}{{/if}}{{#if invoice_number}}: proposed for {{invoice_number}}{{/if}}',
    'task.missing_address': 'Add a postal address for {{customer_name}}: a letter is due',
    'task.repeated_bounces':
      'Mail to {{email}} ({{customer_name}}) keeps coming back ({{count}} times in two weeks): check the address',
    'notice.payments_imported': {
      one: 'Bank statement imported: {{count}} payment applied, invoices paid: {{paid}}{{#if tasks}}, to confirm: {{tasks}}{{/if}}',
      other:
        'Bank statement imported: {{count}} payments applied, invoices paid: {{paid}}{{#if tasks}}, to confirm: {{tasks}}{{/if}}',
    },
  },
  fr: {
    'task.missing_contact': 'Ajouter un contact avec une adresse e-mail pour {{customer_name}}',
    'task.invalid_email':
      "Trouver un nouveau contact pour {{customer_name}} : l'adresse {{email}} n'est pas valide",
    'task.no_answer': {
      one: 'Aucune réponse de {{customer_name}} après {{count}} relance',
      other: 'Aucune réponse de {{customer_name}} après {{count}} relances',
    },
    'task.dispute':
      '{{customer_name}} conteste {{#if invoice_number}}la facture {{invoice_number}}{{else}}une facture{{/if}} : vérifier et répondre',
    'task.callback_request': 'Rappeler {{customer_name}}{{#if phone}} au {{phone}}{{/if}}',
    'task.refusal': '{{customer_name}} refuse de payer : décider de la suite',
    'task.insolvency':
      '{{customer_name}} est en procédure collective : relances arrêtées, déclarer la créance',
    'task.strategic_customer':
      'Relancer personnellement {{customer_name}} : {{amount}} en retard (client stratégique)',
    'task.missing_country': 'Renseigner le pays de {{customer_name}}',
    'task.inconsistent_data':
      'Vérifier les montants de {{customer_name}} : {{invoice_number}} présente un reste dû négatif',
    'task.reminders_exhausted':
      'Toutes les relances ont été envoyées à {{customer_name}} pour {{invoice_number}} : décider de la suite',
    'task.payment_plan_request':
      '{{customer_name}} demande un échéancier{{#if invoice_number}} pour {{invoice_number}}{{/if}} : décider et répondre',
    'task.wrong_contact':
      'Trouver le bon contact chez {{customer_name}}{{#if email}} : la réponse propose {{email}}{{/if}}',
    'task.document_request':
      "{{customer_name}} demande un document{{#if invoice_number}} concernant {{invoice_number}}{{/if}} : l'envoyer",
    'task.unmatched_reply': 'Lire une réponse rattachée à aucun client{{#if email}}, de {{email}}{{/if}}',
    'task.read_reply': "Lire la réponse de {{customer_name}} : l'agent n'y a pas donné suite",
    'task.payment_claimed':
      "{{customer_name}} dit avoir payé {{invoice_number}}, mais aucun paiement n'a été trouvé : vérifier",
    'summary.daily':
      '{{date}} : relances envoyées : {{sent}} · nouvelles tâches : {{tasks}} · factures payées : {{paid}}',
    'notice.payment_received':
      'Paiement de {{amount}} reçu de {{customer_name}}{{#if invoice_number}} pour {{invoice_number}}{{/if}} : relances arrêtées',
    'notice.partial_payment':
      '{{customer_name}} a payé {{amount}} sur {{invoice_number}} : reste dû {{remaining}}, les relances continuent pour ce montant',
    'notice.payment_reversed':
      'La banque a repris le paiement de {{amount}} de {{customer_name}}{{#if invoice_number}} : {{invoice_number}} est de nouveau à payer{{/if}}',
    'task.payment_to_confirm':
      'Confirmer le paiement de {{amount}} reçu le {{date}}{{#if customer_name}} de {{customer_name}}{{/if}}{{#if invoice_number}} : proposé pour {{invoice_number}}{{/if}}',
    'task.missing_address': "Ajouter l'adresse postale de {{customer_name}} : un courrier doit partir",
    'task.repeated_bounces':
      "Les messages à {{email}} ({{customer_name}}) reviennent sans cesse ({{count}} fois en deux semaines) : vérifier l'adresse",
    'notice.payments_imported': {
      one: 'Relevé bancaire importé : {{count}} paiement appliqué, factures payées : {{paid}}{{#if tasks}}, à confirmer : {{tasks}}{{/if}}',
      other:
        'Relevé bancaire importé : {{count}} paiements appliqués, factures payées : {{paid}}{{#if tasks}}, à confirmer : {{tasks}}{{/if}}',
    },
  },
  de: {
    'task.missing_contact': 'Kontakt mit E-Mail-Adresse für {{customer_name}} hinzufügen',
    'task.invalid_email': 'Neuen Kontakt für {{customer_name}} finden: {{email}} ist keine gültige Adresse',
    'task.no_answer': {
      one: 'Keine Antwort von {{customer_name}} nach {{count}} Erinnerung',
      other: 'Keine Antwort von {{customer_name}} nach {{count}} Erinnerungen',
    },
    'task.dispute':
      '{{customer_name}} beanstandet {{#if invoice_number}}die Rechnung {{invoice_number}}{{else}}eine Rechnung{{/if}}: prüfen und antworten',
    'task.callback_request': '{{customer_name}} zurückrufen{{#if phone}} unter {{phone}}{{/if}}',
    'task.refusal': '{{customer_name}} verweigert die Zahlung: über das weitere Vorgehen entscheiden',
    'task.insolvency': '{{customer_name}} ist im Insolvenzverfahren: Mahnungen gestoppt, Forderung anmelden',
    'task.strategic_customer':
      '{{customer_name}} persönlich erinnern: {{amount}} überfällig (strategischer Kunde)',
    'task.missing_country': 'Land von {{customer_name}} ergänzen',
    'task.inconsistent_data':
      'Beträge von {{customer_name}} prüfen: {{invoice_number}} weist einen negativen offenen Betrag auf',
    'task.reminders_exhausted':
      'Alle Mahnungen an {{customer_name}} zu {{invoice_number}} sind versandt: nächsten Schritt entscheiden',
    'task.payment_plan_request':
      '{{customer_name}} bittet um Ratenzahlung{{#if invoice_number}} für {{invoice_number}}{{/if}}: entscheiden und antworten',
    'task.wrong_contact':
      'Den richtigen Kontakt bei {{customer_name}} finden{{#if email}}: die Antwort nennt {{email}}{{/if}}',
    'task.document_request':
      '{{customer_name}} bittet um ein Dokument{{#if invoice_number}} zu {{invoice_number}}{{/if}}: zusenden',
    'task.unmatched_reply': 'Eine keinem Kunden zugeordnete Antwort lesen{{#if email}}, von {{email}}{{/if}}',
    'task.read_reply': 'Die Antwort von {{customer_name}} lesen: der Agent hat nichts unternommen',
    'task.payment_claimed':
      '{{customer_name}} gibt an, {{invoice_number}} bezahlt zu haben, aber keine Zahlung wurde gefunden: prüfen',
    'summary.daily':
      '{{date}}: Erinnerungen versendet: {{sent}} · neue Aufgaben: {{tasks}} · Rechnungen bezahlt: {{paid}}',
    'notice.payment_received':
      'Zahlung von {{amount}} von {{customer_name}} erhalten{{#if invoice_number}} für {{invoice_number}}{{/if}}: Mahnungen gestoppt',
    'notice.partial_payment':
      '{{customer_name}} hat {{amount}} auf {{invoice_number}} gezahlt: noch offen {{remaining}}, die Mahnungen laufen dafür weiter',
    'notice.payment_reversed':
      'Die Bank hat die Zahlung von {{amount}} von {{customer_name}} zurückgebucht{{#if invoice_number}}: {{invoice_number}} ist wieder offen{{/if}}',
    'task.payment_to_confirm':
      'Zahlung von {{amount}} vom {{date}}{{#if customer_name}} von {{customer_name}}{{/if}} bestätigen{{#if invoice_number}}: vorgeschlagen für {{invoice_number}}{{/if}}',
    'task.missing_address': 'Postanschrift für {{customer_name}} ergänzen: ein Brief ist fällig',
    'task.repeated_bounces':
      'E-Mails an {{email}} ({{customer_name}}) kommen immer wieder zurück ({{count}}-mal in zwei Wochen): Adresse prüfen',
    'notice.payments_imported': {
      one: 'Kontoauszug importiert: {{count}} Zahlung verbucht, bezahlte Rechnungen: {{paid}}{{#if tasks}}, zu bestätigen: {{tasks}}{{/if}}',
      other:
        'Kontoauszug importiert: {{count}} Zahlungen verbucht, bezahlte Rechnungen: {{paid}}{{#if tasks}}, zu bestätigen: {{tasks}}{{/if}}',
    },
  },
  es: {
    'task.missing_contact': 'Añadir un contacto con correo electrónico para {{customer_name}}',
    'task.invalid_email':
      'Buscar un nuevo contacto para {{customer_name}}: la dirección {{email}} no es válida',
    'task.no_answer': {
      one: 'Sin respuesta de {{customer_name}} tras {{count}} recordatorio',
      other: 'Sin respuesta de {{customer_name}} tras {{count}} recordatorios',
    },
    'task.dispute':
      '{{customer_name}} no está conforme con {{#if invoice_number}}la factura {{invoice_number}}{{else}}una factura{{/if}}: revisar y responder',
    'task.callback_request': 'Llamar a {{customer_name}}{{#if phone}} al {{phone}}{{/if}}',
    'task.refusal': '{{customer_name}} se niega a pagar: decidir los próximos pasos',
    'task.insolvency':
      '{{customer_name}} está en concurso de acreedores: recordatorios detenidos, comunicar el crédito',
    'task.strategic_customer':
      'Recordar personalmente a {{customer_name}}: {{amount}} vencidos (cliente estratégico)',
    'task.missing_country': 'Indicar el país de {{customer_name}}',
    'task.inconsistent_data':
      'Revisar los importes de {{customer_name}}: {{invoice_number}} muestra un saldo pendiente negativo',
    'task.reminders_exhausted':
      'Se han enviado todos los recordatorios a {{customer_name}} por {{invoice_number}}: decidir el siguiente paso',
    'task.payment_plan_request':
      '{{customer_name}} pide un plan de pagos{{#if invoice_number}} para {{invoice_number}}{{/if}}: decidir y responder',
    'task.wrong_contact':
      'Encontrar el contacto correcto en {{customer_name}}{{#if email}}: la respuesta propone {{email}}{{/if}}',
    'task.document_request':
      '{{customer_name}} pide un documento{{#if invoice_number}} sobre {{invoice_number}}{{/if}}: enviarlo',
    'task.unmatched_reply': 'Leer una respuesta sin cliente asociado{{#if email}}, de {{email}}{{/if}}',
    'task.read_reply': 'Leer la respuesta de {{customer_name}}: el agente no ha actuado',
    'task.payment_claimed':
      '{{customer_name}} dice haber pagado {{invoice_number}}, pero no se ha encontrado ningún pago: comprobar',
    'summary.daily':
      '{{date}}: recordatorios enviados: {{sent}} · tareas nuevas: {{tasks}} · facturas pagadas: {{paid}}',
    'notice.payment_received':
      'Pago de {{amount}} recibido de {{customer_name}}{{#if invoice_number}} por {{invoice_number}}{{/if}}: recordatorios detenidos',
    'notice.partial_payment':
      '{{customer_name}} ha pagado {{amount}} de {{invoice_number}}: quedan pendientes {{remaining}}, los recordatorios continúan por ese importe',
    'notice.payment_reversed':
      'El banco ha devuelto el pago de {{amount}} de {{customer_name}}{{#if invoice_number}}: {{invoice_number}} vuelve a estar pendiente{{/if}}',
    'task.payment_to_confirm':
      'Confirmar el pago de {{amount}} recibido el {{date}}{{#if customer_name}} de {{customer_name}}{{/if}}{{#if invoice_number}}: propuesto para {{invoice_number}}{{/if}}',
    'task.missing_address':
      'Añadir la dirección postal de {{customer_name}}: hay una carta pendiente de envío',
    'task.repeated_bounces':
      'Los correos a {{email}} ({{customer_name}}) siguen siendo devueltos ({{count}} veces en dos semanas): comprobar la dirección',
    'notice.payments_imported': {
      one: 'Extracto bancario importado: {{count}} pago aplicado, facturas pagadas: {{paid}}{{#if tasks}}, por confirmar: {{tasks}}{{/if}}',
      other:
        'Extracto bancario importado: {{count}} pagos aplicados, facturas pagadas: {{paid}}{{#if tasks}}, por confirmar: {{tasks}}{{/if}}',
    },
  },
  it: {
    'task.missing_contact': 'Aggiungere un contatto con indirizzo e-mail per {{customer_name}}',
    'task.invalid_email':
      "Trovare un nuovo contatto per {{customer_name}}: l'indirizzo {{email}} non è valido",
    'task.no_answer': {
      one: 'Nessuna risposta da {{customer_name}} dopo {{count}} sollecito',
      other: 'Nessuna risposta da {{customer_name}} dopo {{count}} solleciti',
    },
    'task.dispute':
      '{{customer_name}} contesta {{#if invoice_number}}la fattura n. {{invoice_number}}{{else}}una fattura{{/if}}: verificare e rispondere',
    'task.callback_request': 'Richiamare {{customer_name}}{{#if phone}} al numero {{phone}}{{/if}}',
    'task.refusal': '{{customer_name}} rifiuta di pagare: decidere come procedere',
    'task.insolvency':
      '{{customer_name}} è in procedura concorsuale: solleciti sospesi, insinuare il credito al passivo',
    'task.strategic_customer':
      'Sollecitare personalmente {{customer_name}}: {{amount}} scaduti (cliente strategico)',
    'task.missing_country': 'Indicare il paese di {{customer_name}}',
    'task.inconsistent_data':
      'Verificare gli importi di {{customer_name}}: {{invoice_number}} presenta un residuo negativo',
    'task.reminders_exhausted':
      'Tutti i solleciti a {{customer_name}} per {{invoice_number}} sono stati inviati: decidere il passo successivo',
    'task.payment_plan_request':
      '{{customer_name}} chiede una rateizzazione{{#if invoice_number}} per {{invoice_number}}{{/if}}: decidere e rispondere',
    'task.wrong_contact':
      'Trovare il contatto giusto presso {{customer_name}}{{#if email}}: la risposta indica {{email}}{{/if}}',
    'task.document_request':
      '{{customer_name}} chiede un documento{{#if invoice_number}} relativo a {{invoice_number}}{{/if}}: inviarlo',
    'task.unmatched_reply':
      'Leggere una risposta non associata a nessun cliente{{#if email}}, da {{email}}{{/if}}',
    'task.read_reply': "Leggere la risposta di {{customer_name}}: l'agente non ha agito",
    'task.payment_claimed':
      '{{customer_name}} dice di aver pagato {{invoice_number}}, ma nessun pagamento è stato trovato: verificare',
    'summary.daily':
      '{{date}}: solleciti inviati: {{sent}} · nuove attività: {{tasks}} · fatture pagate: {{paid}}',
    'notice.payment_received':
      'Pagamento di {{amount}} ricevuto da {{customer_name}}{{#if invoice_number}} per {{invoice_number}}{{/if}}: solleciti sospesi',
    'notice.partial_payment':
      '{{customer_name}} ha pagato {{amount}} su {{invoice_number}}: restano da pagare {{remaining}}, i solleciti proseguono per tale importo',
    'notice.payment_reversed':
      'La banca ha stornato il pagamento di {{amount}} di {{customer_name}}{{#if invoice_number}}: {{invoice_number}} è di nuovo da pagare{{/if}}',
    'task.payment_to_confirm':
      'Confermare il pagamento di {{amount}} ricevuto il {{date}}{{#if customer_name}} da {{customer_name}}{{/if}}{{#if invoice_number}}: proposto per {{invoice_number}}{{/if}}',
    'task.missing_address':
      "Aggiungere l'indirizzo postale di {{customer_name}}: una lettera deve essere spedita",
    'task.repeated_bounces':
      "Le e-mail a {{email}} ({{customer_name}}) continuano a tornare indietro ({{count}} volte in due settimane): verificare l'indirizzo",
    'notice.payments_imported': {
      one: 'Estratto conto importato: {{count}} pagamento registrato, fatture pagate: {{paid}}{{#if tasks}}, da confermare: {{tasks}}{{/if}}',
      other:
        'Estratto conto importato: {{count}} pagamenti registrati, fatture pagate: {{paid}}{{#if tasks}}, da confermare: {{tasks}}{{/if}}',
    },
  },
  nl: {
    'task.missing_contact': 'Contactpersoon met e-mailadres toevoegen voor {{customer_name}}',
    'task.invalid_email':
      'Nieuwe contactpersoon zoeken voor {{customer_name}}: {{email}} is geen geldig adres',
    'task.no_answer': {
      one: 'Geen reactie van {{customer_name}} na {{count}} herinnering',
      other: 'Geen reactie van {{customer_name}} na {{count}} herinneringen',
    },
    'task.dispute':
      '{{customer_name}} betwist {{#if invoice_number}}factuur {{invoice_number}}{{else}}een factuur{{/if}}: controleren en antwoorden',
    'task.callback_request': '{{customer_name}} terugbellen{{#if phone}} op {{phone}}{{/if}}',
    'task.refusal': '{{customer_name}} weigert te betalen: beslissen over de volgende stap',
    'task.insolvency':
      '{{customer_name}} is in een insolventieprocedure: herinneringen gestopt, vordering indienen',
    'task.strategic_customer':
      '{{customer_name}} persoonlijk herinneren: {{amount}} achterstallig (strategische klant)',
    'task.missing_country': 'Vul het land van {{customer_name}} in',
    'task.inconsistent_data':
      'Controleer de bedragen van {{customer_name}}: {{invoice_number}} heeft een negatief openstaand bedrag',
    'task.reminders_exhausted':
      'Alle herinneringen aan {{customer_name}} voor {{invoice_number}} zijn verstuurd: bepaal de volgende stap',
    'task.payment_plan_request':
      '{{customer_name}} vraagt om een betalingsregeling{{#if invoice_number}} voor {{invoice_number}}{{/if}}: beslissen en antwoorden',
    'task.wrong_contact':
      'De juiste contactpersoon bij {{customer_name}} vinden{{#if email}}: het antwoord noemt {{email}}{{/if}}',
    'task.document_request':
      '{{customer_name}} vraagt om een document{{#if invoice_number}} over {{invoice_number}}{{/if}}: toesturen',
    'task.unmatched_reply': 'Een antwoord zonder klant lezen{{#if email}}, van {{email}}{{/if}}',
    'task.read_reply': 'Het antwoord van {{customer_name}} lezen: de agent heeft er niets mee gedaan',
    'task.payment_claimed':
      '{{customer_name}} zegt {{invoice_number}} betaald te hebben, maar er is geen betaling gevonden: controleren',
    'summary.daily':
      '{{date}}: herinneringen verstuurd: {{sent}} · nieuwe taken: {{tasks}} · facturen betaald: {{paid}}',
    'notice.payment_received':
      'Betaling van {{amount}} ontvangen van {{customer_name}}{{#if invoice_number}} voor {{invoice_number}}{{/if}}: herinneringen gestopt',
    'notice.partial_payment':
      '{{customer_name}} heeft {{amount}} betaald op {{invoice_number}}: nog {{remaining}} open, de herinneringen lopen daarvoor door',
    'notice.payment_reversed':
      'De bank heeft de betaling van {{amount}} van {{customer_name}} teruggeboekt{{#if invoice_number}}: {{invoice_number}} staat weer open{{/if}}',
    'task.payment_to_confirm':
      'Betaling van {{amount}} ontvangen op {{date}}{{#if customer_name}} van {{customer_name}}{{/if}} bevestigen{{#if invoice_number}}: voorgesteld voor {{invoice_number}}{{/if}}',
    'task.missing_address': 'Postadres van {{customer_name}} toevoegen: er moet een brief verstuurd worden',
    'task.repeated_bounces':
      'E-mails aan {{email}} ({{customer_name}}) komen steeds terug ({{count}} keer in twee weken): controleer het adres',
    'notice.payments_imported': {
      one: 'Rekeningafschrift geïmporteerd: {{count}} betaling verwerkt, betaalde facturen: {{paid}}{{#if tasks}}, te bevestigen: {{tasks}}{{/if}}',
      other:
        'Rekeningafschrift geïmporteerd: {{count}} betalingen verwerkt, betaalde facturen: {{paid}}{{#if tasks}}, te bevestigen: {{tasks}}{{/if}}',
    },
  },
};

const compiled = new Map<string, CompiledTemplate>();

function compiledFor(source: string): CompiledTemplate {
  let template = compiled.get(source);
  if (!template) {
    const result = compileTemplate(source, { variables: MEMBER_VARIABLES, aliases: {} });
    if (!result.ok) throw new Error(`member text does not compile: ${result.errors[0]?.message}`);
    template = result.template;
    compiled.set(source, template);
  }
  return template;
}

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralForm(language: MessageLanguage, count: number): 'one' | 'other' {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count) === 'one' ? 'one' : 'other';
}

/**
 * A member-facing text in `language` (English when it has none), with `values` substituted.
 * Choose the language with `memberLanguage` or `membersLanguage`.
 */
export function memberText(
  key: MemberTextKey,
  language: string,
  values: Readonly<Record<string, string | number | null | undefined>> = {},
): string {
  const requested = normalizeLanguage(language) ?? 'en';
  const lang: MessageLanguage = isMessageLanguage(requested) ? requested : 'en';
  const entry = MEMBER_TEXTS[lang][key];
  const source = typeof entry === 'string' ? entry : entry[pluralForm(lang, Number(values.count ?? 0))];
  return compiledFor(source).render(values).replace(/\s+/g, ' ').trim();
}
