import { Alert, Box, Button, Center, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { PasswordField } from '../../components/PasswordField';
import { isApiError } from '../../lib/api';
import { focusFirstError } from '../../lib/form-errors';
import { usePageTitle } from '../../lib/use-page-title';
import { login, sessionQueryKey, type LoginInput } from './auth.api';
import { safeNext } from './redirect';
import { useSessionQuery } from './session';

interface OrganisationChoice {
  slug: string;
  name: string;
}

/**
 * The server lists the organisations that share this e-mail (as slugs, or as {slug, name});
 * if it does we offer a choice, otherwise the user types the slug.
 */
function organisationChoices(details: unknown): OrganisationChoice[] {
  const list = (details as { organisations?: unknown } | undefined)?.organisations;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): OrganisationChoice[] => {
    if (typeof item === 'string') return [{ slug: item, name: item }];
    if (typeof item?.slug === 'string') return [{ slug: item.slug, name: typeof item.name === 'string' ? item.name : item.slug }];
    return [];
  });
}

export function LoginPage() {
  usePageTitle('Sign in');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const session = useSessionQuery();

  const [needsOrganisation, setNeedsOrganisation] = useState(false);
  const [choices, setChoices] = useState<OrganisationChoice[]>([]);
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<LoginInput>({
    mode: 'controlled',
    initialValues: { email: '', password: '', organisation: '' },
    validate: {
      email: (value) => (value.trim() ? null : 'Enter your e-mail address'),
      password: (value) => (value ? null : 'Enter your password'),
      organisation: (value) => (needsOrganisation && !value?.trim() ? 'Enter your organisation' : null),
    },
  });

  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (data) => {
      // Nothing cached for a previous user (e.g. after their session expired) may show to this one.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
      queryClient.setQueryData(sessionQueryKey, data);
      navigate(next, { replace: true });
    },
    onError: (error) => {
      if (!isApiError(error)) {
        setFormError('Something went wrong. Please try again.');
        return;
      }
      if (error.code === 'organisation_required') {
        setNeedsOrganisation(true);
        setChoices(organisationChoices(error.details));
        form.setFieldError('organisation', error.message);
      } else if (error.code === 'invalid_credentials') {
        // Clearing the value also clears its error, so clear first and set the errors after.
        form.setFieldValue('password', '');
        // `true` marks the e-mail invalid without repeating the message under it.
        form.setErrors({ email: true, password: error.message || 'E-mail or password is incorrect' });
        form.getInputNode('password')?.focus();
      } else {
        setFormError(error.message);
      }
    },
  });

  if (session.data) return <Navigate to={next} replace />;

  const submit = form.onSubmit((values) => {
    setFormError(null);
    const organisation = values.organisation?.trim();
    mutation.mutate({
      email: values.email.trim(),
      password: values.password,
      ...(needsOrganisation && organisation ? { organisation } : {}),
    });
  }, focusFirstError(form));

  return (
    <Center mih="100vh" p="md" component="main" id="main-content">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Stack gap="md">
          <Box>
            <Title order={1} size="h2">
              Sign in to TrustDesk
            </Title>
            <Text c="dimmed" size="sm">
              Use the e-mail and password your administrator gave you.
            </Text>
          </Box>
          {formError && (
            <Alert color="red" title="Could not sign in" role="alert">
              {formError}
            </Alert>
          )}
          <form onSubmit={submit} noValidate aria-label="Sign in">
            <Stack gap="sm">
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                {...form.getInputProps('email')}
              />
              <PasswordField label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
              {needsOrganisation &&
                (choices.length > 0 ? (
                  <Select
                    label="Organisation"
                    required
                    // Mounted by the 409 answer: focus moves to the one thing left to do.
                    autoFocus
                    data={choices.map((choice) => ({ value: choice.slug, label: choice.name }))}
                    {...form.getInputProps('organisation')}
                  />
                ) : (
                  <TextInput
                    label="Organisation"
                    description="Your e-mail belongs to more than one organisation: enter the short name (slug) of yours."
                    required
                    autoFocus
                    {...form.getInputProps('organisation')}
                  />
                ))}
              <Button type="submit" loading={mutation.isPending} fullWidth mt="xs">
                Sign in
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
