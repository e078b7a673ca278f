// Without an SMTP server, messages are written as .eml files in a folder (ARDENT_HOME/outbox/ by
// default), so that the embedded default needs no mail server and every message can be read. A
// file's name is the message's own: writing it again after a crash replaces the same file, never
// adds a second one, so the file is written first and the outbox records it afterwards.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classifySendError, SendError } from '../errors.ts';
import type { Envelope, SendOptions, SendResult, Transport } from '../transport.ts';

export function directoryTransport(folder: string): Transport {
  let made: Promise<unknown> | null = null;
  return {
    kind: 'directory',
    destination: folder,
    concurrency: 4,
    async send(mime: Buffer, _envelope: Envelope, options: SendOptions): Promise<SendResult> {
      await options.commitPoint?.prepare();
      const path = join(folder, `${options.name}.eml`);
      try {
        made ??= mkdir(folder, { recursive: true });
        await made;
        // Written then renamed: a reader never sees half a message.
        await writeFile(`${path}.tmp`, mime);
        await rename(`${path}.tmp`, path);
      } catch (error) {
        made = null;
        throw new SendError({ ...classifySendError(error), kind: 'configuration', retryable: true });
      }
      options.commitPoint?.commit();
      return { providerId: `file:${options.name}` };
    },
    async close() {},
  };
}
