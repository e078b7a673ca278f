import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryTransport } from './directory.ts';

const dir = mkdtempSync(join(tmpdir(), 'ardent-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the outbox directory', () => {
  it('writes one .eml per message, named after it, and the same message twice is one file', async () => {
    const outbox = directoryTransport(join(dir, 'outbox'));
    const steps: string[] = [];
    const options = {
      messageId: '<m@x>',
      name: '2026-11-12_C1_0b7c4e1a',
      commitPoint: {
        order: 'record-then-release' as const,
        prepare: async () => void steps.push('prepare'),
        commit: () => void steps.push('commit'),
      },
    };
    const result = await outbox.send(
      Buffer.from('Subject: hi\r\n\r\nhello\r\n'),
      { from: 'a@x', to: ['b@y'] },
      options,
    );
    await outbox.send(
      Buffer.from('Subject: hi\r\n\r\nhello again\r\n'),
      { from: 'a@x', to: ['b@y'] },
      options,
    );
    expect(result.providerId).toBe('file:2026-11-12_C1_0b7c4e1a');
    expect(steps).toEqual(['prepare', 'commit', 'prepare', 'commit']);
    expect(readdirSync(join(dir, 'outbox'))).toEqual(['2026-11-12_C1_0b7c4e1a.eml']);
    expect(readFileSync(join(dir, 'outbox', '2026-11-12_C1_0b7c4e1a.eml'), 'utf8')).toContain('hello again');
  });
});
