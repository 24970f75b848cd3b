import { Alert, Button, Grid, Group, List, Paper, Select, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { isApiError } from '../../lib/api';
import { applyApiError, focusFirstError } from '../../lib/form-errors';
import { hasRole, orgViewerRoles } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useSession } from '../auth/session';
import { channelLabels, kindLabels, options, priorityLabels } from './case-labels';
import { useInvalidateCases } from './case-mutations';
import {
  caseChannels, caseKinds, casePriorities, createCase, defaultCategories, detectComplaint, type CaseChannel, type CaseKind,
  type CasePriority,
} from './cases.api';

interface NewCaseValues {
  subject: string;
  description: string;
  customer: { name: string; email: string; phone: string; ref: string };
  unitId: string | null;
  kind: CaseKind;
  channel: CaseChannel;
  product: string;
  category: string | null;
  priority: CasePriority;
  vulnerable: boolean;
  vulnerabilityNote: string;
  receivedAt: string;
}

const fields = [
  'subject', 'description', 'customer.name', 'customer.email', 'customer.phone', 'customer.ref', 'unitId', 'kind', 'channel', 'product',
  'category', 'priority', 'vulnerable', 'vulnerabilityNote', 'receivedAt',
] as const;

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** `datetime-local` gives local wall time without a zone; the API wants an instant. */
const toInstant = (local: string): string | undefined => {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** "Now" as the input's max, so nobody records a letter as received tomorrow. */
const localNow = () => {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
};

export function NewCasePage() {
  usePageTitle('New case');
  const { user } = useSession();
  const navigate = useNavigate();
  const invalidate = useInvalidateCases();
  const [formError, setFormError] = useState<string | null>(null);

  // Agents may not read the organisation tree (403): their cases open in their own unit.
  const canPickUnit = hasRole(user.role, orgViewerRoles);
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), enabled: canPickUnit });
  const unitsForbidden = !canPickUnit || (isApiError(units.error) && units.error.status === 403);
  const unitOptions = useMemo(
    () => (unitsForbidden ? [{ value: user.unitId, label: user.unitName }] : (units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name }))),
    [units.data, unitsForbidden, user],
  );
  const depthById = useMemo(() => new Map((units.data?.items ?? []).map((unit) => [unit.id, unit.depth])), [units.data]);

  const form = useForm<NewCaseValues>({
    mode: 'controlled',
    initialValues: {
      subject: '',
      description: '',
      customer: { name: '', email: '', phone: '', ref: '' },
      unitId: user.unitId,
      kind: 'complaint',
      channel: 'phone',
      product: '',
      category: null,
      priority: 'normal',
      vulnerable: false,
      vulnerabilityNote: '',
      receivedAt: '',
    },
    validate: {
      subject: (value) => (value.trim() ? null : 'Enter a subject'),
      description: (value) => (value.trim() ? null : 'Describe what the customer said'),
      customer: {
        name: (value) => (value.trim() ? null : "Enter the customer's name"),
        email: (value) => (!value.trim() || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid e-mail address'),
        phone: (value) => (/^[+0-9 ()-]*$/.test(value.trim()) ? null : 'Use digits, spaces, + ( ) - only'),
      },
      unitId: (value) => (value ? null : 'Choose a unit'),
      receivedAt: (value) =>
        !value ? null : Number.isNaN(new Date(value).getTime()) ? 'Enter a date and time' : new Date(value).getTime() > Date.now() + 60_000 ? 'Cannot be in the future' : null,
    },
  });

  // As a request is typed, ask whether it reads like a complaint (explainable rules on the server).
  const text = form.values.kind === 'request' ? `${form.values.subject}\n${form.values.description}`.trim() : '';
  const [debouncedText] = useDebouncedValue(text, 600);
  const detection = useQuery({
    queryKey: ['complaint-detection', debouncedText],
    queryFn: () => detectComplaint(debouncedText),
    enabled: form.values.kind === 'request' && debouncedText.length >= 12,
    staleTime: Infinity,
  });
  const signals = form.values.kind === 'request' && debouncedText.length >= 12 ? detection.data : undefined;

  const mutation = useMutation({
    mutationFn: (values: NewCaseValues) =>
      createCase({
        subject: values.subject.trim(),
        description: values.description.trim(),
        customer: {
          name: values.customer.name.trim(),
          email: orNull(values.customer.email),
          phone: orNull(values.customer.phone),
          ref: orNull(values.customer.ref),
        },
        unitId: values.unitId!,
        kind: values.kind,
        channel: values.channel,
        product: orNull(values.product),
        category: values.category,
        priority: values.priority,
        vulnerable: values.vulnerable,
        vulnerabilityNote: values.vulnerable ? orNull(values.vulnerabilityNote) : null,
        receivedAt: toInstant(values.receivedAt),
      }),
    onSuccess: async (created) => {
      await invalidate();
      notifications.show({ color: 'teal', message: `${created.ref} opened; ${created.owner.name} owns it` });
      navigate(`/cases/${created.id}`);
    },
    onError: (error) => setFormError(applyApiError(form, error, fields)),
  });

  return (
    <>
      <PageHeader title="New case" description="Record what the customer told us. The case gets one owner at once, and its clocks start." />
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          mutation.mutate(values);
        }, focusFirstError(form))}
      >
        <Stack gap="lg" maw={960}>
          {formError && (
            <Alert color="red" title="The case was not opened" role="alert">
              {formError}
            </Alert>
          )}
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm">
              What happened
            </Title>
            <Stack gap="sm">
              <Group grow align="flex-start">
                <Select label="Kind" required allowDeselect={false} data={options(kindLabels, caseKinds)} {...form.getInputProps('kind')} />
                <Select label="Channel" required allowDeselect={false} data={options(channelLabels, caseChannels)} {...form.getInputProps('channel')} />
                <Select label="Priority" required allowDeselect={false} data={options(priorityLabels, casePriorities)} {...form.getInputProps('priority')} />
              </Group>
              <TextInput label="Subject" required maxLength={300} data-autofocus {...form.getInputProps('subject')} />
              <Textarea label="Description" required autosize minRows={5} maxRows={20} {...form.getInputProps('description')} />
              {signals?.likely && (
                <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="This reads like a complaint" role="status">
                  <Stack gap="xs">
                    <Text size="sm">Any expression of dissatisfaction is a complaint, and complaint deadlines apply. The text:</Text>
                    <List size="sm">
                      {signals.reasons.map((reason) => (
                        <List.Item key={reason.reason}>
                          {reason.reason} (“{reason.match}”)
                        </List.Item>
                      ))}
                    </List>
                    <Group>
                      <Button size="xs" color="orange" onClick={() => form.setFieldValue('kind', 'complaint')}>
                        Record it as a complaint
                      </Button>
                    </Group>
                  </Stack>
                </Alert>
              )}
              <Grid>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <TextInput label="Product" description="E.g. Current account, Mortgage" maxLength={120} {...form.getInputProps('product')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Select label="Category" description="Root cause" placeholder="Not yet known" data={[...defaultCategories]} clearable searchable {...form.getInputProps('category')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Select
                    label="Unit"
                    description={unitsForbidden ? 'Cases you open belong to your own unit.' : 'The case is routed to someone in this unit.'}
                    required
                    allowDeselect={false}
                    searchable={!unitsForbidden}
                    readOnly={unitsForbidden}
                    data={unitOptions}
                    nothingFoundMessage="No unit matches"
                    renderOption={({ option }) => (
                      <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>
                    )}
                    {...form.getInputProps('unitId')}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <TextInput
                    type="datetime-local"
                    label="Received at"
                    description="Leave empty for now. For letters and back-office entry, when it reached us."
                    max={localNow()}
                    {...form.getInputProps('receivedAt')}
                  />
                </Grid.Col>
              </Grid>
            </Stack>
          </Paper>

          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm">
              Customer
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Customer name" required maxLength={200} autoComplete="off" {...form.getInputProps('customer.name')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Customer e-mail" type="email" maxLength={254} autoComplete="off" {...form.getInputProps('customer.email')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Customer phone" type="tel" maxLength={40} autoComplete="off" {...form.getInputProps('customer.phone')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Customer reference" description="Account or customer number" maxLength={100} autoComplete="off" {...form.getInputProps('customer.ref')} />
              </Grid.Col>
              <Grid.Col span={12}>
                <Switch
                  label="Vulnerable customer"
                  description="Health, life events, resilience or capability that call for extra care."
                  {...form.getInputProps('vulnerable', { type: 'checkbox' })}
                />
              </Grid.Col>
              {form.values.vulnerable && (
                <Grid.Col span={12}>
                  <Textarea
                    label="Vulnerability note"
                    description="What the customer needs from us; record only what is necessary."
                    autosize
                    minRows={2}
                    maxLength={2000}
                    {...form.getInputProps('vulnerabilityNote')}
                  />
                </Grid.Col>
              )}
            </Grid>
          </Paper>

          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(-1)}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Open case
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
