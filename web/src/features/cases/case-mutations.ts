import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { casesQueryKey, transfersQueryKey } from './cases.api';

/**
 * After any change to a case: its page (details, clocks, timeline), every case list and count,
 * the transfers waiting for an answer, and (escalate, decide) the escalation and decision lists
 * are stale.
 */
export function useInvalidateCases() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: casesQueryKey }),
      queryClient.invalidateQueries({ queryKey: transfersQueryKey }),
      queryClient.invalidateQueries({ queryKey: ['escalations'] }),
      queryClient.invalidateQueries({ queryKey: ['decisions'] }),
    ]);
  }, [queryClient]);
}
