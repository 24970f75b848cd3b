import { Anchor, Badge, EmptyState, Group, Select, Spoiler, Table, Text, TextInput, Title } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import {
  decisionKinds,
  decisionsQueryKey,
  decisionStates,
  fetchDecisions,
  LIST_LIMIT,
  type Decision,
  type DecisionFilters,
  type DecisionState,
} from './escalations.api';
import { decisionKindLabels, decisionStateLabels, optionsFrom } from './labels';

const amountFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const formatAmount = (value: number) => amountFormat.format(value);

const stateColors: Record<DecisionState, string> = { applied: 'teal', pending_approval: 'orange', approved: 'blue', rejected: 'gray' };

/** A day picked in the user's time zone, as the instant it starts (the API wants date-times). */
const startOfDay = (date: string) => new Date(`${date}T00:00:00`).toISOString();
const startOfNextDay = (date: string) => {
  const day = new Date(`${date}T00:00:00`);
  day.setDate(day.getDate() + 1);
  return day.toISOString();
};
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(new Date(`${value}T00:00:00`).getTime());

interface Cell {
  count: number;
  amount: number;
}

function totalsOf(decisions: Decision[]) {
  const cells = new Map<string, Cell>();
  const add = (key: string, decision: Decision) => {
    const cell = cells.get(key) ?? { count: 0, amount: 0 };
    cell.count += 1;
    cell.amount += decision.amount ?? 0;
    cells.set(key, cell);
  };
  for (const decision of decisions) {
    add(`${decision.kind}|${decision.state}`, decision);
    add(`${decision.kind}|*`, decision);
    add(`*|${decision.state}`, decision);
    add('*|*', decision);
  }
  return (kind: string, state: string): Cell => cells.get(`${kind}|${state}`) ?? { count: 0, amount: 0 };
}

function TotalCell({ cell, strong }: { cell: Cell; strong?: boolean }) {
  if (cell.count === 0) {
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  }
  return (
    <>
      <Text size="sm" fw={strong ? 700 : 500}>
        {formatAmount(cell.amount)}
      </Text>
      <Text size="xs" c="dimmed">
        {cell.count} {cell.count === 1 ? 'decision' : 'decisions'}
      </Text>
    </>
  );
}

function DecisionTotals({ decisions }: { decisions: Decision[] }) {
  const total = useMemo(() => totalsOf(decisions), [decisions]);
  return (
    <section aria-labelledby="decision-totals" style={{ marginBottom: 'var(--mantine-spacing-xl)' }}>
      <Title order={2} size="h4" id="decision-totals" mb="xs">
        Totals by kind and state
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-labelledby="decision-totals" withTableBorder withColumnBorders verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Kind</Table.Th>
              {decisionStates.map((state) => (
                <Table.Th scope="col" key={state} style={{ textAlign: 'right' }}>
                  {decisionStateLabels[state]}
                </Table.Th>
              ))}
              <Table.Th scope="col" style={{ textAlign: 'right' }}>
                All states
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...decisionKinds, '*' as const].map((kind) => (
              <Table.Tr key={kind}>
                <Table.Th scope="row">{kind === '*' ? 'All kinds' : decisionKindLabels[kind]}</Table.Th>
                {[...decisionStates, '*' as const].map((state) => (
                  <Table.Td key={state} style={{ textAlign: 'right' }}>
                    <TotalCell cell={total(kind, state)} strong={kind === '*' || state === '*'} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>
        Amounts are summed as recorded; decisions without an amount (such as most policy exceptions) count but add nothing.
      </Text>
    </section>
  );
}

export function DecisionsPage() {
  usePageTitle('Decisions');
  const [state, setState] = useState<DecisionState | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const rangeError = isDate(from) && isDate(to) && from > to ? 'The end date is before the start date' : null;
  const filters: DecisionFilters = {
    state,
    from: isDate(from) ? startOfDay(from) : undefined,
    // The API's `to` is exclusive; people mean "up to and including this day".
    to: isDate(to) && !rangeError ? startOfNextDay(to) : undefined,
  };
  const isFiltered = Boolean(state || filters.from || filters.to);

  const query = useQuery({
    queryKey: [...decisionsQueryKey, filters],
    queryFn: ({ signal }) => fetchDecisions(filters, signal),
    placeholderData: keepPreviousData,
  });
  const decisions = query.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Decisions"
        description="Discretion decisions — refunds, fee waivers, goodwill and policy exceptions — with their rationale, and the approvals asked for those beyond someone's limit."
      />
      <Group align="flex-start" gap="sm" mb="md" role="search" aria-label="Filter decisions">
        <Select
          label="Filter by state"
          placeholder="All states"
          data={optionsFrom(decisionStateLabels)}
          clearable
          value={state}
          onChange={(value) => setState(value as DecisionState | null)}
          w={220}
        />
        <TextInput label="From" type="date" value={from} onChange={(event) => setFrom(event.currentTarget.value)} w={180} />
        <TextInput
          label="To (inclusive)"
          type="date"
          value={to}
          onChange={(event) => setTo(event.currentTarget.value)}
          error={rangeError}
          w={180}
        />
      </Group>

      <QueryState query={query} loadingLabel="Loading decisions">
        {decisions.length === 0 ? (
          <EmptyState
            icon={<IconScale aria-hidden />}
            title={isFiltered ? 'No decision matches these filters' : 'No decisions yet'}
            description={
              isFiltered ? 'Change or clear the filters.' : 'Decisions are recorded on cases; those beyond a limit come here for approval.'
            }
          />
        ) : (
          <>
            <DecisionTotals decisions={decisions} />
            <Title order={2} size="h4" mb="xs">
              Decisions
            </Title>
            <Table.ScrollContainer minWidth={1000}>
              <Table verticalSpacing="sm" aria-label="Decisions" aria-busy={query.isFetching} highlightOnHover>
                <Table.Caption>
                  {decisions.length} {decisions.length === 1 ? 'decision' : 'decisions'} shown
                  {decisions.length >= LIST_LIMIT
                    ? ` — only the newest ${LIST_LIMIT}, so the totals above cover these only; narrow the dates to see the rest`
                    : ''}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Case</Table.Th>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: 'right' }}>
                      Amount
                    </Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Decided by</Table.Th>
                    <Table.Th scope="col">Rationale</Table.Th>
                    <Table.Th scope="col">Recorded</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {decisions.map((decision) => (
                    <Table.Tr key={decision.id}>
                      <Table.Th scope="row">
                        <Anchor component={Link} to={`/cases/${decision.caseId}`} fw={600} style={{ whiteSpace: 'nowrap' }}>
                          {decision.caseRef ?? 'Open case'}
                        </Anchor>
                      </Table.Th>
                      <Table.Td>{decisionKindLabels[decision.kind] ?? decision.kind}</Table.Td>
                      <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                        {decision.amount === null ? (
                          <Text span size="sm" c="dimmed">
                            No amount
                          </Text>
                        ) : (
                          formatAmount(decision.amount)
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={stateColors[decision.state]} style={{ minWidth: 'max-content' }}>
                          {decisionStateLabels[decision.state] ?? decision.state}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{decision.decidedByName ?? ''}</Table.Td>
                      <Table.Td style={{ minWidth: 240, maxWidth: 420 }}>
                        <Spoiler maxHeight={66} showLabel="Show more" hideLabel="Show less">
                          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                            {decision.rationale}
                          </Text>
                          {decision.approvalNote && (
                            <Text size="xs" mt={4}>
                              <strong>{decision.state === 'rejected' ? 'Rejection note' : 'Approval note'}:</strong>{' '}
                              {decision.approvalNote}
                            </Text>
                          )}
                        </Spoiler>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(decision.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </QueryState>
    </>
  );
}
