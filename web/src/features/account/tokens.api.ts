import { api } from '../../lib/api';
import type { CreatedApiToken } from '../../lib/types';

export interface ApiToken {
  id: string;
  name: string;
  /** First characters of the token, enough to recognise it, useless to use it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const myTokensQueryKey = ['tokens', 'mine'] as const;

export const fetchMyTokens = (signal?: AbortSignal) => api.get<{ items: ApiToken[] }>('/api/v1/tokens', undefined, signal);

export const createMyToken = (name: string) => api.post<CreatedApiToken>('/api/v1/tokens', { name });

export const revokeToken = (id: string) => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`);
