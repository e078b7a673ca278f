// The matcher: which open invoices one bank credit pays, how sure that is, and why. Pure: the shell
// (reconcile.ts) finds the candidates with index lookups and writes what this decides.
//
// In order of trust:
//  1. an invoice number or an RF / structured creditor reference in the entry (match-references.ts);
//  2. the payer, known by an IBAN learnt from earlier payments or by name, and the amount: one of its
//     invoices, its whole balance, or a combination of its oldest invoices that adds up;
//  3. alone, the amount: the only open invoice of exactly that amount, as a suggestion.
// Differences within the tolerance (a bank fee, rounding, an early-payment discount) still settle
// the invoice, and the difference is recorded; a larger shortfall with an explicit reference is a
// partial payment; money beyond what is due stays on the payment as unallocated credit.
// A decision at or above the threshold is applied; below it, a person confirms it in one action.
import { formatDecimal } from '../ledger/money.ts';
import { nameSimilarity } from './match-names.ts';
import { numberKey, type ReferenceKey, referenceKeys } from './match-references.ts';

export interface MatchEntry {
  /** Minor units, positive. */
  amount: number;
  currency: string;
  remittance?: string | undefined;
  creditorReference?: string | undefined;
  endToEndId?: string | undefined;
  payerName?: string | undefined;
  payerIban?: string | undefined;
}

export interface CandidateInvoice {
  id: string;
  number: string;
  customerId: string;
  type: string;
  currency: string;
  total: number;
  outstanding: number;
  dueDate: string;
  status: string;
}

export interface CandidateCustomer {
  id: string;
  name: string;
  /** How the payer led to this customer: an account learnt from earlier payments, or the name. */
  via: 'iban' | 'name';
  /** The customer's open invoices (any currency; the matcher keeps the payment's). */
  openInvoices: CandidateInvoice[];
}

export interface MatchCandidates {
  /** Invoices whose compact number is one of `referenceKeys(entry)`, whatever their state. */
  referenced: CandidateInvoice[];
  /** Names of the customers of the referenced invoices, by id. */
  customerNames: ReadonlyMap<string, string>;
  /** Customers the payer's IBAN or name points to. */
  payers: CandidateCustomer[];
  /** Open invoices whose outstanding amount equals the payment's (a few; looked up only when nothing else fits). */
  sameAmount: CandidateInvoice[];
  /** `referenceKeys(entry)`, when the caller has them already. */
  referenceKeys?: readonly ReferenceKey[];
}

export interface MatchSettings {
  /** A decision this sure or more is applied without asking anyone. */
  threshold: number;
  /** A difference up to this many minor units settles the invoice anyway. */
  toleranceMinor: number;
  /** …or up to this share of what is due, in basis points (200 = 2 %). */
  toleranceBp: number;
  /** At most this many of a customer's oldest invoices are tried in combinations. */
  maxCombination: number;
}

export const DEFAULT_MATCH_SETTINGS: MatchSettings = {
  threshold: 0.9,
  toleranceMinor: 500,
  toleranceBp: 0,
  maxCombination: 12,
};

export type AdjustmentKind = 'bank_fee' | 'discount' | 'rounding';

export interface ProposedAllocation {
  invoiceId: string;
  number: string;
  amount: number;
}

export interface ProposedAdjustment {
  invoiceId: string;
  number: string;
  amount: number;
  kind: AdjustmentKind;
}

export interface Proposal {
  /** Which clue decided: an explicit reference, the payer (IBAN or name) and the amount, or the amount alone. */
  rule: 'reference' | 'payer' | 'amount';
  customerId: string | null;
  allocations: ProposedAllocation[];
  /** Shortfalls within the tolerance, written off so that the invoices are settled. */
  adjustments: ProposedAdjustment[];
  /** What the payment leaves once allocated: credit on the customer. */
  unallocated: number;
  /** In [0, 1]. */
  confidence: number;
  reasons: string[];
}

export type MatchDecision =
  | ({ kind: 'apply' } & Proposal)
  | ({ kind: 'suggest' } & Proposal)
  | { kind: 'unmatched'; customerId: string | null; reason: string; reasons: string[]; confidence: 0 };

const SETTLED = new Set(['cancelled', 'written_off']);

export function matchEntry(
  entry: MatchEntry,
  candidates: MatchCandidates,
  settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
): MatchDecision {
  const notes: string[] = [];
  const byRef = byReference(entry, candidates, settings, notes);
  if (byRef) return decide(byRef, settings);
  // A reference that named only invoices we cannot settle leaves the rest to a person.
  const cap = notes.length > 0 ? 0.6 : 1;
  const payer = byPayer(entry, candidates, settings);
  if (payer) return decide(capped({ ...payer, reasons: [...notes, ...payer.reasons] }, cap), settings);
  const amount = byAmount(entry, candidates, notes);
  if (amount) return decide(capped(amount, cap), settings);
  const reason = notes.length
    ? notes.join('; ')
    : 'no invoice number or reference in the text, an unknown payer, and no open invoice of this amount';
  return {
    kind: 'unmatched',
    customerId: null,
    reason,
    reasons: notes.length ? notes : [reason],
    confidence: 0,
  };
}

function decide(p: Proposal, settings: MatchSettings): MatchDecision {
  const confidence = Math.round(Math.min(1, Math.max(0, p.confidence)) * 100) / 100;
  const proposal = { ...p, confidence };
  if (confidence >= settings.threshold && p.allocations.length > 0) return { kind: 'apply', ...proposal };
  return { kind: 'suggest', ...proposal };
}

function capped(p: Proposal, cap: number): Proposal {
  return p.confidence > cap ? { ...p, confidence: cap } : p;
}

const money = (minor: number, currency: string) => `${formatDecimal(minor, currency)} ${currency}`;

/** The difference that still settles an invoice (or several) of `due`. */
export function tolerance(due: number, settings: MatchSettings): number {
  return Math.max(settings.toleranceMinor, Math.floor((due * settings.toleranceBp) / 10_000));
}

function adjustmentKind(short: number, due: number): AdjustmentKind {
  // An early-payment discount is a round share of the amount (Skonto, escompte): 1 %, 2 %, 3 %…
  for (const bp of [50, 100, 150, 200, 250, 300, 500]) {
    if (Math.abs(short - Math.round((due * bp) / 10_000)) <= 1 && short > 10) return 'discount';
  }
  return short <= 10 ? 'rounding' : 'bank_fee';
}

const KIND_WORDS: Record<AdjustmentKind, string> = {
  bank_fee: 'a bank fee',
  discount: 'an early-payment discount',
  rounding: 'rounding',
};

/**
 * Settles `invoices` (oldest first) with `amount`: in full; in full with the rest left as credit;
 * in full less a shortfall within the tolerance, written off; or, beyond it, oldest first until the
 * money runs out. Never more than an invoice owes nor more than the payment.
 */
export function settle(
  invoices: readonly CandidateInvoice[],
  amount: number,
  currency: string,
  settings: MatchSettings,
): Pick<Proposal, 'allocations' | 'adjustments' | 'unallocated'> & { reasons: string[]; exact: boolean } {
  const due = invoices.reduce((s, i) => s + i.outstanding, 0);
  const full = () => invoices.map((i) => ({ invoiceId: i.id, number: i.number, amount: i.outstanding }));
  if (amount === due)
    return { allocations: full(), adjustments: [], unallocated: 0, reasons: [], exact: true };
  if (amount > due) {
    const rest = amount - due;
    return {
      allocations: full(),
      adjustments: [],
      unallocated: rest,
      reasons: [`overpaid by ${money(rest, currency)}: kept as unallocated credit`],
      exact: rest <= tolerance(due, settings),
    };
  }
  const short = due - amount;
  if (short <= tolerance(due, settings)) {
    const kind = adjustmentKind(short, due);
    // The shortfall is written off on the largest invoices, so that every allocation stays positive.
    const bearing = [...invoices].sort((a, b) => b.outstanding - a.outstanding);
    const adjust = new Map<string, number>();
    let left = short;
    for (const i of bearing) {
      if (left === 0) break;
      const take = Math.min(left, i.outstanding - 1);
      if (take <= 0) continue;
      adjust.set(i.id, take);
      left -= take;
    }
    if (left === 0) {
      return {
        allocations: invoices.map((i) => ({
          invoiceId: i.id,
          number: i.number,
          amount: i.outstanding - (adjust.get(i.id) ?? 0),
        })),
        adjustments: invoices
          .filter((i) => adjust.has(i.id))
          .map((i) => ({ invoiceId: i.id, number: i.number, amount: adjust.get(i.id)!, kind })),
        unallocated: 0,
        reasons: [
          `${money(short, currency)} short of the ${money(due, currency)} due: taken as ${KIND_WORDS[kind]} (within the tolerance of ${money(tolerance(due, settings), currency)})`,
        ],
        exact: true,
      };
    }
  }
  const allocations: ProposedAllocation[] = [];
  let left = amount;
  for (const i of invoices) {
    if (left === 0) break;
    const take = Math.min(left, i.outstanding);
    allocations.push({ invoiceId: i.id, number: i.number, amount: take });
    left -= take;
  }
  const last = allocations[allocations.length - 1]!;
  const lastInvoice = invoices.find((i) => i.id === last.invoiceId)!;
  return {
    allocations,
    adjustments: [],
    unallocated: 0,
    reasons: [
      `partial payment: ${money(amount, currency)} received of ${money(due, currency)} due; ${money(lastInvoice.outstanding - last.amount, currency)} still due on ${last.number}${allocations.length < invoices.length ? ` and ${invoices.length - allocations.length} more invoice(s) untouched` : ''}`,
    ],
    exact: false,
  };
}

const byDue = (a: CandidateInvoice, b: CandidateInvoice) =>
  a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : 1;

function payable(i: CandidateInvoice, currency: string): boolean {
  return i.type === 'invoice' && i.currency === currency && i.outstanding > 0 && !SETTLED.has(i.status);
}

const SOURCE_TRUST: Record<ReferenceKey['source'], number> = {
  creditor_reference: 0.98,
  remittance: 0.96,
  end_to_end: 0.9,
};
const WEAK_TRUST = 0.75;

function describeKey(k: ReferenceKey, number: string): string {
  if (k.source === 'creditor_reference') return `creditor reference ${k.text} names invoice ${number}`;
  if (k.source === 'end_to_end') return `end-to-end id ${k.text} is invoice ${number}`;
  return `invoice number ${number} in the remittance ("${k.text}")`;
}

function byReference(
  entry: MatchEntry,
  c: MatchCandidates,
  settings: MatchSettings,
  notes: string[],
): Proposal | undefined {
  if (c.referenced.length === 0) return undefined;
  const keys = new Map<string, ReferenceKey[]>();
  for (const k of c.referenceKeys ?? referenceKeys(entry)) keys.set(k.key, [...(keys.get(k.key) ?? []), k]);
  const rank = (k: ReferenceKey) => (k.weak ? WEAK_TRUST : SOURCE_TRUST[k.source]);
  let hits: { invoice: CandidateInvoice; key: ReferenceKey }[] = [];
  const seen = new Set<string>();
  for (const invoice of c.referenced) {
    const found = keys.get(numberKey(invoice.number));
    if (!found || seen.has(invoice.id)) continue;
    seen.add(invoice.id);
    hits.push({ invoice, key: [...found].sort((a, b) => rank(b) - rank(a))[0]! });
  }
  // "F-2026-0412" holds "2026-0412": when both are invoices, the longer run of words is the one meant.
  hits = hits.filter(
    (h) =>
      h.key.source !== 'remittance' ||
      !hits.some(
        (o) =>
          o !== h &&
          o.key.source === 'remittance' &&
          o.key.from <= h.key.from &&
          o.key.to >= h.key.to &&
          o.key.to - o.key.from > h.key.to - h.key.from,
      ),
  );
  if (hits.length === 0) return undefined;

  const open = hits.filter((h) => payable(h.invoice, entry.currency));
  for (const h of hits) {
    if (open.includes(h)) continue;
    const i = h.invoice;
    if (i.type !== 'invoice') notes.push(`${i.number}, named in the entry, is a credit note`);
    else if (i.currency !== entry.currency)
      notes.push(
        `${i.number} is in ${i.currency} and the payment in ${entry.currency}: not applied without a person`,
      );
    else if (SETTLED.has(i.status))
      notes.push(`${i.number}, named in the entry, is ${i.status.replace('_', ' ')}`);
    else notes.push(`${i.number}, named in the entry, is already paid: a second payment?`);
  }
  if (open.length === 0) return undefined;

  open.sort((a, b) => byDue(a.invoice, b.invoice));
  const invoices = open.map((h) => h.invoice);
  const reasons = open.map((h) => describeKey(h.key, h.invoice.number));
  let confidence = Math.min(...open.map((h) => rank(h.key)));
  if (open.some((h) => h.key.weak))
    reasons.push('a short bare number, which could also be a date or an order number');
  reasons.push(...notes);
  if (notes.length > 0) confidence -= 0.1;

  const customers = new Set(invoices.map((i) => i.customerId));
  if (customers.size > 1) {
    confidence -= 0.1;
    reasons.push(`the invoices named belong to ${customers.size} different customers`);
  }
  confidence += payerCheck(entry, c, customers, reasons);

  const customerId = invoices[0]!.customerId;
  const due = invoices.reduce((s, i) => s + i.outstanding, 0);
  let settled = settle(invoices, entry.amount, entry.currency, settings);
  if (entry.amount === due) reasons.push(`the amount equals what is due (${money(due, entry.currency)})`);
  else if (entry.amount > due && !settled.exact) {
    // Overpaid: maybe the payer settled other invoices of the same customer without naming them.
    const payer = c.payers.find((p) => p.id === customerId);
    const others = (payer?.openInvoices ?? [])
      .filter((i) => payable(i, entry.currency) && !invoices.some((r) => r.id === i.id))
      .sort(byDue);
    const combos = subsetsSumming(others.slice(0, settings.maxCombination), entry.amount - due, 2);
    if (combos.length === 1) {
      const extra = combos[0]!;
      settled = settle([...invoices, ...extra].sort(byDue), entry.amount, entry.currency, settings);
      confidence -= 0.08;
      reasons.push(
        `the rest, ${money(entry.amount - due, entry.currency)}, is what ${extra.map((i) => i.number).join(' + ')} of the same customer still owe`,
      );
    } else confidence -= 0.05;
  } else if (entry.amount < due && !settled.exact && invoices.length > 1) {
    // Less than the invoices named: the ones that add up to the amount, if exactly one set does.
    const combos = subsetsSumming(invoices, entry.amount, 2, 1);
    if (combos.length === 1) {
      settled = settle(combos[0]!, entry.amount, entry.currency, settings);
      reasons.push(
        `pays ${combos[0]!.map((i) => i.number).join(' + ')} of the invoices named, whose sum equals the amount`,
      );
      confidence -= 0.12;
    } else confidence -= 0.15;
  } else if (entry.amount < due && !settled.exact) {
    // One invoice named, less money: an instalment, applied as such since the payer said which invoice.
    confidence -= 0.02;
  } else if (settled.adjustments.length > 0) {
    confidence -= 0.03;
  }
  reasons.push(...settled.reasons);
  return {
    rule: 'reference',
    customerId,
    allocations: settled.allocations,
    adjustments: settled.adjustments,
    unallocated: settled.unallocated,
    confidence,
    reasons,
  };
}

/** How the payer agrees with the customers of the invoices named: a small bonus, or a penalty. */
function payerCheck(
  entry: MatchEntry,
  c: MatchCandidates,
  customers: Set<string>,
  reasons: string[],
): number {
  const byIban = c.payers.find((p) => p.via === 'iban');
  if (byIban) {
    if (customers.has(byIban.id)) {
      reasons.push(`the payer's account is known for ${byIban.name}`);
      return 0.01;
    }
    reasons.push(`the payer's account is known for another customer, ${byIban.name}`);
    return -0.15;
  }
  if (!entry.payerName) return 0;
  let best = 0;
  let bestName = '';
  for (const id of customers) {
    const name = c.customerNames.get(id);
    if (!name) continue;
    const s = nameSimilarity(entry.payerName, name);
    if (s > best) {
      best = s;
      bestName = name;
    }
  }
  if (best >= 0.8) {
    reasons.push(`the payer, ${entry.payerName}, is the customer ${bestName}`);
    return 0.01;
  }
  const other = c.payers.find(
    (p) => p.via === 'name' && !customers.has(p.id) && nameSimilarity(entry.payerName!, p.name) >= 0.9,
  );
  if (other) {
    reasons.push(`the payer, ${entry.payerName}, is another customer (${other.name})`);
    return -0.15;
  }
  // Someone else paying (a parent company, an accountant, a factor) is common; the reference says enough.
  reasons.push(`the payer, ${entry.payerName}, is not a name we know for this customer`);
  return -0.02;
}

const IBAN_TRUST = 0.93;

function payerTrust(entry: MatchEntry, p: CandidateCustomer): { trust: number; why: string } | undefined {
  if (p.via === 'iban') return { trust: IBAN_TRUST, why: `the payer's account is known for ${p.name}` };
  if (!entry.payerName) return undefined;
  const s = nameSimilarity(entry.payerName, p.name);
  if (s >= 1) return { trust: 0.9, why: `the payer, ${entry.payerName}, is the customer ${p.name}` };
  if (s >= 0.9)
    return { trust: 0.86, why: `the payer, ${entry.payerName}, looks like ${p.name} (name cut short)` };
  if (s >= 0.8) return { trust: 0.8, why: `the payer, ${entry.payerName}, resembles ${p.name}` };
  return undefined;
}

function byPayer(entry: MatchEntry, c: MatchCandidates, settings: MatchSettings): Proposal | undefined {
  const proposals: Proposal[] = [];
  const seen = new Set<string>();
  for (const p of c.payers) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    const t = payerTrust(entry, p);
    if (!t) continue;
    proposals.push(forCustomer(entry, p, t.trust, t.why, settings));
  }
  if (proposals.length === 0) return undefined;
  proposals.sort((a, b) => b.confidence - a.confidence);
  const best = proposals[0]!;
  const rival = proposals[1];
  // Two customers that fit equally well: a person decides.
  if (rival && rival.confidence >= best.confidence - 0.05 && rival.allocations.length > 0) {
    return {
      ...best,
      confidence: Math.min(best.confidence, 0.7),
      reasons: [
        ...best.reasons,
        `another customer fits as well (${rival.allocations.map((a) => a.number).join(', ')})`,
      ],
    };
  }
  return best;
}

function forCustomer(
  entry: MatchEntry,
  p: CandidateCustomer,
  trust: number,
  why: string,
  settings: MatchSettings,
): Proposal {
  const A = entry.amount;
  const cur = entry.currency;
  const invoices = p.openInvoices.filter((i) => payable(i, cur)).sort(byDue);
  const make = (chosen: CandidateInvoice[], confidence: number, ...reasons: string[]): Proposal => {
    const s = settle(chosen, A, cur, settings);
    return {
      rule: 'payer',
      customerId: p.id,
      allocations: s.allocations,
      adjustments: s.adjustments,
      unallocated: s.unallocated,
      confidence,
      reasons: [why, ...reasons, ...s.reasons],
    };
  };
  if (invoices.length === 0) {
    return {
      rule: 'payer',
      customerId: p.id,
      allocations: [],
      adjustments: [],
      unallocated: A,
      confidence: 0.4,
      reasons: [why, `${p.name} has no open invoice in ${cur}: a person decides where this money goes`],
    };
  }
  const exact = invoices.filter((i) => i.outstanding === A);
  if (exact.length === 1) return make(exact, trust, `the amount equals what ${exact[0]!.number} still owes`);
  if (exact.length > 1)
    return make(
      [exact[0]!],
      Math.min(trust, 0.75),
      `${exact.length} invoices owe exactly this amount (${exact.map((i) => i.number).join(', ')}): the oldest proposed`,
    );
  const balance = invoices.reduce((s, i) => s + i.outstanding, 0);
  if (balance === A)
    return make(
      invoices,
      trust,
      `the amount equals the customer's whole balance: ${invoices.map((i) => i.number).join(' + ')}`,
    );
  const oldest = invoices.slice(0, settings.maxCombination);
  const combos = subsetsSumming(oldest, A, 2);
  if (combos.length === 1)
    return make(
      combos[0]!,
      trust - 0.03,
      `${combos[0]!.length} invoices whose outstanding sum equals the amount: ${combos[0]!.map((i) => i.number).join(' + ')}`,
    );
  if (combos.length > 1)
    return make(
      combos[0]!,
      Math.min(trust - 0.1, 0.7),
      `several combinations of invoices add up to the amount; the one with the oldest invoices proposed: ${combos[0]!.map((i) => i.number).join(' + ')}`,
    );
  // One invoice within the tolerance: a fee taken on the way, or a few cents over.
  const near = invoices
    .filter((i) => Math.abs(i.outstanding - A) <= tolerance(i.outstanding, settings))
    .sort((a, b) => Math.abs(a.outstanding - A) - Math.abs(b.outstanding - A));
  if (near.length > 0)
    return make(
      [near[0]!],
      trust - 0.03 - (near.length > 1 ? 0.15 : 0),
      `the amount is close to what ${near[0]!.number} owes`,
    );
  if (Math.abs(balance - A) <= tolerance(balance, settings))
    return make(invoices, trust - 0.05, `the amount is close to the customer's whole balance`);
  if (A > balance)
    return make(
      invoices,
      Math.min(trust, 0.6),
      `more than the customer owes in ${cur}: every open invoice settled`,
    );
  return make(
    invoices,
    Math.min(trust, 0.5),
    'no invoice or combination of invoices matches the amount: the oldest first',
  );
}

function byAmount(entry: MatchEntry, c: MatchCandidates, notes: string[]): Proposal | undefined {
  const same = c.sameAmount.filter((i) => payable(i, entry.currency) && i.outstanding === entry.amount);
  if (same.length !== 1) {
    if (same.length > 1)
      notes.push(
        `${same.length} open invoices owe exactly ${money(entry.amount, entry.currency)}; nothing tells which`,
      );
    return undefined;
  }
  const i = same[0]!;
  return {
    rule: 'amount',
    customerId: i.customerId,
    allocations: [{ invoiceId: i.id, number: i.number, amount: i.outstanding }],
    adjustments: [],
    unallocated: 0,
    confidence: 0.5,
    reasons: [
      ...notes,
      `${i.number} is the only open invoice of exactly ${money(entry.amount, entry.currency)}; neither the text nor the payer${entry.payerName ? ` (${entry.payerName})` : ''} confirms it`,
    ],
  };
}

/**
 * Sets of invoices whose outstanding amounts add up to `target`, at most `limit` of them, those
 * with older invoices first. Bounded: callers pass a dozen invoices at most (4,096 subsets).
 */
export function subsetsSumming(
  invoices: readonly CandidateInvoice[],
  target: number,
  limit: number,
  minSize = 2,
): CandidateInvoice[][] {
  const n = Math.min(invoices.length, 16);
  const found: CandidateInvoice[][] = [];
  if (target <= 0 || n === 0) return found;
  // Depth-first, oldest invoice first, pruned as soon as the sum passes the target.
  const chosen: CandidateInvoice[] = [];
  const walk = (start: number, sum: number): boolean => {
    for (let i = start; i < n; i++) {
      const next = sum + invoices[i]!.outstanding;
      if (next > target) continue;
      chosen.push(invoices[i]!);
      if (next === target) {
        if (chosen.length >= minSize) found.push([...chosen]);
      } else if (walk(i + 1, next)) return true;
      chosen.pop();
      if (found.length >= limit) return true;
    }
    return false;
  };
  walk(0, 0);
  return found;
}
