import { Command, CommanderError } from 'commander';
import { UnreadableFileError } from '../imports/records.ts';
import { InputError } from '../ledger/organisations.ts';
import { stopComposeThreads } from '../mail/compose-threads.ts';
import { CommandContext, type GlobalOptions } from './context.ts';
import { consoleOutput } from './output.ts';

export type Runner = (run: (ctx: CommandContext) => Promise<number | undefined>) => () => Promise<void>;

type Register = (program: Command, run: Runner) => void;
type Loader = () => Promise<Register>;

const load = {
  init: () => import('./init.ts').then((m) => m.registerInit),
  demo: () => import('./demo.ts').then((m) => m.registerDemo),
  import: () => import('./import.ts').then((m) => m.registerImport),
  listings: () => import('./listings.ts').then((m) => m.registerListings),
  inspectStatement: () => import('./inspect-statement.ts').then((m) => m.registerInspectStatement),
  inspectEmail: () => import('./inspect-email.ts').then((m) => m.registerInspectEmail),
  inbound: () => import('./inbound.ts').then((m) => m.registerInbound),
  run: () => import('./run.ts').then((m) => m.registerRun),
  forecast: () => import('./forecast.ts').then((m) => m.registerForecast),
  queue: () => import('./queue.ts').then((m) => m.registerQueue),
  payments: () => import('./payments.ts').then((m) => m.registerPayments),
  activity: () => import('./activity.ts').then((m) => m.registerActivity),
  settings: () => import('./settings.ts').then((m) => m.registerSettings),
  send: () => import('./send.ts').then((m) => m.registerSend),
  contacts: () => import('./contacts.ts').then((m) => m.registerContacts),
  start: () => import('./start.ts').then((m) => m.registerStart),
  serve: () => import('./serve.ts').then((m) => m.registerServe),
  users: () => import('./users.ts').then((m) => m.registerUsers),
} satisfies Record<string, Loader>;

/** Each top-level command and the module that registers it (main.test.ts checks this stays true). */
export const COMMANDS: Record<string, Loader> = {
  init: load.init,
  demo: load.demo,
  import: load.import,
  customers: load.listings,
  invoices: load.listings,
  'inspect-statement': load.inspectStatement,
  'inspect-email': load.inspectEmail,
  inbound: load.inbound,
  replies: load.inbound,
  run: load.run,
  forecast: load.forecast,
  queue: load.queue,
  payments: load.payments,
  payment: load.payments,
  suggestions: load.payments,
  suggestion: load.payments,
  history: load.activity,
  tasks: load.activity,
  policy: load.settings,
  customer: load.settings,
  template: load.settings,
  send: load.send,
  bounce: load.send,
  contact: load.contacts,
  start: load.start,
  serve: load.serve,
  user: load.users,
  'api-key': load.users,
};

/** The first word of the arguments that is not a global option or its value. */
export function commandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--database-url' || a === '--org') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

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
  // Only the module of the command asked for is loaded: a command's start-up then pays for its own
  // libraries (PDF, mail, HTTP…), not everyone's. Help, or an unknown command, loads them all.
  const wanted = commandName(argv.slice(2));
  const modules = wanted && COMMANDS[wanted] ? [COMMANDS[wanted]] : [...new Set(Object.values(COMMANDS))];
  for (const register of await Promise.all(modules.map((load) => load()))) register(program, runner);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    status = reportError(error);
  } finally {
    await context?.close().catch(() => {});
    // The threads that composed mail, if a send started them: the command is over.
    await stopComposeThreads();
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
