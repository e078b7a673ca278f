import { describe, expect, it } from 'vitest';
import { customerLanguage, memberLanguage, membersLanguage } from './language.ts';

describe('the language a customer is written in', () => {
  it('writes to a Belgian customer with a Dutch-speaking contact in Dutch', () => {
    expect(customerLanguage({ contactLanguage: 'nl', country: 'BE' })).toBe('nl');
  });

  it('prefers the contact’s language to the customer’s', () => {
    expect(customerLanguage({ contactLanguage: 'de', customerLanguage: 'fr', country: 'FR' })).toBe('de');
  });

  it('uses the customer’s language when the contact has none', () => {
    expect(customerLanguage({ contactLanguage: null, customerLanguage: 'it', country: 'CH' })).toBe('it');
  });

  it('falls back to the country’s language', () => {
    expect(customerLanguage({ country: 'FR' })).toBe('fr');
    expect(customerLanguage({ country: 'BE' })).toBe('fr');
    expect(customerLanguage({ country: 'CH' })).toBe('de');
    expect(customerLanguage({ country: 'AT' })).toBe('de');
    expect(customerLanguage({ country: 'ES' })).toBe('es');
    expect(customerLanguage({ country: 'IT' })).toBe('it');
    expect(customerLanguage({ country: 'NL' })).toBe('nl');
    expect(customerLanguage({ country: 'LU' })).toBe('fr');
    expect(customerLanguage({ country: 'IE' })).toBe('en');
    expect(customerLanguage({ country: 'us' })).toBe('en');
  });

  it('reads locale tags such as fr-BE', () => {
    expect(customerLanguage({ contactLanguage: 'fr-BE', country: 'BE' })).toBe('fr');
  });

  it('writes in English when the chosen language has no templates', () => {
    expect(customerLanguage({ country: 'PT' })).toBe('en');
    expect(customerLanguage({ contactLanguage: 'pt', customerLanguage: 'fr' })).toBe('en');
    expect(customerLanguage({ contactLanguage: 'nl', supported: ['fr', 'en'] })).toBe('en');
  });

  it('writes in English when nothing is known', () => {
    expect(customerLanguage({})).toBe('en');
  });
});

describe('the language members are written in', () => {
  it('uses a member’s preferred language, English otherwise', () => {
    expect(memberLanguage({ language: 'fr' })).toBe('fr');
    expect(memberLanguage({ language: null })).toBe('en');
  });

  it('uses the language all members share', () => {
    expect(membersLanguage([{ language: 'de' }, { language: 'de' }])).toBe('de');
  });

  it('uses the majority language: fr, fr, en → fr', () => {
    expect(membersLanguage([{ language: 'fr' }, { language: 'fr' }, { language: 'en' }])).toBe('fr');
  });

  it('writes in English on a tie: fr, en → en', () => {
    expect(membersLanguage([{ language: 'fr' }, { language: 'en' }])).toBe('en');
    expect(
      membersLanguage([{ language: 'fr' }, { language: 'fr' }, { language: 'de' }, { language: 'de' }]),
    ).toBe('en');
  });

  it('needs a strict majority, not the largest group: fr, de, it → en', () => {
    expect(membersLanguage([{ language: 'fr' }, { language: 'de' }, { language: 'it' }])).toBe('en');
  });

  it('counts members without a preference as English', () => {
    expect(membersLanguage([{ language: 'fr' }, {}, { language: null }])).toBe('en');
  });

  it('writes in English to nobody in particular', () => {
    expect(membersLanguage([])).toBe('en');
  });
});
