import type {
  CaseChannel, CaseKind, CaseOutcome, CasePriority, CaseStatus, ClockState, DecisionKind, RedressKind,
} from './cases.api';

/** Words for the API's codes: what people read on badges, selects and in the timeline. */

export const statusLabels: Record<CaseStatus, string> = {
  open: 'Open',
  waiting_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const kindLabels: Record<CaseKind, string> = {
  complaint: 'Complaint',
  request: 'Request',
  follow_up: 'Follow-up',
};

export const priorityLabels: Record<CasePriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const channelLabels: Record<CaseChannel, string> = {
  web: 'Web',
  email: 'E-mail',
  phone: 'Phone',
  letter: 'Letter',
  social: 'Social media',
  api: 'API',
  branch: 'Branch',
  survey: 'Survey',
};

export const outcomeLabels: Record<CaseOutcome, string> = {
  upheld: 'Upheld',
  partially_upheld: 'Partially upheld',
  not_upheld: 'Not upheld',
  resolved: 'Resolved (no finding)',
};

export const redressKindLabels: Record<RedressKind, string> = {
  compensation: 'Compensation',
  refund: 'Refund',
  goodwill: 'Goodwill payment',
  interest: 'Interest',
};

export const escalationReasonLabels: Record<string, string> = {
  manual: 'Needs someone with more authority',
  customer_request: 'The customer asked for it',
  vulnerable_customer: 'Vulnerable customer',
  outside_process: 'Falls outside our standard process',
  breach: 'Deadline breached',
  warning: 'Deadline close',
  transfer_waiting: 'Transfer left waiting',
  discretion: 'Discretion decision needs approval',
};

export const decisionKindLabels: Record<DecisionKind, string> = {
  refund: 'Refund',
  fee_waiver: 'Fee waiver',
  goodwill: 'Goodwill payment',
  policy_exception: 'Policy exception',
};

export const clockStateLabels: Record<ClockState, string> = {
  running: 'Running',
  paused: 'Paused',
  met: 'Met',
  warning: 'Warning',
  breached: 'Breached',
};

export const options = <T extends string>(labels: Record<T, string>, values: readonly T[]) =>
  values.map((value) => ({ value, label: labels[value] }));

/** Unknown codes (a newer server) still read as words. */
export const labelOf = (labels: Record<string, string>, value: string | null | undefined): string =>
  value ? (labels[value] ?? value.replaceAll('_', ' ')) : '';

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const formatAmount = (amount: number): string => money.format(amount);
