import { api, ApiError, apiRequest, type Page } from '../../lib/api';

/** Shapes of the conduct endpoints (frameworks, practices, cycles, cells, evidence, actions); see /api/docs. */

export interface ScaleLevel {
  score: number;
  label: string;
  description: string;
}
export interface Scale {
  min: number;
  max: number;
  levels: ScaleLevel[];
}
export interface Outcome {
  key: string;
  title: string;
  description?: string;
}

export interface Framework {
  id: string;
  name: string;
  description: string | null;
  presetKey: string | null;
  version: number;
  outcomes: Outcome[];
  scale: Scale;
  threshold: number;
  practiceCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface FrameworkPreset {
  key: string;
  name: string;
  outcomes: Outcome[];
  practiceCount: number;
}

export const unitKindsForPractices = ['company', 'division', 'region', 'team'] as const;

export interface Practice {
  id: string;
  frameworkId: string;
  outcomeKey: string;
  outcomeTitle: string;
  code: string;
  title: string;
  description: string | null;
  guidance: string;
  exampleEvidence: string[];
  unitKinds: string[];
  critical: boolean;
  version: number;
  active: boolean;
  notApplicable: { unitId: string; unitName: string; justification: string; by: string; at: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface PracticeLesson {
  id: string;
  caseId?: string;
  caseRef?: string;
  unitName?: string;
  rootCause: string;
  processChange: string;
  status: string;
  createdAt: string;
}

export type PracticeDetail = Practice & { lessons: PracticeLesson[]; actions: Action[] };

export type CellState = 'not_started' | 'draft' | 'submitted' | 'returned' | 'approved' | 'not_applicable';
export const cellStates: readonly CellState[] = ['not_started', 'draft', 'submitted', 'returned', 'approved', 'not_applicable'];

export interface Cycle {
  id: string;
  frameworkId: string;
  frameworkName: string;
  frameworkVersion: number;
  name: string;
  opensAt: string;
  dueAt: string;
  status: 'open' | 'closed';
  previousCycleId: string | null;
  counts: Partial<Record<CellState | 'total', number>>;
  createdAt: string;
  closedAt: string | null;
}

export interface RedCell {
  assessmentId: string;
  unitId: string;
  unitName: string;
  unitPath?: string;
  practiceId: string;
  practiceTitle: string;
  practiceCode: string;
  critical: boolean;
  outcomeKey: string;
  score: number;
  selfScore: number | null;
  reviewerScore: number | null;
  state: CellState;
}

export type Band = 'green' | 'amber' | 'red';

export interface CycleStatus {
  cycleId: string;
  cycleName: string;
  unit: { id: string; name: string; kind: string };
  score: number | null;
  uncappedScore: number | null;
  capped: boolean;
  capReason: string | null;
  band: Band | null;
  scaleScore: number | null;
  threshold: number;
  cells: { total: number; scored: number; red: number; unassessed: number; notApplicable: number; provisional: number };
  shareBelowThreshold: number | null;
  weakestUnit: { id: string; name: string; kind: string; score: number | null; redCells: number } | null;
  distribution: { score: number; cells: number }[];
  redCells: RedCell[];
  children: { id: string; name: string; kind: string; score: number | null; capped: boolean; redCells: number; cells: number }[];
  outcomes: { key: string; title: string; score: number | null; redCells: number }[];
  gaps: {
    count: number;
    meanGap: number | null;
    largest: { assessmentId: string; unitName: string; practiceTitle: string; selfScore: number; reviewerScore: number; gap: number }[];
  };
  overdueActions: { ownerId: string; ownerName: string; count: number; oldestDeadline: string }[];
}

export interface Heatmap {
  by: 'practice' | 'outcome';
  columns: { id: string; label: string; critical?: boolean }[];
  rows: {
    unitId: string;
    unitName: string;
    unitKind: string;
    cells: { columnId: string; score: number | null; red: boolean; state?: CellState; assessmentId?: string }[];
  }[];
}

export interface Signal {
  unitId: string;
  unitName: string;
  practiceId: string;
  practiceTitle: string;
  selfScore: number | null;
  score: number | null;
  complaints: number;
  upheld: number;
  upheldRate: number | null;
  complaintsPer100?: number | null;
  careScore: number | null;
  careResponses?: number;
  flag: string | null;
}

export interface Trend {
  points: { day: string; score: number | null; capped: boolean; shareBelowThreshold: number | null; redCells: number }[];
  cycles: { cycleId: string; name: string; score: number | null; capped: boolean; closedAt: string | null }[];
}

export interface EvidenceFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  downloadUrl: string;
}

export interface Evidence {
  id: string;
  kind: 'file' | 'link' | 'note';
  title: string;
  unitId: string;
  unitName: string;
  ownerId: string;
  ownerName: string;
  status: 'draft' | 'approved' | 'expired';
  expiresAt: string | null;
  url: string | null;
  note: string | null;
  file: EvidenceFile | null;
  assessmentIds: string[];
  actionIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Assessment {
  id: string;
  cycleId: string;
  cycleName?: string;
  practiceId: string;
  practiceTitle: string;
  practiceCode: string;
  critical: boolean;
  outcomeKey: string;
  outcomeTitle?: string;
  unitId: string;
  unitName: string;
  unitKind: string;
  state: CellState;
  selfScore: number | null;
  rationale: string | null;
  reviewerScore: number | null;
  reviewComment: string | null;
  score: number | null;
  red: boolean;
  gap: number | null;
  locked: boolean;
  notApplicableReason: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  updatedAt: string;
  scale?: Scale;
  threshold?: number;
  evidence?: Evidence[];
  previous?: { cycleName: string; score: number | null; rationale: string | null } | null;
  guidance?: string;
  exampleEvidence?: string[];
  requiredActionId?: string | null;
}

export const actionPriorities = ['low', 'medium', 'high', 'critical'] as const;
export type ActionPriority = (typeof actionPriorities)[number];
export type ActionStatus = 'open' | 'done' | 'verified';

export interface Action {
  id: string;
  title: string;
  description: string | null;
  practiceId: string;
  practiceTitle: string;
  unitId: string;
  unitName: string;
  delegateId: string;
  delegateName: string;
  createdBy: string | null;
  deadline: string;
  priority: ActionPriority;
  expectedEffect: string | null;
  status: ActionStatus;
  required: boolean;
  source: { kind: 'assessment' | 'lesson' | 'alert' | 'manual'; assessmentId?: string; cycleId?: string; lessonId?: string; detail?: string };
  overdue: boolean;
  escalatedAt: string | null;
  escalatedToId: string | null;
  doneAt: string | null;
  doneNote: string | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  verifyScore: number | null;
  evidenceIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface HistoryEvent {
  seq: number;
  at: string;
  actorId: string | null;
  actorName?: string | null;
  type: string;
  data: unknown;
}

/** The comment an event carries (return, override, verify, reopen), if any. */
export const eventComment = (event: HistoryEvent): string | null => {
  const comment = (event.data as { comment?: unknown } | null)?.comment;
  return typeof comment === 'string' && comment ? comment : null;
};

const id = (value: string) => encodeURIComponent(value);
const V1 = '/api/v1';
const apiPut = <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PUT', body });

export const PAGE_LIMIT = 50;

export const conductKeys = {
  all: ['conduct'] as const,
  frameworks: ['conduct', 'frameworks'] as const,
  framework: (frameworkId: string) => ['conduct', 'frameworks', frameworkId] as const,
  presets: ['conduct', 'presets'] as const,
  practices: ['conduct', 'practices'] as const,
  practice: (practiceId: string) => ['conduct', 'practices', practiceId] as const,
  cycles: ['conduct', 'cycles'] as const,
  cycleData: (cycleId: string) => ['conduct', 'cycles', cycleId] as const,
  assessments: ['conduct', 'assessments'] as const,
  assessment: (assessmentId: string) => ['conduct', 'assessments', assessmentId] as const,
  evidence: ['conduct', 'evidence'] as const,
  actions: ['conduct', 'actions'] as const,
  action: (actionId: string) => ['conduct', 'actions', actionId] as const,
};

// Catalogue
export const fetchFrameworks = (signal?: AbortSignal) => api.get<Page<Framework>>(`${V1}/frameworks`, undefined, signal);
export const fetchFramework = (frameworkId: string, signal?: AbortSignal) =>
  api.get<Framework & { practices: Practice[] }>(`${V1}/frameworks/${id(frameworkId)}`, undefined, signal);
export const fetchPresets = (signal?: AbortSignal) => api.get<{ items: FrameworkPreset[] }>(`${V1}/frameworks/presets`, undefined, signal);
export interface CreateFrameworkInput {
  name: string;
  description?: string;
  outcomes: Outcome[];
  scale?: Scale;
  threshold?: number;
}
export const createFramework = (input: CreateFrameworkInput | { preset: string }) => api.post<Framework>(`${V1}/frameworks`, input);
export interface CreatePracticeInput {
  frameworkId: string;
  outcomeKey: string;
  code: string;
  title: string;
  description?: string;
  guidance: string;
  exampleEvidence: string[];
  unitKinds: string[];
  critical: boolean;
}
export const fetchPracticeOptions = (signal?: AbortSignal) => api.get<Page<Practice>>(`${V1}/practices`, { limit: 500 }, signal);
export const createPractice = (input: CreatePracticeInput) => api.post<Practice>(`${V1}/practices`, input);
export const markPracticeNotApplicable = (practiceId: string, unitId: string, justification: string) =>
  api.post<Practice>(`${V1}/practices/${id(practiceId)}/not-applicable`, { unitId, justification });
export const markPracticeApplicable = (practiceId: string, unitId: string) =>
  api.post<Practice>(`${V1}/practices/${id(practiceId)}/applicable`, { unitId });
export const fetchPractice = (practiceId: string, signal?: AbortSignal) =>
  api.get<PracticeDetail>(`${V1}/practices/${id(practiceId)}`, undefined, signal);

// Cycles and the status score
export const fetchCycles = (signal?: AbortSignal) => api.get<Page<Cycle>>(`${V1}/cycles`, undefined, signal);
export const fetchCycle = (cycleId: string, signal?: AbortSignal) => api.get<Cycle>(`${V1}/cycles/${id(cycleId)}`, undefined, signal);
export const createCycle = (input: { frameworkId: string; name: string; opensAt: string; dueAt: string; carryForward: boolean }) =>
  api.post<Cycle>(`${V1}/cycles`, input);
export const closeCycle = (cycleId: string) => api.post<Cycle>(`${V1}/cycles/${id(cycleId)}/close`);
export const fetchStatus = (cycleId: string, unitId: string | null, signal?: AbortSignal) =>
  api.get<CycleStatus>(`${V1}/cycles/${id(cycleId)}/status`, { unitId }, signal);
export const fetchHeatmap = (cycleId: string, by: 'practice' | 'outcome', level: string | null, signal?: AbortSignal) =>
  api.get<Heatmap>(`${V1}/cycles/${id(cycleId)}/heatmap`, { by, level }, signal);
export const fetchSignals = (cycleId: string, unitId: string | null, signal?: AbortSignal) =>
  api.get<{ items: Signal[]; window?: { from: string; to: string } }>(`${V1}/cycles/${id(cycleId)}/signals`, { unitId }, signal);
export const fetchTrend = (cycleId: string, signal?: AbortSignal) => api.get<Trend>(`${V1}/cycles/${id(cycleId)}/trend`, undefined, signal);
export const exportUrl = (cycleId: string, format: 'pdf' | 'csv') => `${V1}/cycles/${id(cycleId)}/export.${format}`;

// Cells
export interface AssessmentFilters {
  cycleId?: string | null;
  unitId?: string | null;
  practiceId?: string | null;
  state?: CellState | null;
  red?: boolean;
}
export const fetchAssessments = (filters: AssessmentFilters, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Assessment>>(
    `${V1}/assessments`,
    { cycleId: filters.cycleId, unitId: filters.unitId, practiceId: filters.practiceId, state: filters.state, red: filters.red || undefined, limit: PAGE_LIMIT, cursor },
    signal,
  );
export const fetchAssessment = (assessmentId: string, signal?: AbortSignal) =>
  api.get<Assessment>(`${V1}/assessments/${id(assessmentId)}`, undefined, signal);
export const fetchAssessmentEvents = (assessmentId: string, signal?: AbortSignal) =>
  api.get<{ items: HistoryEvent[] }>(`${V1}/assessments/${id(assessmentId)}/events`, undefined, signal);
export const saveAssessment = (assessmentId: string, input: { selfScore?: number; rationale?: string }) =>
  api.patch<Assessment>(`${V1}/assessments/${id(assessmentId)}`, input);
export const submitAssessment = (assessmentId: string, input: { selfScore: number; rationale: string }) =>
  api.post<Assessment>(`${V1}/assessments/${id(assessmentId)}/submit`, input);
export type ReviewInput =
  | { decision: 'approve'; comment?: string }
  | { decision: 'return'; comment: string }
  | { decision: 'override'; reviewerScore: number; comment: string };
export const reviewAssessment = (assessmentId: string, input: ReviewInput) =>
  api.post<Assessment>(`${V1}/assessments/${id(assessmentId)}/review`, input);
export const markNotApplicable = (assessmentId: string, justification: string) =>
  api.post<Assessment>(`${V1}/assessments/${id(assessmentId)}/not-applicable`, { justification });
export const reopenAssessment = (assessmentId: string) => api.post<Assessment>(`${V1}/assessments/${id(assessmentId)}/reopen`);
export const setAssessmentEvidence = (assessmentId: string, evidenceIds: string[]) =>
  apiPut<Assessment>(`${V1}/assessments/${id(assessmentId)}/evidence`, { evidenceIds });

// Evidence
export const fetchEvidence = (
  filters: { unitId?: string | null; assessmentId?: string | null; actionId?: string | null },
  cursor: string | null,
  signal?: AbortSignal,
) => api.get<Page<Evidence>>(`${V1}/evidence`, { ...filters, limit: PAGE_LIMIT, cursor }, signal);
export const createEvidence = (input: {
  kind: 'link' | 'note';
  title: string;
  unitId: string;
  url?: string;
  note?: string;
  expiresAt?: string;
  assessmentIds?: string[];
}) => api.post<Evidence>(`${V1}/evidence`, input);

export const approveEvidence = (evidenceId: string) => api.patch<Evidence>(`${V1}/evidence/${id(evidenceId)}`, { status: 'approved' });

/**
 * Multipart upload. The shared client sends JSON or a typed raw body; a form needs the browser to
 * set its own boundary, so this asks /auth/me for the current CSRF token and posts the form itself.
 */
export async function uploadEvidenceFile(input: { file: File; title: string; unitId: string; assessmentId?: string; expiresAt?: string }): Promise<Evidence> {
  const me = await api.get<{ csrfToken?: string }>(`${V1}/auth/me`);
  const form = new FormData();
  form.append('title', input.title);
  form.append('unitId', input.unitId);
  if (input.assessmentId) form.append('assessmentId', input.assessmentId);
  if (input.expiresAt) form.append('expiresAt', input.expiresAt);
  form.append('file', input.file, input.file.name);
  let response: Response;
  try {
    response = await fetch(`${V1}/evidence/files`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(me.csrfToken ? { 'x-csrf-token': me.csrfToken } : {}) },
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
  if (!response.ok) {
    const message =
      response.status === 413
        ? 'That file is too large: evidence files can be up to 10 MB.'
        : response.status === 415
          ? 'That kind of file is not accepted: use PDF, a picture, Word, Excel, text or CSV.'
          : (body.error?.message ?? `The upload failed (${response.status}).`);
    throw new ApiError(response.status, body.error?.code ?? 'http_error', message, body.error?.details);
  }
  return body as unknown as Evidence;
}

// Actions
export interface ActionFilters {
  status?: ActionStatus | null;
  mine?: boolean;
  overdue?: boolean;
  unitId?: string | null;
  practiceId?: string | null;
}
export const fetchActions = (filters: ActionFilters, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Action>>(
    `${V1}/actions`,
    { status: filters.status, mine: filters.mine || undefined, overdue: filters.overdue || undefined, unitId: filters.unitId, practiceId: filters.practiceId, limit: PAGE_LIMIT, cursor },
    signal,
  );
export const fetchAction = (actionId: string, signal?: AbortSignal) => api.get<Action>(`${V1}/actions/${id(actionId)}`, undefined, signal);
export const fetchActionEvents = (actionId: string, signal?: AbortSignal) =>
  api.get<{ items: HistoryEvent[] }>(`${V1}/actions/${id(actionId)}/events`, undefined, signal);
export interface ActionInput {
  title: string;
  description?: string;
  practiceId: string;
  unitId: string;
  delegateId: string;
  deadline: string;
  priority: ActionPriority;
  expectedEffect: string;
  /** When the action answers an alert (an emerging complaint issue): recorded as its source. */
  alert?: { key: string; detail: string };
}
export const createAction = (input: ActionInput) => api.post<Action>(`${V1}/actions`, input);
export const updateAction = (actionId: string, input: Partial<Omit<ActionInput, 'practiceId' | 'unitId'>>) =>
  api.patch<Action>(`${V1}/actions/${id(actionId)}`, input);
export const markActionDone = (actionId: string, input: { note: string; evidenceIds: string[] }) =>
  api.post<Action>(`${V1}/actions/${id(actionId)}/done`, input);
export const verifyAction = (actionId: string, input: { comment?: string; rescore?: number }) =>
  api.post<Action>(`${V1}/actions/${id(actionId)}/verify`, input);
export const reopenAction = (actionId: string, comment: string) => api.post<Action>(`${V1}/actions/${id(actionId)}/reopen`, { comment });


export interface ConductSettings {
  reminderOffsetsDays: number[];
  repeatEveryDays: number;
  escalateAfterDays: number;
  actionDeadlineDays: number;
  evidenceExpiryReminderDays: number[];
  categoryPractices: Record<string, string[]>;
  complaintFlag: { minComplaints: number; upheldRate: number; strongScore: number };
}
export const fetchConductSettings = (signal?: AbortSignal) => api.get<ConductSettings>(`${V1}/conduct/settings`, undefined, signal);
export const updateConductSettings = (input: Partial<ConductSettings>) => api.patch<ConductSettings>(`${V1}/conduct/settings`, input);
