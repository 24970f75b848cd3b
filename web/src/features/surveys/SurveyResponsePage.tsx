import { Alert, Box, Button, Checkbox, Group, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { TableSkeleton } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';
import { PortalLayout, usePortalTitle } from '../portal/PortalLayout';
import { fetchPublicSurvey, publicSurveyKey, submitAnswers, type AnswerValue, type PublicQuestion } from './surveys.api';

/**
 * `/s/:token`: the page a survey invitation links to. Public (no account), one question after
 * another, phone first: every scale is a radio group, so it works with a keyboard and a screen
 * reader, and every error sits on its question.
 */

type Answers = Record<string, AnswerValue | undefined>;

const scaleOf: Partial<Record<PublicQuestion['kind'], { from: number; to: number; low: string; high: string }>> = {
  care: { from: 0, to: 10, low: '0 = not at all', high: '10 = completely' },
  propensity: { from: 0, to: 10, low: '0 = not at all', high: '10 = completely' },
  nps: { from: 0, to: 10, low: '0 = not at all', high: '10 = completely' },
  csat: { from: 1, to: 5, low: '1 = very dissatisfied', high: '5 = very satisfied' },
  ces: { from: 1, to: 7, low: '1 = very difficult', high: '7 = very easy' },
};

const isEmpty = (value: AnswerValue | undefined) =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Skip logic, as the server reads it: ask only when the earlier answer is one of `anyOf`. */
function isShown(question: PublicQuestion, answers: Answers): boolean {
  if (!question.showIf) return true;
  const given = answers[question.showIf.questionId];
  return question.showIf.anyOf.some((v) => v === given || (Array.isArray(given) && given.includes(String(v))));
}

const fieldId = (id: string) => `survey-question-${id}`;

function focusQuestion(id: string) {
  const box = document.getElementById(fieldId(id));
  const input = box?.querySelector<HTMLElement>('input:checked, input, textarea');
  (input ?? box)?.focus();
}

function QuestionField({
  question,
  value,
  error,
  onChange,
}: {
  question: PublicQuestion;
  value: AnswerValue | undefined;
  error?: string;
  onChange: (value: AnswerValue | undefined) => void;
}) {
  const scale = scaleOf[question.kind];
  if (scale) {
    const values = Array.from({ length: scale.to - scale.from + 1 }, (_, index) => scale.from + index);
    return (
      <Radio.Group
        id={fieldId(question.id)}
        label={question.text}
        description={`${scale.low}, ${scale.high}`}
        required={question.required}
        error={error}
        value={typeof value === 'number' ? String(value) : ''}
        onChange={(next) => onChange(next === '' ? undefined : Number(next))}
      >
        <Group gap="xs" mt="xs" wrap="wrap">
          {values.map((n) => (
            <Radio key={n} value={String(n)} label={String(n)} size="md" />
          ))}
        </Group>
      </Radio.Group>
    );
  }
  if (question.kind === 'single') {
    return (
      <Radio.Group
        id={fieldId(question.id)}
        label={question.text}
        required={question.required}
        error={error}
        value={typeof value === 'string' ? value : ''}
        onChange={(next) => onChange(next === '' ? undefined : next)}
      >
        <Stack gap="xs" mt="xs">
          {(question.options ?? []).map((option) => (
            <Radio key={option.value} value={option.value} label={option.text} size="md" />
          ))}
        </Stack>
      </Radio.Group>
    );
  }
  if (question.kind === 'multi') {
    return (
      <Checkbox.Group
        id={fieldId(question.id)}
        label={question.text}
        description="Choose all that apply"
        required={question.required}
        error={error}
        value={Array.isArray(value) ? value : []}
        onChange={(next) => onChange(next)}
      >
        <Stack gap="xs" mt="xs">
          {(question.options ?? []).map((option) => (
            <Checkbox key={option.value} value={option.value} label={option.text} size="md" />
          ))}
        </Stack>
      </Checkbox.Group>
    );
  }
  return (
    <Box id={fieldId(question.id)}>
      <Textarea
        label={question.text}
        required={question.required}
        error={error}
        autosize
        minRows={3}
        maxLength={5000}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    </Box>
  );
}

function Message({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Stack gap="sm">
      <Title order={1} size="h2" ref={heading} tabIndex={-1}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

export function SurveyResponsePage() {
  const { token = '' } = useParams();
  const query = useQuery({
    queryKey: publicSurveyKey(token),
    queryFn: ({ signal }) => fetchPublicSurvey(token, signal),
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
  });
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<'sent' | 'already' | null>(null);
  const organisation = query.data?.organisation.name;

  const questions = query.data?.questions ?? [];
  const visible = questions.filter((q) => isShown(q, answers));

  const mutation = useMutation({
    mutationFn: (payload: Record<string, AnswerValue>) => submitAnswers(token, payload),
    onSuccess: () => setDone('sent'),
    onError: (error) => {
      if (isApiError(error) && error.status === 409) return setDone('already');
      if (isApiError(error) && error.status === 422) {
        const byPath = fieldErrorsFrom(error.details);
        const next: Record<string, string> = {};
        for (const [path, message] of Object.entries(byPath)) {
          if (path.startsWith('answers.')) next[path.slice('answers.'.length)] = message;
        }
        const first = visible.find((q) => next[q.id]);
        if (first) {
          setErrors(next);
          requestAnimationFrame(() => focusQuestion(first.id));
          return;
        }
        return setFormError(error.message);
      }
      if (isApiError(error) && error.status === 404) {
        return setFormError('This link does not work any more, so your answers were not sent.');
      }
      if (isApiError(error) && error.status === 0) return setFormError(`${error.message} Your answers are still here.`);
      setFormError('Sorry, something went wrong and your answers were not sent. They are still here: please try again in a few minutes.');
    },
  });

  const gone = isApiError(query.error) && query.error.status === 404;
  usePortalTitle(
    done === 'sent'
      ? 'Thank you'
      : done === 'already' || query.data?.answered
        ? 'Already answered'
        : gone
          ? 'This link does not work any more'
          : (query.data?.name ?? 'Survey'),
    organisation,
  );

  if (query.isPending) {
    return (
      <PortalLayout>
        <TableSkeleton rows={4} label="Loading the survey" />
      </PortalLayout>
    );
  }

  if (query.isError) {
    return (
      <PortalLayout>
        {gone ? (
          <Message title="This link does not work any more">
            <Text>The survey may have closed, or the link may be incomplete. You do not need to do anything else.</Text>
          </Message>
        ) : (
          <Message title="We could not load the survey">
            <Text>Please try again in a few minutes.</Text>
            <Box>
              <Button variant="light" onClick={() => void query.refetch()}>
                Try again
              </Button>
            </Box>
          </Message>
        )}
      </PortalLayout>
    );
  }

  if (done === 'sent') {
    return (
      <PortalLayout organisation={organisation}>
        <Message title="Thank you — your answers help us">
          <Text>
            Your answers help us understand how we are doing and what to improve. If something went wrong for you, someone
            from {organisation ?? 'our team'} may contact you to put it right.
          </Text>
        </Message>
      </PortalLayout>
    );
  }

  if (done === 'already' || query.data.answered) {
    return (
      <PortalLayout organisation={organisation}>
        <Message title="You have already answered this survey. Thank you.">
          <Text>Each link can be used once, so there is nothing more to do.</Text>
        </Message>
      </PortalLayout>
    );
  }

  const setAnswer = (id: string, value: AnswerValue | undefined) => {
    setAnswers((current) => ({ ...current, [id]: value }));
    setErrors((current) => (current[id] ? { ...current, [id]: '' } : current));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const missing: Record<string, string> = {};
    for (const q of visible) if (q.required && isEmpty(answers[q.id])) missing[q.id] = 'Please answer this question';
    const first = visible.find((q) => missing[q.id]);
    if (first) {
      setErrors(missing);
      focusQuestion(first.id);
      return;
    }
    setErrors({});
    const payload: Record<string, AnswerValue> = {};
    for (const q of visible) {
      const value = answers[q.id];
      if (isEmpty(value)) continue;
      payload[q.id] = typeof value === 'string' ? value.trim() : value!;
      if (payload[q.id] === '') delete payload[q.id];
    }
    mutation.mutate(payload);
  };

  return (
    <PortalLayout organisation={organisation}>
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">
            {query.data.name}
          </Title>
          <Text mt="xs">
            It takes about two minutes. Questions marked with an asterisk (*) need an answer; the others are optional.
          </Text>
        </div>
        <form onSubmit={submit} noValidate aria-label={query.data.name}>
          <Stack gap="xl">
            {visible.map((question) => (
              <QuestionField
                key={question.id}
                question={question}
                value={answers[question.id]}
                error={errors[question.id] || undefined}
                onChange={(value) => setAnswer(question.id, value)}
              />
            ))}
            {formError && (
              <Alert color="red" title="Your answers have not been sent" role="alert">
                {formError}
              </Alert>
            )}
            <Box>
              <Button type="submit" size="md" loading={mutation.isPending} w={{ base: '100%', xs: 'auto' }}>
                Send my answers
              </Button>
            </Box>
          </Stack>
        </form>
      </Stack>
    </PortalLayout>
  );
}
