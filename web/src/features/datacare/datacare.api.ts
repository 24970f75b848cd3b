import { api, apiRequest } from '../../lib/api';

/** Shapes of the data-care endpoints (see /api/docs, tag "data care"). */

export interface Removed {
  customerFields: number;
  freeTextFields: number;
  messages: number;
  attachments: number;
  transfers: number;
  escalations: number;
  decisions: number;
  emails: number;
  notifications: number;
  portalLinks: number;
  surveyAnswers: number;
  webhookPayloads: number;
  historyEvents: number;
}

export interface RetentionReport {
  from: string | null;
  to: string | null;
  anonymised: { caseId: string; ref: string; at: string; reason: string; removed: Removed }[];
  totals: Removed & { cases: number };
  pending: { caseId: string; ref: string; retentionUntil: string; status: string; legalHold: boolean }[];
}

export type DataSubject = { email: string } | { customerRef: string };

export interface ErasureResult {
  erasedCases: { caseId: string; ref: string }[];
  alreadyAnonymised: number;
  surveyInvitations: number;
}

export interface ErasureRefusal {
  caseId: string;
  ref: string;
  reason: string;
}

export const fetchRetentionReport = (signal?: AbortSignal) => api.get<RetentionReport>('/api/v1/retention/report', undefined, signal);
export const exportCustomerData = (subject: DataSubject) => api.post<Record<string, unknown>>('/api/v1/customer-data/export', subject);
export const eraseCustomerData = (subject: DataSubject, reason: string) => api.post<ErasureResult>('/api/v1/customer-data/erase', { ...subject, reason });
export const setLegalHold = (caseId: string, hold: boolean, reason: string) =>
  apiRequest<{ caseId: string; legalHold: boolean }>(`/api/v1/cases/${caseId}/legal-hold`, { method: 'PUT', body: { hold, reason } });

/** Plain words for the removal counters, in the order the report shows them. */
export const removedLabels: Record<keyof Removed, string> = {
  customerFields: 'customer details',
  freeTextFields: 'free-text fields',
  messages: 'messages',
  attachments: 'files',
  transfers: 'transfer reasons',
  escalations: 'escalation notes',
  decisions: 'decision rationales',
  emails: 'e-mails',
  notifications: 'notifications',
  portalLinks: 'status links',
  surveyAnswers: 'survey answers',
  webhookPayloads: 'webhook payloads',
  historyEvents: 'history entries',
};
