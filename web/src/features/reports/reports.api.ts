import { api, apiRequest, buildUrl } from '../../lib/api';

export interface ReportFilters {
  from: string;
  to: string;
  unitId?: string | null;
}

export type IndicatorFormat = 'count' | 'percent' | 'days' | 'score' | 'nps' | 'hours';

export interface Indicator {
  key: string;
  label: string;
  value: number | null;
  previous: number | null;
  format: IndicatorFormat;
  better: 'up' | 'down';
  margin?: number | null;
  link?: string | null;
  note?: string | null;
}

export interface Breakdown {
  dimension: string;
  value: string;
  label: string;
  received: number;
  resolved: number;
  upheld: number;
  upheldRate: number | null;
  shareWithin8Weeks: number | null;
  link: string;
}

export interface Percentiles {
  median: number | null;
  p90: number | null;
  p90AtLeast: boolean;
}

export interface PeriodTotals {
  received: number;
  resolved: number;
  resolvedWithin3BusinessDays: number;
  resolvedWithin8Weeks: number;
  upheld: number;
  reopened: number;
  redress: { compensation: number; refund: number; goodwill: number; interest: number; total: number };
  calendarDays: Percentiles;
  businessDays: Percentiles;
  clocks: { clock: string; started: number; breached: number; rate: number | null }[];
  clockCompliance: number | null;
  upheldRate: number | null;
  shareWithin3BusinessDays: number | null;
  shareWithin8Weeks: number | null;
  reopenRate: number | null;
}

export interface ComplaintAnalytics {
  current: PeriodTotals;
  previous: PeriodTotals;
  by: Record<'unit' | 'product' | 'category' | 'channel' | 'vulnerable', Breakdown[]>;
  ageing: { open: number; link: string; buckets: { key: string; label: string; count: number; link: string }[] };
  escalations: {
    raised: number;
    acknowledged: number;
    medianHoursToAcknowledge: number | null;
    lessonsOpened: number;
    lessonsClosed: number;
    lessonsOpen: number;
    link: string;
    lessonsLink: string;
  };
  series: { week: string; received: number; resolved: number; open: number }[];
  links: {
    received: string;
    resolved: string;
    upheld: string;
    reopened: string;
    breached: string;
    clock: Record<string, string>;
    redress: Record<string, string>;
  };
}

export interface Commentary {
  headline: string;
  risks: string;
  actions: string;
  updatedAt: string;
  updatedBy: { id: string; name: string };
}

export interface ConductStatus {
  cycleId: string;
  cycleName: string;
  score: number | null;
  capped: boolean;
  capReason: string | null;
  weakestUnit: { id: string; name: string; score: number } | null;
  shareBelowThreshold: number;
  redCells: number;
  weakestPockets: Array<{ unitName: string; unitPath: string; practiceTitle: string; critical: boolean; score: number }>;
  overdueActions: number;
}

export interface ExecutiveReport {
  period: { from: string; to: string; previousFrom: string; previousTo: string };
  unit: { id: string; name: string } | null;
  generatedAt: string;
  indicators: Indicator[];
  complaints: ComplaintAnalytics;
  surveys: {
    care: { n: number; mean: number | null; marginOfError95: number | null };
    nps: { n: number; nps: number | null; marginOfError95: number | null };
    careToPropensity: { n: number; r: number | null; lower: number | null; upper: number | null };
  };
  conduct: ConductStatus | null;
  commentary: Commentary | null;
}

export interface EmergingIssue {
  key: string;
  kind: 'volume' | 'theme';
  dimension: string;
  value: string;
  label: string;
  current: number;
  expected: number;
  limit: number;
  isNew: boolean;
  window: { from: string; to: string };
  method: string;
  link: string;
  action: { title: string; description: string; unitId: string | null; suggestedPractice: string };
}

export interface ReturnRow {
  productGroup: string;
  mainCause: string;
  outstandingAtStart: number;
  received: number;
  closedWithin3BusinessDays: number;
  closedAfter3DaysWithin8Weeks: number;
  closedAfter8Weeks: number;
  closed: number;
  upheld: number;
  redressPaid: number;
}

export interface ComplaintsReturn {
  period: { from: string; to: string };
  rows: ReturnRow[];
  totals: ReturnRow;
  cfpb: { product: string; issue: string; received: number; closed: number; closedWithMonetaryRelief: number; closedWithExplanation: number; inProgress: number; timely: number }[];
}

export interface Subscription {
  id: string;
  userId: string;
  userName: string;
  email: string;
  frequency: 'weekly' | 'monthly';
  unitId: string | null;
  createdAt: string;
  lastPeriod: string | null;
}

const query = (f: ReportFilters) => ({ from: f.from, to: f.to, unitId: f.unitId ?? undefined });

export const reportQueryKey = (kind: string, f: ReportFilters | object) => ['reports', kind, f] as const;
export const fetchExecutiveReport = (f: ReportFilters, signal?: AbortSignal) => api.get<ExecutiveReport>('/api/v1/reports/executive', query(f), signal);
export const executivePdfUrl = (f: ReportFilters) => buildUrl('/api/v1/reports/executive.pdf', query(f));
export const saveCommentary = (f: ReportFilters, body: { headline: string; risks: string; actions: string }) =>
  apiRequest<Commentary>(buildUrl('/api/v1/reports/executive/commentary', query(f)), { method: 'PUT', body });
export const fetchComplaintAnalytics = (f: ReportFilters, signal?: AbortSignal) =>
  api.get<ComplaintAnalytics>('/api/v1/reports/complaints', query(f), signal);
export const fetchEmergingIssues = (f: ReportFilters, signal?: AbortSignal) =>
  api.get<{ asOf: string; items: EmergingIssue[] }>('/api/v1/reports/emerging-issues', query(f), signal);
export const fetchComplaintsReturn = (f: { from: string; to: string }, signal?: AbortSignal) =>
  api.get<ComplaintsReturn>('/api/v1/reports/complaints-return', f, signal);
export const complaintsReturnCsvUrl = (f: { from: string; to: string }) => buildUrl('/api/v1/reports/complaints-return.csv', f);
export const fetchSubscriptions = (signal?: AbortSignal) => api.get<{ items: Subscription[] }>('/api/v1/reports/subscriptions', undefined, signal);
export const subscribe = (body: { frequency: 'weekly' | 'monthly'; unitId?: string | null }) => api.post<Subscription>('/api/v1/reports/subscriptions', body);
export const unsubscribe = (id: string) => api.delete(`/api/v1/reports/subscriptions/${encodeURIComponent(id)}`);

export function formatFigure(value: number | null | undefined, format: IndicatorFormat): string {
  if (value === null || value === undefined) return '—';
  switch (format) {
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'days':
      return `${value} d`;
    case 'score':
      return value.toFixed(1);
    case 'nps':
      return value.toFixed(0);
    case 'hours':
      return `${value.toFixed(1)} h`;
    default:
      return value.toLocaleString('en-GB');
  }
}

export const money = (n: number) => `£${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
