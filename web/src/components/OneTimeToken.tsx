import { ActionIcon, Alert, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

/**
 * A new API token, shown once: the server keeps only its hash, so if it is lost it has to be
 * revoked and created again. The warning says so in words, not only in colour.
 */
export function OneTimeToken({ name, token }: { name: string; token: string }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="Copy this token now" role="status">
        It will not be shown again. Store it somewhere safe; anyone who has it can act as this user.
      </Alert>
      <Text size="sm" fw={500} id="one-time-token-label">
        Token “{name}”
      </Text>
      <Group gap="xs" wrap="nowrap" align="center">
        <Code
          block
          aria-labelledby="one-time-token-label"
          data-testid="one-time-token"
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
        >
          {token}
        </Code>
        <CopyButton value={token} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy token'} withArrow>
              <ActionIcon
                variant="light"
                color={copied ? 'teal' : 'gray'}
                size="lg"
                onClick={copy}
                aria-label={copied ? 'Copied' : 'Copy token'}
              >
                {copied ? <IconCheck aria-hidden size={18} /> : <IconCopy aria-hidden size={18} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
