import type { TemplateSet } from '../templates.ts';

const GREETING = '{{#if contact_name}}Dear {{contact_name}},{{else}}Hello,{{/if}}';

const OVERDUE_LIST = `{{#each invoices}}
- Invoice {{number}} of {{issue_date}}, due {{due_date}}: {{outstanding}} outstanding
{{/each}}`;

const OTHER_OVERDUE = `{{#if other_overdue}}
Please note that the following invoices are also past due:

{{#each other_overdue}}
- Invoice {{number}} of {{issue_date}}, due {{due_date}}: {{outstanding}} outstanding
{{/each}}
{{/if}}`;

const BANK = `{{#if bank}}
Our bank details for your transfer:
{{#if bank.name}}
Bank: {{bank.name}}
{{/if}}
IBAN: {{bank.iban}}
{{#if bank.bic}}
BIC: {{bank.bic}}
{{/if}}
{{#if payment_reference}}
Payment reference: {{payment_reference}}
{{/if}}
{{/if}}`;

const SENDER = `{{#if sender_name}}
{{sender_name}}
{{/if}}
{{company_name}}`;

export const en: TemplateSet = {
  courtesy: {
    subject:
      '{{#if several}}{{invoice_count}} invoices falling due soon{{else}}Invoice {{invoice_number}} falls due on {{due_date}}{{/if}}',
    body: `${GREETING}

{{#if several}}
A short note to let you know that the following invoices will soon fall due:

{{#each invoices}}
- Invoice {{number}} of {{issue_date}}: {{outstanding}}, due on {{due_date}}
{{/each}}

Total: {{total_due}}.
{{else}}
A short note to let you know that invoice {{invoice_number}} for {{amount}} (including tax) falls due on {{due_date}}.
{{/if}}

If payment is already scheduled, thank you: there is nothing more to do.

${BANK}

Should you have any question, simply reply to this email.

Kind regards,
${SENDER}`,
  },

  1: {
    subject:
      '{{#if several}}Reminder: {{invoice_count}} invoices awaiting payment{{else}}Reminder: invoice {{invoice_number}} awaiting payment{{/if}}',
    body: `${GREETING}

{{#if several}}
According to our records, the following invoices are past due and we have not yet received payment for them:

${OVERDUE_LIST}

Total outstanding: {{total_due}}{{#if paid_so_far}}, after deducting {{paid_so_far}} already received{{/if}}.
{{else}}
According to our records, invoice {{invoice_number}} for {{amount}} (including tax), due on {{due_date}}, has not been {{#if paid_so_far}}paid in full: we have received {{paid_so_far}}, thank you, and {{total_due}} remains outstanding{{else}}paid yet{{/if}}.
{{/if}}

This may simply be an oversight. We would be grateful if you could arrange payment at your earliest convenience. If you have already paid, thank you, and please disregard this message.

${OTHER_OVERDUE}

${BANK}

If you have any question about {{#if several}}these invoices{{else}}this invoice{{/if}}, simply reply to this email.

Kind regards,
${SENDER}`,
  },

  2: {
    subject:
      '{{#if several}}Second reminder: {{invoice_count}} invoices still unpaid{{else}}Second reminder: invoice {{invoice_number}} still unpaid{{/if}}',
    body: `${GREETING}

{{#if several}}
Despite our previous reminder, the following invoices remain unpaid:

${OVERDUE_LIST}

Total outstanding: {{total_due}}{{#if paid_so_far}}, after deducting {{paid_so_far}} already received{{/if}}.
{{else}}
Despite our previous reminder, invoice {{invoice_number}} for {{amount}} (including tax), due on {{due_date}}, remains unpaid{{#if paid_so_far}}: after the {{paid_so_far}} already received, {{total_due}} is still outstanding{{/if}}.
{{/if}}

We ask you to pay {{total_due}} {{#if pay_by}}by {{pay_by}}{{else}}within seven days{{/if}}. If something is holding up payment, such as a question about the invoice, a missing document or a delivery issue, please reply to this email now so that we can resolve it together.

Without payment or a reply from you by then, we will have to take further recovery steps and claim the late-payment interest provided for by law.

${OTHER_OVERDUE}

${BANK}

Kind regards,
${SENDER}`,
  },

  3: {
    subject:
      '{{#if several}}Formal notice to pay: {{invoice_count}} unpaid invoices{{else}}Formal notice to pay: invoice {{invoice_number}}{{/if}}',
    body: `{{#if contact_name}}
For the attention of {{contact_name}}

{{/if}}
Dear Sir or Madam,

{{#if several}}
Despite our reminders, the following invoices remain unpaid:

${OVERDUE_LIST}

Total outstanding: {{total_due}}.
{{else}}
Despite our reminders, invoice {{invoice_number}}, due on {{due_date}}, remains unpaid; the amount outstanding is {{total_due}}.
{{/if}}

We hereby formally demand payment of {{total_due}} {{#if pay_by}}by {{pay_by}} at the latest{{else}}within eight days of receipt of this notice{{/if}}.

Late-payment interest accrues on this sum until it is paid in full{{#if late_interest}}; to date it amounts to {{late_interest}}{{/if}}.

{{#if recovery_indemnity}}
In addition, a fixed compensation of {{recovery_indemnity}} for recovery costs is due for each invoice paid late (Directive 2011/7/EU, art. 6{{#if legal_basis}}; {{legal_basis}}{{/if}}).
{{/if}}

If payment is not received within this period, we will take legal action to recover the debt without further notice, and the resulting costs will be charged to you.

If you have paid in the meantime, please disregard this notice and send us the date and reference of your payment so that we can update our records.

${BANK}

Yours faithfully,
${SENDER}`,
  },

  promise_broken: {
    subject:
      '{{#if several}}Following up on your payment: {{invoice_count}} invoices{{else}}Following up on your payment: invoice {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if promised_date}}You told us that payment would be made by {{promised_date}}{{else}}You recently told us that payment would be made shortly{{/if}} for {{#if several}}invoices{{else}}invoice{{/if}} {{invoice_number}}. We have not received it so far, and {{total_due}} remains outstanding.

Could you let us know, by replying to this email, when the payment will be made? If it has gone out in the last few days, please send us the transfer details so that we can match it.

${OTHER_OVERDUE}

${BANK}

Kind regards,
${SENDER}`,
  },

  statement: {
    subject: 'Statement of account as of {{as_of}}: {{customer_name}}',
    body: `${GREETING}

Please find below your statement of account as of {{as_of}}, showing the invoices still open in our books:

{{#each invoices}}
- Invoice {{number}} of {{issue_date}}, due {{due_date}}: {{outstanding}}{{#if overdue}} (overdue){{/if}}
{{/each}}

Balance due: {{total_due}}.

Please check it against your own records and let us know of any difference. We will gladly send a copy of any invoice on request.

${BANK}

Kind regards,
${SENDER}`,
  },
};
