// The organisation's people and what each may do. Roles, from least to most: read_only (reads
// everything, changes nothing), member (works the queue, tasks, contacts, imports), admin (policy,
// templates, runs, members, API keys, webhooks), owner (all of it, and the owners themselves).
import { checkEmail, checkLanguage } from '../imports/validate.ts';
import { InputError } from '../ledger/organisations.ts';
import type { Db } from '../store/store.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';

export const ROLES = ['read_only', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface MemberView {
  id: string;
  email: string;
  name: string;
  role: Role;
  language: string | null;
  canSignIn: boolean;
  createdAt: string;
}

export interface NewMember {
  email: string;
  name: string;
  role: Role;
  language?: string | null | undefined;
  password?: string | undefined;
}

export function memberView(row: {
  id: string;
  email: string;
  name: string;
  role: string;
  language: string | null;
  password_hash: string | null;
  created_at: Date;
}): MemberView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    language: row.language,
    canSignIn: row.password_hash !== null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listMembers(db: Db, orgId: string): Promise<MemberView[]> {
  const rows = await db
    .selectFrom('members')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('email')
    .execute();
  return rows.map(memberView);
}

function normalise(input: { email: string; language?: string | null | undefined }) {
  const email = checkEmail(input.email.trim());
  if (!email.ok) throw new InputError(`email: ${email.reason}`);
  let language: string | null = null;
  if (input.language) {
    const l = checkLanguage(input.language);
    if (!l.ok) throw new InputError(`language: ${l.reason}`);
    language = l.value;
  }
  return { email: email.value.toLowerCase(), language };
}

/** Adds a member; refuses an email already in the organisation. */
export async function addMember(db: Db, orgId: string, input: NewMember): Promise<MemberView> {
  const { email, language } = normalise(input);
  if (!input.name.trim()) throw new InputError('name: required, but empty');
  let passwordHash: string | null = null;
  if (input.password !== undefined) {
    const weak = checkPasswordStrength(input.password);
    if (weak) throw new InputError(`password: ${weak}`);
    passwordHash = await hashPassword(input.password);
  }
  const row = await db
    .insertInto('members')
    .values({
      org_id: orgId,
      email,
      name: input.name.trim(),
      role: input.role,
      language,
      password_hash: passwordHash,
    })
    .onConflict((oc) => oc.columns(['org_id', 'email']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new InputError(`email: ${email} is already a member of this organisation`);
  return memberView(row);
}

/** Sets a member's password and ends their sessions (a changed password signs everyone out). */
export async function setPassword(db: Db, orgId: string, memberId: string, password: string): Promise<void> {
  const weak = checkPasswordStrength(password);
  if (weak) throw new InputError(`password: ${weak}`);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('members')
      .set({ password_hash: hash })
      .where('org_id', '=', orgId)
      .where('id', '=', memberId)
      .execute();
    await trx.deleteFrom('sessions').where('org_id', '=', orgId).where('member_id', '=', memberId).execute();
  });
}

export async function findMemberByEmail(db: Db, orgId: string, email: string) {
  return db
    .selectFrom('members')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function countOwners(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
