import { describe, expect, it } from 'vitest';
import { analyseMessage } from './analyse.ts';
import { stripQuotes } from './strip-quotes.ts';

const reminder = [
  '> Madame, Monsieur,',
  '> Malgré nos relances, la facture F-2026-0412 de 4 380,00 € reste impayée.',
  '> Le présent courrier vaut mise en demeure de payer sous 8 jours.',
  '> En cas de litige, merci de nous le signaler.',
].join('\n');

describe('quoted history', () => {
  it.each([
    ['On Tue, 17 Nov 2026 at 09:12, Credit Control <ar@supplier.example> wrote:'],
    ['Le mar. 17 nov. 2026 à 09:12, Service Relances <relances@moreau.fr> a écrit :'],
    ['Am 17.11.2026 um 09:12 schrieb Forderungen <f@brandt.de>:'],
    ['El mar, 17 nov 2026 a las 9:12, Cobros <cobros@iberica.es> escribió:'],
    ['Il giorno mar 17 nov 2026 alle ore 09:12 Crediti <crediti@lombarde.it> ha scritto:'],
    ['Op di 17 nov. 2026 om 09:12 schreef Debiteuren <d@vandijk.nl>:'],
  ])('removes the ">" quote under "%s"', (attribution) => {
    const { reply, quoted } = stripQuotes(`Merci, c'est noté.\n\n${attribution}\n${reminder}`);
    expect(reply).toBe("Merci, c'est noté.");
    expect(quoted).toContain('mise en demeure');
  });

  it('recognises an attribution line the mail client wrapped over two lines', () => {
    const text = `Thanks.\n\nOn Tue, 17 Nov 2026 at 09:12, Accounts Receivable <\nar@northwind.example> wrote:\n> Pay now.`;
    expect(stripQuotes(text).reply).toBe('Thanks.');
  });

  it.each([
    ['-----Original Message-----\nFrom: Billing <b@x.example>\nSent: Monday\nSubject: FINAL NOTICE'],
    ['-----Ursprüngliche Nachricht-----\nVon: Inkasso <i@x.de>\nGesendet: Montag'],
    ["-------- Message d'origine --------\nDe : Cabinet <c@x.fr>\nDate : 25/01/2027"],
    [
      '________________________________\nFrom: Credit Control <c@x.example>\nSent: 16 November 2026 08:30\nTo: AP',
    ],
    ['De : Service comptabilité <compta@x.fr>\nEnvoyé : lundi 16 novembre 2026 08:30\nÀ : Fournisseurs'],
    ['Von: Buchhaltung <b@x.de>\nGesendet: Montag, 16. November 2026 08:30\nAn: Kreditoren'],
    ['Da: Amministrazione <a@x.it>\nInviato: lunedì 16 novembre 2026 08:30\nA: Fornitori'],
    ['Van: Administratie <a@x.nl>\nVerzonden: maandag 16 november 2026 08:30\nAan: Crediteuren'],
  ])('cuts an Outlook-style history: %s', (header) => {
    const { reply, quoted } = stripQuotes(
      `We will pay on Friday.\n\n${header}\n\nThis is a formal notice: pay 4,380.00 now.`,
    );
    expect(reply).toBe('We will pay on Friday.');
    expect(quoted).toContain('formal notice');
  });

  it('keeps a reply written below the quote', () => {
    const text = `> Invoice INV-3390 for £860.00 is overdue.\n> Please arrange payment.\n\nWill be paid on Monday.\n\nRob`;
    expect(stripQuotes(text).reply).toBe('Will be paid on Monday.\n\nRob');
  });
});

describe('signatures', () => {
  it('removes the "-- " block, phone footers and disclaimers', () => {
    expect(stripQuotes('Paid yesterday.\n-- \nJohn Smith\nAccounts').reply).toBe('Paid yesterday.');
    expect(stripQuotes('Je paie demain.\n\nEnvoyé de mon iPhone').reply).toBe('Je paie demain.');
    expect(stripQuotes('Ich überweise morgen.\n\nVon meinem iPhone gesendet').reply).toBe(
      'Ich überweise morgen.',
    );
    const disclaimer =
      'Paid.\n\nThis email and any attachments are confidential and intended solely for the addressee. If received in error, delete it.';
    expect(stripQuotes(disclaimer).reply).toBe('Paid.');
  });

  it('removes a closing formula and the name, role and phone lines after it', () => {
    const text =
      'Bonjour,\n\nLe virement part demain.\n\nCordialement,\nSophie Martin\nService comptabilité\nTél : 01 42 68 53 00';
    expect(stripQuotes(text).reply).toBe('Bonjour,\n\nLe virement part demain.');
  });

  it('never empties a reply that is only a thank-you', () => {
    expect(stripQuotes('Merci.').reply).toBe('Merci.');
    expect(stripQuotes('Thanks!').reply).toBe('Thanks!');
  });

  it('does not take a sentence after "Thanks!" for a signature', () => {
    expect(stripQuotes('Hi,\nThanks!\nWe will pay on Friday.').reply).toBe(
      'Hi,\nThanks!\nWe will pay on Friday.',
    );
  });
});

describe('a quoted reminder does not speak for the customer', () => {
  it('keeps a thank-you above a formal notice a thank-you', async () => {
    const eml = [
      'From: Mike <mike@customer.example>',
      'Subject: RE: FORMAL NOTICE - INV-2026-0412',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Thanks for the heads-up. Have a good weekend!',
      '',
      'On Tue, 17 Nov 2026 at 09:12, Accounts Receivable <ar@northwind.example> wrote:',
      '> This letter constitutes a formal notice: unless payment is received within 8 days we will',
      '> refer the matter to our debt recovery agency. If you dispute this invoice, let us know.',
      '> Invoice INV-2026-0412 for GBP 4,380.00 remains unpaid.',
    ].join('\r\n');
    const analysis = await analyseMessage(eml, { asOf: '2026-11-18', bounceParser: null });
    expect(analysis).toMatchObject({ kind: 'reply', intent: 'other', invoiceNumbers: ['INV-2026-0412'] });
  });
});
