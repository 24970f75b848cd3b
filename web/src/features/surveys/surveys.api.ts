import { api, apiRequest, buildUrl, type Page } from '../../lib/api';
import type { CaseSummary } from '../cases/cases.api';

/** Care and trust surveys: staff calls (/api/v1/surveys) and the respondent's public ones (/s/api). */

export type SurveyAudience = 'customers' | 'advisers';
export type SurveyStatus = 'draft' | 'live' | 'closed';
export type QuestionKind = 'care' | 'propensity' | 'nps' | 'csat' | 'ces' | 'single' | 'multi' | 'text';
export type SurveyTemplate = 'customer_care' | 'adviser';
export type Guard = 'hide' | 'warn' | 'ok';

export interface SurveySettings {
  careThreshold: number;
  followUpDetractors: boolean;
  throttleDays: number;
  reminderDays: number;
  triggerOnResolution: boolean;
  triggerDelayHours: number;
  careBenchmark: number;
  minResponses: number;
}

/** The server's defaults (survey-rules.ts), for a new survey. */
export const defaultSettings: SurveySettings = {
  careThreshold: 4, followUpDetractors: true, throttleDays: 90, reminderDays: 5, triggerOnResolution: false, triggerDelayHours: 24, careBenchmark: 6, minResponses: 10,
};

export const kindLabels: Record<QuestionKind, string> = {
  care: 'Care (0–10)', propensity: 'Propensity to do business (0–10)', nps: 'Recommend / NPS (0–10)', csat: 'Satisfaction / CSAT (1–5)',
  ces: 'Effort / CES (1–7)', single: 'Single choice', multi: 'Multiple choice', text: 'Free text',
};

export interface SurveyInput {
  name: string;
  audience: SurveyAudience;
  touchpoint: string;
  questions: SurveyQuestion[];
  settings: SurveySettings;
}

export interface SurveyQuestion {
  id: string;
  kind: QuestionKind;
  text: Record<string, string>;
  required: boolean;
  options?: { value: string; text: Record<string, string> }[];
  showIf?: { questionId: string; anyOf: (string | number)[] };
}

export interface Survey {
  id: string;
  name: string;
  audience: SurveyAudience;
  touchpoint: string;
  status: SurveyStatus;
  version: number;
  settings: SurveySettings;
  questions: SurveyQuestion[];
  invited: number;
  responded: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewSurvey {
  name: string;
  audience: SurveyAudience;
  touchpoint: string;
  template: SurveyTemplate;
}

export interface InvitationResult {
  invited: number;
  skipped: { email: string; reason: string }[];
}

export interface MeanStat {
  n: number;
  mean: number | null;
  sd: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Correlation {
  n: number;
  r: number | null;
  lower: number | null;
  upper: number | null;
}

export interface SurveyAnalytics {
  n: number;
  guard: Guard;
  careBenchmark: number;
  nps: { n: number; promoters: number; passives: number; detractors: number; nps: number | null; marginOfError95: number | null };
  care: MeanStat;
  propensity: MeanStat;
  csat: MeanStat;
  ces: MeanStat;
  careToPropensity: { spearman: Correlation; pearson: Correlation };
  drivers: (Correlation & { item: string })[];
  units: {
    unitId: string;
    unitName: string;
    n: number;
    guard: Guard;
    care: MeanStat | null;
    comparison: { difference: number | null; pValue: number | null; significant: boolean } | null;
  }[];
  trend: { month: string; n: number; guard: Guard; nps: number | null; npsMargin: number | null; care: MeanStat | null; propensity: MeanStat | null }[];
  minResponses: number;
  /** Counts of each (care, propensity) pair: the scatter as an 11×11 grid. */
  careGrid: { care: number; propensity: number; count: number }[];
  themes: {
    top: Theme[];
    byMonth: { month: string; themes: Theme[] }[];
  };
  recovery: Recovery;
}

export interface Theme {
  theme: string;
  count: number;
  sentiment: number | null;
}

export interface Recovery {
  followUps: number;
  answeredAgain: number;
  improved: number;
  rate: number | null;
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Verbatim {
  id: string;
  createdAt: string;
  text: string;
  sentiment: number;
  sentimentLabel: SentimentLabel;
  keyPhrases: string[];
  care: number | null;
  nps: number | null;
  unitId: string | null;
  unitName: string | null;
}

export interface VerbatimPage extends Page<Verbatim> {
  n: number;
  hidden: boolean;
  threshold: number;
}

export interface VerbatimFilter {
  q?: string;
  sentiment?: SentimentLabel;
  unitId?: string;
}

export const surveysQueryKey = ['surveys'] as const;
export const surveyQueryKey = (id: string) => ['surveys', 'detail', id] as const;
export const surveyAnalyticsQueryKey = (id: string) => ['surveys', 'analytics', id] as const;
export const followUpsQueryKey = ['cases', 'follow-ups'] as const;

const surveyPath = (id: string) => `/api/v1/surveys/${encodeURIComponent(id)}`;

export const fetchSurveys = (signal?: AbortSignal) => api.get<Page<Survey>>('/api/v1/surveys', undefined, signal);
export const fetchSurvey = (id: string, signal?: AbortSignal) => api.get<Survey>(surveyPath(id), undefined, signal);
export const createSurvey = (input: NewSurvey) => api.post<Survey>('/api/v1/surveys', input);
/** Creates (POST) or edits (PATCH) a survey, then publishes or closes it if asked. */
export async function saveSurvey(id: string | undefined, input: SurveyInput, status?: SurveyStatus): Promise<Survey> {
  if (!id) {
    const created = await api.post<Survey>('/api/v1/surveys', input);
    return status ? api.patch<Survey>(surveyPath(created.id), { status }) : created;
  }
  const { audience: _audience, ...editable } = input;
  return api.patch<Survey>(surveyPath(id), status ? { ...editable, status } : editable);
}

export const publishSurvey = (id: string) => api.patch<Survey>(surveyPath(id), { status: 'live' });
export const closeSurvey = (id: string) => api.patch<Survey>(surveyPath(id), { status: 'closed' });
export const inviteToSurvey = (id: string, emails: string[], unitId?: string | null) =>
  api.post<InvitationResult>(`${surveyPath(id)}/invitations`, {
    recipients: emails.map((email) => (unitId ? { email, unitId } : { email })),
  });
export const fetchSurveyAnalytics = (id: string, signal?: AbortSignal) =>
  api.get<SurveyAnalytics>(`${surveyPath(id)}/analytics`, undefined, signal);

export const fetchVerbatims = (id: string, filter: VerbatimFilter, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<VerbatimPage>(`${surveyPath(id)}/verbatims`, { ...filter, cursor, limit: 20 }, signal);

export const responsesCsvUrl = (id: string) => buildUrl(`${surveyPath(id)}/responses.csv`);

export const recoveryQueryKey = ['surveys', 'recovery'] as const;
export const fetchRecovery = (signal?: AbortSignal) => api.get<Recovery>('/api/v1/surveys/recovery', undefined, signal);

/** The closed loop: follow-up cases opened by low scores that are still open. */
export const fetchFollowUps = (signal?: AbortSignal) =>
  api.get<Page<CaseSummary>>('/api/v1/cases', { kind: 'follow_up', status: 'open,waiting_customer', sort: 'due', limit: 200 }, signal);

/* The respondent's side: public, no session, so never "your session ended" on a 401. */

export interface PublicQuestion {
  id: string;
  kind: QuestionKind;
  text: string;
  required: boolean;
  showIf: { questionId: string; anyOf: (string | number)[] } | null;
  options: { value: string; text: string }[] | null;
}

export interface PublicSurvey {
  organisation: { name: string };
  name: string;
  answered: boolean;
  /** The language the questions are in, and every language the survey has. */
  lang: string;
  languages: string[];
  /** A personal link keeps a draft on the server; an anonymous one in the browser. */
  canSaveDraft: boolean;
  draft: Record<string, AnswerValue> | null;
  questions: PublicQuestion[];
}

export type AnswerValue = number | string | string[];

const publicPath = (token: string) => `/s/api/${encodeURIComponent(token)}`;

export const publicSurveyKey = (token: string) => ['public-survey', token] as const;

/** Without `lang`, the server picks from the browser's Accept-Language (then English). */
export const fetchPublicSurvey = (token: string, lang: string | undefined, signal?: AbortSignal) =>
  apiRequest<PublicSurvey>(publicPath(token), { query: lang ? { lang } : undefined, signal, ignoreUnauthorized: true });

export const saveDraft = (token: string, answers: Record<string, AnswerValue>) =>
  apiRequest<void>(`${publicPath(token)}/draft`, { method: 'PUT', body: { answers }, ignoreUnauthorized: true });

export const submitAnswers = (token: string, answers: Record<string, AnswerValue>) =>
  apiRequest<{ id: string; followUp: unknown }>(publicPath(token), { method: 'POST', body: { answers }, ignoreUnauthorized: true });

export const touchpointLabels: Record<string, string> = {
  case_resolution: 'Case resolution',
  onboarding: 'Onboarding',
  claim: 'Claim',
  renewal: 'Renewal',
  advice_meeting: 'Advice meeting',
  custom: 'Custom',
};

export const statusLabels: Record<SurveyStatus, string> = { draft: 'Draft', live: 'Live', closed: 'Closed' };
export const audienceLabels: Record<SurveyAudience, string> = { customers: 'Customers', advisers: 'Advisers' };
export const templateLabels: Record<SurveyTemplate, string> = { customer_care: 'Customer care', adviser: 'Adviser' };

/** Recipients from a CSV file (columns: email, name, unit, product, case), checked row by row on the server. */
export const inviteFromCsv = (id: string, file: File) =>
  apiRequest<InvitationResult>(`${surveyPath(id)}/invitations.csv`, { method: 'POST', raw: { body: file, contentType: 'text/csv' } });

/** A new anonymous link (replacing any earlier one); the server shows it only once. */
export const createPublicLink = (id: string) => apiRequest<{ url: string }>(`${surveyPath(id)}/public-link`, { method: 'POST' });
