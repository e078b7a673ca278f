// Email through an SMTP server (ARDENT_SMTP_URL, smtp:// or smtps://), with nodemailer's SMTP client
// on a small pool of kept-open connections, optionally DKIM-signed (RFC 6376).
//
// The end of DATA is the commit point. RFC 5321 §4.1.1.4: a server takes responsibility for a
// message when it has received the final "<CRLF>.<CRLF>"; a connection lost before it means no
// message. So the message's bytes go first, then the outbox prepares the row that says "sent", then,
// in one synchronous stretch, the outbox's COMMIT is written and the final dot is written: a sender
// killed before that stretch leaves an unsent message marked "sending" (safe to send again), one
// killed after it leaves a sent message marked "sent". ARCHITECTURE.md states what remains.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Readable, type Transform } from 'node:stream';
import DKIM from 'nodemailer/lib/dkim';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ClaimLostError, classifySendError, SendError } from '../errors.ts';
import type { CommitPoint, Envelope, SendOptions, SendResult, Transport } from '../transport.ts';

export interface DkimSettings {
  domainName: string;
  keySelector: string;
  /** PEM text of the private key. */
  privateKey: string;
}

export interface SmtpOptions {
  /** `smtp://user:pass@host:587`, `smtps://…:465`; query parameters such as `?tls.rejectUnauthorized=false`. */
  url: string;
  /** Connections kept open (default 4). */
  pool?: number;
  dkim?: DkimSettings | null;
  /** The name we give in EHLO (default: the URL's `name` parameter, else the host name). */
  name?: string;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** DKIM settings from ARDENT_DKIM_DOMAIN, ARDENT_DKIM_SELECTOR and ARDENT_DKIM_PRIVATE_KEY (PEM or a file). */
export function dkimFromEnv(env: NodeJS.ProcessEnv): DkimSettings | null {
  const domainName = env.ARDENT_DKIM_DOMAIN?.trim();
  const keySelector = env.ARDENT_DKIM_SELECTOR?.trim();
  const key = env.ARDENT_DKIM_PRIVATE_KEY?.trim();
  if (!domainName && !keySelector && !key) return null;
  if (!domainName || !keySelector || !key)
    throw new Error(
      'DKIM needs ARDENT_DKIM_DOMAIN, ARDENT_DKIM_SELECTOR and ARDENT_DKIM_PRIVATE_KEY (a PEM key or the path of one)',
    );
  const privateKey = key.includes('-----BEGIN') ? key.replace(/\\n/g, '\n') : readFileSync(key, 'utf8');
  return { domainName, keySelector, privateKey };
}

/** The URL without its credentials, for people. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'smtp';
  }
}

type SocketOf = { _socket: Socket | false | null };

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/**
 * The message as DATA carries it (RFC 5321 §4.5.2): a dot that starts a line doubled, and every line
 * ended by CRLF (a bare CR or LF could make a receiver see an end of data where there is none: SMTP
 * smuggling). The same buffer when nothing changes, the usual case, found by native searches rather
 * than a loop over every byte (nodemailer's stream: about ten times the CPU for a reminder).
 */
export function smtpData(message: Buffer): Buffer {
  let clean = message[0] !== DOT;
  for (let i = message.indexOf(LF); clean && i >= 0; i = message.indexOf(LF, i + 1))
    clean = message[i - 1] === CR && message[i + 1] !== DOT;
  for (let i = message.indexOf(CR); clean && i >= 0; i = message.indexOf(CR, i + 1))
    clean = message[i + 1] === LF;
  if (clean) return message;
  const out: number[] = [];
  for (let i = 0; i < message.length; i++) {
    const byte = message[i]!;
    const prev = i > 0 ? message[i - 1] : LF;
    if (prev === CR && byte !== LF) out.push(LF);
    if (byte === LF && prev !== CR) out.push(CR);
    if (byte === DOT && (prev === LF || prev === CR)) out.push(DOT);
    out.push(byte);
  }
  if (message.at(-1) === CR) out.push(LF);
  return Buffer.from(out);
}

/**
 * The message as nodemailer reads it. nodemailer pipes its source into a stream of its own that
 * escapes dots and ends with the final dot; taking the pipe ourselves, we write the escaped message
 * (smtpData) straight to the socket, and the commit point decides when the end is written: ending
 * the stream would write it a few ticks later, after whatever else the process has to do.
 */
class MessageSource extends Readable {
  abandoned: unknown = null;
  committed = false;
  /** Ends the send with this error: nodemailer calls nothing back for a connection we close. */
  onAbandon: (error: unknown) => void = () => {};

  constructor(
    private readonly mime: Buffer,
    private readonly connection: SMTPConnection,
    private readonly commitPoint: CommitPoint | undefined,
  ) {
    super();
  }

  override _read(): void {}

  override pipe<T extends NodeJS.WritableStream>(destination: T): T {
    void this.transfer(destination as unknown as Transform);
    return destination;
  }

  private async transfer(data: Transform): Promise<void> {
    try {
      const socket = (this.connection as unknown as SocketOf)._socket;
      if (!socket || socket.destroyed) throw new Error('connection closed before the transfer');
      data.unpipe(socket);
      const body = smtpData(this.mime);
      socket.write(body);
      const end = body.at(-1) === LF ? '.\r\n' : '\r\n.\r\n';
      if (!this.commitPoint) {
        socket.write(end);
        this.committed = true;
        data.destroy();
        return;
      }
      await this.handedOver(socket);
      await this.commitPoint.prepare();
      // Every byte before it is with the kernel: the end of data goes straight to the socket, in
      // the same tick as the outbox's COMMIT, with nothing between the two writes.
      if (this.commitPoint.order === 'release-then-record') {
        socket.write(end);
        this.commitPoint.commit();
      } else {
        this.commitPoint.commit();
        socket.write(end);
      }
      this.committed = true;
      data.destroy();
    } catch (error) {
      // Nothing may be delivered: drop the connection before the final dot, the server discards
      // an unfinished message (RFC 5321 §4.1.1.4).
      this.abandoned = error;
      this.connection.close();
      this.onAbandon(error);
    }
  }

  /** Until every byte before the final dot is with the kernel, so that a crash cannot lose it. */
  private async handedOver(socket: Socket): Promise<void> {
    while (socket.writableLength > 0) {
      await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
      if (socket.destroyed) throw new Error('connection closed during the transfer');
    }
  }
}

interface Pooled {
  connection: SMTPConnection;
  broken: boolean;
}

export function smtpTransport(options: SmtpOptions): Transport {
  const parsed = parseConnectionUrl(options.url);
  if (!parsed.host) throw new Error(`ARDENT_SMTP_URL: no host in "${redactSmtpUrl(options.url)}"`);
  const size = Math.max(1, options.pool ?? 4);
  const signer = options.dkim ? new DKIM(options.dkim) : null;
  const idle: Pooled[] = [];
  const waiting: ((p: Pooled | null) => void)[] = [];
  let open = 0;
  let closed = false;

  const connect = async (): Promise<Pooled> => {
    const connection = new SMTPConnection({
      host: parsed.host,
      port: Number(parsed.port ?? (parsed.secure ? 465 : 587)),
      secure: Boolean(parsed.secure),
      ...(parsed.tls ? { tls: parsed.tls } : {}),
      ...((options.name ?? parsed.name) ? { name: String(options.name ?? parsed.name) } : {}),
      connectionTimeout: options.connectionTimeoutMs ?? 30_000,
      greetingTimeout: options.connectionTimeoutMs ?? 30_000,
      socketTimeout: options.socketTimeoutMs ?? 120_000,
      logger: false,
    });
    const pooled: Pooled = { connection, broken: false };
    // An 'error' event without a listener would end the process; a broken connection is just dropped.
    connection.on('error', () => {
      pooled.broken = true;
    });
    connection.on('end', () => {
      pooled.broken = true;
      const i = idle.indexOf(pooled);
      if (i >= 0) {
        idle.splice(i, 1);
        open--;
      }
    });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect((error) => (error ? reject(error) : resolve()));
    });
    if (parsed.auth?.user) {
      await new Promise<void>((resolve, reject) =>
        connection.login({ user: parsed.auth!.user, pass: parsed.auth!.pass ?? '' }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
    return pooled;
  };

  const acquire = async (): Promise<Pooled> => {
    for (;;) {
      const ready = idle.pop();
      if (ready) {
        if (!ready.broken) return ready;
        open--;
        continue;
      }
      if (open < size) {
        open++;
        try {
          return await connect();
        } catch (error) {
          open--;
          waiting.shift()?.(null);
          throw error;
        }
      }
      const handed = await new Promise<Pooled | null>((resolve) => waiting.push(resolve));
      if (handed) return handed;
    }
  };

  const release = (pooled: Pooled, healthy: boolean) => {
    if (!healthy || pooled.broken || closed) {
      pooled.broken = true;
      pooled.connection.close();
      open--;
      waiting.shift()?.(null);
      return;
    }
    const next = waiting.shift();
    if (next) next(pooled);
    else idle.push(pooled);
  };

  const sign = async (mime: Buffer): Promise<Buffer> => {
    if (!signer) return mime;
    const chunks: Buffer[] = [];
    for await (const chunk of signer.sign(mime)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  return {
    kind: 'smtp',
    destination: redactSmtpUrl(options.url),
    concurrency: size,

    async send(mime: Buffer, envelope: Envelope, send: SendOptions): Promise<SendResult> {
      const bytes = await sign(mime);
      let pooled: Pooled;
      try {
        pooled = await acquire();
      } catch (error) {
        throw new SendError(classifySendError(error));
      }
      const source = new MessageSource(bytes, pooled.connection, send.commitPoint);
      let healthy = false;
      try {
        const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) => {
          source.onAbandon = reject;
          pooled.connection.send(
            { from: envelope.from, to: envelope.to, size: bytes.length },
            source,
            (error, result) => (error ? reject(error) : resolve(result)),
          );
        });
        healthy = true;
        const response = String(info.response ?? '');
        const queued = /queued as ([\w.@<>-]+)/i.exec(response)?.[1];
        return { providerId: info.serverMessageId ?? queued ?? send.messageId, response };
      } catch (error) {
        if (source.abandoned instanceof ClaimLostError) throw source.abandoned;
        if (source.abandoned) throw new SendError(classifySendError(source.abandoned));
        throw new SendError(classifySendError(error), source.committed);
      } finally {
        release(pooled, healthy);
      }
    },

    async close() {
      closed = true;
      for (const p of idle.splice(0)) p.connection.quit();
      open = 0;
      for (const w of waiting.splice(0)) w(null);
    },
  };
}
