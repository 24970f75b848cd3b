import { Alert, Box, Button, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../lib/api';
import { askForManager, portalKeys, type Person } from './portal.api';
import classes from './portal.module.css';

const passedTo = (person: Person) =>
  `We have passed your complaint to ${person.displayName}, ${person.role}, who will contact you.`;

/** "I'd like to speak to a manager": always possible, and the answer names the manager. */
export function ManagerRequest({ token, requested }: { token: string; requested: Person | null }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [justAsked, setJustAsked] = useState<Person | null>(null);
  const confirmation = useRef<HTMLParagraphElement>(null);

  const mutation = useMutation({
    mutationFn: () => askForManager(token, note),
    onSuccess: async (answer) => {
      setJustAsked(answer.to);
      setOpened(false);
      await queryClient.invalidateQueries({ queryKey: portalKeys.status(token) });
    },
    onError: (failure) => {
      if (isApiError(failure) && failure.status === 429) {
        setError('You have asked several times in a short time. Please wait a few minutes and try again.');
      } else if (isApiError(failure) && failure.status === 0) {
        setError(failure.message);
      } else {
        setError('Sorry, something went wrong and your request was not sent. Please try again in a few minutes.');
      }
    },
  });

  // The button the customer pressed is gone: focus goes to the answer, so it is read out.
  useEffect(() => {
    if (justAsked) confirmation.current?.focus();
  }, [justAsked]);

  const manager = justAsked ?? requested;

  return (
    <section aria-labelledby="portal-manager-heading">
      <Title order={2} size="h4" id="portal-manager-heading" mb="xs">
        Not happy with how this is going?
      </Title>
      {manager ? (
        <Text ref={confirmation} tabIndex={-1} className={classes.focusTarget} fw={600} data-testid="portal-manager">
          {passedTo(manager)}
        </Text>
      ) : (
        <Stack gap="xs" align="flex-start">
          <Text>You can ask for a manager to look at your complaint at any time.</Text>
          <Button
            variant="outline"
            onClick={() => {
              setError(null);
              setOpened(true);
            }}
            w={{ base: '100%', xs: 'auto' }}
          >
            I'd like to speak to a manager
          </Button>
        </Stack>
      )}

      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Speak to a manager"
        // After a successful request the button is gone; focus goes to the answer instead.
        returnFocus={!justAsked}
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            mutation.mutate();
          }}
        >
          <Stack gap="sm">
            <Text>A manager will look at your complaint and contact you. We will tell you who it is straight away.</Text>
            <Textarea
              label="Anything you want the manager to know? (optional)"
              autosize
              minRows={3}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              error={note.length > 2000 ? 'Please keep this under 2,000 characters' : undefined}
            />
            {error && (
              <Alert color="red" title="Your request has not been sent" role="alert">
                {error}
              </Alert>
            )}
            <Box>
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setOpened(false)}>
                  Cancel
                </Button>
                <Button type="submit" loading={mutation.isPending} disabled={note.length > 2000}>
                  Ask for a manager
                </Button>
              </Group>
            </Box>
          </Stack>
        </form>
      </Modal>
    </section>
  );
}
