import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { OneTimeToken } from '../../components/OneTimeToken';
import { applyApiError, focusFirstError } from '../../lib/form-errors';
import { createMyToken, myTokensQueryKey } from './tokens.api';

export function CreateTokenForm() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '' },
    validate: { name: (value: string) => (value.trim() ? null : 'Enter a name for the token') },
  });
  const mutation = useMutation({
    mutationFn: createMyToken,
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: myTokensQueryKey });
    },
    onError: (error) => setFormError(applyApiError(form, error, ['name'])),
  });

  return (
    <Stack gap="md">
      <form
        noValidate
        aria-label="Create API token"
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          mutation.mutate(values.name.trim());
        }, focusFirstError(form))}
      >
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Token name"
            description="What it is for, e.g. “reporting script”."
            required
            w={320}
            {...form.getInputProps('name')}
          />
          {/* Offset so the button lines up with the input rather than its label. */}
          <Button type="submit" loading={mutation.isPending} mt={25}>
            Create token
          </Button>
        </Group>
      </form>
      {formError && (
        <Alert color="red" title="Could not create the token" role="alert">
          {formError}
        </Alert>
      )}
      {mutation.data && (
        <Stack gap="xs">
          <OneTimeToken name={mutation.data.name} token={mutation.data.token} />
          <Group>
            <Button variant="default" size="xs" onClick={() => mutation.reset()}>
              I have copied it
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
