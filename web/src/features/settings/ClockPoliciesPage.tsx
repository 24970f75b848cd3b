import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCopy, IconPencil, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { canEditOrganisation } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useSession } from '../auth/session';
import { CalendarSection } from './CalendarSection';
import { formatAllowance, formatWarnings, metByLabels } from './clock-text';
import { PolicyFormModal, type PolicyModalMode } from './PolicyFormModal';
import { PolicyRulesSection } from './PolicyRulesSection';
import { clockSettingsQueryKey, fetchClockSettings, fetchPolicies, policiesQueryKey, type ClockPolicy } from './settings.api';

function PolicyCard({ policy, canEdit, onEdit, onCopy }: { policy: ClockPolicy; canEdit: boolean; onEdit: () => void; onCopy: () => void }) {
  const headingId = `policy-${policy.key}`;
  return (
    <Card withBorder padding="lg" component="article" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <div>
          <Title order={3} size="h4" id={headingId}>
            {policy.name}
          </Title>
          <Text size="xs" c="dimmed">
            Key: <code>{policy.key}</code>
          </Text>
        </div>
        <Badge variant="light" color={policy.builtin ? 'gray' : 'indigo'} style={{ minWidth: 'max-content' }}>
          {policy.builtin ? 'Preset' : 'Your policy'}
        </Badge>
      </Group>
      {policy.description && (
        <Text size="sm" mb="xs">
          {policy.description}
        </Text>
      )}
      <Text size="sm" mb="sm">
        <strong>Source rule:</strong> {policy.source}
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={`Clocks of ${policy.name}`} verticalSpacing={6} fz="sm" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Clock</Table.Th>
              <Table.Th scope="col">Deadline</Table.Th>
              <Table.Th scope="col">Met by</Table.Th>
              <Table.Th scope="col">Warnings</Table.Th>
              <Table.Th scope="col">While waiting on the customer</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policy.clocks.map((clock) => (
              <Table.Tr key={clock.name}>
                <Table.Th scope="row" fw={500}>
                  {clock.label}
                  {clock.informational && (
                    <Text size="xs" c="dimmed" fw={400}>
                      Informational: passing it escalates nothing
                    </Text>
                  )}
                  <Text size="xs" c="dimmed" fw={400}>
                    Customer sees: “{clock.customerText}”
                  </Text>
                </Table.Th>
                <Table.Td>{formatAllowance(clock)}</Table.Td>
                <Table.Td>{(metByLabels[clock.metBy]?.sentence ?? clock.metBy).replace(/^met by /, '')}</Table.Td>
                <Table.Td>{formatWarnings(clock.warnAt).replace(/^warns at /, 'at ')}</Table.Td>
                <Table.Td>{clock.pausable ? 'Pauses' : 'Keeps running'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canEdit && (
        <Group gap="xs" mt="md">
          {!policy.builtin && (
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} aria-hidden />} aria-label={`Edit ${policy.name}`} onClick={onEdit}>
              Edit
            </Button>
          )}
          <Button size="xs" variant="subtle" leftSection={<IconCopy size={14} aria-hidden />} aria-label={`Copy ${policy.name}`} onClick={onCopy}>
            Copy
          </Button>
        </Group>
      )}
    </Card>
  );
}

export function ClockPoliciesPage() {
  usePageTitle('Clock policies');
  const { user } = useSession();
  const canEdit = canEditOrganisation(user.role);
  const [modal, setModal] = useState<PolicyModalMode | null>(null);

  const policiesQuery = useQuery({ queryKey: policiesQueryKey, queryFn: ({ signal }) => fetchPolicies(signal) });
  const settingsQuery = useQuery({ queryKey: clockSettingsQueryKey, queryFn: ({ signal }) => fetchClockSettings(signal) });
  const unitsQuery = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal) });
  const policies = policiesQuery.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Clock policies"
        description="Every promise to a customer is a clock. A policy is a named set of deadlines with its source rule; the rules below choose the policy a new case runs, and the calendar says which hours count."
        actions={
          canEdit && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setModal({ mode: 'create' })}>
              New policy
            </Button>
          )
        }
      />
      <Stack gap="xl">
        <section aria-labelledby="policies-heading">
          <Title order={2} size="h3" id="policies-heading" mb="xs">
            Policies
          </Title>
          {canEdit && (
            <Text size="sm" c="dimmed" mb="sm">
              Presets follow the published rules and cannot be changed; copy one to start your own.
            </Text>
          )}
          <QueryState query={policiesQuery} loadingLabel="Loading clock policies">
            <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
              {policies.map((policy) => (
                <PolicyCard
                  key={policy.key}
                  policy={policy}
                  canEdit={canEdit}
                  onEdit={() => setModal({ mode: 'edit', policy })}
                  onCopy={() => setModal({ mode: 'copy', from: policy })}
                />
              ))}
            </SimpleGrid>
          </QueryState>
        </section>

        <QueryState query={settingsQuery} loadingLabel="Loading policy rules and calendar">
          {settingsQuery.data && (
            <>
              <PolicyRulesSection
                key={JSON.stringify(settingsQuery.data.policyRules)}
                rules={settingsQuery.data.policyRules}
                policies={policies}
                units={unitsQuery.data?.items ?? []}
                canEdit={canEdit}
              />
              <CalendarSection calendar={settingsQuery.data.calendar} canEdit={canEdit} />
            </>
          )}
        </QueryState>
      </Stack>

      {modal && (
        <PolicyFormModal
          key={modal.mode === 'edit' ? `edit-${modal.policy.key}` : modal.mode === 'copy' ? `copy-${modal.from.key}` : 'new'}
          mode={modal}
          onClose={() => setModal(null)}
        />
      )}
    </>
  );
}
