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
  documents: PortalDocument[];
}

export interface PortalDocument {
  filename: string;
  size: number;
  at: string;
  from: 'you' | 'us';
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

/** Sends a document as multipart/form-data; the server checks its type by its bytes and its size. */
export async function sendDocument(token: string, file: File): Promise<PortalDocument> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch(`${statusPath(token)}/documents`, { method: 'POST', body: form, credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = (body as { error?: { message?: string } }).error?.message;
    throw new Error(response.status === 413 ? 'That file is too large: documents can be up to 10 MB.'
      : response.status === 415 ? 'We can only accept PDF, Word, Excel, text files and pictures (PNG, JPEG, GIF, WebP).'
      : response.status === 429 ? 'You have sent several documents in a short time. Please wait a few minutes.'
      : message ?? 'The document could not be sent. Please try again.');
  }
  return body as PortalDocument;
}
