import { Command, CommanderError } from 'commander';
import { UnreadableFileError } from '../imports/records.ts';
import { InputError } from '../ledger/organisations.ts';
import { registerActivity } from './activity.ts';
import { registerContacts } from './contacts.ts';
import { CommandContext, type GlobalOptions } from './context.ts';
import { registerDemo } from './demo.ts';
import { registerForecast } from './forecast.ts';
import { registerImport } from './import.ts';
import { registerInbound } from './inbound.ts';
import { registerInit } from './init.ts';
import { registerInspectEmail } from './inspect-email.ts';
import { registerInspectStatement } from './inspect-statement.ts';
import { registerListings } from './listings.ts';
import { consoleOutput } from './output.ts';
import { registerPayments } from './payments.ts';
import { registerQueue } from './queue.ts';
import { registerRun } from './run.ts';
import { registerSend } from './send.ts';
import { registerServe } from './serve.ts';
import { registerSettings } from './settings.ts';
import { registerStart } from './start.ts';
import { registerUsers } from './users.ts';

export type Runner = (run: (ctx: CommandContext) => Promise<number | undefined>) => () => Promise<void>;

/** Runs the `ardent` command line; resolves to the exit status (0 ok, 1 errors reported, 2 refused). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let status = 0;
  let context: CommandContext | undefined;
  const program = new Command('ardent')
    .description(
      'Ardent, the accounts-receivable agent: chases overdue invoices and stops when the money arrives.',
    )
    .option(
      '--database-url <url>',
      'a PostgreSQL server (default: env DATABASE_URL, else the embedded database in ARDENT_HOME)',
    )
    .option('--org <slug>', 'the organisation (may be left out when there is only one)')
    .option('--json', 'machine-readable output on stdout')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);

  const runner: Runner = (run) => async () => {
    const options = program.opts<GlobalOptions>();
    context = new CommandContext(options, consoleOutput(Boolean(options.json)), env);
    status = (await run(context)) ?? 0;
  };
  registerInit(program, runner);
  registerDemo(program, runner);
  registerImport(program, runner);
  registerListings(program, runner);
  registerInspectStatement(program, runner);
  registerInspectEmail(program, runner);
  registerInbound(program, runner);
  registerRun(program, runner);
  registerForecast(program, runner);
  registerQueue(program, runner);
  registerPayments(program, runner);
  registerActivity(program, runner);
  registerSettings(program, runner);
  registerSend(program, runner);
  registerContacts(program, runner);
  registerStart(program, runner);
  registerServe(program, runner);
  registerUsers(program, runner);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    status = reportError(error);
  } finally {
    await context?.close().catch(() => {});
  }
  return status;
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // help and version are not failures
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
  }
  if (error instanceof InputError || error instanceof UnreadableFileError) {
    process.stderr.write(`ardent: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|password authentication|does not exist/.test(message)) {
    process.stderr.write(`ardent: cannot reach the database: ${message}\n`);
    return 2;
  }
  process.stderr.write(
    `ardent: unexpected error: ${error instanceof Error ? (error.stack ?? message) : message}\n`,
  );
  return 1;
}
