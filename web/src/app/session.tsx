// Who is signed in. The session lives in an HttpOnly cookie; the console learns about it from
// GET /api/auth/session (so a reload keeps you signed in) and keeps the CSRF token for changes.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { request, setCsrfToken, setSessionLostHandler } from '../api/client';
import { ApiError } from '../api/errors';
import type { SessionInfo } from '../api/types';

interface SessionContextValue {
  user: SessionInfo | null;
  loading: boolean;
  /** Set when the server ended the session while the console was open. */
  expired: boolean;
  /** Why the first session check failed (a 5xx or no answer; a 401 is "not signed in"), else null. */
  probeError: unknown;
  /** Asks the server again after `probeError`. */
  probeAgain(): void;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);
const SESSION_KEY = ['session'] as const;

async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const info = await request<SessionInfo>('GET', '/api/auth/session', { expectUnauthorized: true });
    // Known before the pages render: some ask the server with a POST as they mount (the access
    // check), and effects run child first, so the provider's effect below would come too late.
    setCsrfToken(info.csrfToken);
    return info;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [expired, setExpired] = useState(false);
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, retry: 1 });
  const user = session.data ?? null;

  useEffect(() => { setCsrfToken(user?.csrfToken ?? null); }, [user]);

  // Everything cached belongs to the session that loaded it; the session query itself stays
  // observed (clearing it would leave this provider watching a query that no longer exists).
  const forgetOtherData = useCallback(() => {
    queryClient.cancelQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    queryClient.getMutationCache().clear();
  }, [queryClient]);

  const endLocally = useCallback(() => {
    setCsrfToken(null);
    forgetOtherData();
    queryClient.setQueryData(SESSION_KEY, null);
  }, [queryClient, forgetOtherData]);

  useEffect(() => {
    setSessionLostHandler(() => {
      setExpired(true);
      endLocally();
    });
    return () => setSessionLostHandler(null);
  }, [endLocally]);

  // Only a failed first check is an error to show; a later one (none today: the check never goes
  // stale) keeps the answer it had.
  const probeError = session.isLoadingError ? session.error : null;
  const { refetch } = session;
  const value = useMemo<SessionContextValue>(() => ({
    user,
    // Asking again after a failed first check is loading too, so the answer replaces the error.
    loading: session.isPending || (probeError !== null && session.isFetching),
    expired,
    probeError,
    probeAgain() { void refetch(); },
    async login(email, password) {
      const info = await request<SessionInfo>('POST', '/api/auth/login', { body: { email, password }, expectUnauthorized: true });
      setCsrfToken(info.csrfToken);
      forgetOtherData();
      setExpired(false);
      queryClient.setQueryData(SESSION_KEY, info);
    },
    async logout() {
      try {
        await request<boolean>('POST', '/api/auth/logout', { body: {}, expectUnauthorized: true });
      } finally {
        setExpired(false);
        endLocally();
      }
    },
  }), [user, session.isPending, session.isFetching, probeError, refetch, expired, queryClient, endLocally, forgetOtherData]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only for pages behind the login gate. */
export function useUser(): SessionInfo {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a session');
  return user;
}
