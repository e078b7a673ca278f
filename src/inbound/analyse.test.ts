import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseMessage, analyseParsedMessage } from './analyse.ts';
import { INTENTS } from './analysis.ts';
import { parseMessage } from './parse-message.ts';

const asOf = '2026-11-18';
const eml = (body: string, extra = '') =>
  `From: Claire <c@client.example>\r\nTo: relances@ardent.example\r\nSubject: RE: Relance facture F-2026-0412\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

describe('the analysis of CONTRACT.md §3', () => {
  it('reads a reply: language, intent, confidence, promised date and invoice numbers', async () => {
    const analysis = await analyseMessage(eml('Bonjour, le règlement sera effectué vendredi prochain.'), {
      asOf,
      bounceParser: null,
    });
    expect(analysis).toEqual({
      kind: 'reply',
      language: 'fr',
      intent: 'promise_to_pay',
      confidence: analysis.confidence,
      promisedDate: '2026-11-20',
      invoiceNumbers: ['F-2026-0412'],
    });
    expect(analysis.confidence).toBeGreaterThan(0.8);
  });

  it('omits the fields that do not apply instead of setting them to null', async () => {
    const analysis = await analyseMessage(eml('Nous avons payé la semaine dernière.'), {
      asOf,
      bounceParser: null,
    });
    expect(Object.keys(analysis).sort()).toEqual([
      'confidence',
      'intent',
      'invoiceNumbers',
      'kind',
      'language',
    ]);
  });

  it('prefers the invoice numbers the customer wrote to those of the quoted reminder', async () => {
    const body =
      'La facture F-2026-0398 est réglée.\n\nLe 17 nov. 2026, Relances <r@x.fr> a écrit :\n> Facture F-2026-0412 impayée.';
    const analysis = await analyseMessage(eml(body), { asOf, bounceParser: null });
    expect(analysis.invoiceNumbers).toEqual(['F-2026-0398']);
  });

  it('restricts invoice numbers to the organisation’s own when they are given', async () => {
    const analysis = await analyseMessage(eml('Payé : INV-9 et 2026/0118.'), {
      asOf,
      bounceParser: null,
      knownInvoiceNumbers: ['F-2026-0412', '2026/0118'],
    });
    expect(analysis.invoiceNumbers).toEqual(['2026/0118']);
  });

  it('is kind "unknown" when there is no text to read', async () => {
    expect(await analyseMessage(eml(''), { asOf, bounceParser: null })).toEqual({
      kind: 'unknown',
      invoiceNumbers: ['F-2026-0412'],
    });
    expect(
      await analyseMessage(eml('> only the quote\n> came back'), { asOf, bounceParser: null }),
    ).toMatchObject({ kind: 'unknown' });
  });

  it('is kind "bounce" with the injected reader’s recipients, reduced to the contract’s fields', async () => {
    const bounceParser = () => ({
      recipients: [
        {
          address: 'a@b.fr',
          status: '5.1.1',
          hard: true,
          reason: 'userunknown',
          diagnostic: '550 no such user',
        },
      ],
    });
    expect(await analyseMessage(eml('Delivery failed.'), { asOf, bounceParser })).toEqual({
      kind: 'bounce',
      invoiceNumbers: ['F-2026-0412'],
      bounce: { recipients: [{ address: 'a@b.fr', status: '5.1.1', hard: true, reason: 'userunknown' }] },
    });
  });

  it('reads a real delivery-status notification with the mail/bounce reader by default', async () => {
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.client.example>',
      'To: relances@ardent.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'I could not deliver your message to <gone@client.example>.',
      '--r',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.client.example',
      '',
      'Final-Recipient: rfc822; gone@client.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <gone@client.example>: Recipient address rejected: User unknown',
      '--r--',
      '',
    ].join('\r\n');
    const analysis = await analyseMessage(dsn, { asOf });
    expect(analysis.kind).toBe('bounce');
    expect(analysis.bounce?.recipients[0]).toEqual({
      address: 'gone@client.example',
      status: '5.1.1',
      hard: true,
      reason: 'userunknown',
    });
    expect(analysis.intent).toBeUndefined();
  });

  it('gives the same answer from parsed fields without mailparser in the loop', async () => {
    const raw = eml('We will pay within 10 days.');
    const message = await parseMessage(raw);
    expect(analyseParsedMessage(message, { asOf, bounceParser: null })).toEqual(
      await analyseMessage(raw, { asOf, bounceParser: null }),
    );
  });
});

// Replies written for this test, as customers send them: greetings, explanations, signatures.
const REALISTIC: [
  string,
  string,
  Partial<Record<'intent' | 'promisedDate' | 'returnDate' | 'kind', string>>,
][] = [
  [
    'RE: Relance',
    'Bonjour,\nJe suis actuellement en congés. Pour toute demande urgente concernant la comptabilité, merci de contacter Julie au 01 23 45 67 89.\nJe serai de retour le lundi 30 novembre.\nCordialement',
    { kind: 'auto_reply', returnDate: '2026-11-30' },
  ],
  [
    'Re: Reminder',
    "Hello, thank you for your email. I'm out of the office on a business trip from 16 to 27 November with no access to email.",
    { kind: 'auto_reply', returnDate: '2026-11-27' },
  ],
  [
    'RE: Relance facture F-2026-0412',
    "Bonjour Madame Moreau,\n\nNotre comptable était absente ces deux dernières semaines, d'où ce retard.\nLa facture F-2026-0412 a été validée ce matin par la direction et le virement sera émis le 25 novembre.\n\nBien cordialement,\nPaul Girard\nDirecteur administratif",
    { intent: 'promise_to_pay', promisedDate: '2026-11-25' },
  ],
  [
    'RE: Relance facture F-2026-0412',
    "Bonjour,\n\nComme je l'ai indiqué à votre commercial le 12 octobre, deux des six fauteuils livrés présentaient des défauts (tissu déchiré). Il devait passer les récupérer et nous établir un avoir, ce qui n'a toujours pas été fait.\n\nCordialement",
    { intent: 'dispute' },
  ],
  [
    'RE: Relance',
    'Bonjour,\nVous avez dû recevoir notre règlement entre-temps : le virement de 1 250 € est parti le 13 novembre.\nBonne journée',
    { intent: 'already_paid' },
  ],
  [
    'RE: Relance',
    'Bonjour,\nSuite à la perte d’un gros client, notre situation est compliquée. Je vous propose de vous régler 300 € le 5 de chaque mois à partir de décembre.\nCordialement',
    { intent: 'payment_plan_request' },
  ],
  [
    'Re: Overdue invoice',
    "Hi, we don't seem to have this invoice on our system. Could you send it over along with the purchase order it relates to? Thanks, Raj",
    { intent: 'document_request' },
  ],
  [
    'Re: Overdue invoice',
    "This is the fourth email this week. I've told your colleague we will not be paying and I'd appreciate it if you stopped contacting us.",
    { intent: 'refusal' },
  ],
  [
    'AW: Zahlungserinnerung',
    'Sehr geehrte Frau Brandt,\n\nwir haben die Rechnung heute zur Zahlung freigegeben; der Betrag wird mit unserem nächsten Zahlungslauf am 24.11. überwiesen.\n\nMit freundlichen Grüßen\nThomas Krause',
    { intent: 'promise_to_pay', promisedDate: '2026-11-24' },
  ],
  [
    'AW: Mahnung',
    'Guten Tag,\nwir haben die Rechnung bereits Ende Oktober reklamiert, da die Hälfte der gelieferten Fliesen gebrochen war. Bis zur Klärung werden wir nicht zahlen.\nGruß',
    { intent: 'dispute' },
  ],
  [
    'R: Sollecito',
    'Buongiorno, il bonifico è stato disposto il 9 novembre. Vi allego la contabile. Cordiali saluti',
    { intent: 'already_paid' },
  ],
  [
    'RE: Recordatorio',
    'Hola Marta, disculpa el retraso. La factura ya está aprobada y entra en la remesa de pagos del día 25. Un saludo.',
    { intent: 'promise_to_pay', promisedDate: '2026-11-25' },
  ],
  [
    'RE: Betalingsherinnering',
    'Goedemiddag, wij hebben deze factuur al eerder betwist: de monteur heeft de installatie niet afgemaakt. Wij betalen pas als het werk klaar is.',
    { intent: 'dispute' },
  ],
  ['Payment sent for F-2026-0412', '', { intent: 'already_paid' }],
];

describe('realistic replies, end to end', () => {
  it.each(REALISTIC)('%s: %s', async (subject, body, expected) => {
    const raw = `From: x@client.example\r\nSubject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;
    const analysis = await analyseMessage(Buffer.from(raw, 'utf8'), { asOf, bounceParser: null });
    expect(analysis).toMatchObject({ kind: 'reply', ...expected });
  });
});

describe('robustness', () => {
  it('never throws, and always answers in the contract’s shape, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
          fc.string({ maxLength: 300 }).map((body) => eml(body)),
          fc
            .array(
              fc.constantFrom(
                '>',
                'On',
                'wrote:',
                '\n',
                '-- ',
                'Le 12/11',
                'payé',
                'not',
                '15.12.',
                'fin du mois',
                ' ',
              ),
              {
                maxLength: 60,
              },
            )
            .map((parts) => eml(parts.join(' '))),
        ),
        async (raw) => {
          const analysis = await analyseMessage(raw, { asOf, bounceParser: null });
          expect(['reply', 'auto_reply', 'bounce', 'unknown']).toContain(analysis.kind);
          expect(Array.isArray(analysis.invoiceNumbers)).toBe(true);
          if (analysis.intent !== undefined) expect(INTENTS).toContain(analysis.intent);
          if (analysis.confidence !== undefined) {
            expect(analysis.confidence).toBeGreaterThanOrEqual(0);
            expect(analysis.confidence).toBeLessThanOrEqual(1);
          }
          if (analysis.promisedDate !== undefined) expect(analysis.promisedDate >= asOf).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
