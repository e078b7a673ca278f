import { describe, expect, it } from 'vitest';
import { type ThreadCandidates, threadMessage } from './thread.ts';
import { baseAddress, numberKey, subaddressToken } from './thread-load.ts';

const none: ThreadCandidates = {
  scopeOrgId: null,
  tokens: [],
  orgsByAddress: [],
  replied: [],
  senders: [],
  invoices: [],
};
const answered = {
  orgId: 'org-a',
  messageId: 'msg-1',
  customerId: 'cust-1',
  contactId: 'contact-1',
  invoiceIds: ['inv-1', 'inv-2'],
  direct: true,
};

describe('threading a message to its customer', () => {
  it('trusts the token of the reply address above everything else', () => {
    const thread = threadMessage({
      ...none,
      tokens: [{ orgId: 'org-a', customerId: 'cust-2' }],
      replied: [answered],
      senders: [{ orgId: 'org-a', customerId: 'cust-3', contactId: 'contact-3' }],
    });
    expect(thread).toMatchObject({
      orgId: 'org-a',
      customerId: 'cust-2',
      matchedBy: 'token',
      contactId: null,
    });
  });

  it('follows In-Reply-To to the message we sent, and takes its invoices and contact', () => {
    const thread = threadMessage({ ...none, replied: [answered] });
    expect(thread).toEqual({
      orgId: 'org-a',
      customerId: 'cust-1',
      contactId: 'contact-1',
      repliedMessageId: 'msg-1',
      matchedBy: 'in_reply_to',
      invoiceIds: ['inv-1', 'inv-2'],
      reason: 'it answers a message we sent (In-Reply-To)',
    });
  });

  it('recognises the sender among a customer’s contacts', () => {
    const thread = threadMessage({
      ...none,
      senders: [{ orgId: 'org-a', customerId: 'cust-1', contactId: 'contact-1' }],
    });
    expect(thread).toMatchObject({ customerId: 'cust-1', contactId: 'contact-1', matchedBy: 'sender' });
  });

  it('tells apart customers sharing one address by the invoice numbers quoted', () => {
    const thread = threadMessage({
      ...none,
      senders: [
        { orgId: 'org-a', customerId: 'cust-1', contactId: 'contact-1' },
        { orgId: 'org-a', customerId: 'cust-2', contactId: 'contact-2' },
      ],
      invoices: [{ orgId: 'org-a', customerId: 'cust-2', invoiceId: 'inv-9', number: 'F-9' }],
    });
    expect(thread).toMatchObject({ customerId: 'cust-2', contactId: 'contact-2', invoiceIds: ['inv-9'] });
  });

  it('falls back on the invoice numbers, and names the invoices quoted rather than those answered', () => {
    const thread = threadMessage({
      ...none,
      scopeOrgId: 'org-a',
      invoices: [{ orgId: 'org-a', customerId: 'cust-1', invoiceId: 'inv-2', number: 'F-2' }],
    });
    expect(thread).toMatchObject({
      customerId: 'cust-1',
      matchedBy: 'invoice_number',
      invoiceIds: ['inv-2'],
    });
  });

  it('ignores what points to another organisation than the one it was received for', () => {
    const thread = threadMessage({ ...none, scopeOrgId: 'org-b', replied: [answered] });
    expect(thread).toMatchObject({ orgId: 'org-b', customerId: null, matchedBy: 'none' });
  });

  it('ignores an invoice number of another customer, and says so', () => {
    const thread = threadMessage({
      ...none,
      replied: [answered],
      invoices: [{ orgId: 'org-a', customerId: 'cust-7', invoiceId: 'inv-7', number: 'F-7' }],
    });
    expect(thread.invoiceIds).toEqual(['inv-1', 'inv-2']);
    expect(thread.reason).toMatch(/F-7 belongs to another customer: ignored/);
  });

  it('finds the organisation by its address even when the customer stays unknown', () => {
    const thread = threadMessage({ ...none, orgsByAddress: ['org-a'] });
    expect(thread).toMatchObject({ orgId: 'org-a', customerId: null, matchedBy: 'none' });
  });

  it('matches nothing when the invoices quoted belong to several customers', () => {
    const thread = threadMessage({
      ...none,
      scopeOrgId: 'org-a',
      invoices: [
        { orgId: 'org-a', customerId: 'cust-1', invoiceId: 'inv-1', number: 'F-1' },
        { orgId: 'org-a', customerId: 'cust-2', invoiceId: 'inv-2', number: 'F-2' },
      ],
    });
    expect(thread).toMatchObject({ customerId: null, reason: 'it quotes invoices of several customers' });
  });
});

describe('reading addresses and numbers', () => {
  it('reads the token of a sub-address', () => {
    expect(subaddressToken('replies+3f9a2c41d0e6b7a8@atelier.fr')).toBe('3f9a2c41d0e6b7a8');
    expect(subaddressToken('relances@atelier.fr')).toBeNull();
    expect(baseAddress('Replies+3F9A@Atelier.fr')).toBe('replies@atelier.fr');
  });

  it('compares invoice numbers without separators or case', () => {
    expect(numberKey('f 2026-0412')).toBe(numberKey('F-2026-0412'));
  });
});
