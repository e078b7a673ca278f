// What proves who is calling: a session (a member signed in with a password; the cookie holds a
// random token, the database its SHA-256) or an API key (an integration; `ardent_<prefix>_<secret>`,
// shown once, stored as its SHA-256 beside the prefix that finds it).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { Db } from '../store/store.ts';
import { atLeast, type Role } from './members.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Caller {
  org: Organisation;
  role: Role;
  /** For the history: `member:<email>` or `api-key:<name>`. */
  actor: string;
  member?: { id: string; email: string; name: string; language: string | null };
  session?: { id: string; csrf: string };
  apiKey?: { id: string; name: string };
}

// Sessions

export interface NewSession {
  token: string;
  csrf: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  member: { id: string; org_id: string },
  ttlHours: number,
  client: { ip?: string; userAgent?: string } = {},
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      org_id: member.org_id,
      member_id: member.id,
      token_hash: sha256(token),
      csrf_secret: csrf,
      ip: client.ip ?? null,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .execute();
  // Expired sessions of this member go as a new one comes: the table does not grow without end.
  await sql`delete from sessions where org_id = ${member.org_id}::uuid and member_id = ${member.id}::uuid and expires_at < now()`.execute(
    db,
  );
  return { token, csrf, expiresAt };
}

export async function callerFromSession(db: Db, token: string): Promise<Caller | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('members as m', (j) => j.onRef('m.id', '=', 's.member_id').onRef('m.org_id', '=', 's.org_id'))
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .selectAll('o')
    .select([
      's.id as session_id',
      's.csrf_secret',
      'm.id as member_id',
      'm.email as member_email',
      'm.name as member_name',
      'm.language as member_language',
      'm.role as member_role',
    ])
    .where('s.token_hash', '=', sha256(token))
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    session_id,
    csrf_secret,
    member_id,
    member_email,
    member_name,
    member_language,
    member_role,
    ...org
  } = row;
  return {
    org,
    role: member_role as Role,
    actor: `member:${member_email}`,
    member: { id: member_id, email: member_email, name: member_name, language: member_language },
    session: { id: session_id, csrf: csrf_secret },
  };
}

export async function deleteSession(db: Db, orgId: string, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('org_id', '=', orgId).where('id', '=', sessionId).execute();
}

// API keys

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const KEY_PATTERN = /^ardent_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export async function createApiKey(
  db: Db,
  orgId: string,
  input: { name: string; role: Role; createdBy?: string | null; expiresAt?: Date | null },
  creatorRole: Role = 'owner',
): Promise<{ key: string; apiKey: ApiKeyView }> {
  if (!input.name.trim()) throw new InputError('name: required, but empty');
  if (input.role === 'owner') throw new InputError('role: an API key can be admin, member or read_only');
  if (!atLeast(creatorRole, input.role))
    throw new InputError(`role: you cannot create a key with more rights than your own (${creatorRole})`);
  const prefix = randomBytes(6).toString('hex');
  const key = `ardent_${prefix}_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_keys')
    .values({
      org_id: orgId,
      name: input.name.trim(),
      prefix,
      key_hash: sha256(key),
      role: input.role,
      created_by: input.createdBy ?? null,
      expires_at: input.expiresAt ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { key, apiKey: apiKeyView(row) };
}

function apiKeyView(row: {
  id: string;
  name: string;
  prefix: string;
  role: string;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: `ardent_${row.prefix}_…`,
    role: row.role as Role,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export async function listApiKeys(db: Db, orgId: string): Promise<ApiKeyView[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .execute();
  return rows.map(apiKeyView);
}

/** Revokes a key of this organisation; false when it has none with this id. */
export async function revokeApiKey(db: Db, orgId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// The last-used time is written at most once a minute per key: a busy integration must not turn
// every read into a write.
const lastTouched = new Map<string, number>();

export async function callerFromApiKey(db: Db, key: string): Promise<Caller | undefined> {
  const m = KEY_PATTERN.exec(key);
  if (!m) return undefined;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('organisations as o', 'o.id', 'k.org_id')
    .selectAll('o')
    .select(['k.id as key_id', 'k.name as key_name', 'k.key_hash', 'k.role as key_role'])
    .where('k.prefix', '=', m[1]!)
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  if (!row || !sameHash(row.key_hash, sha256(key))) return undefined;
  const { key_id, key_name, key_hash: _, key_role, ...org } = row;
  const now = Date.now();
  if ((lastTouched.get(key_id) ?? 0) < now - 60_000) {
    lastTouched.set(key_id, now);
    await db
      .updateTable('api_keys')
      .set({ last_used_at: sql<Date>`now()` })
      .where('org_id', '=', org.id)
      .where('id', '=', key_id)
      .execute();
  }
  return {
    org,
    role: key_role as Role,
    actor: `api-key:${key_name}`,
    apiKey: { id: key_id, name: key_name },
  };
}

export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
