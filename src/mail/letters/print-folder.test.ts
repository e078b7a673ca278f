import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printFolder } from './print-folder.ts';

const dir = mkdtempSync(join(tmpdir(), 'ardent-print-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the print folder', () => {
  it('writes one PDF per letter, named after it, and the same letter twice is still one file', async () => {
    const provider = printFolder(join(dir, 'print'));
    const letter = {
      pdf: Buffer.from('%PDF-1.4 letter'),
      name: '2026-11-23_C1_0b7c4e1a',
      idempotencyKey: '0b7c4e1a-0000-4000-8000-000000000000',
      recipient: {
        name: 'Boulangerie Martin',
        address: { lines: ['3 place du Marché'], postalCode: '75011', city: 'Paris' },
      },
    };
    expect(await provider.post(letter)).toEqual({ providerId: 'print:2026-11-23_C1_0b7c4e1a.pdf' });
    await provider.post(letter);
    expect(readdirSync(join(dir, 'print'))).toEqual(['2026-11-23_C1_0b7c4e1a.pdf']);
    expect(readFileSync(join(dir, 'print', '2026-11-23_C1_0b7c4e1a.pdf'), 'latin1')).toBe('%PDF-1.4 letter');
  });
});
