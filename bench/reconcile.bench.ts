// Matching N bank transactions against M open invoices on PostgreSQL (issue 6: 100,000 against
// 1,000,000 in under 60 s, by index lookups), beside the floor measured in the same run: looking up
// the invoice number of every transaction with one indexed query per batch of 1,000.
//
// The transactions mix what a bank statement brings: invoice numbers written every which way, RF
// creditor references, name and amount without reference, two invoices paid at once, instalments,
// bank fees within the tolerance, and transfers nobody can place.
import pg from 'pg';
import { invoiceCreditorReference, numberKey } from '../src/banking/match-references.ts';
import { reconcileStatement } from '../src/banking/reconcile.ts';
import type { BankItem, SortedItems } from '../src/banking/reconcile-entries.ts';
import { newEntry } from '../src/banking/statement.ts';
import { createOrganisation } from '../src/ledger/organisations.ts';
import { openStore } from '../src/store/store.ts';
import { fmt, measure, withDatabase } from './support.ts';

const DAY = '2026-11-23';
const PER_CUSTOMER = 10;

// Amounts and numbers the generator in SQL and the transactions here agree on, without reading back.
const amountOf = (customer: number, k: number) => 10_000 + ((customer * 7_919 + k * 104_729) % 500_000);
const numberOf = (customer: number, k: number) =>
  `F-2026-${String((customer - 1) * PER_CUSTOMER + k).padStart(7, '0')}`;
const nameOf = (customer: number) => `Customer ${customer} SARL`;

async function generate(url: string, orgId: string, customers: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `insert into customers (org_id, ref, name, country)
     select $1, 'C' || g, 'Customer ' || g || ' SARL', 'FR' from generate_series(1, $2::int) g`,
    [orgId, customers],
  );
  await client.query(
    `insert into invoices (org_id, customer_id, number, type, issue_date, due_date, currency, total, outstanding, source_outstanding, status)
     select c.org_id, c.id, 'F-2026-' || lpad(((g - 1) * ${PER_CUSTOMER} + k)::text, 7, '0'), 'invoice',
            $3::date - 30 - k * 3, $3::date - k * 3, 'EUR', x.a, x.a, x.a, 'open'
       from generate_series(1, $2::int) g
       join customers c on c.org_id = $1 and c.ref = 'C' || g
       cross join generate_series(1, ${PER_CUSTOMER}) k
       cross join lateral (select (10000 + ((g::bigint * 7919 + k * 104729) % 500000))::bigint as a) x`,
    [orgId, customers, DAY],
  );
  await client.query('analyze');
  await client.end();
}

type Kind = 'number' | 'rf' | 'name' | 'combination' | 'instalment' | 'fee' | 'unknown';
const MIX: [Kind, number][] = [
  ['number', 45],
  ['rf', 10],
  ['name', 15],
  ['combination', 10],
  ['instalment', 8],
  ['fee', 7],
  ['unknown', 5],
];

function spell(number: string, i: number): string {
  const [f, y, n] = number.split('-');
  const forms = [
    `VIR SEPA FACTURE ${number}`,
    `VIR SEPA FACT ${f} ${y} ${n}`,
    `Rechnung ${f}${y}${n} danke`,
    `PAIEMENT FACTURE ${f}-${y} ${n} CLIENT`,
    `INV ${number.toLowerCase()}`,
  ];
  return forms[i % forms.length]!;
}

/** One transaction per customer, so that no two transactions pay the same invoice. */
function transactions(count: number, customers: number): { items: BankItem[]; kinds: Map<Kind, number> } {
  const items: BankItem[] = [];
  const kinds = new Map<Kind, number>();
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  const stride = Math.max(1, Math.floor(customers / count));
  for (let i = 0; i < count; i++) {
    const customer = 1 + ((i * stride) % customers);
    let pick = (i * 37) % total;
    let kind: Kind = 'number';
    for (const [k, w] of MIX) {
      if (pick < w) {
        kind = k;
        break;
      }
      pick -= w;
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const k = 1 + (i % PER_CUSTOMER);
    const number = numberOf(customer, k);
    const due = amountOf(customer, k);
    const payer = nameOf(customer).toUpperCase();
    const fields: Partial<Parameters<typeof newEntry>[0]> = { bookingDate: DAY, bankReference: `B${i}` };
    let amount = due;
    switch (kind) {
      case 'number':
        fields.remittance = spell(number, i);
        break;
      case 'rf':
        fields.creditorReference = invoiceCreditorReference(number)!;
        break;
      case 'name':
        fields.remittance = 'VIREMENT';
        break;
      case 'combination': {
        const other = 1 + ((k + 3) % PER_CUSTOMER);
        amount = due + amountOf(customer, other);
        fields.remittance = 'REGLEMENT RELEVE';
        break;
      }
      case 'instalment':
        amount = Math.floor(due / 3);
        fields.remittance = `ACOMPTE ${number}`;
        break;
      case 'fee':
        amount = due - 250;
        fields.remittance = `INTL TRANSFER ${number.replace(/-/g, '')}`;
        break;
      case 'unknown':
        amount = 1_234 + i;
        fields.remittance = 'REMBOURSEMENT';
        break;
    }
    const entry = newEntry({
      amount,
      currency: 'EUR',
      direction: 'credit',
      ...fields,
      counterparty: { name: kind === 'unknown' ? `M DUPONT ${i}` : payer },
    });
    items.push({
      entry,
      statement: 1,
      account: 'FR7630004000031234567890143',
      at: `statement 1, entry ${i + 1}`,
      dedupeKey: `ref:FR7630004000031234567890143:B${i}`,
      bookingDate: DAY,
      payerName: entry.counterparty.name,
      payerIban: undefined,
    });
  }
  return { items, kinds };
}

/** The floor: every transaction's own invoice number, looked up by the index, 1,000 at a time. */
async function lookupFloor(url: string, orgId: string, items: BankItem[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const keys = items.map((_, i) => numberKey(numberOf(1 + i, 1)));
  const start = performance.now();
  for (let i = 0; i < keys.length; i += 1000) {
    await client.query(
      `select i.* from unnest($2::text[]) as k(key)
        cross join lateral (select id, number, customer_id, outstanding, due_date, status from invoices
                             where org_id = $1 and ardent_number_key(number) = k.key limit 20) i`,
      [orgId, keys.slice(i, i + 1000)],
    );
  }
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return seconds;
}

/**
 * Waits until the benchmark's database has no session left. pg's pool.end() resolves before its
 * sockets are closed, and the database is dropped right after: a session still closing would get
 * the drop's "terminating connection", which the closed pool no longer listens for.
 */
async function disconnected(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const r = await client.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (Number(r.rows[0]?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

export async function benchReconcile(invoices = 1_000_000, count = 100_000): Promise<string[]> {
  const customers = Math.max(1, Math.floor(invoices / PER_CUSTOMER));
  return withDatabase(async (url) => {
    const store = await openStore({ databaseUrl: url });
    const org = await createOrganisation(store.db, { name: 'Bench', country: 'FR' });
    const setup = performance.now();
    await generate(url, org.id, customers);
    const setupSeconds = (performance.now() - setup) / 1000;
    const { items, kinds } = transactions(count, customers);
    const floor = await lookupFloor(url, org.id, items);
    const sorted: SortedItems = {
      credits: items,
      reversals: [],
      total: items.length,
      debits: 0,
      notBooked: 0,
      refused: [],
      statements: [{ index: 1, account: items[0]?.account ?? null, currency: 'EUR', credits: items.length }],
    };
    const source = { file: 'bench', format: 'camt.053' as const, sha256: '-' };
    const run = await measure(() => reconcileStatement(store, org, source, sorted, { today: DAY }));
    const again = await measure(() => reconcileStatement(store, org, source, sorted, { today: DAY }));
    await store.close();
    await disconnected(url);
    const r = run.result;
    const lines = [
      `## Reconciliation (${fmt(count)} bank transactions against ${fmt(invoices)} open invoices, PostgreSQL)`,
      '',
      `Transactions: ${[...kinds].map(([k, n]) => `${fmt(n)} ${k}`).join(', ')}.`,
      '',
      '| run | wall time | transactions/s | applied | to confirm | ÷ floor | peak RSS above start |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| first import | ${fmt(run.seconds, 1)} s | ${fmt(count / run.seconds)} | ${fmt(r.applied)} | ${fmt(r.suggested + r.unmatched)} | ${fmt(run.seconds / floor, 1)}× | ${fmt(run.peakRssMb - run.baseRssMb)} MB |`,
      `| same statement again (${fmt(again.result.duplicates)} duplicates) | ${fmt(again.seconds, 1)} s | ${fmt(count / again.seconds)} | ${fmt(again.result.applied)} | ${fmt(again.result.suggested + again.result.unmatched)} | ${fmt(again.seconds / floor, 1)}× | ${fmt(again.peakRssMb - again.baseRssMb)} MB |`,
      '',
      `Floor, same run: looking up the ${fmt(count)} invoice numbers by the index, one query per 1,000: ${fmt(floor, 1)} s. ` +
        `Generating the ${fmt(invoices)} invoices (not timed above): ${fmt(setupSeconds, 1)} s. ` +
        `${fmt(r.invoicesPaid.length)} invoices paid.`,
    ];
    for (const l of lines) console.error(l);
    return lines;
  });
}
