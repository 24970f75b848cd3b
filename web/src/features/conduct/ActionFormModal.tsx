import { Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { applyApiError } from '../../lib/form-errors';
import { actionPriorities, conductKeys, createAction, fetchPracticeOptions, updateAction, type Action, type ActionPriority } from './conduct.api';
import { actionLink, FormFooter, priorityLabels, usePeople } from './conduct-ui';

const dayInput = (iso: string) => iso.slice(0, 10);
/** A deadline typed as a day means the end of that working day (17:00 UTC), as the reminders count days. */
const deadlineFromDay = (day: string) => new Date(`${day}T17:00:00Z`).toISOString();

interface Props {
  opened: boolean;
  onClose: () => void;
  /** New action for this practice × unit, one answering an alert (practice and perhaps unit chosen here), or editing an existing one. */
  target: NewActionTarget | AlertActionTarget | { action: Action };
}

type NewActionTarget = { practiceId: string; practiceTitle: string; unitId: string; unitName: string; suggestedTitle?: string };
/** An alert from another feature (an emerging complaint issue): title and details suggested, the practice to improve chosen by the person. */
export type AlertActionTarget = { alert: { key: string; detail: string; title: string; description: string; unitId: string | null; suggestedPractice?: string } };

/** The practice whose title best matches a suggestion (e.g. "Complaint root-cause analysis" → "Complaint handling"). */
function suggestedPracticeId(practices: Array<{ id: string; title: string }>, suggestion: string | undefined): string | null {
  if (!suggestion) return null;
  const words = suggestion.toLowerCase().split(/\W+/).filter((w) => w.length > 3);
  let best: { id: string; hits: number } | null = null;
  for (const p of practices) {
    const hits = words.filter((w) => p.title.toLowerCase().includes(w)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { id: p.id, hits };
  }
  return best?.id ?? null;
}

/** Create an improvement action from a cell or practice, or change delegate, deadline, priority and expected effect. */
export function ActionFormModal({ opened, onClose, target }: Props) {
  const today = new Date().toISOString().slice(0, 10);
  const editing = 'action' in target ? target.action : null;
  const alert = 'alert' in target ? target.alert : null;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const people = usePeople(opened);
  const [title, setTitle] = useState(editing?.title ?? alert?.title ?? ('practiceId' in target ? (target.suggestedTitle ?? '') : ''));
  const [description, setDescription] = useState(editing?.description ?? alert?.description ?? '');
  const [delegateId, setDelegateId] = useState<string | null>(editing?.delegateId ?? null);
  const [deadline, setDeadline] = useState(editing ? dayInput(editing.deadline) : '');
  const [priority, setPriority] = useState<ActionPriority>(editing?.priority ?? 'medium');
  const [expectedEffect, setExpectedEffect] = useState(editing?.expectedEffect ?? '');
  // From a practice page the unit is chosen here; from a cell it is the cell's.
  const fixedUnitId = 'action' in target ? target.action.unitId : 'alert' in target ? target.alert.unitId : target.unitId;
  const [unitId, setUnitId] = useState<string | null>(fixedUnitId || null);
  const practices = useQuery({ queryKey: [...conductKeys.practices, 'options'], queryFn: ({ signal }) => fetchPracticeOptions(signal), enabled: opened && Boolean(alert), staleTime: 5 * 60_000 });
  const [chosenPracticeId, setChosenPracticeId] = useState<string | null>(null);
  const practiceId = 'practiceId' in target ? target.practiceId : editing ? editing.practiceId : (chosenPracticeId ?? suggestedPracticeId(practices.data?.items ?? [], alert?.suggestedPractice));
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), enabled: opened && !fixedUnitId, staleTime: 5 * 60_000 });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: () => {
      const common = { title: title.trim(), description: description.trim() || undefined, delegateId: delegateId!, deadline: deadlineFromDay(deadline), priority, expectedEffect: expectedEffect.trim() };
      return editing
        ? updateAction(editing.id, common)
        : createAction({ ...common, practiceId: practiceId!, unitId: unitId!, alert: alert ? { key: alert.key, detail: alert.detail } : undefined });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: conductKeys.all });
      notifications.show({ color: 'teal', message: editing ? 'Action updated' : `Action “${saved.title}” created for ${saved.delegateName}` });
      onClose();
      if (!editing) void navigate(actionLink(saved.id));
    },
    onError: (error) => {
      const form = { setFieldError: ((field: string, message: string) => setErrors((current) => ({ ...current, [field]: message }))) as never };
      setFormError(applyApiError(form, error, ['practiceId', 'unitId', 'title', 'delegateId', 'deadline', 'priority', 'expectedEffect', 'description']));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!editing && !practiceId) next.practiceId = 'Choose the practice this improves';
    if (!unitId) next.unitId = 'Choose the unit';
    if (!title.trim()) next.title = 'Say what will be done';
    if (!delegateId) next.delegateId = 'Choose who does it';
    if (!deadline) next.deadline = 'Choose a deadline';
    else if (!editing && deadline < today) next.deadline = 'The deadline cannot be in the past';
    if (!expectedEffect.trim()) next.expectedEffect = 'Say what should change when it is done';
    setErrors(next);
    setFormError(null);
    const first = Object.keys(next)[0];
    if (first) {
      document.getElementById(`action-${first}`)?.focus();
      return;
    }
    save.mutate();
  };

  const heading = editing
    ? `Change the action “${editing.title}”`
    : 'practiceId' in target
      ? `New action: ${target.practiceTitle}${fixedUnitId ? ` in ${target.unitName}` : ''}`
      : 'New improvement action from an alert';
  return (
    <Modal opened={opened} onClose={onClose} title={heading} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {alert && (
            <Select
              id="action-practiceId"
              label="Practice to improve"
              required
              searchable
              data={(practices.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.title}` }))}
              value={practiceId}
              onChange={setChosenPracticeId}
              error={errors.practiceId ?? (practices.isError ? 'Could not load practices' : undefined)}
              nothingFoundMessage={practices.isPending ? 'Loading…' : 'No practices: add a framework first'}
            />
          )}
          {!fixedUnitId && (
            <Select
              id="action-unitId"
              label="Unit"
              required
              searchable
              data={(units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name }))}
              value={unitId}
              onChange={setUnitId}
              error={errors.unitId ?? (units.isError ? 'Could not load units' : undefined)}
            />
          )}
          <TextInput id="action-title" label="What will be done" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={errors.title} />
          <Textarea id="action-description" label="Details" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} />
          <Select
            id="action-delegateId"
            label="Delegate"
            description="The person who does it and gets the reminders"
            required
            searchable
            data={people.data ?? []}
            value={delegateId}
            onChange={setDelegateId}
            error={errors.delegateId ?? (people.isError ? 'Could not load people' : undefined)}
            nothingFoundMessage={people.isPending ? 'Loading…' : 'Nobody found'}
          />
          <Group grow align="flex-start">
            <TextInput
              id="action-deadline"
              type="date"
              label="Deadline"
              required
              min={editing ? undefined : today}
              value={deadline}
              onChange={(e) => setDeadline(e.currentTarget.value)}
              error={errors.deadline}
            />
            <Select
              id="action-priority"
              label="Priority"
              data={actionPriorities.map((value) => ({ value, label: priorityLabels[value] }))}
              value={priority}
              onChange={(value) => value && setPriority(value as ActionPriority)}
              allowDeselect={false}
            />
          </Group>
          <Textarea
            id="action-expectedEffect"
            label="Expected effect"
            description="What should be measurably better afterwards (e.g. self-assessment 4 or more, upheld rate under 30%)"
            required
            autosize
            minRows={2}
            value={expectedEffect}
            onChange={(e) => setExpectedEffect(e.currentTarget.value)}
            error={errors.expectedEffect}
          />
          <FormFooter error={formError} onCancel={onClose} submitLabel={editing ? 'Save changes' : 'Create action'} loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
