import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMime, formatAddress } from './mime.ts';

const mail = {
  from: { name: 'Atelier Dupont', address: 'relances@dupont.fr' },
  to: { name: 'Paul Martin', address: 'compta@martin.fr' },
  replyTo: 'replies+3f9a0c1b2d4e5f60@ardent.example',
  subject: 'Relance : facture F-2026-001 échue depuis le 1er novembre, merci de régulariser',
  text: 'Bonjour Paul,\n\nLa facture F-1 reste due : 1\u202f200,00 €.\n.une ligne qui commence par un point\n',
  html: '<p>Bonjour Paul,</p>',
  messageId: '<0b7c4e1a@dupont.fr>',
  date: new Date('2026-11-12T08:00:00Z'),
  inReplyTo: '<earlier@dupont.fr>',
  references: ['<first@dupont.fr>', '<earlier@dupont.fr>'],
  attachments: [
    { filename: 'relevé de compte.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 x') },
  ],
};

describe('outgoing MIME', () => {
  it('reads back as the same message in a mail client', async () => {
    const parsed = await simpleParser(buildMime(mail));
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text?.replace(/\r\n/g, '\n')).toBe(mail.text);
    expect(parsed.html).toBe('<p>Bonjour Paul,</p>');
    expect(parsed.messageId).toBe('<0b7c4e1a@dupont.fr>');
    expect(parsed.inReplyTo).toBe('<earlier@dupont.fr>');
    expect(parsed.references).toEqual(['<first@dupont.fr>', '<earlier@dupont.fr>']);
    expect(parsed.replyTo?.value[0]?.address).toBe('replies+3f9a0c1b2d4e5f60@ardent.example');
    expect(parsed.from?.value[0]).toEqual({ name: 'Atelier Dupont', address: 'relances@dupont.fr' });
    expect(parsed.date?.toISOString()).toBe('2026-11-12T08:00:00.000Z');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['relevé de compte.pdf', 'application/pdf', '%PDF-1.4 x'],
    ]);
  });

  it('keeps every line within the 998 characters SMTP allows, and is the same bytes twice', () => {
    const long = { ...mail, text: 'x'.repeat(5000), html: `<p>${'y'.repeat(5000)}</p>` };
    const bytes = buildMime(long);
    for (const line of bytes.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(bytes.equals(buildMime(long))).toBe(true);
  });

  it('encodes names that are not plain ASCII and quotes those with specials', () => {
    expect(formatAddress({ name: 'Müller GmbH', address: 'a@b.de' })).toBe(
      '=?UTF-8?Q?M=C3=BCller?= GmbH <a@b.de>',
    );
    expect(formatAddress({ name: 'Dupont, Fils', address: 'a@b.fr' })).toBe('"Dupont, Fils" <a@b.fr>');
    expect(formatAddress({ name: null, address: 'a@exämple.de' })).toBe('a@xn--exmple-cua.de');
  });
});
