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
  'summary.daily',
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
    'summary.daily': '{{date}}: reminders sent: {{sent}} · new tasks: {{tasks}} · invoices paid: {{paid}}',
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
    'summary.daily':
      '{{date}} : relances envoyées : {{sent}} · nouvelles tâches : {{tasks}} · factures payées : {{paid}}',
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
    'summary.daily':
      '{{date}}: Erinnerungen versendet: {{sent}} · neue Aufgaben: {{tasks}} · Rechnungen bezahlt: {{paid}}',
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
    'summary.daily':
      '{{date}}: recordatorios enviados: {{sent}} · tareas nuevas: {{tasks}} · facturas pagadas: {{paid}}',
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
    'summary.daily':
      '{{date}}: solleciti inviati: {{sent}} · nuove attività: {{tasks}} · fatture pagate: {{paid}}',
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
    'summary.daily':
      '{{date}}: herinneringen verstuurd: {{sent}} · nieuwe taken: {{tasks}} · facturen betaald: {{paid}}',
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
