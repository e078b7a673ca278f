import { randomFillSync } from 'node:crypto';

// Random bytes drawn from the system a few kilobytes at a time: one system call per 256 ids, not one
// per id (an import of a million invoices asks for a million).
const POOL = Buffer.alloc(16 * 256);
let used = POOL.length;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A time-ordered UUID (RFC 9562 version 7): 48 bits of milliseconds, then random bits. Rows inserted
 * in bulk get neighbouring keys, so the primary-key index grows at its end instead of everywhere.
 */
export function uuidv7(now = Date.now()): string {
  if (used === POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const bytes = POOL.subarray(used, used + 16);
  used += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i]!];
  }
  return out;
}
