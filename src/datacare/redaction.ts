/**
 * Redaction of history payloads (pure, unit-tested in redaction.test.ts).
 *
 * History events are hash-chained, so their payload cannot simply be rewritten. When a case is
 * anonymised, each of its events keeps its hash and link (nothing is removed or reordered), its
 * payload is replaced by a redacted copy that keeps only structural values (ids, states, dates,
 * numbers, flags), and a witness event appended to the same stream records, for every redacted
 * event, its hash and the digest of the redacted payload. Verification checks a redacted event
 * against its witness (the witness itself is chained and anchored like any event), so the chain
 * still proves that nothing was removed, added or reordered, and that the redacted payload is the
 * one the redaction produced; the original personal data is gone for good.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

export const REDACTED = '[redacted]';

/** Keys whose string values are structural (identifiers, states, dates), never free text or personal data. */
const structuralKeys = new Set([
  'id', 'ref', 'kind', 'type', 'status', 'state', 'channel', 'product', 'category', 'policy', 'outcome', 'rule',
  'source', 'from', 'to', 'role', 'currency', 'clock', 'clockName', 'basis', 'reasonCode',
]);

function keepsString(key: string | undefined): boolean {
  if (key === undefined) return false;
  return structuralKeys.has(key) || /(Id|Ids|At)$/.test(key);
}

/** A copy of an event payload with every free-text or personal string replaced. */
export function redactData(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return keepsString(key) ? value : REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactData(v, key?.endsWith('Ids') ? key : undefined));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactData(v, k)]));
  }
  return value;
}

/** The digest a witness records for a redacted payload: SHA-256 of its canonical encoding. */
export function digestData(data: unknown): string {
  return createHash('sha256').update(stringify(data ?? null) ?? '').digest('hex');
}

/** One redacted event as its witness records it. */
export interface Redaction {
  seq: number;
  hash: string;
  digest: string;
}

/** Payload key of a witness event listing the events it redacted. */
export const WITNESS_KEY = 'redactions';

/**
 * A salted digest of a customer identifier (e-mail or customer reference) for history and logs:
 * requests about the same customer can be matched later without storing who it was.
 */
export function subjectDigest(organisationId: string, identifier: string): string {
  return createHash('sha256').update(`trustdesk-subject:${organisationId}:${identifier.trim().toLowerCase()}`).digest('hex');
}
