import { api, type Page } from '../../../lib/api';
import type { CreatedApiToken, Role, User } from '../../../lib/types';

export const usersQueryKey = ['users'] as const;

export const USER_PAGE_LIMIT = 50;

export interface UserFilters {
  q: string;
  role: Role | null;
  unitId: string | null;
}

export const fetchUsers = (filters: UserFilters, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<User>>(
    '/api/v1/users',
    { q: filters.q.trim(), role: filters.role, unitId: filters.unitId, limit: USER_PAGE_LIMIT, cursor },
    signal,
  );

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  unitId: string;
  password?: string;
  discretionLimit?: number | null;
}

export interface UpdateUserInput {
  name?: string;
  role?: Role;
  unitId?: string;
  discretionLimit?: number | null;
  active?: boolean;
  password?: string;
}

export const createUser = (input: CreateUserInput) => api.post<User>('/api/v1/users', input);

export const updateUser = (id: string, input: UpdateUserInput) => api.patch<User>(`/api/v1/users/${encodeURIComponent(id)}`, input);

export const createTokenForUser = (userId: string, name: string) =>
  api.post<CreatedApiToken>(`/api/v1/users/${encodeURIComponent(userId)}/tokens`, { name });
