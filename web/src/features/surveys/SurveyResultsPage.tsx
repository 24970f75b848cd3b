import { Alert, Anchor, Badge, Button, Card, SimpleGrid, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { usePageTitle } from '../../lib/use-page-title';
import { CareGrid, Section, Themes, TrendCharts, Verbatims } from './SurveyInsights';
import {
  fetchSurvey,
  fetchSurveyAnalytics,
  responsesCsvUrl,
  statusLabels,
  surveyAnalyticsQueryKey,
  surveyQueryKey,
  touchpointLabels,
  type Correlation,
  type Guard,
  type MeanStat,
  type SurveyAnalytics,
} from './surveys.api';

const one = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const interval = (lower: number | null, upper: number | null, digits = 1) =>
  lower === null || upper === null ? 'no interval (too few answers)' : `95% interval ${one(lower, digits)} to ${one(upper, digits)}`;

const driverLabels: Record<string, string> = {
  care: 'Feeling cared for',
  nps: 'Likelihood to recommend',
  csat: 'Satisfaction with the case',
  ces: 'Ease of getting what was needed',
};

function GuardNote({ guard, n }: { guard: Guard; n: number }) {
  if (guard === 'ok') return null;
  return (
    <Alert color={guard === 'hide' ? 'gray' : 'yellow'} icon={<IconAlertTriangle aria-hidden />} mb="md" title={guard === 'hide' ? 'Too few answers to show' : 'Few answers: read with care'}>
      {guard === 'hide'
        ? `Only ${n} ${n === 1 ? 'answer' : 'answers'} so far. Figures are shown from enough answers to keep respondents anonymous and the numbers meaningful.`
        : `Based on ${n} answers: the intervals are wide, and small differences are probably chance.`}
    </Alert>
  );
}

function StatCard({ label, value, detail, n }: { label: string; value: string; detail: ReactNode; n: number }) {
  return (
    <Card withBorder padding="md" component="article" aria-label={label}>
      <Text size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz={32} fw={700} lh={1.2}>
        {value}
      </Text>
      <Text size="sm">{detail}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        n = {n}
      </Text>
    </Card>
  );
}

const meanDetail = (stat: MeanStat) => (stat.mean === null ? 'No answers yet' : interval(stat.lower, stat.upper));

function Headline({ data }: { data: SurveyAnalytics }) {
  const careGap = data.care.mean === null ? null : data.care.mean - data.careBenchmark;
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
      <StatCard
        label="Net Promoter Score"
        value={data.nps.nps === null ? '—' : `${Math.round(data.nps.nps)}${data.nps.marginOfError95 === null ? '' : ` ± ${Math.round(data.nps.marginOfError95)}`}`}
        detail={`${data.nps.promoters} promoters, ${data.nps.passives} passives, ${data.nps.detractors} detractors`}
        n={data.nps.n}
      />
      <StatCard
        label="Feeling cared for (0–10)"
        value={one(data.care.mean)}
        detail={
          <>
            {meanDetail(data.care)}
            <br />
            Benchmark {one(data.careBenchmark)}/10
            {careGap !== null && ` (${careGap >= 0 ? '+' : '−'}${Math.abs(careGap).toFixed(1)})`}
          </>
        }
        n={data.care.n}
      />
      <StatCard label="Propensity to do more business (0–10)" value={one(data.propensity.mean)} detail={meanDetail(data.propensity)} n={data.propensity.n} />
    </SimpleGrid>
  );
}

function correlationText(c: Correlation) {
  if (c.r === null) return 'Not enough varied answers to measure';
  return `r = ${one(c.r, 2)}; ${interval(c.lower, c.upper, 2)}`;
}

function CorrelationTable({ data }: { data: SurveyAnalytics }) {
  const rows: [string, Correlation][] = [
    ['Spearman (rank)', data.careToPropensity.spearman],
    ['Pearson (linear)', data.careToPropensity.pearson],
  ];
  return (
    <Section id="survey-correlation" title="Does feeling cared for go with more business?">
      <Table withTableBorder aria-labelledby="survey-correlation" maw={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Correlation of care with propensity</Table.Th>
            <Table.Th scope="col">Result</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>
              n
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(([label, c]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row">{label}</Table.Th>
              <Table.Td>{correlationText(c)}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{c.n}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        r runs from −1 to 1; an interval that does not include 0 suggests a real association, not proof of cause.
      </Text>
    </Section>
  );
}

function DriversTable({ data }: { data: SurveyAnalytics }) {
  return (
    <Section id="survey-drivers" title="Drivers of propensity to do more business">
      {data.drivers.length === 0 ? (
        <Text size="sm" c="dimmed">
          No drivers yet.
        </Text>
      ) : (
        <Table withTableBorder aria-labelledby="survey-drivers" maw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Item</Table.Th>
              <Table.Th scope="col">Spearman r with propensity</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>
                n
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.drivers.map((driver) => (
              <Table.Tr key={driver.item}>
                <Table.Th scope="row">{driverLabels[driver.item] ?? driver.item}</Table.Th>
                <Table.Td>{correlationText(driver)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{driver.n}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function UnitsTable({ data }: { data: SurveyAnalytics }) {
  return (
    <Section id="survey-units" title="Care by unit">
      {data.units.length === 0 ? (
        <Text size="sm" c="dimmed">
          No answers from any unit yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table withTableBorder aria-labelledby="survey-units">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Unit</Table.Th>
                <Table.Th scope="col">Mean care (0–10)</Table.Th>
                <Table.Th scope="col">Compared with everyone</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>
                  n
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.units.map((unit) => (
                <Table.Tr key={unit.unitId}>
                  <Table.Th scope="row">{unit.unitName}</Table.Th>
                  {unit.guard === 'hide' || !unit.care ? (
                    <Table.Td colSpan={2}>
                      <Text size="sm" c="dimmed">
                        Too few answers to show
                      </Text>
                    </Table.Td>
                  ) : (
                    <>
                      <Table.Td>
                        {one(unit.care.mean)}{' '}
                        <Text span size="xs" c="dimmed">
                          ({interval(unit.care.lower, unit.care.upper)})
                        </Text>
                        {unit.guard === 'warn' && (
                          <Badge ml="xs" size="sm" variant="light" color="yellow">
                            Few answers
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {unit.comparison?.difference === null || unit.comparison?.difference === undefined
                          ? '—'
                          : `${unit.comparison.difference >= 0 ? '+' : '−'}${Math.abs(unit.comparison.difference).toFixed(1)}${
                              unit.comparison.pValue === null ? '' : `, p = ${unit.comparison.pValue.toFixed(3)}`
                            }${unit.comparison.significant ? ' (significant)' : ' (could be chance)'}`}
                      </Table.Td>
                    </>
                  )}
                  <Table.Td style={{ textAlign: 'right' }}>{unit.n}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const formatMonth = (month: string) => {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00`);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
};

/** A monthly mean with its 95% interval in brackets. */
function MeanCell({ stat }: { stat: MeanStat | null }) {
  return (
    <Table.Td>
      {one(stat?.mean)}{' '}
      {stat && stat.lower !== null && (
        <Text span size="xs" c="dimmed">
          ({one(stat.lower)}–{one(stat.upper)})
        </Text>
      )}
    </Table.Td>
  );
}

function TrendTable({ data }: { data: SurveyAnalytics }) {
  return (
    <Section id="survey-trend" title="Trend by month">
      {data.trend.length === 0 ? (
        <Text size="sm" c="dimmed">
          No answers yet.
        </Text>
      ) : (
        <Table withTableBorder aria-labelledby="survey-trend" maw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Month</Table.Th>
              <Table.Th scope="col">NPS</Table.Th>
              <Table.Th scope="col">Mean care (0–10)</Table.Th>
              <Table.Th scope="col">Mean propensity (0–10)</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>
                n
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.trend.map((month) => (
              <Table.Tr key={month.month}>
                <Table.Th scope="row">{formatMonth(month.month)}</Table.Th>
                {month.guard === 'hide' ? (
                  <Table.Td colSpan={3}>
                    <Text size="sm" c="dimmed">
                      Too few answers to show
                    </Text>
                  </Table.Td>
                ) : (
                  <>
                    <Table.Td>
                      {month.nps === null ? '—' : Math.round(month.nps)}
                      {month.npsMargin !== null && ` ± ${Math.round(month.npsMargin)}`}
                      {month.guard === 'warn' && (
                        <Badge ml="xs" size="sm" variant="light" color="yellow">
                          Few answers
                        </Badge>
                      )}
                    </Table.Td>
                    <MeanCell stat={month.care} />
                    <MeanCell stat={month.propensity} />
                  </>
                )}
                <Table.Td style={{ textAlign: 'right' }}>{month.n}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function SurveyResultsPage() {
  const { id = '' } = useParams();
  const survey = useQuery({ queryKey: surveyQueryKey(id), queryFn: ({ signal }) => fetchSurvey(id, signal) });
  const analytics = useQuery({ queryKey: surveyAnalyticsQueryKey(id), queryFn: ({ signal }) => fetchSurveyAnalytics(id, signal) });
  usePageTitle(survey.data ? `Results: ${survey.data.name}` : 'Survey results');
  const data = analytics.data;

  return (
    <>
      <Anchor component={Link} to="/surveys" size="sm">
        ← All surveys
      </Anchor>
      <PageHeader
        title={survey.data ? `Results: ${survey.data.name}` : 'Survey results'}
        description={
          survey.data &&
          `${statusLabels[survey.data.status]} · ${touchpointLabels[survey.data.touchpoint] ?? survey.data.touchpoint} · ${survey.data.invited} invited, ${survey.data.responded} responded`
        }
        actions={
          <Button component="a" href={responsesCsvUrl(id)} download variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
            Export responses (CSV)
          </Button>
        }
      />
      <QueryState query={analytics} loadingLabel="Loading results">
        {data && (
          <>
            <Text mb="sm">
              Based on <strong>{data.n}</strong> {data.n === 1 ? 'answer' : 'answers'}.
            </Text>
            <GuardNote guard={data.guard} n={data.n} />
            <Headline data={data} />
            <Section id="survey-trend-charts" title="Trends with 95% intervals">
              <TrendCharts data={data} />
            </Section>
            <CorrelationTable data={data} />
            <Section id="survey-grid" title="Care against propensity, person by person">
              <CareGrid data={data} />
            </Section>
            <DriversTable data={data} />
            <UnitsTable data={data} />
            <TrendTable data={data} />
            <Section id="survey-themes" title="Themes in what people wrote">
              <Themes data={data} />
            </Section>
            <Section id="survey-verbatims" title="Comments">
              <Verbatims surveyId={id} data={data} />
            </Section>
            <Section id="survey-recovery" title="Closed loop">
              <Text size="sm">
                {data.recovery.rate === null
                  ? `${data.recovery.followUps} follow-ups so far; nobody followed up has answered again yet.`
                  : `Of ${data.recovery.answeredAgain} followed-up people who answered again later, ${data.recovery.improved} gave a better score (recovery rate ${Math.round(data.recovery.rate * 100)}%, n = ${data.recovery.answeredAgain}).`}
              </Text>
            </Section>
          </>
        )}
      </QueryState>
    </>
  );
}
