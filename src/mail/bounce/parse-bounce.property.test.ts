// Inbound mail is hostile input: whatever arrives, parsing answers (a report or null) and never
// throws. Random text, random bytes, and real bounces cut short or damaged at random places.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BounceReport, isBounce, parseBounce } from './parse-bounce.ts';

function fixtures(): Buffer[] {
  const directory =
    process.env.ARDENT_BOUNCE_FIXTURES ??
    fileURLToPath(new URL('../../../../shared/fixtures/bounces/', import.meta.url));
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => readFileSync(`${directory}/${name}`));
}

function wellFormed(report: BounceReport | null): boolean {
  if (report === null) return true;
  return (
    report.recipients.length > 0 &&
    report.recipients.every(
      (r) =>
        typeof r.address === 'string' &&
        typeof r.status === 'string' &&
        typeof r.hard === 'boolean' &&
        typeof r.reason === 'string',
    )
  );
}

// Pieces that steer random input into the parser's deeper paths.
const fragments = fc.constantFrom(
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n',
  'From: MAILER-DAEMON@x.example\r\nSubject: Undelivered Mail Returned to Sender\r\n',
  '\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n',
  'Final-Recipient: rfc822; a@b.example\r\nAction: failed\r\nStatus: 5.1.1\r\n',
  'Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n',
  '<a@b.example>: host x said: 550 5.1.1 (in reply to RCPT TO command)\n',
  'Content-Transfer-Encoding: base64\r\n\r\n=?utf-8?B?w6k=?=',
  'Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9=\r\n=',
  '\r\n--b--\r\n',
  '{"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@b.example"}]}}',
  '\r\n\r\n',
);

describe('parseBounce on hostile input', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 4000 }), (text) => {
        expect(wellFormed(parseBounce(text))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        expect(typeof isBounce(Buffer.from(bytes))).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random assemblies of bounce fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fragments, fc.string({ maxLength: 80 })), { maxLength: 40 }),
        (pieces) => {
          expect(wellFormed(parseBounce(pieces.join('')))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  const corpus = fixtures();
  it.skipIf(corpus.length === 0)('never throws on real bounces cut short or damaged', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.uint8Array({ maxLength: 16 }),
        (index, cut, junk) => {
          const raw = corpus[index]!;
          const at = Math.floor(raw.length * cut);
          expect(wellFormed(parseBounce(raw.subarray(0, at)))).toBe(true);
          const damaged = Buffer.concat([raw.subarray(0, at), Buffer.from(junk), raw.subarray(at)]);
          expect(wellFormed(parseBounce(damaged))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
