import { Alert, Box, Button, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';
import { portalKeys, sendMessage } from './portal.api';

/** "Write to Priya": the customer answers the person who owns the complaint, on the same page. */
export function ReplyForm({ token, ownerName }: { token: string; ownerName: string }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  const form = useForm({
    mode: 'controlled',
    initialValues: { body: '' },
    validate: {
      body: (value: string) =>
        !value.trim() ? 'Please write your message' : value.trim().length > 20_000 ? 'Please keep your message under 20,000 characters' : null,
    },
  });

  const mutation = useMutation({
    mutationFn: (body: string) => sendMessage(token, body),
    onSuccess: async () => {
      form.reset();
      setSent(true);
      await queryClient.invalidateQueries({ queryKey: portalKeys.status(token) });
    },
    onError: (error) => {
      if (isApiError(error) && error.status === 429) {
        setFormError('You have sent several messages in a short time. Please wait a few minutes and try again.');
      } else if (isApiError(error) && error.code === 'validation_failed' && fieldErrorsFrom(error.details).body) {
        form.setFieldError('body', 'Please write your message');
        form.getInputNode('body')?.focus();
      } else if (isApiError(error) && error.status === 404) {
        setFormError('This link no longer works, so your message was not sent. Please contact us quoting your reference.');
      } else if (isApiError(error) && error.status === 0) {
        setFormError(`${error.message} Your message is still here.`);
      } else {
        setFormError('Sorry, something went wrong and your message was not sent. It is still here: please try again in a few minutes.');
      }
    },
  });

  const submit = form.onSubmit(
    (values) => {
      setFormError(null);
      setSent(false);
      mutation.mutate(values.body.trim());
    },
    () => form.getInputNode('body')?.focus(),
  );

  return (
    <section aria-labelledby="portal-reply-heading">
      <Title order={2} size="h4" id="portal-reply-heading" mb="xs">
        Write to {ownerName}
      </Title>
      <form onSubmit={submit} noValidate aria-labelledby="portal-reply-heading">
        <Stack gap="sm">
          <Textarea
            label="Your message"
            autosize
            minRows={4}
            required
            {...form.getInputProps('body')}
            onChange={(event) => {
              setSent(false);
              form.getInputProps('body').onChange(event);
            }}
          />
          {formError && (
            <Alert color="red" title="Your message has not been sent" role="alert">
              {formError}
            </Alert>
          )}
          {/* Always in the page, so screen readers announce the text when it appears. */}
          <Box role="status">
            {sent && (
              <Text fw={600}>
                Your message has been sent to {ownerName}. It is shown in the conversation above.
              </Text>
            )}
          </Box>
          <Box>
            <Button type="submit" loading={mutation.isPending} w={{ base: '100%', xs: 'auto' }}>
              Send
            </Button>
          </Box>
        </Stack>
      </form>
    </section>
  );
}
