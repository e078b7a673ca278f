// Looks up what each clue of an inbound message points to, for thread.ts to decide between them.
// Scoped to the organisation when the caller knows it; a listener shared by several organisations
// does not, so then the look-ups go across organisations (by reply token, by our Message-ID, by the
// sender's address) and the organisation is what they find.
import { sql } from 'kysely';
import type { Db } from '../store/store.ts';
import type {
  InvoiceCandidate,
  RepliedCandidate,
  SenderCandidate,
  ThreadCandidates,
  TokenCandidate,
} from './thread.ts';

export interface MessageClues {
  /** Every address it was sent to (To, Cc, Delivered-To, X-Original-To, the SMTP envelope), lower-case. */
  recipients: string[];
  inReplyTo: string | null;
  references: string[];
  from: string | null;
  /** Invoice numbers as the customer wrote them (the analyser's, not yet checked against ours). */
  invoiceNumbers: string[];
}

/**
 * The token of a sub-address (RFC 5233): `replies+3f9a2c…@acme.fr` → `3f9a2c…`. Customers' tokens
 * (mail/reply-to.ts) and organisations' alike: the look-up says whose it is.
 */
export function subaddressToken(address: string): string | null {
  const local = address.split('@')[0] ?? '';
  const plus = local.lastIndexOf('+');
  const token = plus >= 0 ? local.slice(plus + 1) : '';
  return /^[a-z0-9]{6,64}$/i.test(token) ? token.toLowerCase() : null;
}

/** The address without its sub-address: `replies+3f9a@acme.fr` → `replies@acme.fr`. */
export function baseAddress(address: string): string {
  return address.toLowerCase().replace(/\+[^@]*@/, '@');
}

/** Invoice numbers compared as ardent_number_key (migration 003) does: "F 2026-0412" is F20260412. */
export function numberKey(number: string): string {
  return number.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

const normaliseId = (id: string) => {
  const trimmed = id.trim();
  return trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
};

export async function loadThreadCandidates(
  db: Db,
  clues: MessageClues,
  scopeOrgId: string | null,
): Promise<ThreadCandidates> {
  const scope = scopeOrgId ? sql`and org_id = ${scopeOrgId}::uuid` : sql``;
  const tokens = [...new Set(clues.recipients.map(subaddressToken).filter((t): t is string => t !== null))];
  const bases = [...new Set(clues.recipients.map(baseAddress))];

  const tokenRows: TokenCandidate[] = [];
  if (tokens.length) {
    const customers = await sql<{ org_id: string; id: string }>`
      select org_id, id from customers where reply_token = any(${tokens}::text[]) ${scope}`.execute(db);
    tokenRows.push(...customers.rows.map((r) => ({ orgId: r.org_id, customerId: r.id })));
    const orgs = await sql<{ id: string }>`
      select id from organisations where reply_token = any(${tokens}::text[])
        ${scopeOrgId ? sql`and id = ${scopeOrgId}::uuid` : sql``}`.execute(db);
    tokenRows.push(...orgs.rows.map((r) => ({ orgId: r.id, customerId: null })));
  }

  const orgsByAddress = bases.length
    ? (
        await sql<{ id: string }>`
          select id from organisations where lower(sender_email) = any(${bases}::text[])
            ${scopeOrgId ? sql`and id = ${scopeOrgId}::uuid` : sql``}`.execute(db)
      ).rows.map((r) => r.id)
    : [];

  // In-Reply-To first, then References from the newest (the header lists the oldest first).
  const ids = [
    ...(clues.inReplyTo ? [normaliseId(clues.inReplyTo)] : []),
    ...clues.references.map(normaliseId).reverse(),
  ].filter((id, i, all) => all.indexOf(id) === i);
  const replied: RepliedCandidate[] = [];
  if (ids.length) {
    const rows = await sql<{
      org_id: string;
      id: string;
      customer_id: string;
      contact_id: string | null;
      message_id_header: string;
      invoice_ids: string[] | null;
    }>`
      select m.org_id, m.id, m.customer_id, m.contact_id, m.message_id_header,
             array(select mi.invoice_id from message_invoices mi where mi.org_id = m.org_id and mi.message_id = m.id) as invoice_ids
        from messages m
       where m.message_id_header = any(${ids}::text[]) ${scopeOrgId ? sql`and m.org_id = ${scopeOrgId}::uuid` : sql``}`.execute(
      db,
    );
    const inReplyTo = clues.inReplyTo ? normaliseId(clues.inReplyTo) : null;
    for (const id of ids) {
      const row = rows.rows.find((r) => r.message_id_header === id);
      if (!row) continue;
      replied.push({
        orgId: row.org_id,
        messageId: row.id,
        customerId: row.customer_id,
        contactId: row.contact_id,
        invoiceIds: row.invoice_ids ?? [],
        direct: id === inReplyTo,
      });
    }
  }

  const senders: SenderCandidate[] = clues.from
    ? (
        await sql<{ org_id: string; customer_id: string; id: string }>`
          select org_id, customer_id, id from contacts
           where lower(email) = ${clues.from.toLowerCase()} ${scope}
           order by valid desc, created_at`.execute(db)
      ).rows.map((r) => ({ orgId: r.org_id, customerId: r.customer_id, contactId: r.id }))
    : [];

  // Invoice numbers are looked up in the organisations the other clues found (or the caller's);
  // only when there is none do they search every organisation.
  const keys = [...new Set(clues.invoiceNumbers.map(numberKey).filter(Boolean))];
  const orgIds = scopeOrgId
    ? [scopeOrgId]
    : [
        ...new Set([
          ...tokenRows.map((t) => t.orgId),
          ...orgsByAddress,
          ...replied.map((r) => r.orgId),
          ...senders.map((s) => s.orgId),
        ]),
      ];
  let invoices: InvoiceCandidate[] = [];
  if (keys.length) {
    const rows = await sql<{ org_id: string; customer_id: string; id: string; number: string }>`
      select org_id, customer_id, id, number from invoices
       where type = 'invoice' and ardent_number_key(number) = any(${keys}::text[])
         ${orgIds.length ? sql`and org_id = any(${orgIds}::uuid[])` : sql``}
       order by number`.execute(db);
    invoices = rows.rows.map((r) => ({
      orgId: r.org_id,
      customerId: r.customer_id,
      invoiceId: r.id,
      number: r.number,
    }));
  }

  return { scopeOrgId, tokens: tokenRows, orgsByAddress, replied, senders, invoices };
}
