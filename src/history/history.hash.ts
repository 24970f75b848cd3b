import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/** The hash every stream starts from. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedEventFields {
  organisationId: string;
  stream: string;
  seq: number;
  at: Date;
  actorId: string | null;
  type: string;
  data: unknown;
}

/** SHA-256 over the previous hash and a canonical (key-sorted) encoding of the event. */
export function hashEvent(prevHash: string, e: HashedEventFields): string {
  const canonical = stringify([
    prevHash, e.organisationId, e.stream, e.seq, e.at.toISOString(), e.actorId, e.type, e.data ?? null,
  ]);
  return createHash('sha256').update(canonical ?? '').digest('hex');
}

export interface AnchorFields {
  organisationId: string;
  seq: number;
  fromEventId: number;
  toEventId: number;
  eventCount: number;
  digest: string;
}

export function hashAnchor(prevHash: string, a: AnchorFields): string {
  const canonical = stringify([prevHash, a.organisationId, a.seq, a.fromEventId, a.toEventId, a.eventCount, a.digest]);
  return createHash('sha256').update(canonical ?? '').digest('hex');
}

/** Digest of a run of events in id order: a deleted, added or reordered event changes it. */
export function digestEvents(events: { id: number; hash: string }[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(`${e.id}:${e.hash}\n`);
  return h.digest('hex');
}
