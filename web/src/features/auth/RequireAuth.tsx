import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { SessionProvider, useSessionQuery } from './session';
import { loginPath } from './redirect';

export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const { data: session, isPending, isError, error, refetch } = useSessionQuery();

  if (isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading TrustDesk" />
      </Center>
    );
  }
  if (isError) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={420}>
          <Alert color="red" title="TrustDesk could not start" role="alert">
            {error.message}
          </Alert>
          <Button onClick={() => refetch()}>Retry</Button>
        </Stack>
      </Center>
    );
  }
  if (!session) {
    return <Navigate to={loginPath(location.pathname + location.search + location.hash)} replace />;
  }
  return <SessionProvider session={session}>{children}</SessionProvider>;
}
