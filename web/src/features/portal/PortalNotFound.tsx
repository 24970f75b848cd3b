import { Stack, Text, Title } from '@mantine/core';
import { PortalLayout, usePortalTitle } from './PortalLayout';

/** A wrong, expired or revoked link: friendly, and with nothing that helps someone guess. */
export function PortalNotFoundContent() {
  usePortalTitle("We can't find this page");
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">
        We can't find this page
      </Title>
      <Text>The link may be out of date. If you need help, contact us quoting your reference.</Text>
    </Stack>
  );
}

export function PortalNotFound() {
  return (
    <PortalLayout>
      <PortalNotFoundContent />
    </PortalLayout>
  );
}
