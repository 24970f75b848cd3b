import { Alert, Blockquote, Button, Fieldset, Group, Modal, Radio, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';
import {
  decisionsQueryKey,
  escalationsQueryKey,
  lessonsQueryKey,
  resolveEscalation,
  type Escalation,
  type FailureType,
  type ResolveEscalationInput,
} from './escalations.api';
import { failureTypeLabels, optionsFrom, reasonLabels, rootCauses } from './labels';

interface ResolveValues {
  resolution: string;
  rootCause: string | null;
  failureType: FailureType | null;
  processChange: string;
  decision: '' | 'approve' | 'reject';
}

type Field = keyof ResolveValues;

/** Where each path the API names lands in this form ("lesson" alone means the lesson is missing). */
const fieldsForPath: Record<string, Field[]> = {
  resolution: ['resolution'],
  lesson: ['rootCause', 'processChange'],
  'lesson.rootCause': ['rootCause'],
  'lesson.failureType': ['failureType'],
  'lesson.processChange': ['processChange'],
  decision: ['decision'],
};

/** The API's messages are written for developers ("Too small: expected string…"); people get these. */
const messageFor: Record<Field, string> = {
  resolution: 'Describe how the escalation was resolved',
  rootCause: 'Choose the root cause from the list',
  failureType: 'Choose a failure type from the list',
  processChange: 'Describe the process change that stops this happening again',
  decision: 'Approve or reject the decision',
};

const rootCauseOptions = rootCauses.map((cause) => ({ value: cause, label: cause }));
const failureTypeOptions = optionsFrom(failureTypeLabels);

export function ResolveEscalationModal({ escalation, onClose }: { escalation: Escalation; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const needsDecision = Boolean(escalation.decisionId);

  const form = useForm<ResolveValues>({
    mode: 'controlled',
    initialValues: { resolution: '', rootCause: null, failureType: null, processChange: '', decision: '' },
    // The lesson rule (and the taxonomy) belong to the server, which answers 422 with the fields
    // to fix; the form checks only what it must send at all.
    validate: {
      resolution: (value) => (value.trim() ? null : messageFor.resolution),
      decision: (value) => (needsDecision && !value ? messageFor.decision : null),
    },
  });

  const decisionRef = useRef<HTMLDivElement>(null);
  const focusField = (field: Field | undefined) => {
    if (field === 'decision') decisionRef.current?.querySelector('input')?.focus();
    else if (field) (form.getInputNode(field) as HTMLElement | null)?.focus();
  };

  const mutation = useMutation({
    mutationFn: (values: ResolveValues) => {
      const hasLesson = Boolean(values.rootCause || values.processChange.trim() || values.failureType);
      const input: ResolveEscalationInput = {
        resolution: values.resolution.trim(),
        ...(hasLesson && {
          lesson: {
            rootCause: values.rootCause ?? '',
            processChange: values.processChange.trim(),
            ...(values.failureType && { failureType: values.failureType }),
          },
        }),
        ...(needsDecision && values.decision && { decision: values.decision }),
      };
      return resolveEscalation(escalation.id, input);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: escalationsQueryKey });
      void queryClient.invalidateQueries({ queryKey: lessonsQueryKey });
      void queryClient.invalidateQueries({ queryKey: decisionsQueryKey });
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
      notifications.show({
        color: 'teal',
        message: `Escalation on ${escalation.caseRef} resolved; its lesson is in the improvement backlog.`,
      });
      onClose();
    },
    onError: (error) => {
      if (!isApiError(error)) {
        setFormError('Something went wrong. Please try again.');
        return;
      }
      const placed: Field[] = [];
      let unplaced = false;
      for (const path of Object.keys(fieldErrorsFrom(error.details))) {
        const fields = fieldsForPath[path];
        if (!fields) {
          unplaced = true;
          continue;
        }
        for (const field of fields) {
          form.setFieldError(field, messageFor[field]);
          placed.push(field);
        }
      }
      // A rule the server explains (the lesson, the taxonomy, a conflict) is worth reading in full.
      setFormError(placed.length === 0 || unplaced || error.status !== 400 ? error.message : null);
      focusField(placed[0]);
    },
  });

  return (
    <Modal opened onClose={onClose} title={`Resolve escalation on ${escalation.caseRef}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit(
          (values) => {
            setFormError(null);
            mutation.mutate(values);
          },
          (errors) => focusField((Object.keys(errors) as Field[]).find((field) => errors[field])),
        )}
      >
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={600}>
              {reasonLabels[escalation.reason] ?? escalation.reason}: {escalation.caseSubject}
            </Text>
            {escalation.note && (
              <Blockquote p="xs" mt={4} fz="sm" color="gray">
                {escalation.note}
              </Blockquote>
            )}
          </div>
          {formError && (
            <Alert color="red" title="Could not resolve" role="alert">
              {formError}
            </Alert>
          )}
          <Textarea
            label="Resolution"
            description="What you did about it. The case history keeps this."
            required
            autosize
            minRows={3}
            maxLength={5000}
            data-autofocus
            {...form.getInputProps('resolution')}
          />
          {needsDecision && (
            <Radio.Group
              ref={decisionRef}
              label="Decision"
              description="This escalation asks you to approve a discretion decision beyond its author's limit."
              required
              {...form.getInputProps('decision')}
            >
              <Group mt="xs">
                <Radio value="approve" label="Approve" />
                <Radio value="reject" label="Reject" />
              </Group>
            </Radio.Group>
          )}
          <Fieldset legend="Lesson" variant="filled">
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                Every escalated exception closes with a lesson: why it happened and what changes so it does not happen again. It
                goes to the improvement backlog.
              </Text>
              <Select
                label="Root cause"
                placeholder="Choose a root cause"
                required
                data={rootCauseOptions}
                {...form.getInputProps('rootCause')}
              />
              <Select
                label="Failure type"
                description="What failed. If you leave it empty it is recorded as process."
                placeholder="Choose a failure type"
                data={failureTypeOptions}
                clearable
                {...form.getInputProps('failureType')}
              />
              <Textarea
                label="Process change"
                description="The change to policy, process, systems or training that stops this happening again."
                required
                autosize
                minRows={3}
                maxLength={5000}
                {...form.getInputProps('processChange')}
              />
            </Stack>
          </Fieldset>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Resolve escalation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
