import {
  ActionIcon, Alert, Anchor, Badge, Button, Card, Grid, Group, MultiSelect, NumberInput, Select, Stack, Switch, Text, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { isApiError } from '../../lib/api';
import { fieldErrorsFrom } from '../../lib/form-errors';
import { usePageTitle } from '../../lib/use-page-title';
import { useSession } from '../auth/session';
import { type Answers, isShown, QuestionField } from './SurveyQuestionField';
import { languageName, stringsFor } from './survey-strings';
import { canManageSurveys } from './SurveysPage';
import {
  audienceLabels, defaultSettings, fetchSurvey, kindLabels, saveSurvey, statusLabels, surveyQueryKey, surveysQueryKey, touchpointLabels,
  type AnswerValue, type PublicQuestion, type QuestionKind, type SurveyAudience, type SurveyInput, type SurveyQuestion, type SurveySettings, type SurveyStatus,
} from './surveys.api';

/**
 * The survey builder: questions of every kind, in several languages, with options and simple
 * skip logic; the survey's settings; and beside them a live preview drawn with the response page's
 * own components, in any of the survey's languages. Saving a live survey makes a new version.
 */

const scaleValues: Partial<Record<QuestionKind, number[]>> = {
  care: range(0, 10), propensity: range(0, 10), nps: range(0, 10), csat: range(1, 5), ces: range(1, 7),
};
function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
const isChoice = (kind: QuestionKind) => kind === 'single' || kind === 'multi';
/** Languages offered when adding one; any language can carry question texts, these also have translated page texts where listed in survey-strings. */
const addableLanguages = ['fr', 'de', 'es', 'ga', 'cy', 'it', 'nl', 'pl', 'pt'];

interface Draft extends SurveyInput {
  languages: string[];
}

const blankQuestion = (kind: QuestionKind, languages: string[], taken: string[]): SurveyQuestion => {
  let n = taken.length + 1;
  while (taken.includes(`q${n}`)) n++;
  const text = Object.fromEntries(languages.map((l) => [l, '']));
  return {
    id: `q${n}`, kind, required: false, text,
    ...(isChoice(kind) ? { options: [{ value: 'yes', text: { ...text } }, { value: 'no', text: { ...text } }] } : {}),
  };
};

function languagesOf(questions: SurveyQuestion[]): string[] {
  const all = new Set(['en']);
  for (const q of questions) for (const l of Object.keys(q.text)) all.add(l);
  return [...all];
}

/** What is sent: empty translations dropped (English stays, so the server can say it is missing). */
function toInput(draft: Draft): SurveyInput {
  const clean = (text: Record<string, string>) => Object.fromEntries(Object.entries(text).filter(([l, v]) => l === 'en' || v.trim() !== '').map(([l, v]) => [l, v.trim()]));
  return {
    name: draft.name.trim(), audience: draft.audience, touchpoint: draft.touchpoint, settings: draft.settings,
    questions: draft.questions.map((q) => ({
      id: q.id.trim(), kind: q.kind, required: q.required, text: clean(q.text),
      ...(q.options ? { options: q.options.map((o) => ({ value: o.value.trim(), text: clean(o.text) })) } : {}),
      ...(q.showIf ? { showIf: q.showIf } : {}),
    })),
  };
}

function Preview({ draft, organisation }: { draft: Draft; organisation: string }) {
  const [lang, setLang] = useState('en');
  const [answers, setAnswers] = useState<Answers>({});
  const strings = stringsFor(lang);
  const language = draft.languages.includes(lang) ? lang : 'en';
  const say = (text: Record<string, string>) => (text[language] || text.en || '').replace(/\{\{company\}\}/g, organisation);
  const questions: PublicQuestion[] = draft.questions.map((q) => ({
    id: q.id, kind: q.kind, text: say(q.text), required: q.required, showIf: q.showIf ?? null,
    options: q.options?.map((o) => ({ value: o.value, text: say(o.text) })) ?? null,
  }));
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="survey-preview-title" style={{ position: 'sticky', top: 'var(--mantine-spacing-md)' }}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="survey-preview-title">
          Preview
        </Title>
        {draft.languages.length > 1 && (
          <Select
            label="Preview language"
            size="xs"
            w={150}
            allowDeselect={false}
            value={language}
            data={draft.languages.map((l) => ({ value: l, label: languageName(l) }))}
            onChange={(next) => setLang(next ?? 'en')}
          />
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="md">
        Exactly what respondents see. Try answers here to check the skip logic; nothing is saved.
      </Text>
      <div role="region" aria-label="Survey preview" lang={language}>
        <Title order={3} size="h3">
          {draft.name || 'Untitled survey'}
        </Title>
        <Text size="sm" mt={4} mb="md">
          {strings.intro}
        </Text>
        <Stack gap="lg">
          {questions.filter((q) => isShown(q, answers)).map((q) => (
            <QuestionField
              key={q.id}
              question={q}
              value={answers[q.id]}
              strings={strings}
              idPrefix="preview-question"
              onChange={(value: AnswerValue | undefined) => setAnswers((current) => ({ ...current, [q.id]: value }))}
            />
          ))}
          <div>
            <Button size="md" disabled>
              {strings.send}
            </Button>
          </div>
        </Stack>
      </div>
    </Card>
  );
}

function QuestionEditor({
  question, index, draft, errors, onChange, onMove, onRemove,
}: {
  question: SurveyQuestion;
  index: number;
  draft: Draft;
  errors: Record<string, string>;
  onChange: (next: SurveyQuestion) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const prefix = `questions.${index}`;
  const own = Object.entries(errors).filter(([path]) => path === prefix || path.startsWith(`${prefix}.`));
  const errorAt = (path: string) => errors[`${prefix}.${path}`];
  const shown = new Set(['id', 'kind', 'options', 'showIf', ...draft.languages.map((l) => `text.${l}`), 'text']);
  const general = own.filter(([path]) => !shown.has(path.slice(prefix.length + 1)) && !/^questions\.\d+\.options\.\d+/.test(path));
  const earlier = draft.questions.slice(0, index);
  const condition = question.showIf ? draft.questions.find((q) => q.id === question.showIf!.questionId) : undefined;
  const conditionValues = condition
    ? isChoice(condition.kind)
      ? (condition.options ?? []).map((o) => ({ value: o.value, label: o.text.en || o.value }))
      : (scaleValues[condition.kind] ?? []).map((v) => ({ value: String(v), label: String(v) }))
    : [];
  const label = `Question ${index + 1}`;
  return (
    <Card withBorder padding="md" component="fieldset" aria-label={label} style={{ border: undefined }}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {label}{' '}
          <Badge variant="light" size="sm">
            {kindLabels[question.kind]}
          </Badge>
        </Title>
        <Group gap={4}>
          <ActionIcon variant="subtle" aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            <IconArrowUp size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" aria-label={`Move ${label} down`} disabled={index === draft.questions.length - 1} onClick={() => onMove(1)}>
            <IconArrowDown size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${label}`} disabled={draft.questions.length === 1} onClick={onRemove}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      </Group>
      <Stack gap="xs">
        <Group grow align="flex-start">
          <TextInput
            label="Question id"
            description="Lower-case letters, digits and _; names the column in exports"
            required
            value={question.id}
            error={errorAt('id')}
            onChange={(e) => onChange({ ...question, id: e.currentTarget.value })}
          />
          <Select
            label="Kind"
            allowDeselect={false}
            data={Object.entries(kindLabels).map(([value, l]) => ({ value, label: l }))}
            value={question.kind}
            error={errorAt('kind')}
            onChange={(next) => {
              const kind = (next ?? question.kind) as QuestionKind;
              const text = Object.fromEntries(draft.languages.map((l) => [l, '']));
              onChange({
                ...question, kind,
                options: isChoice(kind) ? (question.options ?? [{ value: 'yes', text: { ...text } }, { value: 'no', text: { ...text } }]) : undefined,
              });
            }}
          />
        </Group>
        <Switch label="An answer is required" checked={question.required} onChange={(e) => onChange({ ...question, required: e.currentTarget.checked })} />
        {draft.languages.map((l) => (
          <TextInput
            key={l}
            label={`Question text (${languageName(l)})`}
            description={l === 'en' ? 'Write {{company}} for your organisation’s name' : undefined}
            required={l === 'en'}
            lang={l}
            value={question.text[l] ?? ''}
            error={errorAt(`text.${l}`) ?? (l === 'en' ? errorAt('text') : undefined)}
            onChange={(e) => onChange({ ...question, text: { ...question.text, [l]: e.currentTarget.value } })}
          />
        ))}
        {isChoice(question.kind) && (
          <Stack gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
            <Text component="legend" size="sm" fw={500}>
              Options
            </Text>
            {(question.options ?? []).map((option, o) => (
              <Group key={o} align="flex-end" gap="xs" wrap="nowrap">
                <TextInput
                  label={`Option ${o + 1} value`}
                  size="xs"
                  w={120}
                  value={option.value}
                  error={errors[`${prefix}.options.${o}.value`]}
                  onChange={(e) => onChange({ ...question, options: question.options!.map((x, k) => (k === o ? { ...x, value: e.currentTarget.value } : x)) })}
                />
                {draft.languages.map((l) => (
                  <TextInput
                    key={l}
                    label={`Option ${o + 1} (${languageName(l)})`}
                    size="xs"
                    style={{ flex: 1 }}
                    lang={l}
                    value={option.text[l] ?? ''}
                    error={errors[`${prefix}.options.${o}.text.${l}`] ?? (l === 'en' ? errors[`${prefix}.options.${o}.text`] : undefined)}
                    onChange={(e) => onChange({ ...question, options: question.options!.map((x, k) => (k === o ? { ...x, text: { ...x.text, [l]: e.currentTarget.value } } : x)) })}
                  />
                ))}
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mb={4}
                  aria-label={`Remove option ${o + 1} of ${label}`}
                  disabled={(question.options ?? []).length <= 1}
                  onClick={() => onChange({ ...question, options: question.options!.filter((_, k) => k !== o) })}
                >
                  <IconTrash size={14} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            {errorAt('options') && (
              <Text size="xs" c="red">
                {errorAt('options')}
              </Text>
            )}
            <div>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => onChange({ ...question, options: [...(question.options ?? []), { value: `option_${(question.options ?? []).length + 1}`, text: Object.fromEntries(draft.languages.map((l) => [l, ''])) }] })}
              >
                Add an option
              </Button>
            </div>
          </Stack>
        )}
        {index > 0 && (
          <Group grow align="flex-start">
            <Select
              label="Ask only if"
              description="Skip logic: ask this question only after certain answers"
              placeholder="Always ask"
              clearable
              data={earlier.map((q) => ({ value: q.id, label: `${q.id}: ${q.text.en || kindLabels[q.kind]}` }))}
              value={question.showIf?.questionId ?? null}
              error={errorAt('showIf')}
              onChange={(next) => onChange({ ...question, showIf: next ? { questionId: next, anyOf: [] } : undefined })}
            />
            {question.showIf && (
              <MultiSelect
                label="…was answered with"
                placeholder="Choose answers"
                data={conditionValues}
                value={question.showIf.anyOf.map(String)}
                error={errorAt('showIf.anyOf')}
                onChange={(values) => onChange({
                  ...question,
                  showIf: { questionId: question.showIf!.questionId, anyOf: condition && !isChoice(condition.kind) ? values.map(Number) : values },
                })}
              />
            )}
          </Group>
        )}
        {general.length > 0 && (
          <Alert color="red" role="alert" p="xs">
            {general.map(([path, message]) => (
              <Text key={path} size="sm">
                {message}
              </Text>
            ))}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function SettingsEditor({ settings, errors, onChange }: { settings: SurveySettings; errors: Record<string, string>; onChange: (next: SurveySettings) => void }) {
  const num = (key: keyof SurveySettings, label: string, description: string, props: { min: number; max: number; step?: number; decimalScale?: number }) => (
    <NumberInput
      label={label}
      description={description}
      {...props}
      value={settings[key] as number}
      error={errors[`settings.${key}`]}
      onChange={(value) => onChange({ ...settings, [key]: typeof value === 'number' ? value : Number(value) || 0 })}
    />
  );
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="survey-settings-title">
      <Title order={2} size="h4" id="survey-settings-title" mb="sm">
        Settings
      </Title>
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6 }}>{num('careThreshold', 'Follow up care scores at or below', 'Opens a follow-up case (0–10)', { min: 0, max: 10 })}</Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Switch
            mt="lg"
            label="Follow up detractors (recommend 0–6)"
            checked={settings.followUpDetractors}
            onChange={(e) => onChange({ ...settings, followUpDetractors: e.currentTarget.checked })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>{num('reminderDays', 'Reminder after (days)', 'One reminder to those who have not answered; 0 for none', { min: 0, max: 60 })}</Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>{num('throttleDays', 'Survey nobody more than once in (days)', 'Across all surveys', { min: 0, max: 365 })}</Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Switch
            mt="lg"
            label="Invite the customer when a case is resolved"
            checked={settings.triggerOnResolution}
            onChange={(e) => onChange({ ...settings, triggerOnResolution: e.currentTarget.checked })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>{num('triggerDelayHours', 'Hours after resolution', 'When the invitation goes out', { min: 0, max: 720 })}</Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>{num('careBenchmark', 'Care benchmark (0–10)', 'The industry reference line on results (about 6)', { min: 0, max: 10, step: 0.1, decimalScale: 1 })}</Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>{num('minResponses', 'Anonymity threshold', 'Hide any group with fewer answers', { min: 1, max: 1000 })}</Grid.Col>
      </Grid>
    </Card>
  );
}

function Builder({ initial, surveyId, status, version }: { initial: Draft; surveyId?: string; status: SurveyStatus; version: number }) {
  const { organisation } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [newKind, setNewKind] = useState<QuestionKind>('care');
  const [newLanguage, setNewLanguage] = useState<string | null>(null);
  useEffect(() => setDraft(initial), [initial]);

  const mutation = useMutation({
    mutationFn: (nextStatus?: SurveyStatus) => saveSurvey(surveyId, toInput(draft), nextStatus),
    onSuccess: async (saved, nextStatus) => {
      setErrors({});
      setFormError(null);
      await queryClient.invalidateQueries({ queryKey: surveysQueryKey });
      queryClient.setQueryData(surveyQueryKey(saved.id), saved);
      const what = nextStatus === 'live' ? 'published: you can invite people now' : nextStatus === 'closed' ? 'closed' : saved.version > version && status !== 'draft' ? `saved as version ${saved.version}` : 'saved';
      notifications.show({ color: 'teal', message: `“${saved.name}” ${what}.` });
      if (!surveyId) navigate(`/surveys/${saved.id}/edit`, { replace: true });
    },
    onError: (error) => {
      if (isApiError(error) && (error.status === 400 || error.status === 422)) {
        const byPath = fieldErrorsFrom(error.details);
        setErrors(byPath);
        setFormError(Object.keys(byPath).length ? 'Some fields need another look: see the messages below.' : error.message);
        return;
      }
      setFormError(isApiError(error) ? error.message : 'The survey was not saved. Please try again.');
    },
  });

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setQuestion = (index: number, q: SurveyQuestion) => update({ questions: draft.questions.map((x, i) => (i === index ? q : x)) });
  const move = (index: number, delta: -1 | 1) => {
    const next = [...draft.questions];
    [next[index], next[index + delta]] = [next[index + delta], next[index]];
    update({ questions: next });
  };
  const addLanguage = () => {
    if (!newLanguage || draft.languages.includes(newLanguage)) return;
    update({ languages: [...draft.languages, newLanguage] });
    setNewLanguage(null);
  };
  const removeLanguage = (l: string) => update({
    languages: draft.languages.filter((x) => x !== l),
    questions: draft.questions.map((q) => ({
      ...q, text: Object.fromEntries(Object.entries(q.text).filter(([k]) => k !== l)),
      options: q.options?.map((o) => ({ ...o, text: Object.fromEntries(Object.entries(o.text).filter(([k]) => k !== l)) })),
    })),
  });

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack gap="md">
          {status === 'live' && (
            <Alert color="blue" title="This survey is live">
              Saving changes to its questions makes version {version + 1}. Answers already given keep the version they answered.
            </Alert>
          )}
          {formError && (
            <Alert color="red" role="alert" title="The survey was not saved">
              {formError}
            </Alert>
          )}
          <Card withBorder padding="md" component="section" aria-labelledby="survey-about-title">
            <Title order={2} size="h4" id="survey-about-title" mb="sm">
              About the survey
            </Title>
            <Stack gap="xs">
              <TextInput label="Name" required value={draft.name} error={errors.name} onChange={(e) => update({ name: e.currentTarget.value })} />
              <Group grow align="flex-start">
                <Select
                  label="Audience"
                  allowDeselect={false}
                  disabled={Boolean(surveyId)}
                  data={Object.entries(audienceLabels).map(([value, l]) => ({ value, label: l }))}
                  value={draft.audience}
                  error={errors.audience}
                  onChange={(next) => update({ audience: (next ?? 'customers') as SurveyAudience })}
                />
                <Select
                  label="Touchpoint"
                  allowDeselect={false}
                  data={Object.entries(touchpointLabels).map(([value, l]) => ({ value, label: l }))}
                  value={draft.touchpoint}
                  error={errors.touchpoint}
                  onChange={(next) => update({ touchpoint: next ?? 'custom' })}
                />
              </Group>
              <Group align="flex-end" gap="xs">
                <Text size="sm" fw={500} w="100%">
                  Languages
                </Text>
                {draft.languages.map((l) => (
                  <Badge
                    key={l}
                    size="lg"
                    variant="light"
                    rightSection={l === 'en' ? undefined : (
                      <ActionIcon size="xs" variant="transparent" aria-label={`Remove ${languageName(l)}`} onClick={() => removeLanguage(l)}>
                        <IconTrash size={12} aria-hidden />
                      </ActionIcon>
                    )}
                  >
                    {languageName(l)}
                  </Badge>
                ))}
                <Select
                  label="Add a language"
                  size="xs"
                  w={170}
                  placeholder="Choose"
                  data={addableLanguages.filter((l) => !draft.languages.includes(l)).map((l) => ({ value: l, label: languageName(l) }))}
                  value={newLanguage}
                  onChange={setNewLanguage}
                />
                <Button size="xs" variant="light" onClick={addLanguage} disabled={!newLanguage}>
                  Add language
                </Button>
              </Group>
            </Stack>
          </Card>
          <section aria-labelledby="survey-questions-title">
            <Title order={2} size="h4" id="survey-questions-title" mb="sm">
              Questions
            </Title>
            {errors.questions && (
              <Alert color="red" role="alert" mb="sm">
                {errors.questions}
              </Alert>
            )}
            <Stack gap="md">
              {draft.questions.map((q, i) => (
                <QuestionEditor
                  key={i}
                  question={q}
                  index={i}
                  draft={draft}
                  errors={errors}
                  onChange={(next) => setQuestion(i, next)}
                  onMove={(delta) => move(i, delta)}
                  onRemove={() => update({ questions: draft.questions.filter((_, k) => k !== i) })}
                />
              ))}
              <Group align="flex-end" gap="xs">
                <Select
                  label="New question kind"
                  allowDeselect={false}
                  w={220}
                  data={Object.entries(kindLabels).map(([value, l]) => ({ value, label: l }))}
                  value={newKind}
                  onChange={(next) => setNewKind((next ?? 'care') as QuestionKind)}
                />
                <Button
                  variant="light"
                  leftSection={<IconPlus size={16} aria-hidden />}
                  disabled={draft.questions.length >= 40}
                  onClick={() => update({ questions: [...draft.questions, blankQuestion(newKind, draft.languages, draft.questions.map((q) => q.id))] })}
                >
                  Add question
                </Button>
              </Group>
            </Stack>
          </section>
          <SettingsEditor settings={draft.settings} errors={errors} onChange={(settings) => update({ settings })} />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to="/surveys">
              Back to surveys
            </Button>
            {surveyId && status === 'live' && (
              <Button variant="light" color="red" loading={mutation.isPending && mutation.variables === 'closed'} onClick={() => mutation.mutate('closed')}>
                Close survey
              </Button>
            )}
            <Button variant={status === 'draft' ? 'light' : 'filled'} loading={mutation.isPending && mutation.variables === undefined} onClick={() => mutation.mutate(undefined)}>
              {surveyId ? 'Save changes' : 'Create survey'}
            </Button>
            {status !== 'live' && (
              <Button loading={mutation.isPending && mutation.variables === 'live'} onClick={() => mutation.mutate('live')}>
                {status === 'closed' ? 'Reopen' : 'Publish'}
              </Button>
            )}
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Preview draft={draft} organisation={organisation.name} />
      </Grid.Col>
    </Grid>
  );
}

const starter: Draft = {
  name: '', audience: 'customers', touchpoint: 'case_resolution', settings: defaultSettings, languages: ['en'],
  questions: [
    { id: 'care', kind: 'care', required: true, text: { en: 'How far do you feel {{company}} cares about you?' } },
    { id: 'propensity', kind: 'propensity', required: true, text: { en: 'How likely are you to do more business with {{company}}?' } },
  ],
};

export function SurveyBuilderPage() {
  const { id } = useParams();
  const { user } = useSession();
  usePageTitle(id ? 'Edit survey' : 'New survey');
  const query = useQuery({ queryKey: surveyQueryKey(id ?? ''), queryFn: ({ signal }) => fetchSurvey(id!, signal), enabled: Boolean(id) });
  const initial = useMemo<Draft | null>(() => {
    if (!id) return starter;
    const s = query.data;
    if (!s) return null;
    return {
      name: s.name, audience: s.audience, touchpoint: s.touchpoint, settings: { ...defaultSettings, ...s.settings }, questions: s.questions,
      languages: languagesOf(s.questions),
    };
  }, [id, query.data]);
  if (!canManageSurveys(user?.role)) return <NotAllowed />;
  const title = id ? `Edit survey${query.data ? `: ${query.data.name}` : ''}` : 'New survey';
  return (
    <>
      <Anchor component={Link} to="/surveys" size="sm">
        ← All surveys
      </Anchor>
      <PageHeader
        title={title}
        description={query.data ? `${statusLabels[query.data.status]} · version ${query.data.version}` : 'Questions, languages, skip logic and settings, with a live preview.'}
      />
      {id ? (
        <QueryState query={query} loadingLabel="Loading the survey">
          {initial && query.data && <Builder initial={initial} surveyId={id} status={query.data.status} version={query.data.version} />}
        </QueryState>
      ) : (
        <Builder initial={starter} status="draft" version={1} />
      )}
    </>
  );
}
