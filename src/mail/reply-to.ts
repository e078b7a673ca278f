// The Reply-To that lets a reply find its customer: the organisation's inbound address with the
// customer's token as a subaddress (RFC 5233), `replies+3f9a0c1b2d4e5f60@ardent.example`. The
// token survives a reply from another mailbox, a forward, or a client that drops In-Reply-To.

const TOKEN = /^[0-9a-f]{16}$/;

/** `replies+<token>@domain` from the inbound address (ARDENT_REPLY_TO) and a customer's reply token. */
export function replyAddress(inbound: string, token: string): string {
  const at = inbound.lastIndexOf('@');
  if (at <= 0)
    throw new Error(`ARDENT_REPLY_TO: expected an address such as replies@example.com, got "${inbound}"`);
  const local = inbound.slice(0, at).split('+')[0];
  return `${local}+${token}@${inbound.slice(at + 1)}`;
}

/**
 * The customer token of an address we gave as Reply-To, or null. With `inbound`, only an address on
 * that mailbox counts.
 */
export function replyToken(address: string, inbound?: string): string | null {
  const clean = address.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = clean.lastIndexOf('@');
  if (at <= 0) return null;
  const [local, token] = clean.slice(0, at).split('+', 2);
  if (!token || !TOKEN.test(token)) return null;
  if (inbound) {
    const i = inbound.toLowerCase();
    const iat = i.lastIndexOf('@');
    if (i.slice(iat + 1) !== clean.slice(at + 1) || i.slice(0, iat).split('+')[0] !== local) return null;
  }
  return token;
}
