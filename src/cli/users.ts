import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { checkDate } from '../imports/validate.ts';
import { InputError } from '../ledger/organisations.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../server/credentials.ts';
import {
  addMember,
  countOwners,
  findMemberByEmail,
  isRole,
  listMembers,
  ROLES,
  setPassword,
} from '../server/members.ts';
import type { CommandContext } from './context.ts';
import type { Runner } from './main.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) write.call(rl, question);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * A new password, never a default: from stdin (--password-stdin), ARDENT_USER_PASSWORD (scripts),
 * or typed twice at a terminal.
 */
export async function newPassword(ctx: CommandContext, fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin();
  if (ctx.env.ARDENT_USER_PASSWORD) return ctx.env.ARDENT_USER_PASSWORD;
  if (!process.stdin.isTTY)
    throw new InputError(
      'no password: type it at a terminal, or give it with --password-stdin or ARDENT_USER_PASSWORD',
    );
  const first = await ask('Password: ');
  const second = await ask('Password again: ');
  if (first !== second) throw new InputError('the two passwords differ');
  return first;
}

export function registerUsers(program: Command, run: Runner): void {
  const user = program
    .command('user')
    .description('the people who sign in to the organisation, and their roles');
  user
    .command('add')
    .description('add a member who signs in with email and password (the first one is the owner)')
    .requiredOption('--email <address>', 'their email, which is their sign-in name')
    .requiredOption('--name <name>', 'their name')
    .option('--role <role>', `${ROLES.join(', ')} (default: owner for the first member, else member)`)
    .option('--language <code>', 'the language of their notifications (fr, en, de, es, it, nl)')
    .option('--password-stdin', 'read the password from standard input')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{
          email: string;
          name: string;
          role?: string;
          language?: string;
          passwordStdin?: boolean;
        }>();
        if (o.role && !isRole(o.role))
          throw new InputError(`--role: expected ${ROLES.join(', ')}, got "${o.role}"`);
        const store = await ctx.store();
        const org = await ctx.org();
        const role =
          o.role && isRole(o.role)
            ? o.role
            : (await countOwners(store.db, org.id)) === 0
              ? 'owner'
              : 'member';
        const password = await newPassword(ctx, Boolean(o.passwordStdin));
        const member = await addMember(store.db, org.id, {
          email: o.email,
          name: o.name,
          role,
          language: o.language,
          password,
        });
        if (ctx.out.json) ctx.out.data(member);
        else
          ctx.out.line(
            `${member.email} is now ${member.role} of ${org.name} (--org ${org.slug}) and can sign in.`,
          );
        return 0;
      })();
    });
  user
    .command('password')
    .description('set a member’s password (their sessions end)')
    .requiredOption('--email <address>')
    .option('--password-stdin', 'read the password from standard input')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ email: string; passwordStdin?: boolean }>();
        const store = await ctx.store();
        const org = await ctx.org();
        const member = await findMemberByEmail(store.db, org.id, o.email);
        if (!member) throw new InputError(`--email: no member ${o.email} in ${org.slug}`);
        await setPassword(store.db, org.id, member.id, await newPassword(ctx, Boolean(o.passwordStdin)));
        ctx.out.line(`Password of ${member.email} changed; their sessions are ended.`);
        return 0;
      })();
    });
  user
    .command('list', { isDefault: true })
    .description('the members and their roles')
    .action(() =>
      run(async (ctx) => {
        const org = await ctx.org();
        const members = await listMembers((await ctx.store()).db, org.id);
        if (ctx.out.json) ctx.out.data(members);
        else
          ctx.out.table(
            members.map((m) => ({
              email: m.email,
              name: m.name,
              role: m.role,
              language: m.language ?? '',
              'sign-in': m.canSignIn ? 'yes' : 'no',
            })),
          );
        return 0;
      })(),
    );

  const key = program.command('api-key').description('keys for integrations to call the HTTP API');
  key
    .command('create')
    .description('create a key: it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'what it is for, e.g. "accounting sync"')
    .option('--role <role>', 'admin, member or read_only', 'member')
    .option('--expires <date>', 'the key stops working at the start of this day (UTC)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<{ name: string; role: string; expires?: string }>();
        if (!['admin', 'member', 'read_only'].includes(o.role))
          throw new InputError(`--role: expected admin, member or read_only, got "${o.role}"`);
        let expiresAt: Date | null = null;
        if (o.expires) {
          const d = checkDate(o.expires);
          if (!d.ok) throw new InputError(`--expires: ${d.reason}`);
          expiresAt = new Date(`${d.value}T00:00:00Z`);
        }
        const org = await ctx.org();
        const created = await createApiKey((await ctx.store()).db, org.id, {
          name: o.name,
          role: o.role as 'admin' | 'member' | 'read_only',
          expiresAt,
        });
        if (ctx.out.json) ctx.out.data({ key: created.key, ...created.apiKey });
        else {
          ctx.out.line(created.key);
          ctx.out.error(
            `API key "${created.apiKey.name}" (${created.apiKey.role}, id ${created.apiKey.id}) for ${org.slug}: keep it now, it is not shown again. Send it as "Authorization: Bearer <key>".`,
          );
        }
        return 0;
      })();
    });
  key
    .command('list', { isDefault: true })
    .description('the keys (never the keys themselves)')
    .action(() =>
      run(async (ctx) => {
        const org = await ctx.org();
        const keys = await listApiKeys((await ctx.store()).db, org.id);
        if (ctx.out.json) ctx.out.data(keys);
        else
          ctx.out.table(
            keys.map((k) => ({
              id: k.id,
              name: k.name,
              key: k.prefix,
              role: k.role,
              'last used': k.lastUsedAt?.slice(0, 16) ?? '',
              state: k.revokedAt
                ? 'revoked'
                : k.expiresAt && k.expiresAt < new Date().toISOString()
                  ? 'expired'
                  : 'active',
            })),
          );
        return 0;
      })(),
    );
  key
    .command('revoke')
    .description('revoke a key: it stops working at once')
    .argument('<id>')
    .action(function (this: Command, id: string) {
      return run(async (ctx) => {
        const org = await ctx.org();
        if (!(await revokeApiKey((await ctx.store()).db, org.id, id)))
          throw new InputError(`no API key ${id} in ${org.slug}`);
        ctx.out.line(`API key ${id} revoked.`);
        return 0;
      })();
    });
}
