import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { isApiError } from '../lib/api';
import { cssVariablesResolver, theme } from './theme';

/**
 * Invalidation after a write, made safe for a list still on its first fetch: that fetch began
 * before the write, and TanStack Query has a refetch join a fetch in flight when there is no data
 * to show meanwhile — the page would keep the answer from before the write (a framework just added
 * missing from its picker). Such fetches are cancelled first, so the refetch asks again.
 */
class QueryClientAfterWrites extends QueryClient {
  override async invalidateQueries(...args: Parameters<QueryClient['invalidateQueries']>): Promise<void> {
    const firstFetches = this.getQueryCache().findAll(args[0]).filter((query) => query.state.data === undefined && query.state.fetchStatus === 'fetching');
    await Promise.all(firstFetches.map((query) => query.cancel({ revert: true })));
    return super.invalidateQueries(...args);
  }
}

function createQueryClient(): QueryClient {
  return new QueryClientAfterWrites({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will answer the same again; retrying only delays the message the user needs.
        retry: (failureCount, error) =>
          !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
