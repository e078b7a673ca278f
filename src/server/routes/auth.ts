// Signing in and out. A member's email may belong to several organisations (an agency's accountant):
// the organisation is then named at sign-in.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Api, RouteModule } from '../api.ts';
import { callerOf, clearSessionCookies, setSessionCookies } from '../auth.ts';
import { createSession, deleteSession } from '../credentials.ts';
import { memberView, setPassword } from '../members.ts';
import { verifyPassword } from '../passwords.ts';
import { HttpError } from '../problems.ts';

const organisationView = (o: {
  slug: string;
  name: string;
  country: string;
  currency: string;
  timezone: string;
  language: string;
  run_hour: number;
}) => ({
  slug: o.slug,
  name: o.name,
  country: o.country,
  currency: o.currency,
  timezone: o.timezone,
  language: o.language,
  runHour: o.run_hour,
});

export const registerAuth: RouteModule = (api: Api, deps) => {
  api.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the session cookie and returns the CSRF token',
        body: z.strictObject({
          email: z.string().min(1).max(320),
          password: z.string().min(1).max(1024),
          organisation: z
            .string()
            .max(100)
            .optional()
            .describe('the organisation’s slug, when the email has several'),
        }),
      },
    },
    async (request, reply) => {
      const address = request.ip;
      const wait = deps.logins.retryAfter(address);
      if (wait > 0)
        throw new HttpError(429, `too many failed sign-ins from this address; try again in ${wait} s`, {
          headers: { 'retry-after': String(wait) },
        });
      const { email, password, organisation } = request.body;
      // Every member with this email, in every organisation (or the one named): sign-in needs no
      // organisation in the URL, and cannot be scoped before we know who it is.
      const candidates = await deps.store.db
        .selectFrom('members as m')
        .innerJoin('organisations as o', 'o.id', 'm.org_id')
        .selectAll('m')
        .select(['o.slug', 'o.name as org_name'])
        .where('m.email', '=', email.trim().toLowerCase())
        .$if(organisation !== undefined, (q) => q.where('o.slug', '=', organisation!))
        .orderBy('o.created_at')
        .limit(20)
        .execute();
      const matched = [];
      if (candidates.length === 0) await verifyPassword(password, null);
      for (const c of candidates) if (await verifyPassword(password, c.password_hash)) matched.push(c);
      if (matched.length === 0) {
        deps.logins.failed(address);
        throw new HttpError(401, 'wrong email or password');
      }
      if (matched.length > 1)
        throw new HttpError(
          409,
          `this email belongs to several organisations: name one (${matched.map((m) => m.slug).join(', ')})`,
          {
            slug: 'organisation-required',
            title: 'Which organisation?',
          },
        );
      deps.logins.succeeded(address);
      const member = matched[0]!;
      const session = await createSession(deps.store.db, member, deps.config.sessionHours, {
        ip: address,
        ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
      });
      setSessionCookies(request, reply, session);
      const org = await deps.store.db
        .selectFrom('organisations')
        .selectAll()
        .where('id', '=', member.org_id)
        .executeTakeFirstOrThrow();
      return {
        member: memberView(member),
        organisation: organisationView(org),
        role: member.role,
        csrfToken: session.csrf,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  api.post(
    '/auth/logout',
    { config: { access: 'read_only' }, schema: { tags: ['auth'], summary: 'Sign out: ends this session' } },
    async (request, reply) => {
      const caller = callerOf(request);
      if (caller.session) await deleteSession(deps.store.db, caller.org.id, caller.session.id);
      clearSessionCookies(request, reply);
      return reply.code(204).send();
    },
  );

  api.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'Who is calling, for which organisation, with which role' } },
    async (request) => {
      const caller = callerOf(request);
      return {
        organisation: organisationView(caller.org),
        role: caller.role,
        member: caller.member ?? null,
        apiKey: caller.apiKey ?? null,
        csrfToken: caller.session?.csrf ?? null,
      };
    },
  );

  api.post(
    '/auth/password',
    {
      config: { access: 'read_only' },
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password (ends one’s other sessions)',
        body: z.strictObject({ current: z.string().min(1).max(1024), password: z.string().min(1).max(1024) }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      if (!caller.member) throw new HttpError(403, 'an API key has no password');
      const row = await deps.store.db
        .selectFrom('members')
        .select('password_hash')
        .where('org_id', '=', caller.org.id)
        .where('id', '=', caller.member.id)
        .executeTakeFirstOrThrow();
      if (!(await verifyPassword(request.body.current, row.password_hash)))
        throw new HttpError(403, 'the current password is wrong');
      await setPassword(deps.store.db, caller.org.id, caller.member.id, request.body.password);
      const session = await createSession(
        deps.store.db,
        { id: caller.member.id, org_id: caller.org.id },
        deps.config.sessionHours,
      );
      setSessionCookies(request, reply, session);
      await sql`delete from sessions where org_id = ${caller.org.id}::uuid and expires_at < now()`.execute(
        deps.store.db,
      );
      return { csrfToken: session.csrf, expiresAt: session.expiresAt.toISOString() };
    },
  );
};
