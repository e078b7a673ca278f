// What the sender needs from a way of delivering an email: send these bytes to these addresses,
// and say where the message went. Providers live in ./transports/, one file each.

export interface Envelope {
  /** The return path (RFC 5321 MAIL FROM): where bounces go. */
  from: string;
  /** The recipients (RCPT TO). */
  to: string[];
}

export interface SendResult {
  /** The provider's id for the message: the relay's queue id, a file name, an API id. */
  providerId: string;
  /** The server's final reply, when there is one. */
  response?: string;
}

/**
 * Where the outbox records the message as sent, for transports that can make that moment coincide
 * with the message's own commit point (the final "." of SMTP DATA, RFC 5321 §4.1.1.4). The record
 * and the final step are two writes to two peers (the database, the mail server): nothing can make
 * them one, so `order` says which comes first, that is which failure a crash between the two can
 * cause (see ARCHITECTURE.md).
 */
export interface CommitPoint {
  /**
   * `release-then-record` (at least once): the final step, then the record. A crash between them
   * leaves a delivered message unrecorded, sent again later with the same Message-ID.
   * `record-then-release` (at most once): the record, then the final step. A crash between them
   * leaves a message recorded as sent that the server never completed.
   */
  readonly order: 'release-then-record' | 'record-then-release';
  /**
   * Called once everything but the final step is with the server. Resolves when the outbox holds the
   * row and is ready to record it; rejects when the message must not leave (the claim was lost):
   * the transport then abandons the transfer and nothing is delivered.
   */
  prepare(): Promise<void>;
  /**
   * Records the message as sent. Called synchronously next to the final step, in the same tick,
   * with nothing between the two writes.
   */
  commit(): void;
}

export interface SendOptions {
  /** Our Message-ID, `<…@…>`, already in the bytes. */
  messageId: string;
  /** A stable name for the message (files, logs): `<day>_<customer ref>_<id8>`. */
  name: string;
  /** Absent: the transport sends and the caller records afterwards. */
  commitPoint?: CommitPoint;
}

export interface Transport {
  /** `smtp`, `directory`… */
  readonly kind: string;
  /** Where messages go, for people: `smtp://relay.example:587`, `/home/ardent/outbox`. */
  readonly destination: string;
  /** How many messages it can carry at once (connections in its pool). */
  readonly concurrency: number;
  /**
   * Sends one RFC 5322 message. Throws `SendError` (see errors.ts) when it did not go; a thrown
   * error after `commitPoint.commit()` carries `committed: true`.
   */
  send(mime: Buffer, envelope: Envelope, options: SendOptions): Promise<SendResult>;
  close(): Promise<void>;
}
