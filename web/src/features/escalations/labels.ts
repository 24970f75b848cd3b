import type { DecisionKind, DecisionState, EscalationReason, EscalationState, FailureType, LessonStatus } from './escalations.api';

/** Reasons in words: the queue says why something reached you, not an enum. */
export const reasonLabels: Record<EscalationReason, string> = {
  breach: 'Deadline missed',
  warning: 'Deadline close',
  transfer_waiting: 'Hand-off waiting too long',
  discretion: 'Decision needs approval',
  manual: 'Help asked for',
  customer_request: 'Customer asked for a manager',
  vulnerable_customer: 'Customer in vulnerable circumstances',
  outside_process: 'Outside standard process',
};

export const escalationStateLabels: Record<EscalationState, string> = {
  open: 'Not acknowledged',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/**
 * The root-cause taxonomy (FCA complaints return causes, DISP 1 Annex 1). The server checks the
 * organisation's own list; it has no endpoint to read it yet, so this is the default list.
 */
export const rootCauses = [
  'Arrears related',
  'Advising, selling and arranging',
  'Terms and disputed sums/charges',
  'General admin/customer service',
  'Delays/timescales',
  'Errors',
  'Fraud and scams',
  'Product performance/features',
  'Closure/cancellation',
  'Credit file and reporting',
  'Other',
] as const;

export const failureTypeLabels: Record<FailureType, string> = {
  policy: 'Policy',
  process: 'Process',
  system: 'System',
  people: 'People',
  third_party: 'Third party',
};

export const lessonStatusLabels: Record<LessonStatus, string> = {
  proposed: 'Proposed',
  in_progress: 'In progress',
  done: 'Done',
  rejected: 'Rejected',
};

export const decisionKindLabels: Record<DecisionKind, string> = {
  refund: 'Refund',
  fee_waiver: 'Fee waiver',
  goodwill: 'Goodwill payment',
  policy_exception: 'Policy exception',
};

export const decisionStateLabels: Record<DecisionState, string> = {
  applied: 'Applied',
  pending_approval: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** `final_response` → "final response". */
export const humanise = (name: string) => name.replace(/_/g, ' ');

export const optionsFrom = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
