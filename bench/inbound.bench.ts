// Replies analysed per second on one core (Node runs this on one thread), over the labelled corpus,
// beside mailparser alone on the same messages: the floor every message pays before our own reading.
import { analyseMessage } from '../src/inbound/analyse.ts';
import { parseMessage } from '../src/inbound/parse-message.ts';
import { loadCorpus, toEml } from '../test/corpus/corpus.ts';
import { fmt } from './support.ts';

async function rate(run: (i: number) => Promise<unknown>, count: number, seconds = 3): Promise<number> {
  for (let i = 0; i < 2 * count; i++) await run(i % count);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) await run(n++ % count);
  return n / ((performance.now() - start) / 1000);
}

export async function benchInbound(): Promise<string[]> {
  const entries = loadCorpus();
  const raws = entries.map((e) => ({ raw: toEml(e), asOf: e.asOf }));
  const full = await rate((i) => analyseMessage(raws[i]!.raw, { asOf: raws[i]!.asOf }), raws.length);
  const floor = await rate((i) => parseMessage(raws[i]!.raw), raws.length);
  return [
    `## Reply analysis (${entries.length} corpus messages, one core)`,
    '',
    '| path | messages/s |',
    '| --- | ---: |',
    `| raw message → analysis (MIME, bounce check, language, intent, dates, invoice numbers) | ${fmt(full)} |`,
    `| floor: mailparser alone on the same messages | ${fmt(floor)} |`,
  ];
}
