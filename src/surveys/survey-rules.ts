/** Survey definitions and answer rules: pure, no I/O. */
import { z } from 'zod';

export const questionKinds = ['care', 'propensity', 'nps', 'csat', 'ces', 'single', 'multi', 'text'] as const;
export type QuestionKind = (typeof questionKinds)[number];

/** The scale of each rated kind: care, propensity and NPS 0–10; CSAT 1–5; CES 1–7. */
export const scales: Partial<Record<QuestionKind, [number, number]>> = {
  care: [0, 10], propensity: [0, 10], nps: [0, 10], csat: [1, 5], ces: [1, 7],
};

const localized = z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), z.string().trim().min(1).max(500))
  .refine((t) => 'en' in t, 'English text is required');

export const questionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
  kind: z.enum(questionKinds),
  text: localized,
  required: z.boolean().default(false),
  options: z.array(z.object({ value: z.string().min(1).max(80), text: localized })).max(20).optional(),
  /** Skip logic: ask only when an earlier question's answer is one of these values. */
  showIf: z.object({ questionId: z.string(), anyOf: z.array(z.union([z.string(), z.number()])).min(1) }).optional(),
}).strict().refine((q) => (q.kind === 'single' || q.kind === 'multi') === Boolean(q.options?.length), 'choice questions need options, others none');
export type Question = z.infer<typeof questionSchema>;

export const questionsSchema = z.array(questionSchema).min(1).max(40).refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique');

export const surveySettingsSchema = z.object({
  /** A care score at or below this opens a follow-up case (closed loop). */
  careThreshold: z.number().min(0).max(10).default(4),
  /** An NPS detractor (0–6) opens a follow-up case too. */
  followUpDetractors: z.boolean().default(true),
  /** Nobody is invited more often than once in this many days. */
  throttleDays: z.number().int().min(0).max(365).default(90),
  /** One reminder to those who have not answered, this many days after the invitation (0: none). */
  reminderDays: z.number().int().min(0).max(60).default(5),
  /** Invite the customer when a case is resolved, after a delay. */
  triggerOnResolution: z.boolean().default(false),
  triggerDelayHours: z.number().min(0).max(24 * 30).default(24),
  /** The industry's perceived-care benchmark (adviser research: about 6/10). */
  careBenchmark: z.number().min(0).max(10).default(6),
  /** Anonymity threshold: a segment (unit, month) with fewer responses is not shown, nor its comments. */
  minResponses: z.number().int().min(1).max(1000).default(10),
}).strict();
export type SurveySettings = z.infer<typeof surveySettingsSchema>;

const en = (text: string) => ({ en: text });

/** Starting points: the customer care survey and the adviser survey of the product brief. */
export const surveyTemplates = {
  customer_care: [
    { id: 'care', kind: 'care', required: true, text: en('How far do you feel {{company}} cares about you?') },
    { id: 'propensity', kind: 'propensity', required: true, text: en('How likely are you to do more business with {{company}}?') },
    { id: 'nps', kind: 'nps', required: true, text: en('How likely are you to recommend {{company}} to a friend or colleague?') },
    { id: 'csat', kind: 'csat', required: false, text: en('How satisfied are you with how we handled your case?') },
    { id: 'ces', kind: 'ces', required: false, text: en('How easy was it to get what you needed from us?') },
    { id: 'why', kind: 'text', required: false, text: en('What is the main reason for your scores?') },
  ],
  adviser: [
    { id: 'care', kind: 'care', required: true, text: en('How far does {{company}} care about your business?') },
    { id: 'propensity', kind: 'propensity', required: true, text: en('How likely are you to place more business with {{company}}?') },
    { id: 'nps', kind: 'nps', required: true, text: en('How likely are you to recommend {{company}} to another adviser?') },
    { id: 'support', kind: 'single', required: false, text: en('How would you rate our broker support?'), options: [
      { value: 'poor', text: en('Poor') }, { value: 'fair', text: en('Fair') }, { value: 'good', text: en('Good') }, { value: 'excellent', text: en('Excellent') },
    ] },
    { id: 'why', kind: 'text', required: false, text: en('What should we do differently?') },
  ],
} satisfies Record<string, Question[]>;

export type Answers = Record<string, number | string | string[] | null | undefined>;

export interface AnswerError {
  path: string;
  message: string;
}

function isShown(q: Question, answers: Answers): boolean {
  if (!q.showIf) return true;
  const given = answers[q.showIf.questionId];
  return q.showIf.anyOf.some((v) => v === given || (Array.isArray(given) && given.includes(String(v))));
}

/** Checks answers against the questions: types, scales, options, required (unless skipped by logic). */
export function validateAnswers(questions: Question[], answers: Answers, options: { partial: boolean }): AnswerError[] {
  const errors: AnswerError[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(answers)) if (!known.has(key)) errors.push({ path: `answers.${key}`, message: 'not a question of this survey' });
  for (const q of questions) {
    const value = answers[q.id];
    const path = `answers.${q.id}`;
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (q.required && !options.partial && isShown(q, answers)) errors.push({ path, message: 'an answer is required' });
      continue;
    }
    const scale = scales[q.kind];
    if (scale) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < scale[0] || value > scale[1]) {
        errors.push({ path, message: `a whole number from ${scale[0]} to ${scale[1]}` });
      }
    } else if (q.kind === 'single') {
      if (typeof value !== 'string' || !q.options!.some((o) => o.value === value)) errors.push({ path, message: 'one of the offered options' });
    } else if (q.kind === 'multi') {
      if (!Array.isArray(value) || value.some((v) => !q.options!.some((o) => o.value === v))) errors.push({ path, message: 'a list of the offered options' });
    } else if (typeof value !== 'string' || value.length > 5000) {
      errors.push({ path, message: 'text of at most 5,000 characters' });
    }
  }
  return errors;
}

/** The first answer to each rated kind, for the analytics columns. */
export function ratedScores(questions: Question[], answers: Answers) {
  const pick = (kind: QuestionKind) => {
    const q = questions.find((x) => x.kind === kind && typeof answers[x.id] === 'number');
    return q ? (answers[q.id] as number) : null;
  };
  return { care: pick('care'), propensity: pick('propensity'), nps: pick('nps'), csat: pick('csat'), ces: pick('ces') };
}

/** Closed loop: a low care score or a detractor gets a person's call. */
export function needsFollowUp(scores: { care: number | null; nps: number | null }, settings: SurveySettings): string | undefined {
  if (scores.care !== null && scores.care <= settings.careThreshold) return `care scored ${scores.care}/10 (at or below ${settings.careThreshold})`;
  if (settings.followUpDetractors && scores.nps !== null && scores.nps <= 6) return `a detractor (recommend score ${scores.nps}/10)`;
  return undefined;
}
