import { Box, Checkbox, Group, Radio, Stack, Textarea } from '@mantine/core';
import type { AnswerValue, PublicQuestion } from './surveys.api';
import type { SurveyStrings } from './survey-strings';

/**
 * One question as the respondent sees it. The response page and the builder's preview both use
 * this, so the preview is exactly what people get. Every scale is a radio group: keyboard and
 * screen reader friendly, and its error sits on the question.
 */

export type Answers = Record<string, AnswerValue | undefined>;

const scaleOf = (kind: PublicQuestion['kind'], strings: SurveyStrings): { from: number; to: number; ends: [string, string] } | undefined => {
  switch (kind) {
    case 'care':
    case 'propensity':
    case 'nps':
      return { from: 0, to: 10, ends: strings.scaleEnds.zeroTen };
    case 'csat':
      return { from: 1, to: 5, ends: strings.scaleEnds.csat };
    case 'ces':
      return { from: 1, to: 7, ends: strings.scaleEnds.ces };
    default:
      return undefined;
  }
};

export const isEmptyAnswer = (value: AnswerValue | undefined | null) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Skip logic, as the server reads it: ask only when the earlier answer is one of `anyOf`. */
export function isShown(question: Pick<PublicQuestion, 'showIf'>, answers: Answers): boolean {
  if (!question.showIf) return true;
  const given = answers[question.showIf.questionId];
  return question.showIf.anyOf.some((v) => v === given || (Array.isArray(given) && given.includes(String(v))));
}

export const fieldId = (id: string, prefix = 'survey-question') => `${prefix}-${id}`;

export function focusQuestion(id: string) {
  const box = document.getElementById(fieldId(id));
  const input = box?.querySelector<HTMLElement>('input:checked, input, textarea');
  (input ?? box)?.focus();
}

export function QuestionField({
  question,
  value,
  error,
  strings,
  idPrefix,
  onChange,
}: {
  question: PublicQuestion;
  value: AnswerValue | undefined;
  error?: string;
  strings: SurveyStrings;
  /** Keeps ids unique when the preview sits on the same page as the builder. */
  idPrefix?: string;
  onChange: (value: AnswerValue | undefined) => void;
}) {
  const id = fieldId(question.id, idPrefix);
  const scale = scaleOf(question.kind, strings);
  if (scale) {
    const values = Array.from({ length: scale.to - scale.from + 1 }, (_, index) => scale.from + index);
    return (
      <Radio.Group
        id={id}
        label={question.text}
        description={`${scale.ends[0]}, ${scale.ends[1]}`}
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
        id={id}
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
        id={id}
        label={question.text}
        description={strings.chooseAll}
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
    <Box id={id}>
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
