import type { TemplateSet } from '../templates.ts';

// In German letters the text after the salutation's comma starts in lower case (except "Sie").
const GREETING =
  '{{#if contact_name}}Guten Tag {{contact_name}},{{else}}Sehr geehrte Damen und Herren,{{/if}}';

const OVERDUE_LIST = `{{#each invoices}}
- Rechnung {{number}} vom {{issue_date}}, fällig am {{due_date}}: offen {{outstanding}}
{{/each}}`;

const OTHER_OVERDUE = `{{#if other_overdue}}
Zu Ihrer Information: Auch die folgenden Rechnungen sind bereits fällig:

{{#each other_overdue}}
- Rechnung {{number}} vom {{issue_date}}, fällig am {{due_date}}: offen {{outstanding}}
{{/each}}
{{/if}}`;

const BANK = `{{#if bank}}
Unsere Bankverbindung für Ihre Überweisung:
{{#if bank.name}}
Bank: {{bank.name}}
{{/if}}
IBAN: {{bank.iban}}
{{#if bank.bic}}
BIC: {{bank.bic}}
{{/if}}
{{#if payment_reference}}
Verwendungszweck: {{payment_reference}}
{{/if}}
{{/if}}`;

const SENDER = `{{#if sender_name}}
{{sender_name}}
{{/if}}
{{company_name}}`;

export const de: TemplateSet = {
  courtesy: {
    subject:
      '{{#if several}}Demnächst fällig: {{invoice_count}} Rechnungen{{else}}Rechnung {{invoice_number}} wird am {{due_date}} fällig{{/if}}',
    body: `${GREETING}

{{#if several}}
wir möchten Sie kurz darauf hinweisen, dass die folgenden Rechnungen demnächst fällig werden:

{{#each invoices}}
- Rechnung {{number}} vom {{issue_date}}: {{outstanding}}, fällig am {{due_date}}
{{/each}}

Gesamtbetrag: {{total_due}}.
{{else}}
wir möchten Sie kurz darauf hinweisen, dass die Rechnung {{invoice_number}} über {{amount}} (inkl. USt.) am {{due_date}} fällig wird.
{{/if}}

Falls die Zahlung bereits eingeplant ist, vielen Dank – dann ist nichts weiter zu tun.

${BANK}

Bei Fragen antworten Sie einfach auf diese E-Mail.

Mit freundlichen Grüßen
${SENDER}`,
  },

  1: {
    subject:
      '{{#if several}}Zahlungserinnerung: {{invoice_count}} offene Rechnungen{{else}}Zahlungserinnerung: Rechnung {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if several}}
laut unserer Buchhaltung sind die folgenden Rechnungen fällig, ein Zahlungseingang liegt uns aber noch nicht vor:

${OVERDUE_LIST}

Offener Gesamtbetrag: {{total_due}}{{#if paid_so_far}} (nach Abzug der bereits erhaltenen {{paid_so_far}}){{/if}}.
{{else}}
laut unserer Buchhaltung ist die Rechnung {{invoice_number}} über {{amount}} (inkl. USt.), fällig am {{due_date}}, {{#if paid_so_far}}erst teilweise beglichen: {{paid_so_far}} haben wir dankend erhalten, offen sind noch {{total_due}}{{else}}noch nicht beglichen{{/if}}.
{{/if}}

Vermutlich handelt es sich nur um ein Versehen. Wir bitten Sie, den offenen Betrag in den nächsten Tagen zu überweisen. Sollten Sie die Zahlung bereits veranlasst haben, danken wir Ihnen und bitten Sie, diese Nachricht als gegenstandslos zu betrachten.

${OTHER_OVERDUE}

${BANK}

Bei Fragen zu {{#if several}}diesen Rechnungen{{else}}dieser Rechnung{{/if}} antworten Sie einfach auf diese E-Mail.

Mit freundlichen Grüßen
${SENDER}`,
  },

  2: {
    subject:
      '{{#if several}}Mahnung: {{invoice_count}} Rechnungen weiterhin offen{{else}}Mahnung: Rechnung {{invoice_number}} weiterhin offen{{/if}}',
    body: `${GREETING}

{{#if several}}
trotz unserer Zahlungserinnerung sind die folgenden Rechnungen bis heute nicht bezahlt:

${OVERDUE_LIST}

Offener Gesamtbetrag: {{total_due}}{{#if paid_so_far}} (nach Abzug der bereits erhaltenen {{paid_so_far}}){{/if}}.
{{else}}
trotz unserer Zahlungserinnerung ist die Rechnung {{invoice_number}} über {{amount}} (inkl. USt.), fällig seit dem {{due_date}}, bis heute nicht {{#if paid_so_far}}vollständig bezahlt: nach Eingang von {{paid_so_far}} sind noch {{total_due}} offen{{else}}bezahlt{{/if}}.
{{/if}}

Wir bitten Sie, den Betrag von {{total_due}} {{#if pay_by}}bis spätestens {{pay_by}}{{else}}innerhalb von sieben Tagen{{/if}} zu überweisen. Falls etwas der Zahlung entgegensteht – etwa eine Rückfrage zur Rechnung, ein fehlendes Dokument oder ein Problem mit der Lieferung –, teilen Sie uns dies bitte umgehend mit, damit wir die Angelegenheit gemeinsam klären können.

Sollten wir bis dahin weder eine Zahlung noch eine Nachricht von Ihnen erhalten, sind wir gezwungen, weitere Schritte einzuleiten und die gesetzlichen Verzugszinsen geltend zu machen.

${OTHER_OVERDUE}

${BANK}

Mit freundlichen Grüßen
${SENDER}`,
  },

  3: {
    subject:
      '{{#if several}}Letzte Mahnung: {{invoice_count}} unbezahlte Rechnungen{{else}}Letzte Mahnung: Rechnung {{invoice_number}}{{/if}}',
    body: `{{#if contact_name}}
z. Hd. {{contact_name}}

{{/if}}
Sehr geehrte Damen und Herren,

{{#if several}}
trotz unserer Zahlungserinnerung und Mahnung sind die folgenden Rechnungen weiterhin unbezahlt:

${OVERDUE_LIST}

Offener Gesamtbetrag: {{total_due}}.
{{else}}
trotz unserer Zahlungserinnerung und Mahnung ist die Rechnung {{invoice_number}}, fällig seit dem {{due_date}}, weiterhin unbezahlt; offen sind {{total_due}}.
{{/if}}

Wir fordern Sie hiermit letztmalig auf, den Betrag von {{total_due}} {{#if pay_by}}bis spätestens {{pay_by}}{{else}}innerhalb von acht Tagen nach Erhalt dieses Schreibens{{/if}} zu begleichen.

Auf den offenen Betrag fallen bis zur vollständigen Zahlung Verzugszinsen an{{#if late_interest}}; diese belaufen sich derzeit auf {{late_interest}}{{/if}}.

{{#if recovery_indemnity}}
Zusätzlich schulden Sie für jede verspätet bezahlte Rechnung eine Pauschale von {{recovery_indemnity}} für Beitreibungskosten (Richtlinie 2011/7/EU, Art. 6{{#if legal_basis}}; {{legal_basis}}{{/if}}).
{{/if}}

Geht der Betrag nicht fristgerecht bei uns ein, werden wir ohne weitere Ankündigung gerichtliche Schritte einleiten; die dadurch entstehenden Kosten gehen zu Ihren Lasten.

Falls Sie den Betrag inzwischen überwiesen haben, betrachten Sie dieses Schreiben bitte als gegenstandslos und teilen Sie uns Datum und Referenz der Zahlung mit.

${BANK}

Mit freundlichen Grüßen
${SENDER}`,
  },

  promise_broken: {
    subject:
      '{{#if several}}Ihre angekündigte Zahlung: {{invoice_count}} Rechnungen{{else}}Ihre angekündigte Zahlung: Rechnung {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if promised_date}}Sie hatten uns die Zahlung bis zum {{promised_date}} zugesagt{{else}}Sie hatten uns eine baldige Zahlung zugesagt{{/if}} ({{#if several}}Rechnungen{{else}}Rechnung{{/if}} {{invoice_number}}). Bis heute ist bei uns jedoch kein Zahlungseingang zu verzeichnen; offen sind weiterhin {{total_due}}.

Bitte teilen Sie uns kurz per Antwort auf diese E-Mail mit, wann die Zahlung erfolgt. Falls Sie in den letzten Tagen überwiesen haben, senden Sie uns bitte die Überweisungsdaten, damit wir die Zahlung zuordnen können.

${OTHER_OVERDUE}

${BANK}

Mit freundlichen Grüßen
${SENDER}`,
  },

  statement: {
    subject: 'Offene Posten zum {{as_of}}: {{customer_name}}',
    body: `${GREETING}

nachstehend finden Sie die Aufstellung Ihrer bei uns offenen Posten zum {{as_of}}:

{{#each invoices}}
- Rechnung {{number}} vom {{issue_date}}, fällig am {{due_date}}: {{outstanding}}{{#if overdue}} (überfällig){{/if}}
{{/each}}

Offener Saldo: {{total_due}}.

Bitte gleichen Sie die Aufstellung mit Ihrer Buchhaltung ab und teilen Sie uns eventuelle Abweichungen mit. Kopien einzelner Rechnungen senden wir Ihnen auf Anfrage gern zu.

${BANK}

Mit freundlichen Grüßen
${SENDER}`,
  },
};
