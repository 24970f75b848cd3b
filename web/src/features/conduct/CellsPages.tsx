import { Anchor, Button, EmptyState, Group, Modal, Select, Switch, Table, Text } from '@mantine/core';
import { IconChecklist, IconClipboardCheck } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { LoadMore } from '../cases/CaseTable';
import { cellStates, conductKeys, fetchAssessment, fetchAssessments, type Assessment, type AssessmentFilters, type CellState } from './conduct.api';
import { CellStateBadge, cellLink, cellStateLabels, PracticeName, ScoreBadge, useCycleChoice } from './conduct-ui';
import { ReviewPanel } from './ReviewPanel';

function useCells(filters: AssessmentFilters, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...conductKeys.assessments, 'list', filters],
    queryFn: ({ pageParam, signal }) => fetchAssessments(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The cells of a cycle the user may see: leads find what their units still have to assess. */
export function AssessmentsPage() {
  usePageTitle('Assessments');
  const [params, setParams] = useSearchParams();
  const { cycles, list, fallback } = useCycleChoice();
  const cycleId = params.get('cycle') ?? fallback;
  const state = (params.get('state') as CellState | null) ?? null;
  const red = params.get('red') === '1';
  const unitId = params.get('unit');
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), staleTime: 5 * 60_000, retry: false });
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const query = useCells({ cycleId, state, red, unitId }, Boolean(cycleId));
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title="Assessments" description="Every practice × unit cell of a cycle you can see: assess, add evidence, follow the review." />
      <QueryState query={cycles} loadingLabel="Loading cycles">
        {list.length === 0 ? (
          <EmptyState icon={<IconChecklist aria-hidden />} title="No assessment cycle yet" description="Cells appear here once compliance opens a cycle." />
        ) : (
          <>
            <Group align="flex-end" gap="sm" mb="md" role="search" aria-label="Filter cells">
              <Select
                label="Cycle"
                data={list.map((cycle) => ({ value: cycle.id, label: `${cycle.name}${cycle.status === 'open' ? ' (in progress)' : ''}` }))}
                value={cycleId}
                onChange={(value) => set('cycle', value)}
                allowDeselect={false}
                w={260}
              />
              <Select
                label="State"
                placeholder="Any state"
                clearable
                data={cellStates.map((value) => ({ value, label: cellStateLabels[value] }))}
                value={state}
                onChange={(value) => set('state', value)}
                w={220}
              />
              {units.data && (
                <Select
                  label="Unit"
                  placeholder="Every unit"
                  clearable
                  searchable
                  data={units.data.items.map((unit) => ({ value: unit.id, label: unit.name }))}
                  value={unitId}
                  onChange={(value) => set('unit', value)}
                  w={280}
                />
              )}
              <Switch label="Only red cells" checked={red} onChange={(event) => set('red', event.currentTarget.checked ? '1' : null)} mb={8} />
            </Group>
            <QueryState query={query} loadingLabel="Loading cells">
              {items.length === 0 ? (
                <EmptyState
                  icon={<IconChecklist aria-hidden />}
                  title="No cells match"
                  description={state || red ? 'Clear the filters to see every cell of the cycle.' : 'This cycle has no cells in your units.'}
                />
              ) : (
                <>
                  <CellsTable items={items} label="Cells" busy={query.isFetching} />
                  <LoadMore query={query} what="cells" />
                </>
              )}
            </QueryState>
          </>
        )}
      </QueryState>
    </>
  );
}

function CellsTable({ items, label, busy, review }: { items: Assessment[]; label: string; busy: boolean; review?: (cell: Assessment) => void }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table aria-label={label} aria-busy={busy} verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Unit</Table.Th>
            <Table.Th scope="col">Practice</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Score</Table.Th>
            <Table.Th scope="col">Updated</Table.Th>
            <Table.Th scope="col">
              <Text span size="sm" fw={700}>
                Open
              </Text>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((cell) => (
            <Table.Tr key={cell.id}>
              <Table.Th scope="row" fw={400}>
                {cell.unitName}
              </Table.Th>
              <Table.Td>
                <PracticeName practiceId={cell.practiceId} title={cell.practiceTitle} critical={cell.critical} />
              </Table.Td>
              <Table.Td>
                <CellStateBadge state={cell.state} />
              </Table.Td>
              <Table.Td>
                {cell.state === 'not_started' || cell.state === 'not_applicable' ? (
                  '—'
                ) : cell.score === null && cell.selfScore !== null ? (
                  // A draft (often carried forward from the last cycle) has a score not yet submitted.
                  <Text size="sm">Draft score {cell.selfScore}</Text>
                ) : (
                  <ScoreBadge score={cell.score} threshold={cell.threshold ?? 3} />
                )}
                {cell.gap ? (
                  <Text size="xs" c="dimmed">
                    self {cell.selfScore}, reviewer {cell.reviewerScore}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(cell.updatedAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Anchor component={Link} to={cellLink(cell.id)} aria-label={`Open ${cell.practiceTitle} in ${cell.unitName}`}>
                    Open
                  </Anchor>
                  {review && (
                    <Button size="xs" variant="light" onClick={() => review(cell)} aria-label={`Review ${cell.practiceTitle} in ${cell.unitName}`}>
                      Review
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Compliance's queue: every submitted cell, oldest first as the API orders them, reviewable in place. */
export function ReviewQueuePage() {
  usePageTitle('Review queue');
  const { cycles, list, fallback } = useCycleChoice();
  const [cycleId, setCycleId] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), staleTime: 5 * 60_000 });
  const chosen = cycleId ?? fallback;
  const query = useCells({ cycleId: chosen, unitId, state: 'submitted' }, Boolean(chosen));
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const [reviewing, setReviewing] = useState<Assessment | null>(null);
  // The list row has no scale or evidence; the modal loads the full cell.
  const full = useQuery({
    queryKey: conductKeys.assessment(reviewing?.id ?? ''),
    queryFn: ({ signal }) => fetchAssessment(reviewing!.id, signal),
    enabled: Boolean(reviewing),
  });

  return (
    <>
      <PageHeader title="Review queue" description="Self-assessments waiting for compliance: approve, return with comments, or override with your own score." />
      <QueryState query={cycles} loadingLabel="Loading cycles">
        <Group align="flex-end" gap="sm" mb="md">
          <Select
            label="Cycle"
            data={list.map((cycle) => ({ value: cycle.id, label: cycle.name }))}
            value={chosen}
            onChange={setCycleId}
            allowDeselect={false}
            w={260}
          />
          <Select
            label="Unit"
            placeholder="Every unit"
            description="A division or region includes its teams"
            clearable
            searchable
            data={(units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name }))}
            value={unitId}
            onChange={setUnitId}
            w={300}
          />
        </Group>
        <QueryState query={query} loadingLabel="Loading the queue">
          {items.length === 0 ? (
            <EmptyState icon={<IconClipboardCheck aria-hidden />} title="Nothing to review" description="Submitted self-assessments appear here." />
          ) : (
            <>
              <CellsTable items={items} label="Waiting for review" busy={query.isFetching} review={setReviewing} />
              <LoadMore query={query} what="cells" />
            </>
          )}
        </QueryState>
      </QueryState>
      <Modal opened={Boolean(reviewing)} onClose={() => setReviewing(null)} title={reviewing ? `Review ${reviewing.practiceTitle} in ${reviewing.unitName}` : ''} size="lg">
        {reviewing && (
          <QueryState query={full} loadingLabel="Loading the cell">
            {full.data && (
              <>
                <Text size="sm" mb={4}>
                  Self-assessed <strong>{full.data.selfScore}</strong> of {full.data.scale?.max ?? 5}
                </Text>
                <Text size="sm" mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {full.data.rationale}
                </Text>
                <Text size="sm" mb="sm">
                  {(full.data.evidence ?? []).length} evidence item(s) ·{' '}
                  <Anchor component={Link} to={cellLink(full.data.id)} underline="always">
                    open the full cell
                  </Anchor>
                </Text>
                <ReviewPanel cell={full.data} onDone={() => setReviewing(null)} />
              </>
            )}
          </QueryState>
        )}
      </Modal>
    </>
  );
}
