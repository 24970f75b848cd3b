import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { applyApiError, focusFirstError } from '../../../lib/form-errors';
import { unitKindLabels } from '../../../lib/roles';
import { unitKinds, type Unit, type UnitKind } from '../../../lib/types';
import { createUnit, unitsQueryKey, updateUnit } from './units.api';
import { isValidTimezone, parentOptions } from './unit-tree';

interface UnitFormValues {
  name: string;
  kind: UnitKind | '';
  parentId: string | null;
  timezone: string;
  country: string;
}

/** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision, as the API accepts. */
const COUNTRY_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

const fields = ['name', 'kind', 'parentId', 'timezone', 'country'] as const;

const kindOptions = unitKinds.map((kind) => ({ value: kind, label: unitKindLabels[kind] }));

/** `unit` set: edit it (PATCH); otherwise create one. The kind of a unit cannot change. */
export function UnitFormModal({ onClose, units, unit }: { onClose: () => void; units: readonly Unit[]; unit?: Unit | null }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const isEdit = Boolean(unit);
  const depthById = useMemo(() => new Map(units.map((u) => [u.id, u.depth])), [units]);
  const parents = useMemo(() => parentOptions(units, unit?.id), [units, unit?.id]);

  // Only the company at the top has no parent; it exists from `trustdesk init`, so a new unit
  // always goes under another (an empty tree is the one exception), and the root stays the root.
  const isRoot = isEdit && !unit?.parentId;
  const parentRequired = !isRoot && units.length > 0;

  const form = useForm<UnitFormValues>({
    mode: 'controlled',
    initialValues: {
      name: unit?.name ?? '',
      kind: unit?.kind ?? '',
      parentId: unit?.parentId ?? null,
      timezone: unit?.timezone ?? 'Europe/London',
      country: unit?.country ?? '',
    },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter a name'),
      kind: (value) => (isEdit || value ? null : 'Choose a kind'),
      parentId: (value) => (!parentRequired || value ? null : 'Choose a parent unit'),
      timezone: (value) =>
        !value.trim() ? 'Enter a timezone' : isValidTimezone(value.trim()) ? null : 'Use an IANA timezone such as Europe/London',
      country: (value) =>
        !value.trim() || COUNTRY_PATTERN.test(value.trim().toUpperCase()) ? null : 'Use a two-letter ISO country code such as GB',
    },
  });

  const mutation = useMutation({
    mutationFn: (values: UnitFormValues) => {
      const country = values.country.trim() ? values.country.trim().toUpperCase() : null;
      const common = { name: values.name.trim(), timezone: values.timezone.trim(), country };
      if (unit) {
        // Send the parent only when it moved: the API has no "no parent" for an update.
        const moved = values.parentId && values.parentId !== unit.parentId;
        return updateUnit(unit.id, moved ? { ...common, parentId: values.parentId } : common);
      }
      return createUnit({ ...common, parentId: values.parentId, kind: values.kind as UnitKind });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: unitsQueryKey });
      notifications.show({ color: 'teal', message: isEdit ? `Unit “${saved.name}” saved` : `Unit “${saved.name}” created` });
      onClose();
    },
    onError: (error) => setFormError(applyApiError(form, error, fields)),
  });

  return (
    <Modal opened onClose={onClose} title={isEdit ? `Edit unit “${unit?.name}”` : 'New unit'} size="md">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          mutation.mutate(values);
        }, focusFirstError(form))}
      >
        <Stack gap="sm">
          {formError && (
            <Alert color="red" title="Could not save" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          {isEdit ? (
            <Text size="sm">
              Kind: <strong>{unit && unitKindLabels[unit.kind]}</strong> (cannot be changed)
            </Text>
          ) : (
            <Select label="Kind" required data={kindOptions} allowDeselect={false} {...form.getInputProps('kind')} />
          )}
          {isRoot ? (
            <Text size="sm">This is the top-level unit; it has no parent.</Text>
          ) : (
            <Select
              label="Parent unit"
              required={parentRequired}
              data={parents}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No unit matches"
              renderOption={({ option }) => (
                <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>
              )}
              {...form.getInputProps('parentId')}
            />
          )}
          <TextInput
            label="Timezone"
            description="IANA name; business-day clocks of this unit use it."
            required
            {...form.getInputProps('timezone')}
          />
          <TextInput
            label="Country"
            description="ISO code such as GB, or a subdivision such as GB-SCT; optional (sets the public holidays of business-day clocks)."
            maxLength={6}
            autoCapitalize="characters"
            {...form.getInputProps('country')}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isEdit ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
