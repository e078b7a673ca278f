// The composing thread's side: claimed messages in, their bytes out, one reply per message in the
// order they came. See compose-threads.ts.
import { parentPort } from 'node:worker_threads';
import { type ComposeContext, composeMessage, type OutboxMessage } from './compose-mail.ts';

export interface ComposeRequest {
  job: number;
  ctx: ComposeContext;
  messages: OutboxMessage[];
}

export type ComposeReply = { job: number; id: string } & (
  | { mime: Uint8Array; to: string }
  | { pdf: Uint8Array }
  | { error: string }
);

/** The bytes in a buffer of their own, which the thread hands over rather than copies. */
function own(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes);
}

const port = parentPort;
if (port) {
  port.on('message', ({ job, ctx, messages }: ComposeRequest) => {
    for (const m of messages) {
      let reply: ComposeReply;
      try {
        const composed = composeMessage(m, ctx);
        reply =
          'pdf' in composed
            ? { job, id: m.id, pdf: own(composed.pdf) }
            : { job, id: m.id, mime: own(composed.mime), to: composed.to };
      } catch (error) {
        reply = { job, id: m.id, error: error instanceof Error ? error.message : String(error) };
      }
      const bytes = 'pdf' in reply ? reply.pdf : 'mime' in reply ? reply.mime : null;
      port.postMessage(reply, bytes ? [bytes.buffer as ArrayBuffer] : []);
    }
  });
  port.postMessage({ ready: true });
}
