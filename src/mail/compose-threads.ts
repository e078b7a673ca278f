// Composing on other cores. The sender's main thread keeps its SMTP connections and its database
// round trips moving; the text, HTML, statement PDF and MIME of each message (0.1 to 0.2 ms of CPU
// a reminder) are made by worker threads, a batch ahead of the sending.
//
// One pool per process (ARDENT_COMPOSE_THREADS, by default one thread per core beyond the first),
// started by the first batch large enough to be worth a thread's start (about a second of CPU to
// load the code). Until a thread is ready, and for good once one was lost, the sender composes on its
// own thread. A command stops the pool when it ends (stopComposeThreads).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ComposeContext, Composed, OutboxMessage } from './compose-mail.ts';
import type { ComposeReply, ComposeRequest } from './compose-thread.ts';

/** Batches smaller than this start no thread: they are composed on the main thread. */
const WORTH_A_THREAD = 32;

interface Thread {
  worker: Worker;
  ready: boolean;
  /** `job:message id` of the replies still to come. */
  pending: Set<string>;
}

type Waiting = { resolve(composed: Composed | null): void; reject(error: Error): void };

export class ComposeThreads {
  private readonly threads: Thread[] = [];
  private readonly waiting = new Map<string, Waiting>();
  private job = 0;
  private lost = false;
  /** Messages composed on the threads so far. */
  composed = 0;

  constructor(readonly size: number) {}

  /**
   * Starts composing `messages`: one promise per message id, which rejects when the message cannot
   * be composed and resolves to null when its thread was lost (the caller composes it then). Null
   * when no thread is ready: the caller composes them all.
   */
  compose(
    messages: readonly OutboxMessage[],
    ctx: ComposeContext,
  ): Map<string, Promise<Composed | null>> | null {
    if (messages.length === 0 || this.lost) return null;
    if (this.threads.length === 0) {
      if (messages.length < WORTH_A_THREAD) return null;
      for (let i = 0; i < this.size; i++) this.start();
    }
    const ready = this.threads.filter((t) => t.ready);
    if (ready.length === 0) return null;
    const job = ++this.job;
    const composed = new Map<string, Promise<Composed | null>>();
    for (const m of messages) {
      const ahead = new Promise<Composed | null>((resolve, reject) =>
        this.waiting.set(`${job}:${m.id}`, { resolve, reject }),
      );
      // A refusal is the caller's to read when its turn comes, not an unhandled rejection before.
      ahead.catch(() => {});
      composed.set(m.id, ahead);
    }
    // Interleaved, so that the lanes, which take the messages in order, find them ready in order.
    ready.forEach((thread, i) => {
      const part = messages.filter((_, k) => k % ready.length === i);
      if (part.length > 0) this.post(thread, { job, ctx, messages: part });
    });
    return composed;
  }

  /** Starts the threads now, whatever the size of the first batch; resolves when they are ready. */
  async warm(): Promise<void> {
    if (this.lost) throw new Error('the composing threads were stopped');
    if (this.threads.length === 0) for (let i = 0; i < this.size; i++) this.start();
    await Promise.all(
      this.threads.map(
        (t) =>
          t.ready ||
          new Promise<void>((resolve, reject) => {
            t.worker.ref();
            t.worker.on('message', (reply: object) => {
              if (!('ready' in reply)) return;
              if (t.pending.size === 0) t.worker.unref();
              resolve();
            });
            t.worker.on('exit', () => reject(new Error('a composing thread stopped while starting')));
          }),
      ),
    );
  }

  /** Stops the threads; what they still had to compose is composed by the callers. */
  async close(): Promise<void> {
    this.lost = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(): void {
    const worker = new Worker(new URL('./compose-thread-start.mjs', import.meta.url));
    const thread: Thread = { worker, ready: false, pending: new Set() };
    // An idle thread does not keep the process alive; one with work does (see post). Node 20 counts
    // a thread again once it is online, whatever unref() said before: it is unref'd again when it
    // says it is ready (else a process whose send ended before its thread had any work never exited).
    worker.unref();
    worker.on('message', (reply: ComposeReply | { ready: true }) => this.reply(thread, reply));
    worker.on('error', () => this.lose(thread));
    worker.on('exit', () => this.lose(thread));
    this.threads.push(thread);
  }

  private post(thread: Thread, request: ComposeRequest): void {
    const keys = request.messages.map((m) => `${request.job}:${m.id}`);
    try {
      thread.worker.postMessage(request);
    } catch {
      // Something in the batch cannot cross to a thread: its messages are composed here.
      for (const key of keys) this.settle(key)?.resolve(null);
      return;
    }
    for (const key of keys) thread.pending.add(key);
    thread.worker.ref();
  }

  private reply(thread: Thread, reply: ComposeReply | { ready: true }): void {
    if ('ready' in reply) {
      thread.ready = true;
      if (thread.pending.size === 0) thread.worker.unref();
      return;
    }
    for (const one of reply.replies) {
      const key = `${reply.job}:${one.id}`;
      thread.pending.delete(key);
      const waiting = this.settle(key);
      if (!waiting) continue;
      if ('error' in one) waiting.reject(new Error(one.error));
      else {
        this.composed++;
        if ('pdf' in one) waiting.resolve({ pdf: one.pdf });
        else
          waiting.resolve({
            mime: Buffer.from(one.mime.buffer, one.mime.byteOffset, one.mime.byteLength),
            to: one.to,
          });
      }
    }
    if (thread.pending.size === 0) thread.worker.unref();
  }

  private settle(key: string): Waiting | undefined {
    const waiting = this.waiting.get(key);
    this.waiting.delete(key);
    return waiting;
  }

  private lose(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    if (i < 0) return;
    this.threads.splice(i, 1);
    this.lost = true;
    for (const key of thread.pending) this.settle(key)?.resolve(null);
    thread.pending.clear();
  }
}

let shared: ComposeThreads | null = null;

/**
 * The process's pool: as many threads as ARDENT_COMPOSE_THREADS asks for (`auto`, the default: one
 * per core beyond the first, at most four). Null when it asks for none, or on a single core: the
 * sender composes on its own thread.
 */
export function composeThreads(env: NodeJS.ProcessEnv = process.env): ComposeThreads | null {
  const asked = env.ARDENT_COMPOSE_THREADS?.trim() || 'auto';
  const size = asked === 'auto' ? Math.min(4, availableParallelism() - 1) : Number(asked);
  if (!Number.isInteger(size) || size < 0 || size > 16)
    throw new Error(
      `ARDENT_COMPOSE_THREADS: expected a number of threads from 0 to 16, or auto; got "${asked}"`,
    );
  if (size === 0) return null;
  shared ??= new ComposeThreads(size);
  return shared;
}

/** Stops the process's pool, if it was started; a later send starts a new one. */
export async function stopComposeThreads(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
