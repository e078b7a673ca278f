// A real SMTP server (smtp-server) in the test process that keeps every message it accepts, keyed
// by Message-ID, and can misbehave on purpose: refuse a recipient for good (5yz), defer the next
// ones (4yz), or be down for a while.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMessage {
  messageId: string;
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly messages: ReceivedMessage[];
  /** Times each Message-ID was received. */
  counts(): Map<string, number>;
  /** Refuse this recipient with a permanent reply, e.g. `550 5.1.1 user unknown`. */
  refuse(address: string, code: number, text: string): void;
  /** Answer the next `n` recipients with `code text` (a temporary refusal by default). */
  defer(n: number, code?: number, text?: string): void;
  /** Stop listening and drop every open connection: senders meet "connection refused". */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

class ReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

export function messageIdOf(raw: Buffer): string {
  const head = raw.toString('latin1').split(/\r?\n\r?\n/, 1)[0] ?? '';
  return /^message-id:\s*(<[^>]+>)/im.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '';
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const refused = new Map<string, { code: number; text: string }>();
  let deferrals: { left: number; code: number; text: string } = { left: 0, code: 451, text: '' };
  let server: SMTPServer | null = null;

  const listen = async (at: number): Promise<number> => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      banner: 'ardent test sink',
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        const refusal = refused.get(address.address.toLowerCase());
        if (refusal) return callback(new ReplyError(refusal.text, refusal.code));
        if (deferrals.left > 0) {
          deferrals.left--;
          return callback(new ReplyError(deferrals.text, deferrals.code));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        // Kept only when the final dot arrived: a stream cut short is destroyed, never ended.
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          messages.push({
            messageId: messageIdOf(raw),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          callback(null, `Ok: queued as Q${messages.length}`);
        });
        stream.on('error', () => {});
      },
    });
    s.on('error', () => {});
    await new Promise<void>((resolve) => s.listen(at, '127.0.0.1', resolve));
    server = s;
    return (s.server.address() as AddressInfo).port;
  };

  const bound = await listen(port);
  const stop = async () => {
    const s = server;
    server = null;
    if (!s) return;
    for (const c of (s as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections)
      c._socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    messages,
    counts() {
      const counts = new Map<string, number>();
      for (const m of messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return counts;
    },
    refuse(address, code, text) {
      refused.set(address.toLowerCase(), { code, text });
    },
    defer(n, code = 451, text = '4.3.2 Try again later') {
      deferrals = { left: n, code, text };
    },
    down: stop,
    async up() {
      if (!server) await listen(bound);
    },
    close: stop,
  };
}
