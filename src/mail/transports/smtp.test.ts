import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../../test/support/smtp-sink.ts';
import { SendError } from '../errors.ts';
import { buildMime } from '../mime.ts';
import { smtpData, smtpTransport } from './smtp.ts';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

const mime = (id: string, to = 'compta@martin.fr') =>
  buildMime({
    from: { name: 'Atelier', address: 'relances@atelier.fr' },
    to: { name: null, address: to },
    subject: 'Relance',
    text: 'Bonjour,\n.\nUne ligne avec un point seul ci-dessus.',
    html: '<p>Bonjour</p>',
    messageId: id,
    date: new Date('2026-11-12T08:00:00Z'),
  });
const envelope = (to = 'compta@martin.fr') => ({ from: 'relances@atelier.fr', to: [to] });

describe('the SMTP transport', () => {
  it('delivers through a kept-open connection and returns the server’s queue id', async () => {
    const smtp = smtpTransport({ url: sink.url, pool: 2 });
    const a = await smtp.send(mime('<a@atelier.fr>'), envelope(), { messageId: '<a@atelier.fr>', name: 'a' });
    const b = await smtp.send(mime('<b@atelier.fr>'), envelope(), { messageId: '<b@atelier.fr>', name: 'b' });
    await smtp.close();
    expect(a.providerId).toMatch(/^Q\d+$/);
    expect(b.response).toMatch(/^250 /);
    const got = sink.messages.find((m) => m.messageId === '<a@atelier.fr>')!;
    expect(got.to).toEqual(['compta@martin.fr']);
    // The line holding a lone dot was escaped on the wire (RFC 5321 §4.5.2) and arrives as it was.
    expect(got.raw.toString()).toContain('\r\n.\r\nUne ligne');
  });

  it('records at the commit point, just before the final dot, and sends nothing when the claim is lost', async () => {
    const smtp = smtpTransport({ url: sink.url });
    const steps: string[] = [];
    await smtp.send(mime('<c@atelier.fr>'), envelope(), {
      messageId: '<c@atelier.fr>',
      name: 'c',
      commitPoint: {
        order: 'record-then-release' as const,
        prepare: async () => {
          steps.push(`prepare: ${sink.counts().get('<c@atelier.fr>') ?? 0} received`);
        },
        commit: () => steps.push('commit'),
      },
    });
    expect(steps).toEqual(['prepare: 0 received', 'commit']);
    expect(sink.counts().get('<c@atelier.fr>')).toBe(1);
    const lost = smtp.send(mime('<d@atelier.fr>'), envelope(), {
      messageId: '<d@atelier.fr>',
      name: 'd',
      commitPoint: {
        order: 'record-then-release' as const,
        prepare: async () => {
          throw new Error('claim lost');
        },
        commit: () => steps.push('never'),
      },
    });
    await expect(lost).rejects.toThrow(SendError);
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.counts().get('<d@atelier.fr>')).toBeUndefined();
    await smtp.close();
  });

  it('classifies a refused recipient as permanent and a deferral as temporary', async () => {
    const smtp = smtpTransport({ url: sink.url });
    sink.refuse(
      'nobody@martin.fr',
      550,
      '5.1.1 <nobody@martin.fr>: Recipient address rejected: User unknown',
    );
    const refused = await smtp
      .send(mime('<e@atelier.fr>', 'nobody@martin.fr'), envelope('nobody@martin.fr'), {
        messageId: '<e@atelier.fr>',
        name: 'e',
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SendError);
    expect((refused as SendError).failure).toMatchObject({
      kind: 'recipient',
      retryable: false,
      replyCode: 550,
      status: '5.1.1',
      stage: 'RCPT',
    });
    sink.defer(1);
    const deferred = await smtp
      .send(mime('<f@atelier.fr>'), envelope(), { messageId: '<f@atelier.fr>', name: 'f' })
      .catch((e: unknown) => e);
    expect((deferred as SendError).failure).toMatchObject({
      kind: 'temporary',
      retryable: true,
      replyCode: 451,
    });
    await smtp.close();
  });

  it('classifies a server that is down as a network failure to retry', async () => {
    const smtp = smtpTransport({ url: 'smtp://127.0.0.1:1', connectionTimeoutMs: 2000 });
    const down = await smtp
      .send(mime('<g@atelier.fr>'), envelope(), { messageId: '<g@atelier.fr>', name: 'g' })
      .catch((e: unknown) => e);
    expect((down as SendError).failure).toMatchObject({ kind: 'network', retryable: true });
    await smtp.close();
  });

  it('signs with DKIM when a key is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smtp = smtpTransport({
      url: sink.url,
      dkim: {
        domainName: 'atelier.fr',
        keySelector: 'ardent',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await smtp.send(mime('<h@atelier.fr>'), envelope(), { messageId: '<h@atelier.fr>', name: 'h' });
    await smtp.close();
    const raw = sink.messages.find((m) => m.messageId === '<h@atelier.fr>')!.raw.toString();
    expect(raw).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=atelier\.fr;[\s\S]*s=ardent;/m,
    );
  });
});

describe('the message as DATA carries it', () => {
  const data = (s: string) => smtpData(Buffer.from(s, 'latin1')).toString('latin1');

  it('leaves a message of CRLF lines that start with no dot as it is, the very buffer', () => {
    const message = Buffer.from('Subject: x\r\n\r\nBonjour. A bientot.\r\nFin\r\n');
    expect(smtpData(message)).toBe(message);
  });

  it('doubles a dot that starts a line, the first line too (RFC 5321 §4.5.2)', () => {
    expect(data('.a\r\nb\r\n.\r\n..c\r\n')).toBe('..a\r\nb\r\n..\r\n...c\r\n');
  });

  it('ends every line with CRLF, so that no bare CR or LF can pass for an end of data', () => {
    expect(data('a\nb\rc\r\n')).toBe('a\r\nb\r\nc\r\n');
    expect(data('a\r.\r\n')).toBe('a\r\n..\r\n');
    expect(data('a\n.\nb\r')).toBe('a\r\n..\r\nb\r\n');
  });
});
