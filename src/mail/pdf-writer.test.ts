import { describe, expect, it } from 'vitest';
import { PdfPage, textWidth, toWinAnsi } from './pdf-writer.ts';

/** The hex string of the one text operator `text` writes. */
function shown(text: string, face: 'regular' | 'bold' = 'regular'): string {
  const page = new PdfPage(100, 100);
  page.text(0, 0, text, { face });
  return /<([0-9a-f]*)> Tj/.exec(page.ops[0]!)![1]!;
}

describe('text in the standard fonts (WinAnsi)', () => {
  it('writes Latin-1 and the Windows-1252 additions as their codes', () => {
    expect(shown('Relevé')).toBe('52656c6576e9');
    // € is 0x80, the typographic quotes 0x93 and 0x94, the em dash 0x97.
    expect(shown('€ “ok” —')).toBe('8020936f6b942097');
  });

  it('shows the spaces of number formatting as no-break spaces, tabs and line ends as spaces', () => {
    // French amounts: a narrow no-break space between thousands, a no-break space before €.
    expect(shown('1\u202f200,00\u00a0€')).toBe('31a03230302c3030a080');
    expect(shown('a\tb\nc\rd')).toBe('61206220632064');
  });

  it('drops the accents it cannot show and writes "?" for the rest', () => {
    expect(toWinAnsi('Zażółć')).toBe('Zazó?c');
    expect(shown('Zażółć')).toBe(Buffer.from('Zazó?c', 'latin1').toString('hex'));
    expect(shown('ok 😀')).toBe(Buffer.from('ok ?', 'latin1').toString('hex'));
  });

  it('measures a text as the sum of its characters, in each face', () => {
    const sum = (text: string, face: 'regular' | 'bold') =>
      [...text].reduce((w, ch) => w + textWidth(ch, 10, face), 0);
    for (const face of ['regular', 'bold'] as const) {
      expect(textWidth('Montant dû 1\u202f200 €', 10, face)).toBeCloseTo(
        sum('Montant dû 1\u00a0200 €', face),
        9,
      );
      expect(textWidth('Zażółć', 10, face)).toBeCloseTo(sum('Zazó?c', face), 9);
    }
    expect(textWidth('W', 10, 'bold')).toBeGreaterThan(textWidth('i', 10, 'bold'));
    expect(textWidth('W', 20)).toBeCloseTo(2 * textWidth('W', 10), 9);
  });
});
