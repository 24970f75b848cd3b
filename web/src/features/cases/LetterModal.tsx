import {
  Alert, Anchor, Box, Button, Divider, Group, List, Mark, Modal, Paper, Select, Stack, Text, TextInput, Textarea, Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useId, useMemo, useState } from 'react';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom, focusFirstError } from '../../lib/form-errors';
import { formatAmount, labelOf, redressKindLabels } from './case-labels';
import { useInvalidateCases } from './case-mutations';
import type { CaseDetail } from './cases.api';
import {
  formatLetterDate, letterFieldLabel, letterKindDescriptions, letterKindLabels, letterKinds, outcomePhraseOf, outcomePhrases, previewLetter,
  sendLetter, senderFields, splitPlaceholders, type LetterDraft, type LetterFields, type LetterKind,
} from './letters.api';

/** What the sender writes; every other field of a letter comes from the case. */
interface SenderValues {
  outcome: string | null;
  summary: string;
  redress: string;
  reasons: string;
  /** YYYY-MM-DD from the date input; the letter reads it as "Friday 8 May 2026". */
  expectedDate: string;
}
type SenderField = keyof SenderValues;

interface LetterValues {
  kind: LetterKind | null;
  fields: SenderValues;
}

const isSenderField = (name: string): name is SenderField => ['outcome', 'summary', 'redress', 'reasons', 'expectedDate'].includes(name);

/** The {{field}} values to send: what the sender wrote (empty ones left to the case) and any extra field the template needs. */
function fieldsToSend(kind: LetterKind | null, values: SenderValues, extraNames: readonly string[], extras: Record<string, string>): LetterFields {
  const fields: LetterFields = {};
  if (!kind) return fields;
  for (const name of senderFields[kind]) {
    if (!isSenderField(name)) continue;
    const raw = (values[name] ?? '').trim();
    const value = name === 'expectedDate' && raw ? formatLetterDate(raw) : raw;
    if (value) fields[name] = value;
  }
  for (const name of extraNames) {
    const value = extras[name]?.trim();
    if (value) fields[name] = value;
  }
  return fields;
}

/** The letter as it will read; placeholders still to fill are marked. */
function LetterText({ text }: { text: string }) {
  return (
    <>
      {splitPlaceholders(text).map((part, index) =>
        part.field ? (
          <Mark key={index} color="yellow">
            {part.text}
          </Mark>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

const today = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

/**
 * A letter to the customer from the organisation's templates (acknowledgement, summary
 * resolution, holding response, final response): the sender chooses the letter, writes what only
 * they know, reads the preview and sends it. Sending meets the clock the letter answers.
 */
export function LetterModal({ detail, initial, onClose }: { detail: CaseDetail; initial?: LetterDraft; onClose: () => void }) {
  const id = useId();
  const invalidate = useInvalidateCases();
  const [error, setError] = useState<string | null>(null);
  // Fields a (custom) template needs that have no input of their own: asked for as they turn up.
  const [extraNames, setExtraNames] = useState<string[]>([]);
  const [extras, setExtras] = useState<Record<string, string>>({});
  const resolved = detail.status === 'resolved' || detail.status === 'closed';

  const form = useForm<LetterValues>({
    mode: 'controlled',
    initialValues: {
      kind: initial?.kind ?? null,
      fields: {
        // What the case already says, so the sender sees the words the letter will use.
        outcome: initial?.fields?.outcome ?? (resolved && detail.outcome ? (outcomePhraseOf[detail.outcome] ?? null) : null),
        summary: initial?.fields?.summary ?? (resolved ? (detail.resolutionSummary ?? '') : ''),
        redress: initial?.fields?.redress ?? '',
        reasons: initial?.fields?.reasons ?? '',
        expectedDate: '',
      },
    },
    validate: { kind: (value) => (value ? null : 'Choose the letter to send') },
  });
  const { kind } = form.values;

  const kindOptions = useMemo(
    () =>
      letterKinds
        // A summary resolution belongs to the fca-disp rules only (the API refuses it elsewhere).
        .filter((value) => value !== 'summary_resolution' || detail.policy === 'fca-disp')
        .map((value) => ({
          value,
          label: value === 'summary_resolution' ? 'Summary resolution (resolved within 3 business days)' : letterKindLabels[value],
        })),
    [detail.policy],
  );

  const fields = fieldsToSend(kind, form.values.fields, extraNames, extras);
  const requestKey = JSON.stringify({ kind, fields });
  const [debouncedKey] = useDebouncedValue(requestKey, 400);
  const request = JSON.parse(debouncedKey) as { kind: LetterKind | null; fields: LetterFields };

  const preview = useQuery({
    queryKey: ['letter-preview', detail.id, debouncedKey],
    queryFn: ({ signal }) => previewLetter(detail.id, request.kind!, request.fields, signal),
    enabled: request.kind !== null,
    // While the next preview loads, keep the last one of the same letter on screen.
    placeholderData: (previous) => (previous?.kind === request.kind ? previous : undefined),
    staleTime: 30_000,
  });
  const current = preview.data?.kind === kind ? preview.data : undefined;

  useEffect(() => {
    if (!current || !kind) return;
    const unasked = current.missing.filter((name) => !(senderFields[kind] as readonly string[]).includes(name));
    if (unasked.length > 0) setExtraNames((names) => [...names, ...unasked.filter((name) => !names.includes(name))]);
  }, [current, kind]);

  // What is still empty now (the preview may be a keystroke behind).
  const stillMissing = (current?.missing ?? []).filter((name) => !fields[name]);
  const blocked = stillMissing.length > 0;

  const inputId = (name: string) => `${id}-${name.replaceAll('.', '-')}`;
  const focusField = (name: string) => document.getElementById(inputId(name))?.focus();

  const mutation = useMutation({
    mutationFn: (values: { kind: LetterKind; fields: LetterFields }) => sendLetter(detail.id, values.kind, values.fields),
    onSuccess: async (sent) => {
      await invalidate();
      const label = letterKindLabels[sent.kind] ?? 'Letter';
      const active = detail.status === 'open' || detail.status === 'waiting_customer';
      notifications.show({
        color: 'teal',
        message:
          (detail.customer.email
            ? `${label} letter sent to ${detail.customer.name} at ${detail.customer.email}`
            : `${label} letter sent: ${detail.customer.name} sees it on their status page (no e-mail address on the case)`) +
          (sent.kind === 'final_response' && active ? '. You can now resolve the case.' : ''),
      });
      onClose();
    },
    onError: (failure) => {
      if (!isApiError(failure)) {
        setError('Something went wrong. Please try again.');
        return;
      }
      // 422 names each unfilled field as fields.<name>: the message goes next to its input.
      const own: readonly string[] = kind ? senderFields[kind] : [];
      const shown = [...own, ...extraNames];
      let unplaced = 0;
      let first: string | null = null;
      for (const [path, message] of Object.entries(fieldErrorsFrom(failure.details))) {
        const name = path.replace(/^fields\./, '');
        if (!path.startsWith('fields.') || !shown.includes(name)) {
          unplaced += 1;
          continue;
        }
        const text = /^not filled$/i.test(message) ? `Fill in ${letterFieldLabel(name).toLowerCase()}` : message;
        if (own.includes(name) && isSenderField(name)) form.setFieldError(`fields.${name}`, text);
        else form.setFieldError(`extra.${name}` as never, text);
        first ??= name;
      }
      setError(first && unplaced === 0 ? null : failure.message);
      if (first) focusField(first);
    },
  });

  const extraError = (name: string) => form.errors[`extra.${name}`] as string | undefined;
  const reasonId = `${id}-blocked`;

  return (
    <Modal opened onClose={onClose} title="Send a letter" size="xl">
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setError(null);
          mutation.mutate({ kind: values.kind!, fields: fieldsToSend(values.kind, values.fields, extraNames, extras) });
        }, focusFirstError(form))}
      >
        <Stack gap="sm">
          {error && (
            <Alert color="red" title="The letter was not sent" role="alert">
              {error}
            </Alert>
          )}
          <Select
            label="Letter"
            placeholder="Choose a letter"
            required
            allowDeselect={false}
            data={kindOptions}
            description={kind ? letterKindDescriptions[kind] : `To ${detail.customer.name}, about ${detail.ref}.`}
            data-autofocus
            {...form.getInputProps('kind')}
            onChange={(value) => {
              form.setFieldValue('kind', value as LetterKind | null);
              form.clearErrors();
              setExtraNames([]);
              setError(null);
            }}
          />

          {kind === 'final_response' && (
            <Select
              id={inputId('outcome')}
              label="Outcome"
              description="Completes “Our decision: …”."
              placeholder="Choose the decision"
              data={[...outcomePhrases]}
              {...form.getInputProps('fields.outcome')}
            />
          )}
          {(kind === 'final_response' || kind === 'summary_resolution') && (
            <>
              <Textarea
                id={inputId('summary')}
                label="Summary"
                description="What we found and what we are doing about it, in plain words."
                autosize
                minRows={4}
                maxRows={14}
                {...form.getInputProps('fields.summary')}
              />
              <TextInput
                id={inputId('redress')}
                label="Redress (optional)"
                description={
                  detail.redress
                    ? `Leave empty to use the redress recorded on the case (${labelOf(redressKindLabels, detail.redress.kind)} of ${formatAmount(detail.redress.amount)}).`
                    : 'A sentence such as “We will refund the £25 fee to your account.” Leave empty if there is none.'
                }
                {...form.getInputProps('fields.redress')}
              />
            </>
          )}
          {kind === 'holding' && (
            <>
              <Textarea
                id={inputId('reasons')}
                label="Reasons for the delay"
                description="Completes “This is because …”."
                autosize
                minRows={3}
                maxRows={10}
                {...form.getInputProps('fields.reasons')}
              />
              <TextInput
                id={inputId('expectedDate')}
                type="date"
                label="Expected date"
                description={
                  form.values.fields.expectedDate
                    ? `The letter says: ${formatLetterDate(form.values.fields.expectedDate)}.`
                    : 'When you expect to send the final response.'
                }
                min={today()}
                {...form.getInputProps('fields.expectedDate')}
              />
            </>
          )}
          {kind &&
            extraNames.map((name) => (
              <TextInput
                key={name}
                id={inputId(name)}
                label={letterFieldLabel(name)}
                description={`The template uses {{${name}}} and the case does not fill it.`}
                value={extras[name] ?? ''}
                error={extraError(name)}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setExtras((current) => ({ ...current, [name]: value }));
                  form.clearFieldError(`extra.${name}` as never);
                }}
              />
            ))}

          {!detail.customer.email && kind && (
            <Alert color="blue" icon={<IconInfoCircle aria-hidden />} role="note">
              There is no e-mail address on the case: the customer sees the letter on their status page, nothing is e-mailed.
            </Alert>
          )}

          {kind && (
            <Box component="section" aria-labelledby={`${id}-preview`}>
              <Group justify="space-between" mb={4}>
                <Title order={3} size="h5" id={`${id}-preview`}>
                  Preview
                </Title>
                {(preview.isFetching || debouncedKey !== requestKey) && (
                  <Text size="xs" c="dimmed">
                    Updating…
                  </Text>
                )}
              </Group>
              {preview.isError && !current ? (
                <Alert color="red" title="The preview could not be made" role="alert">
                  {preview.error.message}
                </Alert>
              ) : !current ? (
                <Text size="sm" c="dimmed" role="status">
                  Preparing the preview…
                </Text>
              ) : (
                <Paper withBorder p="md" bg="gray.0" data-testid="letter-preview">
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    <Text span fw={600}>
                      Subject:
                    </Text>{' '}
                    <LetterText text={current.subject} />
                  </Text>
                  <Divider my="sm" />
                  <Text size="sm" lh={1.6} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    <LetterText text={current.body} />
                  </Text>
                </Paper>
              )}
            </Box>
          )}

          {blocked && (
            <div>
              <Text size="sm" fw={600} id={`${id}-missing`}>
                Still to fill:
              </Text>
              <List size="sm" aria-labelledby={`${id}-missing`}>
                {stillMissing.map((name) => (
                  <List.Item key={name}>
                    {/* Each one has an input: the letter's own, or one added for the template's extra field. */}
                    <Anchor component="button" type="button" size="sm" onClick={() => focusField(name)}>
                      {letterFieldLabel(name)}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            </div>
          )}

          <Group justify="flex-end" mt="sm" align="center">
            {blocked && (
              <Text size="sm" c="orange.9" id={reasonId} mr="auto">
                The letter can be sent once everything under “Still to fill” is filled in.
              </Text>
            )}
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={blocked} aria-describedby={blocked ? reasonId : undefined}>
              Send this letter
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
