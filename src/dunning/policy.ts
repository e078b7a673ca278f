// How firmly and when an organisation chases: levels after the due date, their tone and channel,
// and the limits. Defaults are CONTRACT.md §4: +7 courteous, +14 firm, +21 formal notice.
import { z } from 'zod';

export const TONES = ['courteous', 'professional', 'firm', 'formal_notice'] as const;
export type Tone = (typeof TONES)[number];

const levelSchema = z.object({
  level: z.number().int().min(1).max(9),
  offsetDays: z.number().int().min(0).max(365),
  tone: z.enum(TONES),
  channel: z.enum(['email', 'letter', 'both']).default('email'),
  approval: z.boolean().default(false),
});

export const policySchema = z
  .object({
    levels: z.array(levelSchema).min(1).max(9),
    /** After the last level, the last level again every so many days (up to maxReminders). */
    intervalDays: z.number().int().min(1).max(90).default(7),
    /** Never two reminders of one invoice closer than this: a late step does not drag the next onto its heels. */
    minGapDays: z.number().int().min(1).max(60).default(4),
    maxReminders: z.number().int().min(1).max(20).default(3),
    courtesyDaysBefore: z.number().int().min(1).max(30).nullable().default(null),
    mode: z.enum(['automatic', 'approval']).default('automatic'),
    noAnswerTaskAfter: z.number().int().min(1).max(20).default(4),
  })
  .superRefine((p, ctx) => {
    p.levels.forEach((l, i) => {
      if (l.level !== i + 1)
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'level'],
          message: `levels must be numbered 1, 2, 3… in order; found ${l.level} at position ${i + 1}`,
        });
      const previous = p.levels[i - 1];
      if (previous && l.offsetDays <= previous.offsetDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'offsetDays'],
          message: `level ${l.level} must come later than level ${previous.level} (${previous.offsetDays} days)`,
        });
      }
    });
  });

export type PolicyLevel = z.output<typeof levelSchema>;
export type Policy = z.output<typeof policySchema>;

export const DEFAULT_POLICY: Policy = {
  levels: [
    { level: 1, offsetDays: 7, tone: 'courteous', channel: 'email', approval: false },
    { level: 2, offsetDays: 14, tone: 'firm', channel: 'email', approval: false },
    { level: 3, offsetDays: 21, tone: 'formal_notice', channel: 'email', approval: false },
  ],
  intervalDays: 7,
  minGapDays: 4,
  maxReminders: 3,
  courtesyDaysBefore: null,
  mode: 'automatic',
  noAnswerTaskAfter: 4,
};

/** The courtesy reminder before the due date is level 0 when the policy has one. */
export const COURTESY_LEVEL = 0;

export type PolicyCheck = { ok: true; policy: Policy } | { ok: false; problems: string[] };

export function checkPolicy(input: unknown): PolicyCheck {
  const parsed = policySchema.safeParse(input);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`),
  };
}

/** The template a level is written with: its own number for 1–3, else by tone. */
export function templateLevelFor(level: number, tone: Tone): 'courtesy' | 1 | 2 | 3 {
  if (level === COURTESY_LEVEL) return 'courtesy';
  if (level >= 1 && level <= 3) return level as 1 | 2 | 3;
  return tone === 'formal_notice' ? 3 : tone === 'courteous' ? 1 : 2;
}
