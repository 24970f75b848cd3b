import { apiRequest } from '../../lib/api';

/**
 * The customer portal's side of the API: public, no session. Every call says
 * `ignoreUnauthorized`, so an answer of 401 (which the portal never expects) can never make the
 * app forget a staff session or send a customer to the staff login page.
 */

export interface PortalProducts {
  organisation: { name: string };
  products: string[];
}

export type PreferredContact = 'email' | 'phone' | 'letter';

export interface ComplaintInput {
  name: string;
  email: string;
  phone?: string;
  customerRef?: string;
  product?: string;
  whatHappened: string;
  desiredOutcome?: string;
  preferredContact: PreferredContact;
  needsSupport: boolean;
  supportNote?: string;
  /** Honeypot: people never see it and leave it empty. */
  website: string;
}

export interface ComplaintFiled {
  ref: string;
  /** A path such as /portal/status/<token>. */
  statusUrl: string;
  token: string;
}

export type Stage = 'received' | 'being_looked_into' | 'waiting_for_you' | 'answered' | 'closed';

export interface Person {
  displayName: string;
  role: string;
}

export interface PortalMessage {
  id: string;
  from: 'you' | 'us';
  authorName: string | null;
  body: string;
  at: string;
}

export interface Commitment {
  label: string;
  dueAt: string;
  state: 'kept' | 'missed' | 'open';
}

export interface PortalStatus {
  ref: string;
  organisation: { name: string };
  subject: string;
  stage: Stage;
  stageLabel: string;
  owner: Person;
  nextStep: string;
  nextStepBy: string | null;
  commitments: Commitment[];
  timeline: { at: string; text: string }[];
  messages: PortalMessage[];
  managerRequested: Person | null;
}

/** An organisation's portal may be addressed by its slug (`/portal?org=harbour-vale`). */
const orgQuery = (org: string | null | undefined) => (org ? { org } : undefined);

export const portalKeys = {
  products: (org: string | null) => ['portal', 'products', org ?? ''] as const,
  status: (token: string) => ['portal', 'status', token] as const,
};

export const fetchProducts = (org: string | null, signal?: AbortSignal) =>
  apiRequest<PortalProducts>('/portal/api/products', { query: orgQuery(org), signal, ignoreUnauthorized: true });

export const fileComplaint = (input: ComplaintInput, org: string | null) =>
  apiRequest<ComplaintFiled>('/portal/api/complaints', { method: 'POST', body: input, query: orgQuery(org), ignoreUnauthorized: true });

const statusPath = (token: string) => `/portal/api/status/${encodeURIComponent(token)}`;

export const fetchStatus = (token: string, signal?: AbortSignal) =>
  apiRequest<PortalStatus>(statusPath(token), { signal, ignoreUnauthorized: true });

export const sendMessage = (token: string, body: string) =>
  apiRequest<PortalMessage>(`${statusPath(token)}/messages`, { method: 'POST', body: { body }, ignoreUnauthorized: true });

export const askForManager = (token: string, note: string) =>
  apiRequest<{ to: Person }>(`${statusPath(token)}/manager`, {
    method: 'POST',
    body: note.trim() ? { note: note.trim() } : {},
    ignoreUnauthorized: true,
  });
