import { api, type Page } from '../../../lib/api';
import type { Unit, UnitKind } from '../../../lib/types';

export const unitsQueryKey = ['units'] as const;

/** 500 is the API maximum; an organisation tree is far smaller, so one page is the whole tree. */
export const UNIT_PAGE_LIMIT = 500;

export const fetchUnits = (signal?: AbortSignal) =>
  api.get<Page<Unit>>('/api/v1/units', { limit: UNIT_PAGE_LIMIT }, signal);

export interface CreateUnitInput {
  name: string;
  kind: UnitKind;
  parentId: string | null;
  timezone?: string;
  country?: string | null;
}

export type UpdateUnitInput = Partial<Pick<CreateUnitInput, 'name' | 'parentId' | 'timezone' | 'country'>>;

export const createUnit = (input: CreateUnitInput) => api.post<Unit>('/api/v1/units', input);

export const updateUnit = (id: string, input: UpdateUnitInput) => api.patch<Unit>(`/api/v1/units/${encodeURIComponent(id)}`, input);
