import { Alert, Anchor, Button, Card, EmptyState, Group, List, NumberInput, Select, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconListCheck } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { hasRole } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { LoadMore } from '../cases/CaseTable';
import { ActionFormModal } from './ActionFormModal';
import {
  approveEvidence,
  conductKeys,
  fetchAction,
  fetchActionEvents,
  fetchActions,
  fetchEvidence,
  markActionDone,
  reopenAction,
  verifyAction,
  eventComment,
  type Action,
  type ActionFilters,
  type ActionStatus,
  type Evidence,
} from './conduct.api';
import {
  actionLink,
  ActionStatusBadge,
  actionStatusLabels,
  assessorRoles,
  cellLink,
  conductManagerRoles,
  EvidenceList,
  formatDate,
  PracticeName,
  PriorityBadge,
  Section,
} from './conduct-ui';
import { EvidenceSection } from './EvidenceSection';

type View = 'mine' | 'overdue' | 'all';
const viewFilters: Record<View, ActionFilters> = { mine: { mine: true }, overdue: { overdue: true }, all: {} };

/** Improvement actions: mine, overdue, and (for compliance and leads) all in scope. */
export function ActionsPage() {
  usePageTitle('Improvement actions');
  const { user } = useSession();
  const canSeeAll = hasRole(user.role, [...conductManagerRoles, 'lead', 'executive']);
  const [params, setParams] = useSearchParams();
  const view = (['mine', 'overdue', 'all'].includes(params.get('view') ?? '') ? params.get('view') : 'mine') as View;
  const [status, setStatus] = useState<ActionStatus | null>(null);
  const filters: ActionFilters = { ...viewFilters[view], status };
  const query = useInfiniteQuery({
    queryKey: [...conductKeys.actions, 'list', filters],
    queryFn: ({ pageParam, signal }) => fetchActions(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title="Improvement actions" description="What has to change, who does it and by when; done needs evidence, compliance verifies." />
      <Tabs value={view} onChange={(value) => setParams(value && value !== 'mine' ? { view: value } : {}, { replace: true })} mb="md">
        <Tabs.List aria-label="Which actions">
          <Tabs.Tab value="mine">My actions</Tabs.Tab>
          <Tabs.Tab value="overdue">Overdue</Tabs.Tab>
          {canSeeAll && <Tabs.Tab value="all">All</Tabs.Tab>}
        </Tabs.List>
      </Tabs>
      <Group align="flex-end" gap="sm" mb="md" role="search" aria-label="Filter actions">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={(['open', 'done', 'verified'] as const).map((value) => ({ value, label: actionStatusLabels[value] }))}
          value={status}
          onChange={(value) => setStatus(value as ActionStatus | null)}
          w={240}
        />
      </Group>
      <QueryState query={query} loadingLabel="Loading actions">
        {items.length === 0 ? (
          <EmptyState
            icon={<IconListCheck aria-hidden />}
            title={view === 'mine' ? 'No actions for you' : view === 'overdue' ? 'Nothing overdue' : 'No actions yet'}
            description={view === 'mine' ? 'Actions delegated to you appear here with their deadline.' : 'Actions come from red cells, lessons and emerging complaint issues.'}
          />
        ) : (
          <>
            <ActionsTable items={items} busy={query.isFetching} label={view === 'mine' ? 'My actions' : view === 'overdue' ? 'Overdue actions' : 'All actions'} />
            <LoadMore query={query} what="actions" />
          </>
        )}
      </QueryState>
    </>
  );
}

export function ActionsTable({ items, busy, label }: { items: Action[]; busy?: boolean; label: string }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label={label} aria-busy={busy} verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Practice</Table.Th>
            <Table.Th scope="col">Unit</Table.Th>
            <Table.Th scope="col">Delegate</Table.Th>
            <Table.Th scope="col">Deadline</Table.Th>
            <Table.Th scope="col">Priority</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((action) => (
            <Table.Tr key={action.id}>
              <Table.Th scope="row">
                <Anchor component={Link} to={actionLink(action.id)} fw={600}>
                  {action.title}
                </Anchor>
              </Table.Th>
              <Table.Td>
                <PracticeName practiceId={action.practiceId} title={action.practiceTitle} />
              </Table.Td>
              <Table.Td>{action.unitName}</Table.Td>
              <Table.Td>{action.delegateName}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} c={action.overdue && action.status === 'open' ? 'red.9' : undefined} fw={action.overdue ? 700 : undefined}>
                {formatDate(action.deadline)}
              </Table.Td>
              <Table.Td>
                <PriorityBadge priority={action.priority} />
              </Table.Td>
              <Table.Td>
                <ActionStatusBadge status={action.status} overdue={action.overdue} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const sourceText = (action: Action) =>
  action.source.kind === 'assessment'
    ? 'a cell scored below the threshold'
    : action.source.kind === 'lesson'
      ? 'a lesson from an escalation'
      : action.source.kind === 'alert'
        ? `an emerging complaint issue${action.source.detail ? ` (${action.source.detail})` : ''}`
        : 'created by hand';

/** One action: what, who, by when; mark done with evidence; verify or reopen (compliance); change it. */
export function ActionPage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: conductKeys.action(id), queryFn: ({ signal }) => fetchAction(id, signal) });
  usePageTitle(query.data ? query.data.title : 'Action');
  return (
    <QueryState query={query} loadingLabel="Loading the action">
      {query.data && <ActionView action={query.data} />}
    </QueryState>
  );
}

function ActionView({ action }: { action: Action }) {
  const { user } = useSession();
  const [editing, setEditing] = useState(false);
  const isManager = hasRole(user.role, conductManagerRoles);
  const canChange = action.status === 'open' && (isManager || hasRole(user.role, assessorRoles));
  const canMarkDone = action.status === 'open' && (action.delegateId === user.id || hasRole(user.role, assessorRoles));
  const evidence = useQuery({
    queryKey: [...conductKeys.evidence, 'action', action.id, action.updatedAt],
    queryFn: ({ signal }) => fetchEvidence({ actionId: action.id }, null, signal),
    enabled: action.evidenceIds.length > 0,
  });
  const queryClient = useQueryClient();
  const approve = useMutation({
    mutationFn: approveEvidence,
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.evidence });
      notifications.show({ color: 'teal', message: `Evidence “${saved.title}” approved` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not approve the evidence', message: (error as Error).message }),
  });

  return (
    <>
      <PageHeader
        title={action.title}
        description={
          <>
            {action.practiceTitle} · {action.unitName} · from {sourceText(action)}
            {action.source.assessmentId && (
              <>
                {' '}
                ·{' '}
                <Anchor component={Link} to={cellLink(action.source.assessmentId)} size="sm" underline="always">
                  the cell
                </Anchor>
              </>
            )}
          </>
        }
        actions={
          canChange && (
            <Button variant="default" onClick={() => setEditing(true)}>
              Delegate, deadline or priority
            </Button>
          )
        }
      />
      <Group gap="xs" mb="md">
        <ActionStatusBadge status={action.status} overdue={action.overdue} />
        <PriorityBadge priority={action.priority} />
        {action.required && <Text size="sm">Required</Text>}
      </Group>
      <Card withBorder padding="md" component="section" aria-labelledby="action-facts">
        <Title order={2} size="h4" id="action-facts" mb="xs">
          Details
        </Title>
        <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '6px 16px' }}>
          <Fact label="Delegate">{action.delegateName}</Fact>
          <Fact label="Deadline">
            {formatDate(action.deadline)}
            {action.overdue && action.status === 'open' ? ' (overdue)' : ''}
          </Fact>
          <Fact label="Practice">
            <PracticeName practiceId={action.practiceId} title={action.practiceTitle} />
          </Fact>
          <Fact label="Unit">{action.unitName}</Fact>
          <Fact label="Expected effect">{action.expectedEffect || '—'}</Fact>
          {action.description && <Fact label="Details">{action.description}</Fact>}
          {action.escalatedAt && <Fact label="Escalated">{formatDateTime(action.escalatedAt)} to the delegate’s lead</Fact>}
          {action.doneAt && <Fact label="Done">{`${formatDateTime(action.doneAt)}${action.doneNote ? `: ${action.doneNote}` : ''}`}</Fact>}
          {action.verifiedAt && (
            <Fact label="Verified">
              {formatDateTime(action.verifiedAt)}
              {action.verifyScore !== null ? ` · re-scored ${action.verifyScore}` : ''}
            </Fact>
          )}
        </dl>
      </Card>
      {action.status !== 'open' && (
        <Section id="action-evidence" title="Evidence">
          <QueryState query={evidence} loadingLabel="Loading evidence">
            <EvidenceList items={evidence.data?.items ?? []} onApprove={isManager ? (item) => approve.mutate(item.id) : undefined} approving={approve.isPending} />
          </QueryState>
        </Section>
      )}
      {canMarkDone && <DoneForm action={action} />}
      {action.status === 'done' && isManager && <VerifyForm action={action} />}
      <ActionHistory action={action} />
      {editing && <ActionFormModal opened onClose={() => setEditing(false)} target={{ action }} />}
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <Text component="dt" size="sm" fw={600}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </>
  );
}

function DoneForm({ action }: { action: Action }) {
  const queryClient = useQueryClient();
  const [evidence, setEvidence] = useState<Evidence[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const done = useMutation({
    mutationFn: () => markActionDone(action.id, { note: note.trim(), evidenceIds: evidence.map((item) => item.id) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(conductKeys.action(action.id), saved);
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: `“${action.title}” marked done; compliance will verify it` });
    },
    onError: (failure) => setError((failure as Error).message),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (evidence.length === 0) return setError('Add at least one piece of evidence that the action is done.');
    if (!note.trim()) return setError('Say briefly what was done.');
    done.mutate();
  };
  return (
    <Section id="done-title" title="Mark done">
      <Stack gap="md">
        <EvidenceSection
          unitId={action.unitId}
          attached={evidence}
          editable
          onAttach={(item) => setEvidence((current) => (current.some((other) => other.id === item.id) ? current : [...current, item]))}
          onDetach={(item) => setEvidence((current) => current.filter((other) => other.id !== item.id))}
        />
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Textarea label="What was done" required autosize minRows={3} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={done.isPending}>
                Mark done
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Section>
  );
}

function VerifyForm({ action }: { action: Action }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [rescore, setRescore] = useState<number | string>('');
  const [error, setError] = useState<string | null>(null);
  const onSaved = (saved: Action, message: string) => {
    queryClient.setQueryData(conductKeys.action(action.id), saved);
    void queryClient.invalidateQueries({ queryKey: conductKeys.all });
    notifications.show({ color: 'teal', message });
  };
  const verify = useMutation({
    mutationFn: () => verifyAction(action.id, { comment: comment.trim() || undefined, rescore: typeof rescore === 'number' ? rescore : undefined }),
    onSuccess: (saved) => onSaved(saved, `“${action.title}” verified`),
    onError: (failure) => setError((failure as Error).message),
  });
  const reopen = useMutation({
    mutationFn: () => reopenAction(action.id, comment.trim()),
    onSuccess: (saved) => onSaved(saved, `“${action.title}” reopened for ${action.delegateName}`),
    onError: (failure) => setError((failure as Error).message),
  });
  return (
    <Section id="verify-title" title="Verify">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          verify.mutate();
        }}
      >
        <Stack gap="sm">
          <Textarea label="Comment" autosize minRows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
          {action.source.assessmentId && (
            <NumberInput
              label="Re-score the cell (optional)"
              description="Shows the effect of the action on the cell it came from"
              min={1}
              max={5}
              allowDecimal={false}
              value={rescore}
              onChange={setRescore}
              w={260}
            />
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={verify.isPending}>
              Verify
            </Button>
            <Button
              variant="default"
              loading={reopen.isPending}
              onClick={() => {
                if (!comment.trim()) return setError('Say what is still missing before reopening.');
                setError(null);
                reopen.mutate();
              }}
            >
              Reopen
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

const actionEventLabels: Record<string, string> = {
  'action.created': 'Created',
  'action.updated': 'Changed',
  'action.done': 'Marked done',
  'action.verified': 'Verified',
  'action.reopened': 'Reopened',
  'action.reminded': 'Reminder sent',
  'action.escalated': 'Escalated to the delegate’s lead',
};

function ActionHistory({ action }: { action: Action }) {
  const query = useQuery({
    queryKey: [...conductKeys.action(action.id), 'events', action.updatedAt],
    queryFn: ({ signal }) => fetchActionEvents(action.id, signal),
  });
  const items = query.data?.items ?? [];
  return (
    <Section id="action-history" title="History">
      <QueryState query={query} loadingLabel="Loading the history">
        {items.length === 0 ? (
          <Text size="sm">No history yet.</Text>
        ) : (
          <List spacing={4} size="sm" aria-labelledby="action-history">
            {items.map((event) => (
              <List.Item key={event.seq}>
                <time dateTime={event.at}>{formatDateTime(event.at)}</time> · {actionEventLabels[event.type] ?? event.type.replace(/^action\./, '').replaceAll('_', ' ')}
                {event.actorName ? ` by ${event.actorName}` : ''}
                {eventComment(event) ? `: “${eventComment(event)}”` : ''}
              </List.Item>
            ))}
          </List>
        )}
      </QueryState>
    </Section>
  );
}
