import { Anchor, Button, EmptyState, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { DeclineTransferModal } from './CaseActionModals';
import { useInvalidateCases } from './case-mutations';
import { useReturnFocus } from './use-return-focus';
import { acceptTransfer, fetchTransfers, transfersQueryKey, type Transfer } from './cases.api';

function AcceptButton({ transfer }: { transfer: Transfer }) {
  const invalidate = useInvalidateCases();
  const mutation = useMutation({
    mutationFn: () => acceptTransfer(transfer.id),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: `You now own ${transfer.caseRef ?? 'the case'}` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The transfer was not accepted', message: error.message }),
  });
  return (
    <Button size="xs" onClick={() => mutation.mutate()} loading={mutation.isPending} aria-label={`Accept ${transfer.caseRef ?? 'transfer'}`}>
      Accept
    </Button>
  );
}

/** Cases offered to me or my unit: until I answer, the sender stays accountable. */
export function TransfersPage() {
  usePageTitle('Transfers');
  const { user } = useSession();
  const [declining, setDeclining] = useState<Transfer | null>(null);
  const focus = useReturnFocus();
  const query = useQuery({ queryKey: transfersQueryKey, queryFn: ({ signal }) => fetchTransfers(signal) });
  // A transfer you sent to your own unit is listed too; it is for your colleagues to answer.
  const transfers = (query.data?.items ?? []).filter((transfer) => transfer.fromUserId !== user.id);

  return (
    <>
      <PageHeader
        title="Transfers"
        description="Cases someone asked you, or your unit, to take over. Accept to become the owner; decline with a reason and the sender keeps it."
      />
      <QueryState query={query} loadingLabel="Loading transfers">
        {transfers.length === 0 ? (
          <EmptyState icon={<IconArrowsExchange aria-hidden />} title="No transfers waiting for you" description="When someone offers you a case, it appears here." />
        ) : (
          <Table.ScrollContainer minWidth={800}>
            <Table verticalSpacing="sm" aria-label="Transfers waiting for you" aria-busy={query.isFetching}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Case</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">To</Table.Th>
                  <Table.Th scope="col">Reason</Table.Th>
                  <Table.Th scope="col">Asked</Table.Th>
                  <Table.Th scope="col">Answer</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {transfers.map((transfer) => (
                  <Table.Tr key={transfer.id}>
                    <Table.Th scope="row" fw={400} style={{ maxWidth: 320 }}>
                      <Anchor component={Link} to={`/cases/${transfer.caseId}`} fw={600} size="sm">
                        {transfer.caseRef ?? 'Open the case'}
                      </Anchor>
                      {transfer.caseSubject && (
                        <Text size="sm" lineClamp={2}>
                          {transfer.caseSubject}
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>{transfer.fromUserName ?? 'A colleague'}</Table.Td>
                    <Table.Td>{transfer.toUserId === user.id ? 'You' : `Your unit (${user.unitName})`}</Table.Td>
                    <Table.Td style={{ maxWidth: 320 }}>
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {transfer.reason}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(transfer.createdAt)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <AcceptButton transfer={transfer} />
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            focus.remember();
                            setDeclining(transfer);
                          }}
                          aria-label={`Decline ${transfer.caseRef ?? 'transfer'}`}
                        >
                          Decline
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {declining && <DeclineTransferModal
          transferId={declining.id}
          caseRef={declining.caseRef}
          onClose={() => {
            setDeclining(null);
            focus.restore();
          }}
        />}
    </>
  );
}
