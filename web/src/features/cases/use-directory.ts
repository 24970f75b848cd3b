import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../lib/api';
import { hasRole, orgViewerRoles } from '../../lib/roles';
import type { User } from '../../lib/types';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useSession } from '../auth/session';
import type { CaseDetail, CaseEvent, CaseMessage } from './cases.api';

/** Event fields that hold a user id. */
const userFields = ['ownerId', 'toUserId', 'fromUserId', 'from', 'to'] as const;

export interface Directory {
  userName: (id: string | null | undefined) => string | undefined;
  unitName: (id: string | null | undefined) => string | undefined;
}

/**
 * Names for the ids in a case's history. The events carry ids only; names come from what the
 * page already has (owner, unit, message authors, the session), and for roles that may read the
 * organisation, from /users/:id and /units. Agents see "a colleague" for anyone else.
 */
export function useDirectory(detail: CaseDetail | undefined, events: readonly CaseEvent[], messages: readonly CaseMessage[]): Directory {
  const { user } = useSession();
  const canReadOrg = hasRole(user.role, orgViewerRoles);

  const units = useQuery({
    queryKey: unitsQueryKey,
    queryFn: ({ signal }) => fetchUnits(signal),
    enabled: canReadOrg,
    staleTime: 5 * 60_000,
  });

  // Escalations name their addressee, and anyone who may read the case may read them.
  const escalations = useQuery({
    queryKey: ['escalations', 'for-case', detail?.id],
    queryFn: ({ signal }) =>
      api.get<{ items: { toUserId: string; toUserName: string }[] }>('/api/v1/escalations', { caseId: detail!.id, limit: 500 }, signal),
    enabled: Boolean(detail) && events.some((event) => event.type.startsWith('escalation.')),
    staleTime: 60_000,
    retry: false,
  });

  const known = useMemo(() => {
    const users = new Map<string, string>([[user.id, user.name]]);
    for (const escalation of escalations.data?.items ?? []) users.set(escalation.toUserId, escalation.toUserName);
    if (detail) users.set(detail.owner.id, detail.owner.name);
    if (detail?.pendingTransfer?.fromUserName) users.set(detail.pendingTransfer.fromUserId, detail.pendingTransfer.fromUserName);
    for (const message of messages) if (message.authorId && message.authorName) users.set(message.authorId, message.authorName);
    return users;
  }, [user, detail, messages, escalations.data]);

  const unknownIds = useMemo(() => {
    if (!canReadOrg) return [];
    const ids = new Set<string>();
    const add = (value: unknown) => {
      if (typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value) && !known.has(value)) ids.add(value);
    };
    for (const event of events) {
      add(event.actorId);
      const data = (event.data ?? {}) as Record<string, unknown>;
      for (const field of userFields) add(data[field]);
    }
    if (detail?.pendingTransfer) add(detail.pendingTransfer.toUserId);
    return [...ids].sort();
  }, [canReadOrg, events, detail, known]);

  const lookedUp = useQueries({
    queries: unknownIds.map((id) => ({
      queryKey: ['users', 'one', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<User>(`/api/v1/users/${encodeURIComponent(id)}`, undefined, signal),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });

  return useMemo(() => {
    const users = new Map(known);
    for (const result of lookedUp) if (result.data) users.set(result.data.id, result.data.name);
    const unitNames = new Map<string, string>([[user.unitId, user.unitName]]);
    if (detail) unitNames.set(detail.unit.id, detail.unit.name);
    for (const unit of units.data?.items ?? []) unitNames.set(unit.id, unit.name);
    return {
      userName: (id) => (id ? users.get(id) : undefined),
      unitName: (id) => (id ? unitNames.get(id) : undefined),
    };
  }, [known, lookedUp, units.data, user, detail]);
}
