import { type QueryClient, useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, api, setCsrfToken } from '../api/client.ts';
import type { Member, Organization, Session } from '../api/types.ts';

export const SESSION_KEY = ['session'] as const;
export const SETUP_KEY = ['setup'] as const;

/** Reads the current session; `null` when signed out. */
async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/api/v1/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

export function useSetupStatus() {
  return useQuery({
    queryKey: SETUP_KEY,
    queryFn: () => api.get<{ needed: boolean }>('/api/v1/setup'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Stores a session answer (sign-in, setup, invitation) as the current session. */
export function acceptSession(client: QueryClient, session: Session): void {
  setCsrfToken(session.csrfToken);
  client.setQueryData(SESSION_KEY, session);
}

/** Forgets everything cached for the signed-out member. */
export function forgetSession(client: QueryClient): void {
  setCsrfToken(null);
  client.removeQueries({
    predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] && q.queryKey[0] !== SETUP_KEY[0],
  });
  client.setQueryData(SESSION_KEY, null);
}

export interface Actor {
  readonly member: Member;
  readonly organization: Organization;
  readonly isAdmin: boolean;
  readonly isOperatorAdmin: boolean;
  /** Admins and auditors read the audit trail (their organization's, or all of it). */
  readonly canReadAuditTrail: boolean;
  /** Operator admins and auditors of vetted oversight bodies (or the operator) read all of it. */
  readonly readsWholeAuditTrail: boolean;
}

export function actorOf(session: Session): Actor {
  const isAdmin = session.member.roles.includes('admin');
  const isAuditor = session.member.roles.includes('auditor');
  const org = session.organization;
  const isOperatorAdmin = isAdmin && org.isOperator;
  return {
    member: session.member,
    organization: org,
    isAdmin,
    isOperatorAdmin,
    canReadAuditTrail: isAdmin || isAuditor,
    // Mirrors the server's audit scope (src/policy/audit.ts); the server decides, this only explains.
    readsWholeAuditTrail:
      isOperatorAdmin ||
      (isAuditor && org.status === 'vetted' && (org.role === 'oversight' || org.isOperator)),
  };
}

/**
 * Holds the signed-in member for the pages below <RequireSession>. It is provided only while a
 * session exists, so when the session ends those pages unmount instead of rendering without one.
 */
export const ActorContext = createContext<Actor | null>(null);

export function useActor(): Actor {
  const actor = useContext(ActorContext);
  if (actor === null) throw new Error('useActor outside a signed-in page');
  return actor;
}
