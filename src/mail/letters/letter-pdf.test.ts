import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { mm } from '../pdf-writer.ts';
import { ADDRESS_WINDOW, type LetterInput, letterPdf } from './letter-pdf.ts';

const base: LetterInput = {
  language: 'fr',
  day: '2026-11-23',
  sender: {
    name: 'Atelier Dupont',
    address: { lines: ['12 rue des Lilas'], postalCode: '69003', city: 'Lyon' },
    country: 'FR',
    legalId: 'SIREN 123 456 789',
  },
  recipient: {
    name: 'Boulangerie Martin',
    attention: 'Paul Martin',
    address: { lines: ['3 place du Marché'], postalCode: '75011', city: 'Paris', country: 'FR' },
  },
  subject: 'Mise en demeure de payer : factures F-1 et F-2',
  body: 'Madame, Monsieur,\n\nMalgré nos relances, les factures suivantes restent impayées :\n\n- Facture F-1 du 1er octobre 2026 : reste dû 1 200,00 €\n- Facture F-2 du 5 octobre 2026 : reste dû 300,00 €\n\nNous vous mettons en demeure de régler sous huit jours.\n\nAtelier Dupont',
  invoices: [
    {
      number: 'F-1',
      issueDate: '2026-10-01',
      dueDate: '2026-10-31',
      currency: 'EUR',
      total: 120000,
      outstanding: 120000,
    },
    {
      number: 'F-2',
      issueDate: '2026-10-05',
      dueDate: '2026-11-04',
      currency: 'EUR',
      total: 30000,
      outstanding: 30000,
    },
  ],
  legalMentions: true,
  created: new Date('2026-11-23T08:00:00Z'),
};

/** The text item's position in millimetres from the top-left corner. */
const at = (item: { x: number; y: number }) => ({
  left: (item.x * 25.4) / 72,
  top: ((841.89 - item.y) * 25.4) / 72,
});

describe('letters for a window envelope', () => {
  it('puts the French recipient in the window on the right, with place, date and subject', async () => {
    const { items, text } = await pdfText(letterPdf(base));
    const name = items.find((i) => i.text === 'Boulangerie Martin')!;
    const window = ADDRESS_WINDOW.fr;
    expect(at(name).left).toBeCloseTo(window.left, 0);
    expect(at(name).top).toBeGreaterThan(window.top);
    expect(at(name).top).toBeLessThan(window.top + window.height);
    const town = items.find((i) => i.text === '75011 Paris')!;
    expect(at(town).top).toBeLessThan(window.top + window.height);
    expect(text).toContain('Lyon, le 23 novembre 2026');
    expect(text).toContain('Objet : Mise en demeure de payer : factures F-1 et F-2');
    expect(text).toContain('Paul Martin');
  });

  it('turns the list of invoices into a table with the total, and prints the legal mentions', async () => {
    const { text } = await pdfText(letterPdf(base));
    expect(text).not.toContain('- Facture F-1');
    expect(text).toContain('Échéance');
    expect(text).toContain('31/10/2026');
    expect(text).toContain('1 500,00 €');
    expect(text).toMatch(/40 € par facture/);
    expect(text).toMatch(/L441-10/);
    expect(text).toContain('SIREN 123 456 789');
  });

  it('follows DIN 5008 form B for a German sender, the return address above the recipient, the country last', async () => {
    const { items } = await pdfText(
      letterPdf({
        ...base,
        language: 'de',
        sender: {
          name: 'Müller Metallbau GmbH',
          address: { lines: ['Hauptstraße 1'], postalCode: '10115', city: 'Berlin' },
          country: 'DE',
        },
        recipient: {
          name: 'Bakkerij Peeters',
          address: { lines: ['Kerkstraat 5'], postalCode: '2000', city: 'Antwerpen', country: 'BE' },
        },
        body: 'Sehr geehrte Damen und Herren,\n\nbitte zahlen Sie.',
        legalMentions: false,
      }),
    );
    const window = ADDRESS_WINDOW.din5008;
    const name = items.find((i) => i.text === 'Bakkerij Peeters')!;
    expect(at(name).left).toBeCloseTo(window.left, 0);
    expect(at(name).top).toBeGreaterThan(window.top);
    const back = items.find((i) => i.text.startsWith('Müller Metallbau GmbH · '))!;
    expect(at(back).top).toBeLessThan(window.top);
    expect(items.map((i) => i.text)).toContain('2000 ANTWERPEN');
    expect(items.map((i) => i.text)).toContain('BELGIEN');
    expect(items.find((i) => i.text.startsWith('Berlin, '))?.text).toBe('Berlin, 23. November 2026');
    expect(mm(25)).toBeCloseTo(70.87, 1);
  });
});
