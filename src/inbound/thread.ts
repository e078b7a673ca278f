// Which organisation, customer, contact and invoices an inbound message is about. Pure: the shell
// (thread-load.ts) looks up the candidates each clue points to; this decides between them.
//
// Clues, strongest first:
//   1. the reply token in a recipient address (replies+<token>@…): we gave that address to one customer;
//   2. In-Reply-To, then References: the message of ours it answers;
//   3. the sender's address among a customer's contacts;
//   4. invoice numbers in the text: a number is ours, but anyone can quote it, so it comes last.
// The organisation comes from the first clue that names one (or from the caller, who may know it);
// candidates of other organisations are then ignored.

export type MatchedBy = 'token' | 'in_reply_to' | 'sender' | 'invoice_number' | 'none';

export interface TokenCandidate {
  orgId: string;
  /** Null for an organisation's own reply token: the organisation is known, not the customer. */
  customerId: string | null;
}

export interface RepliedCandidate {
  orgId: string;
  /** Our message (messages.id). */
  messageId: string;
  customerId: string;
  contactId: string | null;
  invoiceIds: string[];
  /** In-Reply-To names it (true), or only References does (false). */
  direct: boolean;
}

export interface SenderCandidate {
  orgId: string;
  customerId: string;
  contactId: string;
}

export interface InvoiceCandidate {
  orgId: string;
  customerId: string;
  invoiceId: string;
  number: string;
}

export interface ThreadCandidates {
  /** The organisation the message was received for, when the caller knows it (`--org`, its mailbox). */
  scopeOrgId: string | null;
  tokens: TokenCandidate[];
  /** Organisations whose own address (sender or reply address) the message was sent to. */
  orgsByAddress: string[];
  /** In-Reply-To first, then References from the newest. */
  replied: RepliedCandidate[];
  senders: SenderCandidate[];
  invoices: InvoiceCandidate[];
}

export interface Thread {
  orgId: string | null;
  customerId: string | null;
  contactId: string | null;
  repliedMessageId: string | null;
  matchedBy: MatchedBy;
  /** The invoices the message is about: those it names, else those of the message it answers. */
  invoiceIds: string[];
  reason: string;
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

function pickOrg(c: ThreadCandidates): { orgId: string | null; why: string } {
  if (c.scopeOrgId) return { orgId: c.scopeOrgId, why: '' };
  const byCustomerToken = c.tokens.find((t) => t.customerId);
  if (byCustomerToken) return { orgId: byCustomerToken.orgId, why: '' };
  if (c.replied[0]) return { orgId: c.replied[0].orgId, why: '' };
  const byOrgToken = c.tokens[0];
  if (byOrgToken) return { orgId: byOrgToken.orgId, why: '' };
  const byAddress = unique(c.orgsByAddress);
  if (byAddress.length === 1) return { orgId: byAddress[0]!, why: '' };
  const bySender = unique(c.senders.map((s) => s.orgId));
  if (bySender.length === 1) return { orgId: bySender[0]!, why: '' };
  if (bySender.length > 1) return { orgId: null, why: 'the sender is a contact in several organisations' };
  const byInvoice = unique(c.invoices.map((i) => i.orgId));
  if (byInvoice.length === 1) return { orgId: byInvoice[0]!, why: '' };
  return { orgId: null, why: 'no recipient address, reply or sender of ours' };
}

export function threadMessage(candidates: ThreadCandidates): Thread {
  const { orgId, why } = pickOrg(candidates);
  const none: Thread = {
    orgId,
    customerId: null,
    contactId: null,
    repliedMessageId: null,
    matchedBy: 'none',
    invoiceIds: [],
    reason: why,
  };
  if (!orgId) return none;
  const inOrg = <T extends { orgId: string }>(list: T[]) => list.filter((x) => x.orgId === orgId);
  const tokens = inOrg(candidates.tokens);
  const replied = inOrg(candidates.replied);
  const senders = inOrg(candidates.senders);
  const invoices = inOrg(candidates.invoices);

  let customerId: string | null = null;
  let matchedBy: MatchedBy = 'none';
  let reason = '';
  const token = tokens.find((t) => t.customerId);
  const answered = replied[0];
  const senderCustomers = unique(senders.map((s) => s.customerId));
  const invoiceCustomers = unique(invoices.map((i) => i.customerId));

  if (token?.customerId) {
    customerId = token.customerId;
    matchedBy = 'token';
    reason = 'the reply address carries the customer’s token';
  } else if (answered) {
    customerId = answered.customerId;
    matchedBy = 'in_reply_to';
    reason = `it answers a message we sent (${answered.direct ? 'In-Reply-To' : 'References'})`;
  } else if (senderCustomers.length === 1) {
    customerId = senderCustomers[0]!;
    matchedBy = 'sender';
    reason = 'the sender is one of the customer’s contacts';
  } else if (senderCustomers.length > 1) {
    // One address shared by several customers (a group's accounts department): the invoice
    // numbers it quotes say which.
    const both = senderCustomers.filter((id) => invoiceCustomers.includes(id));
    if (both.length === 1) {
      customerId = both[0]!;
      matchedBy = 'sender';
      reason = 'the sender is a contact of several customers; the invoice numbers it quotes are this one’s';
    } else {
      return {
        ...none,
        reason: 'the sender is a contact of several customers and no invoice number tells which',
      };
    }
  } else if (invoiceCustomers.length === 1) {
    customerId = invoiceCustomers[0]!;
    matchedBy = 'invoice_number';
    reason = `it quotes ${invoices.map((i) => i.number).join(', ')}`;
  } else if (invoiceCustomers.length > 1) {
    return { ...none, reason: 'it quotes invoices of several customers' };
  } else {
    return {
      ...none,
      reason: tokens.length
        ? 'sent to the organisation’s address, from an unknown sender, about no invoice of ours'
        : 'unknown sender, no reply to a message of ours, no invoice number of ours',
    };
  }

  const named = invoices.filter((i) => i.customerId === customerId).map((i) => i.invoiceId);
  const foreign = invoices.filter((i) => i.customerId !== customerId).map((i) => i.number);
  const ownAnswer = replied.find((r) => r.customerId === customerId);
  const invoiceIds = named.length ? unique(named) : (ownAnswer?.invoiceIds ?? []);
  const contactId =
    senders.find((s) => s.customerId === customerId)?.contactId ?? ownAnswer?.contactId ?? null;
  if (foreign.length)
    reason += `; ${foreign.join(', ')} belong${foreign.length > 1 ? '' : 's'} to another customer: ignored`;
  return {
    orgId,
    customerId,
    contactId,
    repliedMessageId: ownAnswer?.messageId ?? null,
    matchedBy,
    invoiceIds,
    reason,
  };
}
