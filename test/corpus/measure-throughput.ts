// Messages analysed per second on one core: `npx tsx test/corpus/measure-throughput.ts`.
// Measured over the corpus messages, one at a time (Node runs this on one thread), three ways: the
// whole path from raw bytes (mailparser, the bounce reader, then the analysis), the same without the
// bounce reader, and the analysis alone on messages parsed beforehand.

import { analyseMessage, analyseParsedMessage } from '../../src/inbound/analyse.ts';
import { type ParsedMessage, parseMessage } from '../../src/inbound/parse-message.ts';
import { loadCorpus, toEml } from './corpus.ts';

const SECONDS = Number(process.env.SECONDS_PER_RUN ?? 3);
const entries = loadCorpus();
const raws = entries.map((e) => ({ raw: toEml(e), asOf: e.asOf }));
const parsed: { message: ParsedMessage; asOf: string }[] = [];
for (const { raw, asOf } of raws) parsed.push({ message: await parseMessage(raw), asOf });

async function measure(label: string, run: (i: number) => unknown | Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3 * raws.length; i++) await run(i % raws.length); // warm-up: JIT, lexicons, caches
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SECONDS * 1e9);
  while (process.hrtime.bigint() < deadline) {
    await run(count % raws.length);
    count++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(58)} ${(count / seconds).toFixed(0).padStart(6)} messages/s`);
}

console.log(`${entries.length} corpus messages, ${SECONDS}s per measure, Node ${process.version}`);
await measure('raw bytes → analysis (mailparser + bounce reader + rules)', (i) =>
  analyseMessage(raws[i]!.raw, { asOf: raws[i]!.asOf }),
);
await measure('raw bytes → analysis (mailparser + rules, no bounce reader)', (i) =>
  analyseMessage(raws[i]!.raw, { asOf: raws[i]!.asOf, bounceParser: null }),
);
await measure('mailparser alone', (i) => parseMessage(raws[i]!.raw));
await measure('parsed message → analysis (rules only, no mailparser)', (i) =>
  analyseParsedMessage(parsed[i]!.message, { asOf: parsed[i]!.asOf, bounceParser: null }),
);
