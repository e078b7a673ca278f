// The organisation's reply mailbox read over IMAP (imapflow): each unseen message is taken in, then
// flagged \Seen (or moved to a folder) only once stored. A crash between the two reads the message
// again next time, and its Message-ID makes that a no-op: nothing is lost, nothing acted on twice.
import { ImapFlow } from 'imapflow';

export interface ImapSettings {
  host: string;
  port: number;
  /** TLS from the start (imaps, port 993); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** Move taken messages there instead of flagging them \Seen. */
  moveTo?: string;
}

/**
 * `ARDENT_IMAP_URL`: `imaps://user:password@imap.example.com/INBOX` (port 993 by default; `imap://`
 * for 143 with STARTTLS). The user and password are URL-encoded (`%40` for an @ in a user name).
 */
export function imapSettingsFromUrl(url: string, moveTo?: string): ImapSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`ARDENT_IMAP_URL: expected imaps://user:password@host/MAILBOX, got "${url}"`);
  }
  if (parsed.protocol !== 'imap:' && parsed.protocol !== 'imaps:')
    throw new Error(`ARDENT_IMAP_URL: expected imap:// or imaps://, got "${parsed.protocol}"`);
  const secure = parsed.protocol === 'imaps:';
  const mailbox = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    mailbox,
    ...(moveTo ? { moveTo } : {}),
  };
}

export interface PollResult {
  /** Messages read from the mailbox. */
  read: number;
  /** Messages taken in and marked as such on the server. */
  taken: number;
  /** Messages the handler refused: left unseen, tried again at the next poll. */
  failed: { uid: number; error: string }[];
}

/** One pass over the mailbox: every unseen message to `onMessage`, then marked as taken. */
export async function pollImap(
  settings: ImapSettings,
  onMessage: (raw: Buffer) => Promise<unknown>,
  options: { tlsRejectUnauthorized?: boolean } = {},
): Promise<PollResult> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    disableAutoIdle: true,
    ...(options.tlsRejectUnauthorized === false ? { tls: { rejectUnauthorized: false } } : {}),
  });
  const result: PollResult = { read: 0, taken: 0, failed: [] };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(settings.mailbox);
    try {
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (message === false || !message.source) continue;
        result.read++;
        try {
          await onMessage(message.source);
        } catch (error) {
          result.failed.push({ uid, error: error instanceof Error ? error.message : String(error) });
          continue;
        }
        if (settings.moveTo) await client.messageMove(String(uid), settings.moveTo, { uid: true });
        else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        result.taken++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}
