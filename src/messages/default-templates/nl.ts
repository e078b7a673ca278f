import type { TemplateSet } from '../templates.ts';

const GREETING = '{{#if contact_name}}Beste {{contact_name}},{{else}}Geachte heer, mevrouw,{{/if}}';

const OVERDUE_LIST = `{{#each invoices}}
- Factuur {{number}} van {{issue_date}}, vervallen op {{due_date}}: {{outstanding}} openstaand
{{/each}}`;

const OTHER_OVERDUE = `{{#if other_overdue}}
Daarnaast zijn ook de volgende facturen al vervallen:

{{#each other_overdue}}
- Factuur {{number}} van {{issue_date}}, vervallen op {{due_date}}: {{outstanding}} openstaand
{{/each}}
{{/if}}`;

const BANK = `{{#if bank}}
Onze bankgegevens voor uw overschrijving:
{{#if bank.name}}
Bank: {{bank.name}}
{{/if}}
IBAN: {{bank.iban}}
{{#if bank.bic}}
BIC: {{bank.bic}}
{{/if}}
{{#if payment_reference}}
Kenmerk: {{payment_reference}}
{{/if}}
{{/if}}`;

const SENDER = `{{#if sender_name}}
{{sender_name}}
{{/if}}
{{company_name}}`;

export const nl: TemplateSet = {
  courtesy: {
    subject:
      '{{#if several}}{{invoice_count}} facturen vervallen binnenkort{{else}}Factuur {{invoice_number}} vervalt op {{due_date}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Graag herinneren wij u eraan dat de volgende facturen binnenkort vervallen:

{{#each invoices}}
- Factuur {{number}} van {{issue_date}}: {{outstanding}}, vervaldatum {{due_date}}
{{/each}}

Totaalbedrag: {{total_due}}.
{{else}}
Graag herinneren wij u eraan dat factuur {{invoice_number}} van {{amount}} (incl. btw) op {{due_date}} vervalt.
{{/if}}

Staat de betaling al ingepland, dan danken wij u hartelijk: u hoeft verder niets te doen.

${BANK}

Hebt u vragen, dan kunt u gewoon op deze e-mail antwoorden.

Met vriendelijke groet,
${SENDER}`,
  },

  1: {
    subject:
      '{{#if several}}Betalingsherinnering: {{invoice_count}} openstaande facturen{{else}}Betalingsherinnering: factuur {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Volgens onze administratie zijn de volgende facturen vervallen en hebben wij de betaling nog niet ontvangen:

${OVERDUE_LIST}

Totaal openstaand: {{total_due}}{{#if paid_so_far}}, na aftrek van de al ontvangen {{paid_so_far}}{{/if}}.
{{else}}
Volgens onze administratie is factuur {{invoice_number}} van {{amount}} (incl. btw), vervallen op {{due_date}}, {{#if paid_so_far}}nog maar gedeeltelijk betaald: wij ontvingen {{paid_so_far}}, waarvoor dank, en er staat nog {{total_due}} open{{else}}nog niet betaald{{/if}}.
{{/if}}

Wellicht is de betaling aan uw aandacht ontsnapt. Wij verzoeken u vriendelijk het bedrag zo spoedig mogelijk over te maken. Hebt u inmiddels betaald, dan danken wij u en kunt u deze herinnering als niet verzonden beschouwen.

${OTHER_OVERDUE}

${BANK}

Hebt u vragen over {{#if several}}deze facturen{{else}}deze factuur{{/if}}, antwoord dan gewoon op deze e-mail.

Met vriendelijke groet,
${SENDER}`,
  },

  2: {
    subject:
      '{{#if several}}Tweede herinnering: {{invoice_count}} facturen nog steeds onbetaald{{else}}Tweede herinnering: factuur {{invoice_number}} nog steeds onbetaald{{/if}}',
    body: `${GREETING}

{{#if several}}
Ondanks onze eerdere herinnering zijn de volgende facturen nog altijd niet betaald:

${OVERDUE_LIST}

Totaal openstaand: {{total_due}}{{#if paid_so_far}}, na aftrek van de al ontvangen {{paid_so_far}}{{/if}}.
{{else}}
Ondanks onze eerdere herinnering is factuur {{invoice_number}} van {{amount}} (incl. btw), vervallen op {{due_date}}, nog altijd niet {{#if paid_so_far}}volledig betaald: na de al ontvangen {{paid_so_far}} staat er nog {{total_due}} open{{else}}betaald{{/if}}.
{{/if}}

Wij verzoeken u het bedrag van {{total_due}} {{#if pay_by}}uiterlijk op {{pay_by}}{{else}}binnen zeven dagen{{/if}} te betalen. Is er een reden waarom de betaling uitblijft, zoals een vraag over de factuur, een ontbrekend document of een probleem met de levering? Laat het ons dan nu weten, zodat wij het samen kunnen oplossen.

Ontvangen wij binnen deze termijn geen betaling of reactie, dan zijn wij genoodzaakt verdere incassostappen te nemen en de wettelijke handelsrente in rekening te brengen.

${OTHER_OVERDUE}

${BANK}

Met vriendelijke groet,
${SENDER}`,
  },

  3: {
    subject:
      '{{#if several}}Ingebrekestelling: {{invoice_count}} onbetaalde facturen{{else}}Ingebrekestelling: factuur {{invoice_number}}{{/if}}',
    body: `{{#if contact_name}}
T.a.v. {{contact_name}}

{{/if}}
Geachte heer, mevrouw,

{{#if several}}
Ondanks onze herinneringen zijn de volgende facturen nog altijd onbetaald:

${OVERDUE_LIST}

Totaal openstaand: {{total_due}}.
{{else}}
Ondanks onze herinneringen is factuur {{invoice_number}}, vervallen op {{due_date}}, nog altijd onbetaald; er staat {{total_due}} open.
{{/if}}

Hierbij stellen wij u formeel in gebreke en sommeren wij u het bedrag van {{total_due}} {{#if pay_by}}uiterlijk op {{pay_by}}{{else}}binnen acht dagen na ontvangst van deze brief{{/if}} te voldoen.

Over dit bedrag bent u tot de dag van volledige betaling vertragingsrente verschuldigd{{#if late_interest}}; tot op heden bedraagt deze {{late_interest}}{{/if}}.

{{#if recovery_indemnity}}
Daarnaast bent u per te laat betaalde factuur een vaste vergoeding van {{recovery_indemnity}} voor invorderingskosten verschuldigd (Richtlijn 2011/7/EU, art. 6{{#if legal_basis}}; {{legal_basis}}{{/if}}).
{{/if}}

Blijft betaling binnen deze termijn uit, dan zullen wij zonder verdere aankondiging gerechtelijke stappen ondernemen; de kosten daarvan komen voor uw rekening.

Hebt u het bedrag inmiddels voldaan, dan kunt u deze brief als niet verzonden beschouwen. Wilt u ons in dat geval de datum en het kenmerk van uw betaling laten weten?

${BANK}

Hoogachtend,
${SENDER}`,
  },

  promise_broken: {
    subject:
      '{{#if several}}Toegezegde betaling niet ontvangen: {{invoice_count}} facturen{{else}}Toegezegde betaling niet ontvangen: factuur {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if promised_date}}U liet ons weten dat de betaling uiterlijk op {{promised_date}} zou plaatsvinden{{else}}U liet ons weten dat de betaling binnenkort zou plaatsvinden{{/if}} ({{#if several}}facturen{{else}}factuur{{/if}} {{invoice_number}}). Tot op heden hebben wij deze niet ontvangen; er staat nog {{total_due}} open.

Kunt u ons per kerende e-mail laten weten wanneer de betaling wordt gedaan? Hebt u de afgelopen dagen betaald, stuur ons dan de gegevens van de overschrijving, zodat wij de betaling kunnen koppelen.

${OTHER_OVERDUE}

${BANK}

Met vriendelijke groet,
${SENDER}`,
  },

  statement: {
    subject: 'Rekeningoverzicht per {{as_of}}: {{customer_name}}',
    body: `${GREETING}

Hieronder vindt u uw rekeningoverzicht per {{as_of}}, met de facturen die in onze administratie nog openstaan:

{{#each invoices}}
- Factuur {{number}} van {{issue_date}}, vervaldatum {{due_date}}: {{outstanding}}{{#if overdue}} (vervallen){{/if}}
{{/each}}

Openstaand saldo: {{total_due}}.

Wilt u dit overzicht vergelijken met uw eigen administratie en eventuele verschillen aan ons doorgeven? Een kopie van een factuur sturen wij u graag toe.

${BANK}

Met vriendelijke groet,
${SENDER}`,
  },
};
