// How the agent chases: the policy (the organisation's, or a named one) and the wording of each
// level in each language, checked before they are saved and previewed on a real customer.
import { z } from 'zod';
import { checkPolicy, TONES } from '../../dunning/policy.ts';
import {
  parseTemplateLevel,
  previewTemplate,
  readPolicy,
  readTemplate,
  resetTemplate,
  savePolicy,
  saveTemplate,
} from '../../dunning/settings.ts';
import { InputError } from '../../ledger/organisations.ts';
import { isMessageLanguage, MESSAGE_LANGUAGES } from '../../messages/language.ts';
import { checkMessageTemplate, type RenderedMessage } from '../../messages/render.ts';
import { TEMPLATE_LEVELS, type TemplateLevel } from '../../messages/templates.ts';
import type { Db } from '../../store/store.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { badRequest, notFound } from '../problems.ts';
import { customerByRef } from './customers.ts';

const policyBody = z.strictObject({
  levels: z
    .array(
      z.strictObject({
        level: z.number().int(),
        offsetDays: z.number().int(),
        tone: z.enum(TONES),
        channel: z.enum(['email', 'letter', 'both']).optional(),
        approval: z.boolean().optional(),
      }),
    )
    .max(9),
  intervalDays: z.number().int().optional(),
  minGapDays: z.number().int().optional(),
  maxReminders: z.number().int().optional(),
  courtesyDaysBefore: z.number().int().nullable().optional(),
  mode: z.enum(['automatic', 'approval']).optional(),
  noAnswerTaskAfter: z.number().int().optional(),
});

const templateParams = z.object({ level: z.string().max(20), language: z.string().max(10) });

/** A level and language from the URL; one we do not have is not found, like any other unknown path. */
function templateKey(params: { level: string; language: string }): {
  level: TemplateLevel;
  language: string;
} {
  let level: TemplateLevel;
  try {
    level = parseTemplateLevel(params.level);
  } catch {
    throw notFound(`no template level "${params.level}" (levels: ${TEMPLATE_LEVELS.join(', ')})`);
  }
  if (!isMessageLanguage(params.language))
    throw notFound(`no template language "${params.language}" (languages: ${MESSAGE_LANGUAGES.join(', ')})`);
  return { level, language: params.language };
}

/** A template that does not compile is refused with the field, line and column of each problem. */
function refuseBrokenTemplate(template: { subject?: string; body?: string }): void {
  const problems = checkMessageTemplate(template);
  if (problems.length > 0)
    throw badRequest(
      `template refused: ${problems.map((p) => `${p.field} line ${p.line}, column ${p.column}: ${p.message}`).join('; ')}`,
      problems.map((p) => ({
        in: 'body',
        field: p.field,
        message: `line ${p.line}, column ${p.column}: ${p.message}`,
      })),
    );
}

/** Thrown to undo the draft a preview was rendered with. */
class DraftRendered extends Error {
  constructor(readonly preview: RenderedMessage) {
    super('draft rendered');
  }
}

async function policyExists(db: Db, orgId: string, name: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('policies')
      .select('id')
      .where('org_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst(),
  );
}

export const registerSettings: RouteModule = (api: Api, deps) => {
  api.get(
    '/policies',
    { schema: { tags: ['policy'], summary: 'The organisation’s policies: the default and the named ones' } },
    async (request) => {
      const { org } = callerOf(request);
      const rows = await deps.store.db
        .selectFrom('policies')
        .select(['name', 'is_default', 'updated_at'])
        .where('org_id', '=', org.id)
        .orderBy('name')
        .execute();
      return rows.map((r) => ({
        name: r.name,
        isDefault: r.is_default,
        updatedAt: r.updated_at.toISOString(),
      }));
    },
  );

  api.get(
    '/policy',
    {
      schema: {
        tags: ['policy'],
        summary: 'A dunning policy: levels, timing, tone, channel, approval',
        querystring: z.strictObject({
          name: z.string().max(100).optional().describe('a named policy; default the organisation’s'),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const name = request.query.name;
      if (name && name !== 'default' && !(await policyExists(deps.store.db, org.id, name)))
        throw notFound(`no policy "${name}"`);
      return readPolicy(deps.store.db, org.id, name && name !== 'default' ? name : undefined);
    },
  );

  api.put(
    '/policy',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['policy'],
        summary: 'Replace a policy, checked whole (levels in order, later offsets, limits)',
        querystring: z.strictObject({ name: z.string().min(1).max(100).optional() }),
        body: policyBody,
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const checked = checkPolicy(request.body);
      if (!checked.ok)
        throw badRequest(
          `policy refused: ${checked.problems.join('; ')}`,
          checked.problems.map((p) => {
            const m = /^([\w.]+): (.*)$/.exec(p);
            return { in: 'body', field: m?.[1] ?? '', message: m?.[2] ?? p };
          }),
        );
      const saved = await savePolicy(deps.store.db, org.id, checked.policy, request.query.name);
      return { name: request.query.name ?? 'default', policy: saved };
    },
  );

  api.get(
    '/templates',
    {
      schema: {
        tags: ['templates'],
        summary: 'Every level in every language, and whether it is the organisation’s own',
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const custom = await deps.store.db
        .selectFrom('templates')
        .select(['level', 'language', 'updated_at'])
        .where('org_id', '=', org.id)
        .execute();
      const own = new Map(custom.map((t) => [`${t.level}|${t.language}`, t.updated_at]));
      return TEMPLATE_LEVELS.flatMap((level) =>
        MESSAGE_LANGUAGES.map((language) => ({
          level: String(level),
          language,
          custom: own.has(`${level}|${language}`),
          updatedAt: own.get(`${level}|${language}`)?.toISOString() ?? null,
        })),
      );
    },
  );

  api.get(
    '/templates/:level/:language',
    {
      schema: {
        tags: ['templates'],
        summary: 'The wording of one level in one language',
        params: templateParams,
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const { level, language } = templateKey(request.params);
      return {
        level: String(level),
        language,
        ...(await readTemplate(deps.store.db, org.id, level, language)),
      };
    },
  );

  api.put(
    '/templates/:level/:language',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['templates'],
        summary:
          'Change the wording; a template that does not compile is refused with where and why; returns a preview',
        params: templateParams,
        querystring: z.strictObject({
          customer: z.string().max(100).optional().describe('preview it for this customer'),
        }),
        body: z.strictObject({
          subject: z.string().max(500).optional(),
          body: z.string().max(50_000).optional(),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const { level, language } = templateKey(request.params);
      const { subject, body } = request.body;
      if (subject === undefined && body === undefined)
        throw badRequest('give the subject, the body, or both', [
          { in: 'body', field: '', message: 'empty' },
        ]);
      refuseBrokenTemplate({
        ...(subject !== undefined ? { subject } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      if (request.query.customer) await customerByRef(deps.store.db, org.id, request.query.customer);
      await saveTemplate(deps.store.db, org.id, level, language, {
        ...(subject !== undefined ? { subject } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      const saved = await readTemplate(deps.store.db, org.id, level, language);
      const preview = await previewTemplate(
        deps.store.db,
        org,
        level,
        language,
        todayFor(deps, org),
        request.query.customer,
      );
      return { level: String(level), language, ...saved, preview };
    },
  );

  api.delete(
    '/templates/:level/:language',
    {
      config: { access: 'admin' },
      schema: { tags: ['templates'], summary: 'Back to the default wording', params: templateParams },
    },
    async (request, reply) => {
      const { org } = callerOf(request);
      const { level, language } = templateKey(request.params);
      await resetTemplate(deps.store.db, org.id, level, language);
      return reply.code(204).send();
    },
  );

  api.get(
    '/templates/:level/preview',
    {
      schema: {
        tags: ['templates'],
        summary:
          'One level rendered in every language, for a real customer and its open invoices (or sample data)',
        params: z.object({ level: z.string().max(20) }),
        querystring: z.strictObject({ customer: z.string().max(100).optional() }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const { level } = templateKey({ level: request.params.level, language: 'en' });
      if (request.query.customer) await customerByRef(deps.store.db, org.id, request.query.customer);
      const previews = [];
      for (const language of MESSAGE_LANGUAGES)
        previews.push(
          await previewTemplate(
            deps.store.db,
            org,
            level,
            language,
            todayFor(deps, org),
            request.query.customer,
          ),
        );
      return previews;
    },
  );

  api.get(
    '/templates/:level/:language/preview',
    {
      schema: {
        tags: ['templates'],
        summary: 'One level in one language, rendered for a real customer (or sample data)',
        params: templateParams,
        querystring: z.strictObject({ customer: z.string().max(100).optional() }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const { level, language } = templateKey(request.params);
      if (request.query.customer) await customerByRef(deps.store.db, org.id, request.query.customer);
      try {
        return await previewTemplate(
          deps.store.db,
          org,
          level,
          language,
          todayFor(deps, org),
          request.query.customer,
        );
      } catch (error) {
        if (error instanceof InputError) throw badRequest(error.message);
        throw error;
      }
    },
  );
  api.post(
    '/templates/:level/:language/preview',
    {
      // Renders a draft and keeps nothing: anyone who may read the templates may try wordings.
      config: { access: 'read_only' },
      schema: {
        tags: ['templates'],
        summary:
          'A draft of the wording rendered for a real customer (or sample data), without saving it; a draft that does not compile is refused with where and why',
        params: templateParams,
        querystring: z.strictObject({ customer: z.string().max(100).optional() }),
        body: z.strictObject({
          subject: z.string().max(500).optional(),
          body: z.string().max(50_000).optional(),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const { level, language } = templateKey(request.params);
      const { subject, body } = request.body;
      const draft = {
        ...(subject !== undefined ? { subject } : {}),
        ...(body !== undefined ? { body } : {}),
      };
      refuseBrokenTemplate(draft);
      if (request.query.customer) await customerByRef(deps.store.db, org.id, request.query.customer);
      // The draft is saved inside a transaction that is then rolled back, so that the preview goes
      // through the very code that renders saved templates (one way to render), and nothing stays.
      try {
        await deps.store.db.transaction().execute(async (tx) => {
          if (subject !== undefined || body !== undefined)
            await saveTemplate(tx, org.id, level, language, draft);
          throw new DraftRendered(
            await previewTemplate(tx, org, level, language, todayFor(deps, org), request.query.customer),
          );
        });
      } catch (error) {
        if (error instanceof DraftRendered) return error.preview;
        if (error instanceof InputError) throw badRequest(error.message);
        throw error;
      }
      throw new Error('unreachable: the draft transaction always rolls back');
    },
  );
};
