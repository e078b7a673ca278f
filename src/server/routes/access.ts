// Who may use the organisation: members and their roles (admins manage members; only owners manage
// owners, and the last owner stays), and API keys for integrations (shown once, revocable).
import { z } from 'zod';
import type { Api, RouteModule } from '../api.ts';
import { callerOf } from '../auth.ts';
import type { Caller } from '../credentials.ts';
import { createApiKey, isUuid, listApiKeys, revokeApiKey } from '../credentials.ts';
import { addMember, atLeast, countOwners, listMembers, memberView, ROLES, type Role } from '../members.ts';
import { forbidden, HttpError, notFound } from '../problems.ts';
import { plainDate } from '../schemas.ts';

const idParams = z.object({ id: z.string().max(100) });

/** Admins manage members up to admin; owners and the owner role are the owners' own business. */
function mayManage(caller: Caller, role: Role): void {
  if (role === 'owner' && caller.role !== 'owner') throw forbidden('only an owner can manage owners');
  if (!atLeast(caller.role, 'admin')) throw forbidden('managing members needs the admin role');
}

export const registerAccess: RouteModule = (api: Api, deps) => {
  const db = deps.store.db;
  const memberOf = async (orgId: string, id: string) => {
    const row = isUuid(id)
      ? await db
          .selectFrom('members')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row) throw notFound(`no member ${id}`);
    return row;
  };

  api.get(
    '/members',
    { schema: { tags: ['members'], summary: 'The organisation’s members and their roles' } },
    async (request) => listMembers(db, callerOf(request).org.id),
  );

  api.post(
    '/members',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['members'],
        summary: 'Add a member with a first password (they change it with POST /api/auth/password)',
        body: z.strictObject({
          email: z.string().max(320),
          name: z.string().min(1).max(300),
          role: z.enum(ROLES).default('member'),
          language: z.string().max(10).optional(),
          password: z.string().max(1024),
        }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      mayManage(caller, request.body.role);
      const member = await addMember(db, caller.org.id, request.body);
      return reply.code(201).send(member);
    },
  );

  api.patch(
    '/members/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['members'],
        summary: 'Change a member’s name, language or role',
        params: idParams,
        body: z.strictObject({
          name: z.string().min(1).max(300).optional(),
          language: z.string().max(10).nullable().optional(),
          role: z.enum(ROLES).optional(),
        }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const row = await memberOf(caller.org.id, request.params.id);
      const b = request.body;
      mayManage(caller, row.role as Role);
      if (b.role) mayManage(caller, b.role);
      if (row.role === 'owner' && b.role && b.role !== 'owner' && (await countOwners(db, caller.org.id)) <= 1)
        throw new HttpError(409, 'the organisation keeps at least one owner: make someone else owner first');
      const updated = await db
        .updateTable('members')
        .set({
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.language !== undefined ? { language: b.language } : {}),
          ...(b.role !== undefined ? { role: b.role } : {}),
        })
        .where('org_id', '=', caller.org.id)
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return memberView(updated);
    },
  );

  api.delete(
    '/members/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['members'], summary: 'Remove a member (their sessions end)', params: idParams },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const row = await memberOf(caller.org.id, request.params.id);
      mayManage(caller, row.role as Role);
      if (row.role === 'owner' && (await countOwners(db, caller.org.id)) <= 1)
        throw new HttpError(409, 'the organisation keeps at least one owner');
      await db.deleteFrom('members').where('org_id', '=', caller.org.id).where('id', '=', row.id).execute();
      return reply.code(204).send();
    },
  );

  api.get(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: { tags: ['api keys'], summary: 'The organisation’s API keys (never the keys themselves)' },
    },
    async (request) => listApiKeys(db, callerOf(request).org.id),
  );

  api.post(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key: the key is in this answer and never again',
        body: z.strictObject({
          name: z.string().min(1).max(100),
          role: z.enum(['admin', 'member', 'read_only']).default('member'),
          expiresOn: plainDate.optional().describe('the key stops working at the start of this day (UTC)'),
        }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const b = request.body;
      const created = await createApiKey(
        db,
        caller.org.id,
        {
          name: b.name,
          role: b.role,
          createdBy: caller.member?.id ?? null,
          expiresAt: b.expiresOn ? new Date(`${b.expiresOn}T00:00:00Z`) : null,
        },
        caller.role,
      );
      return reply.code(201).send({ key: created.key, ...created.apiKey });
    },
  );

  api.delete(
    '/api-keys/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key: it stops working at once',
        params: idParams,
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      if (!(await revokeApiKey(db, caller.org.id, request.params.id)))
        throw notFound(`no API key ${request.params.id}`);
      return reply.code(204).send();
    },
  );
};
