// Whatever a bank, a user or a broken download hands over, the parsers answer with a statement or an
// UnreadableFileError naming the file: never another exception, never a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture } from '../../test/fixtures/statements/fixtures.ts';
import { UnreadableFileError } from '../imports/records.ts';
import { findCreditorReference } from './creditor-reference.ts';
import { parseStatementFile } from './detect.ts';
import { findIban } from './iban.ts';
import { parseCamt } from './parse-camt.ts';
import { parseMt940 } from './parse-mt940.ts';
import { parseOfx } from './parse-ofx.ts';
import { parseStatementCsv } from './parse-statement-csv.ts';
import type { StatementFile } from './statement.ts';

const RUNS = { numRuns: 200 };

function readsOrRefuses(run: () => StatementFile): void {
  try {
    const file = run();
    for (const s of file.statements) {
      for (const e of s.entries) {
        expect(e.amount).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(e.amount)).toBe(true);
      }
    }
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    expect(error.problem.file).toBe('fuzz');
  }
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
const fromLatin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/** Characters that matter to one format or another, to make mutations hit the grammar. */
const SIGNIFICANT = fc.constantFrom(
  '<',
  '>',
  '/',
  '&',
  '?',
  ':',
  '\n',
  ';',
  ',',
  '"',
  '-',
  '{',
  '}',
  '+',
  ' ',
  'é',
);

/** Truncations, deletions, insertions and replacements of a valid file. */
function mutationOf(base: string): fc.Arbitrary<string> {
  const position = fc.nat({ max: base.length });
  return fc.oneof(
    position.map((n) => base.slice(0, n)),
    fc.tuple(position, position).map(([a, b]) => base.slice(0, Math.min(a, b)) + base.slice(Math.max(a, b))),
    fc
      .tuple(position, fc.oneof(fc.string({ maxLength: 20 }), SIGNIFICANT))
      .map(([n, s]) => base.slice(0, n) + s + base.slice(n)),
    fc.tuple(position, SIGNIFICANT).map(([n, c]) => base.slice(0, n) + c + base.slice(n + 1)),
    fc
      .tuple(position, position, position)
      .map(([a, b, at]) => base.slice(0, at) + base.slice(Math.min(a, b), Math.max(a, b)) + base.slice(at)),
  );
}

const PARSERS: [string, (bytes: Uint8Array) => StatementFile, string[]][] = [
  [
    'camt',
    (b) => parseCamt(b, 'fuzz'),
    [FIXTURES.camt053v02, FIXTURES.camt053v08, FIXTURES.camt054v04, FIXTURES.camt052v06],
  ],
  ['OFX', (b) => parseOfx(b, 'fuzz'), [FIXTURES.ofx1, FIXTURES.ofx2]],
  ['MT940', (b) => parseMt940(b, 'fuzz'), [FIXTURES.mt940German, FIXTURES.mt940Dutch]],
  ['statement CSV', (b) => parseStatementCsv(b, 'fuzz'), [FIXTURES.csvFrench, FIXTURES.csvEnglish]],
  ['any format', (b) => parseStatementFile('fuzz', b), Object.values(FIXTURES)],
];

describe.each(PARSERS)('the %s parser on hostile input', (_name, parse, fixtures) => {
  it('reads or refuses random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        readsOrRefuses(() => parse(new TextEncoder().encode(text)));
      }),
      RUNS,
    );
  });

  it('reads or refuses random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => readsOrRefuses(() => parse(bytes))),
      RUNS,
    );
  });

  it.each(fixtures)('reads or refuses mutations and truncations of %s', (name) => {
    const base = latin1(fixture(name));
    fc.assert(
      fc.property(mutationOf(base), (text) => readsOrRefuses(() => parse(fromLatin1(text)))),
      RUNS,
    );
  });
});

// Linear, not fast: a backtracking pattern shows as time growing with the square of the input, which
// a ratio between two sizes catches whatever else the machine is doing (absolute times are for
// benchmarks). Each case is measured at an eighth and at the whole of its size, best of three.
function bestOf(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Time at 8n over time at n: about 8 when linear, 64 when quadratic. Small times are padded. */
function growth(run: (n: number) => void, n: number): number {
  const small = bestOf(() => run(n / 8));
  const large = bestOf(() => run(n));
  return large / Math.max(small, 5);
}

describe('pathological input stays linear', () => {
  const cases: [string, (n: number) => string, number][] = [
    [
      'deeply nested XML',
      (n) => `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">${'<a>'.repeat(n)}`,
      4000,
    ],
    ['deeply nested OFX aggregates', (n) => `OFXHEADER:100\n<OFX>${'<A></A><B>'.repeat(n)}`, 20000],
    [
      'a long OFX data run',
      (n) => `<OFX><STMTRS><CURDEF>EUR<BANKTRANLIST>${'<STMTTRN><TRNAMT>1'.repeat(n)}`,
      20000,
    ],
    ['a long MT940 line', (n) => `:20:X\n:60F:C260101EUR1,00\n:61:${'2'.repeat(n)}`, 200000],
    [
      'many :86: subfields',
      (n) => `:20:X\n:60F:C260101EUR1,00\n:61:260101C1,00NTRF\n:86:166${'?20EREF+'.repeat(n)}`,
      30000,
    ],
    [
      'many slash keywords',
      (n) => `:20:X\n:60F:C260101EUR1,00\n:61:260101C1,00NTRF\n:86:${'/NAME/'.repeat(n)}`,
      30000,
    ],
    ['a CSV of one huge cell', (n) => `Date;Libellé;Montant\n01/01/2026;${'x'.repeat(n)};1,00\n`, 300000],
  ];

  it.each(cases)('reads %s in time linear in its size', (_name, make, n) => {
    const ratio = growth(
      (size) => readsOrRefuses(() => parseStatementFile('fuzz', new TextEncoder().encode(make(size)))),
      n,
    );
    expect(ratio).toBeLessThan(24);
  });

  it('scans long free text for references and IBANs in linear time', () => {
    const ratio = growth((size) => {
      const text = `${'RF12 3456 '.repeat(size)} ${'FR76 3000 '.repeat(size)}`;
      findCreditorReference(text);
      findIban(text);
    }, 20000);
    expect(ratio).toBeLessThan(24);
  });
});
