import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message.ts';

describe('parsing an RFC 5322 message', () => {
  it('reads the envelope fields, lower-cased headers and the text/plain part', async () => {
    const eml = [
      'From: =?UTF-8?Q?Ren=C3=A9e_Dupr=C3=A9?= <Renee@Client.example>',
      'To: Relances <relances@ardent.example>, ap@ardent.example',
      'Subject: =?UTF-8?B?UmU6IFJlbGFuY2UgZmFjdHVyZSBGLTIwMjYtMDQxMiDigJMgcsOpZ2zDqWU=?=',
      'Date: Wed, 18 Nov 2026 08:17:00 +0100',
      'Message-ID: <abc@client.example>',
      'In-Reply-To: <reminder-1@ardent.example>',
      'References: <r0@ardent.example> <reminder-1@ardent.example>',
      'Auto-Submitted: no',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Le virement partira demain, d=E9sol=E9 pour le retard.',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>HTML version</p>',
      '--b--',
      '',
    ].join('\r\n');
    const message = await parseMessage(eml);
    expect(message).toMatchObject({
      messageId: '<abc@client.example>',
      inReplyTo: '<reminder-1@ardent.example>',
      references: ['<r0@ardent.example>', '<reminder-1@ardent.example>'],
      from: { name: 'Renée Dupré', address: 'renee@client.example' },
      to: [
        { name: 'Relances', address: 'relances@ardent.example' },
        { name: '', address: 'ap@ardent.example' },
      ],
      subject: 'Re: Relance facture F-2026-0412 – réglée',
      date: '2026-11-18T07:17:00.000Z',
      contentType: 'multipart/alternative',
    });
    expect(message.headers['auto-submitted']).toBe('no');
    expect(message.text.trim()).toBe('Le virement partira demain, désolé pour le retard.');
  });

  it('turns an HTML-only body into text, with the quote as ">" lines', async () => {
    const html =
      '<div>Paiement effectué hier.</div><blockquote type="cite">Mise en demeure : payez.</blockquote>';
    const eml = `From: a@b.example\r\nSubject: Re: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
    const message = await parseMessage(eml);
    expect(message.text).toContain('Paiement effectué hier.');
    expect(message.text).toMatch(/^> Mise en demeure/m);
  });

  it('decodes a Windows-1252 body', async () => {
    const head = Buffer.from(
      'From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n',
    );
    const eml = Buffer.concat([
      head,
      Buffer.from('Bonjour, pay\u00e9 le 3 ', 'latin1'),
      Buffer.from([0x96]),
      Buffer.from(' merci'),
    ]);
    expect((await parseMessage(eml)).text.trim()).toBe('Bonjour, payé le 3 – merci');
  });
});
