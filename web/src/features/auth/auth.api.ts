import { api, apiRequest, isApiError, setCsrfToken } from '../../lib/api';
import type { Session } from '../../lib/types';

export const sessionQueryKey = ['auth', 'me'] as const;

export interface LoginInput {
  email: string;
  password: string;
  organisation?: string;
}

/** The current session, or null when nobody is signed in (401 is an answer here, not an error). */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await apiRequest<Session>('/api/v1/auth/me', { ignoreUnauthorized: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function login(input: LoginInput): Promise<Session> {
  const session = await apiRequest<Session>('/api/v1/auth/login', {
    method: 'POST',
    body: input,
    ignoreUnauthorized: true,
  });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/api/v1/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}
