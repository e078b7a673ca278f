import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/ardent.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** Runs `ardent` as a user would, in its own process. */
export function ardent(
  args: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, DATABASE_URL: undefined, ...env } as NodeJS.ProcessEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        status: status ?? -1,
        stdout,
        stderr,
        json: <T>() => JSON.parse(stdout) as T,
      }),
    );
  });
}
