// Measures the bounce parser on the real bounces of the sisimai corpus (shared/fixtures/bounces),
// against the ground truth that project's own test suite asserts. The figures are printed so that a
// regression shows up as a number, and the bar is: every message recognised, hard/soft right for at
// least 98% of recipients.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BouncedRecipient, parseBounce } from './parse-bounce.ts';
import { ADDRESS_PATTERN } from './text-bounce.ts';

interface ExpectedRecipient {
  index: number;
  status: string;
  replyCode: string;
  reason: string;
  hard: boolean;
}

interface ExpectedFile {
  file: string;
  recipients: ExpectedRecipient[];
}

function fixturesDirectory(): string | null {
  const candidates = [
    process.env.ARDENT_BOUNCE_FIXTURES,
    fileURLToPath(new URL('../../../../shared/fixtures/bounces/', import.meta.url)),
    fileURLToPath(new URL('../../../shared/fixtures/bounces/', import.meta.url)),
  ];
  for (const candidate of candidates) {
    if (candidate && existsSync(`${candidate}/expected.json`)) return candidate;
  }
  return null;
}

// sisimai reads each fixture as a mailbox: a file may hold more than one message, separated by
// mbox "From " lines. The parser takes one message at a time, so the harness splits them.
function splitMailbox(raw: Buffer): Buffer[] {
  const text = raw.toString('latin1');
  const starts = [...text.matchAll(/^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) /gm)].map((m) => m.index);
  if (starts.length === 0) return [raw];
  const bounds = [0, ...starts.filter((s) => s > 0), text.length];
  const messages: Buffer[] = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    const chunk = text.slice(bounds[i], bounds[i + 1]).replace(/^From [^\n]*\n/, '');
    if (chunk.trim() !== '') messages.push(Buffer.from(chunk, 'latin1'));
  }
  return messages;
}

// sisimai writes its own codes (X.0.9xx) when a bounce carries none; those are not the bounce's.
const isPseudoStatus = (status: string) => /^\d\.0\.9\d\d$/.test(status);

const directory = fixturesDirectory();

describe.skipIf(directory === null)('bounce fixtures from the sisimai corpus', () => {
  if (directory === null) return;
  const expected = JSON.parse(readFileSync(`${directory}/expected.json`, 'utf8')) as ExpectedFile[];
  const results = expected.map((entry) => {
    const raw = readFileSync(`${directory}/${entry.file}`);
    const reports = splitMailbox(raw).map((message) => parseBounce(message));
    const recipients: BouncedRecipient[] = reports.flatMap((r) => r?.recipients ?? []);
    return {
      entry,
      raw: raw.toString('latin1').toLowerCase(),
      recognised: reports.some((r) => r !== null),
      recipients,
    };
  });

  const pairs = results.flatMap(({ entry, raw, recipients }) =>
    entry.recipients.map((want, i) => ({ file: entry.file, i, want, got: recipients[i], raw })),
  );
  const total = pairs.length;
  const hardRight = pairs.filter((p) => p.got?.hard === p.want.hard);
  const reasonRight = pairs.filter((p) => p.got?.reason === p.want.reason);
  const withStatus = pairs.filter((p) => !isPseudoStatus(p.want.status));
  const statusRight = withStatus.filter((p) => p.got?.status === p.want.status);
  const addressRight = pairs.filter(
    (p) =>
      p.got !== undefined &&
      ADDRESS_PATTERN.test(p.got.address) &&
      p.raw.includes(p.got.address.toLowerCase()),
  );
  const countRight = results.filter((r) => r.recipients.length === r.entry.recipients.length);
  const recognised = results.filter((r) => r.recognised);
  const percent = (n: number, of: number) => `${n}/${of} (${((100 * n) / of).toFixed(1)}%)`;

  it('reports its figures', () => {
    console.log(
      [
        `bounce fixtures: ${directory}`,
        `  recognised as bounces   ${percent(recognised.length, results.length)}`,
        `  recipient count right   ${percent(countRight.length, results.length)}`,
        `  hard/soft right         ${percent(hardRight.length, total)}`,
        `  reason right            ${percent(reasonRight.length, total)}`,
        `  status right            ${percent(statusRight.length, withStatus.length)} (sisimai's own X.0.9xx codes left out)`,
        `  address well-formed and named in the message ${percent(addressRight.length, total)}`,
        ...pairs
          .filter((p) => p.got?.hard !== p.want.hard)
          .map(
            (p) =>
              `  hard/soft wrong: ${p.file}#${p.i} want ${p.want.reason}/${p.want.hard ? 'hard' : 'soft'} ` +
              `got ${p.got ? `${p.got.reason}/${p.got.hard ? 'hard' : 'soft'} ${p.got.status} "${(p.got.diagnostic ?? '').slice(0, 120)}"` : 'nothing'}`,
          ),
      ].join('\n'),
    );
    expect(total).toBeGreaterThan(0);
  });

  it('recognises every message as a bounce', () => {
    expect(results.filter((r) => !r.recognised).map((r) => r.entry.file)).toEqual([]);
  });

  it('tells hard from soft for at least 98% of recipients', () => {
    expect(hardRight.length / total).toBeGreaterThanOrEqual(0.98);
  });
});

describe.skipIf(directory !== null)('bounce fixtures', () => {
  if (directory === null) {
    console.warn(
      '[bounce] shared/fixtures/bounces not found (set ARDENT_BOUNCE_FIXTURES): corpus measurement skipped',
    );
  }
  it.skip('needs shared/fixtures/bounces next to the repository, or ARDENT_BOUNCE_FIXTURES', () => {});
});
