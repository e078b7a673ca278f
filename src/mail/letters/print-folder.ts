// The default postal "service": letters written as PDFs to ARDENT_HOME/print/, for someone to print,
// fold and post. The file name is the letter's own: handing the same letter over again (after a
// crash) rewrites the same file, never a second one.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Letter, LetterProvider } from './provider.ts';

export function printFolder(folder: string): LetterProvider {
  return {
    kind: 'print-folder',
    destination: folder,
    async post(letter: Letter) {
      await mkdir(folder, { recursive: true });
      const path = join(folder, `${letter.name}.pdf`);
      // Written then renamed: a reader never sees half a letter.
      await writeFile(`${path}.tmp`, letter.pdf);
      await rename(`${path}.tmp`, path);
      return { providerId: `print:${letter.name}.pdf` };
    },
  };
}
