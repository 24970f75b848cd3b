import { Alert, Button, Group, Paper, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { saveEmailPreference, type EmailPreference } from './settings.api';

const choices: { value: EmailPreference; label: string; description: string }[] = [
  { value: 'immediate', label: 'Immediately', description: 'One e-mail for each notification, as it happens.' },
  { value: 'daily_digest', label: 'Daily digest', description: 'One e-mail a day listing what you have not read.' },
  { value: 'off', label: 'Off', description: 'No e-mails. Notifications still appear under the bell in TrustDesk.' },
];

export function NotificationSettingsPage() {
  usePageTitle('Notification settings');
  const { user } = useSession();
  // The API does not report the current choice yet, so nothing is pre-selected until one is saved.
  const [value, setValue] = useState<EmailPreference | ''>('');
  const [saved, setSaved] = useState<EmailPreference | null>(null);
  const [error, setError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: (email: EmailPreference) => saveEmailPreference(email),
    onSuccess: (result) => {
      setSaved(result.email);
      notifications.show({ color: 'teal', message: 'Notification e-mail preference saved' });
    },
    onError: (err) => setError(err instanceof Error ? err.message : 'Something went wrong. Please try again.'),
  });

  const savedLabel = saved ? choices.find((choice) => choice.value === saved)?.label : null;

  return (
    <>
      <PageHeader
        title="Notification settings"
        description="Escalations addressed to you, hand-offs and deadline warnings always appear under the bell. Choose whether they also reach you by e-mail."
      />
      <Paper withBorder p="lg" maw={640}>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            if (!value) {
              setError('Choose how you want to receive e-mails');
              return;
            }
            mutation.mutate(value);
          }}
        >
          <Stack gap="md">
            {error && (
              <Alert color="red" title="Could not save" role="alert">
                {error}
              </Alert>
            )}
            <Radio.Group
              label="E-mail notifications"
              description={`Sent to ${user.email}. New accounts start with “Immediately”.`}
              value={value}
              onChange={(next) => setValue(next as EmailPreference)}
            >
              <Stack gap="sm" mt="xs">
                {choices.map((choice) => (
                  <Radio key={choice.value} value={choice.value} label={choice.label} description={choice.description} />
                ))}
              </Stack>
            </Radio.Group>
            {savedLabel && (
              <Text size="sm" role="status">
                Saved: {savedLabel}.
              </Text>
            )}
            <Group>
              <Button type="submit" loading={mutation.isPending}>
                Save preference
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
