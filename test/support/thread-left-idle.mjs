// Run by src/mail/compose-threads.test.ts as its own process: loads the sources as bin/ardent.js does
// (tsx's register(), whose module hooks the composing thread shares), starts a composing thread with
// a batch large enough, then ends once the thread is running without having given it any work (the
// batch was composed by the caller, the thread not being ready). The process must exit by itself.
import { register } from 'tsx/esm/api';

register();
const { ComposeThreads } = await import('../../src/mail/compose-threads.ts');
const pool = new ComposeThreads(1);
const batch = Array.from({ length: 40 }, (_, i) => ({ id: String(i) }));
process.stdout.write(String(pool.compose(batch, {})));
await new Promise((online) => pool.threads[0].worker.once('online', () => setTimeout(online, 500)));
