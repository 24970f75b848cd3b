import { Button, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { usePageTitle } from '../../lib/use-page-title';
import { Section } from './ExecutiveReportPage';
import { ReportFilterBar, useReportFilters } from './report-filters';
import { complaintsReturnCsvUrl, fetchComplaintsReturn, money, reportQueryKey, type ReturnRow } from './reports.api';

const columns: { key: keyof ReturnRow; label: string }[] = [
  { key: 'outstandingAtStart', label: 'Outstanding at start' },
  { key: 'received', label: 'Received' },
  { key: 'closedWithin3BusinessDays', label: 'Closed ≤ 3 business days' },
  { key: 'closedAfter3DaysWithin8Weeks', label: 'Closed > 3 days, ≤ 8 weeks' },
  { key: 'closedAfter8Weeks', label: 'Closed > 8 weeks' },
  { key: 'upheld', label: 'Upheld (incl. partly)' },
  { key: 'redressPaid', label: 'Redress paid' },
];

export function ComplaintsReturnPage() {
  usePageTitle('Complaints return');
  const [filters, set] = useReportFilters();
  const period = { from: filters.from, to: filters.to };
  const result = useQuery({ queryKey: reportQueryKey('return', period), queryFn: ({ signal }) => fetchComplaintsReturn(period, signal) });
  const cell = (row: ReturnRow, key: keyof ReturnRow) => (key === 'redressPaid' ? money(row.redressPaid) : row[key]);
  return (
    <>
      <PageHeader
        title="Regulatory complaints return"
        description="Per product group and main cause, following FCA DISP 1.10 (the firm as a whole; partly upheld counts as upheld)."
        actions={
          <Button component="a" href={complaintsReturnCsvUrl(period)} leftSection={<IconDownload size={16} aria-hidden />} variant="light">
            Download CSV
          </Button>
        }
      />
      <ReportFilterBar filters={filters} set={set} withUnit={false} />
      <QueryState query={result} loadingLabel="Computing the return">
        {result.data && (
          <>
            <Section id="disp" title="DISP complaints return">
              {result.data.rows.length === 0 ? (
                <Text c="dimmed">No complaints outstanding, received or closed in this period.</Text>
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Product group</Table.Th>
                      <Table.Th>Main cause</Table.Th>
                      {columns.map((c) => (
                        <Table.Th key={c.key}>{c.label}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...result.data.rows, result.data.totals].map((row) => (
                      <Table.Tr key={`${row.productGroup}|${row.mainCause}`} fw={row.productGroup === 'Total' ? 700 : undefined}>
                        <Table.Td>{row.productGroup}</Table.Td>
                        <Table.Td>{row.mainCause}</Table.Td>
                        {columns.map((c) => (
                          <Table.Td key={c.key}>{cell(row, c.key)}</Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
            <Section id="cfpb" title="CFPB-style summary">
              {result.data.cfpb.length === 0 ? (
                <Text c="dimmed">Nothing received or closed in this period.</Text>
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Product</Table.Th>
                      <Table.Th>Issue</Table.Th>
                      <Table.Th>Received</Table.Th>
                      <Table.Th>Closed with monetary relief</Table.Th>
                      <Table.Th>Closed with explanation</Table.Th>
                      <Table.Th>In progress</Table.Th>
                      <Table.Th>Timely (≤ 15 days)</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.data.cfpb.map((row) => (
                      <Table.Tr key={`${row.product}|${row.issue}`}>
                        <Table.Td>{row.product}</Table.Td>
                        <Table.Td>{row.issue}</Table.Td>
                        <Table.Td>{row.received}</Table.Td>
                        <Table.Td>{row.closedWithMonetaryRelief}</Table.Td>
                        <Table.Td>{row.closedWithExplanation}</Table.Td>
                        <Table.Td>{row.inProgress}</Table.Td>
                        <Table.Td>
                          {row.timely} of {row.closed}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
          </>
        )}
      </QueryState>
    </>
  );
}
