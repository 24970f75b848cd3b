import { Anchor, Badge, Card, EmptyState, Table, Text } from '@mantine/core';
import { IconPhoneCall } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchFollowUps, fetchRecovery, followUpsQueryKey, recoveryQueryKey, type Recovery } from './surveys.api';

/** Does calling back work? Of those followed up who answered again, how many scored better. */
function RecoveryCard({ recovery }: { recovery: Recovery }) {
  return (
    <Card withBorder padding="md" mb="md" component="article" aria-label="Recovery rate" maw={520}>
      <Text size="sm" c="dimmed" fw={600}>
        Recovery rate
      </Text>
      <Text fz={28} fw={700} lh={1.2}>
        {recovery.rate === null ? '—' : `${Math.round(recovery.rate * 100)}%`}
      </Text>
      <Text size="sm">
        {recovery.rate === null
          ? `${recovery.followUps} ${recovery.followUps === 1 ? 'person' : 'people'} followed up; nobody has answered a survey again yet.`
          : `${recovery.improved} of ${recovery.answeredAgain} people followed up who answered again later gave a better score.`}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        n = {recovery.answeredAgain} ({recovery.followUps} follow-ups in all)
      </Text>
    </Card>
  );
}

/** The closed loop: every low care score or detractor gets a person's call, nearest deadline first. */
export function FollowUpsPage() {
  usePageTitle('Survey follow-ups');
  const query = useQuery({ queryKey: followUpsQueryKey, queryFn: ({ signal }) => fetchFollowUps(signal) });
  const cases = query.data?.items ?? [];
  const recovery = useQuery({ queryKey: recoveryQueryKey, queryFn: ({ signal }) => fetchRecovery(signal) });
  return (
    <>
      <Anchor component={Link} to="/surveys" size="sm">
        ← All surveys
      </Anchor>
      <PageHeader
        title="Survey follow-ups"
        description="Open follow-up cases from low care scores and detractors: someone contacts each person, before the deadline."
      />
      {recovery.data && <RecoveryCard recovery={recovery.data} />}
      <QueryState query={query} loadingLabel="Loading follow-ups">
        {cases.length === 0 ? (
          <EmptyState icon={<IconPhoneCall aria-hidden />} title="No open follow-ups" description="Every low score has been followed up." />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" aria-label="Survey follow-ups" highlightOnHover>
              <Table.Caption>
                {cases.length} open {cases.length === 1 ? 'follow-up' : 'follow-ups'}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Case</Table.Th>
                  <Table.Th scope="col">Subject</Table.Th>
                  <Table.Th scope="col">Customer</Table.Th>
                  <Table.Th scope="col">Owner</Table.Th>
                  <Table.Th scope="col">Deadline</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {cases.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Th scope="row">
                      <Anchor component={Link} to={`/cases/${item.id}`} fw={600} style={{ whiteSpace: 'nowrap' }}>
                        {item.ref}
                      </Anchor>
                    </Table.Th>
                    <Table.Td>{item.subject}</Table.Td>
                    <Table.Td>
                      {item.customer?.name}
                      {item.customer?.email && (
                        <Text size="xs" c="dimmed">
                          {item.customer.email}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{item.owner?.name ?? 'Nobody'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {item.nextDueAt ? formatDateTime(item.nextDueAt) : <Text span size="sm" c="dimmed">No deadline</Text>}
                      {item.breached && (
                        <Badge ml="xs" color="red" variant="light">
                          Overdue
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </>
  );
}
