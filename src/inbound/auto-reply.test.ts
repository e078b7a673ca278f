import { describe, expect, it } from 'vitest';
import { analyseMessage } from './analyse.ts';
import { detectAutoReply, extractReturnDate } from './auto-reply.ts';

const human = { headers: {}, subject: 'Re: Reminder', text: 'We will pay on Friday.' };

describe('RFC 3834 headers', () => {
  it('takes Auto-Submitted with any value but "no" as automatic', () => {
    expect(detectAutoReply({ ...human, headers: { 'auto-submitted': 'auto-replied' } }).strength).toBe(
      'header',
    );
    expect(detectAutoReply({ ...human, headers: { 'auto-submitted': 'auto-generated' } }).auto).toBe(true);
    expect(detectAutoReply({ ...human, headers: { 'auto-submitted': 'no' } }).auto).toBe(false);
  });

  it('takes X-Autoreply, X-Autorespond and Precedence auto_reply/bulk/junk as automatic', () => {
    expect(detectAutoReply({ ...human, headers: { 'x-autoreply': 'yes' } }).auto).toBe(true);
    expect(detectAutoReply({ ...human, headers: { 'x-autorespond': 'Out of office' } }).auto).toBe(true);
    for (const precedence of ['auto_reply', 'bulk', 'junk']) {
      expect(detectAutoReply({ ...human, headers: { precedence } }).auto).toBe(true);
    }
    expect(detectAutoReply({ ...human, headers: { precedence: 'list' } }).auto).toBe(false);
  });

  it('does not take X-Auto-Response-Suppress as a sign: Outlook sets it on ordinary mail', () => {
    expect(detectAutoReply({ ...human, headers: { 'x-auto-response-suppress': 'All' } }).auto).toBe(false);
  });
});

describe('subjects and wording', () => {
  it.each([
    'Out of Office: Payment reminder',
    'Automatic reply: Invoice',
    'Absence du bureau',
    'Réponse automatique : Relance facture',
    'Abwesenheitsnotiz: Mahnung',
    'Automatische Antwort: Zahlungserinnerung',
    'Fuera de la oficina: Recordatorio',
    'Respuesta automática: Factura vencida',
    'Risposta automatica: Sollecito',
    'Afwezig: Betalingsherinnering',
    'Automatisch antwoord: Aanmaning',
  ])('recognises the subject "%s"', (subject) => {
    expect(detectAutoReply({ headers: {}, subject, text: 'Back soon.' }).strength).toBe('subject');
  });

  it('recognises out-of-office wording in the body, and software phrases as conclusive', () => {
    const text = 'Je suis absente du bureau et serai de retour le 30 novembre.';
    expect(detectAutoReply({ headers: {}, subject: 'Re: Relance', text }).strength).toBe('wording');
    const automatic = 'Ceci est un message automatique, merci de ne pas y répondre.';
    expect(detectAutoReply({ headers: {}, subject: 'Re: Relance', text: automatic }).strength).toBe('body');
  });

  it('keeps a person who was out of the office a person when they answer the reminder', async () => {
    const eml =
      'From: a@b.example\r\nSubject: Re: Reminder\r\nContent-Type: text/plain\r\n\r\nSorry, I was out of the office on holiday. We paid the invoice yesterday.\r\n';
    expect(await analyseMessage(eml, { asOf: '2026-11-18', bounceParser: null })).toMatchObject({
      kind: 'reply',
      intent: 'already_paid',
    });
  });

  it('lets a person who mentions their leave still be a person', async () => {
    const eml =
      'From: a@b.example\r\nSubject: Re: Reminder\r\nContent-Type: text/plain\r\n\r\nSorry, I was on holiday. We will pay the invoice on Friday.\r\n';
    expect(await analyseMessage(eml, { asOf: '2026-11-18', bounceParser: null })).toMatchObject({
      kind: 'reply',
      intent: 'promise_to_pay',
      promisedDate: '2026-11-20',
    });
  });
});

describe('return dates', () => {
  const asOf = '2026-11-18';
  it.each([
    ['je serai de retour le 30 novembre', '2026-11-30'],
    ['I will be back on Monday.', '2026-11-23'],
    ['Ich bin ab dem 2. Dezember wieder im Büro.', '2026-12-02'],
    ['Estaré fuera de la oficina hasta el 3 de diciembre.', '2026-12-03'],
    ['Sono fuori ufficio fino al 5 dicembre.', '2026-12-05'],
    ['Sarò assente fino al 7 gennaio, rientro in ufficio l’8 gennaio.', '2027-01-08'],
    ['I am out of the office until Monday 30 November.', '2026-11-30'],
    ['Je suis absente jusqu’au 30 novembre.', '2026-11-30'],
  ])('reads "%s" as back on %s', (text, date) => {
    expect(extractReturnDate(text, asOf, ['fr', 'en', 'de', 'es', 'it', 'nl'])).toBe(date);
  });

  it.each([
    ['Ik ben afwezig tot en met 4 december.', '2026-12-05'],
    ['Je suis en congés jusqu’au 4 décembre inclus.', '2026-12-05'],
    ['Ich bin bis einschließlich 4. Dezember nicht im Haus.', '2026-12-05'],
    ['Sono fuori ufficio fino al 4 dicembre compreso.', '2026-12-05'],
  ])('reads an absence that includes its last day, "%s", as back the day after', (text, date) => {
    expect(extractReturnDate(text, asOf, ['nl', 'fr', 'de', 'it'])).toBe(date);
  });

  it('gives no return date when none is stated', () => {
    expect(extractReturnDate('I am travelling with limited access to email.', asOf, ['en'])).toBeUndefined();
  });

  it('analyses an out-of-office message as an auto_reply with its return date', async () => {
    const eml = [
      'From: Susan <s@customer.example>',
      'Subject: Automatic reply: Payment reminder',
      'Auto-Submitted: auto-replied',
      'Content-Type: text/plain; charset=utf-8',
      '',
      "Thank you for your message. I'm on annual leave and will be back on 4 January 2027.",
    ].join('\r\n');
    expect(await analyseMessage(eml, { asOf: '2026-12-28', bounceParser: null })).toEqual({
      kind: 'auto_reply',
      language: 'en',
      intent: 'auto_reply',
      confidence: 0.97,
      returnDate: '2027-01-04',
      invoiceNumbers: [],
    });
  });
});
