// Uploaded files (invoices, bank statements, messages) are streamed to a scratch directory of their
// own, under their own name (the importers recognise formats by extension too), then read by the
// same code as the command line, and deleted.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './problems.ts';

export interface Upload {
  files: { name: string; path: string }[];
  fields: Record<string, string>;
  /** Removes the scratch directory. */
  dispose(): Promise<void>;
}

function safeName(name: string | undefined, index: number, used: Set<string>): string {
  let base =
    basename(name ?? '')
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(-100) || `upload-${index + 1}`;
  while (used.has(base)) base = `${index + 1}-${base}`;
  used.add(base);
  return base;
}

export async function receiveUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart())
    throw new HttpError(415, 'expected a multipart/form-data upload with a "file" part');
  const dir = await mkdtemp(join(tmpdir(), 'ardent-upload-'));
  const upload: Upload = {
    files: [],
    fields: {},
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
  const used = new Set<string>();
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        upload.fields[part.fieldname] = String(part.value);
        continue;
      }
      const name = safeName(part.filename, upload.files.length, used);
      const path = join(dir, name);
      await pipeline(part.file, createWriteStream(path));
      // The stream ends quietly at the limit when the plugin is told not to throw; it throws here.
      if (part.file.truncated) throw new HttpError(413, `${name}: larger than the upload limit`);
      upload.files.push({ name, path });
    }
  } catch (error) {
    await upload.dispose();
    throw error;
  }
  if (upload.files.length === 0) {
    await upload.dispose();
    throw new HttpError(400, 'no file in the upload: send it as a multipart part named "file"');
  }
  return upload;
}
