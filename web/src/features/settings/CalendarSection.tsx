import { ActionIcon, Alert, Button, Checkbox, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrorsFrom } from '../../lib/form-errors';
import { isApiError } from '../../lib/api';
import { clockSettingsQueryKey, updateClockSettings, type CalendarSettings } from './settings.api';

const weekdays = [
  { value: 1, label: 'Monday' },
  { value: 2, label: 'Tuesday' },
  { value: 3, label: 'Wednesday' },
  { value: 4, label: 'Thursday' },
  { value: 5, label: 'Friday' },
  { value: 6, label: 'Saturday' },
  { value: 7, label: 'Sunday' },
];

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** Closure days are calendar dates, not instants: format them in UTC so no time zone moves them. */
export const formatDay = (date: string) => {
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : dayFormat.format(parsed);
};

export function describeWorkingDays(days: number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const names = sorted.map((day) => weekdays.find((w) => w.value === day)?.label ?? String(day));
  const consecutive = sorted.every((day, index) => index === 0 || day === sorted[index - 1]! + 1);
  if (sorted.length >= 3 && consecutive) return `${names[0]} to ${names[names.length - 1]}`;
  return names.join(', ');
}

function HolidayNote() {
  return (
    <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} title="Public holidays are automatic">
      Each unit takes the public holidays of its own country or region (for example GB-ENG for England and Wales, GB-SCT for
      Scotland), set on the unit. List here only the days your whole organisation is closed on top of those.
    </Alert>
  );
}

function ReadOnlyCalendar({ calendar }: { calendar: CalendarSettings }) {
  return (
    <Stack gap="xs">
      <Text size="sm">
        <strong>Working days:</strong> {describeWorkingDays(calendar.workingDays)}
      </Text>
      <Text size="sm">
        <strong>Working hours:</strong> {calendar.opens} to {calendar.closes} (each unit's own time zone)
      </Text>
      <Text size="sm" fw={700}>
        Closure days
      </Text>
      {calendar.closures.length === 0 ? (
        <Text size="sm" c="dimmed">
          None besides public holidays.
        </Text>
      ) : (
        <List size="sm">
          {[...calendar.closures].sort().map((day) => (
            <List.Item key={day}>
              <time dateTime={day}>{formatDay(day)}</time>
            </List.Item>
          ))}
        </List>
      )}
      <HolidayNote />
    </Stack>
  );
}

function CalendarEditor({ calendar }: { calendar: CalendarSettings }) {
  const queryClient = useQueryClient();
  const [workingDays, setWorkingDays] = useState(calendar.workingDays.map(String));
  const [opens, setOpens] = useState(calendar.opens);
  const [closes, setCloses] = useState(calendar.closes);
  const [closures, setClosures] = useState([...calendar.closures].sort());
  const [newClosure, setNewClosure] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: (next: CalendarSettings) => updateClockSettings({ calendar: next }),
    onSuccess: (saved) => {
      queryClient.setQueryData(clockSettingsQueryKey, saved);
      notifications.show({ color: 'teal', message: 'Working hours and closure days saved' });
    },
    onError: (error) => {
      const byField = isApiError(error) ? fieldErrorsFrom(error.details) : {};
      const mapped: Record<string, string> = {};
      for (const [path, message] of Object.entries(byField)) {
        const field = path.replace(/^calendar\./, '').split('.')[0]!;
        mapped[field] = message;
      }
      setErrors(mapped);
      setFormError(error instanceof Error ? error.message : 'Something went wrong. Please try again.');
    },
  });

  const addClosure = () => {
    if (!DATE.test(newClosure)) {
      setErrors((current) => ({ ...current, newClosure: 'Pick a date to add' }));
      return;
    }
    if (closures.includes(newClosure)) {
      setErrors((current) => ({ ...current, newClosure: `${formatDay(newClosure)} is already in the list` }));
      return;
    }
    setClosures([...closures, newClosure].sort());
    setNewClosure('');
    setErrors(({ newClosure: _, ...rest }) => rest);
  };

  const save = () => {
    const next: Record<string, string> = {};
    if (workingDays.length === 0) next.workingDays = 'Choose at least one working day';
    if (!TIME.test(opens)) next.opens = 'Enter a time such as 09:00';
    if (!TIME.test(closes)) next.closes = 'Enter a time such as 17:00';
    else if (TIME.test(opens) && opens >= closes) next.closes = 'Closing time must be after opening time';
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0) return;
    mutation.mutate({
      workingDays: workingDays.map(Number).sort((a, b) => a - b),
      opens,
      closes,
      closures,
    });
  };

  return (
    <Stack gap="md">
      {formError && (
        <Alert color="red" title="Could not save" role="alert">
          {formError}
        </Alert>
      )}
      <Checkbox.Group label="Working days" value={workingDays} onChange={setWorkingDays} error={errors.workingDays}>
        <Group mt="xs" gap="md">
          {weekdays.map((day) => (
            <Checkbox key={day.value} value={String(day.value)} label={day.label} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group align="flex-start">
        <TextInput
          label="Opening time"
          type="time"
          value={opens}
          onChange={(event) => setOpens(event.currentTarget.value)}
          error={errors.opens}
          w={140}
        />
        <TextInput
          label="Closing time"
          type="time"
          value={closes}
          onChange={(event) => setCloses(event.currentTarget.value)}
          error={errors.closes}
          w={140}
        />
      </Group>
      <Text size="xs" c="dimmed" mt={-8}>
        In each unit's own time zone. Business-day and business-hour clocks count only this time.
      </Text>

      <div>
        <Text size="sm" fw={500} id="closures-heading">
          Closure days
        </Text>
        {closures.length === 0 ? (
          <Text size="sm" c="dimmed">
            None besides public holidays.
          </Text>
        ) : (
          <Stack component="ul" gap={4} aria-labelledby="closures-heading" style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
            {closures.map((day) => (
              <Group component="li" key={day} gap="xs">
                <time dateTime={day} style={{ minWidth: 150 }}>
                  {formatDay(day)}
                </time>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove closure ${formatDay(day)}`}
                  onClick={() => setClosures(closures.filter((d) => d !== day))}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        {errors.closures && (
          <Text size="sm" c="red" role="alert">
            {errors.closures}
          </Text>
        )}
        <Group align="flex-end" mt="xs" gap="xs">
          <TextInput
            label="Closure date"
            type="date"
            value={newClosure}
            onChange={(event) => setNewClosure(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addClosure();
              }
            }}
            error={errors.newClosure}
            w={200}
          />
          <Button variant="default" onClick={addClosure} mb={errors.newClosure ? 22 : 0}>
            Add closure
          </Button>
        </Group>
      </div>
      <HolidayNote />
      <Group>
        <Button onClick={save} loading={mutation.isPending}>
          Save calendar
        </Button>
      </Group>
    </Stack>
  );
}

export function CalendarSection({ calendar, canEdit }: { calendar: CalendarSettings; canEdit: boolean }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="calendar-heading">
      <Title order={2} size="h3" id="calendar-heading" mb="xs">
        Working hours and closure days
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        The business calendar every clock counts in.
      </Text>
      {canEdit ? <CalendarEditor key={JSON.stringify(calendar)} calendar={calendar} /> : <ReadOnlyCalendar calendar={calendar} />}
    </Paper>
  );
}
