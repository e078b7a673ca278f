import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandName, type Runner } from './main.ts';

const noRun: Runner = () => async () => {};

describe('the command table', () => {
  it('names every top-level command with the module that registers it, and nothing else', async () => {
    const registered = new Map<string, unknown>();
    for (const loader of new Set(Object.values(COMMANDS))) {
      const program = new Command('ardent');
      (await loader())(program, noRun);
      for (const c of program.commands) registered.set(c.name(), loader);
    }
    expect(Object.keys(COMMANDS).sort()).toEqual([...registered.keys()].sort());
    for (const [name, loader] of registered) expect(COMMANDS[name], name).toBe(loader);
  });

  it('finds the command after global options and their values', () => {
    expect(commandName(['--org', 'demo', '--json', 'queue', 'list'])).toBe('queue');
    expect(commandName(['--database-url', 'postgres://x/y', 'run', '--dry-run'])).toBe('run');
    expect(commandName(['--database-url=postgres://x/y', 'customers'])).toBe('customers');
    expect(commandName(['--help'])).toBeUndefined();
  });
});
