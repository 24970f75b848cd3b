import { ActionIcon, Alert, Button, Group, NativeSelect, Paper, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Unit } from '../../lib/types';
import { clockSettingsQueryKey, updateClockSettings, type ClockPolicy, type PolicyRule } from './settings.api';

const caseKindLabels: Record<string, string> = { complaint: 'Complaint', request: 'Request', follow_up: 'Follow-up' };
const channelLabels: Record<string, string> = {
  web: 'Web',
  email: 'E-mail',
  phone: 'Phone',
  letter: 'Letter',
  social: 'Social media',
  api: 'API',
  survey: 'Survey follow-up',
  branch: 'Branch',
};

interface RuleRow {
  id: number;
  kind: string;
  product: string;
  channel: string;
  unitId: string;
  policy: string;
}

let nextRowId = 1;
const toRow = (rule: PolicyRule): RuleRow => ({
  id: nextRowId++,
  kind: rule.match.kind ?? '',
  product: rule.match.product ?? '',
  channel: rule.match.channel ?? '',
  unitId: rule.match.unitId ?? '',
  policy: rule.policy,
});

const toRule = (row: RuleRow): PolicyRule => ({
  match: {
    ...(row.kind && { kind: row.kind }),
    ...(row.product.trim() && { product: row.product.trim() }),
    ...(row.channel && { channel: row.channel }),
    ...(row.unitId && { unitId: row.unitId }),
  },
  policy: row.policy,
});

const anyOption = (label: string) => ({ value: '', label });
const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

function Any() {
  return (
    <Text span size="sm" c="dimmed">
      Any
    </Text>
  );
}

export function PolicyRulesSection({
  rules,
  policies,
  units,
  canEdit,
}: {
  rules: PolicyRule[];
  policies: ClockPolicy[];
  units: Unit[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const [rows, setRows] = useState(() => rules.map(toRow));
  const [formError, setFormError] = useState<string | null>(null);
  const policyName = useMemo(() => new Map(policies.map((p) => [p.key, p.name])), [policies]);
  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);

  const dirty = JSON.stringify(rows.map(toRule)) !== JSON.stringify(rules);

  const mutation = useMutation({
    mutationFn: () => updateClockSettings({ policyRules: rows.map(toRule) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(clockSettingsQueryKey, saved);
      notifications.show({ color: 'teal', message: 'Policy rules saved' });
    },
    onError: (error) => setFormError(error instanceof Error ? error.message : 'Something went wrong. Please try again.'),
  });

  const update = (id: number, patch: Partial<RuleRow>) => setRows((current) => current.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  const move = (index: number, by: -1 | 1) =>
    setRows((current) => {
      const next = [...current];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row!);
      return next;
    });

  const policyOptions = policies.map((p) => ({ value: p.key, label: p.name }));
  const unitOptions = [anyOption('Any unit'), ...units.map((u) => ({ value: u.id, label: `${'\u00a0\u00a0'.repeat(u.depth)}${u.name}` }))];

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="rules-heading">
      <Title order={2} size="h3" id="rules-heading" mb="xs">
        Which policy a new case runs
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        First match wins: a new case runs the policy of the first rule, from the top, whose conditions it meets. An empty condition
        matches anything. A case no rule matches runs the standard policy.
      </Text>
      {formError && (
        <Alert color="red" title="Could not save" role="alert" mb="sm">
          {formError}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={canEdit ? 1180 : 640}>
        <Table aria-label="Policy rules" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Order</Table.Th>
              <Table.Th scope="col">Case kind</Table.Th>
              <Table.Th scope="col">Product</Table.Th>
              <Table.Th scope="col">Channel</Table.Th>
              <Table.Th scope="col">Unit</Table.Th>
              <Table.Th scope="col">Policy</Table.Th>
              {canEdit && (
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => {
              const n = index + 1;
              return (
                <Table.Tr key={row.id}>
                  <Table.Th scope="row">{n}</Table.Th>
                  {canEdit ? (
                    <>
                      <Table.Td>
                        <NativeSelect
                          aria-label={`Case kind, rule ${n}`}
                          miw={140}
                          data={[anyOption('Any kind'), ...optionsOf(caseKindLabels)]}
                          value={row.kind}
                          onChange={(event) => update(row.id, { kind: event.currentTarget.value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          aria-label={`Product, rule ${n}`}
                          miw={180}
                          placeholder="Any product"
                          value={row.product}
                          maxLength={120}
                          onChange={(event) => update(row.id, { product: event.currentTarget.value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NativeSelect
                          aria-label={`Channel, rule ${n}`}
                          miw={150}
                          data={[anyOption('Any channel'), ...optionsOf(channelLabels)]}
                          value={row.channel}
                          onChange={(event) => update(row.id, { channel: event.currentTarget.value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NativeSelect
                          aria-label={`Unit, rule ${n}`}
                          miw={220}
                          data={unitOptions}
                          value={row.unitId}
                          onChange={(event) => update(row.id, { unitId: event.currentTarget.value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NativeSelect
                          aria-label={`Policy, rule ${n}`}
                          miw={260}
                          data={
                            policyName.has(row.policy) ? policyOptions : [{ value: row.policy, label: `${row.policy} (unknown)` }, ...policyOptions]
                          }
                          value={row.policy}
                          onChange={(event) => update(row.id, { policy: event.currentTarget.value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <ActionIcon variant="subtle" aria-label={`Move rule ${n} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                            <IconArrowUp size={16} aria-hidden />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            aria-label={`Move rule ${n} down`}
                            disabled={index === rows.length - 1}
                            onClick={() => move(index, 1)}
                          >
                            <IconArrowDown size={16} aria-hidden />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove rule ${n}`}
                            disabled={rows.length === 1}
                            onClick={() => setRows((current) => current.filter((r) => r.id !== row.id))}
                          >
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Group>
                      </Table.Td>
                    </>
                  ) : (
                    <>
                      <Table.Td>{row.kind ? (caseKindLabels[row.kind] ?? row.kind) : <Any />}</Table.Td>
                      <Table.Td>{row.product || <Any />}</Table.Td>
                      <Table.Td>{row.channel ? (channelLabels[row.channel] ?? row.channel) : <Any />}</Table.Td>
                      <Table.Td>{row.unitId ? (unitName.get(row.unitId) ?? 'Unknown unit') : <Any />}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {policyName.get(row.policy) ?? row.policy}
                        </Text>
                      </Table.Td>
                    </>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canEdit && (
        <Group mt="md" justify="space-between">
          <Button
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden />}
            disabled={rows.length >= 50}
            onClick={() => setRows((current) => [...current, toRow({ match: {}, policy: policies[0]?.key ?? 'standard' })])}
          >
            Add rule
          </Button>
          <Group gap="sm">
            {dirty && (
              <Text size="sm" c="dimmed" role="status">
                Unsaved changes
              </Text>
            )}
            <Button variant="default" disabled={!dirty} onClick={() => setRows(rules.map(toRow))}>
              Undo changes
            </Button>
            <Button onClick={() => { setFormError(null); mutation.mutate(); }} loading={mutation.isPending} disabled={!dirty}>
              Save rules
            </Button>
          </Group>
        </Group>
      )}
    </Paper>
  );
}
