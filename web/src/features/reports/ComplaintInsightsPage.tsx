import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ActionFormModal, type AlertActionTarget } from '../conduct/ActionFormModal';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { usePageTitle } from '../../lib/use-page-title';
import { Section } from './ExecutiveReportPage';
import { ReportFilterBar, useReportFilters } from './report-filters';
import {
  fetchComplaintAnalytics,
  fetchEmergingIssues,
  formatFigure,
  money,
  reportQueryKey,
  type Breakdown,
  type EmergingIssue,
} from './reports.api';

const dimensionTitles = { unit: 'Unit', product: 'Product', category: 'Category', channel: 'Channel', vulnerable: 'Vulnerability' } as const;

function Figure({ label, value, link }: { label: string; value: string; link?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700}>
        {link ? (
          <Anchor component={Link} to={link} aria-label={`${label}: ${value}, open the cases`}>
            {value}
          </Anchor>
        ) : (
          value
        )}
      </Text>
    </Card>
  );
}

function BreakdownTable({ dimension, rows }: { dimension: keyof typeof dimensionTitles; rows: Breakdown[] }) {
  if (rows.length === 0) return null;
  return (
    <Table striped mb="md">
      <Table.Caption>By {dimensionTitles[dimension].toLowerCase()}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{dimensionTitles[dimension]}</Table.Th>
          <Table.Th>Received</Table.Th>
          <Table.Th>Resolved</Table.Th>
          <Table.Th>Upheld rate</Table.Th>
          <Table.Th>Within 8 weeks</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.value}>
            <Table.Td>{row.label}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={row.link}>
                {row.received}
              </Anchor>
            </Table.Td>
            <Table.Td>{row.resolved}</Table.Td>
            <Table.Td>{formatFigure(row.upheldRate, 'percent')}</Table.Td>
            <Table.Td>{formatFigure(row.shareWithin8Weeks, 'percent')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function IssueCard({ issue }: { issue: EmergingIssue }) {
  const [opened, setOpened] = useState(false);
  const target: AlertActionTarget = {
    alert: {
      key: issue.key, title: issue.action.title, description: issue.action.description, unitId: issue.action.unitId,
      suggestedPractice: issue.action.suggestedPractice, detail: `${issue.label}: ${issue.current} complaints against ${issue.expected.toFixed(1)} expected (${issue.method})`,
    },
  };
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs">
            <Badge color={issue.kind === 'theme' ? 'grape' : 'orange'}>{issue.kind === 'theme' ? (issue.isNew ? 'new theme' : 'rising theme') : `rise by ${issue.dimension}`}</Badge>
            <Text fw={600}>{issue.label}</Text>
          </Group>
          <Text size="sm">
            <Anchor component={Link} to={issue.link}>
              {issue.current} complaints
            </Anchor>{' '}
            from {issue.window.from} to {issue.window.to}; {issue.expected.toFixed(1)} expected.
          </Text>
          <Text size="xs" c="dimmed">
            Method: {issue.method}. Suggested practice: {issue.action.suggestedPractice}.
          </Text>
        </Stack>
        <Button size="xs" variant="light" onClick={() => setOpened(true)}>
          Open improvement action
        </Button>
        {opened && <ActionFormModal opened onClose={() => setOpened(false)} target={target} />}
      </Group>
    </Card>
  );
}

export function ComplaintInsightsPage() {
  usePageTitle('Complaint insights');
  const [filters, set] = useReportFilters();
  const analytics = useQuery({ queryKey: reportQueryKey('complaints', filters), queryFn: ({ signal }) => fetchComplaintAnalytics(filters, signal) });
  const issues = useQuery({ queryKey: reportQueryKey('emerging', filters), queryFn: ({ signal }) => fetchEmergingIssues(filters, signal) });
  const a = analytics.data;
  return (
    <>
      <PageHeader title="Complaint insights" description="Volumes, turnaround, clocks, outcomes and redress, the weak pockets, and what is emerging. Every figure opens its cases." />
      <ReportFilterBar filters={filters} set={set} />
      <Section id="emerging" title="Emerging issues">
        <QueryState query={issues} loadingLabel="Looking for emerging issues">
          {issues.data && issues.data.items.length === 0 ? (
            <Alert color="teal">Nothing unusual in the week to {issues.data.asOf}: no unit, product, category or theme above its control limit.</Alert>
          ) : (
            <Stack gap="xs">
              {issues.data?.items.map((issue) => (
                <IssueCard key={issue.key} issue={issue} />
              ))}
            </Stack>
          )}
        </QueryState>
      </Section>
      <QueryState query={analytics} loadingLabel="Loading complaint analytics">
        {a && (
          <>
            <Section id="volumes" title="Volumes and turnaround">
              <SimpleGrid cols={{ base: 2, md: 4 }}>
                <Figure label="Received" value={String(a.current.received)} link={a.links.received} />
                <Figure label="Resolved" value={String(a.current.resolved)} link={a.links.resolved} />
                <Figure label="Open now" value={String(a.ageing.open)} link={a.ageing.link} />
                <Figure label="Upheld rate (partly upheld counts)" value={formatFigure(a.current.upheldRate, 'percent')} link={a.links.upheld} />
                <Figure label="Median turnaround" value={`${formatFigure(a.current.calendarDays.median, 'days')} · ${formatFigure(a.current.businessDays.median, 'days')} business`} link={a.links.resolved} />
                <Figure
                  label="90th percentile turnaround"
                  value={`${formatFigure(a.current.calendarDays.p90, 'days')}${a.current.calendarDays.p90AtLeast ? '+' : ''} · ${formatFigure(a.current.businessDays.p90, 'days')}${a.current.businessDays.p90AtLeast ? '+' : ''} business`}
                  link={a.links.resolved}
                />
                <Figure label="Resolved within 3 business days" value={formatFigure(a.current.shareWithin3BusinessDays, 'percent')} link={a.links.resolved} />
                <Figure label="Resolved within 8 weeks" value={formatFigure(a.current.shareWithin8Weeks, 'percent')} link={a.links.resolved} />
                <Figure label="Reopen rate" value={formatFigure(a.current.reopenRate, 'percent')} link={a.links.reopened} />
                <Figure label="Escalations raised" value={String(a.escalations.raised)} link={a.escalations.link} />
                <Figure label="Median time to acknowledge" value={formatFigure(a.escalations.medianHoursToAcknowledge, 'hours')} link={a.escalations.link} />
                <Figure label="Lessons closed (open)" value={`${a.escalations.lessonsClosed} (${a.escalations.lessonsOpen})`} link={a.escalations.lessonsLink} />
              </SimpleGrid>
            </Section>
            <Section id="clocks" title="Clocks and redress">
              <Group align="flex-start" grow>
                <Table>
                  <Table.Caption>Breach rate per clock (complaints received in the period)</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Clock</Table.Th>
                      <Table.Th>Started</Table.Th>
                      <Table.Th>Breached</Table.Th>
                      <Table.Th>Rate</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {a.current.clocks.map((c) => (
                      <Table.Tr key={c.clock}>
                        <Table.Td>{c.clock}</Table.Td>
                        <Table.Td>{c.started}</Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={a.links.clock[c.clock]}>
                            {c.breached}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{formatFigure(c.rate, 'percent')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Table>
                  <Table.Caption>Redress paid by kind</Table.Caption>
                  <Table.Tbody>
                    {(['compensation', 'refund', 'goodwill', 'interest'] as const).map((kind) => (
                      <Table.Tr key={kind}>
                        <Table.Td>{kind}</Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={a.links.redress[kind]}>
                            {money(a.current.redress[kind])}
                          </Anchor>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                    <Table.Tr>
                      <Table.Td fw={700}>Total</Table.Td>
                      <Table.Td fw={700}>{money(a.current.redress.total)}</Table.Td>
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
              </Group>
            </Section>
            <Section id="ageing" title="Open complaints by age">
              <Group>
                {a.ageing.buckets.map((b) => (
                  <Figure key={b.key} label={b.label} value={String(b.count)} link={b.link} />
                ))}
              </Group>
            </Section>
            <Section id="breakdowns" title="Breakdowns">
              {(Object.keys(dimensionTitles) as (keyof typeof dimensionTitles)[]).map((d) => (
                <BreakdownTable key={d} dimension={d} rows={a.by[d]} />
              ))}
              {a.by.unit.length === 0 && <Text c="dimmed">No complaints in this period.</Text>}
            </Section>
          </>
        )}
      </QueryState>
    </>
  );
}
