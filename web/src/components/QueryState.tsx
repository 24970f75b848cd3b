import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isApiError } from '../lib/api';
import { NotAllowed } from './NotAllowed';

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data?: unknown;
  refetch: () => unknown;
}

/** Placeholder rows while a table loads; announced once instead of as many blank shapes. */
export function TableSkeleton({ rows = 5, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <Stack gap="xs" role="status" aria-label={label} aria-busy>
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={36} radius="sm" />
      ))}
    </Stack>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => unknown }) {
  if (isApiError(error) && error.status === 403) return <NotAllowed message={error.message} />;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load" role="alert">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={() => onRetry()}>
              Retry
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** The three states every data page has before its content: loading, failed (or forbidden), ready. */
export function QueryState({
  query,
  children,
  loadingLabel,
}: {
  query: QueryLike;
  children: ReactNode;
  loadingLabel?: string;
}) {
  if (query.isPending) return <TableSkeleton label={loadingLabel} />;
  // A failed refetch (or "load more") keeps what was already loaded on screen.
  if (query.isError && query.data === undefined) return <ErrorState error={query.error} onRetry={query.refetch} />;
  return <>{children}</>;
}
