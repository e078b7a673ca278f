// Writes a realistic invoice CSV (French column names, semicolons, decimal commas) of any size,
// streaming, so that the generator itself holds no rows in memory.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export async function writeInvoiceCsv(path: string, invoices: number, customers: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    'numero;ref_client;client;pays;contact;email;langue;date_facture;echeance;devise;montant_ttc;reste_du\n',
  );
  const countries = ['FR', 'BE', 'DE', 'ES', 'IT', 'NL', 'GB', 'CH'];
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const day0 = Date.UTC(2026, 0, 1);
  for (let i = 1; i <= invoices; i++) {
    const c = 1 + ((i * 7919) % customers);
    const country = countries[c % countries.length]!;
    const issue = new Date(day0 + Math.floor(rnd() * 300) * 86_400_000);
    const due = new Date(issue.getTime() + 30 * 86_400_000);
    const d = (x: Date) =>
      `${String(x.getUTCDate()).padStart(2, '0')}/${String(x.getUTCMonth() + 1).padStart(2, '0')}/${x.getUTCFullYear()}`;
    const total = Math.floor(5_000 + rnd() * 900_000);
    const outstanding = rnd() < 0.7 ? total : Math.floor(total / 2);
    const money = (m: number) => `${Math.floor(m / 100)},${String(m % 100).padStart(2, '0')}`;
    await write(
      `F-${i};CUST-${c};Client ${c} SARL;${country};Contact ${c};compta@client${c}.example;fr;${d(issue)};${d(due)};EUR;${money(total)};${money(outstanding)}\n`,
    );
  }
  out.end();
  await once(out, 'finish');
}
