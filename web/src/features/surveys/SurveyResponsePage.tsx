import { Alert, Box, Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { TableSkeleton } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';
import { PortalLayout, usePortalTitle } from '../portal/PortalLayout';
import { type Answers, focusQuestion, isEmptyAnswer as isEmpty, isShown, QuestionField } from './SurveyQuestionField';
import { languageName, stringsFor } from './survey-strings';
import { fetchPublicSurvey, publicSurveyKey, saveDraft, submitAnswers, type AnswerValue } from './surveys.api';

/**
 * `/s/:token`: the page a survey invitation links to. Public (no account), one question after
 * another, phone first: every scale is a radio group, so it works with a keyboard and a screen
 * reader, and every error sits on its question. Answers are saved as the respondent goes (on the
 * server for a personal link, in the browser for an anonymous one) and restored when the link is
 * opened again; the page is in the survey's languages, the browser's by default.
 */

const localDraftKey = (token: string) => `trustdesk:survey-draft:${token}`;

/** The answers worth keeping: empty ones dropped, texts as typed. */
function nonEmpty(answers: Answers): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {};
  for (const [id, value] of Object.entries(answers)) if (!isEmpty(value)) out[id] = value!;
  return out;
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
  const [searchParams, setSearchParams] = useSearchParams();
  const requestedLang = searchParams.get('lang') ?? undefined;
  const query = useQuery({
    queryKey: [...publicSurveyKey(token), requestedLang ?? ''],
    queryFn: ({ signal }) => fetchPublicSurvey(token, requestedLang, signal),
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
    placeholderData: keepPreviousData,
  });
  const [answers, setAnswers] = useState<Answers>({});
  const [draftState, setDraftState] = useState<'idle' | 'saving' | 'saved' | 'local'>('idle');
  const restored = useRef(false);
  const touched = useRef(false);
  const lang = query.data?.lang ?? 'en';
  const t = stringsFor(lang);
  const canSaveDraft = query.data?.canSaveDraft ?? false;

  // Restore the answers so far once, when the survey first loads (not on a language switch).
  useEffect(() => {
    if (!query.data || restored.current) return;
    restored.current = true;
    let saved: Answers | null = query.data.draft;
    if (!query.data.canSaveDraft) {
      try {
        saved = JSON.parse(window.localStorage.getItem(localDraftKey(token)) ?? 'null') as Answers | null;
      } catch {
        saved = null;
      }
    }
    if (saved && typeof saved === 'object') setAnswers(saved);
  }, [query.data, token]);

  // The page speaks the survey's language to screen readers too.
  useEffect(() => {
    const previous = document.documentElement.lang;
    document.documentElement.lang = lang;
    return () => {
      document.documentElement.lang = previous;
    };
  }, [lang]);

  // Save as they go, a moment after the last change.
  useEffect(() => {
    if (!touched.current) return;
    const kept = nonEmpty(answers);
    if (!canSaveDraft) {
      try {
        window.localStorage.setItem(localDraftKey(token), JSON.stringify(kept));
        setDraftState('local');
      } catch {
        /* private browsing: nothing kept, the answers are still on the page */
      }
      return;
    }
    setDraftState('saving');
    const timer = window.setTimeout(() => {
      saveDraft(token, kept).then(
        () => setDraftState('saved'),
        () => setDraftState('idle'),
      );
    }, 600);
    return () => window.clearTimeout(timer);
  }, [answers, canSaveDraft, token]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<'sent' | 'already' | null>(null);
  const organisation = query.data?.organisation.name;

  const questions = query.data?.questions ?? [];
  const visible = questions.filter((q) => isShown(q, answers));

  const mutation = useMutation({
    mutationFn: (payload: Record<string, AnswerValue>) => submitAnswers(token, payload),
    onSuccess: () => {
      setDone('sent');
      try {
        window.localStorage.removeItem(localDraftKey(token));
      } catch {
        /* nothing kept */
      }
    },
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
      ? t.thanksTitle
      : done === 'already' || query.data?.answered
        ? t.alreadyTitle
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
        <Message title={t.thanksTitle}>
          <Text>{t.thanksBody(organisation ?? 'our team')}</Text>
        </Message>
      </PortalLayout>
    );
  }

  if (done === 'already' || query.data.answered) {
    return (
      <PortalLayout organisation={organisation}>
        <Message title={t.alreadyTitle}>
          <Text>{t.alreadyBody}</Text>
        </Message>
      </PortalLayout>
    );
  }

  const setAnswer = (id: string, value: AnswerValue | undefined) => {
    touched.current = true;
    setAnswers((current) => ({ ...current, [id]: value }));
    setErrors((current) => (current[id] ? { ...current, [id]: '' } : current));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const missing: Record<string, string> = {};
    for (const q of visible) if (q.required && isEmpty(answers[q.id])) missing[q.id] = t.required;
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
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
            <Title order={1} size="h2">
              {query.data.name}
            </Title>
            {query.data.languages.length > 1 && (
              <Select
                label={t.language}
                size="sm"
                w={160}
                allowDeselect={false}
                value={lang}
                data={query.data.languages.map((code) => ({ value: code, label: languageName(code) }))}
                onChange={(next) => {
                  if (!next) return;
                  const params = new URLSearchParams(searchParams);
                  params.set('lang', next);
                  setSearchParams(params, { replace: true });
                }}
              />
            )}
          </Group>
          <Text mt="xs">{t.intro}</Text>
        </div>
        <form onSubmit={submit} noValidate aria-label={query.data.name}>
          <Stack gap="xl">
            {visible.map((question) => (
              <QuestionField
                key={question.id}
                question={question}
                value={answers[question.id]}
                error={errors[question.id] || undefined}
                strings={t}
                onChange={(value) => setAnswer(question.id, value)}
              />
            ))}
            {formError && (
              <Alert color="red" title={t.notSent} role="alert">
                {formError}
              </Alert>
            )}
            <Box>
              <Button type="submit" size="md" loading={mutation.isPending} w={{ base: '100%', xs: 'auto' }}>
                {t.send}
              </Button>
              <Text size="sm" c="dimmed" mt="xs" role="status" aria-live="polite">
                {draftState === 'saving' ? t.saving : draftState === 'saved' ? t.saved : draftState === 'local' ? t.savedLocally : ''}
              </Text>
            </Box>
          </Stack>
        </form>
      </Stack>
    </PortalLayout>
  );
}
