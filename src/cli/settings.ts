import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { TONES, type Tone } from '../dunning/policy.ts';
import {
  parseTemplateLevel,
  previewTemplate,
  readPolicy,
  readTemplate,
  resetTemplate,
  savePolicy,
  saveTemplate,
  updateCustomer,
} from '../dunning/settings.ts';
import { checkDate } from '../imports/validate.ts';
import { InputError } from '../ledger/organisations.ts';
import type { Runner } from './main.ts';

const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const whole = (text: string, option: string) => {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new InputError(`${option}: expected a whole number, got "${text}"`);
  return n;
};

export function registerSettings(program: Command, run: Runner): void {
  const policy = program
    .command('policy')
    .description('how the agent chases: levels, timing, tone, channel, approval');
  policy
    .command('show', { isDefault: true })
    .option('--name <name>', 'a named policy (default: the organisation’s)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const org = await ctx.org();
        const p = await readPolicy((await ctx.store()).db, org.id, this.opts<{ name?: string }>().name);
        if (ctx.out.json) ctx.out.data(p);
        else {
          ctx.out.line(
            `Policy "${p.name}"${p.isDefault ? ' (organisation default)' : ''}: mode ${p.policy.mode}, at least ${p.policy.minGapDays} days between reminders, at most ${p.policy.maxReminders}, repeat every ${p.policy.intervalDays} days after the last level${p.policy.courtesyDaysBefore ? `, courtesy reminder ${p.policy.courtesyDaysBefore} days before the due date` : ''}.`,
          );
          ctx.out.table(
            p.policy.levels.map((l) => ({
              level: l.level,
              after: `+${l.offsetDays} days`,
              tone: l.tone,
              channel: l.channel,
              approval: l.approval ? 'yes' : '',
            })),
          );
        }
        return 0;
      })();
    });
  policy
    .command('set')
    .description('change the policy; what is not given stays as it is')
    .option(
      '--name <name>',
      'save as a named policy for some customers (`ardent customer set REF --policy NAME`)',
    )
    .option('--offsets <days>', 'days after the due date of each level, e.g. 7,14,21')
    .option('--tones <tones>', `tone of each level: ${TONES.join(', ')}`)
    .option('--channels <channels>', 'channel of each level: email, letter or both')
    .option('--approval <levels>', 'levels a person must approve, e.g. 3 (or "none")')
    .option('--mode <mode>', 'automatic, or approval (every message waits for a person)')
    .option('--interval <days>', 'after the last level, repeat it every so many days')
    .option('--min-gap <days>', 'never two reminders of one invoice closer than this')
    .option('--max <n>', 'at most so many reminders per invoice')
    .option('--courtesy <days>', 'a courtesy reminder so many days before the due date ("off" for none)')
    .action(function (this: Command) {
      return run(async (ctx) => {
        const o = this.opts<Record<string, string | undefined>>();
        const org = await ctx.org();
        const db = (await ctx.store()).db;
        const current = (
          await readPolicy(db, org.id, o.name && (await exists(db, org.id, o.name)) ? o.name : undefined)
        ).policy;
        const offsets = list(o.offsets)?.map((d) => whole(d, '--offsets'));
        const tones = list(o.tones);
        const channels = list(o.channels);
        const approval = o.approval === 'none' ? [] : list(o.approval)?.map((d) => whole(d, '--approval'));
        const count = offsets?.length ?? current.levels.length;
        const levels = Array.from({ length: count }, (_, i) => {
          const before = current.levels[i] ?? current.levels.at(-1)!;
          return {
            level: i + 1,
            offsetDays: offsets?.[i] ?? before.offsetDays,
            tone: (tones?.[i] ?? before.tone) as Tone,
            channel: (channels?.[i] ?? before.channel) as 'email' | 'letter' | 'both',
            approval: approval ? approval.includes(i + 1) : before.approval,
          };
        });
        const saved = await savePolicy(
          db,
          org.id,
          {
            ...current,
            levels,
            ...(o.mode ? { mode: o.mode } : {}),
            ...(o.interval ? { intervalDays: whole(o.interval, '--interval') } : {}),
            ...(o.minGap ? { minGapDays: whole(o.minGap, '--min-gap') } : {}),
            ...(o.max ? { maxReminders: whole(o.max, '--max') } : {}),
            ...(o.courtesy
              ? { courtesyDaysBefore: o.courtesy === 'off' ? null : whole(o.courtesy, '--courtesy') }
              : {}),
          },
          o.name,
        );
        if (ctx.out.json) ctx.out.data(saved);
        else
          ctx.out.line(
            `Policy "${o.name ?? 'default'}" saved: levels at ${saved.levels.map((l) => `+${l.offsetDays}`).join(', ')} days, mode ${saved.mode}.`,
          );
        return 0;
      })();
    });

  const customer = program.command('customer').description('one customer’s settings');
  customer
    .command('set')
    .argument('<ref>')
    .option('--strategic', 'no automatic message; the team is told privately instead')
    .option('--no-strategic')
    .option('--excluded', 'no automatic reminders at all')
    .option('--no-excluded')
    .option('--language <code>', 'the language to write in ("auto" to go by contacts and country)')
    .option('--country <cc>', 'ISO 3166-1 alpha-2')
    .option('--policy <name>', 'a named policy, or "default"')
    .option('--hold-until <date>', 'no reminders until this day included ("none" to lift)')
    .option('--reason <text>', 'why it is on hold')
    .action(function (this: Command, ref: string) {
      return run(async (ctx) => {
        const o = this.opts<{
          strategic?: boolean;
          excluded?: boolean;
          language?: string;
          country?: string;
          policy?: string;
          holdUntil?: string;
          reason?: string;
        }>();
        const org = await ctx.org();
        let holdUntil: string | null | undefined;
        if (o.holdUntil === 'none') holdUntil = null;
        else if (o.holdUntil) {
          const d = checkDate(o.holdUntil);
          if (!d.ok) throw new InputError(`--hold-until: ${d.reason}`);
          holdUntil = d.value;
        }
        const said = await updateCustomer(
          (await ctx.store()).db,
          org,
          ref,
          {
            ...(o.strategic !== undefined ? { strategic: o.strategic } : {}),
            ...(o.excluded !== undefined ? { excluded: o.excluded } : {}),
            ...(o.language ? { language: o.language === 'auto' ? null : o.language } : {}),
            ...(o.country ? { country: o.country } : {}),
            ...(o.policy ? { policy: o.policy } : {}),
            ...(holdUntil !== undefined ? { holdUntil, holdReason: o.reason ?? null } : {}),
          },
          `cli:${ctx.env.USER ?? 'user'}`,
          ctx.today(org),
        );
        if (ctx.out.json) ctx.out.data({ ref, changes: said });
        else ctx.out.line(`${ref}: ${said.join(', ')}`);
        return 0;
      })();
    });

  const template = program.command('template').description('the wording of each level in each language');
  template
    .command('show')
    .argument('<level>', 'courtesy, 1, 2, 3, promise_broken or statement')
    .argument('<language>', 'fr, en, de, es, it or nl')
    .action(function (this: Command, level: string, language: string) {
      return run(async (ctx) => {
        const org = await ctx.org();
        const t = await readTemplate((await ctx.store()).db, org.id, parseTemplateLevel(level), language);
        if (ctx.out.json) ctx.out.data(t);
        else ctx.out.line(`Subject: ${t.subject}\n\n${t.body}${t.custom ? '' : '\n\n(default wording)'}`);
        return 0;
      })();
    });
  template
    .command('set')
    .argument('<level>')
    .argument('<language>')
    .option('--subject <text>', 'the subject line')
    .option('--body-file <file>', 'a file holding the body')
    .action(function (this: Command, level: string, language: string) {
      return run(async (ctx) => {
        const o = this.opts<{ subject?: string; bodyFile?: string }>();
        if (!o.subject && !o.bodyFile) throw new InputError('give --subject and/or --body-file');
        const body = o.bodyFile
          ? await readFile(o.bodyFile, 'utf8').catch(() => {
              throw new InputError(`--body-file: cannot read ${o.bodyFile}`);
            })
          : undefined;
        const org = await ctx.org();
        await saveTemplate((await ctx.store()).db, org.id, parseTemplateLevel(level), language, {
          ...(o.subject ? { subject: o.subject } : {}),
          ...(body ? { body } : {}),
        });
        ctx.out.line(`Template ${level}/${language} saved.`);
        return 0;
      })();
    });
  template
    .command('reset')
    .argument('<level>')
    .argument('<language>')
    .action(function (this: Command, level: string, language: string) {
      return run(async (ctx) => {
        const org = await ctx.org();
        await resetTemplate((await ctx.store()).db, org.id, parseTemplateLevel(level), language);
        ctx.out.line(`Template ${level}/${language} back to the default wording.`);
        return 0;
      })();
    });
  template
    .command('preview')
    .argument('<level>')
    .argument('<language>')
    .option('--customer <ref>', 'render it for a real customer and their open invoices')
    .action(function (this: Command, level: string, language: string) {
      return run(async (ctx) => {
        const org = await ctx.org();
        const r = await previewTemplate(
          (await ctx.store()).db,
          org,
          parseTemplateLevel(level),
          language,
          ctx.today(org),
          this.opts<{ customer?: string }>().customer,
        );
        if (ctx.out.json) ctx.out.data(r);
        else ctx.out.line(`Subject: ${r.subject}\n\n${r.text}`);
        return 0;
      })();
    });
}

async function exists(db: Parameters<typeof readPolicy>[0], orgId: string, name: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('policies')
      .select('id')
      .where('org_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst(),
  );
}
