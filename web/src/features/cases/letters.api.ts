import { api, apiRequest } from '../../lib/api';

/**
 * Customer letters under the FCA complaint rules (API: /api/v1/letter-templates,
 * /api/v1/cases/:id/letters). A template's {{fields}} are filled from the case or by the sender;
 * a letter with a required field left unfilled is refused (422).
 */

export const letterKinds = ['acknowledgement', 'summary_resolution', 'holding', 'final_response'] as const;
export type LetterKind = (typeof letterKinds)[number];
export type LetterPolicy = 'any' | 'fca-disp' | 'fca-psd';

export const letterKindLabels: Record<LetterKind, string> = {
  acknowledgement: 'Acknowledgement',
  summary_resolution: 'Summary resolution',
  holding: 'Holding response',
  final_response: 'Final response',
};

/** What each letter is for, in the words of the rules it follows (DISP 1.5, 1.6). */
export const letterKindDescriptions: Record<LetterKind, string> = {
  acknowledgement: 'Tells the customer the complaint arrived, who looks after it and when the final response is due. Sending it meets the acknowledgement deadline.',
  summary_resolution: 'Confirms a complaint resolved by the close of the third business day after it arrived. Sending it meets the final response deadline.',
  holding: 'Explains why the final response is late and when to expect it. Under fca-psd it extends the final response deadline to 35 business days.',
  final_response: 'The firm’s answer, with the Financial Ombudsman Service wording. Sending it meets the final response deadline.',
};

export const letterPolicyLabels: Record<LetterPolicy, string> = {
  any: 'Every policy',
  'fca-disp': 'fca-disp only',
  'fca-psd': 'fca-psd only',
};

/** The fields the sender writes, per letter; every other field comes from the case. */
export const senderFields: Record<LetterKind, readonly string[]> = {
  acknowledgement: [],
  summary_resolution: ['summary', 'redress'],
  holding: ['reasons', 'expectedDate'],
  final_response: ['outcome', 'summary', 'redress'],
};

/** The fields TrustDesk fills from the case, its owner and its clocks. */
export const caseFields = [
  'customer.name',
  'case.ref',
  'case.receivedDate',
  'owner.name',
  'owner.title',
  'organisation.name',
  'deadline.finalResponse',
  'outcome',
  'summary',
  'redress',
  'statusUrl',
  'today',
] as const;

/** What each {{field}} holds, in words (for "Still to fill" and the template help). */
export const letterFieldLabels: Record<string, string> = {
  'customer.name': 'Customer’s name',
  'case.ref': 'Case reference',
  'case.receivedDate': 'Date the complaint was received',
  'owner.name': 'Case owner’s name',
  'owner.title': 'Case owner’s job title',
  'organisation.name': 'Your organisation’s name',
  'deadline.finalResponse': 'Final response deadline',
  outcome: 'Outcome',
  summary: 'Summary',
  redress: 'Redress',
  statusUrl: 'Link to the customer’s status page',
  today: 'Today’s date',
  reasons: 'Reasons for the delay',
  expectedDate: 'Expected date',
};

/** A field's name in words; one a custom template made up reads "accountNumber" → "Account number". */
export function letterFieldLabel(name: string): string {
  const known = letterFieldLabels[name];
  if (known) return known;
  const words = name.replaceAll('.', ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Where a field's value comes from, for the template help. */
export const letterFieldSources: Record<string, string> = {
  'customer.name': 'from the case',
  'case.ref': 'from the case',
  'case.receivedDate': 'from the case, e.g. Friday 8 May 2026',
  'owner.name': 'the case owner',
  'owner.title': 'the case owner',
  'organisation.name': 'your organisation',
  'deadline.finalResponse': 'the final response clock, e.g. Friday 8 May 2026',
  outcome: 'the resolution of the case, or the sender (e.g. “we uphold your complaint”)',
  summary: 'the resolution summary of the case, or the sender',
  redress: 'the redress recorded on the case, or the sender; optional',
  statusUrl: 'a link to the customer’s status page',
  today: 'the date the letter is sent',
  reasons: 'the sender (holding response)',
  expectedDate: 'the sender (holding response)',
};

/** The four plain phrases of the letter's "Our decision:" line. */
export const outcomePhrases = [
  'we uphold your complaint',
  'we uphold your complaint in part',
  'we do not uphold your complaint',
  'your complaint is resolved',
] as const;

/** The phrase the server uses for a resolved case's outcome (keep in step with the API). */
export const outcomePhraseOf: Record<string, string> = {
  upheld: 'we uphold your complaint',
  partially_upheld: 'we uphold your complaint in part',
  not_upheld: 'we do not uphold your complaint',
  resolved: 'your complaint is resolved',
};

const FIELD = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;

/** The {{fields}} a template text uses, in order of first use. */
export function fieldsIn(text: string): string[] {
  return [...new Set([...text.matchAll(FIELD)].map((match) => match[1]!))];
}

/** Splits text into plain parts and {{field}} placeholders (to mark what is still unfilled). */
export function splitPlaceholders(text: string): { text: string; field?: string }[] {
  const parts: { text: string; field?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(FIELD)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], field: match[1] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** "2026-05-08" → "Friday 8 May 2026", the way the letters write dates. */
export function formatLetterDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(date.getTime())) return isoDate;
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

export interface LetterTemplate {
  kind: LetterKind;
  policy: LetterPolicy;
  subject: string;
  body: string;
  /** Fields that may stay empty: their line disappears. */
  optional: string[];
  /** The organisation's own wording (false: the default text). */
  custom: boolean;
}

export interface LetterPreview {
  kind: LetterKind;
  subject: string;
  body: string;
  /** Required fields still unfilled; they read as {{field}} in the text. */
  missing: string[];
}

export interface SentLetter {
  kind: LetterKind;
  subject: string;
  body: string;
  messageId: string;
}

export type LetterFields = Record<string, string>;

export const letterTemplatesQueryKey = ['letter-templates'] as const;

export const fetchLetterTemplates = (signal?: AbortSignal) =>
  api.get<{ items: LetterTemplate[] }>('/api/v1/letter-templates', undefined, signal);

export const saveLetterTemplate = (kind: LetterKind, input: { subject: string; body: string }) =>
  apiRequest<LetterTemplate>(`/api/v1/letter-templates/${encodeURIComponent(kind)}`, { method: 'PUT', body: input });

const lettersPath = (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}/letters`;

export const previewLetter = (caseId: string, kind: LetterKind, fields: LetterFields, signal?: AbortSignal) =>
  apiRequest<LetterPreview>(`${lettersPath(caseId)}/preview`, { method: 'POST', body: { kind, fields }, signal });

export const sendLetter = (caseId: string, kind: LetterKind, fields: LetterFields) =>
  api.post<SentLetter>(lettersPath(caseId), { kind, fields });

/** A letter to open the letter modal with (e.g. the final response asked for by "Resolve"). */
export interface LetterDraft {
  kind: LetterKind;
  fields?: LetterFields;
}
