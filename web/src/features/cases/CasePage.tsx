import {
  Alert, Anchor, Badge, Button, DataList, Grid, Group, List, Paper, Stack, Table, Text, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle, IconArrowLeft, IconArrowsExchange, IconCircleCheck, IconFileText, IconFlag, IconLock, IconMail, IconNote, IconPlayerPause,
  IconPlayerPlay, IconRotate, IconScale,
} from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState, QueryState } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { LegalHoldButton } from '../datacare/LegalHoldButton';
import {
  CloseModal, DecisionModal, DeclineTransferModal, EscalateModal, MessageModal, ReopenModal, ResolveModal, TransferModal,
} from './CaseActionModals';
import { BreachedBadge, CaseStatusBadge, ClockStateBadge, DueCell, PriorityText, useNow, VulnerableMarker } from './CaseBadges';
import { channelLabels, formatAmount, kindLabels, labelOf, outcomeLabels, redressKindLabels } from './case-labels';
import { useInvalidateCases } from './case-mutations';
import { CaseTimeline } from './CaseTimeline';
import {
  acceptTransfer, cancelTransfer, caseQueryKey, fetchCase, fetchCaseEvents, fetchCaseMessages, pauseCase, resumeCase, updateCase,
  type CaseDetail, type Transfer,
} from './cases.api';
import { LetterModal } from './LetterModal';
import type { LetterDraft } from './letters.api';
import { useDirectory, type Directory } from './use-directory';
import { useReturnFocus } from './use-return-focus';

type ActionModal = 'reply' | 'letter' | 'note' | 'transfer' | 'resolve' | 'reopen' | 'close' | 'escalate' | 'decision' | 'decline' | null;

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children || <Text span c="dimmed" size="sm">Not recorded</Text>}</DataList.ItemValue>
    </DataList.Item>
  );
}

function ClocksPanel({ detail }: { detail: CaseDetail }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Clocks
      </Title>
      {detail.clocks.length === 0 ? (
        <Text size="sm" c="dimmed">
          No deadlines run on this case.
        </Text>
      ) : (
        <Table aria-label="Clocks" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Deadline</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.clocks.map((clock) => (
              <Table.Tr key={clock.name}>
                <Table.Th scope="row" fw={500}>
                  <Text size="sm">{clock.label}</Text>
                  {clock.informational && (
                    <Text size="xs" c="dimmed" fw={400}>
                      For information
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>
                  <ClockStateBadge state={clock.state} informational={clock.informational} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(clock.dueAt)}
                  </Text>
                  {clock.metAt && <Text size="xs" c="dimmed">Met {formatDateTime(clock.metAt)}</Text>}
                  {clock.breachedAt && !clock.metAt && <Text size="xs" c="dimmed">{clock.informational ? 'Passed' : 'Breached'} {formatDateTime(clock.breachedAt)}</Text>}
                  {clock.pausedAt && <Text size="xs" c="dimmed">Paused {formatDateTime(clock.pausedAt)}</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function PendingTransferBanner({
  transfer,
  detail,
  directory,
  canWork,
  onDecline,
}: {
  transfer: Transfer;
  detail: CaseDetail;
  directory: Directory;
  canWork: boolean;
  onDecline: () => void;
}) {
  const { user } = useSession();
  const invalidate = useInvalidateCases();
  // The owner may have offered it to their own unit; they withdraw it, they do not accept it.
  const addressedToMe = detail.ownerId !== user.id && (transfer.toUserId === user.id || (transfer.toUnitId !== null && transfer.toUnitId === user.unitId));
  const accept = useMutation({
    mutationFn: () => acceptTransfer(transfer.id),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: `You now own ${detail.ref}` });
    },
  });
  const withdraw = useMutation({
    mutationFn: () => cancelTransfer(transfer.id),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: 'Transfer withdrawn' });
    },
  });
  const to = transfer.toUserId
    ? (directory.userName(transfer.toUserId) ?? 'a colleague')
    : `the unit ${directory.unitName(transfer.toUnitId) ?? ''}`.trim();
  const from = transfer.fromUserName ?? directory.userName(transfer.fromUserId) ?? 'A colleague';
  const failure = accept.error ?? withdraw.error;

  return (
    <Alert color="violet" icon={<IconArrowsExchange aria-hidden />} title="Transfer waiting for an answer" mb="md">
      <Stack gap="xs">
        <Text size="sm">
          Handing over from {from} to {addressedToMe && transfer.toUserId ? 'you' : to}, asked on {formatDateTime(transfer.createdAt)}: “{transfer.reason}”
          {/[.!?]$/.test(transfer.reason.trim()) ? ' ' : '. '}
          {detail.owner.name} owns it until the transfer is accepted.
        </Text>
        {failure && (
          <Text size="sm" c="red.9" role="alert">
            {failure.message}
          </Text>
        )}
        {(addressedToMe || canWork) && (
          <Group gap="xs">
            {addressedToMe && (
              <>
                <Button size="xs" onClick={() => accept.mutate()} loading={accept.isPending}>
                  Accept
                </Button>
                <Button size="xs" variant="default" onClick={onDecline}>
                  Decline
                </Button>
              </>
            )}
            {/* The owner, or a lead above the case or an admin, may withdraw it. */}
            {canWork && !addressedToMe && (
              <Button size="xs" variant="default" onClick={() => withdraw.mutate()} loading={withdraw.isPending}>
                Withdraw
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

function ComplaintPrompt({ detail, canWork }: { detail: CaseDetail; canWork: boolean }) {
  const invalidate = useInvalidateCases();
  const mutation = useMutation({
    mutationFn: () => updateCase(detail.id, { kind: 'complaint' }),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: `${detail.ref} is now recorded as a complaint; complaint deadlines apply` });
    },
  });
  const signals = detail.complaintSignals;
  if (!signals?.likely || detail.kind !== 'request') return null;
  return (
    <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="This looks like a complaint" mb="md">
      <Stack gap="xs">
        <Text size="sm">Any expression of dissatisfaction is a complaint, and complaint deadlines apply. The text:</Text>
        <List size="sm">
          {signals.reasons.map((reason) => (
            <List.Item key={reason.reason}>
              {reason.reason} (“{reason.match}”)
            </List.Item>
          ))}
        </List>
        {mutation.isError && (
          <Text size="sm" c="red.9" role="alert">
            {mutation.error.message}
          </Text>
        )}
        {canWork && (
          <Group>
            <Button size="xs" color="orange" onClick={() => mutation.mutate()} loading={mutation.isPending}>
              Mark as complaint
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

function CaseActions({ detail, open }: { detail: CaseDetail; open: (modal: ActionModal) => void }) {
  const { user } = useSession();
  const invalidate = useInvalidateCases();
  // The API decides (owner, a lead above the case, an admin); this only hides what would fail.
  const canWork = detail.ownerId === user.id || user.role === 'admin' || user.role === 'lead';
  const canNote = user.role !== 'executive';
  const active = detail.status === 'open' || detail.status === 'waiting_customer';
  const waiting = useMutation({
    mutationFn: () => (detail.status === 'waiting_customer' ? resumeCase(detail.id) : pauseCase(detail.id)),
    onSuccess: async (saved) => {
      await invalidate();
      notifications.show({
        color: 'teal',
        message: saved.status === 'waiting_customer' ? 'Waiting on the customer: clocks that may pause are paused' : 'Resumed: the clocks run again',
      });
    },
  });

  if (!canNote) return null;
  return (
    <Stack gap="xs" mb="md">
      <Group gap="xs" role="group" aria-label="Case actions">
        {canWork && detail.status !== 'closed' && (
          <Button leftSection={<IconMail size={16} aria-hidden />} onClick={() => open('reply')}>
            Reply to customer
          </Button>
        )}
        {canWork && detail.status !== 'closed' && (
          <Button variant="default" leftSection={<IconFileText size={16} aria-hidden />} onClick={() => open('letter')}>
            Send letter
          </Button>
        )}
        {detail.status !== 'closed' && (
          <Button variant="default" leftSection={<IconNote size={16} aria-hidden />} onClick={() => open('note')}>
            Add note
          </Button>
        )}
        {canWork && active && !detail.pendingTransfer && (
          <Button variant="default" leftSection={<IconArrowsExchange size={16} aria-hidden />} onClick={() => open('transfer')}>
            Transfer
          </Button>
        )}
        {canWork && active && (
          <Button
            variant="default"
            leftSection={detail.status === 'waiting_customer' ? <IconPlayerPlay size={16} aria-hidden /> : <IconPlayerPause size={16} aria-hidden />}
            onClick={() => waiting.mutate()}
            loading={waiting.isPending}
          >
            {detail.status === 'waiting_customer' ? 'Resume' : 'Waiting on customer'}
          </Button>
        )}
        {canWork && active && (
          <Button variant="default" leftSection={<IconScale size={16} aria-hidden />} onClick={() => open('decision')}>
            Discretion decision
          </Button>
        )}
        {detail.status !== 'closed' && (
          <Button variant="default" leftSection={<IconFlag size={16} aria-hidden />} onClick={() => open('escalate')}>
            Escalate
          </Button>
        )}
        {canWork && active && (
          <Button color="teal" leftSection={<IconCircleCheck size={16} aria-hidden />} onClick={() => open('resolve')}>
            Resolve
          </Button>
        )}
        {canWork && !active && (
          <Button variant="default" leftSection={<IconRotate size={16} aria-hidden />} onClick={() => open('reopen')}>
            Reopen
          </Button>
        )}
        {canWork && detail.status === 'resolved' && (
          <Button variant="default" leftSection={<IconLock size={16} aria-hidden />} onClick={() => open('close')}>
            Close
          </Button>
        )}
      </Group>
      {waiting.isError && (
        <Alert color="red" title="That did not work" role="alert" withCloseButton onClose={() => waiting.reset()}>
          {waiting.error.message}
        </Alert>
      )}
    </Stack>
  );
}

function CaseView({ detail }: { detail: CaseDetail }) {
  const { user } = useSession();
  const [modal, setModal] = useState<ActionModal>(null);
  // The letter "Resolve" asked for (final response), prefilled from what was written there.
  const [letterDraft, setLetterDraft] = useState<LetterDraft | undefined>(undefined);
  const now = useNow();
  const events = useQuery({
    queryKey: [...caseQueryKey(detail.id), 'events'],
    queryFn: ({ signal }) => fetchCaseEvents(detail.id, signal),
  });
  const messages = useQuery({
    queryKey: [...caseQueryKey(detail.id), 'messages'],
    queryFn: ({ signal }) => fetchCaseMessages(detail.id, signal),
  });
  const directory = useDirectory(detail, events.data?.items ?? [], messages.data?.items ?? []);
  const canWork = detail.ownerId === user.id || user.role === 'admin' || user.role === 'lead';
  const focus = useReturnFocus();
  const open = (next: ActionModal) => {
    focus.remember();
    setModal(next);
  };
  const close = () => {
    setModal(null);
    setLetterDraft(undefined);
    focus.restore();
  };

  return (
    <>
      <Anchor component={Link} to={user.role === 'executive' ? '/cases' : '/inbox'} size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} aria-hidden />
        {user.role === 'executive' ? 'Cases' : 'Inbox'}
      </Anchor>
      <Text size="sm" fw={600} c="dimmed">
        {detail.ref} · {labelOf(kindLabels, detail.kind)}
      </Text>
      <Title order={1} size="h2" mb="xs" style={{ overflowWrap: 'anywhere' }}>
        {detail.subject}
      </Title>
      <Group gap="sm" mb="md" wrap="wrap">
        <CaseStatusBadge status={detail.status} />
        {detail.breached && <BreachedBadge />}
        {detail.vulnerable && <VulnerableMarker />}
        <Text size="sm">
          Priority: <PriorityText priority={detail.priority} />
        </Text>
        <Text size="sm" data-testid="case-owner">
          Owned by <strong>{detail.owner.id === user.id ? `${detail.owner.name} (you)` : detail.owner.name}</strong> · {detail.unit.name}
        </Text>
      </Group>

      {detail.pendingTransfer && (
        <PendingTransferBanner
          transfer={detail.pendingTransfer}
          detail={detail}
          directory={directory}
          canWork={canWork}
          onDecline={() => open('decline')}
        />
      )}
      <ComplaintPrompt detail={detail} canWork={canWork} />
      <CaseActions detail={detail} open={open} />

      {detail.outcome && (detail.status === 'resolved' || detail.status === 'closed') && (
        <Alert color="teal" icon={<IconCircleCheck aria-hidden />} title={`Resolved: ${labelOf(outcomeLabels, detail.outcome)}`} mb="md">
          <Stack gap={4}>
            {detail.resolvedAt && <Text size="sm">On {formatDateTime(detail.resolvedAt)}</Text>}
            {detail.resolutionSummary && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {detail.resolutionSummary}
              </Text>
            )}
            {detail.redress && (
              <Text size="sm">
                Redress: {labelOf(redressKindLabels, detail.redress.kind)} of {formatAmount(detail.redress.amount)}
              </Text>
            )}
          </Stack>
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Description
              </Title>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {detail.description}
              </Text>
            </Paper>
            <section aria-labelledby="timeline-heading">
              <Title order={2} size="h4" mb="sm" id="timeline-heading">
                Timeline
              </Title>
              {events.isError || messages.isError ? (
                <ErrorState
                  error={events.error ?? messages.error}
                  onRetry={() => {
                    void events.refetch();
                    void messages.refetch();
                  }}
                />
              ) : events.isPending || messages.isPending ? (
                <Text size="sm" c="dimmed" role="status">
                  Loading the timeline…
                </Text>
              ) : (
                <CaseTimeline events={events.data.items} messages={messages.data.items} directory={directory} clocks={detail.clocks} />
              )}
            </section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Next deadline
              </Title>
              <DueCell dueAt={detail.nextDueAt} breached={detail.breached} now={now} />
            </Paper>
            <ClocksPanel detail={detail} />
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Customer
              </Title>
              <DataList labelWidth="110px">
                <Detail label="Name">{detail.customer.name}</Detail>
                <Detail label="E-mail">{detail.customer.email && <Anchor href={`mailto:${detail.customer.email}`} size="sm">{detail.customer.email}</Anchor>}</Detail>
                <Detail label="Phone">{detail.customer.phone}</Detail>
                <Detail label="Reference">{detail.customer.ref}</Detail>
                <Detail label="Vulnerable">
                  {detail.vulnerable ? (
                    <Stack gap={2}>
                      <VulnerableMarker />
                      {detail.vulnerabilityNote && <Text size="sm">{detail.vulnerabilityNote}</Text>}
                    </Stack>
                  ) : (
                    'No'
                  )}
                </Detail>
              </DataList>
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Details
              </Title>
              <DataList labelWidth="110px">
                <Detail label="Owner">{detail.owner.name}</Detail>
                <Detail label="Unit">{detail.unit.name}</Detail>
                <Detail label="Product">{detail.product}</Detail>
                <Detail label="Category">{detail.category}</Detail>
                <Detail label="Channel">{labelOf(channelLabels, detail.channel)}</Detail>
                <Detail label="Received">{formatDateTime(detail.receivedAt)}</Detail>
                <Detail label="Policy">{detail.policy}</Detail>
                {detail.reopenCount > 0 && <Detail label="Reopened">{`${detail.reopenCount} ${detail.reopenCount === 1 ? 'time' : 'times'}`}</Detail>}
                <Detail label="Kept until">
                  {detail.retentionUntil}
                  {detail.legalHold && (
                    <Badge ml="xs" color="orange" variant="light">
                      Legal hold
                    </Badge>
                  )}
                  {(user.role === 'admin' || user.role === 'compliance') && <LegalHoldButton caseId={detail.id} legalHold={detail.legalHold} />}
                </Detail>
              </DataList>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      {modal === 'reply' && <MessageModal detail={detail} toCustomer onClose={close} />}
      {modal === 'note' && <MessageModal detail={detail} toCustomer={false} onClose={close} />}
      {modal === 'transfer' && <TransferModal detail={detail} onClose={close} />}
      {modal === 'letter' && <LetterModal detail={detail} initial={letterDraft} onClose={close} />}
      {modal === 'resolve' && (
        <ResolveModal
          detail={detail}
          onClose={close}
          onWriteFinalResponse={(draft) => {
            // Focus still returns to "Resolve" when the letter closes.
            setLetterDraft(draft);
            setModal('letter');
          }}
        />
      )}
      {modal === 'reopen' && <ReopenModal detail={detail} onClose={close} />}
      {modal === 'close' && <CloseModal detail={detail} onClose={close} />}
      {modal === 'escalate' && <EscalateModal detail={detail} onClose={close} />}
      {modal === 'decision' && <DecisionModal detail={detail} onClose={close} />}
      {modal === 'decline' && detail.pendingTransfer && (
        <DeclineTransferModal transferId={detail.pendingTransfer.id} caseRef={detail.ref} onClose={close} />
      )}
    </>
  );
}

export function CasePage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: caseQueryKey(id), queryFn: ({ signal }) => fetchCase(id, signal) });
  usePageTitle(query.data ? `${query.data.ref}: ${query.data.subject}` : 'Case');
  // Cases out of scope answer 404 like missing ones (the API does not say which).
  if (!query.data && isApiError(query.error) && (query.error.status === 404 || query.error.status === 400)) {
    return (
      <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Case not found" role="alert">
        <Stack gap="xs">
          <Text size="sm">There is no such case, or it is not one you can see (for example, after you handed it over).</Text>
          <Anchor component={Link} to="/cases" size="sm">
            Go to the cases list
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return (
    <QueryState query={query} loadingLabel="Loading the case">
      {query.data && <CaseView detail={query.data} />}
    </QueryState>
  );
}
