import { Alert, Anchor, Badge, Button, EmptyState, Tabs } from '@mantine/core';
import { IconArrowsExchange, IconInbox, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { canCreateCases } from './case-roles';
import { CaseTable, LoadMore } from './CaseTable';
import {
  casesQueryKey, fetchCaseCounts, fetchCases, fetchTransfers, transfersQueryKey, type CaseCounts, type CaseFilters, type CaseStatus,
} from './cases.api';

type InboxTab = 'active' | CaseStatus;

const tabs: { value: InboxTab; label: string; statuses: CaseStatus[]; sort: CaseFilters['sort']; empty: string }[] = [
  { value: 'active', label: 'To do', statuses: ['open', 'waiting_customer'], sort: 'due', empty: 'Nothing waiting for you' },
  { value: 'open', label: 'Open', statuses: ['open'], sort: 'due', empty: 'No open cases' },
  { value: 'waiting_customer', label: 'Waiting on customer', statuses: ['waiting_customer'], sort: 'due', empty: 'No case is waiting on a customer' },
  { value: 'resolved', label: 'Resolved', statuses: ['resolved'], sort: 'received', empty: 'No resolved cases' },
  { value: 'closed', label: 'Closed', statuses: ['closed'], sort: 'received', empty: 'No closed cases' },
];

const countFor = (counts: CaseCounts | undefined, statuses: CaseStatus[]) =>
  counts ? statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0) : undefined;

function InboxList({ statuses, sort, empty }: { statuses: CaseStatus[]; sort: CaseFilters['sort']; empty: string }) {
  const filters: CaseFilters = { ownerId: 'me', status: statuses, sort };
  const query = useInfiniteQuery({
    queryKey: [...casesQueryKey, 'list', filters],
    queryFn: ({ pageParam, signal }) => fetchCases(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    placeholderData: keepPreviousData,
  });
  const cases = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);

  return (
    <QueryState query={query} loadingLabel="Loading your cases">
      {cases.length === 0 ? (
        <EmptyState icon={<IconInbox aria-hidden />} title={empty} description="Cases you own appear here, the nearest deadline first." />
      ) : (
        <>
          <CaseTable label="My cases" cases={cases} busy={query.isFetching} hasMore={query.hasNextPage} />
          <LoadMore query={query} what="cases" />
        </>
      )}
    </QueryState>
  );
}

export function InboxPage() {
  usePageTitle('Inbox');
  const { user } = useSession();
  const [tab, setTab] = useState<InboxTab>('active');

  const counts = useQuery({
    queryKey: [...casesQueryKey, 'counts', { ownerId: 'me' }],
    queryFn: ({ signal }) => fetchCaseCounts({ ownerId: 'me' }, signal),
  });
  const transfers = useQuery({ queryKey: transfersQueryKey, queryFn: ({ signal }) => fetchTransfers(signal) });
  const waitingTransfers = transfers.data?.items.filter((transfer) => transfer.fromUserId !== user.id).length ?? 0;

  return (
    <>
      <PageHeader
        title="Inbox"
        description="Cases you own, the nearest deadline first. You stay accountable for each until someone accepts a transfer."
        actions={
          canCreateCases(user.role) && (
            <Button component={Link} to="/cases/new" leftSection={<IconPlus size={16} aria-hidden />}>
              New case
            </Button>
          )
        }
      />

      {waitingTransfers > 0 && (
        <Alert color="blue" icon={<IconArrowsExchange aria-hidden />} mb="md" title="Transfers waiting for your answer">
          {waitingTransfers === 1 ? 'One case has' : `${waitingTransfers} cases have`} been offered to you or your unit.{' '}
          <Anchor component={Link} to="/transfers" size="sm">
            Review transfers
          </Anchor>
        </Alert>
      )}

      <Tabs value={tab} onChange={(value) => setTab((value as InboxTab | null) ?? 'active')} keepMounted={false}>
        <Tabs.List aria-label="Cases by status" mb="md">
          {tabs.map((item) => {
            const count = countFor(counts.data, item.statuses);
            return (
              <Tabs.Tab
                key={item.value}
                value={item.value}
                rightSection={
                  count !== undefined && (
                    <Badge size="sm" variant="light" color="gray">
                      {count}
                    </Badge>
                  )
                }
              >
                {item.label}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {tabs.map((item) => (
          <Tabs.Panel key={item.value} value={item.value}>
            <InboxList statuses={item.statuses} sort={item.sort} empty={item.empty} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
