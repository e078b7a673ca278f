// Recipients and their diagnostics from the human-readable text of a bounce, for the many mail
// systems that send no RFC 3464 report (qmail, Exim, OpenSMTPD, DragonFly, Exchange 2003, webmail
// providers…) or whose report lacks the diagnostic. Bounces name the failed address in a handful of
// shapes: an address at the start of a line, alone or followed by `:` and the error (qmail, Postfix,
// Exim, OpenSMTPD, Exchange 2003 "addr on <date>"), or inside a sentence ("There was an error
// delivering your mail to <addr>", "Could not be delivered to: <addr>", "RCPT TO: addr"). The lines
// that follow, up to the next address or paragraph break, are that recipient's diagnostic.

export interface TextRecipient {
  address: string;
  diagnostic: string;
}

const LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const DOMAIN = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
const ADDRESS = `${LOCAL}@${DOMAIN}`;

export const ADDRESS_PATTERN = new RegExp(`^${ADDRESS}$`);

// An address opening the line: `<a@b>:`, `"a@b":`, `a@b`, `a@b: 550 …`, `a@b on <date>`,
// `<a@b> (expanded from <c@d>): …`.
const LINE_ANCHOR = new RegExp(
  `^(\\s*)(?:[-*•]\\s*)?[<"']?(${ADDRESS})[>"']?\\.?(?:\\s*\\(expanded from[^)]*\\))?(?:\\s*:(.*)|\\s+on\\s+\\w.*|\\s*(\\(.*\\))\\s*|\\s*)$`,
);

// Sentences that carry the failed address.
const PHRASE_ANCHORS: readonly RegExp[] = [
  new RegExp(
    `(?:delivering your (?:mail|message) to|could not be delivered to:?|couldn't be delivered to|wasn't delivered to|was not delivered to|could not deliver (?:mail|the message|your message) to|delivery to the following recipient(?:s)? failed[^:]*:?|failed to deliver to|undeliverable to|(?:your|the following|the) message to|rejected recipient|recipient address:|addressed to:|rcpt to:|not a member of this mailing list|duplicated message-id in|returned permanent errors:|no such (?:user|recipient|mailbox):?|delivery failed for|unable to deliver (?:mail|message) to|nicht zugestellt werden an|n'a pas pu être remis à|no se pudo entregar a|non è stato possibile recapitare a|kon niet worden bezorgd bij)\\s*(?:the following (?:address|recipient)\\s*:?\\s*)?[<"'(]?(${ADDRESS})`,
    'i',
  ),
];

/** Lines where the returned original message starts; nothing after them describes the failure. */
const RETURNED_MESSAGE_MARKERS = new RegExp(
  [
    '^-+\\s*This is a copy of (?:the|your) message',
    '^-+\\s*Below this line is a copy of the message',
    '^-+\\s*Enclosed is a copy of the message',
    '^-+\\s*Original (?:message|mail) (?:as )?follows',
    '^\\s*Original (?:message|mail) (?:as )?follows',
    '^\\s*Message headers follow',
    '^\\s*Below is a copy of the original message',
    '^-+\\s*The header of the original message is following',
    '^\\s*Included is a copy of the message header',
    '^-+\\s*Original message\\s*-+',
    '^-+\\s*(?:The )?(?:original|returned|undelivered) (?:message|mail)(?: headers?)?(?: follows| below| is attached)?\\s*-*\\s*$',
    '^-+\\s*Message non-deliverable',
  ].join('|'),
  'im',
);

export function cutAtReturnedMessage(text: string): string {
  const m = RETURNED_MESSAGE_MARKERS.exec(text);
  return m ? text.slice(0, m.index) : text;
}

interface Anchor {
  line: number;
  indent: number;
  address: string;
  rest: string;
}

const MAX_BLOCK_LINES = 24;

/** Recipients in order of appearance; a recipient named twice keeps both diagnostics. */
export function extractTextRecipients(notice: string): TextRecipient[] {
  const lines = notice.split('\n');
  const anchors: Anchor[] = [];
  let open: Anchor | null = null;
  let blankSinceOpen = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 2000) continue;
    if (line.trim() === '') {
      blankSinceOpen = true;
      continue;
    }
    const anchor = anchorAt(line, i);
    if (!anchor) continue;
    if (isSenderMention(lines, i)) continue;
    // A wrapped diagnostic may start a line with an address: it belongs to the block above when it
    // is indented deeper, or names the same address, and no paragraph break came between.
    if (
      open &&
      !blankSinceOpen &&
      i - open.line < MAX_BLOCK_LINES &&
      (anchor.indent > open.indent || open.address.toLowerCase() === anchor.address.toLowerCase())
    ) {
      continue;
    }
    anchors.push(anchor);
    open = anchor;
    blankSinceOpen = false;
  }

  const byAddress = new Map<string, TextRecipient>();
  for (let k = 0; k < anchors.length; k++) {
    const anchor = anchors[k]!;
    const end = Math.min(anchors[k + 1]?.line ?? lines.length, anchor.line + 1 + MAX_BLOCK_LINES);
    const block: string[] = [anchor.rest];
    let started = anchor.rest.trim() !== '';
    for (let i = anchor.line + 1; i < end; i++) {
      const line = lines[i]!;
      if (line.trim() === '') {
        // The error may come a paragraph below the address (DragonFly, Gmail's "Technical details
        // of permanent failure:", Domino's "because:"): read on when the block announces more or the
        // next paragraph opens with an error.
        if (started && !block[block.length - 1]!.endsWith(':') && !opensWithError(lines, i + 1, end)) break;
        continue;
      }
      if (/^[\s*=_-]{6,}$/.test(line)) break;
      started = true;
      block.push(line.trim());
    }
    // Lotus Notes states the reason on the line above the address.
    if (!started) {
      const above = lines[anchor.line - 1]?.trim() ?? '';
      if (
        above !== '' &&
        !above.endsWith(':') &&
        !anchorAt(above, anchor.line - 1) &&
        !/^[\s*=_-]+$|-{4,}/.test(above)
      ) {
        block.push(above);
      }
    }
    const key = anchor.address.toLowerCase();
    const diagnostic = block.join(' ').replace(/\s+/g, ' ').trim();
    const existing = byAddress.get(key);
    if (existing) {
      if (diagnostic && !existing.diagnostic.includes(diagnostic)) {
        existing.diagnostic = `${existing.diagnostic} ${diagnostic}`.trim();
      }
    } else {
      byAddress.set(key, { address: anchor.address, diagnostic });
    }
  }
  return [...byAddress.values()];
}

function opensWithError(lines: readonly string[], from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    return (
      /^(?:[45]\d\d\b|#?[45]\.\d{1,3}\.\d{1,3}\b|remote (?:host|server) (?:said|returned)|reason\b|diagnostic)/i.test(
        line,
      ) ||
      (line.endsWith(':') && !LINE_ANCHOR.test(line))
    );
  }
  return false;
}

function anchorAt(line: string, index: number): Anchor | null {
  const m = LINE_ANCHOR.exec(line);
  if (m) {
    return { line: index, indent: m[1]!.length, address: m[2]!, rest: (m[3] ?? m[4] ?? '').trim() };
  }
  for (const pattern of PHRASE_ANCHORS) {
    const p = pattern.exec(line);
    if (p) {
      // The sentence itself may be the diagnostic ("No such user: a@b", ">>> RCPT To:<a@b>").
      return { line: index, indent: /^\s*/.exec(line)![0].length, address: p[1]!, rest: line.trim() };
    }
  }
  return null;
}

/** "A message sent by\n  <sender@x>\ncould not be delivered" names the sender, not a recipient. */
function isSenderMention(lines: readonly string[], index: number): boolean {
  for (let i = index - 1; i >= 0 && i >= index - 2; i--) {
    const previous = lines[i]!.trim();
    if (previous === '') continue;
    // …and "send mail with … to the address\n  list-ctl@x" an address to write to.
    return /\b(?:sent by|from|sender|envelope-from|return-path|to the address|send (?:mail|a message) to|contact|write to)\s*:?$/i.test(
      previous,
    );
  }
  return false;
}

/** `To:`/`Cc:` addresses of a header block (the returned message, as a last resort). */
export function addressesInHeaderLines(text: string, fields: readonly string[] = ['to']): string[] {
  const found: string[] = [];
  const re = new RegExp(`^(?:${fields.join('|')})\\s*:(.*(?:\\n[ \\t].*)*)`, 'gim');
  for (const m of text.matchAll(re)) {
    for (const a of m[1]!.matchAll(new RegExp(ADDRESS, 'g'))) found.push(a[0]);
  }
  return found;
}

export function findAddresses(text: string): string[] {
  return [...text.matchAll(new RegExp(ADDRESS, 'g'))].map((m) => m[0]);
}
