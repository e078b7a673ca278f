import type { TemplateSet } from '../templates.ts';

const GREETING = '{{#if contact_name}}Bonjour {{contact_name}},{{else}}Bonjour,{{/if}}';

const OVERDUE_LIST = `{{#each invoices}}
- Facture {{number}} du {{issue_date}}, échue le {{due_date}} : reste dû {{outstanding}}
{{/each}}`;

const OTHER_OVERDUE = `{{#if other_overdue}}
Pour information, les factures suivantes sont également échues :

{{#each other_overdue}}
- Facture {{number}} du {{issue_date}}, échue le {{due_date}} : reste dû {{outstanding}}
{{/each}}
{{/if}}`;

const BANK = `{{#if bank}}
Nos coordonnées bancaires pour votre virement :
{{#if bank.name}}
Banque : {{bank.name}}
{{/if}}
IBAN : {{bank.iban}}
{{#if bank.bic}}
BIC : {{bank.bic}}
{{/if}}
{{#if payment_reference}}
Référence à rappeler : {{payment_reference}}
{{/if}}
{{/if}}`;

const SENDER = `{{#if sender_name}}
{{sender_name}}
{{/if}}
{{company_name}}`;

export const fr: TemplateSet = {
  courtesy: {
    subject:
      '{{#if several}}{{invoice_count}} factures arrivent à échéance{{else}}Facture {{invoice_number}} : échéance le {{due_date}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Nous nous permettons de vous rappeler que les factures suivantes arrivent prochainement à échéance :

{{#each invoices}}
- Facture {{number}} du {{issue_date}} : {{outstanding}}, échéance le {{due_date}}
{{/each}}

Montant total : {{total_due}}.
{{else}}
Nous nous permettons de vous rappeler que la facture {{invoice_number}} ({{amount}} TTC) arrive à échéance le {{due_date}}.
{{/if}}

Si le paiement est déjà programmé, merci beaucoup : ce message ne demande aucune action de votre part.

${BANK}

Nous restons à votre disposition pour toute question.

Bien cordialement,
${SENDER}`,
  },

  1: {
    subject:
      '{{#if several}}Relance amicale : {{invoice_count}} factures échues{{else}}Relance amicale : facture {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if several}}
D'après notre suivi, les factures suivantes sont échues et leur règlement ne nous est pas encore parvenu :

${OVERDUE_LIST}

Total restant dû : {{total_due}}{{#if paid_so_far}}, déduction faite des {{paid_so_far}} déjà reçus{{/if}}.
{{else}}
D'après notre suivi, la facture {{invoice_number}} ({{amount}} TTC), échue le {{due_date}}, {{#if paid_so_far}}n'a été réglée qu'en partie : nous avons bien reçu {{paid_so_far}}, merci, et il reste {{total_due}} à régler{{else}}n'a pas encore été réglée{{/if}}.
{{/if}}

Il s'agit peut-être d'un simple oubli : pourriez-vous faire le nécessaire pour que le paiement intervienne rapidement ? Si vous l'avez déjà effectué, merci, et ne tenez pas compte de ce message.

${OTHER_OVERDUE}

${BANK}

Pour toute question sur {{#if several}}ces factures{{else}}cette facture{{/if}}, il vous suffit de répondre à cet e-mail.

Bien cordialement,
${SENDER}`,
  },

  2: {
    subject:
      '{{#if several}}Deuxième relance : {{invoice_count}} factures toujours impayées{{else}}Deuxième relance : facture {{invoice_number}} toujours impayée{{/if}}',
    body: `${GREETING}

{{#if several}}
Nous revenons vers vous au sujet des factures suivantes, qui restent impayées malgré notre premier rappel :

${OVERDUE_LIST}

Total restant dû : {{total_due}}{{#if paid_so_far}}, déduction faite des {{paid_so_far}} déjà reçus{{/if}}.
{{else}}
Nous revenons vers vous au sujet de la facture {{invoice_number}} ({{amount}} TTC), échue le {{due_date}}, qui reste impayée malgré notre premier rappel{{#if paid_so_far}} : après les {{paid_so_far}} déjà reçus, il reste {{total_due}} à régler{{/if}}.
{{/if}}

Nous vous demandons de régler la somme de {{total_due}} {{#if pay_by}}au plus tard le {{pay_by}}{{else}}sous sept jours{{/if}}. Si un point bloque le paiement (question sur la facture, document manquant, souci de livraison), merci de nous répondre dès maintenant : nous chercherons une solution avec vous.

Faute de règlement ou de réponse dans ce délai, nous poursuivrons le recouvrement et réclamerons les pénalités de retard dues en application de la loi.

${OTHER_OVERDUE}

${BANK}

Bien cordialement,
${SENDER}`,
  },

  3: {
    subject:
      '{{#if several}}Mise en demeure de payer : {{invoice_count}} factures impayées{{else}}Mise en demeure de payer : facture {{invoice_number}}{{/if}}',
    body: `{{#if contact_name}}
À l'attention de {{contact_name}}

{{/if}}
Madame, Monsieur,

{{#if several}}
Malgré nos relances, les factures suivantes demeurent impayées :

${OVERDUE_LIST}

Total restant dû : {{total_due}}.
{{else}}
Malgré nos relances, la facture {{invoice_number}}, échue le {{due_date}}, demeure impayée ; il reste dû {{total_due}}.
{{/if}}

Par la présente, nous vous mettons en demeure de nous payer la somme de {{total_due}} {{#if pay_by}}au plus tard le {{pay_by}}{{else}}dans les huit jours suivant la réception de ce courrier{{/if}}.

Cette somme est majorée de pénalités de retard jusqu'à complet paiement{{#if late_interest}} ; elles s'élèvent à ce jour à {{late_interest}}{{/if}}.

{{#if recovery_indemnity}}
S'y ajoute, pour chaque facture payée en retard, une indemnité forfaitaire pour frais de recouvrement de {{recovery_indemnity}} (directive 2011/7/UE, art. 6{{#if legal_basis}} ; {{legal_basis}}{{/if}}).
{{/if}}

À défaut de paiement dans ce délai, nous engagerons sans autre avis une procédure judiciaire de recouvrement, dont les frais pourront être mis à votre charge.

Si vous avez réglé cette somme entre-temps, merci de ne pas tenir compte de ce courrier et de nous communiquer la date et la référence de votre paiement.

${BANK}

Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.

${SENDER}`,
  },

  promise_broken: {
    subject:
      '{{#if several}}Votre règlement annoncé : {{invoice_count}} factures{{else}}Votre règlement annoncé : facture {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if promised_date}}Vous nous aviez annoncé un règlement au plus tard le {{promised_date}}{{else}}Vous nous aviez annoncé un règlement prochain{{/if}} pour {{#if several}}les factures{{else}}la facture{{/if}} {{invoice_number}}. À ce jour, nous ne l'avons pas reçu et il reste {{total_due}} à régler.

Pourriez-vous nous indiquer, en réponse à cet e-mail, la date à laquelle le paiement sera effectué ? S'il est parti ces derniers jours, transmettez-nous simplement la référence du virement afin que nous puissions le rapprocher.

${OTHER_OVERDUE}

${BANK}

Bien cordialement,
${SENDER}`,
  },

  statement: {
    subject: 'Relevé de compte au {{as_of}} : {{customer_name}}',
    body: `${GREETING}

Veuillez trouver ci-dessous votre relevé de compte au {{as_of}}, qui reprend les factures encore ouvertes dans nos livres :

{{#each invoices}}
- Facture {{number}} du {{issue_date}}, échéance le {{due_date}} : {{outstanding}}{{#if overdue}} (échue){{/if}}
{{/each}}

Solde dû : {{total_due}}.

Nous vous remercions de le rapprocher de votre comptabilité et de nous signaler tout écart éventuel. Nous vous adresserons volontiers la copie de n'importe quelle facture sur simple demande.

${BANK}

Bien cordialement,
${SENDER}`,
  },
};
