import { describe, expect, it } from 'vitest';
import type { Intent, Language } from './analysis.ts';
import { classifyWithRules } from './classifier.ts';
import { classifyIntent } from './intent.ts';
import { detectLanguage } from './language.ts';

const asOf = '2026-11-18';
const intentOf = (text: string, language: Language = detectLanguage(text).language) =>
  classifyIntent({ text, language, asOf }).intent;

describe('negation', () => {
  it('reads "we have NOT received the goods" as a dispute', () => {
    expect(intentOf('We have not received the goods yet.', 'en')).toBe('dispute');
    expect(intentOf("Nous n'avons pas reçu la marchandise.", 'fr')).toBe('dispute');
    expect(intentOf('Wir haben die Ware nicht erhalten.', 'de')).toBe('dispute');
  });

  it('reads "nous n’avons pas reçu la facture" as a document request', () => {
    expect(intentOf("Nous n'avons pas reçu la facture.", 'fr')).toBe('document_request');
    expect(intentOf("We haven't received the invoice.", 'en')).toBe('document_request');
    expect(intentOf('No hemos recibido la factura.', 'es')).toBe('document_request');
  });

  it('keeps "I have not paid yet but I will pay on Friday" a promise, with its date', () => {
    const result = classifyWithRules({
      text: 'I have not paid yet but I will pay on Friday.',
      language: 'en',
      asOf,
    });
    expect(result).toMatchObject({ intent: 'promise_to_pay', promisedDate: '2026-11-20' });
  });

  it('does not read "ce n’est pas un litige" as a dispute', () => {
    expect(intentOf("Ce n'est pas un litige, je voulais juste connaître le taux de TVA.", 'fr')).toBe(
      'other',
    );
    expect(intentOf('This is not a complaint, our address has changed.', 'en')).toBe('other');
  });

  it('reads a negated promise as a refusal', () => {
    expect(intentOf('We will not pay this invoice.', 'en')).toBe('refusal');
    expect(intentOf('Wir zahlen diese Rechnung nicht.', 'de')).toBe('refusal');
    expect(intentOf('Non pagheremo.', 'it')).toBe('refusal');
  });
});

describe('conditions', () => {
  it('reads "once we get the credit note we will pay" as a dispute', () => {
    expect(intentOf('Once we get the credit note we will pay the rest.', 'en')).toBe('dispute');
    expect(intentOf("Dès réception de l'avoir, nous réglerons le solde.", 'fr')).toBe('dispute');
    expect(intentOf('Sobald wir die Gutschrift erhalten haben, begleichen wir den Rest.', 'de')).toBe(
      'dispute',
    );
  });

  it('reads "we will pay as soon as our client pays us" as a request for time, not a promise', () => {
    expect(intentOf('We will pay as soon as our client pays us.', 'en')).toBe('payment_plan_request');
    expect(intentOf('Nous paierons dès que notre client nous aura réglé.', 'fr')).toBe(
      'payment_plan_request',
    );
    expect(intentOf('We betalen zodra onze klant ons heeft betaald.', 'nl')).toBe('payment_plan_request');
  });

  it('reads "we will pay when we receive the invoice" as a document request', () => {
    expect(intentOf('We will pay when we receive the invoice.', 'en')).toBe('document_request');
  });

  it('turns a request for time with a firm date for the whole amount into a dated promise', () => {
    const result = classifyWithRules({ text: 'Could you give us until 15 December?', language: 'en', asOf });
    expect(result).toMatchObject({ intent: 'promise_to_pay', promisedDate: '2026-12-15' });
  });
});

describe('priority between intents', () => {
  it('puts insolvency above everything, even a promise', () => {
    expect(
      intentOf('We are in administration; the administrators will pay creditors in due course.', 'en'),
    ).toBe('insolvency');
  });

  it('puts a dispute above a payment already made', () => {
    expect(intentOf('Cette facture fait doublon avec la F-2026-0398 que nous avons déjà réglée.', 'fr')).toBe(
      'dispute',
    );
  });

  it('puts a promise above a request for documents', () => {
    expect(intentOf('Send me your bank details and I will pay tomorrow.', 'en')).toBe('promise_to_pay');
  });

  it('puts a pointer to someone else above a wish not to be written to', () => {
    expect(intentOf('Please take me off this thread, Jane handles supplier payments now.', 'en')).toBe(
      'wrong_contact',
    );
  });
});

describe('typos and accents', () => {
  it.each([
    ['je vais régler la facure au plus vite', 'fr', 'promise_to_pay'],
    ['le paiment a été fait le 10/11 par virment', 'fr', 'already_paid'],
    ['Betrag wird am Montag überwisen.', 'de', 'promise_to_pay'],
    ['Habe das Geld bereits am Montag überwiesn.', 'de', 'already_paid'],
    ['we never recieved the invoce, can you email it again', 'en', 'document_request'],
    ['nous n avons pas recu la facture', 'fr', 'document_request'],
    ['Is al betaalt hoor.', 'nl', 'already_paid'],
  ] as const)('%s', (text, language, intent) => {
    expect(intentOf(text, language)).toBe(intent);
  });
});

// Replies written for these tests, one or more per intent and language, none of them in the corpus.
const FIXTURES: [Intent, string][] = [
  ['promise_to_pay', "Apologies for the delay, our accounts team will process this in Thursday's run."],
  ['promise_to_pay', 'The payment has been authorised and will be released on 25 November.'],
  ['already_paid', 'Hi, this invoice was paid on the 14th via bank transfer. Please check again.'],
  ['already_paid', 'We sent the money over last Tuesday, it should have cleared by now.'],
  ['dispute', 'The invoice includes 12 hours of labour but your technician was only here for 4 hours.'],
  [
    'dispute',
    'We are not happy with the quality of the work and will not be paying until someone fixes the leak.',
  ],
  ['dispute', 'Why are we being charged for delivery? It was supposed to be free.'],
  ['payment_plan_request', 'Business is slow at the moment. Could we spread the payments over three months?'],
  ['document_request', 'Before we can pay we need a W-9 and your bank details on company letterhead.'],
  ['callback_request', 'Could someone from your team ring me this afternoon to discuss?'],
  ['refusal', 'I am not going to pay this, end of discussion.'],
  [
    'insolvency',
    'The company was placed into liquidation last week; KPMG have been appointed as liquidators.',
  ],
  [
    'wrong_contact',
    'Please note I am no longer the contact for Brightline, please use billing@brightline.example.',
  ],
  ['other', 'Hello, can you confirm your new address for deliveries?'],
  ['promise_to_pay', "Je m'en occupe dès mon retour lundi, vous aurez le virement dans la foulée."],
  ['already_paid', 'Je vous ai réglé par virement le 2 novembre, merci de vérifier.'],
  ['dispute', "Le tarif appliqué n'est pas celui convenu lors de la signature du contrat."],
  [
    'dispute',
    'Nous ne réglerons pas cette facture : la machine livrée ne correspond pas au modèle commandé.',
  ],
  ['payment_plan_request', 'Est-il possible de payer en plusieurs mensualités ?'],
  ['document_request', 'Il manque le numéro de bon de commande sur votre facture, merci de la modifier.'],
  ['wrong_contact', 'Je ne suis plus en charge de ce dossier, merci de vous adresser à M. Roche.'],
  ['insolvency', "Notre société fait l'objet d'une procédure de redressement judiciaire."],
  ['refusal', 'Je ne paierai rien du tout.'],
  ['promise_to_pay', 'Hallo Herr Meier, die Zahlung wird morgen veranlasst.'],
  [
    'dispute',
    'Die Montage wurde nicht fachgerecht ausgeführt, wir behalten den Betrag bis zur Nachbesserung ein.',
  ],
  ['document_request', 'Auf der Rechnung fehlt unsere Bestellnummer. Bitte neu ausstellen.'],
  ['wrong_contact', 'Für Rechnungen ist unsere Zentrale zuständig.'],
  ['callback_request', 'Bitte um Rückruf.'],
  ['already_paid', 'Buenas, el pago ya se realizó el viernes pasado.'],
  ['dispute', 'El precio no es el acordado, nos ofrecieron un descuento del 10 %.'],
  ['refusal', 'No pienso pagar esa factura.'],
  ['promise_to_pay', 'Il bonifico verrà disposto domani.'],
  ['dispute', "Il prezzo applicato non è quello concordato nell'offerta."],
  ['document_request', 'Ci serve la fattura intestata correttamente, con la nostra partita IVA.'],
  ['callback_request', 'Mi può chiamare domani mattina?'],
  ['already_paid', 'Het geld is al onderweg.'],
  ['dispute', 'De prijs is niet wat we hadden afgesproken.'],
  ['payment_plan_request', 'Mogen we in twee keer betalen?'],
  ['callback_request', 'Wilt u mij morgen even bellen?'],
];

describe('replies the lexicons were not written from', () => {
  it.each(FIXTURES)('%s: %s', (intent, text) => {
    expect(intentOf(text)).toBe(intent);
  });
});

describe('confidence', () => {
  it('is in [0, 1], higher for a clear promise than for a vague line', () => {
    const clear = classifyIntent({ text: 'We will pay the invoice on Friday.', language: 'en', asOf });
    const vague = classifyIntent({ text: 'Noted.', language: 'en', asOf });
    for (const r of [clear, vague]) {
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(clear.confidence).toBeGreaterThan(0.8);
  });
});
