import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { literal } from './literal.ts';

describe('a string written as an SQL literal', () => {
  it('is escaped as the driver escapes it', () => {
    for (const s of [
      '',
      'plain',
      "l'été",
      "''",
      'C:\\compta',
      "a\\'b",
      '{"to":"x@y.fr"}',
      'é€\u0000'.slice(0, 2),
    ])
      expect(literal(s)).toBe(pg.escapeLiteral(s));
  });

  it('writes null for a missing value', () => {
    expect(literal(null)).toBe('null');
    expect(literal(undefined)).toBe('null');
  });
});
