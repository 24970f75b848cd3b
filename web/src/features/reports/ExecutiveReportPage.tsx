import { Alert, Anchor, Badge, Button, Card, Group, List, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { ReportFilterBar, useReportFilters } from './report-filters';
import {
  executivePdfUrl,
  fetchExecutiveReport,
  fetchSubscriptions,
  formatFigure,
  reportQueryKey,
  saveCommentary,
  subscribe,
  unsubscribe,
  type ExecutiveReport,
  type Indicator,
  type ReportFilters,
} from './reports.api';

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} style={{ marginTop: 'var(--mantine-spacing-xl)' }}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </section>
  );
}

function trendText(i: Indicator): string | null {
  if (i.value === null || i.previous === null) return null;
  const delta = i.value - i.previous;
  if (Math.abs(delta) < 1e-9) return 'no change';
  const good = delta > 0 === (i.better === 'up');
  return `${delta > 0 ? 'up' : 'down'} from ${formatFigure(i.previous, i.format)} (${good ? 'better' : 'worse'})`;
}

function IndicatorCard({ indicator }: { indicator: Indicator }) {
  const value = formatFigure(indicator.value, indicator.format);
  const margin = indicator.margin !== undefined && indicator.margin !== null ? ` ± ${indicator.format === 'nps' ? indicator.margin.toFixed(0) : indicator.margin.toFixed(1)}` : '';
  const trend = trendText(indicator);
  return (
    <Card withBorder padding="sm" data-testid={`indicator-${indicator.key}`}>
      <Text size="xs" c="dimmed">
        {indicator.label}
      </Text>
      <Text size="xl" fw={700}>
        {indicator.link ? (
          <Anchor component={Link} to={indicator.link} aria-label={`${indicator.label}: ${value}, open the cases`}>
            {value}
          </Anchor>
        ) : (
          value
        )}
        {margin && (
          <Text span size="sm" c="dimmed">
            {margin}
          </Text>
        )}
      </Text>
      {trend && <Text size="xs">{trend}</Text>}
      {indicator.note && (
        <Text size="xs" c="dimmed">
          {indicator.note}
        </Text>
      )}
    </Card>
  );
}

function CommentaryForm({ filters, report, canWrite }: { filters: ReportFilters; report: ExecutiveReport; canWrite: boolean }) {
  const client = useQueryClient();
  const [text, setText] = useState({ headline: '', risks: '', actions: '' });
  useEffect(() => {
    setText({ headline: report.commentary?.headline ?? '', risks: report.commentary?.risks ?? '', actions: report.commentary?.actions ?? '' });
  }, [report.commentary]);
  const save = useMutation({
    mutationFn: () => saveCommentary(filters, text),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Commentary saved; it will appear in the PDF.' });
      return client.invalidateQueries({ queryKey: ['reports'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: error.message }),
  });
  if (!canWrite) {
    return report.commentary ? (
      <Stack gap={4}>
        <Text size="sm"><b>Headline:</b> {report.commentary.headline || '—'}</Text>
        <Text size="sm"><b>Risks:</b> {report.commentary.risks || '—'}</Text>
        <Text size="sm"><b>Actions:</b> {report.commentary.actions || '—'}</Text>
      </Stack>
    ) : (
      <Text size="sm" c="dimmed">No commentary written for this period.</Text>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="xs" maw={720}>
        <Textarea label="Headline for the board" autosize minRows={2} maxLength={4000} value={text.headline} onChange={(e) => setText({ ...text, headline: e.currentTarget.value })} />
        <Textarea label="Risks and weak pockets" autosize minRows={2} maxLength={4000} value={text.risks} onChange={(e) => setText({ ...text, risks: e.currentTarget.value })} />
        <Textarea label="Actions agreed" autosize minRows={2} maxLength={4000} value={text.actions} onChange={(e) => setText({ ...text, actions: e.currentTarget.value })} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save commentary
          </Button>
          {report.commentary && (
            <Text size="xs" c="dimmed">
              Last saved by {report.commentary.updatedBy.name}, {new Date(report.commentary.updatedAt).toLocaleString('en-GB')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function Subscriptions({ unitId }: { unitId: string | null }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['reports', 'subscriptions'], queryFn: ({ signal }) => fetchSubscriptions(signal) });
  const [frequency, setFrequency] = useState<'weekly' | 'monthly'>('weekly');
  const refresh = () => client.invalidateQueries({ queryKey: ['reports', 'subscriptions'] });
  const add = useMutation({
    mutationFn: () => subscribe({ frequency, unitId }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: `You will receive the report ${frequency} by e-mail.` });
      return refresh();
    },
    onError: (error) => notifications.show({ color: 'red', message: error.message }),
  });
  const remove = useMutation({ mutationFn: unsubscribe, onSuccess: refresh });
  return (
    <QueryState query={list}>
      <Stack gap="xs">
        {list.data?.items.length ? (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Who</Table.Th>
                <Table.Th>How often</Table.Th>
                <Table.Th>Last sent</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.userName}</Table.Td>
                  <Table.Td>{s.frequency}</Table.Td>
                  <Table.Td>{s.lastPeriod ?? '—'}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(s.id)} aria-label={`Stop the ${s.frequency} report for ${s.userName}`}>
                      Stop
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">You receive no scheduled report yet.</Text>
        )}
        <Group align="flex-end">
          <SegmentedControl aria-label="How often" value={frequency} onChange={(v) => setFrequency(v as 'weekly' | 'monthly')} data={[{ value: 'weekly', label: 'Weekly' }, { value: 'monthly', label: 'Monthly' }]} />
          <Button variant="light" onClick={() => add.mutate()} loading={add.isPending}>
            E-mail me this report
          </Button>
        </Group>
      </Stack>
    </QueryState>
  );
}

export function ExecutiveReportPage() {
  usePageTitle('Executive trust report');
  const { user } = useSession();
  const [filters, set] = useReportFilters();
  const report = useQuery({ queryKey: reportQueryKey('executive', filters), queryFn: ({ signal }) => fetchExecutiveReport(filters, signal) });
  const canWrite = ['executive', 'compliance', 'admin'].includes(user?.role ?? '');
  const data = report.data;
  return (
    <>
      <PageHeader
        title="Executive trust report"
        description="Headline indicators against the previous period of the same length. Every figure opens the cases behind it."
        actions={
          <Button component="a" href={executivePdfUrl(filters)} leftSection={<IconDownload size={16} aria-hidden />} variant="light">
            Download PDF
          </Button>
        }
      />
      <ReportFilterBar filters={filters} set={set} />
      <QueryState query={report} loadingLabel="Loading the report">
        {data && (
          <>
            <Text size="sm" c="dimmed">
              {data.unit ? data.unit.name : 'Whole company'} · {data.period.from} to {data.period.to} (compared with {data.period.previousFrom} to {data.period.previousTo})
            </Text>
            <Section id="headline" title="Headline indicators">
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
                {data.indicators.map((i) => (
                  <IndicatorCard key={i.key} indicator={i} />
                ))}
              </SimpleGrid>
            </Section>
            <Section id="weekly" title="Complaints week by week">
              {data.complaints.series.length === 0 ? (
                <Text c="dimmed">No complaints in this period.</Text>
              ) : (
                <BarChart
                  h={220}
                  data={data.complaints.series}
                  dataKey="week"
                  series={[
                    { name: 'received', color: 'indigo.6', label: 'Received' },
                    { name: 'resolved', color: 'teal.6', label: 'Resolved' },
                    { name: 'open', color: 'orange.6', label: 'Open at week end' },
                  ]}
                  withLegend
                  aria-label="Weekly complaints received, resolved and open"
                />
              )}
            </Section>
            <Section id="conduct" title="Conduct status">
              {data.conduct ? (
                <>
                  <Text size="sm">
                    {data.conduct.cycleName}: score <b>{data.conduct.score === null ? '—' : data.conduct.score.toFixed(1)}</b>
                    {data.conduct.capped && <Badge ml="xs" color="orange">capped: {data.conduct.capReason ?? 'red cells'}</Badge>}
                    {' · '}weakest unit {data.conduct.weakestUnit ? `${data.conduct.weakestUnit.name} (${data.conduct.weakestUnit.score.toFixed(1)})` : '—'} · {formatFigure(data.conduct.shareBelowThreshold, 'percent')} of cells below threshold · {data.conduct.redCells} red cells ·{' '}
                    <Anchor component={Link} to="/conduct/actions?view=overdue">{data.conduct.overdueActions} overdue actions</Anchor>
                  </Text>
                  {data.conduct.weakestPockets.length > 0 && (
                    <>
                      <Text size="sm" fw={600} mt="xs">Weakest pockets</Text>
                      <List size="sm">
                        {data.conduct.weakestPockets.map((p) => (
                          <List.Item key={`${p.unitPath}-${p.practiceTitle}`}>
                            {p.unitPath}: {p.practiceTitle}{p.critical ? ' (critical)' : ''} scored {p.score}
                          </List.Item>
                        ))}
                      </List>
                      <Anchor component={Link} to="/conduct/status" size="sm">Open the conduct status</Anchor>
                    </>
                  )}
                </>
              ) : (
                <Alert color="gray">No conduct cycle yet.</Alert>
              )}
            </Section>
            <Section id="care" title="Care and trust">
              <Text size="sm">
                Care→propensity correlation r = {data.surveys.careToPropensity.r === null ? '—' : data.surveys.careToPropensity.r.toFixed(2)}
                {data.surveys.careToPropensity.lower !== null && ` (95% interval ${data.surveys.careToPropensity.lower.toFixed(2)} to ${data.surveys.careToPropensity.upper!.toFixed(2)})`}, n ={' '}
                {data.surveys.careToPropensity.n}
              </Text>
            </Section>
            <Section id="weakest" title="Where complaints come from">
              <Group align="flex-start" grow>
                {(['unit', 'product'] as const).map((dimension) => (
                  <Table key={dimension} striped>
                    <Table.Caption>By {dimension}</Table.Caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{dimension === 'unit' ? 'Unit' : 'Product'}</Table.Th>
                        <Table.Th>Received</Table.Th>
                        <Table.Th>Upheld rate</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.complaints.by[dimension].slice(0, 8).map((row) => (
                        <Table.Tr key={row.value}>
                          <Table.Td>{row.label}</Table.Td>
                          <Table.Td>
                            <Anchor component={Link} to={row.link}>
                              {row.received}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{formatFigure(row.upheldRate, 'percent')}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ))}
              </Group>
              <Anchor component={Link} to={`/reports/complaints?from=${filters.from}&to=${filters.to}${filters.unitId ? `&unitId=${filters.unitId}` : ''}`} size="sm">
                All complaint insights and emerging issues
              </Anchor>
            </Section>
            <Section id="commentary" title="Commentary">
              <CommentaryForm filters={filters} report={data} canWrite={canWrite} />
            </Section>
            <Section id="delivery" title="Scheduled delivery">
              <Subscriptions unitId={filters.unitId ?? null} />
            </Section>
          </>
        )}
      </QueryState>
    </>
  );
}
