import { Alert, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { hasRole } from '../../lib/roles';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { conductKeys, fetchConductSettings, updateConductSettings, type ConductSettings } from './conduct.api';
import { conductManagerRoles } from './conduct-ui';

const settingsKey = [...conductKeys.all, 'settings'] as const;

/** "7, 1, 0" ↔ [7, 1, 0]; null when a part is not a whole number of days. */
const daysFrom = (text: string): number[] | null => {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  return parts.every((part) => /^\d+$/.test(part)) ? parts.map(Number) : null;
};
/** One "Category: CODE, CODE" a line ↔ the category → practice-code mapping. */
const mappingText = (mapping: Record<string, string[]>) =>
  Object.entries(mapping)
    .map(([category, codes]) => `${category}: ${codes.join(', ')}`)
    .join('\n');
const mappingFrom = (text: string): Record<string, string[]> | null => {
  const result: Record<string, string[]> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.lastIndexOf(':');
    if (at <= 0) return null;
    result[line.slice(0, at).trim()] = line
      .slice(at + 1)
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean);
  }
  return result;
};

/** Reminder offsets, escalation, action deadlines, the complaint flag and the category → practice mapping. */
export function ConductSettingsPage() {
  usePageTitle('Conduct settings');
  const query = useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => fetchConductSettings(signal) });
  return (
    <>
      <PageHeader title="Conduct settings" description="When action reminders go out, when overdue actions escalate, and how complaints are related to practices." />
      <QueryState query={query} loadingLabel="Loading the settings">
        {query.data && <SettingsForm settings={query.data} />}
      </QueryState>
    </>
  );
}

function SettingsForm({ settings }: { settings: ConductSettings }) {
  const { user } = useSession();
  const canEdit = hasRole(user.role, conductManagerRoles);
  const queryClient = useQueryClient();
  const [offsets, setOffsets] = useState(settings.reminderOffsetsDays.join(', '));
  const [repeat, setRepeat] = useState<number | string>(settings.repeatEveryDays);
  const [escalate, setEscalate] = useState<number | string>(settings.escalateAfterDays);
  const [deadline, setDeadline] = useState<number | string>(settings.actionDeadlineDays);
  const [expiry, setExpiry] = useState(settings.evidenceExpiryReminderDays.join(', '));
  const [minComplaints, setMinComplaints] = useState<number | string>(settings.complaintFlag.minComplaints);
  const [upheldPercent, setUpheldPercent] = useState<number | string>(Math.round(settings.complaintFlag.upheldRate * 100));
  const [strongScore, setStrongScore] = useState<number | string>(settings.complaintFlag.strongScore);
  const [mapping, setMapping] = useState(mappingText(settings.categoryPractices));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: updateConductSettings,
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      notifications.show({ color: 'teal', message: 'Conduct settings saved' });
    },
    onError: (error) => setFormError(error instanceof Error ? error.message : 'Could not save'),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    const reminderOffsetsDays = daysFrom(offsets);
    const evidenceExpiryReminderDays = daysFrom(expiry);
    const categoryPractices = mappingFrom(mapping);
    if (!reminderOffsetsDays) next.offsets = 'Whole days separated by commas, e.g. 7, 1, 0';
    if (!evidenceExpiryReminderDays) next.expiry = 'Whole days separated by commas, e.g. 30, 7';
    if (!categoryPractices) next.mapping = 'One line per category: the category, a colon, then practice codes separated by commas';
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0) return;
    save.mutate({
      reminderOffsetsDays: reminderOffsetsDays!,
      repeatEveryDays: Number(repeat),
      escalateAfterDays: Number(escalate),
      actionDeadlineDays: Number(deadline),
      evidenceExpiryReminderDays: evidenceExpiryReminderDays!,
      categoryPractices: categoryPractices!,
      complaintFlag: { minComplaints: Number(minComplaints), upheldRate: Number(upheldPercent) / 100, strongScore: Number(strongScore) },
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="lg">
          {!canEdit && (
            <Text size="sm" c="dimmed">
              Admins and compliance change these settings.
            </Text>
          )}
          <Card withBorder component="section" aria-labelledby="reminders-title">
            <Title order={2} size="h4" id="reminders-title" mb="sm">
              Improvement actions
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Reminders before the deadline (days)"
                description="0 is the day itself"
                value={offsets}
                onChange={(e) => setOffsets(e.currentTarget.value)}
                error={errors.offsets}
              />
              <NumberInput label="Then remind every (days) while overdue" description="0: no repeats" min={0} max={60} allowDecimal={false} value={repeat} onChange={setRepeat} />
              <NumberInput label="Escalate to the delegate’s lead after (days overdue)" min={0} max={365} allowDecimal={false} value={escalate} onChange={setEscalate} />
              <NumberInput label="Deadline of a required action (days after review)" min={1} max={365} allowDecimal={false} value={deadline} onChange={setDeadline} />
              <TextInput
                label="Evidence expiry reminders (days before)"
                value={expiry}
                onChange={(e) => setExpiry(e.currentTarget.value)}
                error={errors.expiry}
              />
            </SimpleGrid>
          </Card>
          <Card withBorder component="section" aria-labelledby="signals-settings-title">
            <Title order={2} size="h4" id="signals-settings-title" mb="sm">
              Signals beside scores
            </Title>
            <Text size="sm" mb="sm">
              A practice self-assessed at the strong score or more is flagged when its unit has at least this many related complaints with at least this upheld rate.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput label="Strong score" min={1} max={100} allowDecimal={false} value={strongScore} onChange={setStrongScore} />
              <NumberInput label="Related complaints" min={1} allowDecimal={false} value={minComplaints} onChange={setMinComplaints} />
              <NumberInput label="Upheld rate (%)" min={0} max={100} allowDecimal={false} value={upheldPercent} onChange={setUpheldPercent} />
            </SimpleGrid>
            <Textarea
              mt="md"
              label="Complaint categories and their practices"
              description="One line per category: “Delays/timescales: CD-CS-1, CD-CS-3”"
              autosize
              minRows={6}
              value={mapping}
              onChange={(e) => setMapping(e.currentTarget.value)}
              error={errors.mapping}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Card>
          {formError && (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          )}
          {canEdit && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save settings
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}
