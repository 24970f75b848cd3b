import { Alert, Badge, Blockquote, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { CompositeChart } from '@mantine/charts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { fetchVerbatims, type SentimentLabel, type SurveyAnalytics, type VerbatimFilter } from './surveys.api';

/** The results dashboard's charts and text sections: trends with bands, the care × propensity grid, themes, verbatims. */

const one = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit' });
export const shortMonth = (month: string) => {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00`);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
};

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

const sentimentColors: Record<SentimentLabel, string> = { negative: 'red', neutral: 'gray', positive: 'teal' };
const sentimentOf = (score: number | null): SentimentLabel => (score === null ? 'neutral' : score < -0.05 ? 'negative' : score > 0.05 ? 'positive' : 'neutral');

/**
 * Monthly means with their 95% intervals drawn as bands, and the care benchmark as a line. Months
 * below the anonymity threshold are gaps. The table under "Trend by month" has the same numbers.
 */
export function TrendCharts({ data }: { data: SurveyAnalytics }) {
  const shown = data.trend.filter((m) => m.guard !== 'hide');
  if (shown.length < 2) {
    return (
      <Text size="sm" c="dimmed">
        Trends appear once at least two months each have {data.minResponses} or more answers.
      </Text>
    );
  }
  const rows = data.trend.map((m) => ({
    month: shortMonth(m.month),
    Care: m.care?.mean ?? null,
    'Care 95% interval': m.care?.lower != null && m.care.upper != null ? [m.care.lower, m.care.upper] : null,
    Propensity: m.propensity?.mean ?? null,
    'Propensity 95% interval': m.propensity?.lower != null && m.propensity.upper != null ? [m.propensity.lower, m.propensity.upper] : null,
    NPS: m.nps,
    'NPS margin': m.nps !== null && m.npsMargin !== null ? [m.nps - m.npsMargin, m.nps + m.npsMargin] : null,
  }));
  return (
    <Stack gap="lg">
      <figure style={{ margin: 0 }} aria-label="Care and propensity by month, with 95% intervals and the care benchmark">
        <Text component="figcaption" size="sm" fw={600} mb={4}>
          Care and propensity (0–10) by month, with 95% intervals; dashed line: care benchmark {one(data.careBenchmark)}
        </Text>
        <CompositeChart
          h={260}
          data={rows}
          dataKey="month"
          yAxisProps={{ domain: [0, 10] }}
          withLegend
          connectNulls={false}
          referenceLines={[{ y: data.careBenchmark, label: `Benchmark ${one(data.careBenchmark)}`, color: 'gray.6', strokeDasharray: '5 5' }]}
          series={[
            { name: 'Care 95% interval', color: 'teal.2', type: 'area' },
            { name: 'Propensity 95% interval', color: 'indigo.2', type: 'area' },
            { name: 'Care', color: 'teal.7', type: 'line' },
            { name: 'Propensity', color: 'indigo.7', type: 'line' },
          ]}
        />
      </figure>
      <figure style={{ margin: 0 }} aria-label="Net Promoter Score by month with its margin of error">
        <Text component="figcaption" size="sm" fw={600} mb={4}>
          Net Promoter Score by month, with its 95% margin of error
        </Text>
        <CompositeChart
          h={220}
          data={rows}
          dataKey="month"
          yAxisProps={{ domain: [-100, 100] }}
          withLegend
          connectNulls={false}
          series={[
            { name: 'NPS margin', color: 'orange.2', type: 'area' },
            { name: 'NPS', color: 'orange.7', type: 'line' },
          ]}
        />
      </figure>
    </Stack>
  );
}

/** The scatter as an 11×11 grid of counts (no one person's point), shaded by count, with both correlations. */
export function CareGrid({ data }: { data: SurveyAnalytics }) {
  if (data.careGrid.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The grid appears once there are {data.minResponses} or more answers.
      </Text>
    );
  }
  const counts = new Map(data.careGrid.map((c) => [`${c.care}:${c.propensity}`, c.count]));
  const max = Math.max(...data.careGrid.map((c) => c.count));
  const scale = Array.from({ length: 11 }, (_, i) => i);
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table withTableBorder withColumnBorders aria-label="Answers by care (columns) and propensity (rows)" fz="xs" style={{ textAlign: 'center' }}>
        <Table.Caption>
          Each cell counts the people who gave that care score (across) and propensity score (down). Spearman ρ ={' '}
          {one(data.careToPropensity.spearman.r, 2)}, Pearson r = {one(data.careToPropensity.pearson.r, 2)}, n = {data.careToPropensity.spearman.n}.
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Propensity ↓ / care →</Table.Th>
            {scale.map((c) => (
              <Table.Th key={c} scope="col" style={{ textAlign: 'center' }}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...scale].reverse().map((p) => (
            <Table.Tr key={p}>
              <Table.Th scope="row">{p}</Table.Th>
              {scale.map((c) => {
                const count = counts.get(`${c}:${p}`) ?? 0;
                const alpha = count === 0 ? 0 : 0.12 + 0.78 * (count / max);
                return (
                  <Table.Td key={c} style={{ background: `rgba(12, 133, 153, ${alpha})`, color: alpha > 0.55 ? 'white' : undefined }}>
                    {count || ''}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function Themes({ data }: { data: SurveyAnalytics }) {
  if (data.themes.top.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No themes yet: they come from what people write in free-text answers.
      </Text>
    );
  }
  const recent = data.themes.byMonth.slice(-6).reverse();
  return (
    <Group align="flex-start" gap="xl" wrap="wrap">
      <Table withTableBorder aria-label="Top themes" maw={460}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Theme</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>
              Mentions
            </Table.Th>
            <Table.Th scope="col">Mean sentiment</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.themes.top.map((t) => (
            <Table.Tr key={t.theme}>
              <Table.Th scope="row">{t.theme}</Table.Th>
              <Table.Td style={{ textAlign: 'right' }}>{t.count}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={sentimentColors[sentimentOf(t.sentiment)]}>
                  {sentimentOf(t.sentiment)} ({one(t.sentiment, 2)})
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Stack gap="xs" style={{ flex: 1, minWidth: 260 }}>
        <Text size="sm" fw={600}>
          Most mentioned, by month
        </Text>
        {recent.map((m) => (
          <Text key={m.month} size="sm">
            <strong>{shortMonth(m.month)}:</strong> {m.themes.map((t) => `${t.theme} (${t.count})`).join(', ')}
          </Text>
        ))}
      </Stack>
    </Group>
  );
}

export function Verbatims({ surveyId, data }: { surveyId: string; data: SurveyAnalytics }) {
  const [q, setQ] = useState('');
  const [sentiment, setSentiment] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [filter, setFilter] = useState<VerbatimFilter>({});
  const query = useInfiniteQuery({
    queryKey: ['surveys', 'verbatims', surveyId, filter],
    queryFn: ({ pageParam, signal }) => fetchVerbatims(surveyId, filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ q: q.trim() || undefined, sentiment: (sentiment as SentimentLabel | null) ?? undefined, unitId: unitId ?? undefined });
  };
  const first = query.data?.pages[0];
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm">
      <form onSubmit={submit} role="search" aria-label="Search comments">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput label="Words" placeholder="e.g. call back" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={240} />
          <Select
            label="Sentiment"
            placeholder="Any"
            clearable
            w={160}
            data={[{ value: 'negative', label: 'Negative' }, { value: 'neutral', label: 'Neutral' }, { value: 'positive', label: 'Positive' }]}
            value={sentiment}
            onChange={setSentiment}
          />
          <Select
            label="Unit"
            placeholder="All units"
            clearable
            searchable
            w={220}
            data={data.units.map((u) => ({ value: u.unitId, label: u.unitName }))}
            value={unitId}
            onChange={setUnitId}
          />
          <Button type="submit">Search comments</Button>
        </Group>
      </form>
      <QueryState query={query} loadingLabel="Loading comments">
        {first?.hidden ? (
          <Alert color="gray" title="Too few answers to show comments">
            This selection has {first.n} {first.n === 1 ? 'answer' : 'answers'}; comments are shown from {first.threshold}, so nobody can be recognised by what they wrote.
          </Alert>
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No comments match.
          </Text>
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Comments">
            {items.map((v) => (
              <li key={v.id}>
                <Blockquote p="sm" color={sentimentColors[v.sentimentLabel]} cite={`${formatDateTime(v.createdAt)}${v.unitName ? ` · ${v.unitName}` : ''}${v.care !== null ? ` · care ${v.care}/10` : ''}`}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {v.text}
                  </Text>
                  <Group gap={4} mt={6}>
                    <Badge size="sm" variant="light" color={sentimentColors[v.sentimentLabel]}>
                      {v.sentimentLabel}
                    </Badge>
                    {v.keyPhrases.slice(0, 5).map((k) => (
                      <Badge key={k} size="sm" variant="outline" color="gray">
                        {k}
                      </Badge>
                    ))}
                  </Group>
                </Blockquote>
              </li>
            ))}
          </Stack>
        )}
        {query.hasNextPage && (
          <Button variant="default" mt="sm" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            More comments
          </Button>
        )}
      </QueryState>
    </Stack>
  );
}
