import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { onUnauthorized } from '../../lib/api';
import type { Session } from '../../lib/types';
import { fetchSession, logout, sessionQueryKey } from './auth.api';

/** Loads the session once; every page under RequireAuth reads it from context, never null. */
export function useSessionQuery() {
  const queryClient = useQueryClient();

  // Any API call answering 401 means the session is gone (expired, revoked, server restarted):
  // forgetting it here makes RequireAuth send the user to the login page.
  useEffect(
    () => onUnauthorized(() => queryClient.setQueryData(sessionQueryKey, null)),
    [queryClient],
  );

  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: fetchSession,
    staleTime: Infinity,
    retry: 1,
  });
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside RequireAuth');
  return session;
}

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      await logout();
    } finally {
      // Navigate first so RequireAuth does not remember this page as "where to go after login".
      navigate('/login', { replace: true });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
      queryClient.setQueryData(sessionQueryKey, null);
    }
  };
}
