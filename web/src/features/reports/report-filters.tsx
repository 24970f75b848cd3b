import { Group, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import type { ReportFilters } from './reports.api';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Period and unit live in the address, so a report view can be shared and "back" returns to it. */
export function useReportFilters(): [ReportFilters, (key: keyof ReportFilters, value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const today = new Date();
  const filters: ReportFilters = {
    from: params.get('from') ?? isoDay(new Date(today.getTime() - 89 * 86_400_000)),
    to: params.get('to') ?? isoDay(today),
    unitId: params.get('unitId'),
  };
  const set = (key: keyof ReportFilters, value: string | null) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  return [filters, set];
}

export function ReportFilterBar({ filters, set, withUnit = true }: { filters: ReportFilters; set: (key: keyof ReportFilters, value: string | null) => void; withUnit?: boolean }) {
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), enabled: withUnit });
  return (
    <Group align="flex-end" mb="md" wrap="wrap">
      <TextInput type="date" label="From" value={filters.from} onChange={(e) => e.currentTarget.value && set('from', e.currentTarget.value)} w={170} />
      <TextInput type="date" label="To" value={filters.to} onChange={(e) => e.currentTarget.value && set('to', e.currentTarget.value)} w={170} />
      {withUnit && (
        <Select
          label="Unit"
          placeholder="Whole company (or your unit)"
          clearable
          searchable
          data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={filters.unitId ?? null}
          onChange={(value) => set('unitId', value)}
          w={260}
        />
      )}
    </Group>
  );
}
