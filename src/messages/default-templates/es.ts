import type { TemplateSet } from '../templates.ts';

// Spanish letters open with a colon after the salutation.
const GREETING = 'Buenos días{{#if contact_name}}, {{contact_name}}{{/if}}:';

const OVERDUE_LIST = `{{#each invoices}}
- Factura {{number}} del {{issue_date}}, vencida el {{due_date}}: pendiente {{outstanding}}
{{/each}}`;

const OTHER_OVERDUE = `{{#if other_overdue}}
Le recordamos que también están vencidas las siguientes facturas:

{{#each other_overdue}}
- Factura {{number}} del {{issue_date}}, vencida el {{due_date}}: pendiente {{outstanding}}
{{/each}}
{{/if}}`;

const BANK = `{{#if bank}}
Nuestros datos bancarios para la transferencia:
{{#if bank.name}}
Banco: {{bank.name}}
{{/if}}
IBAN: {{bank.iban}}
{{#if bank.bic}}
BIC: {{bank.bic}}
{{/if}}
{{#if payment_reference}}
Concepto: {{payment_reference}}
{{/if}}
{{/if}}`;

const SENDER = `{{#if sender_name}}
{{sender_name}}
{{/if}}
{{company_name}}`;

export const es: TemplateSet = {
  courtesy: {
    subject:
      '{{#if several}}Próximo vencimiento de {{invoice_count}} facturas{{else}}La factura {{invoice_number}} vence el {{due_date}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Le escribimos para recordarle que las siguientes facturas vencen próximamente:

{{#each invoices}}
- Factura {{number}} del {{issue_date}}: {{outstanding}}, con vencimiento el {{due_date}}
{{/each}}

Importe total: {{total_due}}.
{{else}}
Le escribimos para recordarle que la factura {{invoice_number}}, por importe de {{amount}} (IVA incluido), vence el {{due_date}}.
{{/if}}

Si ya tiene el pago previsto, muchas gracias: no necesita hacer nada más.

${BANK}

Para cualquier consulta, basta con responder a este correo.

Un cordial saludo,
${SENDER}`,
  },

  1: {
    subject:
      '{{#if several}}Recordatorio de pago: {{invoice_count}} facturas pendientes{{else}}Recordatorio de pago: factura {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if several}}
Según nuestros registros, las siguientes facturas han vencido y aún no hemos recibido su pago:

${OVERDUE_LIST}

Total pendiente: {{total_due}}{{#if paid_so_far}}, una vez descontados los {{paid_so_far}} ya recibidos{{/if}}.
{{else}}
Según nuestros registros, la factura {{invoice_number}}, por importe de {{amount}} (IVA incluido) y vencida el {{due_date}}, {{#if paid_so_far}}solo se ha abonado en parte: hemos recibido {{paid_so_far}}, gracias, y quedan pendientes {{total_due}}{{else}}aún no ha sido abonada{{/if}}.
{{/if}}

Es posible que se trate de un simple olvido. Le agradeceríamos que realizara el pago a la mayor brevedad. Si ya lo ha efectuado, gracias, y no tenga en cuenta este mensaje.

${OTHER_OVERDUE}

${BANK}

Si tiene cualquier duda sobre {{#if several}}estas facturas{{else}}esta factura{{/if}}, basta con responder a este correo.

Un cordial saludo,
${SENDER}`,
  },

  2: {
    subject:
      '{{#if several}}Segundo aviso: {{invoice_count}} facturas siguen pendientes de pago{{else}}Segundo aviso: la factura {{invoice_number}} sigue pendiente de pago{{/if}}',
    body: `${GREETING}

{{#if several}}
A pesar de nuestro recordatorio anterior, las siguientes facturas siguen pendientes de pago:

${OVERDUE_LIST}

Total pendiente: {{total_due}}{{#if paid_so_far}}, una vez descontados los {{paid_so_far}} ya recibidos{{/if}}.
{{else}}
A pesar de nuestro recordatorio anterior, la factura {{invoice_number}}, por importe de {{amount}} (IVA incluido) y vencida el {{due_date}}, sigue pendiente de pago{{#if paid_so_far}}: tras los {{paid_so_far}} ya recibidos, quedan {{total_due}} por abonar{{/if}}.
{{/if}}

Le rogamos que abone la cantidad de {{total_due}} {{#if pay_by}}a más tardar el {{pay_by}}{{else}}en un plazo de siete días{{/if}}. Si hay algún motivo que impida el pago (una duda sobre la factura, un documento que falte, un problema con la entrega), le pedimos que nos lo comunique cuanto antes para que podamos resolverlo juntos.

Si en ese plazo no recibimos el pago ni noticias suyas, nos veremos obligados a iniciar las gestiones de cobro y a reclamar los intereses de demora previstos por la ley.

${OTHER_OVERDUE}

${BANK}

Un cordial saludo,
${SENDER}`,
  },

  3: {
    subject:
      '{{#if several}}Requerimiento formal de pago: {{invoice_count}} facturas impagadas{{else}}Requerimiento formal de pago: factura {{invoice_number}}{{/if}}',
    body: `{{#if contact_name}}
A la atención de {{contact_name}}

{{/if}}
Muy señores nuestros:

{{#if several}}
Pese a nuestros recordatorios, las siguientes facturas siguen impagadas:

${OVERDUE_LIST}

Total pendiente: {{total_due}}.
{{else}}
Pese a nuestros recordatorios, la factura {{invoice_number}}, vencida el {{due_date}}, sigue impagada; el importe pendiente asciende a {{total_due}}.
{{/if}}

Por medio de la presente, les requerimos formalmente el pago de {{total_due}} {{#if pay_by}}a más tardar el {{pay_by}}{{else}}en un plazo de ocho días a partir de la recepción de esta carta{{/if}}.

Esta cantidad devenga intereses de demora hasta su completo pago{{#if late_interest}}, que a fecha de hoy ascienden a {{late_interest}}{{/if}}.

{{#if recovery_indemnity}}
Además, por cada factura pagada con retraso se devenga una indemnización fija de {{recovery_indemnity}} por costes de cobro (Directiva 2011/7/UE, art. 6{{#if legal_basis}}; {{legal_basis}}{{/if}}).
{{/if}}

Transcurrido dicho plazo sin haber recibido el pago, iniciaremos sin más aviso las acciones judiciales oportunas para el cobro de la deuda, cuyos gastos correrán de su cuenta.

Si ya han realizado el pago, les rogamos que no tengan en cuenta esta carta y nos indiquen la fecha y la referencia de la transferencia.

${BANK}

Atentamente,
${SENDER}`,
  },

  promise_broken: {
    subject:
      '{{#if several}}Pago comprometido pendiente: {{invoice_count}} facturas{{else}}Pago comprometido pendiente: factura {{invoice_number}}{{/if}}',
    body: `${GREETING}

{{#if promised_date}}Nos indicó que el pago se realizaría a más tardar el {{promised_date}}{{else}}Nos indicó que el pago se realizaría en breve{{/if}} ({{#if several}}facturas{{else}}factura{{/if}} {{invoice_number}}). A día de hoy no lo hemos recibido y siguen pendientes {{total_due}}.

¿Podría indicarnos, respondiendo a este correo, en qué fecha se efectuará el pago? Si lo ha enviado en los últimos días, envíenos los datos de la transferencia para que podamos identificarlo.

${OTHER_OVERDUE}

${BANK}

Un cordial saludo,
${SENDER}`,
  },

  statement: {
    subject: 'Extracto de cuenta a {{as_of}}: {{customer_name}}',
    body: `${GREETING}

A continuación le enviamos su extracto de cuenta a {{as_of}}, con las facturas que siguen abiertas en nuestra contabilidad:

{{#each invoices}}
- Factura {{number}} del {{issue_date}}, con vencimiento el {{due_date}}: {{outstanding}}{{#if overdue}} (vencida){{/if}}
{{/each}}

Saldo pendiente: {{total_due}}.

Le agradeceríamos que lo cotejara con su contabilidad y nos comunicara cualquier diferencia. Si necesita copia de alguna factura, se la enviaremos con mucho gusto.

${BANK}

Un cordial saludo,
${SENDER}`,
  },
};
