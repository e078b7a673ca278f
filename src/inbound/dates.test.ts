import { describe, expect, it } from 'vitest';
import type { Language } from './analysis.ts';
import { extractPromisedDate, findDateMentions } from './dates.ts';

// Wednesday 18 November 2026.
const asOf = '2026-11-18';
const promised = (language: Language, text: string, day = asOf) => extractPromisedDate(text, language, day);

describe('CONTRACT.md §3: "next Friday" is the first Friday after asOf', () => {
  it.each([
    ['en', 'We will pay next Friday.'],
    ['en', 'Payment on Friday.'],
    ['fr', 'Le règlement sera effectué vendredi prochain.'],
    ['de', 'Wir überweisen nächsten Freitag.'],
    ['es', 'Realizaremos el pago el próximo viernes.'],
    ['it', 'Effettueremo il pagamento venerdì prossimo.'],
    ['nl', 'We betalen volgende week vrijdag.'],
  ] as const)('%s: %s', (language, text) => {
    expect(promised(language, text)).toBe('2026-11-20');
  });

  it('counts from the day after asOf, so a Friday asOf gives the Friday a week later', () => {
    expect(promised('en', 'We will pay next Friday.', '2026-12-04')).toBe('2026-12-11');
  });
});

describe('CONTRACT.md §3: "end of the month" is its last calendar day', () => {
  it.each([
    ['en', 'We will settle it by the end of the month.'],
    ['fr', 'Nous paierons à la fin du mois.'],
    ['de', 'Die Rechnung wird bis Ende des Monats beglichen.'],
    ['es', 'Pagaremos a fin de mes.'],
    ['it', 'Pagheremo a fine mese.'],
    ['nl', 'Wij betalen voor het eind van de maand.'],
  ] as const)('%s: %s', (language, text) => {
    expect(promised(language, text)).toBe('2026-11-30');
  });

  it('gives 28 February for a February asOf, and the next month’s last day for "end of next month"', () => {
    expect(promised('en', 'Payment by the end of the month.', '2027-02-03')).toBe('2027-02-28');
    expect(promised('fr', 'Règlement fin du mois prochain.')).toBe('2026-12-31');
  });

  it('reads "end of December" and "fin janvier" as that month’s last day', () => {
    expect(promised('en', 'We will pay by the end of December.')).toBe('2026-12-31');
    expect(promised('fr', 'Le virement partira fin janvier.')).toBe('2027-01-31');
  });
});

describe('CONTRACT.md §3: "within N days" is asOf plus N calendar days', () => {
  it.each([
    ['en', 'It will be paid within 10 days.'],
    ['fr', 'Nous paierons sous 10 jours.'],
    ['fr', 'Le paiement sera fait dans les 10 jours.'],
    ['de', 'Wir zahlen innerhalb von 10 Tagen.'],
    ['es', 'Pagaremos en un plazo de 10 días.'],
    ['it', 'Pagheremo entro 10 giorni.'],
    ['nl', 'We betalen binnen 10 dagen.'],
  ] as const)('%s: %s', (language, text) => {
    expect(promised(language, text)).toBe('2026-11-28');
  });

  it('counts weeks as seven days and working days without weekends', () => {
    expect(promised('en', 'We will pay within two weeks.')).toBe('2026-12-02');
    expect(promised('en', 'Payment within 5 working days.')).toBe('2026-11-25');
  });
});

describe('CONTRACT.md §3: a vague span gives no date', () => {
  it.each([
    ['en', 'We will pay next week.'],
    ['en', 'Payment early January.'],
    ['fr', 'Nous paierons la semaine prochaine.'],
    ['fr', 'Le virement partira début janvier.'],
    ['de', 'Die Überweisung erfolgt nächste Woche.'],
    ['es', 'Se pagará la semana que viene.'],
    ['it', 'Il bonifico partirà la settimana prossima.'],
    ['nl', 'Betaling volgt volgende week.'],
  ] as const)('%s: %s', (language, text) => {
    expect(promised(language, text)).toBeUndefined();
  });
});

describe('tomorrow and explicit dates', () => {
  it.each([
    ['en', 'I will transfer it tomorrow.', '2026-11-19'],
    ['fr', 'Le virement partira demain.', '2026-11-19'],
    ['de', 'Ich überweise morgen.', '2026-11-19'],
    ['es', 'Mañana hago la transferencia.', '2026-11-19'],
    ['it', 'Domani faccio il bonifico.', '2026-11-19'],
    ['nl', 'Ik maak het morgen over.', '2026-11-19'],
    ['fr', 'Nous réglerons le 15/12.', '2026-12-15'],
    ['fr', 'Nous réglerons le 15 décembre.', '2026-12-15'],
    ['en', 'Payment will be made on December 15th.', '2026-12-15'],
    ['de', 'Die Zahlung erfolgt am 15.12.2026.', '2026-12-15'],
    ['de', 'Wir zahlen am 15. Dezember.', '2026-12-15'],
    ['es', 'La factura se pagará el 15 de diciembre.', '2026-12-15'],
    ['it', 'La fattura sarà saldata il 15 dicembre.', '2026-12-15'],
    ['nl', 'De factuur wordt op 15 december voldaan.', '2026-12-15'],
    ['en', 'Will pay on the 30th.', '2026-11-30'],
  ] as const)('%s: %s → %s', (language, text, date) => {
    expect(promised(language, text)).toBe(date);
  });

  it('puts a date without a year on the next such day on or after asOf', () => {
    expect(promised('fr', 'Paiement le 05/01.', '2026-12-28')).toBe('2027-01-05');
    expect(promised('en', 'We will pay on 18 November.')).toBe('2026-11-18');
  });

  it('reads numeric dates day first, as customers write them in Europe, unless only month first fits', () => {
    expect(promised('en', 'We will pay on 05/12.')).toBe('2026-12-05');
    expect(promised('en', 'We will pay on 12/15/2026.')).toBe('2026-12-15');
  });

  it('takes the date tied to the payment, not the invoice’s own date or a day already past', () => {
    expect(promised('fr', 'La facture du 12/09/2026 sera réglée le 30/11.')).toBe('2026-11-30');
    expect(
      promised('en', 'Our director signed it off this morning, so you will have the money by Monday.'),
    ).toBe('2026-11-23');
  });

  it('finds no date in amounts, phone numbers or invoice numbers', () => {
    const mentions = findDateMentions('Invoice 2026/0118 of 1.250,50 € — call 06-12345678.', 'fr', asOf);
    expect(mentions.filter((m) => m.date)).toEqual([]);
  });
});
