// Who is signed in: the member, the organisation and the role, as /api/auth/me says. Pages read it
// to show or hide what the role may not do (the server checks again).
import { createContext, useContext } from 'react';

export type Role = 'owner' | 'admin' | 'member' | 'read_only';

export interface Me {
  organisation: {
    slug: string;
    name: string;
    country: string;
    currency: string;
    timezone: string;
    language: string;
    runHour: number;
  };
  role: Role;
  member: { id: string; name: string; email: string; language: string | null; role: Role } | null;
  csrfToken: string | null;
}

const RANK: Record<Role, number> = { read_only: 0, member: 1, admin: 2, owner: 3 };

export function atLeast(role: Role, wanted: Role): boolean {
  return RANK[role] >= RANK[wanted];
}

export interface SessionValue {
  me: Me;
  signOut: () => void;
  /** Reads /auth/me again (after a change of organisation settings or of one's language). */
  refresh: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside of a signed-in page');
  return s;
}

/** True when the signed-in member may do what needs `role`. */
export function useCan(role: Role): boolean {
  return atLeast(useSession().me.role, role);
}
