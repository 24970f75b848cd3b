import { Alert, Button, Fieldset, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../lib/api';
import { placeApiErrors } from './api-errors';
import { basisLabels, metByLabels, parseWarnAt, warnAtToText } from './clock-text';
import {
  createPolicy,
  policiesQueryKey,
  updatePolicy,
  type ClockBasis,
  type ClockPolicy,
  type ClockTrigger,
  type PolicyInput,
} from './settings.api';

interface ClockValues {
  name: string;
  label: string;
  basis: ClockBasis;
  /** NumberInput gives '' when empty. */
  amount: number | string;
  metBy: ClockTrigger;
  pausable: boolean;
  /** Percentages as typed: "50, 75, 90". */
  warnAt: string;
  informational: boolean;
  customerText: string;
}

interface PolicyValues {
  key: string;
  name: string;
  description: string;
  source: string;
  clocks: ClockValues[];
}

const basisOptions = (Object.keys(basisLabels) as ClockBasis[]).map((value) => ({ value, label: basisLabels[value].option }));
const metByOptions = (Object.keys(metByLabels) as ClockTrigger[]).map((value) => ({ value, label: metByLabels[value].option }));

const KEY_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
const CLOCK_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

const newClock = (): ClockValues => ({
  name: '',
  label: '',
  basis: 'business_days',
  amount: '',
  metBy: 'resolution',
  pausable: false,
  warnAt: '50, 80',
  informational: false,
  customerText: 'We will get back to you',
});

/** "Final response (8 weeks)" → "final_response_8_weeks": a starting point for the machine name. */
const nameFromLabel = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);

export type PolicyModalMode = { mode: 'create' } | { mode: 'copy'; from: ClockPolicy } | { mode: 'edit'; policy: ClockPolicy };

function initialValues(mode: PolicyModalMode): PolicyValues {
  const source = mode.mode === 'copy' ? mode.from : mode.mode === 'edit' ? mode.policy : null;
  if (!source) return { key: '', name: '', description: '', source: 'Internal policy', clocks: [newClock()] };
  return {
    key: mode.mode === 'copy' ? `${source.key}-copy`.slice(0, 40) : source.key,
    name: mode.mode === 'copy' ? `${source.name} (copy)` : source.name,
    description: source.description,
    source: source.source,
    clocks: source.clocks.map((clock) => ({
      name: clock.name,
      label: clock.label,
      basis: clock.basis,
      amount: clock.amount,
      metBy: clock.metBy,
      pausable: clock.pausable,
      warnAt: warnAtToText(clock.warnAt),
      informational: Boolean(clock.informational),
      customerText: clock.customerText,
    })),
  };
}

function toInput(values: PolicyValues): PolicyInput {
  return {
    key: values.key.trim(),
    name: values.name.trim(),
    description: values.description.trim(),
    source: values.source.trim() || 'Internal policy',
    clocks: values.clocks.map((clock) => {
      const warnAt = parseWarnAt(clock.warnAt);
      return {
        name: clock.name.trim(),
        label: clock.label.trim(),
        basis: clock.basis,
        amount: Number(clock.amount),
        metBy: clock.metBy,
        pausable: clock.pausable,
        warnAt: 'value' in warnAt ? warnAt.value : [],
        ...(clock.informational && { informational: true }),
        customerText: clock.customerText.trim(),
      };
    }),
  };
}

const fieldPaths = (values: PolicyValues) => [
  'key',
  'name',
  'description',
  'source',
  ...values.clocks.flatMap((_, index) =>
    ['name', 'label', 'basis', 'amount', 'metBy', 'pausable', 'warnAt', 'informational', 'customerText'].map(
      (field) => `clocks.${index}.${field}`,
    ),
  ),
];

export function PolicyFormModal({ mode, onClose }: { mode: PolicyModalMode; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const isEdit = mode.mode === 'edit';

  const form = useForm<PolicyValues>({
    mode: 'controlled',
    initialValues: initialValues(mode),
    validate: {
      key: (value) =>
        isEdit || KEY_PATTERN.test(value.trim()) ? null : 'Use 2–40 lower-case letters, digits and hyphens, starting with a letter',
      name: (value) => (value.trim() ? null : 'Enter a name'),
      clocks: {
        name: (value, values) => {
          if (!CLOCK_NAME_PATTERN.test(value.trim())) return 'Use lower-case letters, digits and _, starting with a letter';
          const same = values.clocks.filter((clock) => clock.name.trim() === value.trim()).length;
          return same > 1 ? 'Each clock in a policy needs its own name' : null;
        },
        label: (value) => (value.trim() ? null : 'Enter a label'),
        amount: (value) => (value !== '' && Number(value) > 0 && Number(value) <= 3650 ? null : 'Enter an amount between 1 and 3650'),
        warnAt: (value) => {
          const parsed = parseWarnAt(value);
          return 'error' in parsed ? parsed.error : null;
        },
        customerText: (value) => (value.trim() ? null : 'Say what the customer is told'),
      },
    },
  });

  const mutation = useMutation({
    mutationFn: (values: PolicyValues) => {
      const input = toInput(values);
      return isEdit ? updatePolicy(mode.policy.key, input) : createPolicy(input);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: policiesQueryKey });
      notifications.show({ color: 'teal', message: `Policy “${saved.name}” ${isEdit ? 'saved' : 'created'}` });
      onClose();
    },
    onError: (error) => {
      // A taken key is the one conflict people fix in a field.
      if (isApiError(error) && error.code === 'already_exists' && !isEdit) {
        form.setFieldError('key', `${error.message}; choose another key`);
        (form.getInputNode('key') as HTMLElement | null)?.focus();
        setFormError(null);
        return;
      }
      setFormError(placeApiErrors(form, error, fieldPaths(form.getValues())));
    },
  });

  const title = isEdit ? `Edit policy “${mode.policy.name}”` : mode.mode === 'copy' ? `New policy from “${mode.from.name}”` : 'New policy';

  return (
    <Modal opened onClose={onClose} title={title} size="xl">
      <form
        noValidate
        onSubmit={form.onSubmit(
          (values) => {
            setFormError(null);
            mutation.mutate(values);
          },
          (errors) => {
            const first = Object.keys(errors).find((field) => errors[field]);
            if (first) (form.getInputNode(first as never) as HTMLElement | null)?.focus();
          },
        )}
      >
        <Stack gap="sm">
          {formError && (
            <Alert color="red" title="Could not save" role="alert">
              {formError}
            </Alert>
          )}
          {isEdit && (
            <Text size="sm" c="dimmed">
              Cases already running keep the clocks they started with; new cases get these.
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Policy name"
              required
              data-autofocus
              maxLength={120}
              {...form.getInputProps('name')}
            />
            <TextInput
              label="Key"
              description={isEdit ? 'The key cannot change: case rules refer to it.' : 'Used by case rules, e.g. “vip-complaints”.'}
              required
              disabled={isEdit}
              maxLength={40}
              autoComplete="off"
              {...form.getInputProps('key')}
            />
          </SimpleGrid>
          <Textarea label="Description" autosize minRows={2} maxLength={2000} {...form.getInputProps('description')} />
          <TextInput
            label="Source rule"
            description="Where the deadlines come from: a regulation, a contract or your own service levels."
            maxLength={500}
            {...form.getInputProps('source')}
          />

          {form.values.clocks.map((clock, index) => (
            <Fieldset key={index} legend={`Clock ${index + 1}${clock.label.trim() ? `: ${clock.label.trim()}` : ''}`}>
              <Stack gap="sm">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Label"
                    required
                    maxLength={80}
                    {...form.getInputProps(`clocks.${index}.label`)}
                    onBlur={(event) => {
                      form.getInputProps(`clocks.${index}.label`).onBlur?.(event);
                      if (!clock.name.trim() && clock.label.trim()) form.setFieldValue(`clocks.${index}.name`, nameFromLabel(clock.label));
                    }}
                  />
                  <TextInput
                    label="Clock name"
                    description="Lower-case letters, digits and _, e.g. final_response."
                    required
                    maxLength={40}
                    autoComplete="off"
                    {...form.getInputProps(`clocks.${index}.name`)}
                  />
                  <NumberInput
                    label="Amount"
                    required
                    min={0}
                    max={3650}
                    allowNegative={false}
                    {...form.getInputProps(`clocks.${index}.amount`)}
                  />
                  <Select
                    label="Counted in"
                    required
                    data={basisOptions}
                    allowDeselect={false}
                    {...form.getInputProps(`clocks.${index}.basis`)}
                  />
                  <Select
                    label="Met by"
                    required
                    data={metByOptions}
                    allowDeselect={false}
                    {...form.getInputProps(`clocks.${index}.metBy`)}
                  />
                  <TextInput
                    label="Warn at (% of the time)"
                    description="Up to five, e.g. 50, 75, 90. Empty: no warnings."
                    {...form.getInputProps(`clocks.${index}.warnAt`)}
                  />
                </SimpleGrid>
                <TextInput
                  label="What the customer is told"
                  description="Shown on the customer's status page, e.g. “We will send you our final response”."
                  required
                  maxLength={200}
                  {...form.getInputProps(`clocks.${index}.customerText`)}
                />
                <Group gap="xl">
                  <Switch
                    label="Pauses while waiting on the customer"
                    {...form.getInputProps(`clocks.${index}.pausable`, { type: 'checkbox' })}
                  />
                  <Switch
                    label="Informational only (passing it escalates nothing)"
                    {...form.getInputProps(`clocks.${index}.informational`, { type: 'checkbox' })}
                  />
                </Group>
                <Group justify="flex-end">
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    leftSection={<IconTrash size={14} aria-hidden />}
                    disabled={form.values.clocks.length === 1}
                    onClick={() => form.removeListItem('clocks', index)}
                  >
                    Remove clock {index + 1}
                  </Button>
                </Group>
              </Stack>
            </Fieldset>
          ))}
          <Group>
            <Button
              variant="default"
              leftSection={<IconPlus size={16} aria-hidden />}
              disabled={form.values.clocks.length >= 10}
              onClick={() => form.insertListItem('clocks', newClock())}
            >
              Add clock
            </Button>
          </Group>

          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isEdit ? 'Save policy' : 'Create policy'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
