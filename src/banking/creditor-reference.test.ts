import { describe, expect, it } from 'vitest';
import {
  findBelgianStructuredCommunication,
  findCreditorReference,
  findRfReference,
  isBelgianStructuredCommunication,
  isRfReference,
  normalizeCreditorReference,
} from './creditor-reference.ts';

describe('ISO 11649 creditor references', () => {
  it('accepts the standard example RF18539007547034', () => {
    expect(isRfReference('RF18539007547034')).toBe(true);
  });

  it('refuses a reference whose check digits are wrong', () => {
    expect(isRfReference('RF19539007547034')).toBe(false);
  });

  it('refuses a reference longer than 25 characters', () => {
    expect(isRfReference(`RF00${'1'.repeat(22)}`)).toBe(false);
  });

  it('finds a reference written in groups of four inside a sentence', () => {
    expect(findRfReference('VIREMENT FACTURE RF18 5390 0754 7034 MERCI')).toBe('RF18539007547034');
  });

  it('finds a reference written with dashes after a prefix', () => {
    expect(findRfReference('REF:RF18-5390-0754-7034')).toBe('RF18539007547034');
  });

  it('finds a reference in lower case after a slash', () => {
    expect(findRfReference('/rf18539007547034/')).toBe('RF18539007547034');
  });

  it('finds an alphanumeric reference', () => {
    expect(findRfReference('paiement RF75 F202 6100 1 acompte')).toBe('RF75F20261001');
  });

  it('ignores RF inside a word and invalid references', () => {
    expect(findRfReference('SURF18539007547034')).toBeUndefined();
    expect(findRfReference('RF19 5390 0754 7034')).toBeUndefined();
  });
});

describe('Belgian structured communication', () => {
  it('checks the last two digits against the first ten modulo 97', () => {
    expect(isBelgianStructuredCommunication('090000000151')).toBe(true);
    expect(isBelgianStructuredCommunication('090000000152')).toBe(false);
  });

  it('uses 97 when the first ten digits are a multiple of 97', () => {
    expect(isBelgianStructuredCommunication('000000009797')).toBe(true);
  });

  it('finds +++123/4567/89012+++ and ***…*** forms, with spaces', () => {
    expect(findBelgianStructuredCommunication('MEDEDELING +++090/0000/00151+++')).toBe(
      '+++090/0000/00151+++',
    );
    expect(findBelgianStructuredCommunication('*** 090 / 0000 / 00151 ***')).toBe('+++090/0000/00151+++');
  });

  it('finds the slashed form without markers but not twelve bare digits', () => {
    expect(findBelgianStructuredCommunication('COMM 090/0000/00151')).toBe('+++090/0000/00151+++');
    expect(findBelgianStructuredCommunication('ORDER 090000000151')).toBeUndefined();
  });
});

describe('creditor references from structured fields and free text', () => {
  it('normalises RF and Belgian forms and keeps other schemes as given', () => {
    expect(normalizeCreditorReference('rf18 5390 0754 7034')).toBe('RF18539007547034');
    expect(normalizeCreditorReference('090000000151')).toBe('+++090/0000/00151+++');
    expect(normalizeCreditorReference('1234 5678 9012 3456')).toBe('1234567890123456');
  });

  it('prefers an RF reference to a Belgian communication in the same text', () => {
    expect(findCreditorReference('+++090/0000/00151+++ RF18539007547034')).toBe('RF18539007547034');
  });

  it('finds nothing in text without a reference', () => {
    expect(findCreditorReference('FACTURE F-1001')).toBeUndefined();
    expect(findCreditorReference(undefined)).toBeUndefined();
  });
});
