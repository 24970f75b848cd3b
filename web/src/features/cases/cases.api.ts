import { api, apiRequest, buildUrl, type Page } from '../../lib/api';

/** Case shapes and calls (API: /api/v1/cases, /transfers, /imports). */

export const caseStatuses = ['open', 'waiting_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const caseKinds = ['complaint', 'request', 'follow_up'] as const;
export type CaseKind = (typeof caseKinds)[number];
export const casePriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof casePriorities)[number];
/** Channels staff can choose (the API also knows "survey", set by the survey follow-up). */
export const caseChannels = ['web', 'email', 'phone', 'letter', 'social', 'api', 'branch'] as const;
export type CaseChannel = (typeof caseChannels)[number] | 'survey';
export const caseOutcomes = ['upheld', 'partially_upheld', 'not_upheld', 'resolved'] as const;
export type CaseOutcome = (typeof caseOutcomes)[number];
export const redressKinds = ['compensation', 'refund', 'goodwill', 'interest'] as const;
export type RedressKind = (typeof redressKinds)[number];
/** Reasons a person can pick; breach, warning, transfer_waiting and discretion are raised by the system. */
export const manualEscalationReasons = ['manual', 'customer_request', 'vulnerable_customer', 'outside_process'] as const;
export type ManualEscalationReason = (typeof manualEscalationReasons)[number];
export const decisionKinds = ['refund', 'fee_waiver', 'goodwill', 'policy_exception'] as const;
export type DecisionKind = (typeof decisionKinds)[number];
export type ClockState = 'running' | 'paused' | 'met' | 'warning' | 'breached';

/**
 * The organisation's default root-cause categories (FCA complaints return). The API checks a
 * category against the organisation's own list; it has no endpoint to read that list yet.
 */
export const defaultCategories = [
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

export interface Customer {
  name: string;
  email: string | null;
  phone: string | null;
  ref: string | null;
}

export interface CaseSummary {
  id: string;
  ref: string;
  kind: CaseKind;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  ownerId: string;
  owner: { id: string; name: string; role: string };
  unitId: string;
  unit: { id: string; name: string };
  customer: Customer;
  channel: CaseChannel;
  product: string | null;
  category: string | null;
  vulnerable: boolean;
  receivedAt: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  nextDueAt: string | null;
  breached: boolean;
}

export interface Transfer {
  id: string;
  caseId: string;
  state: string;
  fromUserId: string;
  fromUserName?: string;
  toUserId: string | null;
  toUnitId: string | null;
  reason: string;
  declineReason: string | null;
  createdAt: string;
  decidedAt: string | null;
  caseRef?: string;
  caseSubject?: string;
}

export interface ComplaintSignals {
  likely: boolean;
  score: number;
  reasons: { reason: string; match: string }[];
}

export interface CaseClock {
  name: string;
  label: string;
  dueAt: string;
  state: ClockState;
  informational: boolean;
  metAt: string | null;
  breachedAt: string | null;
  pausedAt: string | null;
}

export interface CaseDetail extends CaseSummary {
  description: string;
  vulnerabilityNote: string | null;
  outcome: CaseOutcome | null;
  resolutionSummary: string | null;
  redress: { amount: number; kind: RedressKind | null } | null;
  reopenCount: number;
  retentionUntil: string;
  legalHold: boolean;
  pendingTransfer: Transfer | null;
  complaintSignals: ComplaintSignals | null;
  policy: string | null;
  clocks: CaseClock[];
}

export interface CaseEvent {
  seq: number;
  at: string;
  actorId: string | null;
  type: string;
  data: unknown;
}

export interface CaseMessage {
  id: string;
  authorType: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  visibleToCustomer: boolean;
  createdAt: string;
}

export type CaseCounts = Record<CaseStatus, number>;

export const CASE_PAGE_LIMIT = 50;

/** Filters of GET /cases (also /counts and /export.csv, minus what those do not take). */
export interface CaseFilters {
  status?: readonly CaseStatus[];
  kind?: readonly CaseKind[];
  ownerId?: string;
  unitId?: string | null;
  category?: string | null;
  product?: string;
  breached?: boolean | null;
  vulnerable?: boolean | null;
  receivedFrom?: string;
  receivedTo?: string;
  /** Set by the drill-down links of the reports. */
  report?: ReportDrillDown;
  q?: string;
  sort?: 'due' | 'received' | 'received_asc';
}

/** The filters a report figure opens the case list with (see reports/report-scope.ts casesLink). */
export const reportDrillDownKeys = ['resolvedFrom', 'resolvedTo', 'outcome', 'redressKind', 'breachedClock', 'reopened', 'channel'] as const;
export type ReportDrillDown = Partial<Record<(typeof reportDrillDownKeys)[number], string>>;

export function caseQuery(filters: CaseFilters) {
  return {
    status: filters.status?.length ? filters.status.join(',') : undefined,
    kind: filters.kind?.length ? filters.kind.join(',') : undefined,
    ownerId: filters.ownerId,
    unitId: filters.unitId,
    category: filters.category,
    product: filters.product?.trim(),
    breached: filters.breached ?? undefined,
    vulnerable: filters.vulnerable ?? undefined,
    receivedFrom: filters.receivedFrom,
    receivedTo: filters.receivedTo,
    ...filters.report,
    q: filters.q?.trim(),
    sort: filters.sort,
  };
}

export const casesQueryKey = ['cases'] as const;
export const caseQueryKey = (id: string) => ['cases', 'detail', id] as const;
export const transfersQueryKey = ['transfers'] as const;
export const importsQueryKey = ['imports'] as const;

const casePath = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;

export const fetchCases = (filters: CaseFilters, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<CaseSummary>>('/api/v1/cases', { ...caseQuery(filters), limit: CASE_PAGE_LIMIT, cursor }, signal);

export const fetchCaseCounts = (filters: Omit<CaseFilters, 'status' | 'sort'>, signal?: AbortSignal) =>
  api.get<CaseCounts>('/api/v1/cases/counts', { ...caseQuery(filters), sort: undefined, status: undefined }, signal);

export const exportCsvUrl = (filters: CaseFilters) => buildUrl('/api/v1/cases/export.csv', caseQuery(filters));

export const fetchCase = (id: string, signal?: AbortSignal) => api.get<CaseDetail>(casePath(id), undefined, signal);
export const fetchCaseEvents = (id: string, signal?: AbortSignal) =>
  api.get<{ items: CaseEvent[] }>(`${casePath(id)}/events`, undefined, signal);
export const fetchCaseMessages = (id: string, signal?: AbortSignal) =>
  api.get<{ items: CaseMessage[] }>(`${casePath(id)}/messages`, undefined, signal);

export interface NewCaseInput {
  subject: string;
  description: string;
  customer: { name: string; email?: string | null; phone?: string | null; ref?: string | null };
  unitId: string;
  kind?: CaseKind;
  channel?: CaseChannel;
  product?: string | null;
  category?: string | null;
  priority?: CasePriority;
  vulnerable?: boolean;
  vulnerabilityNote?: string | null;
  receivedAt?: string;
}

export const createCase = (input: NewCaseInput) => api.post<CaseDetail>('/api/v1/cases', input);
export const detectComplaint = (text: string) => api.post<ComplaintSignals>('/api/v1/cases/detect', { text });
export const updateCase = (id: string, patch: { kind?: CaseKind }) => api.patch<CaseDetail>(casePath(id), patch);

export const addMessage = (id: string, body: string, visibleToCustomer: boolean) =>
  api.post<CaseMessage>(`${casePath(id)}/messages`, { body, visibleToCustomer });
export const requestTransfer = (id: string, input: { toUserId?: string; toUnitId?: string; reason: string }) =>
  api.post<Transfer>(`${casePath(id)}/transfers`, input);
export const pauseCase = (id: string) => api.post<CaseDetail>(`${casePath(id)}/pause`, {});
export const resumeCase = (id: string) => api.post<CaseDetail>(`${casePath(id)}/resume`, {});
export const resolveCase = (
  id: string,
  input: { outcome: CaseOutcome; summary: string; redress?: { amount: number; kind: RedressKind } | null },
) => api.post<CaseDetail>(`${casePath(id)}/resolve`, input);
export const reopenCase = (id: string, reason: string) => api.post<CaseDetail>(`${casePath(id)}/reopen`, { reason });
export const closeCase = (id: string) => api.post<CaseDetail>(`${casePath(id)}/close`);
export const escalateCase = (id: string, input: { reason: ManualEscalationReason; note: string }) =>
  api.post<{ id: string; toUserName: string }>(`${casePath(id)}/escalations`, input);

export interface DecisionResult {
  decision: { id: string; state: 'applied' | 'pending_approval' | string; kind: DecisionKind; amount: number | null };
  escalationId: string | null;
}
export const recordDecision = (id: string, input: { kind: DecisionKind; amount?: number | null; rationale: string }) =>
  api.post<DecisionResult>(`${casePath(id)}/decisions`, input);

export const fetchTransfers = (signal?: AbortSignal) => api.get<{ items: Transfer[] }>('/api/v1/transfers', undefined, signal);
const transferPath = (id: string) => `/api/v1/transfers/${encodeURIComponent(id)}`;
export const acceptTransfer = (id: string) => api.post<Transfer>(`${transferPath(id)}/accept`);
export const declineTransfer = (id: string, reason: string) => api.post<Transfer>(`${transferPath(id)}/decline`, { reason });
export const cancelTransfer = (id: string) => api.post<Transfer>(`${transferPath(id)}/cancel`);

// ---------------------------------------------------------------------------------------------
// Imports

export const importFields = [
  'subject',
  'description',
  'customerName',
  'customerEmail',
  'customerPhone',
  'customerRef',
  'receivedAt',
  'product',
  'category',
  'channel',
  'kind',
  'priority',
  'vulnerable',
] as const;
export type ImportField = (typeof importFields)[number];
export type ColumnMapping = Partial<Record<ImportField, string>>;

export interface ImportRowError {
  line: number;
  field?: string;
  message: string;
}

export interface CaseImport {
  id: string;
  filename: string;
  state: 'importing' | 'done' | 'failed' | 'invalid' | string;
  totalRows: number;
  importedRows: number;
  errors: ImportRowError[];
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportMapping {
  name: string;
  builtin: boolean;
  columns: ColumnMapping | null;
}

export const fetchImports = (signal?: AbortSignal) => api.get<{ items: CaseImport[] }>('/api/v1/imports', undefined, signal);
export const fetchImport = (id: string, signal?: AbortSignal) =>
  api.get<CaseImport>(`/api/v1/imports/${encodeURIComponent(id)}`, undefined, signal);
export const fetchImportMappings = (signal?: AbortSignal) =>
  api.get<{ items: ImportMapping[] }>('/api/v1/import-mappings', undefined, signal);

export interface StartImportInput {
  file: File;
  unitId: string;
  /** A saved or built-in mapping by name, or columns given here. */
  mapping: { name: string } | { columns: ColumnMapping; saveAs?: string };
}

export const startImport = ({ file, unitId, mapping }: StartImportInput) =>
  apiRequest<CaseImport>('/api/v1/imports', {
    method: 'POST',
    query: {
      unitId,
      filename: file.name.slice(0, 255),
      ...('name' in mapping
        ? { mapping: mapping.name }
        : { columns: JSON.stringify(mapping.columns), saveMappingAs: mapping.saveAs?.trim() }),
    },
    raw: { body: file, contentType: 'text/csv' },
  });
