// The candidates for a batch of bank credits, found with index lookups only: every invoice number
// the batch mentions in one query (`ardent_number_key`), the payers by learnt IBAN and by name
// (`ardent_name_key`, prefix for names the bank cut short), their open invoices, and for what is left
// the invoices of exactly the amount. Nothing is locked here: the write settles an invoice only if
// its outstanding amount is still the one read (reconcile-write.ts), which costs no lock on the
// thousands of candidates that are read and left alone.
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';
import type { CandidateCustomer, CandidateInvoice, MatchCandidates } from './match.ts';
import { numberKey, type ReferenceKey, referenceKeys } from './match-references.ts';
import type { BankItem } from './reconcile-entries.ts';

interface InvoiceRow {
  id: string;
  number: string;
  customer_id: string;
  customer_name: string;
  type: string;
  currency: string;
  total: number;
  outstanding: number;
  due_date: string;
  status: string;
}

/** What the batch found, shared by its entries: one object per invoice, so that a payment applied
 * earlier in the batch is seen by the entries after it. */
export class BatchCandidates {
  readonly invoices = new Map<string, CandidateInvoice>();
  /** Each invoice's outstanding amount as read: the write checks it is still that (optimistic locking). */
  readonly loaded = new Map<string, number>();
  readonly customerNames = new Map<string, string>();
  private readonly byKey = new Map<string, CandidateInvoice[]>();
  private readonly byIban = new Map<string, string[]>();
  private readonly byName = new Map<string, string[]>();
  private readonly openOf = new Map<string, CandidateInvoice[]>();
  private readonly sameAmountOf = new Map<string, CandidateInvoice[]>();
  private readonly keysOf = new WeakMap<BankItem, ReferenceKey[]>();

  private keys(item: BankItem): ReferenceKey[] {
    let keys = this.keysOf.get(item);
    if (!keys) {
      keys = referenceKeys(item.entry);
      this.keysOf.set(item, keys);
    }
    return keys;
  }

  invoice(row: InvoiceRow): CandidateInvoice {
    let invoice = this.invoices.get(row.id);
    if (!invoice) {
      invoice = {
        id: row.id,
        number: row.number,
        customerId: row.customer_id,
        type: row.type,
        currency: row.currency,
        total: Number(row.total),
        outstanding: Number(row.outstanding),
        dueDate: row.due_date,
        status: row.status,
      };
      this.invoices.set(row.id, invoice);
      this.loaded.set(row.id, invoice.outstanding);
      this.customerNames.set(row.customer_id, row.customer_name);
    }
    return invoice;
  }

  /** The candidates of one entry. */
  for(item: BankItem): MatchCandidates {
    const referenced = new Set<CandidateInvoice>();
    const keys = this.keys(item);
    for (const k of keys) for (const i of this.byKey.get(k.key) ?? []) referenced.add(i);
    const payers: CandidateCustomer[] = [];
    const add = (id: string, via: 'iban' | 'name') => {
      if (payers.some((p) => p.id === id)) return;
      payers.push({
        id,
        name: this.customerNames.get(id) ?? '',
        via,
        openInvoices: this.openOf.get(id) ?? [],
      });
    };
    if (item.payerIban) for (const id of this.byIban.get(item.payerIban) ?? []) add(id, 'iban');
    if (item.payerName) for (const id of this.byName.get(item.payerName) ?? []) add(id, 'name');
    return {
      referenced: [...referenced],
      customerNames: this.customerNames,
      payers,
      sameAmount: this.sameAmountOf.get(amountKey(item)) ?? [],
      referenceKeys: keys,
    };
  }

  /** What this file has already settled, laid over what was read (see reconcile.ts). */
  overlay(touched: ReadonlyMap<string, { outstanding: number; status: string }>): void {
    for (const [id, invoice] of this.invoices) {
      const now = touched.get(id);
      if (!now) continue;
      invoice.outstanding = now.outstanding;
      invoice.status = now.status;
      this.loaded.set(id, now.outstanding);
    }
  }

  /** `learnt`: payer accounts this file has learnt so far, not yet committed. */
  async load(
    db: Db,
    orgId: string,
    items: BankItem[],
    learnt: ReadonlyMap<string, { id: string; name: string }> = new Map(),
  ): Promise<void> {
    const keys = [...new Set(items.flatMap((i) => this.keys(i).map((k) => k.key)))];
    if (keys.length > 0) {
      // One index probe per key: the lateral LIMIT keeps the planner from trading a few thousand
      // probes for a scan that would compute the key of every invoice.
      const rows = await sql<InvoiceRow>`
        select i.* from unnest(${keys}::text[]) as k(key)
         cross join lateral (
           select i.id, i.number, i.customer_id, ${CUSTOMER_NAME}, i.type, i.currency, i.total, i.outstanding,
                  i.due_date, i.status
             from invoices i
            where i.org_id = ${orgId}::uuid and ardent_number_key(i.number) = k.key limit 20) i`.execute(db);
      for (const r of rows.rows) push(this.byKey, numberKey(r.number), this.invoice(r));
    }

    const ibans = [...new Set(items.map((i) => i.payerIban).filter((x): x is string => x !== undefined))];
    if (ibans.length > 0) {
      const rows = await sql<{ iban: string; id: string; name: string }>`
        select a.iban, c.id, c.name from customer_accounts a
          join customers c on c.id = a.customer_id and c.org_id = a.org_id
         where a.org_id = ${orgId}::uuid and a.iban = any(${ibans}::text[])
         order by a.payments desc`.execute(db);
      for (const r of rows.rows) {
        push(this.byIban, r.iban, r.id);
        this.customerNames.set(r.id, r.name);
      }
      for (const iban of ibans) {
        const known = learnt.get(iban);
        if (!known || this.byIban.get(iban)?.includes(known.id)) continue;
        push(this.byIban, iban, known.id);
        this.customerNames.set(known.id, known.name);
      }
    }

    // The payer's name and open invoices matter only to entries whose reference does not settle
    // them: none, or less than the amount (the rest may pay other invoices of the same customer).
    // Most transfers carry a reference, so most of the batch is spared these lookups.
    const needPayers = items.filter((item) => {
      const refs = this.keys(item)
        .flatMap((k) => this.byKey.get(k.key) ?? [])
        .filter((i) => payable(i, item.entry.currency));
      const due = [...new Set(refs)].reduce((sum, i) => sum + i.outstanding, 0);
      return refs.length === 0 || item.entry.amount > due;
    });
    const names = [
      ...new Set(needPayers.map((i) => i.payerName).filter((x): x is string => x !== undefined)),
    ];
    // The whole name, as a prefix: the bank may have cut it short.
    await this.findNames(
      db,
      orgId,
      names.map((name) => ({ name, probe: name, prefix: true })),
    );
    // For names that found no one, their first words exactly: the bank may have added a town, a
    // department or a legal form the books do not have.
    await this.findNames(
      db,
      orgId,
      names
        .filter((name) => !this.byName.has(name))
        .flatMap((name) => {
          const words = name.split(/\s+/).filter(Boolean);
          const out: { name: string; probe: string; prefix: boolean }[] = [];
          for (let n = words.length - 1; n >= 2; n--)
            out.push({ name, probe: words.slice(0, n).join(' '), prefix: false });
          return out;
        }),
    );

    const customers = [
      ...new Set(
        needPayers.flatMap((i) => [
          ...(i.payerIban ? (this.byIban.get(i.payerIban) ?? []) : []),
          ...(i.payerName ? (this.byName.get(i.payerName) ?? []) : []),
        ]),
      ),
    ];
    if (customers.length > 0) {
      const rows = await sql<InvoiceRow>`
        select i.id, i.number, i.customer_id, ${CUSTOMER_NAME}, i.type, i.currency, i.total, i.outstanding,
               i.due_date, i.status
          from invoices i
         where i.org_id = ${orgId}::uuid and i.customer_id = any(${customers}::uuid[]) and i.type = 'invoice'
           and i.outstanding > 0 and i.status not in ('paid', 'cancelled', 'written_off')`.execute(db);
      for (const r of rows.rows) push(this.openOf, r.customer_id, this.invoice(r));
      for (const list of this.openOf.values())
        list.sort((a, b) =>
          a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : 1,
        );
    }

    // Only for entries nothing else points to: a lone amount is the weakest clue.
    const orphans = items.filter((i) => {
      const c = this.for(i);
      return c.referenced.length === 0 && c.payers.length === 0;
    });
    if (orphans.length > 0) {
      const rows = await sql<InvoiceRow & { amount: number; want: string }>`
        select t.amount, t.currency as want, i.*
          from unnest(${orphans.map((o) => o.entry.amount)}::bigint[], ${orphans.map((o) => o.entry.currency)}::bpchar[])
               as t(amount, currency)
          cross join lateral (
            select i.id, i.number, i.customer_id, ${CUSTOMER_NAME}, i.type, i.currency, i.total, i.outstanding,
                   i.due_date, i.status
              from invoices i
             where i.org_id = ${orgId}::uuid and i.currency = t.currency and i.outstanding = t.amount
               and i.outstanding > 0 and i.type = 'invoice'
             limit 3) i`.execute(db);
      for (const r of rows.rows) {
        const key = `${r.want}:${Number(r.amount)}`;
        const invoice = this.invoice(r);
        if (!(this.sameAmountOf.get(key) ?? []).includes(invoice)) push(this.sameAmountOf, key, invoice);
      }
    }
  }

  private async findNames(
    db: Db,
    orgId: string,
    probes: { name: string; probe: string; prefix: boolean }[],
  ): Promise<void> {
    if (probes.length === 0) return;
    const rows = await sql<{ name: string; id: string; customer_name: string }>`
      select p.name, c.id, c.name as customer_name
        from unnest(${probes.map((p) => p.name)}::text[], ${probes.map((p) => p.probe)}::text[],
                    ${probes.map((p) => p.prefix)}::boolean[]) as p(name, probe, prefix)
        cross join lateral (select ardent_name_key(p.probe) as k) k
        cross join lateral (
          select c.id, c.name from customers c
           where c.org_id = ${orgId}::uuid and length(k.k) >= 3
             and ardent_name_key(c.name) ~>=~ k.k
             and ardent_name_key(c.name) ~<~ (k.k || case when p.prefix then '~' else ' ' end)
           limit 5) c`.execute(db);
    for (const r of rows.rows) {
      if (!(this.byName.get(r.name) ?? []).includes(r.id)) push(this.byName, r.name, r.id);
      this.customerNames.set(r.id, r.customer_name);
    }
  }
}

// The customer's name beside each invoice, looked up by key rather than joined: a join would hash
// every customer of the organisation for a few thousand invoices.
const CUSTOMER_NAME = sql`(select c.name from customers c where c.org_id = i.org_id and c.id = i.customer_id) as customer_name`;

function payable(i: CandidateInvoice, currency: string): boolean {
  return (
    i.type === 'invoice' &&
    i.currency === currency &&
    i.outstanding > 0 &&
    i.status !== 'cancelled' &&
    i.status !== 'written_off'
  );
}

function amountKey(item: BankItem): string {
  return `${item.entry.currency}:${item.entry.amount}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
