// The composing thread's side: claimed messages in, their bytes out, in the order they came, eight
// to a reply. See compose-threads.ts.
import { parentPort } from 'node:worker_threads';
import { type ComposeContext, composeMessage, type OutboxMessage } from './compose-mail.ts';

export interface ComposeRequest {
  job: number;
  ctx: ComposeContext;
  messages: OutboxMessage[];
}

export type ComposedReply = { id: string } & (
  | { mime: Uint8Array; to: string }
  | { pdf: Uint8Array }
  | { error: string }
);

/** Composed messages by groups: each message between threads wakes the main thread once. */
export interface ComposeReply {
  job: number;
  replies: ComposedReply[];
}

const GROUP = 8;

/** The bytes in a buffer of their own, which the thread hands over rather than copies. */
function own(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes);
}

function composeOne(m: OutboxMessage, ctx: ComposeContext): ComposedReply {
  try {
    const composed = composeMessage(m, ctx);
    return 'pdf' in composed
      ? { id: m.id, pdf: own(composed.pdf) }
      : { id: m.id, mime: own(composed.mime), to: composed.to };
  } catch (error) {
    return { id: m.id, error: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (port) {
  port.on('message', ({ job, ctx, messages }: ComposeRequest) => {
    for (let at = 0; at < messages.length; at += GROUP) {
      const replies = messages.slice(at, at + GROUP).map((m) => composeOne(m, ctx));
      const bytes = replies.flatMap((r) => ('pdf' in r ? [r.pdf] : 'mime' in r ? [r.mime] : []));
      port.postMessage(
        { job, replies } satisfies ComposeReply,
        bytes.map((b) => b.buffer as ArrayBuffer),
      );
    }
  });
  port.postMessage({ ready: true });
}
