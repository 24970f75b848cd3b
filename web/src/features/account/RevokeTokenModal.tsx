import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { myTokensQueryKey, revokeToken, type ApiToken } from './tokens.api';

/** Revoking cannot be undone, so it asks first; the safe choice has the initial focus. */
export function RevokeTokenModal({ token, onClose }: { token: ApiToken; onClose: () => void }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => revokeToken(token.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: myTokensQueryKey });
      notifications.show({ color: 'teal', message: `Token “${token.name}” revoked` });
      onClose();
    },
  });

  return (
    <Modal opened onClose={onClose} title="Revoke token?">
      <Stack>
        <Text size="sm">
          Anything that uses the token “{token.name}” ({token.prefix}…) will stop working at once. This cannot be undone.
        </Text>
        {mutation.isError && (
          <Alert color="red" title="Could not revoke" role="alert">
            {mutation.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => mutation.mutate()} loading={mutation.isPending}>
            Revoke
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
