// Someone to sign in as on a new machine: the demo organisation's owner gets, on the embedded
// default, a random password that the caller prints once; stored hashed like any other. Never a
// fixed default, and nothing is done once a member of the demo can sign in.
import type { Organisation } from '../ledger/organisations.ts';
import type { Db } from '../store/store.ts';
import { addMember, setPassword } from './members.ts';
import { generatePassword } from './passwords.ts';

export const DEMO_OWNER_EMAIL = 'owner@demo.example';

export async function createDemoOwner(
  db: Db,
  orgs: readonly Organisation[],
): Promise<{ org: string; email: string; password: string } | null> {
  const demo = orgs.find((o) => o.is_demo);
  if (!demo) return null;
  const members = await db
    .selectFrom('members')
    .select(['id', 'email', 'role', 'password_hash'])
    .where('org_id', '=', demo.id)
    .orderBy('created_at')
    .execute();
  if (members.some((m) => m.password_hash !== null)) return null;
  const password = generatePassword();
  const owner = members.find((m) => m.role === 'owner');
  if (owner) {
    await setPassword(db, demo.id, owner.id, password);
    return { org: demo.slug, email: owner.email, password };
  }
  await addMember(db, demo.id, {
    email: DEMO_OWNER_EMAIL,
    name: 'Demo owner',
    role: 'owner',
    language: demo.language,
    password,
  });
  return { org: demo.slug, email: DEMO_OWNER_EMAIL, password };
}
