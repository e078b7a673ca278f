import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('language detection', () => {
  it.each([
    ['Merci.', 'fr'],
    ['Bien reçu, merci !', 'fr'],
    ['Thanks.', 'en'],
    ['call me pls', 'en'],
    ['Danke.', 'de'],
    ['Schon bezahlt!!', 'de'],
    ['Gracias.', 'es'],
    ['Ya está pagado.', 'es'],
    ['Grazie.', 'it'],
    ['Già pagato!', 'it'],
    ['Bedankt.', 'nl'],
    ['Is al betaald.', 'nl'],
  ])('tells the language of the one-liner "%s"', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it.each([
    [
      'Nous vous informons que la société a été placée en redressement judiciaire par jugement du tribunal.',
      'fr',
    ],
    [
      'Please note that the company entered administration and all claims must go to the administrators.',
      'en',
    ],
    [
      'Über das Vermögen der Gesellschaft wurde das Insolvenzverfahren eröffnet, bitte melden Sie Ihre Forderung an.',
      'de',
    ],
    ['Les comunicamos que la sociedad ha sido declarada en concurso de acreedores por el juzgado.', 'es'],
    ['Vi informiamo che la società è stata dichiarata in liquidazione giudiziale dal tribunale.', 'it'],
    ['Hierbij delen wij u mede dat onze onderneming failliet is verklaard door de rechtbank.', 'nl'],
  ])('tells the language of a longer text', (text, language) => {
    const guess = detectLanguage(text);
    expect(guess.language).toBe(language);
    expect(guess.confidence).toBeGreaterThan(0.8);
  });

  it('is less sure of one word than of a sentence, and gives a confidence in [0, 1]', () => {
    const short = detectLanguage('Danke.');
    const long = detectLanguage('Vielen Dank für Ihre Nachricht, wir überweisen den Betrag nächste Woche.');
    expect(short.confidence).toBeLessThan(long.confidence);
    for (const g of [short, long]) {
      expect(g.confidence).toBeGreaterThanOrEqual(0);
      expect(g.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('falls back, with no confidence, when there is nothing to read', () => {
    expect(detectLanguage('  12 345 !!', 'fr')).toMatchObject({ language: 'fr', confidence: 0 });
  });
});
