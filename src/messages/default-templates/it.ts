import type { TemplateSet } from '../templates.ts';

// Dates follow "in data", "scadenza" or a colon, never "il", "del" or "entro il": Italian elides
// the article before 1, 8 and 11 ("l'11 novembre", "dell'8"), which a fixed template cannot know.

const GREETING = '{{#if contact_name}}Gentile {{contact_name}},{{else}}Gentili Signori,{{/if}}';

const OVERDUE_LIST = `{{#each invoices}}
- Fattura n. {{number}} (emessa: {{issue_date}}, scadenza: {{due_date}}): {{outstanding}} da saldare
{{/each}}`;

const OTHER_OVERDUE = `{{#if other_overdue}}
Le segnaliamo inoltre che risultano scadute anche le seguenti fatture:

{{#each other_overdue}}
- Fattura n. {{number}} (emessa: {{issue_date}}, scadenza: {{due_date}}): {{outstanding}} da saldare
{{/each}}
{{/if}}`;

const BANK = `{{#if bank}}
Le nostre coordinate bancarie per il bonifico:
{{#if bank.name}}
Banca: {{bank.name}}
{{/if}}
IBAN: {{bank.iban}}
{{#if bank.bic}}
BIC: {{bank.bic}}
{{/if}}
{{#if payment_reference}}
Causale: {{payment_reference}}
{{/if}}
{{/if}}`;

const SENDER = `{{#if sender_name}}
{{sender_name}}
{{/if}}
{{company_name}}`;

export const it: TemplateSet = {
  courtesy: {
    subject:
      '{{#if several}}Prossima scadenza di {{invoice_count}} fatture{{else}}Fattura n. {{invoice_number}}: scadenza {{due_date}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Le ricordiamo che le seguenti fatture giungeranno presto a scadenza:

{{#each invoices}}
- Fattura n. {{number}} (emessa: {{issue_date}}): {{outstanding}}, scadenza {{due_date}}
{{/each}}

Importo totale: {{total_due}}.
{{else}}
Le ricordiamo che la fattura n. {{invoice_number}}, di importo pari a {{amount}} (IVA inclusa), giungerà a scadenza in data {{due_date}}.
{{/if}}

Se il pagamento è già stato programmato, La ringraziamo: non è necessaria alcuna azione da parte Sua.

${BANK}

Restiamo a disposizione per qualsiasi chiarimento.

Cordiali saluti,
${SENDER}`,
  },

  1: {
    subject:
      '{{#if several}}Sollecito di pagamento: {{invoice_count}} fatture scadute{{else}}Sollecito di pagamento: fattura n. {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Dalle nostre verifiche risulta che le seguenti fatture sono scadute e non ancora saldate:

${OVERDUE_LIST}

Totale da saldare: {{total_due}}{{#if paid_so_far}}, al netto dei {{paid_so_far}} già ricevuti{{/if}}.
{{else}}
Dalle nostre verifiche risulta che la fattura n. {{invoice_number}}, di importo pari a {{amount}} (IVA inclusa) e scaduta in data {{due_date}}, {{#if paid_so_far}}è stata saldata solo in parte: abbiamo ricevuto {{paid_so_far}}, di cui La ringraziamo, e restano da saldare {{total_due}}{{else}}non è ancora stata saldata{{/if}}.
{{/if}}

Potrebbe trattarsi di una semplice dimenticanza: Le saremmo grati se volesse provvedere al pagamento quanto prima. Se ha già effettuato il pagamento, La ringraziamo e La preghiamo di non tenere conto di questo messaggio.

${OTHER_OVERDUE}

${BANK}

Per qualsiasi domanda su {{#if several}}queste fatture{{else}}questa fattura{{/if}} può semplicemente rispondere a questa e-mail.

Cordiali saluti,
${SENDER}`,
  },

  2: {
    subject:
      '{{#if several}}Secondo sollecito: {{invoice_count}} fatture ancora non pagate{{else}}Secondo sollecito: fattura n. {{invoice_number}} ancora non pagata{{/if}}',
    body: `${GREETING}

{{#if several}}
Nonostante il nostro precedente sollecito, le seguenti fatture risultano ancora non pagate:

${OVERDUE_LIST}

Totale da saldare: {{total_due}}{{#if paid_so_far}}, al netto dei {{paid_so_far}} già ricevuti{{/if}}.
{{else}}
Nonostante il nostro precedente sollecito, la fattura n. {{invoice_number}}, di importo pari a {{amount}} (IVA inclusa) e scaduta in data {{due_date}}, risulta ancora non pagata{{#if paid_so_far}}: dedotti i {{paid_so_far}} già ricevuti, restano da saldare {{total_due}}{{/if}}.
{{/if}}

La invitiamo a versare l'importo di {{total_due}} {{#if pay_by}}al più tardi in data {{pay_by}}{{else}}entro sette giorni{{/if}}. Se c'è un motivo che impedisce il pagamento (una contestazione sulla fattura, un documento mancante, un problema di consegna), La preghiamo di comunicarcelo subito, così da poterlo risolvere insieme.

In mancanza di pagamento o di un Suo riscontro entro tale termine, saremo costretti ad avviare le procedure di recupero del credito e ad applicare gli interessi di mora previsti dalla legge.

${OTHER_OVERDUE}

${BANK}

Cordiali saluti,
${SENDER}`,
  },

  3: {
    subject:
      '{{#if several}}Diffida e messa in mora: {{invoice_count}} fatture non pagate{{else}}Diffida e messa in mora: fattura n. {{invoice_number}}{{/if}}',
    body: `{{#if contact_name}}
Alla cortese attenzione di {{contact_name}}

{{/if}}
Spettabile {{customer_name}},

{{#if several}}
nonostante i nostri solleciti, le seguenti fatture risultano tuttora insolute:

${OVERDUE_LIST}

Totale da saldare: {{total_due}}.
{{else}}
nonostante i nostri solleciti, la fattura n. {{invoice_number}}, scaduta in data {{due_date}}, risulta tuttora insoluta per un importo di {{total_due}}.
{{/if}}

Con la presente Vi diffidiamo formalmente a pagare la somma di {{total_due}} {{#if pay_by}}al più tardi in data {{pay_by}}{{else}}entro otto giorni dal ricevimento della presente{{/if}}, valendo la presente quale formale costituzione in mora.

Sulla somma dovuta decorrono gli interessi di mora fino al saldo effettivo{{#if late_interest}}, che alla data odierna ammontano a {{late_interest}}{{/if}}.

{{#if recovery_indemnity}}
È inoltre dovuto, per ciascuna fattura pagata in ritardo, un importo forfettario di {{recovery_indemnity}} a titolo di risarcimento dei costi di recupero (direttiva 2011/7/UE, art. 6{{#if legal_basis}}; {{legal_basis}}{{/if}}).
{{/if}}

Decorso inutilmente tale termine, procederemo senza ulteriore preavviso per vie legali al recupero del credito, con ogni conseguente spesa a Vostro carico.

Qualora abbiate già provveduto al pagamento, Vi preghiamo di non tenere conto della presente e di comunicarci data e riferimento del bonifico.

${BANK}

Distinti saluti,
${SENDER}`,
  },

  promise_broken: {
    subject:
      '{{#if several}}Pagamento annunciato non ricevuto: {{invoice_count}} fatture{{else}}Pagamento annunciato non ricevuto: fattura n. {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if promised_date}}Ci aveva comunicato che il pagamento sarebbe avvenuto al più tardi in data {{promised_date}}{{else}}Ci aveva comunicato che il pagamento sarebbe avvenuto a breve{{/if}} ({{#if several}}fatture n.{{else}}fattura n.{{/if}} {{invoice_number}}). Ad oggi non lo abbiamo ancora ricevuto e restano da saldare {{total_due}}.

Può indicarci, rispondendo a questa e-mail, quando verrà effettuato il pagamento? Se lo ha già disposto negli ultimi giorni, ci invii gli estremi del bonifico così da poterlo abbinare.

${OTHER_OVERDUE}

${BANK}

Cordiali saluti,
${SENDER}`,
  },

  statement: {
    subject: 'Estratto conto in data {{as_of}}: {{customer_name}}',
    body: `${GREETING}

Le inviamo il Suo estratto conto aggiornato in data {{as_of}}, con le fatture ancora aperte nella nostra contabilità:

{{#each invoices}}
- Fattura n. {{number}} (emessa: {{issue_date}}, scadenza: {{due_date}}): {{outstanding}}{{#if overdue}} (scaduta){{/if}}
{{/each}}

Saldo a Suo debito: {{total_due}}.

La preghiamo di verificarlo con la Sua contabilità e di segnalarci eventuali differenze. Su richiesta, Le invieremo volentieri copia di qualsiasi fattura.

${BANK}

Cordiali saluti,
${SENDER}`,
  },
};
