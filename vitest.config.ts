import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/test/**/*.test.ts'],
    pool: 'forks',
    // Most files wait on a child process, a database or a browser rather than compute: three at a
    // time keep both cores of the CI machine busy (Vitest's default would be one, cores minus one).
    maxWorkers: 3,
    // A command-line test starts several processes, each loading the sources (2 to 8 s on a busy machine).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
