import { Alert, Anchor, Badge, Button, Group, List, Paper, SegmentedControl, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import {
  type DataSubject, eraseCustomerData, type ErasureRefusal, exportCustomerData, fetchRetentionReport, type Removed, removedLabels,
} from './datacare.api';

const reportKey = ['retention-report'];

function removedText(removed: Removed): string {
  const parts = (Object.keys(removedLabels) as (keyof Removed)[]).filter((k) => removed[k] > 0).map((k) => `${removed[k]} ${removedLabels[k]}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing left to remove';
}

function RetentionReportSection() {
  const report = useQuery({ queryKey: reportKey, queryFn: ({ signal }) => fetchRetentionReport(signal) });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Retention report
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Closed cases past their retention date are anonymised every minute, unless under legal hold. What was removed, and what is still kept:
      </Text>
      <QueryState query={report} loadingLabel="Loading the retention report">
        {report.data && (
          <Stack>
            <Text size="sm">
              <strong>{report.data.totals.cases}</strong> case(s) anonymised{report.data.totals.cases > 0 ? `: ${removedText(report.data.totals)}` : ''}.
            </Text>
            {report.data.anonymised.length === 0 ? (
              <Text size="sm" c="dimmed">No case has been anonymised yet.</Text>
            ) : (
              <Table striped aria-label="Anonymised cases">
                <Table.Thead>
                  <Table.Tr><Table.Th>Case</Table.Th><Table.Th>When</Table.Th><Table.Th>Why</Table.Th><Table.Th>Removed</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.data.anonymised.slice(0, 200).map((a) => (
                    <Table.Tr key={a.caseId}>
                      <Table.Td><Anchor component={Link} to={`/cases/${a.caseId}`}>{a.ref}</Anchor></Table.Td>
                      <Table.Td>{formatDateTime(a.at)}</Table.Td>
                      <Table.Td>{a.reason === 'erasure' ? 'Customer request' : 'Retention'}</Table.Td>
                      <Table.Td>{removedText(a.removed)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Title order={3} size="h5">Past their date, still kept</Title>
            {report.data.pending.length === 0 ? (
              <Text size="sm" c="dimmed">None.</Text>
            ) : (
              <Table aria-label="Cases past retention still kept">
                <Table.Thead>
                  <Table.Tr><Table.Th>Case</Table.Th><Table.Th>Kept until</Table.Th><Table.Th>Why it is kept</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.data.pending.map((p) => (
                    <Table.Tr key={p.caseId}>
                      <Table.Td><Anchor component={Link} to={`/cases/${p.caseId}`}>{p.ref}</Anchor></Table.Td>
                      <Table.Td>{p.retentionUntil}</Table.Td>
                      <Table.Td>
                        {p.legalHold ? <Badge color="orange" variant="light">Legal hold</Badge> : p.status === 'open' || p.status === 'waiting_customer' ? 'Still open' : 'Next run'}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </QueryState>
    </Paper>
  );
}

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function CustomerRequestSection() {
  const queryClient = useQueryClient();
  const [by, setBy] = useState<'email' | 'customerRef'>('email');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const subject = (): DataSubject => (by === 'email' ? { email: value.trim() } : { customerRef: value.trim() });
  const exporter = useMutation({
    mutationFn: () => exportCustomerData(subject()),
    onSuccess: (data) => download(`customer-data-${new Date().toISOString().slice(0, 10)}.json`, data),
  });
  const eraser = useMutation({
    mutationFn: () => eraseCustomerData(subject(), reason.trim()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportKey }),
  });
  const refusals = isApiError(eraser.error) ? ((eraser.error.details as { refusals?: ErasureRefusal[] } | undefined)?.refusals ?? []) : [];
  const failed = (error: unknown) => (isApiError(error) ? error.message : 'The request failed');
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        A customer's data
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Export everything held about a customer (a subject access request), or erase it where the law allows. Both are recorded in the history.
      </Text>
      <Stack>
        <SegmentedControl
          aria-label="Find the customer by"
          value={by}
          onChange={(v) => setBy(v as 'email' | 'customerRef')}
          data={[{ label: 'E-mail', value: 'email' }, { label: 'Customer reference', value: 'customerRef' }]}
          w="fit-content"
        />
        <TextInput label={by === 'email' ? "Customer's e-mail" : 'Customer reference'} value={value} onChange={(e) => setValue(e.currentTarget.value)} required />
        <Group>
          <Button onClick={() => exporter.mutate()} loading={exporter.isPending} disabled={!value.trim()}>
            Export as JSON
          </Button>
        </Group>
        {exporter.isError && <Alert color="red" role="alert">{failed(exporter.error)}</Alert>}
        {exporter.isSuccess && <Alert color="green" role="status">The export was downloaded.</Alert>}
        <Textarea label="Reason for erasure" description="Recorded in the history, e.g. the request's reference." value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
        <Group>
          <Button color="red" variant="light" onClick={() => eraser.mutate()} loading={eraser.isPending} disabled={!value.trim() || !reason.trim()}>
            Erase where allowed
          </Button>
        </Group>
        {eraser.isError && (
          <Alert color={refusals.length > 0 ? 'orange' : 'red'} role="alert" title={failed(eraser.error)}>
            {refusals.length > 0 && (
              <List size="sm">
                {refusals.map((r) => (
                  <List.Item key={r.caseId}>
                    <Anchor component={Link} to={`/cases/${r.caseId}`}>{r.ref}</Anchor>: {r.reason}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        {eraser.isSuccess && (
          <Alert color="green" role="status">
            Erased {eraser.data.erasedCases.length} case(s){eraser.data.erasedCases.length > 0 ? ` (${eraser.data.erasedCases.map((c) => c.ref).join(', ')})` : ''} and {eraser.data.surveyInvitations} survey invitation(s).
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

export function DataCarePage() {
  usePageTitle('Data care');
  return (
    <>
      <PageHeader title="Data care" description="Retention, legal holds and customers' requests for their data." />
      <Stack>
        <CustomerRequestSection />
        <RetentionReportSection />
      </Stack>
    </>
  );
}
