import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { OneTimeToken } from '../../../components/OneTimeToken';
import { applyApiError, focusFirstError } from '../../../lib/form-errors';
import type { User } from '../../../lib/types';
import { createTokenForUser } from './users.api';

/** Admin creates an API token on behalf of a user (e.g. an integration's service account). */
export function CreateUserTokenModal({ user, onClose }: { user: User; onClose: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '' },
    validate: { name: (value: string) => (value.trim() ? null : 'Enter a name for the token') },
  });
  const mutation = useMutation({
    mutationFn: (name: string) => createTokenForUser(user.id, name),
    onError: (error) => setFormError(applyApiError(form, error, ['name'])),
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={`API token for ${user.name}`}
      size="lg"
      // Once the token is shown, a stray click outside must not lose it.
      closeOnClickOutside={!mutation.data}
    >
      {mutation.data ? (
        <Stack>
          <OneTimeToken name={mutation.data.name} token={mutation.data.token} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit((values) => {
            setFormError(null);
            mutation.mutate(values.name.trim());
          }, focusFirstError(form))}
        >
          <Stack gap="sm">
            <Text size="sm">The token acts as {user.name}, with their role and unit, until it is revoked.</Text>
            {formError && (
              <Alert color="red" title="Could not create the token" role="alert">
                {formError}
              </Alert>
            )}
            <TextInput label="Token name" description="What it is for, e.g. “CRM integration”." required data-autofocus {...form.getInputProps('name')} />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
