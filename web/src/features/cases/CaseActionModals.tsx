import { Alert, Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Switch, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { isApiError } from '../../lib/api';
import { applyApiError, fieldErrorsFrom, focusFirstError } from '../../lib/form-errors';
import { hasRole, orgViewerRoles } from '../../lib/roles';
import { fetchUnits, unitsQueryKey } from '../admin/units/units.api';
import { fetchUsers } from '../admin/users/users.api';
import { useSession } from '../auth/session';
import {
  decisionKindLabels, escalationReasonLabels, formatAmount, options, outcomeLabels, redressKindLabels,
} from './case-labels';
import { useInvalidateCases } from './case-mutations';
import {
  addMessage, caseOutcomes, closeCase, decisionKinds, declineTransfer, escalateCase, manualEscalationReasons, recordDecision, redressKinds,
  reopenCase, requestTransfer, resolveCase, type CaseDetail, type CaseOutcome, type DecisionKind, type DecisionResult,
  type ManualEscalationReason, type RedressKind,
} from './cases.api';
import { outcomePhraseOf, type LetterDraft } from './letters.api';

/** The frame every case action shares: title, the API's error in words, Cancel and the action. */
function ActionForm({
  title,
  onClose,
  onSubmit,
  submitLabel,
  pending,
  error,
  errorTitle,
  children,
  danger = false,
}: {
  title: string;
  onClose: () => void;
  onSubmit: (event?: React.FormEvent<HTMLFormElement>) => void;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  errorTitle: string;
  children: ReactNode;
  danger?: boolean;
}) {
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form noValidate onSubmit={onSubmit}>
        <Stack gap="sm">
          {error && (
            <Alert color="red" title={errorTitle} role="alert">
              {error}
            </Alert>
          )}
          {children}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} color={danger ? 'red' : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const required = (message: string) => (value: string) => (value.trim() ? null : message);

// ---------------------------------------------------------------------------------------------

/** A message to the customer (e-mailed to them) or an internal note (staff only). */
export function MessageModal({ detail, toCustomer, onClose }: { detail: CaseDetail; toCustomer: boolean; onClose: () => void }) {
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { body: '' },
    validate: { body: required(toCustomer ? 'Write the message' : 'Write the note') },
  });
  const mutation = useMutation({
    mutationFn: (body: string) => addMessage(detail.id, body, toCustomer),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: toCustomer ? 'Message sent to the customer' : 'Note added' });
      onClose();
    },
    onError: (failure) => setError(applyApiError(form, failure, ['body'])),
  });

  return (
    <ActionForm
      title={toCustomer ? `Reply to ${detail.customer.name}` : 'Internal note'}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values.body.trim());
      }, focusFirstError(form))}
      submitLabel={toCustomer ? 'Send message' : 'Save note'}
      pending={mutation.isPending}
      error={error}
      errorTitle={toCustomer ? 'The message was not sent' : 'The note was not saved'}
    >
      <Text size="sm" c="dimmed">
        {toCustomer
          ? detail.customer.email
            ? `The customer sees this on their status page and gets it by e-mail at ${detail.customer.email}.`
            : 'The customer sees this on their status page. There is no e-mail address on the case, so nothing is e-mailed.'
          : 'Only staff see notes. The customer never does.'}
      </Text>
      <Textarea
        label={toCustomer ? 'Message' : 'Note'}
        required
        autosize
        minRows={6}
        maxRows={16}
        data-autofocus
        {...form.getInputProps('body')}
      />
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

type TransferTarget = 'user' | 'unit';

/**
 * Ask a person or a unit to take the case. The sender keeps it until they accept. Agents may
 * not look people or units up (403), so they can offer it to their own unit or the case's unit.
 */
export function TransferModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const { user } = useSession();
  const invalidate = useInvalidateCases();
  const canLookUp = hasRole(user.role, orgViewerRoles);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<TransferTarget>(canLookUp ? 'user' : 'unit');
  const [userSearch, setUserSearch] = useState('');
  const [q] = useDebouncedValue(userSearch, 250);

  const users = useQuery({
    queryKey: ['users', 'transfer-search', q],
    queryFn: ({ signal }) => fetchUsers({ q, role: null, unitId: null }, null, signal),
    enabled: canLookUp && target === 'user',
    placeholderData: (previous) => previous,
  });
  const units = useQuery({ queryKey: unitsQueryKey, queryFn: ({ signal }) => fetchUnits(signal), enabled: canLookUp });
  const usersForbidden = !canLookUp || (isApiError(users.error) && users.error.status === 403);
  const unitsForbidden = !canLookUp || (isApiError(units.error) && units.error.status === 403);

  const userOptions = useMemo(
    () =>
      (users.data?.items ?? [])
        .filter((person) => person.active && person.id !== detail.ownerId)
        .map((person) => ({ value: person.id, label: `${person.name} (${person.unitName})` })),
    [users.data, detail.ownerId],
  );
  const unitOptions = useMemo(() => {
    if (!unitsForbidden) return (units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name }));
    // What an agent knows without the organisation tree: their own unit and the case's.
    const known = new Map([[user.unitId, user.unitName], [detail.unit.id, detail.unit.name]]);
    return [...known].map(([value, label]) => ({ value, label }));
  }, [units.data, unitsForbidden, user, detail.unit]);

  const form = useForm({
    mode: 'controlled',
    initialValues: { toUserId: null as string | null, toUnitId: null as string | null, reason: '' },
    validate: {
      toUserId: (value) => (target === 'user' && !value ? 'Choose who should take the case' : null),
      toUnitId: (value) => (target === 'unit' && !value ? 'Choose the unit that should take the case' : null),
      reason: required('Say why the case should move'),
    },
  });

  const mutation = useMutation({
    mutationFn: (values: typeof form.values) =>
      requestTransfer(detail.id, {
        ...(target === 'user' ? { toUserId: values.toUserId! } : { toUnitId: values.toUnitId! }),
        reason: values.reason.trim(),
      }),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: 'Transfer requested. You own the case until it is accepted.' });
      onClose();
    },
    onError: (failure) => setError(applyApiError(form, failure, ['toUserId', 'toUnitId', 'reason'])),
  });

  return (
    <ActionForm
      title={`Transfer ${detail.ref}`}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values);
      }, focusFirstError(form))}
      submitLabel="Request transfer"
      pending={mutation.isPending}
      error={error}
      errorTitle="The transfer was not requested"
    >
      <Text size="sm" c="dimmed">
        The case stays yours until the person or someone in the unit accepts it. If they decline, it stays with you.
      </Text>
      {usersForbidden && (
        <Alert color="blue" icon={<IconInfoCircle aria-hidden />} role="note">
          {unitsForbidden
            ? 'Your role cannot look up colleagues or other units. You can offer the case to your own unit or the unit it belongs to; anyone there, usually the team lead, can accept it. To reach another team, ask your team lead.'
            : 'Your role cannot look up colleagues. Offer the case to a unit instead; anyone in it can accept it.'}
        </Alert>
      )}
      {!usersForbidden && (
        <SegmentedControl
          aria-label="Transfer to"
          value={target}
          onChange={(value) => setTarget(value as TransferTarget)}
          data={[
            { value: 'user', label: 'A person' },
            { value: 'unit', label: 'A unit' },
          ]}
        />
      )}
      {target === 'user' && !usersForbidden ? (
        <Select
          label="Person"
          placeholder="Type a name"
          required
          searchable
          data={userOptions}
          searchValue={userSearch}
          onSearchChange={setUserSearch}
          // The server searched already; filtering again would hide "Name (Unit)" matches.
          filter={({ options: items }) => items}
          nothingFoundMessage={users.isFetching ? 'Searching…' : 'Nobody matches'}
          data-autofocus
          {...form.getInputProps('toUserId')}
        />
      ) : (
        <Select
          label="Unit"
          placeholder="Choose a unit"
          required
          searchable
          data={unitOptions}
          nothingFoundMessage="No unit matches"
          data-autofocus={usersForbidden || undefined}
          {...form.getInputProps('toUnitId')}
        />
      )}
      <Textarea label="Reason" required autosize minRows={3} {...form.getInputProps('reason')} />
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * Resolving an FCA complaint after the third business day needs a final response letter first
 * (the API answers 422 naming `letter`); `onWriteFinalResponse` opens that letter with what was
 * written here.
 */
export function ResolveModal({
  detail,
  onClose,
  onWriteFinalResponse,
}: {
  detail: CaseDetail;
  onClose: () => void;
  onWriteFinalResponse?: (draft: LetterDraft) => void;
}) {
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  const [letterNeeded, setLetterNeeded] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      outcome: null as CaseOutcome | null,
      summary: '',
      withRedress: false,
      amount: '' as number | string,
      redressKind: null as RedressKind | null,
    },
    validate: {
      outcome: (value) => (value ? null : 'Choose the outcome'),
      summary: required('Summarise the answer given to the customer'),
      amount: (value, values) => (values.withRedress && !(Number(value) > 0) ? 'Enter an amount above zero' : null),
      redressKind: (value, values) => (values.withRedress && !value ? 'Choose the kind of redress' : null),
    },
  });
  const mutation = useMutation({
    mutationFn: (values: typeof form.values) =>
      resolveCase(detail.id, {
        outcome: values.outcome!,
        summary: values.summary.trim(),
        redress: values.withRedress ? { amount: Number(values.amount), kind: values.redressKind! } : null,
      }),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: `${detail.ref} resolved` });
      onClose();
    },
    onError: (failure) => {
      if (onWriteFinalResponse && isApiError(failure) && fieldErrorsFrom(failure.details).letter) {
        setError(null);
        setLetterNeeded(failure.message);
        return;
      }
      setLetterNeeded(null);
      setError(applyApiError(form, failure, ['outcome', 'summary']));
    },
  });
  const writeFinalResponse = () => {
    const values = form.getValues();
    const amount = Number(values.amount);
    onWriteFinalResponse?.({
      kind: 'final_response',
      fields: {
        ...(values.outcome && { outcome: outcomePhraseOf[values.outcome] ?? '' }),
        ...(values.summary.trim() && { summary: values.summary.trim() }),
        ...(values.withRedress && amount > 0 && {
          // Worded as the API words the redress recorded on a case.
          redress: `We will pay you £${amount.toFixed(2)}${values.redressKind ? ` (${values.redressKind})` : ''}.`,
        }),
      },
    });
  };

  return (
    <ActionForm
      title={`Resolve ${detail.ref}`}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values);
      }, focusFirstError(form))}
      submitLabel="Resolve case"
      pending={mutation.isPending}
      error={error}
      errorTitle="The case was not resolved"
    >
      {letterNeeded && (
        <Alert color="orange" title="Send the final response first" role="alert">
          <Stack gap="xs">
            <Text size="sm">{letterNeeded}</Text>
            <Group>
              <Button size="xs" onClick={writeFinalResponse}>
                Write the final response
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <Select
        label="Outcome"
        required
        data={options(outcomeLabels, caseOutcomes)}
        allowDeselect={false}
        data-autofocus
        {...form.getInputProps('outcome')}
      />
      <Textarea label="Summary" description="What was found and what the customer was told." required autosize minRows={4} {...form.getInputProps('summary')} />
      <Switch label="Redress paid or offered" {...form.getInputProps('withRedress', { type: 'checkbox' })} />
      {form.values.withRedress && (
        <Group grow align="flex-start">
          <NumberInput label="Redress amount" required min={0} decimalScale={2} allowNegative={false} thousandSeparator="," {...form.getInputProps('amount')} />
          <Select label="Kind of redress" required data={options(redressKindLabels, redressKinds)} {...form.getInputProps('redressKind')} />
        </Group>
      )}
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

export function ReopenModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ mode: 'controlled', initialValues: { reason: '' }, validate: { reason: required('Say why the case is reopened') } });
  const mutation = useMutation({
    mutationFn: (reason: string) => reopenCase(detail.id, reason),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: `${detail.ref} reopened` });
      onClose();
    },
    onError: (failure) => setError(applyApiError(form, failure, ['reason'])),
  });
  return (
    <ActionForm
      title={`Reopen ${detail.ref}`}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values.reason.trim());
      }, focusFirstError(form))}
      submitLabel="Reopen case"
      pending={mutation.isPending}
      error={error}
      errorTitle="The case was not reopened"
    >
      <Textarea label="Reason" required autosize minRows={3} data-autofocus {...form.getInputProps('reason')} />
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

export function CloseModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const invalidate = useInvalidateCases();
  const mutation = useMutation({
    mutationFn: () => closeCase(detail.id),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: `${detail.ref} closed` });
      onClose();
    },
  });
  return (
    <ActionForm
      title={`Close ${detail.ref}?`}
      onClose={onClose}
      onSubmit={(event) => {
        event?.preventDefault();
        mutation.mutate();
      }}
      submitLabel="Close case"
      pending={mutation.isPending}
      error={mutation.error?.message ?? null}
      errorTitle="The case was not closed"
    >
      <Text size="sm">
        A closed case takes no more messages or notes. It can be reopened later, with a reason, if the customer comes back.
      </Text>
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

export function EscalateModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: (detail.vulnerable ? 'vulnerable_customer' : 'manual') as ManualEscalationReason, note: '' },
    validate: { note: required('Say what is stuck and what you need') },
  });
  const mutation = useMutation({
    mutationFn: (values: typeof form.values) => escalateCase(detail.id, { reason: values.reason, note: values.note.trim() }),
    onSuccess: async (escalation) => {
      await invalidate();
      notifications.show({ color: 'teal', message: `Escalated to ${escalation.toUserName}, who must acknowledge it` });
      onClose();
    },
    onError: (failure) => setError(applyApiError(form, failure, ['reason', 'note'])),
  });
  return (
    <ActionForm
      title={`Escalate ${detail.ref}`}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values);
      }, focusFirstError(form))}
      submitLabel="Escalate case"
      pending={mutation.isPending}
      error={error}
      errorTitle="The case was not escalated"
    >
      <Text size="sm" c="dimmed">
        The escalation goes to the next person on the unit&apos;s escalation ladder, who must acknowledge it. You keep the case.
      </Text>
      <Select
        label="Reason"
        required
        allowDeselect={false}
        data={manualEscalationReasons.map((value) => ({ value, label: escalationReasonLabels[value] ?? value }))}
        {...form.getInputProps('reason')}
      />
      <Textarea label="Note" description="What is stuck, and what you need from them." required autosize minRows={3} data-autofocus {...form.getInputProps('note')} />
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * A discretion decision: within the person's limit it applies at once (201); beyond it the API
 * raises an approval escalation (202) and the decision waits.
 */
export function DecisionModal({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const { user } = useSession();
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<DecisionResult | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { kind: null as DecisionKind | null, amount: '' as number | string, rationale: '' },
    validate: {
      kind: (value) => (value ? null : 'Choose the kind of decision'),
      amount: (value, values) =>
        values.kind && values.kind !== 'policy_exception' && !(Number(value) > 0) ? 'Enter the amount' : value !== '' && !(Number(value) > 0) ? 'Enter an amount above zero' : null,
      rationale: required('Explain why; the rationale is kept with the decision'),
    },
  });
  const mutation = useMutation({
    mutationFn: (values: typeof form.values) =>
      recordDecision(detail.id, {
        kind: values.kind!,
        amount: values.amount === '' ? null : Number(values.amount),
        rationale: values.rationale.trim(),
      }),
    onSuccess: async (answer) => {
      await invalidate();
      if (!answer.escalationId) {
        notifications.show({ color: 'teal', message: 'Decision recorded and applied' });
        onClose();
      } else setResult(answer);
    },
    onError: (failure) => setError(applyApiError(form, failure, ['kind', 'amount', 'rationale'])),
  });

  if (result) {
    return (
      <Modal opened onClose={onClose} title="Sent for approval">
        <Stack>
          <Alert color="blue" icon={<IconInfoCircle aria-hidden />} title="The decision went for approval" role="status">
            It is beyond what you may decide alone, so it was escalated to someone who can approve it. It applies once they approve; you will see
            the answer in the case timeline.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <ActionForm
      title={`Discretion decision on ${detail.ref}`}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values);
      }, focusFirstError(form))}
      submitLabel="Record decision"
      pending={mutation.isPending}
      error={error}
      errorTitle="The decision was not recorded"
    >
      <Text size="sm" c="dimmed">
        {user.discretionLimit === null || user.discretionLimit === 0
          ? 'You have no discretion limit: every decision with an amount goes for approval.'
          : `You may decide up to ${formatAmount(user.discretionLimit)} alone. Above that, or a policy exception, it goes for approval.`}
      </Text>
      <Select
        label="Decision"
        required
        data={options(decisionKindLabels, decisionKinds)}
        allowDeselect={false}
        data-autofocus
        {...form.getInputProps('kind')}
      />
      <NumberInput label="Amount" min={0} decimalScale={2} allowNegative={false} thousandSeparator="," {...form.getInputProps('amount')} />
      <Textarea label="Rationale" required autosize minRows={3} {...form.getInputProps('rationale')} />
    </ActionForm>
  );
}

// ---------------------------------------------------------------------------------------------

/** Declining needs a reason: the sender reads it and keeps the case. */
export function DeclineTransferModal({ transferId, caseRef, onClose }: { transferId: string; caseRef?: string; onClose: () => void }) {
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ mode: 'controlled', initialValues: { reason: '' }, validate: { reason: required('Say why you decline') } });
  const mutation = useMutation({
    mutationFn: (reason: string) => declineTransfer(transferId, reason),
    onSuccess: async () => {
      await invalidate();
      notifications.show({ color: 'teal', message: 'Transfer declined; the sender keeps the case' });
      onClose();
    },
    onError: (failure) => setError(applyApiError(form, failure, ['reason'])),
  });
  return (
    <ActionForm
      title={caseRef ? `Decline the transfer of ${caseRef}` : 'Decline the transfer'}
      onClose={onClose}
      onSubmit={form.onSubmit((values) => {
        setError(null);
        mutation.mutate(values.reason.trim());
      }, focusFirstError(form))}
      submitLabel="Decline transfer"
      pending={mutation.isPending}
      error={error}
      errorTitle="The transfer was not declined"
      danger
    >
      <Textarea label="Reason" required autosize minRows={3} data-autofocus {...form.getInputProps('reason')} />
    </ActionForm>
  );
}
