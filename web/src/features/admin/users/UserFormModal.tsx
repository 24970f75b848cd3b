import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { PasswordField } from '../../../components/PasswordField';
import { applyApiError, focusFirstError } from '../../../lib/form-errors';
import { roleLabels } from '../../../lib/roles';
import { roles, type Role, type Unit, type User } from '../../../lib/types';
import { useSession } from '../../auth/session';
import { unitsQueryKey } from '../units/units.api';
import { createUser, updateUser, usersQueryKey } from './users.api';

interface UserFormValues {
  name: string;
  email: string;
  role: Role | '';
  unitId: string | null;
  password: string;
  /** NumberInput gives '' when empty. */
  discretionLimit: number | string;
  active: boolean;
}

const fields = ['name', 'email', 'role', 'unitId', 'password', 'discretionLimit', 'active'] as const;

export const roleOptions = roles.map((role) => ({ value: role, label: roleLabels[role] }));

/** Kept in one place so the form's hint and its check cannot drift apart. */
const MIN_PASSWORD_LENGTH = 12;

const toLimit = (value: number | string): number | null => (value === '' || value === null ? null : Number(value));

/** `user` set: edit (PATCH, no e-mail or password); otherwise create. */
export function UserFormModal({ onClose, units, user }: { onClose: () => void; units: readonly Unit[]; user?: User | null }) {
  const queryClient = useQueryClient();
  const session = useSession();
  const [formError, setFormError] = useState<string | null>(null);
  const isEdit = Boolean(user);
  const isSelf = user?.id === session.user.id;

  const unitOptions = useMemo(() => units.map((unit) => ({ value: unit.id, label: unit.name })), [units]);
  const depthById = useMemo(() => new Map(units.map((unit) => [unit.id, unit.depth])), [units]);

  const form = useForm<UserFormValues>({
    mode: 'controlled',
    initialValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      role: user?.role ?? '',
      unitId: user?.unitId ?? null,
      password: '',
      discretionLimit: user?.discretionLimit ?? '',
      active: user?.active ?? true,
    },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter a name'),
      email: (value) => (isEdit || /^[^\s@]+@[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid e-mail address'),
      role: (value) => (value ? null : 'Choose a role'),
      unitId: (value) => (value ? null : 'Choose a unit'),
      password: (value) =>
        isEdit || value.length >= MIN_PASSWORD_LENGTH ? null : `Use at least ${MIN_PASSWORD_LENGTH} characters`,
      discretionLimit: (value) => (value === '' || Number(value) >= 0 ? null : 'Use zero or a positive amount'),
    },
  });

  const mutation = useMutation({
    mutationFn: (values: UserFormValues) => {
      const common = {
        name: values.name.trim(),
        role: values.role as Role,
        unitId: values.unitId!,
        discretionLimit: toLimit(values.discretionLimit),
      };
      if (user) return updateUser(user.id, { ...common, active: values.active });
      return createUser({
        ...common,
        email: values.email.trim(),
        password: values.password,
        // Leaving the limit out lets the server apply its default instead of "none".
        discretionLimit: common.discretionLimit ?? undefined,
      });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: usersQueryKey });
      // Leads are shown on the units page; a role or unit change can alter them.
      void queryClient.invalidateQueries({ queryKey: unitsQueryKey });
      if (saved.id === session.user.id) void queryClient.invalidateQueries({ queryKey: ['auth', 'me'] });
      notifications.show({ color: 'teal', message: isEdit ? `User “${saved.name}” saved` : `User “${saved.name}” created` });
      onClose();
    },
    onError: (error) => setFormError(applyApiError(form, error, fields)),
  });

  return (
    <Modal opened onClose={onClose} title={isEdit ? `Edit user “${user?.name}”` : 'New user'} size="md">
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
          <TextInput label="Name" required data-autofocus autoComplete="off" {...form.getInputProps('name')} />
          {!isEdit && <TextInput label="Email" type="email" required autoComplete="off" {...form.getInputProps('email')} />}
          <Select label="Role" required data={roleOptions} allowDeselect={false} {...form.getInputProps('role')} />
          <Select
            label="Unit"
            required
            data={unitOptions}
            searchable
            nothingFoundMessage="No unit matches"
            allowDeselect={false}
            renderOption={({ option }) => (
              <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>
            )}
            {...form.getInputProps('unitId')}
          />
          {!isEdit && (
            <PasswordField
              label="Password"
              description={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with the person through a safe channel.`}
              required
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
          )}
          <NumberInput
            label="Discretion limit"
            description="Largest amount this person may grant without escalation. Empty: no discretion."
            min={0}
            allowNegative={false}
            thousandSeparator=","
            {...form.getInputProps('discretionLimit')}
          />
          {isEdit && (
            <Switch
              label="Active"
              description={
                isSelf ? 'You cannot deactivate your own account.' : 'Inactive users cannot sign in and their API tokens stop working.'
              }
              disabled={isSelf}
              {...form.getInputProps('active', { type: 'checkbox' })}
            />
          )}
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
