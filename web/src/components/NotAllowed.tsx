import { Alert, Anchor, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Shown when the role may not open a page, or the API answers 403 for what the page needs. */
export function NotAllowed({ message }: { message?: string }) {
  return (
    <Alert color="orange" icon={<IconLock aria-hidden />} title="Not allowed" role="alert">
      <Text size="sm">{message ?? 'Your role does not give you access to this page.'}</Text>
      <Anchor component={Link} to="/" size="sm">
        Go to the home page
      </Anchor>
    </Alert>
  );
}
