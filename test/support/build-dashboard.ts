// The dashboard's tests run against web/dist: built here when a source is newer than the build
// (npm ci builds it once through `prepare`; an edit since then is picked up without a manual step).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../../web/', import.meta.url));

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

export async function buildDashboardIfStale(): Promise<void> {
  const sources = Math.max(
    newest(join(web, 'src')),
    newest(join(web, 'index.html')),
    newest(join(web, 'vite.config.ts')),
  );
  let built = 0;
  try {
    built = statSync(join(web, 'dist', 'index.html')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= sources) return;
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would give React's development build: build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
