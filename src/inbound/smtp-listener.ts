// An SMTP server for the organisations' reply addresses: a mail relay (Postfix, a provider's inbound
// route) forwards customers' replies here, and each is taken in as `ardent inbound` would. Mail for
// any other address is refused at RCPT (550), so the listener is no open relay; a message is
// acknowledged (250) only once stored, so a relay that gets no answer keeps it and tries again.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { Store } from '../store/store.ts';
import { baseAddress, subaddressToken } from './thread-load.ts';

export interface InboundSmtpOptions {
  port: number;
  host?: string;
  store: Store;
  /** Takes one message in; a rejection makes the relay try again later (451). */
  onMessage(raw: Buffer, envelope: { from: string; to: string[] }): Promise<unknown>;
  /** Whether mail for this address is ours; default: a reply token, an organisation's address, or `replyAddresses`. */
  accept?: (address: string) => Promise<boolean>;
  /** The inbound addresses of the installation (ARDENT_REPLY_TO), with or without a token. */
  replyAddresses?: readonly string[];
  /** Bytes; bigger messages are refused (552). Default 25 MB. */
  maxBytes?: number;
  /** For the log: one line per event. */
  log?: (line: string) => void;
}

export interface InboundSmtpServer {
  readonly port: number;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/** Ours: an address with a customer's or an organisation's reply token, or an organisation's own address. */
export function ourAddress(store: Store, replyAddresses: readonly string[] = []) {
  const inbound = new Set(replyAddresses.map(baseAddress));
  return async (address: string): Promise<boolean> => {
    const base = baseAddress(address);
    if (inbound.has(base)) return true;
    const token = subaddressToken(address);
    if (token) {
      const byToken = await store.db
        .selectFrom('customers')
        .select('id')
        .where('reply_token', '=', token)
        .executeTakeFirst();
      if (byToken) return true;
      const org = await store.db
        .selectFrom('organisations')
        .select('id')
        .where('reply_token', '=', token)
        .executeTakeFirst();
      if (org) return true;
    }
    const bySender = await store.db
      .selectFrom('organisations')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['sender_email']), '=', base))
      .executeTakeFirst();
    return Boolean(bySender);
  };
}

export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtpServer> {
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  const accept = options.accept ?? ourAddress(options.store, options.replyAddresses);
  const log = options.log ?? (() => {});
  const server = new SMTPServer({
    authOptional: true,
    // Relays deliver in the clear on a private network, or terminate TLS in front of us.
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    banner: 'Ardent inbound',
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      accept(address.address).then(
        (ok) => callback(ok ? undefined : new SmtpReply('5.1.1 no such mailbox here', 550)),
        (error: unknown) => {
          log(`inbound smtp: cannot check ${address.address}: ${String(error)}`);
          callback(new SmtpReply('4.3.0 cannot check the recipient now, try again later', 451));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => {});
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(new SmtpReply(`5.3.4 message larger than ${maxBytes} bytes`, 552));
          return;
        }
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        options.onMessage(Buffer.concat(chunks), envelope).then(
          () => callback(null, 'stored'),
          (error: unknown) => {
            log(`inbound smtp: message from ${envelope.from} not stored: ${String(error)}`);
            callback(new SmtpReply('4.3.0 not stored, try again later', 451));
          },
        );
      });
    },
  });
  server.on('error', (error) => log(`inbound smtp: ${String(error)}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log(`inbound smtp: listening on ${options.host ?? '0.0.0.0'}:${port}`);
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
