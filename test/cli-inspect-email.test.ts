import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ardent } from './support/cli.ts';

const replies = new URL('./fixtures/replies/', import.meta.url).pathname;

describe('ardent inspect-email', () => {
  it('prints the analysis of a reply as the contract says, relative dates against --as-of', async () => {
    const r = await ardent(
      ['inspect-email', join(replies, 'promise-fr.eml'), '--as-of', '2026-11-23', '--json'],
      {},
    );
    expect(r.status).toBe(0);
    expect(r.json()).toEqual({
      kind: 'reply',
      language: 'fr',
      intent: 'promise_to_pay',
      confidence: expect.any(Number),
      promisedDate: '2026-11-27',
      invoiceNumbers: ['F-2026-0412'],
    });
  });

  it('gives an array in the order of the files, a bounce with its recipients', async () => {
    const r = await ardent(
      [
        'inspect-email',
        join(replies, 'bounce-user-unknown.eml'),
        join(replies, 'promise-fr.eml'),
        '--as-of',
        '2026-11-23',
        '--json',
      ],
      {},
    );
    const [bounce, reply] = r.json<[Record<string, unknown>, Record<string, unknown>]>();
    expect(bounce).toMatchObject({
      kind: 'bounce',
      bounce: { recipients: [{ status: '5.1.1', hard: true, reason: 'userunknown' }] },
    });
    expect(reply).toMatchObject({ kind: 'reply', intent: 'promise_to_pay' });
  });

  it('exits 2 for a file that cannot be read', async () => {
    const r = await ardent(['inspect-email', join(replies, 'none.eml')], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/none\.eml: no such file/);
  });
});
