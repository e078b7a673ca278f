// The labelled corpus of replies (test/corpus/replies) through the whole reader: RFC 5322 bytes in,
// CONTRACT.md §3 analysis out. Prints intent accuracy per intent and per language, on the tuning half
// and on the held-out half (odd entry numbers, never tuned on), and the exactness of promised and
// return dates. Misreadings are listed for the tuning half only, so that reading this output does not
// turn the held-out half into tuning data.

import { beforeAll, describe, expect, it } from 'vitest';
import { analyseMessage } from '../src/inbound/analyse.ts';
import type { Analysis } from '../src/inbound/analysis.ts';
import { INTENTS, LANGUAGES } from '../src/inbound/analysis.ts';
import { type CorpusEntry, isHeldOut, loadCorpus, toEml } from './corpus/corpus.ts';

interface Outcome {
  entry: CorpusEntry;
  analysis: Analysis;
}

interface Tally {
  ok: number;
  n: number;
}

const tally = (outcomes: Outcome[], test: (o: Outcome) => boolean): Tally => ({
  ok: outcomes.filter(test).length,
  n: outcomes.length,
});
const rate = (t: Tally) => (t.n === 0 ? 1 : t.ok / t.n);
const cell = (t: Tally) => (t.n === 0 ? '—' : `${t.ok}/${t.n} ${(100 * rate(t)).toFixed(0)}%`.padStart(12));

const intentOk = (o: Outcome) => o.analysis.intent === o.entry.intent;
const promisedOk = (o: Outcome) => o.analysis.promisedDate === o.entry.promisedDate;
const returnOk = (o: Outcome) => o.analysis.returnDate === o.entry.returnDate;

let outcomes: Outcome[] = [];

beforeAll(async () => {
  const entries = loadCorpus();
  outcomes = [];
  for (const entry of entries) {
    outcomes.push({ entry, analysis: await analyseMessage(toEml(entry), { asOf: entry.asOf }) });
  }
  const halves = {
    tuning: outcomes.filter((o) => !isHeldOut(o.entry)),
    'held-out': outcomes.filter((o) => isHeldOut(o.entry)),
    all: outcomes,
  };
  const rows: string[] = [];
  const header = `${''.padEnd(22)}${Object.keys(halves)
    .map((h) => h.padStart(12))
    .join(' ')}`;
  const line = (label: string, pick: (list: Outcome[]) => Tally) =>
    `${label.padEnd(22)}${Object.values(halves)
      .map((list) => cell(pick(list)))
      .join(' ')}`;
  rows.push('intent accuracy per intent', header);
  for (const intent of INTENTS)
    rows.push(
      line(intent, (l) =>
        tally(
          l.filter((o) => o.entry.intent === intent),
          intentOk,
        ),
      ),
    );
  rows.push('', 'intent accuracy per language', header);
  for (const language of LANGUAGES) {
    rows.push(
      line(language, (l) =>
        tally(
          l.filter((o) => o.entry.language === language),
          intentOk,
        ),
      ),
    );
  }
  rows.push(line('overall', (l) => tally(l, intentOk)));
  rows.push('', 'dates and language', header);
  rows.push(
    line('promisedDate exact', (l) =>
      tally(
        l.filter((o) => o.entry.promisedDate),
        promisedOk,
      ),
    ),
  );
  rows.push(
    line('no date when none', (l) =>
      tally(
        l.filter((o) => o.entry.intent === 'promise_to_pay' && !o.entry.promisedDate),
        (o) => o.analysis.promisedDate === undefined,
      ),
    ),
  );
  rows.push(
    line('returnDate exact', (l) =>
      tally(
        l.filter((o) => o.entry.returnDate),
        returnOk,
      ),
    ),
  );
  rows.push(line('language detected', (l) => tally(l, (o) => o.analysis.language === o.entry.language)));
  const misread = halves.tuning.filter((o) => !intentOk(o) || (o.entry.promisedDate && !promisedOk(o)));
  if (misread.length > 0) {
    rows.push('', 'tuning-half misreadings');
    for (const o of misread) {
      rows.push(
        `  ${o.entry.id}: expected ${o.entry.intent} ${o.entry.promisedDate ?? ''}, got ${o.analysis.intent} ${o.analysis.promisedDate ?? ''}`,
      );
    }
  }
  console.log(`\n${rows.join('\n')}\n`);
}, 120_000);

describe('the reply corpus', () => {
  it('holds at least 40 replies per language, covering every intent in every language', () => {
    for (const language of LANGUAGES) {
      const mine = outcomes.filter((o) => o.entry.language === language);
      expect(mine.length).toBeGreaterThanOrEqual(40);
      for (const intent of INTENTS)
        expect(
          mine.some((o) => o.entry.intent === intent),
          `${language} ${intent}`,
        ).toBe(true);
    }
  });

  it('reads the intent right in at least 90% of replies, on the whole and on the held-out half', () => {
    expect(rate(tally(outcomes, intentOk))).toBeGreaterThanOrEqual(0.9);
    expect(
      rate(
        tally(
          outcomes.filter((o) => isHeldOut(o.entry)),
          intentOk,
        ),
      ),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('reads the intent right in at least 80% of each language’s replies', () => {
    for (const language of LANGUAGES) {
      const mine = outcomes.filter((o) => o.entry.language === language);
      expect(rate(tally(mine, intentOk)), language).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('gives the exact promised date in at least 90% of the promises that state one', () => {
    const dated = outcomes.filter((o) => o.entry.promisedDate);
    expect(rate(tally(dated, promisedOk))).toBeGreaterThanOrEqual(0.9);
  });

  it('reports promisedDate only for promises and returnDate only for automatic replies', () => {
    for (const { analysis } of outcomes) {
      if (analysis.promisedDate !== undefined) expect(analysis.intent).toBe('promise_to_pay');
      if (analysis.returnDate !== undefined) expect(analysis.kind).toBe('auto_reply');
      if (analysis.kind === 'auto_reply') expect(analysis.intent).toBe('auto_reply');
      expect(analysis.bounce).toBeUndefined();
    }
  });
});
