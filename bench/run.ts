// `npm run bench`: every benchmark, on this machine, with the floor each is compared against.
// `npm run bench -- import` runs only those whose name contains "import".
import { cpus, totalmem } from 'node:os';
import { benchApi } from './api.bench.ts';
import { benchDunningRun } from './dunning-run.bench.ts';
import { benchImportInvoices } from './import-invoices.bench.ts';
import { benchInbound } from './inbound.bench.ts';
import { benchMailSend } from './mail-send.bench.ts';
import { benchReconcile } from './reconcile.bench.ts';

const benches: Record<string, () => Promise<string[]>> = {
  import: () => benchImportInvoices(),
  dunning: () => benchDunningRun(),
  inbound: () => benchInbound(),
  mail: () => benchMailSend(),
  reconcile: () => benchReconcile(),
  api: () => benchApi(),
};

const only = process.argv.slice(2);
const out = [
  `# Ardent benchmarks — ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  '',
];
for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  out.push(...(await bench()), '');
}
console.log(out.join('\n'));
