import { Button, EmptyState, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconBuildingCommunity, IconPlus, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { canEditOrganisation, unitKindLabels } from '../../../lib/roles';
import type { Unit } from '../../../lib/types';
import { usePageTitle } from '../../../lib/use-page-title';
import { useSession } from '../../auth/session';
import { UnitFormModal } from './UnitFormModal';
import { fetchUnits, unitsQueryKey } from './units.api';
import { matchesFilter } from './unit-tree';

type ModalState = { mode: 'create' } | { mode: 'edit'; unit: Unit } | null;

const INDENT_PX = 20;

export function UnitsPage() {
  usePageTitle('Units');
  const { user } = useSession();
  const canEdit = canEditOrganisation(user.role);
  const [filter, setFilter] = useState('');
  const [modal, setModal] = useState<ModalState>(null);

  const query = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal) });
  const units = useMemo(() => query.data?.items ?? [], [query.data]);
  const nameById = useMemo(() => new Map(units.map((unit) => [unit.id, unit.name])), [units]);
  const visible = useMemo(() => units.filter((unit) => matchesFilter(unit, filter)), [units, filter]);

  return (
    <>
      <PageHeader
        title="Units"
        description="Companies, divisions, regions and teams. Cases, clocks and escalation ladders belong to a unit."
        actions={
          canEdit && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setModal({ mode: 'create' })} disabled={query.isPending}>
              New unit
            </Button>
          )
        }
      />

      <QueryState query={query} loadingLabel="Loading units">
        {units.length === 0 ? (
          <EmptyState
            icon={<IconBuildingCommunity aria-hidden />}
            title="No units yet"
            description={canEdit ? 'Create the company unit first, then its divisions, regions and teams.' : 'An admin has not set up the organisation tree yet.'}
          >
            {canEdit && <Button onClick={() => setModal({ mode: 'create' })}>New unit</Button>}
          </EmptyState>
        ) : (
          <>
            <TextInput
              label="Filter units"
              placeholder="Name, kind, timezone, country or lead"
              leftSection={<IconSearch size={16} aria-hidden />}
              value={filter}
              onChange={(event) => setFilter(event.currentTarget.value)}
              maw={360}
              mb="md"
            />
            <Table.ScrollContainer minWidth={720}>
              <Table highlightOnHover verticalSpacing="xs" aria-label="Units">
                <Table.Caption>
                  {filter ? `${visible.length} of ${units.length} units match “${filter}”` : `${units.length} units`}
                  {query.data?.nextCursor && ' (only the first 500 are shown)'}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">Parent</Table.Th>
                    <Table.Th scope="col">Timezone</Table.Th>
                    <Table.Th scope="col">Country</Table.Th>
                    <Table.Th scope="col">Leads</Table.Th>
                    {canEdit && (
                      <Table.Th scope="col">
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {visible.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={canEdit ? 7 : 6}>
                        <Text c="dimmed" size="sm">
                          No unit matches “{filter}”.
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                  {visible.map((unit) => (
                    <Table.Tr key={unit.id} data-depth={unit.depth}>
                      <Table.Th scope="row" fw={unit.depth === 0 ? 700 : 500}>
                        {/* Indentation shows the tree; the Parent column says the same in words. */}
                        <span style={{ paddingLeft: unit.depth * INDENT_PX, display: 'inline-block' }}>
                          {unit.depth > 0 && (
                            <span aria-hidden style={{ color: 'var(--mantine-color-dimmed)', marginRight: 6 }}>
                              └
                            </span>
                          )}
                          {unit.name}
                        </span>
                      </Table.Th>
                      <Table.Td>{unitKindLabels[unit.kind]}</Table.Td>
                      <Table.Td>{unit.parentId ? nameById.get(unit.parentId) ?? '—' : '—'}</Table.Td>
                      <Table.Td>{unit.timezone}</Table.Td>
                      <Table.Td>{unit.country ?? '—'}</Table.Td>
                      <Table.Td>{unit.leads.length ? unit.leads.map((lead) => lead.name).join(', ') : '—'}</Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Button size="xs" variant="default" aria-label={`Edit ${unit.name}`} onClick={() => setModal({ mode: 'edit', unit })}>
                            Edit
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </QueryState>

      {modal && (
        <UnitFormModal
          key={modal.mode === 'edit' ? modal.unit.id : 'new'}
          onClose={() => setModal(null)}
          units={units}
          unit={modal.mode === 'edit' ? modal.unit : null}
        />
      )}
    </>
  );
}
