// What a person changes about how the agent chases: the organisation's policy (or a named one for
// some customers), a customer's settings, and the wording of each level in each language.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import { checkCountry, checkLanguage } from '../imports/validate.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import { isMessageLanguage, MESSAGE_LANGUAGES } from '../messages/language.ts';
import {
  checkMessageTemplate,
  DEFAULT_TEMPLATES,
  type RenderedMessage,
  renderMessage,
} from '../messages/render.ts';
import { TEMPLATE_LEVELS, type TemplateLevel } from '../messages/templates.ts';
import type { Db } from '../store/store.ts';
import { forgetPolicies, loadPolicies } from './load.ts';
import { checkPolicy, DEFAULT_POLICY, type Policy } from './policy.ts';

export async function readPolicy(
  db: Db,
  orgId: string,
  name?: string,
): Promise<{ name: string; policy: Policy; isDefault: boolean }> {
  if (name) {
    const row = await db
      .selectFrom('policies')
      .select(['id', 'name', 'is_default'])
      .where('org_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new InputError(`no policy "${name}"`);
    const { byId } = await loadPolicies(db, orgId);
    return { name: row.name, policy: byId.get(row.id)!, isDefault: row.is_default };
  }
  const { fallback } = await loadPolicies(db, orgId);
  const row = await db
    .selectFrom('policies')
    .select('name')
    .where('org_id', '=', orgId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  return { name: row?.name ?? 'default', policy: fallback, isDefault: true };
}

/** Saves a policy (the organisation's default unless named otherwise) after checking it whole. */
export async function savePolicy(db: Db, orgId: string, input: unknown, name?: string): Promise<Policy> {
  const checked = checkPolicy(input);
  if (!checked.ok) throw new InputError(`policy refused: ${checked.problems.join('; ')}`);
  const p = checked.policy;
  const isDefault = !name || name === 'default';
  const values = {
    levels: JSON.stringify(p.levels),
    interval_days: p.intervalDays,
    min_gap_days: p.minGapDays,
    max_reminders: p.maxReminders,
    courtesy_days_before: p.courtesyDaysBefore,
    mode: p.mode,
    no_answer_task_after: p.noAnswerTaskAfter,
    updated_at: new Date(),
  };
  await db
    .insertInto('policies')
    .values({ org_id: orgId, name: name ?? 'default', is_default: isDefault, ...values })
    .onConflict((oc) => oc.columns(['org_id', 'name']).doUpdateSet(values))
    .execute();
  forgetPolicies(db, orgId);
  return p;
}

export { DEFAULT_POLICY };

export interface CustomerSettings {
  strategic?: boolean;
  excluded?: boolean;
  language?: string | null;
  country?: string;
  policy?: string | null;
  holdUntil?: PlainDate | null;
  holdReason?: string | null;
}

export async function updateCustomer(
  db: Db,
  org: Organisation,
  ref: string,
  settings: CustomerSettings,
  actor: string,
  day: PlainDate,
): Promise<string[]> {
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('org_id', '=', org.id)
    .where('ref', '=', ref)
    .executeTakeFirst();
  if (!customer) throw new InputError(`no customer ${ref} in this organisation`);
  const changes: Record<string, unknown> = {};
  const said: string[] = [];
  if (settings.strategic !== undefined) {
    changes.strategic = settings.strategic;
    said.push(settings.strategic ? 'strategic (no automatic message)' : 'not strategic');
  }
  if (settings.excluded !== undefined) {
    changes.excluded = settings.excluded;
    said.push(settings.excluded ? 'excluded from automatic reminders' : 'automatic reminders on');
  }
  if (settings.language !== undefined) {
    if (settings.language !== null) {
      const l = checkLanguage(settings.language);
      if (!l.ok) throw new InputError(`--language: ${l.reason}`);
      changes.language = l.value;
    } else changes.language = null;
    said.push(`language ${changes.language ?? 'from its contacts and country'}`);
  }
  if (settings.country !== undefined) {
    const c = checkCountry(settings.country);
    if (!c.ok) throw new InputError(`--country: ${c.reason}`);
    changes.country = c.value;
    said.push(`country ${c.value}`);
  }
  if (settings.policy !== undefined) {
    if (settings.policy === null || settings.policy === 'default') changes.policy_id = null;
    else {
      const p = await db
        .selectFrom('policies')
        .select('id')
        .where('org_id', '=', org.id)
        .where('name', '=', settings.policy)
        .executeTakeFirst();
      if (!p)
        throw new InputError(
          `--policy: no policy "${settings.policy}" (create it with \`ardent policy set --name ${settings.policy} …\`)`,
        );
      changes.policy_id = p.id;
    }
    said.push(`policy ${settings.policy ?? 'default'}`);
  }
  if (settings.holdUntil !== undefined) {
    changes.hold_until = settings.holdUntil;
    changes.hold_reason = settings.holdReason ?? null;
    said.push(settings.holdUntil ? `on hold until ${settings.holdUntil}` : 'hold lifted');
  }
  if (said.length === 0) throw new InputError('nothing to change: give at least one setting');
  await db
    .updateTable('customers')
    .set({ ...changes, updated_at: new Date() })
    .where('org_id', '=', org.id)
    .where('id', '=', customer.id)
    .execute();
  await db
    .insertInto('events')
    .values({
      org_id: org.id,
      customer_id: customer.id,
      day,
      kind: 'customer.settings',
      actor,
      summary: `${customer.name}: ${said.join(', ')} (by ${actor})`,
    })
    .execute();
  return said;
}

export function parseTemplateLevel(text: string): TemplateLevel {
  const level = (TEMPLATE_LEVELS as readonly (string | number)[]).find((l) => String(l) === text);
  if (level === undefined)
    throw new InputError(`level: expected one of ${TEMPLATE_LEVELS.join(', ')}, got "${text}"`);
  return level as TemplateLevel;
}

function checkTemplateLanguage(language: string): void {
  if (!isMessageLanguage(language))
    throw new InputError(`language: expected one of ${MESSAGE_LANGUAGES.join(', ')}, got "${language}"`);
}

export async function readTemplate(
  db: Db,
  orgId: string,
  level: TemplateLevel,
  language: string,
): Promise<{ subject: string; body: string; custom: boolean }> {
  checkTemplateLanguage(language);
  const row = await db
    .selectFrom('templates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('level', '=', String(level))
    .where('language', '=', language)
    .executeTakeFirst();
  const fallback = DEFAULT_TEMPLATES[language as keyof typeof DEFAULT_TEMPLATES][level];
  return row ? { subject: row.subject, body: row.body, custom: true } : { ...fallback, custom: false };
}

/** Saves the organisation's wording for one level and language; a template that does not compile is refused with its reasons. */
export async function saveTemplate(
  db: Db,
  orgId: string,
  level: TemplateLevel,
  language: string,
  change: { subject?: string; body?: string },
): Promise<void> {
  checkTemplateLanguage(language);
  const current = await readTemplate(db, orgId, level, language);
  const next = { subject: change.subject ?? current.subject, body: change.body ?? current.body };
  const problems = checkMessageTemplate(next);
  if (problems.length > 0) {
    throw new InputError(
      `template refused: ${problems.map((p) => `${p.field} line ${p.line}, column ${p.column}: ${p.message}`).join('; ')}`,
    );
  }
  await sql`
    insert into templates (org_id, level, language, subject, body) values (${orgId}::uuid, ${String(level)}, ${language}, ${next.subject}, ${next.body})
    on conflict (org_id, level, language) do update set subject = excluded.subject, body = excluded.body, updated_at = now()`.execute(
    db,
  );
}

export async function resetTemplate(
  db: Db,
  orgId: string,
  level: TemplateLevel,
  language: string,
): Promise<void> {
  await db
    .deleteFrom('templates')
    .where('org_id', '=', orgId)
    .where('level', '=', String(level))
    .where('language', '=', language)
    .execute();
}

/** The template as a real customer would receive it today (their open invoices), or with sample data. */
export async function previewTemplate(
  db: Db,
  org: Organisation,
  level: TemplateLevel,
  language: string,
  day: PlainDate,
  customerRef?: string,
): Promise<RenderedMessage> {
  const template = await readTemplate(db, org.id, level, language);
  let customerName = 'Exemple SARL';
  let contactName: string | null = 'Camille Martin';
  let country: string | null = org.country;
  let invoices = [
    {
      number: 'F-2026-0412',
      issueDate: '2026-10-01',
      dueDate: '2026-10-31',
      currency: org.currency,
      total: 1_250_00,
      outstanding: 1_250_00,
    },
  ];
  if (customerRef) {
    const c = await db
      .selectFrom('customers')
      .select(['id', 'name', 'country'])
      .where('org_id', '=', org.id)
      .where('ref', '=', customerRef)
      .executeTakeFirst();
    if (!c) throw new InputError(`no customer ${customerRef} in this organisation`);
    customerName = c.name;
    country = c.country;
    const contact = await db
      .selectFrom('contacts')
      .select('name')
      .where('org_id', '=', org.id)
      .where('customer_id', '=', c.id)
      .where('valid', '=', true)
      .executeTakeFirst();
    contactName = contact?.name ?? null;
    const open = await db
      .selectFrom('invoices')
      .select(['number', 'issue_date', 'due_date', 'currency', 'total', 'outstanding'])
      .where('org_id', '=', org.id)
      .where('customer_id', '=', c.id)
      .where('type', '=', 'invoice')
      .where('outstanding', '>', 0)
      .orderBy('due_date')
      .limit(20)
      .execute();
    if (open.length > 0)
      invoices = open.map((i) => ({
        number: i.number,
        issueDate: i.issue_date,
        dueDate: i.due_date,
        currency: i.currency,
        total: i.total,
        outstanding: i.outstanding,
      }));
  }
  return renderMessage({
    level,
    language,
    data: {
      asOf: day,
      invoices,
      customerName,
      contactName,
      country,
      companyName: org.name,
      senderName: org.sender_name,
      bank: org.bank_iban ? { iban: org.bank_iban, bic: org.bank_bic, name: org.bank_name } : null,
    },
    overrides: { subject: template.subject, body: template.body },
  });
}
