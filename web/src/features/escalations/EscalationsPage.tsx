import { Anchor, Badge, Button, EmptyState, Group, Stack, Table, Tabs, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUrgent } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import {
  acknowledgeEscalation,
  escalationsQueryKey,
  fetchEscalations,
  LIST_LIMIT,
  type Escalation,
  type EscalationFilters,
  type EscalationState,
} from './escalations.api';
import { escalationStateLabels, humanise, reasonLabels } from './labels';
import { formatRelative, useNow } from './relative-time';
import { ResolveEscalationModal } from './ResolveEscalationModal';

type TabKey = 'mine' | 'scope' | 'resolved';

const tabs: { value: TabKey; label: string; filters: EscalationFilters; empty: string }[] = [
  {
    value: 'mine',
    label: 'Addressed to me',
    filters: { state: ['open', 'acknowledged'], toUserId: 'me' },
    empty: 'Nothing is waiting for you. Escalations addressed to you appear here until you resolve them.',
  },
  {
    value: 'scope',
    label: 'All in my scope',
    filters: { state: ['open', 'acknowledged'] },
    empty: 'No open escalation in the cases you can see.',
  },
  {
    value: 'resolved',
    label: 'Resolved',
    filters: { state: ['resolved'] },
    empty: 'No escalation has been resolved yet.',
  },
];

const isTab = (value: string | null): value is TabKey => tabs.some((tab) => tab.value === value);

const stateColors: Record<EscalationState, string> = { open: 'orange', acknowledged: 'blue', resolved: 'teal' };

/** The acknowledgement deadline in words: "Overdue" is said, not only coloured. */
function AckDeadline({ escalation, now }: { escalation: Escalation; now: number }) {
  if (escalation.state === 'resolved') {
    return (
      <Text size="sm" title={formatDateTime(escalation.resolvedAt)}>
        Resolved {escalation.resolvedAt ? formatRelative(escalation.resolvedAt, now) : ''}
      </Text>
    );
  }
  if (escalation.state === 'acknowledged') {
    return (
      <Text size="sm" title={formatDateTime(escalation.acknowledgedAt)}>
        Acknowledged {escalation.acknowledgedAt ? formatRelative(escalation.acknowledgedAt, now) : ''}
      </Text>
    );
  }
  if (!escalation.ackDueAt) {
    return (
      <Text size="sm" c="dimmed">
        No deadline: top of the ladder
      </Text>
    );
  }
  const overdue = new Date(escalation.ackDueAt).getTime() <= now;
  return (
    <Stack gap={2} align="flex-start">
      {overdue && (
        <Badge color="red" variant="filled" style={{ minWidth: 'max-content' }}>
          Overdue
        </Badge>
      )}
      <Text size="sm" fw={overdue ? 600 : undefined}>
        <time dateTime={escalation.ackDueAt} title={formatDateTime(escalation.ackDueAt)}>
          {overdue ? 'Was due ' : 'Due '}
          {formatRelative(escalation.ackDueAt, now)}
        </time>
      </Text>
      <Text size="xs" c="dimmed">
        {formatDateTime(escalation.ackDueAt)}
      </Text>
    </Stack>
  );
}

function EscalationsTable({
  items,
  busy,
  now,
  meId,
  onResolve,
}: {
  items: Escalation[];
  busy: boolean;
  now: number;
  meId: string;
  onResolve: (escalation: Escalation) => void;
}) {
  const queryClient = useQueryClient();
  const acknowledge = useMutation({
    mutationFn: (escalation: Escalation) => acknowledgeEscalation(escalation.id),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: escalationsQueryKey });
      notifications.show({ color: 'teal', message: `Escalation on ${saved.caseRef} acknowledged` });
    },
    onError: (error, escalation) =>
      notifications.show({
        color: 'red',
        title: `Could not acknowledge the escalation on ${escalation.caseRef}`,
        message: error instanceof Error ? error.message : 'Something went wrong.',
      }),
  });

  return (
    <Table.ScrollContainer minWidth={1040}>
      <Table verticalSpacing="sm" aria-label="Escalations" aria-busy={busy} highlightOnHover>
        <Table.Caption>
          {items.length} {items.length === 1 ? 'escalation' : 'escalations'} shown
          {items.length >= LIST_LIMIT ? ` (the newest ${LIST_LIMIT}; there may be more)` : ''}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Case</Table.Th>
            <Table.Th scope="col">Reason</Table.Th>
            <Table.Th scope="col">Addressed to</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Acknowledge by</Table.Th>
            <Table.Th scope="col">Raised</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((escalation) => {
            const mine = escalation.toUserId === meId;
            const rowLabelId = `escalation-${escalation.id}-case`;
            return (
              <Table.Tr key={escalation.id} data-escalation-id={escalation.id}>
                <Table.Th scope="row" fw={400} style={{ minWidth: 220, maxWidth: 320 }}>
                  <Anchor component={Link} to={`/cases/${escalation.caseId}`} fw={600} id={rowLabelId} style={{ whiteSpace: 'nowrap' }}>
                    {escalation.caseRef}
                  </Anchor>
                  <Text size="sm" lineClamp={2} title={escalation.caseSubject}>
                    {escalation.caseSubject}
                  </Text>
                </Table.Th>
                <Table.Td style={{ minWidth: 200, maxWidth: 300 }}>
                  <Text size="sm" fw={500}>
                    {reasonLabels[escalation.reason] ?? escalation.reason}
                    {escalation.clockName ? `: ${humanise(escalation.clockName)}` : ''}
                  </Text>
                  {escalation.note && (
                    <Text size="xs" c="dimmed" lineClamp={3} title={escalation.note}>
                      {escalation.note}
                    </Text>
                  )}
                  {escalation.state === 'resolved' && escalation.resolution && (
                    <Text size="xs" mt={4} lineClamp={3}>
                      <strong>Resolution:</strong> {escalation.resolution}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{mine ? `${escalation.toUserName} (you)` : escalation.toUserName}</Text>
                  <Text size="xs" c="dimmed">
                    Step {escalation.rung} of the ladder
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={stateColors[escalation.state]} style={{ minWidth: 'max-content' }}>
                    {escalationStateLabels[escalation.state] ?? escalation.state}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <AckDeadline escalation={escalation} now={now} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={formatDateTime(escalation.createdAt)} style={{ whiteSpace: 'nowrap' }}>
                    {formatRelative(escalation.createdAt, now)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {mine && escalation.state !== 'resolved' && (
                    <Group gap="xs" wrap="nowrap">
                      {escalation.state === 'open' && (
                        <Button
                          size="xs"
                          aria-describedby={rowLabelId}
                          loading={acknowledge.isPending && acknowledge.variables?.id === escalation.id}
                          onClick={() => acknowledge.mutate(escalation)}
                        >
                          Acknowledge
                        </Button>
                      )}
                      <Button
                        size="xs"
                        variant={escalation.state === 'open' ? 'default' : 'filled'}
                        aria-describedby={rowLabelId}
                        onClick={() => onResolve(escalation)}
                      >
                        Resolve
                      </Button>
                    </Group>
                  )}
                  {!mine && escalation.state !== 'resolved' && (
                    <Text size="xs" c="dimmed">
                      Only {escalation.toUserName} can act on it
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EscalationsTab({ tab, onResolve }: { tab: (typeof tabs)[number]; onResolve: (escalation: Escalation) => void }) {
  const { user } = useSession();
  const now = useNow();
  const query = useQuery({
    queryKey: [...escalationsQueryKey, tab.filters],
    queryFn: ({ signal }) => fetchEscalations(tab.filters, signal),
    placeholderData: keepPreviousData,
    // Escalations climb on their own when not acknowledged; keep the queue current.
    refetchInterval: 60_000,
  });
  const items = query.data?.items ?? [];

  return (
    <QueryState query={query} loadingLabel="Loading escalations">
      {items.length === 0 ? (
        <EmptyState icon={<IconUrgent aria-hidden />} title="No escalations" description={tab.empty} />
      ) : (
        <EscalationsTable items={items} busy={query.isFetching} now={now} meId={user.id} onResolve={onResolve} />
      )}
    </QueryState>
  );
}

export function EscalationsPage() {
  usePageTitle('Escalations');
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('tab');
  const active: TabKey = isTab(requested) ? requested : 'mine';
  const [resolving, setResolving] = useState<Escalation | null>(null);

  return (
    <>
      <PageHeader
        title="Escalations"
        description="What is stuck, late or beyond someone's authority, addressed to a named person who must acknowledge it in time or it climbs the ladder. Each one closes with a lesson."
      />
      <Tabs
        value={active}
        onChange={(value) => {
          if (isTab(value)) setSearchParams(value === 'mine' ? {} : { tab: value }, { replace: true });
        }}
      >
        <Tabs.List mb="md">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Panel key={tab.value} value={tab.value}>
            {active === tab.value && <EscalationsTab tab={tab} onResolve={setResolving} />}
          </Tabs.Panel>
        ))}
      </Tabs>
      {resolving && <ResolveEscalationModal key={resolving.id} escalation={resolving} onClose={() => setResolving(null)} />}
    </>
  );
}
