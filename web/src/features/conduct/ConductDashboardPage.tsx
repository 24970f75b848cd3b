import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  EmptyState,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconAlertTriangle, IconFileTypeCsv, IconFileTypePdf, IconGauge } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { hasRole } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { LoadMore } from '../cases/CaseTable';
import {
  conductKeys,
  exportUrl,
  fetchAssessments,
  fetchHeatmap,
  fetchSignals,
  fetchStatus,
  fetchTrend,
  type Cycle,
  type CycleStatus,
  type Heatmap,
} from './conduct.api';
import {
  bandColors,
  bandLabels,
  CellStateBadge,
  cellLink,
  conductManagerRoles,
  formatDate,
  formatScore,
  percent,
  PracticeName,
  ScoreBadge,
  Section,
  unitKindLabel,
  useCycleChoice,
} from './conduct-ui';

/**
 * The cycle dashboard: the company status score with its distribution beside it, every red cell
 * on the first screen, then drill-down, heat map, signals, trend and overdue actions. A weak pocket
 * is never averaged away: the cap and its reason sit next to the score.
 */
export function ConductDashboardPage() {
  usePageTitle('Conduct status');
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const { cycles, list: cycleList, fallback } = useCycleChoice();
  const cycleId = params.get('cycle') ?? fallback;
  const cycle = cycleList.find((item) => item.id === cycleId);
  const trail = (params.get('trail') ?? '').split(',').filter(Boolean);
  const unitId = trail.at(-1) ?? null;

  const setCycle = (id: string | null) => setParams(id ? { cycle: id } : {});
  const drill = (nextTrail: string[]) =>
    setParams(cycleId ? { cycle: cycleId, ...(nextTrail.length ? { trail: nextTrail.join(',') } : {}) } : {});

  const cycleSelect = cycleList.length > 0 && (
    <Select
      label="Assessment cycle"
      data={cycleList.map((item) => ({ value: item.id, label: `${item.name} (${item.status === 'open' ? 'in progress' : 'closed'})` }))}
      value={cycleId}
      onChange={setCycle}
      allowDeselect={false}
      w={260}
    />
  );

  return (
    <>
      <PageHeader
        title="Conduct status"
        description={cycle ? <CycleFacts cycle={cycle} /> : 'How well each unit runs the practices that affect customers, with every weak pocket in view.'}
        actions={
          cycleId && (
            <Group gap="sm" align="flex-end">
              {cycleSelect}
              <Button component="a" href={exportUrl(cycleId, 'pdf')} variant="default" leftSection={<IconFileTypePdf size={16} aria-hidden />}>
                Board report (PDF)
              </Button>
              <Button component="a" href={exportUrl(cycleId, 'csv')} variant="default" leftSection={<IconFileTypeCsv size={16} aria-hidden />}>
                All cells (CSV)
              </Button>
            </Group>
          )
        }
      />
      <QueryState query={cycles} loadingLabel="Loading cycles">
        {cycleList.length === 0 ? (
          <EmptyState
            icon={<IconGauge aria-hidden />}
            title="No assessment cycle yet"
            description={
              hasRole(user.role, conductManagerRoles) ? (
                <>
                  Open the first cycle from the <Anchor component={Link} to="/conduct/practices" underline="always">practice catalogue</Anchor>.
                </>
              ) : (
                'Compliance opens assessment cycles; the status appears here once one runs.'
              )
            }
          />
        ) : (
          cycleId && <CycleView cycleId={cycleId} trail={trail} unitId={unitId} drill={drill} />
        )}
      </QueryState>
    </>
  );
}

function CycleFacts({ cycle }: { cycle: Cycle }) {
  const total = cycle.counts.total ?? 0;
  const approved = cycle.counts.approved ?? 0;
  return (
    <>
      {cycle.frameworkName} · {cycle.status === 'open' ? `due ${formatDate(cycle.dueAt)}` : `closed ${formatDate(cycle.closedAt)}`} · {approved} of {total} cells approved
      {cycle.counts.submitted ? ` · ${cycle.counts.submitted} waiting for review` : ''}
    </>
  );
}

function CycleView({ cycleId, trail, unitId, drill }: { cycleId: string; trail: string[]; unitId: string | null; drill: (trail: string[]) => void }) {
  const status = useQuery({
    queryKey: [...conductKeys.cycleData(cycleId), 'status', unitId],
    queryFn: ({ signal }) => fetchStatus(cycleId, unitId, signal),
    placeholderData: keepPreviousData,
  });
  // Names along the trail, remembered as the user drills down.
  const [names, setNames] = useState<Record<string, string>>({});
  const data = status.data;
  const crumbs = trail.map((id, index) => ({ id, name: names[id] ?? (index === trail.length - 1 ? data?.unit.name : undefined) ?? 'Unit' }));

  return (
    <QueryState query={status} loadingLabel="Loading the status score">
      {data && (
        <Stack gap={0} aria-busy={status.isFetching}>
          <nav aria-label="Drill-down path">
            <Breadcrumbs separator="›" mb="sm">
              {trail.length === 0 ? (
                <Text size="sm" fw={600} aria-current="page">
                  {data.unit.name}
                </Text>
              ) : (
                <Anchor component="button" type="button" size="sm" onClick={() => drill([])}>
                  Whole company
                </Anchor>
              )}
              {crumbs.map((crumb, index) =>
                index === crumbs.length - 1 ? (
                  <Text key={crumb.id} size="sm" fw={600} aria-current="page">
                    {crumb.name}
                  </Text>
                ) : (
                  <Anchor key={crumb.id} component="button" type="button" size="sm" onClick={() => drill(trail.slice(0, index + 1))}>
                    {crumb.name}
                  </Anchor>
                ),
              )}
            </Breadcrumbs>
          </nav>
          <Headline status={data} />
          <RedCells status={data} />
          <DrillDown
            status={data}
            onOpen={(child) => {
              setNames((current) => ({ ...current, [child.id]: child.name }));
              drill([...trail, child.id]);
            }}
          />
          {data.children.length === 0 && <UnitCells cycleId={cycleId} unitId={data.unit.id} unitName={data.unit.name} threshold={data.threshold} />}
          <Outcomes status={data} />
          <HeatmapSection cycleId={cycleId} threshold={data.threshold} />
          <Signals cycleId={cycleId} unitId={unitId} />
          <Gaps status={data} />
          <TrendSection cycleId={cycleId} />
          <OverdueByOwner status={data} />
        </Stack>
      )}
    </QueryState>
  );
}

function Headline({ status }: { status: CycleStatus }) {
  const belowCount = status.cells.red;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Card withBorder padding="md" component="article" aria-labelledby="status-score-title">
        <Text id="status-score-title" size="sm" fw={600} c="dimmed">
          Status score · {status.unit.name}
        </Text>
        <Group align="baseline" gap="sm">
          <Text fz={40} fw={700} lh={1.1}>
            {status.score === null ? '—' : Math.round(status.score)}
            <Text span fz="md" c="dimmed">
              {' '}
              / 100
            </Text>
          </Text>
          {status.band && (
            <Badge color={bandColors[status.band]} autoContrast size="lg" style={{ textTransform: 'none' }}>
              {bandLabels[status.band]}
            </Badge>
          )}
        </Group>
        {status.scaleScore !== null && (
          <Text size="sm">Average cell score {formatScore(status.scaleScore)} (threshold {status.threshold})</Text>
        )}
        {status.capped && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Score capped" mt="xs" p="xs">
            <Text size="sm">{status.capReason}</Text>
            <Text size="xs" mt={2}>
              Uncapped average {status.uncappedScore === null ? '—' : Math.round(status.uncappedScore)}: a critical practice below the threshold anywhere caps
              the score, so a weak pocket is never averaged into green.
            </Text>
          </Alert>
        )}
        <Text size="xs" c="dimmed" mt="xs">
          {status.cells.scored} of {status.cells.total} cells scored
          {status.cells.unassessed ? ` · ${status.cells.unassessed} not yet assessed` : ''}
          {status.cells.provisional ? ` · ${status.cells.provisional} provisional (not yet approved)` : ''}
          {status.cells.notApplicable ? ` · ${status.cells.notApplicable} not applicable` : ''}
        </Text>
      </Card>
      <Card withBorder padding="md" component="article" aria-labelledby="distribution-title">
        <Text id="distribution-title" size="sm" fw={600} c="dimmed">
          Distribution
        </Text>
        <dl style={{ margin: 0 }}>
          <Group gap="xs" wrap="nowrap" align="baseline">
            <Text component="dt" size="sm" fw={600}>
              Weakest unit:
            </Text>
            <Text component="dd" size="sm" m={0}>
              {status.weakestUnit
                ? `${status.weakestUnit.name} (${unitKindLabel(status.weakestUnit.kind)}), score ${status.weakestUnit.score === null ? '—' : Math.round(status.weakestUnit.score)}, ${status.weakestUnit.redCells} red ${status.weakestUnit.redCells === 1 ? 'cell' : 'cells'}`
                : 'None yet'}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap" align="baseline">
            <Text component="dt" size="sm" fw={600}>
              Below threshold:
            </Text>
            <Text component="dd" size="sm" m={0}>
              {percent(status.shareBelowThreshold)} of scored cells ({belowCount} of {status.cells.scored})
            </Text>
          </Group>
        </dl>
        <Table mt="xs" aria-label="Cells by score" withRowBorders={false} verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Score</Table.Th>
              <Table.Th scope="col">Cells</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Share</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {status.distribution.map((bucket) => {
              const share = status.cells.scored ? bucket.cells / status.cells.scored : 0;
              const red = bucket.score < status.threshold;
              return (
                <Table.Tr key={bucket.score}>
                  <Table.Th scope="row" fw={400}>
                    {bucket.score}
                    {red ? ' (below threshold)' : ''}
                  </Table.Th>
                  <Table.Td>{bucket.cells}</Table.Td>
                  <Table.Td w="60%">
                    <div
                      aria-hidden
                      style={{
                        height: 10,
                        width: `${Math.max(share * 100, bucket.cells ? 2 : 0)}%`,
                        background: red ? 'var(--mantine-color-red-8)' : bucket.score === status.threshold ? 'var(--mantine-color-yellow-7)' : 'var(--mantine-color-teal-7)',
                        borderRadius: 3,
                      }}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>
    </SimpleGrid>
  );
}

function RedCells({ status }: { status: CycleStatus }) {
  return (
    <Section id="red-cells-title" title={`Red cells (${status.redCells.length})`}>
      {status.redCells.length === 0 ? (
        <Text size="sm">No cell is below the threshold of {status.threshold} here.</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-labelledby="red-cells-title" striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Unit</Table.Th>
                <Table.Th scope="col">Practice</Table.Th>
                <Table.Th scope="col">Score</Table.Th>
                <Table.Th scope="col">Self / reviewer</Table.Th>
                <Table.Th scope="col">State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {status.redCells.map((cell) => (
                <Table.Tr key={cell.assessmentId}>
                  <Table.Th scope="row" fw={600}>
                    <Anchor component={Link} to={cellLink(cell.assessmentId)}>
                      {cell.unitName}
                    </Anchor>
                    {cell.unitPath && (
                      <Text size="xs" c="dimmed">
                        {cell.unitPath}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <PracticeName practiceId={cell.practiceId} title={cell.practiceTitle} critical={cell.critical} />
                  </Table.Td>
                  <Table.Td>
                    <ScoreBadge score={cell.score} threshold={status.threshold} />
                  </Table.Td>
                  <Table.Td>
                    {cell.selfScore ?? '—'} / {cell.reviewerScore ?? '—'}
                  </Table.Td>
                  <Table.Td>
                    <CellStateBadge state={cell.state} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function DrillDown({ status, onOpen }: { status: CycleStatus; onOpen: (child: CycleStatus['children'][number]) => void }) {
  if (status.children.length === 0) return null;
  return (
    <Section id="drill-title" title={`Inside ${status.unit.name}`}>
      <Table.ScrollContainer minWidth={600}>
        <Table aria-labelledby="drill-title" highlightOnHover verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Unit</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Score</Table.Th>
              <Table.Th scope="col">Red cells</Table.Th>
              <Table.Th scope="col">Cells</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {status.children.map((child) => (
              <Table.Tr key={child.id}>
                <Table.Th scope="row">
                  <Anchor component="button" type="button" fw={600} onClick={() => onOpen(child)} aria-label={`Open ${child.name}`}>
                    {child.name}
                  </Anchor>
                </Table.Th>
                <Table.Td>{unitKindLabel(child.kind)}</Table.Td>
                <Table.Td>
                  {child.score === null ? '—' : Math.round(child.score)}
                  {child.capped && (
                    <Badge ml={6} color="red.9" size="sm" style={{ textTransform: 'none' }}>
                      Capped
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td c={child.redCells ? 'red.9' : undefined} fw={child.redCells ? 700 : undefined}>
                  {child.redCells}
                </Table.Td>
                <Table.Td>{child.cells}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}

/** At the bottom of the tree: the unit's practice cells, each opening its evidence. */
function UnitCells({ cycleId, unitId, unitName, threshold }: { cycleId: string; unitId: string; unitName: string; threshold: number }) {
  const query = useInfiniteQuery({
    queryKey: [...conductKeys.assessments, 'unit', cycleId, unitId],
    queryFn: ({ pageParam, signal }) => fetchAssessments({ cycleId, unitId }, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Section id="unit-cells-title" title={`Practices of ${unitName}`}>
      <QueryState query={query} loadingLabel="Loading the unit's cells">
        {items.length === 0 ? (
          <Text size="sm">No cells for this unit in this cycle.</Text>
        ) : (
          <>
            <Table aria-labelledby="unit-cells-title" verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Practice</Table.Th>
                  <Table.Th scope="col">Score</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Evidence and rationale</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((cell) => (
                  <Table.Tr key={cell.id}>
                    <Table.Th scope="row" fw={400}>
                      <PracticeName practiceId={cell.practiceId} title={cell.practiceTitle} critical={cell.critical} />
                    </Table.Th>
                    <Table.Td>
                      {cell.score === null && cell.selfScore !== null ? (
                        <Text size="sm">Draft score {cell.selfScore}</Text>
                      ) : (
                        <ScoreBadge score={cell.score} threshold={threshold} />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <CellStateBadge state={cell.state} />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={cellLink(cell.id)}>
                        Open the cell: {cell.practiceTitle}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <LoadMore query={query} what="cells" />
          </>
        )}
      </QueryState>
    </Section>
  );
}

function Outcomes({ status }: { status: CycleStatus }) {
  if (status.outcomes.length === 0) return null;
  return (
    <Section id="outcomes-title" title="By outcome">
      <Table aria-labelledby="outcomes-title" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Outcome</Table.Th>
            <Table.Th scope="col">Score</Table.Th>
            <Table.Th scope="col">Red cells</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {status.outcomes.map((outcome) => (
            <Table.Tr key={outcome.key}>
              <Table.Th scope="row" fw={400}>
                {outcome.title}
              </Table.Th>
              <Table.Td>{outcome.score === null ? '—' : Math.round(outcome.score)}</Table.Td>
              <Table.Td c={outcome.redCells ? 'red.9' : undefined} fw={outcome.redCells ? 700 : undefined}>
                {outcome.redCells}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

const heatColor = (score: number | null, red: boolean, threshold: number) =>
  score === null ? undefined : red ? 'var(--mantine-color-red-1)' : score < threshold + 1 ? 'var(--mantine-color-yellow-1)' : 'var(--mantine-color-teal-1)';

function HeatmapSection({ cycleId, threshold }: { cycleId: string; threshold: number }) {
  const [by, setBy] = useState<'practice' | 'outcome'>('practice');
  const [level, setLevel] = useState<string>('region');
  const query = useQuery({
    queryKey: [...conductKeys.cycleData(cycleId), 'heatmap', by, level],
    queryFn: ({ signal }) => fetchHeatmap(cycleId, by, level, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <Section
      id="heatmap-title"
      title="Heat map"
      actions={
        <Group gap="sm">
          <SegmentedControl
            aria-label="Columns"
            value={by}
            onChange={(value) => setBy(value as 'practice' | 'outcome')}
            data={[
              { value: 'practice', label: 'Practices' },
              { value: 'outcome', label: 'Outcomes' },
            ]}
          />
          <SegmentedControl
            aria-label="Rows"
            value={level}
            onChange={setLevel}
            data={[
              { value: 'division', label: 'Divisions' },
              { value: 'region', label: 'Regions' },
              { value: 'team', label: 'Teams' },
            ]}
          />
        </Group>
      }
    >
      <QueryState query={query} loadingLabel="Loading the heat map">
        {query.data && <HeatmapTable heatmap={query.data} threshold={threshold} busy={query.isFetching} />}
      </QueryState>
    </Section>
  );
}

function HeatmapTable({ heatmap, threshold, busy }: { heatmap: Heatmap; threshold: number; busy: boolean }) {
  if (heatmap.rows.length === 0) return <Text size="sm">No units at this level have cells in this cycle.</Text>;
  return (
    <Table.ScrollContainer minWidth={Math.max(600, 160 + heatmap.columns.length * 90)}>
      <Table aria-labelledby="heatmap-title" aria-busy={busy} withColumnBorders withTableBorder verticalSpacing={4} horizontalSpacing={6}>
        <Table.Caption>
          Scores per unit ({heatmap.by === 'practice' ? 'practices' : 'outcome means'}); “below” marks a score under the threshold of {threshold}, “—” not
          assessed or not applicable.
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Unit</Table.Th>
            {heatmap.columns.map((column) => (
              <Table.Th key={column.id} scope="col" style={{ fontSize: 12, minWidth: 80, verticalAlign: 'bottom' }}>
                {column.label}
                {column.critical ? ' (critical)' : ''}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {heatmap.rows.map((row) => {
            const byColumn = new Map(row.cells.map((cell) => [cell.columnId, cell]));
            return (
              <Table.Tr key={row.unitId}>
                <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
                  {row.unitName}
                </Table.Th>
                {heatmap.columns.map((column) => {
                  const cell = byColumn.get(column.id);
                  const score = cell?.score ?? null;
                  const text = score === null ? '—' : `${formatScore(score)}${cell?.red ? ' below' : ''}`;
                  return (
                    <Table.Td key={column.id} ta="center" style={{ background: heatColor(score, Boolean(cell?.red), threshold), fontWeight: cell?.red ? 700 : 400 }}>
                      {cell?.assessmentId ? (
                        <Anchor component={Link} to={cellLink(cell.assessmentId)} c="inherit" aria-label={`${row.unitName}, ${column.label}: ${text}`}>
                          {text}
                        </Anchor>
                      ) : (
                        text
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const SIGNALS_SHOWN = 20;

function Signals({ cycleId, unitId }: { cycleId: string; unitId: string | null }) {
  const query = useQuery({
    queryKey: [...conductKeys.cycleData(cycleId), 'signals', unitId],
    queryFn: ({ signal }) => fetchSignals(cycleId, unitId, signal),
    placeholderData: keepPreviousData,
  });
  // Flagged rows first, then the most complaints: where a strong self-assessment meets customer pain.
  const items = useMemo(
    () => [...(query.data?.items ?? [])].sort((a, b) => Number(Boolean(b.flag)) - Number(Boolean(a.flag)) || b.complaints - a.complaints),
    [query.data],
  );
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? items : items.slice(0, SIGNALS_SHOWN);
  return (
    <Section id="signals-title" title="Signals beside the scores">
      <QueryState query={query} loadingLabel="Loading complaint and care signals">
        {items.length === 0 ? (
          <Text size="sm">No complaint or care signals are mapped to these practices yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={800}>
            <Table aria-labelledby="signals-title" verticalSpacing="xs" striped>
              <Table.Caption>
                Complaints and care scores related to each practice through the complaint category mapping
                {query.data?.window ? `, ${formatDate(query.data.window.from)} to ${formatDate(query.data.window.to)}` : ''}; flagged rows first, then by complaints.
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Unit</Table.Th>
                  <Table.Th scope="col">Practice</Table.Th>
                  <Table.Th scope="col">Self score</Table.Th>
                  <Table.Th scope="col">Complaints</Table.Th>
                  <Table.Th scope="col">Upheld rate</Table.Th>
                  <Table.Th scope="col">Care score</Table.Th>
                  <Table.Th scope="col">Flag</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((item) => (
                  <Table.Tr key={`${item.unitId}-${item.practiceId}`}>
                    <Table.Th scope="row" fw={400}>
                      {item.unitName}
                    </Table.Th>
                    <Table.Td>
                      <PracticeName practiceId={item.practiceId} title={item.practiceTitle} />
                    </Table.Td>
                    <Table.Td>{item.selfScore ?? '—'}</Table.Td>
                    <Table.Td>{item.complaints}</Table.Td>
                    <Table.Td>{percent(item.upheldRate)}</Table.Td>
                    <Table.Td>{item.careScore === null ? '—' : `${item.careScore.toFixed(1)} / 10`}</Table.Td>
                    <Table.Td>
                      {item.flag ? (
                        <Text size="sm" fw={700} c="red.9">
                          <IconAlertTriangle size={14} aria-hidden style={{ verticalAlign: 'middle' }} /> Strong self-assessment, many upheld complaints
                        </Text>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {items.length > SIGNALS_SHOWN && (
              <Button variant="subtle" size="xs" onClick={() => setShowAll((value) => !value)}>
                {showAll ? `Show the first ${SIGNALS_SHOWN}` : `Show all ${items.length}`}
              </Button>
            )}
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Section>
  );
}

function Gaps({ status }: { status: CycleStatus }) {
  if (status.gaps.count === 0) return null;
  return (
    <Section id="gaps-title" title="Self-assessment versus reviewer">
      <Text size="sm" mb="xs">
        {status.gaps.count} {status.gaps.count === 1 ? 'cell' : 'cells'} scored differently by the reviewer
        {status.gaps.meanGap !== null ? `; on average the self-assessment was ${formatScore(status.gaps.meanGap)} points higher` : ''}.
      </Text>
      <Table aria-labelledby="gaps-title" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Unit</Table.Th>
            <Table.Th scope="col">Practice</Table.Th>
            <Table.Th scope="col">Self</Table.Th>
            <Table.Th scope="col">Reviewer</Table.Th>
            <Table.Th scope="col">Gap</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {status.gaps.largest.map((gap) => (
            <Table.Tr key={gap.assessmentId}>
              <Table.Th scope="row" fw={400}>
                <Anchor component={Link} to={cellLink(gap.assessmentId)}>
                  {gap.unitName}
                </Anchor>
              </Table.Th>
              <Table.Td>{gap.practiceTitle}</Table.Td>
              <Table.Td>{gap.selfScore}</Table.Td>
              <Table.Td>{gap.reviewerScore}</Table.Td>
              <Table.Td fw={700}>{gap.gap > 0 ? `+${gap.gap}` : gap.gap}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function TrendSection({ cycleId }: { cycleId: string }) {
  const query = useQuery({ queryKey: [...conductKeys.cycleData(cycleId), 'trend'], queryFn: ({ signal }) => fetchTrend(cycleId, signal) });
  const points = (query.data?.points ?? []).filter((point) => point.score !== null).map((point) => ({ day: point.day, score: Math.round(point.score!) }));
  return (
    <Section id="trend-title" title="Trend">
      <QueryState query={query} loadingLabel="Loading the trend">
        {query.data && (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <div>
              {points.length < 2 ? (
                <Text size="sm">The daily trend appears after two days of snapshots.</Text>
              ) : (
                <div aria-hidden>
                  <LineChart
                    h={220}
                    data={points}
                    dataKey="day"
                    series={[{ name: 'score', label: 'Status score', color: 'indigo.7' }]}
                    yAxisProps={{ domain: [0, 100] }}
                    referenceLines={[{ y: 50, label: 'Threshold', color: 'red.7' }]}
                    curveType="monotone"
                    withDots={false}
                    // The chart is a picture of the table and sentence beside it: nothing in it takes focus.
                    lineChartProps={{ accessibilityLayer: false }}
                  />
                </div>
              )}
              {points.length >= 2 && (
                <Text size="xs" c="dimmed">
                  Daily score in this cycle from {points[0]!.score} on {formatDate(points[0]!.day)} to {points.at(-1)!.score} on {formatDate(points.at(-1)!.day)}.
                </Text>
              )}
            </div>
            <Table aria-label="Status score by cycle" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Cycle</Table.Th>
                  <Table.Th scope="col">Score</Table.Th>
                  <Table.Th scope="col">Closed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {query.data.cycles.map((item) => (
                  <Table.Tr key={item.cycleId}>
                    <Table.Th scope="row" fw={400}>
                      {item.name}
                    </Table.Th>
                    <Table.Td>
                      {item.score === null ? '—' : Math.round(item.score)}
                      {item.capped ? ' (capped)' : ''}
                    </Table.Td>
                    <Table.Td>{item.closedAt ? formatDate(item.closedAt) : 'In progress'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </SimpleGrid>
        )}
      </QueryState>
    </Section>
  );
}

function OverdueByOwner({ status }: { status: CycleStatus }) {
  return (
    <Section
      id="overdue-title"
      title="Overdue actions by owner"
      actions={
        <Anchor component={Link} to="/conduct/actions?view=overdue" size="sm">
          All overdue actions
        </Anchor>
      }
    >
      {status.overdueActions.length === 0 ? (
        <Text size="sm">No improvement action is overdue.</Text>
      ) : (
        <Table aria-labelledby="overdue-title" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Owner</Table.Th>
              <Table.Th scope="col">Overdue actions</Table.Th>
              <Table.Th scope="col">Oldest deadline</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {status.overdueActions.map((owner) => (
              <Table.Tr key={owner.ownerId}>
                <Table.Th scope="row" fw={400}>
                  {owner.ownerName}
                </Table.Th>
                <Table.Td fw={700}>{owner.count}</Table.Td>
                <Table.Td>{formatDate(owner.oldestDeadline)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
