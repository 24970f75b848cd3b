import {
  ActionIcon,
  Alert,
  Button,
  EmptyState,
  Group,
  List,
  NativeSelect,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconInfoCircle, IconLadder, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatNumber } from '../../lib/format';
import { canEditOrganisation, roleLabels } from '../../lib/roles';
import type { Role, Unit, User } from '../../lib/types';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { fetchUsers } from '../admin/users/users.api';
import { useSession } from '../auth/session';
import { placeApiErrors } from './api-errors';
import { fetchLadder, ladderQueryKey, ladderRoles, saveLadder, type Ladder, type LadderRole, type LadderRungInput } from './settings.api';

const ladderRoleLabels: Record<LadderRole, string> = {
  unit_lead: "Lead of the case's unit",
  parent_lead: 'Lead of the unit above',
  compliance: 'A compliance officer',
  admin: 'An administrator',
};

/** The API resolves ladders only to these roles; anyone else on a rung would be skipped. */
const eligibleRoles: readonly Role[] = ['lead', 'compliance', 'admin'];
const MAX_RUNGS = 10;

interface RungValues {
  key: number;
  kind: 'user' | 'role';
  userId: string | null;
  role: LadderRole | '';
  label: string;
}

let nextKey = 1;

const userLabel = (user: Pick<User, 'name' | 'role' | 'unitName'>) => `${user.name} (${roleLabels[user.role] ?? user.role}, ${user.unitName})`;

/** A searchable person picker that asks the API (GET /users?q=) as the user types. */
function PersonSelect({
  label,
  value,
  knownLabels,
  onPick,
  error,
}: {
  label: string;
  value: string | null;
  knownLabels: Map<string, string>;
  onPick: (userId: string | null, label: string | null) => void;
  error?: ReactNode;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  // The box shows the chosen person's name; that is not a search.
  const term = value && knownLabels.get(value) === q ? '' : q.trim();
  const query = useQuery({
    queryKey: ['users', 'ladder-picker', term],
    queryFn: ({ signal }) => fetchUsers({ q: term, role: null, unitId: null }, null, signal),
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const found = (query.data?.items ?? [])
      .filter((user) => user.active && eligibleRoles.includes(user.role))
      .map((user) => ({ value: user.id, label: userLabel(user) }));
    if (value && !found.some((option) => option.value === value)) {
      found.unshift({ value, label: knownLabels.get(value) ?? 'Someone not in your search' });
    }
    return found;
  }, [query.data, value, knownLabels]);

  return (
    <Select
      label={label}
      placeholder="Search by name or e-mail"
      required
      searchable
      data={options}
      value={value}
      onSearchChange={setSearch}
      // The API has already matched name and e-mail; filtering again by the label would hide e-mail matches.
      filter={({ options: all }) => all}
      nothingFoundMessage={query.isFetching ? 'Searching…' : 'No lead, compliance officer or admin matches'}
      onChange={(id, option) => onPick(id, option?.label ?? null)}
      error={error}
      w={{ base: '100%', sm: 320 }}
    />
  );
}

function EffectiveLadder({ ladder, unitName }: { ladder: Ladder; unitName: string }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="effective-heading">
      <Title order={2} size="h3" id="effective-heading" mb="xs">
        Who an escalation from {unitName} reaches
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {ladder.rungs.length > 0
          ? 'This unit has its own ladder, resolved to people below.'
          : 'This unit has no ladder of its own, so it uses the nearest one above it, or the default.'}{' '}
        In order: an escalation goes to the first person here who is not the case owner, and climbs to the next if it is not
        acknowledged within four working hours.
      </Text>
      {ladder.effective.length === 0 ? (
        <Alert color="red" title="Nobody to escalate to" role="alert">
          Escalations from this unit would fail. Add a rung that resolves to an active lead, compliance officer or admin.
        </Alert>
      ) : (
        <List type="ordered" spacing="xs">
          {ladder.effective.map((person) => (
            <List.Item key={person.userId}>
              <Text size="sm" span fw={600}>
                {person.name}
              </Text>
              <Text size="sm" span>
                {' '}
                — {person.label}
              </Text>
              <Text size="xs" c="dimmed">
                {person.discretionLimit === null
                  ? 'No discretion limit: cannot approve decisions with an amount'
                  : `May approve decisions up to ${formatNumber(person.discretionLimit)}`}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

function describeRung(rung: Ladder['rungs'][number], names: Map<string, string>) {
  if (rung.userId) return names.get(rung.userId) ?? 'A person who is inactive or cannot receive escalations';
  return rung.role ? (ladderRoleLabels[rung.role as LadderRole] ?? rung.role) : 'Nobody';
}

function LadderEditor({ unit, ladder }: { unit: Unit; ladder: Ladder }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [knownLabels, setKnownLabels] = useState(() => new Map(ladder.effective.map((p) => [p.userId, p.name])));

  const form = useForm<{ rungs: RungValues[] }>({
    mode: 'controlled',
    initialValues: {
      rungs: ladder.rungs.map((rung) => ({
        key: nextKey++,
        kind: rung.userId ? 'user' : 'role',
        userId: rung.userId,
        role: (rung.role as LadderRole | null) ?? '',
        label: rung.label,
      })),
    },
    validate: {
      rungs: {
        userId: (value, values, path) => {
          const index = Number(path.split('.')[1]);
          return values.rungs[index]?.kind === 'user' && !value ? 'Choose a person' : null;
        },
        role: (value, values, path) => {
          const index = Number(path.split('.')[1]);
          return values.rungs[index]?.kind === 'role' && !value ? 'Choose a role' : null;
        },
        label: (value) => (value.trim() ? null : 'Enter a label, e.g. “Team lead” or “Head of complaints”'),
      },
    },
  });

  const mutation = useMutation({
    mutationFn: (rungs: RungValues[]) =>
      saveLadder(
        unit.id,
        rungs.map(
          (rung): LadderRungInput =>
            rung.kind === 'user'
              ? { userId: rung.userId!, label: rung.label.trim() }
              : { role: rung.role as LadderRole, label: rung.label.trim() },
        ),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(ladderQueryKey(unit.id), saved);
      // Units below may inherit this ladder.
      void queryClient.invalidateQueries({ queryKey: ['ladder'] });
      notifications.show({
        color: 'teal',
        message: saved.rungs.length > 0 ? `Escalation ladder of ${unit.name} saved` : `${unit.name} now uses the ladder above it`,
      });
    },
    onError: (error) => {
      const paths = form.getValues().rungs.flatMap((_, i) => [`rungs.${i}.userId`, `rungs.${i}.role`, `rungs.${i}.label`, `rungs.${i}.kind`]);
      setFormError(placeApiErrors(form, error, paths));
    },
  });

  const rungs = form.values.rungs;

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(
        (values) => {
          setFormError(null);
          mutation.mutate(values.rungs);
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
        {rungs.length === 0 && (
          <Text size="sm" c="dimmed">
            No steps: saving leaves {unit.name} on the ladder above it (or the default).
          </Text>
        )}
        <Stack component="ol" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={`Steps of the ladder of ${unit.name}`}>
          {rungs.map((rung, index) => {
            const n = index + 1;
            return (
              <Paper component="li" key={rung.key} withBorder p="sm" aria-label={`Step ${n}`}>
                <Group align="flex-start" gap="sm" wrap="wrap">
                  <Text fw={700} mt={30} w={64} style={{ whiteSpace: 'nowrap' }}>
                    Step {n}
                  </Text>
                  <NativeSelect
                    label={`Step ${n} reaches`}
                    data={[
                      { value: 'user', label: 'A named person' },
                      { value: 'role', label: 'A role' },
                    ]}
                    {...form.getInputProps(`rungs.${index}.kind`)}
                    w={170}
                  />
                  {rung.kind === 'user' ? (
                    <PersonSelect
                      label={`Person, step ${n}`}
                      value={rung.userId}
                      knownLabels={knownLabels}
                      error={form.errors[`rungs.${index}.userId`]}
                      onPick={(userId, label) => {
                        form.setFieldValue(`rungs.${index}.userId`, userId);
                        if (userId && label) setKnownLabels((current) => new Map(current).set(userId, label));
                      }}
                    />
                  ) : (
                    <NativeSelect
                      label={`Role, step ${n}`}
                      required
                      data={[{ value: '', label: 'Choose a role' }, ...ladderRoles.map((role) => ({ value: role, label: ladderRoleLabels[role] }))]}
                      {...form.getInputProps(`rungs.${index}.role`)}
                      w={{ base: '100%', sm: 320 }}
                    />
                  )}
                  <TextInput
                    label={`Label, step ${n}`}
                    placeholder="e.g. Head of complaints"
                    required
                    maxLength={120}
                    {...form.getInputProps(`rungs.${index}.label`)}
                    w={{ base: '100%', sm: 240 }}
                  />
                  <Group gap={4} mt={26} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      size="lg"
                      aria-label={`Move step ${n} up`}
                      disabled={index === 0}
                      onClick={() => form.reorderListItem('rungs', { from: index, to: index - 1 })}
                    >
                      <IconArrowUp size={18} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      size="lg"
                      aria-label={`Move step ${n} down`}
                      disabled={index === rungs.length - 1}
                      onClick={() => form.reorderListItem('rungs', { from: index, to: index + 1 })}
                    >
                      <IconArrowDown size={18} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      size="lg"
                      aria-label={`Remove step ${n}`}
                      onClick={() => form.removeListItem('rungs', index)}
                    >
                      <IconTrash size={18} aria-hidden />
                    </ActionIcon>
                  </Group>
                </Group>
              </Paper>
            );
          })}
        </Stack>
        <Group justify="space-between">
          <Button
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden />}
            disabled={rungs.length >= MAX_RUNGS}
            onClick={() => form.insertListItem('rungs', { key: nextKey++, kind: 'role', userId: null, role: '', label: '' } satisfies RungValues)}
          >
            Add step
          </Button>
          <Group gap="sm">
            {form.isDirty() && (
              <Text size="sm" c="dimmed" role="status">
                Unsaved changes
              </Text>
            )}
            <Button type="submit" loading={mutation.isPending}>
              Save ladder
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

function UnitLadder({ unit, canEdit }: { unit: Unit; canEdit: boolean }) {
  const query = useQuery({ queryKey: ladderQueryKey(unit.id), queryFn: ({ signal }) => fetchLadder(unit.id, signal) });
  const ladder = query.data;
  const names = useMemo(() => new Map((ladder?.effective ?? []).map((p) => [p.userId, p.name])), [ladder]);

  return (
    <QueryState query={query} loadingLabel="Loading the ladder">
      {ladder && (
        <Stack gap="lg">
          <EffectiveLadder ladder={ladder} unitName={unit.name} />
          <Paper withBorder p="lg" component="section" aria-labelledby="own-ladder-heading">
            <Title order={2} size="h3" id="own-ladder-heading" mb="xs">
              Ladder set on {unit.name}
            </Title>
            {canEdit ? (
              <>
                <Text size="sm" c="dimmed" mb="md">
                  Each step is a named person or a role, resolved when an escalation is raised. Only team leads, compliance
                  officers and admins can receive escalations. An empty ladder means “use the one above”.
                </Text>
                <LadderEditor key={JSON.stringify(ladder.rungs)} unit={unit} ladder={ladder} />
              </>
            ) : ladder.rungs.length === 0 ? (
              <Text size="sm">None: this unit uses the ladder above it, or the default.</Text>
            ) : (
              <List type="ordered" size="sm" spacing={4}>
                {ladder.rungs.map((rung, index) => (
                  <List.Item key={index}>
                    <strong>{rung.label}</strong>: {describeRung(rung, names)}
                  </List.Item>
                ))}
              </List>
            )}
          </Paper>
        </Stack>
      )}
    </QueryState>
  );
}

export function LaddersPage() {
  usePageTitle('Escalation ladders');
  const { user } = useSession();
  const canEdit = canEditOrganisation(user.role);
  const [searchParams, setSearchParams] = useSearchParams();

  const unitsQuery = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal) });
  const units = useMemo(() => unitsQuery.data?.items ?? [], [unitsQuery.data]);
  const requested = searchParams.get('unit');
  const unit =
    units.find((u) => u.id === requested) ?? units.find((u) => u.id === user.unitId) ?? units[0] ?? null;
  const unitOptions = useMemo(() => units.map((u) => ({ value: u.id, label: u.name })), [units]);
  const depthById = useMemo(() => new Map(units.map((u) => [u.id, u.depth])), [units]);

  return (
    <>
      <PageHeader
        title="Escalation ladders"
        description="Who something stuck, late or beyond someone's authority climbs to, unit by unit."
      />
      <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} mb="lg" title="How ladders work">
        A unit without its own ladder uses its parent's (the nearest unit above that has one). Where none has, the default
        climbs the leads up the tree, from the case's team to the top, then a compliance officer, then an administrator.
      </Alert>
      <QueryState query={unitsQuery} loadingLabel="Loading units">
        {!unit ? (
          <EmptyState icon={<IconLadder aria-hidden />} title="No units" description="Create units first, then give them ladders." />
        ) : (
          <Stack gap="lg">
            <Select
              label="Unit"
              data={unitOptions}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No unit matches"
              value={unit.id}
              onChange={(id) => id && setSearchParams({ unit: id }, { replace: true })}
              renderOption={({ option }) => (
                <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>
              )}
              w={{ base: '100%', sm: 360 }}
            />
            <UnitLadder key={unit.id} unit={unit} canEdit={canEdit} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
