import { Autocomplete, Button, EmptyState, Group, MultiSelect, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconFolders, IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { hasRole, orgViewerRoles } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useSession } from '../auth/session';
import { kindLabels, options, statusLabels } from './case-labels';
import { canCreateCases, caseImportRoles } from './case-roles';
import { CaseTable, LoadMore } from './CaseTable';
import {
  caseKinds, casesQueryKey, caseStatuses, defaultCategories, exportCsvUrl, fetchCases, reportDrillDownKeys, type CaseFilters, type CaseKind, type CaseStatus,
} from './cases.api';

const reportFilterLabels: Record<string, string> = {
  resolvedFrom: 'resolved from',
  resolvedTo: 'resolved to',
  outcome: 'outcome',
  redressKind: 'redress',
  breachedClock: 'breached clock',
  reopened: 'reopened',
  channel: 'channel',
};

const sortOptions = [
  { value: 'due', label: 'Deadline (nearest first)' },
  { value: 'received', label: 'Newest first' },
  { value: 'received_asc', label: 'Oldest first' },
];

const yesNo = (yes: string, no: string) => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];

const listParam = <T extends string>(value: string | null, allowed: readonly T[]): T[] =>
  (value ?? '').split(',').filter((item): item is T => (allowed as readonly string[]).includes(item));

const boolParam = (value: string | null): boolean | null => (value === 'true' ? true : value === 'false' ? false : null);

const isDay = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

/** The filters live in the address, so "back" from a case returns to the same list, and a list can be shared. */
function useCaseFilters() {
  const [params, setParams] = useSearchParams();
  const filters: CaseFilters = {
    status: listParam<CaseStatus>(params.get('status'), caseStatuses),
    kind: listParam<CaseKind>(params.get('kind'), caseKinds),
    unitId: params.get('unitId'),
    category: params.get('category'),
    product: params.get('product') ?? undefined,
    breached: boolParam(params.get('breached')),
    vulnerable: boolParam(params.get('vulnerable')),
    receivedFrom: isDay(params.get('receivedFrom')),
    receivedTo: isDay(params.get('receivedTo')),
    report: Object.fromEntries(reportDrillDownKeys.flatMap((key) => (params.get(key) ? [[key, params.get(key)!]] : []))),
    q: params.get('q') ?? undefined,
    sort: (['due', 'received', 'received_asc'] as const).find((sort) => sort === params.get('sort')) ?? 'due',
  };
  const set = (key: string, value: string | null | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  const isFiltered = [...params.keys()].some((key) => key !== 'sort');
  return { filters, set, clear, isFiltered, params };
}

/** A text filter typed into a box: the address (and the request) follows once typing pauses. */
function useDebouncedParam(current: string | undefined, commit: (value: string) => void) {
  const [text, setText] = useState(current ?? '');
  const [debounced] = useDebouncedValue(text, 350);
  const committed = useRef(current ?? '');
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    const value = debounced.trim();
    if (value === committed.current) return;
    committed.current = value;
    commitRef.current(value);
  }, [debounced]);
  // Changed from outside (e.g. "Clear filters", or back/forward): the box shows it.
  useEffect(() => {
    if ((current ?? '') === committed.current) return;
    committed.current = current ?? '';
    setText(current ?? '');
  }, [current]);
  return [text, setText] as const;
}

export function CasesPage() {
  usePageTitle('Cases');
  const { user } = useSession();
  const { filters, set, clear, isFiltered } = useCaseFilters();
  const [search, setSearch] = useDebouncedParam(filters.q, (value) => set('q', value));
  const [product, setProduct] = useDebouncedParam(filters.product, (value) => set('product', value));

  // Agents may not read the organisation tree (403): they do not get a unit filter.
  const canSeeUnits = hasRole(user.role, orgViewerRoles);
  const unitsQuery = useQuery({
    queryKey: unitsQueryKey,
    queryFn: ({ signal }) => fetchUnits(signal),
    enabled: canSeeUnits,
  });
  const unitOptions = useMemo(
    () => (unitsQuery.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name })),
    [unitsQuery.data],
  );
  const depthById = useMemo(() => new Map((unitsQuery.data?.items ?? []).map((unit) => [unit.id, unit.depth])), [unitsQuery.data]);

  const query = useInfiniteQuery({
    queryKey: [...casesQueryKey, 'list', filters],
    queryFn: ({ pageParam, signal }) => fetchCases(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    placeholderData: keepPreviousData,
  });
  const cases = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const productSuggestions = useMemo(
    () => [...new Set(cases.map((item) => item.product).filter((value): value is string => Boolean(value)))].sort(),
    [cases],
  );

  return (
    <>
      <PageHeader
        title="Cases"
        description="Every case you can see: filter, search, and export what you found."
        actions={
          <>
            {hasRole(user.role, caseImportRoles) && (
              <Button component={Link} to="/cases/import" variant="default" leftSection={<IconFileImport size={16} aria-hidden />}>
                Import
              </Button>
            )}
            {canCreateCases(user.role) && (
              <Button component={Link} to="/cases/new" leftSection={<IconPlus size={16} aria-hidden />}>
                New case
              </Button>
            )}
          </>
        }
      />

      <Group align="flex-end" gap="sm" mb="md" role="search" aria-label="Filter cases" wrap="wrap">
        <TextInput
          label="Search cases"
          placeholder="Subject, description, customer…"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={260}
        />
        <MultiSelect
          label="Status"
          placeholder={filters.status?.length ? undefined : 'Any status'}
          data={options(statusLabels, caseStatuses)}
          value={[...(filters.status ?? [])]}
          onChange={(value) => set('status', value.join(','))}
          clearable
          w={260}
        />
        <MultiSelect
          label="Kind"
          placeholder={filters.kind?.length ? undefined : 'Any kind'}
          data={options(kindLabels, caseKinds)}
          value={[...(filters.kind ?? [])]}
          onChange={(value) => set('kind', value.join(','))}
          clearable
          w={220}
        />
        {canSeeUnits && !unitsQuery.isError && (
          <Select
            label="Unit"
            placeholder="All units (and the units below)"
            data={unitOptions}
            searchable
            clearable
            nothingFoundMessage="No unit matches"
            renderOption={({ option }) => (
              <span style={{ paddingLeft: `${(depthById.get(option.value) ?? 0) * 12}px` }}>{option.label}</span>
            )}
            value={filters.unitId ?? null}
            onChange={(value) => set('unitId', value)}
            w={240}
          />
        )}
        <Select
          label="Category"
          placeholder="Any category"
          data={[...defaultCategories]}
          searchable
          clearable
          value={filters.category ?? null}
          onChange={(value) => set('category', value)}
          w={240}
        />
        <Autocomplete
          label="Product"
          placeholder="Any product"
          data={productSuggestions}
          value={product}
          onChange={setProduct}
          w={200}
        />
        <Select
          label="Deadline"
          placeholder="Breached or not"
          data={yesNo('Breached', 'Not breached')}
          clearable
          value={filters.breached === null || filters.breached === undefined ? null : String(filters.breached)}
          onChange={(value) => set('breached', value)}
          w={170}
        />
        <Select
          label="Vulnerable customer"
          placeholder="Any customer"
          data={yesNo('Vulnerable', 'Not vulnerable')}
          clearable
          value={filters.vulnerable === null || filters.vulnerable === undefined ? null : String(filters.vulnerable)}
          onChange={(value) => set('vulnerable', value)}
          w={180}
        />
        <TextInput
          type="date"
          label="Received from"
          value={filters.receivedFrom ?? ''}
          onChange={(event) => set('receivedFrom', event.currentTarget.value)}
          w={170}
        />
        <TextInput
          type="date"
          label="Received to"
          value={filters.receivedTo ?? ''}
          onChange={(event) => set('receivedTo', event.currentTarget.value)}
          w={170}
        />
        {isFiltered && (
          <Button variant="subtle" onClick={clear}>
            Clear filters
          </Button>
        )}
      </Group>
      {filters.report && Object.keys(filters.report).length > 0 && (
        <Text size="sm" c="dimmed" mb="sm" data-testid="report-filters">
          From a report figure:{' '}
          {Object.entries(filters.report)
            .map(([key, value]) => `${reportFilterLabels[key] ?? key} ${value}`)
            .join(' · ')}
        </Text>
      )}

      <Group justify="space-between" align="flex-end" mb="xs">
        <Select
          label="Sort by"
          data={sortOptions}
          allowDeselect={false}
          value={filters.sort ?? 'due'}
          onChange={(value) => set('sort', value === 'due' ? null : value)}
          w={220}
        />
        <Button
          component="a"
          href={exportCsvUrl(filters)}
          download="cases.csv"
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} aria-hidden />}
        >
          Export CSV
        </Button>
      </Group>

      <QueryState query={query} loadingLabel="Loading cases">
        {cases.length === 0 ? (
          <EmptyState
            icon={<IconFolders aria-hidden />}
            title={isFiltered ? 'No case matches these filters' : 'No cases yet'}
            description={isFiltered ? 'Change or clear the filters.' : undefined}
          />
        ) : (
          <>
            <CaseTable label="Cases" cases={cases} withOwner busy={query.isFetching} hasMore={query.hasNextPage} />
            <LoadMore query={query} what="cases" />
          </>
        )}
      </QueryState>
    </>
  );
}
