// RFC 3464 `message/delivery-status` (and RFC 6533 `message/global-delivery-status`) fields: one
// per-message group, then one group per recipient (§2.1). Real reports are sloppy about the blank
// lines between groups, so a new recipient group is recognised by its recipient field instead.

export interface DsnRecipientFields {
  /** `Final-Recipient` address (RFC 3464 §2.3.2), type prefix removed. */
  finalRecipient: string;
  /** `Original-Recipient` address (§2.3.1), type prefix removed. */
  originalRecipient: string;
  /** `Action` (§2.3.3): failed, delayed, delivered, relayed, expanded. */
  action: string;
  /** `Status` (§2.3.4), comment removed. */
  status: string;
  /** `Diagnostic-Code` type (§2.3.6), upper-cased: SMTP, X-POSTFIX, X-UNIX… */
  diagnosticType: string;
  /** `Diagnostic-Code` text after the type. */
  diagnosticCode: string;
  remoteMta: string;
}

export interface DeliveryStatus {
  reportingMta: string;
  recipients: DsnRecipientFields[];
}

const RECIPIENT_FIELDS = new Set([
  'final-recipient',
  'original-recipient',
  'action',
  'status',
  'diagnostic-code',
  'remote-mta',
  'x-actual-recipient',
]);

function emptyRecipient(): DsnRecipientFields {
  return {
    finalRecipient: '',
    originalRecipient: '',
    action: '',
    status: '',
    diagnosticType: '',
    diagnosticCode: '',
    remoteMta: '',
  };
}

/** `rfc822; <a@b>` → `a@b`. */
export function stripAddressType(value: string): string {
  const semicolon = value.indexOf(';');
  const address = semicolon >= 0 ? value.slice(semicolon + 1) : value;
  return address
    .trim()
    .replace(/^<+|>+$/g, '')
    .trim();
}

/** Parses the text of a delivery-status part; recipients with no recipient field are dropped. */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const result: DeliveryStatus = { reportingMta: '', recipients: [] };
  let current: DsnRecipientFields | null = null;
  let lastField = '';
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (const line of lines) {
    if (line.trim() === '') {
      lastField = '';
      continue;
    }
    if (/^[ \t]/.test(line)) {
      // RFC 5322 folding: only Diagnostic-Code is long enough to matter.
      if (current && lastField === 'diagnostic-code') current.diagnosticCode += ` ${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    lastField = field;
    if (field === 'reporting-mta') {
      result.reportingMta = stripAddressType(value);
      continue;
    }
    if (!RECIPIENT_FIELDS.has(field)) continue;
    const startsGroup =
      !current ||
      (field === 'final-recipient' && current.finalRecipient !== '') ||
      (field === 'original-recipient' && (current.originalRecipient !== '' || current.action !== ''));
    if (startsGroup) {
      current = emptyRecipient();
      result.recipients.push(current);
    }
    const r = current!;
    switch (field) {
      case 'final-recipient':
        r.finalRecipient = stripAddressType(value);
        break;
      case 'original-recipient':
        r.originalRecipient = stripAddressType(value);
        break;
      case 'x-actual-recipient':
        if (!r.finalRecipient) r.finalRecipient = stripAddressType(value);
        break;
      case 'action':
        r.action = value.toLowerCase().split(/[\s(;]/)[0] ?? '';
        break;
      case 'status':
        r.status = /[245]\.\d{1,3}\.\d{1,3}/.exec(value)?.[0] ?? value.split(/\s/)[0] ?? '';
        break;
      case 'remote-mta':
        r.remoteMta = stripAddressType(value);
        break;
      case 'diagnostic-code': {
        const semicolon = value.indexOf(';');
        if (semicolon >= 0 && /^[A-Za-z][\w-]*$/.test(value.slice(0, semicolon).trim())) {
          r.diagnosticType = value.slice(0, semicolon).trim().toUpperCase();
          r.diagnosticCode = value.slice(semicolon + 1).trim();
        } else {
          r.diagnosticCode = value;
        }
        break;
      }
    }
  }
  result.recipients = result.recipients.filter((r) => r.finalRecipient !== '' || r.originalRecipient !== '');
  return result;
}

/** Whether a text carries RFC 3464 recipient fields (a report flattened into a text part). */
export function containsDeliveryStatusFields(text: string): boolean {
  return /^Final-Recipient\s*:/im.test(text) && /^(Action|Status)\s*:/im.test(text);
}
