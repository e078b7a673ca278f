// A way of putting a letter in the post: a folder someone prints from (the default), or a postal
// service's API (Maileva, Pingen, Lob… one file each beside this one, behind this interface).
import type { PostalAddress } from '../../imports/records.ts';

export interface Letter {
  /** The letter's PDF, laid out for a window envelope. */
  pdf: Uint8Array;
  /** A stable name: `<day>_<customer ref>_<id8>`. */
  name: string;
  /**
   * The same letter handed over twice must be posted once: the message id, which postal APIs take as
   * an idempotency key (and a folder as a file name).
   */
  idempotencyKey: string;
  recipient: { name: string; address: PostalAddress };
  /** e.g. registered with acknowledgement of receipt, when the provider offers it. */
  registered?: boolean;
}

export interface LetterProvider {
  readonly kind: string;
  /** Where letters go, for people. */
  readonly destination: string;
  /** Hands the letter over; the provider's id for it (a file name, an API id). */
  post(letter: Letter): Promise<{ providerId: string }>;
}
