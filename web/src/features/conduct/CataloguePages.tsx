import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  EmptyState,
  Group,
  List,
  Modal,
  NumberInput,
  Radio,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBooks } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Page } from '../../lib/api';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { hasRole } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { ActionFormModal } from './ActionFormModal';
import { ActionsTable } from './ActionsPages';
import {
  closeCycle,
  conductKeys,
  createCycle,
  createFramework,
  createPractice,
  fetchCycles,
  fetchFramework,
  fetchFrameworks,
  fetchPractice,
  fetchPresets,
  markPracticeApplicable,
  markPracticeNotApplicable,
  unitKindsForPractices,
  type Framework,
  type PracticeDetail,
} from './conduct.api';
import { assessorRoles, conductManagerRoles, formatDate, FormFooter, practiceLink, Section, unitKindLabel } from './conduct-ui';

const errorText = (error: unknown) => (error instanceof Error ? error.message : 'Something went wrong.');

/** Frameworks, their outcomes and practices, and the assessment cycles run on them. */
export function CataloguePage() {
  usePageTitle('Practices');
  const { user } = useSession();
  const canManage = hasRole(user.role, conductManagerRoles);
  const [params, setParams] = useSearchParams();
  const frameworks = useQuery({ queryKey: conductKeys.frameworks, queryFn: ({ signal }) => fetchFrameworks(signal) });
  const list = frameworks.data?.items ?? [];
  const frameworkId = params.get('framework') ?? list[0]?.id ?? null;
  const [modal, setModal] = useState<'framework' | 'practice' | 'cycle' | null>(null);
  const framework = list.find((item) => item.id === frameworkId);

  return (
    <>
      <PageHeader
        title="Practices"
        description="The business practices that affect customers, grouped under the outcomes of each framework."
        actions={
          canManage && (
            <>
              <Button variant="default" onClick={() => setModal('framework')}>
                Add a framework
              </Button>
              {framework && (
                <>
                  <Button variant="default" onClick={() => setModal('practice')}>
                    Add a practice
                  </Button>
                  <Button onClick={() => setModal('cycle')}>Open a cycle</Button>
                </>
              )}
            </>
          )
        }
      />
      <QueryState query={frameworks} loadingLabel="Loading frameworks">
        {list.length === 0 ? (
          <EmptyState
            icon={<IconBooks aria-hidden />}
            title="No framework yet"
            description={canManage ? 'Add Treating Customers Fairly or the Consumer Duty as a start, or your own.' : 'Compliance sets up the practice catalogue.'}
          />
        ) : (
          <>
            <Select
              label="Framework"
              data={list.map((item) => ({ value: item.id, label: `${item.name} (version ${item.version}, ${item.practiceCount} practices)` }))}
              value={frameworkId}
              onChange={(value) => value && setParams({ framework: value })}
              allowDeselect={false}
              w={420}
              mb="md"
            />
            {frameworkId && <FrameworkView frameworkId={frameworkId} />}
            <Cycles canManage={canManage} />
          </>
        )}
      </QueryState>
      {modal === 'framework' && <FrameworkModal onClose={() => setModal(null)} onCreated={(created) => setParams({ framework: created.id })} />}
      {modal === 'practice' && framework && <PracticeModal framework={framework} onClose={() => setModal(null)} />}
      {modal === 'cycle' && framework && <CycleModal framework={framework} onClose={() => setModal(null)} />}
    </>
  );
}

function FrameworkView({ frameworkId }: { frameworkId: string }) {
  const query = useQuery({ queryKey: conductKeys.framework(frameworkId), queryFn: ({ signal }) => fetchFramework(frameworkId, signal) });
  const data = query.data;
  return (
    <QueryState query={query} loadingLabel="Loading practices">
      {data && (
        <>
          {data.description && (
            <Text size="sm" mb="sm">
              {data.description}
            </Text>
          )}
          <Text size="sm" c="dimmed" mb="md">
            Scale {data.scale.min}–{data.scale.max}: {data.scale.levels.map((level) => `${level.score} ${level.label}`).join(', ')}. Scores below {data.threshold} are red.
          </Text>
          {data.outcomes.map((outcome) => {
            const practices = data.practices.filter((practice) => practice.outcomeKey === outcome.key);
            const headingId = `outcome-${outcome.key}`;
            return (
              <section key={outcome.key} aria-labelledby={headingId} style={{ marginBottom: 'var(--mantine-spacing-lg)' }}>
                <Title order={2} size="h4" id={headingId}>
                  {outcome.title}
                </Title>
                {outcome.description && (
                  <Text size="sm" c="dimmed" mb={4}>
                    {outcome.description}
                  </Text>
                )}
                {practices.length === 0 ? (
                  <Text size="sm">No practice under this outcome yet.</Text>
                ) : (
                  <Table aria-labelledby={headingId} verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col" w={110}>
                          Code
                        </Table.Th>
                        <Table.Th scope="col">Practice</Table.Th>
                        <Table.Th scope="col">Applies to</Table.Th>
                        <Table.Th scope="col">Critical</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {practices.map((practice) => (
                        <Table.Tr key={practice.id}>
                          <Table.Td>{practice.code}</Table.Td>
                          <Table.Th scope="row" fw={400}>
                            <Anchor component={Link} to={practiceLink(practice.id)}>
                              {practice.title}
                            </Anchor>
                            {!practice.active && ' (retired)'}
                          </Table.Th>
                          <Table.Td>{practice.unitKinds.map(unitKindLabel).join(', ')}</Table.Td>
                          <Table.Td>
                            {practice.critical ? (
                              <Badge color="red.9" variant="outline" style={{ textTransform: 'none' }}>
                                Critical
                              </Badge>
                            ) : (
                              'No'
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </section>
            );
          })}
        </>
      )}
    </QueryState>
  );
}

function Cycles({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: conductKeys.cycles, queryFn: ({ signal }) => fetchCycles(signal) });
  const close = useMutation({
    mutationFn: closeCycle,
    onSuccess: (cycle) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: `${cycle.name} closed` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not close the cycle', message: errorText(error) }),
  });
  const items = query.data?.items ?? [];
  return (
    <Section id="cycles-title" title="Assessment cycles">
      <QueryState query={query} loadingLabel="Loading cycles">
        {items.length === 0 ? (
          <Text size="sm">No cycle yet.</Text>
        ) : (
          <Table aria-labelledby="cycles-title" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Cycle</Table.Th>
                <Table.Th scope="col">Framework</Table.Th>
                <Table.Th scope="col">Opens</Table.Th>
                <Table.Th scope="col">Due</Table.Th>
                <Table.Th scope="col">Approved</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((cycle) => (
                <Table.Tr key={cycle.id}>
                  <Table.Th scope="row" fw={400}>
                    <Anchor component={Link} to={`/conduct/status?cycle=${cycle.id}`}>
                      {cycle.name}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>
                    {cycle.frameworkName} v{cycle.frameworkVersion}
                  </Table.Td>
                  <Table.Td>{formatDate(cycle.opensAt)}</Table.Td>
                  <Table.Td>{formatDate(cycle.dueAt)}</Table.Td>
                  <Table.Td>
                    {cycle.counts.approved ?? 0} of {cycle.counts.total ?? 0}
                  </Table.Td>
                  <Table.Td>
                    {cycle.status === 'open' ? (
                      canManage ? (
                        <Button size="xs" variant="default" loading={close.isPending && close.variables === cycle.id} onClick={() => close.mutate(cycle.id)} aria-label={`Close ${cycle.name}`}>
                          Close
                        </Button>
                      ) : (
                        'In progress'
                      )
                    ) : (
                      `Closed ${formatDate(cycle.closedAt)}`
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Section>
  );
}

const keyFrom = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '');

function FrameworkModal({ onClose, onCreated }: { onClose: () => void; onCreated: (framework: Framework) => void }) {
  const queryClient = useQueryClient();
  const presets = useQuery({ queryKey: conductKeys.presets, queryFn: ({ signal }) => fetchPresets(signal) });
  const [mode, setMode] = useState<string>('preset');
  const [preset, setPreset] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [outcomes, setOutcomes] = useState('');
  const [threshold, setThreshold] = useState<number | string>(3);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      mode === 'preset'
        ? createFramework({ preset: preset! })
        : createFramework({
            name: name.trim(),
            description: description.trim() || undefined,
            outcomes: outcomes
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
              .map((title) => ({ key: keyFrom(title), title })),
            threshold: typeof threshold === 'number' ? threshold : 3,
          }),
    onSuccess: (created) => {
      // The new framework is in the picker at once, not only after the list is fetched again (a list
      // still on its way is fetched again: see QueryClientAfterWrites).
      queryClient.setQueryData<Page<Framework>>(conductKeys.frameworks, (old) => old && { ...old, items: [...old.items.filter((f) => f.id !== created.id), created] });
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: `${created.name} added with ${created.practiceCount} practices` });
      onCreated(created);
      onClose();
    },
    onError: (failure) => setError(errorText(failure)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (mode === 'preset' && !preset) return setError('Choose a preset.');
    if (mode === 'custom' && (!name.trim() || !outcomes.trim())) return setError('Give the framework a name and at least one outcome.');
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title="Add a framework" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Radio.Group label="Start from" value={mode} onChange={setMode}>
            <Group mt={4}>
              <Radio value="preset" label="A preset with its starter practices" />
              <Radio value="custom" label="Our own framework" />
            </Group>
          </Radio.Group>
          {mode === 'preset' ? (
            <Select
              label="Preset"
              data={(presets.data?.items ?? []).map((item) => ({ value: item.key, label: `${item.name} (${item.outcomes.length} outcomes, ${item.practiceCount} practices)` }))}
              value={preset}
              onChange={setPreset}
              placeholder={presets.isPending ? 'Loading…' : 'Choose a preset'}
              error={presets.isError ? 'Could not load the presets' : undefined}
            />
          ) : (
            <>
              <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
              <Textarea
                label="Outcomes"
                description="One outcome per line, e.g. “Fair value”"
                required
                autosize
                minRows={3}
                value={outcomes}
                onChange={(e) => setOutcomes(e.currentTarget.value)}
              />
              <NumberInput label="Red below" description="Scores under this are red (1–5 scale)" min={2} max={5} allowDecimal={false} value={threshold} onChange={setThreshold} w={200} />
            </>
          )}
          <FormFooter error={error} onCancel={onClose} submitLabel="Add framework" loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function PracticeModal({ framework, onClose }: { framework: Framework; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [outcomeKey, setOutcomeKey] = useState<string | null>(framework.outcomes[0]?.key ?? null);
  const [code, setCode] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [guidance, setGuidance] = useState('');
  const [examples, setExamples] = useState('');
  const [unitKinds, setUnitKinds] = useState<string[]>(['region', 'team']);
  const [critical, setCritical] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      createPractice({
        frameworkId: framework.id,
        outcomeKey: outcomeKey!,
        code: code.trim(),
        title: title.trim(),
        description: description.trim() || undefined,
        guidance: guidance.trim(),
        exampleEvidence: examples
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        unitKinds,
        critical,
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: `${created.title} added to ${framework.name}` });
      onClose();
    },
    onError: (failure) => setError(errorText(failure)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!outcomeKey || !code.trim() || !title.trim() || !guidance.trim()) return setError('Outcome, code, title and guidance are needed.');
    if (unitKinds.length === 0) return setError('Choose at least one kind of unit the practice applies to.');
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={`Add a practice to ${framework.name}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Select
            label="Outcome"
            required
            data={framework.outcomes.map((outcome) => ({ value: outcome.key, label: outcome.title }))}
            value={outcomeKey}
            onChange={setOutcomeKey}
            allowDeselect={false}
          />
          <Group grow align="flex-start">
            <TextInput label="Code" required description="e.g. CD-SUP-5" value={code} onChange={(e) => setCode(e.currentTarget.value)} />
            <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          </Group>
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Textarea label="What good looks like" required autosize minRows={3} value={guidance} onChange={(e) => setGuidance(e.currentTarget.value)} />
          <Textarea label="Example evidence" description="One per line" autosize minRows={2} value={examples} onChange={(e) => setExamples(e.currentTarget.value)} />
          <Checkbox.Group label="Applies to" required value={unitKinds} onChange={setUnitKinds}>
            <Group mt={4}>
              {unitKindsForPractices.map((kind) => (
                <Checkbox key={kind} value={kind} label={unitKindLabel(kind)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Switch
            label="Critical practice"
            description="A score below the threshold anywhere caps the company status score"
            checked={critical}
            onChange={(e) => setCritical(e.currentTarget.checked)}
          />
          <FormFooter error={error} onCancel={onClose} submitLabel="Add practice" loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function CycleModal({ framework, onClose }: { framework: Framework; onClose: () => void }) {
  const queryClient = useQueryClient();
  const today = new Date().toISOString().slice(0, 10);
  const [name, setName] = useState('');
  const [opensAt, setOpensAt] = useState(today);
  const [dueAt, setDueAt] = useState('');
  const [carryForward, setCarryForward] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      createCycle({
        frameworkId: framework.id,
        name: name.trim(),
        opensAt: new Date(`${opensAt}T00:00:00Z`).toISOString(),
        dueAt: new Date(`${dueAt}T17:00:00Z`).toISOString(),
        carryForward,
      }),
    onSuccess: (cycle) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: `${cycle.name} opened with ${cycle.counts.total ?? 0} cells` });
      onClose();
    },
    onError: (failure) => setError(errorText(failure)),
  });
  return (
    <Modal opened onClose={onClose} title={`Open a cycle of ${framework.name}`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          if (!name.trim() || !opensAt || !dueAt) return setError('Name, opening and due dates are needed.');
          if (dueAt <= opensAt) return setError('The due date must be after the opening date.');
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label="Name" required placeholder="e.g. 2026 H2" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Group grow>
            <TextInput label="Opens" type="date" required value={opensAt} onChange={(e) => setOpensAt(e.currentTarget.value)} />
            <TextInput label="Due" type="date" required value={dueAt} onChange={(e) => setDueAt(e.currentTarget.value)} />
          </Group>
          <Switch
            label="Start from the last cycle’s answers"
            description="Each cell starts as a draft with the previous score, rationale and evidence to edit"
            checked={carryForward}
            onChange={(e) => setCarryForward(e.currentTarget.checked)}
          />
          <FormFooter error={error} onCancel={onClose} submitLabel="Open cycle" loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Units where the practice does not apply, with the justification; leads and compliance mark or undo it. */
function NotApplicableUnits({ practice, canChange }: { practice: PracticeDetail; canChange: boolean }) {
  const queryClient = useQueryClient();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string | null>(null);
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), enabled: canChange, staleTime: 5 * 60_000 });
  const onSaved = (message: string) => {
    void queryClient.invalidateQueries({ queryKey: conductKeys.all });
    notifications.show({ color: 'teal', message });
  };
  const mark = useMutation({
    mutationFn: () => markPracticeNotApplicable(practice.id, unitId!, justification.trim()),
    onSuccess: () => {
      const name = units.data?.items.find((unit) => unit.id === unitId)?.name ?? 'the unit';
      setUnitId(null);
      setJustification('');
      onSaved(`${practice.title} marked not applicable to ${name}`);
    },
    onError: (failure) => setError(errorText(failure)),
  });
  const undo = useMutation({
    mutationFn: (target: { unitId: string; unitName: string }) => markPracticeApplicable(practice.id, target.unitId),
    onSuccess: (_, target) => onSaved(`${practice.title} applies to ${target.unitName} again`),
    onError: (failure) => notifications.show({ color: 'red', message: errorText(failure) }),
  });
  const eligible = (units.data?.items ?? []).filter((unit) => practice.unitKinds.includes(unit.kind) && !practice.notApplicable.some((entry) => entry.unitId === unit.id));
  return (
    <Section id="practice-na" title="Not applicable in">
      {practice.notApplicable.length === 0 ? (
        <Text size="sm">The practice applies to every unit of the kinds above.</Text>
      ) : (
        <List size="sm" spacing={6}>
          {practice.notApplicable.map((entry) => (
            <List.Item key={entry.unitId}>
              <strong>{entry.unitName}</strong>: {entry.justification} ({formatDate(entry.at)})
              {canChange && (
                <Button
                  size="compact-xs"
                  variant="default"
                  ml="sm"
                  loading={undo.isPending && undo.variables?.unitId === entry.unitId}
                  onClick={() => undo.mutate({ unitId: entry.unitId, unitName: entry.unitName })}
                  aria-label={`${practice.title} applies to ${entry.unitName} again`}
                >
                  Applies again
                </Button>
              )}
            </List.Item>
          ))}
        </List>
      )}
      {canChange && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            if (!unitId || justification.trim().length < 10) return setError('Choose the unit and explain in a sentence why the practice does not apply there.');
            mark.mutate();
          }}
        >
          <Group align="flex-end" mt="sm" wrap="wrap">
            <Select
              label="Unit"
              searchable
              data={eligible.map((unit) => ({ value: unit.id, label: unit.name }))}
              value={unitId}
              onChange={setUnitId}
              w={260}
              error={units.isError ? 'Could not load units' : undefined}
            />
            <TextInput label="Why it does not apply" value={justification} onChange={(e) => setJustification(e.currentTarget.value)} style={{ flex: '1 1 18rem' }} />
            <Button type="submit" variant="default" loading={mark.isPending}>
              Mark not applicable
            </Button>
          </Group>
          {error && (
            <Text c="red.8" size="sm" role="alert" mt={4}>
              {error}
            </Text>
          )}
        </form>
      )}
    </Section>
  );
}

/** A practice: its guidance and example evidence, where it does not apply, and its lessons and actions. */
export function PracticePage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const query = useQuery({ queryKey: conductKeys.practice(id), queryFn: ({ signal }) => fetchPractice(id, signal) });
  const practice = query.data;
  usePageTitle(practice ? practice.title : 'Practice');
  return (
    <QueryState query={query} loadingLabel="Loading the practice">
      {practice && <PracticeView practice={practice} canCreateActions={hasRole(user.role, assessorRoles)} />}
    </QueryState>
  );
}

function PracticeView({ practice, canCreateActions }: { practice: PracticeDetail; canCreateActions: boolean }) {
  const [actionOpen, setActionOpen] = useState(false);
  return (
    <>
      <PageHeader
        title={practice.title}
        description={`${practice.code} · ${practice.outcomeTitle} · applies to ${practice.unitKinds.map((kind) => unitKindLabel(kind).toLowerCase()).join(', ')} · version ${practice.version}`}
        actions={
          canCreateActions && (
            <Button variant="default" onClick={() => setActionOpen(true)}>
              Create an action
            </Button>
          )
        }
      />
      <Group gap="xs" mb="md">
        {practice.critical && (
          <Badge color="red.9" variant="outline" style={{ textTransform: 'none' }}>
            Critical: a failing score anywhere caps the company score
          </Badge>
        )}
        {!practice.active && <Badge color="gray.8">Retired</Badge>}
      </Group>
      {practice.description && (
        <Text size="sm" mb="md">
          {practice.description}
        </Text>
      )}
      <Card withBorder padding="md" component="section" aria-labelledby="practice-guidance">
        <Title order={2} size="h4" id="practice-guidance" mb="xs">
          What good looks like
        </Title>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {practice.guidance}
        </Text>
        {practice.exampleEvidence.length > 0 && (
          <>
            <Title order={3} size="h5" mt="md" mb={4}>
              Example evidence
            </Title>
            <List size="sm">
              {practice.exampleEvidence.map((example) => (
                <List.Item key={example}>{example}</List.Item>
              ))}
            </List>
          </>
        )}
      </Card>
      <NotApplicableUnits practice={practice} canChange={canCreateActions} />
      <Section id="practice-lessons" title={`Lessons (${practice.lessons.length})`}>
        {practice.lessons.length === 0 ? (
          <Text size="sm">No lesson from an escalation names this practice yet.</Text>
        ) : (
          <Table aria-labelledby="practice-lessons" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Case</Table.Th>
                <Table.Th scope="col">Root cause</Table.Th>
                <Table.Th scope="col">Process change</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {practice.lessons.map((lesson) => (
                <Table.Tr key={lesson.id}>
                  <Table.Th scope="row" fw={400}>
                    {lesson.caseId ? (
                      <Anchor component={Link} to={`/cases/${lesson.caseId}`}>
                        {lesson.caseRef ?? 'Case'}
                      </Anchor>
                    ) : (
                      (lesson.caseRef ?? '—')
                    )}
                  </Table.Th>
                  <Table.Td>{lesson.rootCause}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{lesson.processChange}</Table.Td>
                  <Table.Td>{lesson.status.replaceAll('_', ' ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section id="practice-actions" title={`Improvement actions (${practice.actions.length})`}>
        {practice.actions.length === 0 ? <Text size="sm">No action for this practice yet.</Text> : <ActionsTable items={practice.actions} label="Actions for this practice" />}
      </Section>
      {actionOpen && (
        <ActionFormModal opened onClose={() => setActionOpen(false)} target={{ practiceId: practice.id, practiceTitle: practice.title, unitId: '', unitName: '' }} />
      )}
    </>
  );
}

