import { api, type Page } from '../../lib/api';

/** Shapes of the escalation, lesson and decision endpoints (see /api/docs, tag "escalations"). */

export const escalationReasons = [
  'breach',
  'warning',
  'transfer_waiting',
  'discretion',
  'manual',
  'customer_request',
  'vulnerable_customer',
  'outside_process',
] as const;
export type EscalationReason = (typeof escalationReasons)[number];
export type EscalationState = 'open' | 'acknowledged' | 'resolved';

export interface Escalation {
  id: string;
  caseId: string;
  caseRef: string;
  caseSubject: string;
  reason: EscalationReason;
  note: string;
  toUserId: string;
  toUserName: string;
  rung: number;
  state: EscalationState;
  createdAt: string;
  /** Null once it sits at the top of the ladder with nobody left to climb to. */
  ackDueAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  /** Set when the escalation asks for approval of a discretion decision. */
  decisionId: string | null;
  clockName: string | null;
}

export const failureTypes = ['policy', 'process', 'system', 'people', 'third_party'] as const;
export type FailureType = (typeof failureTypes)[number];

export const lessonStatuses = ['proposed', 'in_progress', 'done', 'rejected'] as const;
export type LessonStatus = (typeof lessonStatuses)[number];

export interface Lesson {
  id: string;
  escalationId: string;
  caseId: string;
  caseRef: string;
  unitId: string;
  unitName: string;
  rootCause: string;
  failureType: FailureType;
  processChange: string;
  practiceId: string | null;
  ownerId: string;
  ownerName: string;
  status: LessonStatus;
  createdAt: string;
  updatedAt: string;
}

export const decisionKinds = ['refund', 'fee_waiver', 'goodwill', 'policy_exception'] as const;
export type DecisionKind = (typeof decisionKinds)[number];
export const decisionStates = ['applied', 'pending_approval', 'approved', 'rejected'] as const;
export type DecisionState = (typeof decisionStates)[number];

export interface Decision {
  id: string;
  caseId: string;
  caseRef?: string;
  kind: DecisionKind;
  amount: number | null;
  rationale: string;
  decidedBy: string;
  decidedByName?: string;
  state: DecisionState;
  escalationId: string | null;
  approvedBy: string | null;
  approvalNote: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** The list endpoints answer one page of at most 500 (no cursor yet); we ask for the most. */
export const LIST_LIMIT = 500;

export const escalationsQueryKey = ['escalations'] as const;
export const lessonsQueryKey = ['lessons'] as const;
export const decisionsQueryKey = ['decisions'] as const;

export interface EscalationFilters {
  state: EscalationState[];
  /** 'me' for "addressed to me". */
  toUserId?: 'me';
}

export const fetchEscalations = (filters: EscalationFilters, signal?: AbortSignal) =>
  api.get<Page<Escalation>>(
    '/api/v1/escalations',
    { state: filters.state.join(','), toUserId: filters.toUserId, limit: LIST_LIMIT },
    signal,
  );

export const acknowledgeEscalation = (id: string) =>
  api.post<Escalation>(`/api/v1/escalations/${encodeURIComponent(id)}/acknowledge`);

export interface ResolveEscalationInput {
  resolution: string;
  lesson?: { rootCause: string; failureType?: FailureType; processChange: string };
  decision?: 'approve' | 'reject';
}

export const resolveEscalation = (id: string, input: ResolveEscalationInput) =>
  api.post<Escalation>(`/api/v1/escalations/${encodeURIComponent(id)}/resolve`, input);

export const fetchLessons = (status: LessonStatus | null, signal?: AbortSignal) =>
  api.get<Page<Lesson>>('/api/v1/lessons', { status, limit: LIST_LIMIT }, signal);

export const updateLesson = (id: string, input: { status: LessonStatus }) =>
  api.patch<Lesson>(`/api/v1/lessons/${encodeURIComponent(id)}`, input);

export interface DecisionFilters {
  state: DecisionState | null;
  /** ISO date-times; `to` is exclusive. */
  from?: string;
  to?: string;
}

export const fetchDecisions = (filters: DecisionFilters, signal?: AbortSignal) =>
  api.get<Page<Decision>>(
    '/api/v1/decisions',
    { state: filters.state, from: filters.from, to: filters.to, limit: LIST_LIMIT },
    signal,
  );
