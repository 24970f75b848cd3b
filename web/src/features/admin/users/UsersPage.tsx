import { Button, EmptyState, Group, NumberFormatter, Select, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconKey, IconPlus, IconSearch, IconUsers } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { StatusBadge } from '../../../components/StatusBadge';
import { canEditOrganisation, roleLabels } from '../../../lib/roles';
import type { Role, User } from '../../../lib/types';
import { usePageTitle } from '../../../lib/use-page-title';
import { useSession } from '../../auth/session';
import { fetchUnits, unitsQueryKey } from '../units/units.api';
import { CreateUserTokenModal } from './CreateUserTokenModal';
import { roleOptions, UserFormModal } from './UserFormModal';
import { fetchUsers, usersQueryKey, type UserFilters } from './users.api';

type ModalState = { mode: 'create' } | { mode: 'edit'; user: User } | { mode: 'token'; user: User } | null;

export function UsersPage() {
  usePageTitle('Users');
  const { user: me } = useSession();
  const canEdit = canEditOrganisation(me.role);
  const [search, setSearch] = useState('');
  // Typing should not send one request per key.
  const [q] = useDebouncedValue(search, 300);
  const [role, setRole] = useState<Role | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [modal, setModal] = useState<ModalState>(null);

  const filters: UserFilters = { q: q.trim(), role, unitId };
  const isFiltered = Boolean(filters.q || role || unitId);

  const unitsQuery = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal) });
  const units = useMemo(() => unitsQuery.data?.items ?? [], [unitsQuery.data]);
  const unitOptions = useMemo(() => units.map((unit) => ({ value: unit.id, label: unit.name })), [units]);

  const query = useInfiniteQuery({
    queryKey: [...usersQueryKey, filters],
    queryFn: ({ pageParam, signal }) => fetchUsers(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    // Keep the current rows on screen while a new filter loads, instead of flashing a skeleton.
    placeholderData: keepPreviousData,
  });
  const users = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who works in TrustDesk: their role, unit and how much they may decide alone."
        actions={
          canEdit && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setModal({ mode: 'create' })}>
              New user
            </Button>
          )
        }
      />

      <Group align="flex-end" gap="sm" mb="md" role="search" aria-label="Filter users">
        <TextInput
          label="Search users"
          placeholder="Name or e-mail"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={260}
        />
        <Select label="Filter by role" placeholder="All roles" data={roleOptions} clearable value={role} onChange={(value) => setRole(value as Role | null)} w={180} />
        <Select
          label="Filter by unit"
          placeholder="All units"
          data={unitOptions}
          searchable
          clearable
          nothingFoundMessage="No unit matches"
          value={unitId}
          onChange={setUnitId}
          w={220}
        />
      </Group>

      <QueryState query={query} loadingLabel="Loading users">
        {users.length === 0 ? (
          <EmptyState
            icon={<IconUsers aria-hidden />}
            title={isFiltered ? 'No user matches these filters' : 'No users yet'}
            description={isFiltered ? 'Change or clear the filters.' : undefined}
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={860}>
              <Table highlightOnHover verticalSpacing="xs" aria-label="Users" aria-busy={query.isFetching}>
                <Table.Caption>
                  {users.length} {users.length === 1 ? 'user' : 'users'} shown{query.hasNextPage ? ', more available' : ''}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Role</Table.Th>
                    <Table.Th scope="col">Unit</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: 'right' }}>
                      Discretion limit
                    </Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    {canEdit && (
                      <Table.Th scope="col">
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.map((user) => (
                    <Table.Tr key={user.id}>
                      <Table.Th scope="row" fw={500} style={{ whiteSpace: 'nowrap' }}>
                        {user.name}
                      </Table.Th>
                      <Table.Td>{user.email}</Table.Td>
                      <Table.Td>{roleLabels[user.role] ?? user.role}</Table.Td>
                      <Table.Td>{user.unitName}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>
                        {user.discretionLimit === null ? (
                          <Text span c="dimmed" size="sm">
                            None
                          </Text>
                        ) : (
                          <NumberFormatter value={user.discretionLimit} thousandSeparator="," />
                        )}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge positive={user.active} label={user.active ? 'Active' : 'Inactive'} />
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Button size="xs" variant="default" aria-label={`Edit ${user.name}`} onClick={() => setModal({ mode: 'edit', user })}>
                              Edit
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              leftSection={<IconKey size={14} aria-hidden />}
                              aria-label={`Create API token for ${user.name}`}
                              onClick={() => setModal({ mode: 'token', user })}
                            >
                              API token
                            </Button>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {query.hasNextPage && (
              <Group justify="center" mt="md">
                <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                  Load more
                </Button>
              </Group>
            )}
            {query.isFetchNextPageError && (
              <Text c="red" size="sm" role="alert" ta="center" mt="xs">
                Could not load more users: {query.error?.message}
              </Text>
            )}
          </>
        )}
      </QueryState>

      {(modal?.mode === 'create' || modal?.mode === 'edit') && (
        <UserFormModal
          key={modal.mode === 'edit' ? modal.user.id : 'new'}
          onClose={() => setModal(null)}
          units={units}
          user={modal.mode === 'edit' ? modal.user : null}
        />
      )}
      {modal?.mode === 'token' && <CreateUserTokenModal user={modal.user} onClose={() => setModal(null)} />}
    </>
  );
}
