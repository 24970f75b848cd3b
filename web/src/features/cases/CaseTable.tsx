import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Page } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { kindLabels, labelOf } from './case-labels';
import { CaseStatusBadge, DueCell, PriorityText, useNow, VulnerableMarker } from './CaseBadges';
import type { CaseSummary } from './cases.api';

/** The case list of the inbox and of the cases page; the cases page adds owner and unit. */
export function CaseTable({
  label,
  cases,
  withOwner = false,
  busy = false,
  hasMore = false,
}: {
  label: string;
  cases: readonly CaseSummary[];
  withOwner?: boolean;
  busy?: boolean;
  hasMore?: boolean;
}) {
  const now = useNow();
  return (
    <Table.ScrollContainer minWidth={withOwner ? 1150 : 950}>
      <Table highlightOnHover verticalSpacing="xs" aria-label={label} aria-busy={busy}>
        <Table.Caption>
          {cases.length} {cases.length === 1 ? 'case' : 'cases'} shown{hasMore ? ', more available' : ''}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Ref</Table.Th>
            <Table.Th scope="col" miw={220}>
              Subject
            </Table.Th>
            <Table.Th scope="col" miw={140}>
              Customer
            </Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Priority</Table.Th>
            {withOwner && <Table.Th scope="col">Owner</Table.Th>}
            <Table.Th scope="col">Received</Table.Th>
            <Table.Th scope="col">Deadline</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cases.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
                <Anchor component={Link} to={`/cases/${item.id}`} fw={600} size="sm">
                  {item.ref}
                </Anchor>
                {item.kind !== 'complaint' && (
                  <Text size="xs" c="dimmed" fw={400}>
                    {labelOf(kindLabels, item.kind)}
                  </Text>
                )}
              </Table.Th>
              <Table.Td style={{ maxWidth: 360 }}>
                <Text size="sm" lineClamp={2}>
                  {item.subject}
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm">{item.customer.name}</Text>
                  {item.vulnerable && <VulnerableMarker />}
                </Stack>
              </Table.Td>
              <Table.Td>
                <CaseStatusBadge status={item.status} />
              </Table.Td>
              <Table.Td>
                <PriorityText priority={item.priority} />
              </Table.Td>
              {withOwner && (
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {item.owner.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {item.unit.name}
                  </Text>
                </Table.Td>
              )}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{formatDateTime(item.receivedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <DueCell dueAt={item.nextDueAt} breached={item.breached} now={now} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** "Load more" under a list, and the message if loading more failed (the loaded rows stay). */
export function LoadMore({
  query,
  what,
}: {
  query: Pick<
    UseInfiniteQueryResult<InfiniteData<Page<unknown>>>,
    'hasNextPage' | 'fetchNextPage' | 'isFetchingNextPage' | 'isFetchNextPageError' | 'error'
  >;
  what: string;
}) {
  return (
    <>
      {query.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      )}
      {query.isFetchNextPageError && (
        <Text c="red" size="sm" role="alert" ta="center" mt="xs">
          Could not load more {what}: {query.error?.message}
        </Text>
      )}
    </>
  );
}
