import { asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { historyAnchors, historyEvents, historyStreams } from '../db/schema/index.js';
import { insertRows, insertRowsSql, runTogether } from '../db/bulk.js';
import { isUniqueViolation } from '../db/errors.js';
import { inOrg } from '../db/tenant.js';
import { isWebhookEvent, queueWebhooksSql } from '../notify/webhook.service.js';
import { digestData, redactData, type Redaction, WITNESS_KEY } from '../datacare/redaction.js';
import { digestEvents, GENESIS_HASH, hashAnchor, hashEvent } from './history.hash.js';

export interface NewEvent {
  organisationId: string;
  /** The stream the event belongs to, e.g. `case:<id>`, `user:<id>`. */
  stream: string;
  type: string;
  actorId: string | null;
  data: Record<string, unknown>;
  at: Date;
}

export interface StoredEvent {
  id: number;
  seq: number;
  at: string;
  actorId: string | null;
  type: string;
  data: unknown;
}

/**
 * Appends events inside the caller's transaction. Only the head rows of the streams written
 * are locked, so appends to different streams proceed in parallel; several events of one
 * stream (a new case's first events) cost one round trip each for the head, the events and
 * the webhooks, not one per event.
 */
export async function appendEvents(tx: Db, events: NewEvent[]): Promise<{ id: number; seq: number }[]> {
  if (events.length === 0) return [];
  const key = (e: { organisationId: string; stream: string }) => `${e.organisationId}|${e.stream}`;
  // Sorted, so that two transactions lock shared heads in the same order and never deadlock.
  const streams = [...new Map(events.map((e) => [key(e), e])).values()].sort((a, b) => key(a).localeCompare(key(b)));
  // One statement locks (or creates) every head: the row lock is per stream, not global.
  const lockedHeads = await tx
    .insert(historyStreams)
    .values(streams.map((e) => ({ organisationId: e.organisationId, stream: e.stream, lastSeq: 0, lastHash: GENESIS_HASH })))
    .onConflictDoUpdate({ target: [historyStreams.organisationId, historyStreams.stream], set: { lastSeq: sql`${historyStreams.lastSeq}` } })
    .returning({ organisationId: historyStreams.organisationId, stream: historyStreams.stream, lastSeq: historyStreams.lastSeq, lastHash: historyStreams.lastHash });
  const heads = new Map(lockedHeads.map((h) => [key(h), { seq: h.lastSeq, hash: h.lastHash }]));
  const rows = events.map((event) => {
    const head = heads.get(key(event))!;
    const seq = head.seq + 1;
    // Normalise the payload as jsonb will store it, so the hash can be recomputed from the row.
    const data = JSON.parse(JSON.stringify(event.data ?? {}));
    const hash = hashEvent(head.hash, { ...event, seq, data });
    heads.set(key(event), { seq, hash });
    return { organisationId: event.organisationId, stream: event.stream, seq, at: event.at, actorId: event.actorId, type: event.type, data, prevHash: head.hash, hash };
  });
  const newHeads = JSON.stringify([...heads].map(([k, h]) => ({ o: k.slice(0, k.indexOf('|')), s: k.slice(k.indexOf('|') + 1), q: h.seq, h: h.hash })));
  await tx.execute(sql`
    UPDATE history_streams hs SET last_seq = v.q, last_hash = v.h
    FROM jsonb_to_recordset(${newHeads}::jsonb) AS v(o uuid, s text, q int, h text)
    WHERE hs.organisation_id = v.o AND hs.stream = v.s`);
  const inserted = await tx.insert(historyEvents).values(rows).returning({ id: historyEvents.id, seq: historyEvents.seq });
  await runTogether(tx, webhookStatements(rows));
  return inserted;
}

export async function appendEvent(tx: Db, event: NewEvent): Promise<{ id: number; seq: number }> {
  const [row] = await appendEvents(tx, [event]);
  return row;
}

export async function listStreamEvents(db: Db, organisationId: string, stream: string): Promise<StoredEvent[]> {
  const rows = await db
    .select({
      id: historyEvents.id, seq: historyEvents.seq, at: historyEvents.at,
      actorId: historyEvents.actorId, type: historyEvents.type, data: historyEvents.data,
    })
    .from(historyEvents)
    .where(inOrg(historyEvents, organisationId, eq(historyEvents.stream, stream)))
    .orderBy(asc(historyEvents.seq));
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** Events younger than this are not anchored yet: a transaction may still commit a lower id. */
const ANCHOR_SETTLE_MS = 30_000;
const ANCHOR_BATCH = 10_000;

/** Seals the organisation's events since the last anchor into new anchors. Returns how many events were sealed. */
export async function anchorHistory(db: Db, organisationId: string, now: Date): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const [last] = await tx
        .select().from(historyAnchors)
        .where(inOrg(historyAnchors, organisationId))
        .orderBy(desc(historyAnchors.seq)).limit(1);
      const events = await tx
        .select({ id: historyEvents.id, hash: historyEvents.hash })
        .from(historyEvents)
        .where(inOrg(historyEvents, organisationId,
          gt(historyEvents.id, last?.toEventId ?? 0),
          lt(historyEvents.at, new Date(now.getTime() - ANCHOR_SETTLE_MS))))
        .orderBy(asc(historyEvents.id))
        .limit(ANCHOR_BATCH);
      if (events.length === 0) return 0;
      const fields = {
        organisationId, seq: (last?.seq ?? 0) + 1,
        fromEventId: events[0].id, toEventId: events[events.length - 1].id,
        eventCount: events.length, digest: digestEvents(events),
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      // A concurrent anchorer inserting the same seq makes this fail on the primary key: harmless.
      await tx.insert(historyAnchors).values({ ...fields, prevHash, hash: hashAnchor(prevHash, fields), createdAt: now });
      return events.length;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) return 0;
      throw err;
    });
    sealed += count;
    if (count < ANCHOR_BATCH) return sealed;
  }
}


export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq?: number;
  problems: { eventId?: number; stream?: string; seq?: number; problem: string }[];
}

const VERIFY_BATCH = 5_000;
const MAX_PROBLEMS = 50;

/**
 * Recomputes every hash of the organisation's history: each stream's chain and head, then
 * each anchor's digest and chain. `firstBadSeq` is the global id of the first bad event.
 */
export async function verifyHistory(db: Db, organisationId: string): Promise<VerifyResult> {
  const problems: VerifyResult['problems'] = [];
  const report = (p: VerifyResult['problems'][number]) => { if (problems.length < MAX_PROBLEMS) problems.push(p); };
  let checked = 0;

  const heads = new Map<string, { lastSeq: number; lastHash: string }>();
  for (const h of await db.select().from(historyStreams).where(inOrg(historyStreams, organisationId))) {
    heads.set(h.stream, { lastSeq: h.lastSeq, lastHash: h.lastHash });
  }

  // Redacted events are checked against the witness that redacted them (see datacare/redaction.ts).
  const witnessed = new Map<string, Redaction>();
  const witnesses = await db.select({ stream: historyEvents.stream, seq: historyEvents.seq, data: historyEvents.data }).from(historyEvents)
    .where(inOrg(historyEvents, organisationId, sql`${historyEvents.data} -> ${WITNESS_KEY} IS NOT NULL`));
  for (const w of witnesses) {
    const list = (w.data as Record<string, unknown>)[WITNESS_KEY];
    if (!Array.isArray(list)) continue;
    for (const r of list as Redaction[]) if (r.seq < w.seq) witnessed.set(`${w.stream}|${r.seq}`, r);
  }

  let cursor: { stream: string; seq: number } | undefined;
  let current = { stream: '', seq: 0, hash: GENESIS_HASH };
  const closeStream = () => {
    if (!current.stream) return;
    const head = heads.get(current.stream);
    if (!head || head.lastSeq !== current.seq || head.lastHash !== current.hash) {
      report({ stream: current.stream, seq: current.seq, problem: 'stream head does not match its last event (events removed or added)' });
    }
    heads.delete(current.stream);
  };
  for (;;) {
    const batch = await db.select().from(historyEvents)
      .where(inOrg(historyEvents, organisationId, cursor
        ? sql`(${historyEvents.stream}, ${historyEvents.seq}) > (${cursor.stream}, ${cursor.seq})`
        : undefined))
      .orderBy(asc(historyEvents.stream), asc(historyEvents.seq))
      .limit(VERIFY_BATCH);
    for (const e of batch) {
      checked++;
      if (e.stream !== current.stream) {
        closeStream();
        current = { stream: e.stream, seq: 0, hash: GENESIS_HASH };
      }
      if (e.seq !== current.seq + 1) report({ eventId: e.id, stream: e.stream, seq: e.seq, problem: `sequence gap: expected ${current.seq + 1}` });
      if (e.prevHash !== current.hash) report({ eventId: e.id, stream: e.stream, seq: e.seq, problem: 'previous hash does not match' });
      const redaction = witnessed.get(`${e.stream}|${e.seq}`);
      if (redaction) {
        if (redaction.hash !== e.hash || digestData(e.data) !== redaction.digest) report({ eventId: e.id, stream: e.stream, seq: e.seq, problem: 'redacted event does not match its redaction record' });
      } else if (hashEvent(e.prevHash, e) !== e.hash) report({ eventId: e.id, stream: e.stream, seq: e.seq, problem: 'event content does not match its hash' });
      current = { stream: e.stream, seq: e.seq, hash: e.hash };
    }
    if (batch.length < VERIFY_BATCH) break;
    const last = batch[batch.length - 1];
    cursor = { stream: last.stream, seq: last.seq };
  }
  closeStream();
  for (const [stream] of heads) report({ stream, problem: 'stream has a head but no events' });

  let prevAnchorHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const a of await db.select().from(historyAnchors).where(inOrg(historyAnchors, organisationId)).orderBy(asc(historyAnchors.seq))) {
    const events = await db.select({ id: historyEvents.id, hash: historyEvents.hash }).from(historyEvents)
      .where(inOrg(historyEvents, organisationId, sql`${historyEvents.id} BETWEEN ${a.fromEventId} AND ${a.toEventId}`))
      .orderBy(asc(historyEvents.id));
    if (a.seq !== expectedSeq || a.prevHash !== prevAnchorHash || hashAnchor(a.prevHash, a) !== a.hash) {
      report({ eventId: a.fromEventId, problem: `anchor ${a.seq} is broken` });
    } else if (events.length !== a.eventCount || digestEvents(events) !== a.digest) {
      report({ eventId: a.fromEventId, problem: `events ${a.fromEventId}–${a.toEventId} changed, removed or reordered since anchor ${a.seq}` });
    }
    prevAnchorHash = a.hash;
    expectedSeq = a.seq + 1;
  }

  const badIds = problems.map((p) => p.eventId).filter((id): id is number => id !== undefined);
  return {
    ok: problems.length === 0,
    checked,
    ...(problems.length > 0 ? { firstBadSeq: badIds.length > 0 ? Math.min(...badIds) : undefined } : {}),
    problems,
  };
}

/**
 * Replaces the payloads of a stream's events by redacted copies and appends the witness event
 * (its `data` gets the list of redactions) in the caller's transaction. Returns how many events
 * were redacted. Events redacted before are redacted again to the same result and not re-listed.
 */
export async function redactStream(tx: Db, witness: Omit<NewEvent, 'data'>, data: (redacted: number) => Record<string, unknown>): Promise<number> {
  const events = await tx.select({ id: historyEvents.id, seq: historyEvents.seq, hash: historyEvents.hash, data: historyEvents.data })
    .from(historyEvents)
    .where(inOrg(historyEvents, witness.organisationId, eq(historyEvents.stream, witness.stream)))
    .orderBy(asc(historyEvents.seq))
    .for('update');
  const redactions: Redaction[] = [];
  for (const e of events) {
    if (e.data && typeof e.data === 'object' && WITNESS_KEY in (e.data as object)) continue;
    const redacted = redactData(e.data);
    if (digestData(redacted) === digestData(e.data)) continue;
    await tx.update(historyEvents).set({ data: redacted }).where(inOrg(historyEvents, witness.organisationId, eq(historyEvents.id, e.id)));
    redactions.push({ seq: e.seq, hash: e.hash, digest: digestData(redacted) });
  }
  await appendEvent(tx, { ...witness, data: { ...data(redactions.length), [WITNESS_KEY]: redactions } });
  return redactions.length;
}

const BULK_CHUNK = 1000;

/**
 * The bulk path (new cases, demo data, large imports): appends the whole history of streams that
 * do not exist yet, chained exactly as `appendEvent` would chain them, in multi-row inserts.
 * Events of one stream must be given in order.
 */
export async function appendNewStreams(tx: Db, events: NewEvent[], alongside: (SQL | undefined)[] = []): Promise<void> {
  const { rows, streamRows } = chainNewStreams(events);
  if (rows.length <= BULK_CHUNK) {
    // A small batch (new cases): the events, heads, webhooks and the caller's rows in one round trip.
    await runTogether(tx, [...alongside, insertRowsSql(historyEvents, rows), insertRowsSql(historyStreams, streamRows), ...webhookStatements(rows)]);
    return;
  }
  await runTogether(tx, alongside);
  for (let i = 0; i < rows.length; i += BULK_CHUNK) await insertRows(tx, historyEvents, rows.slice(i, i + BULK_CHUNK));
  for (let i = 0; i < streamRows.length; i += BULK_CHUNK) await insertRows(tx, historyStreams, streamRows.slice(i, i + BULK_CHUNK));
  await runTogether(tx, webhookStatements(rows));
}

export type ChainedEvent = ReturnType<typeof chainNewStreams>['rows'][number];

/**
 * The rows of new streams' events, chained exactly as `appendEvent` would chain them, and their
 * heads, for the caller to write (`appendNewStreams`, or COPY in a bulk load). Events of one
 * stream must be given in order.
 */
export function chainNewStreams(events: NewEvent[]) {
  const heads = new Map<string, { organisationId: string; seq: number; hash: string }>();
  const rows = events.map((event) => {
    const key = `${event.organisationId}|${event.stream}`;
    const head = heads.get(key) ?? { organisationId: event.organisationId, seq: 0, hash: GENESIS_HASH };
    const seq = head.seq + 1;
    const data = JSON.parse(JSON.stringify(event.data ?? {}));
    const row = { organisationId: event.organisationId, stream: event.stream, seq, at: event.at, actorId: event.actorId, type: event.type, data, prevHash: head.hash, hash: '' };
    row.hash = hashEvent(head.hash, row);
    heads.set(key, { organisationId: event.organisationId, seq, hash: row.hash });
    return row;
  });
  const streamRows = [...heads].map(([key, h]) => ({ organisationId: h.organisationId, stream: key.slice(key.indexOf('|') + 1), lastSeq: h.seq, lastHash: h.hash }));
  return { rows, streamRows };
}

/** Queues the webhook deliveries of events written by the caller (see `chainNewStreams`). */
export async function queueEventWebhooks(tx: Db, rows: ChainedEvent[]): Promise<void> {
  await runTogether(tx, webhookStatements(rows));
}

/** Webhook deliveries for the events of case streams, one statement per organisation. */
function webhookStatements(rows: { organisationId: string; stream: string; seq: number; at: Date; actorId: string | null; type: string; data: Record<string, unknown> }[]): SQL[] {
  const statements: SQL[] = [];
  for (const organisationId of new Set(rows.map((r) => r.organisationId))) {
    const hooked = rows.filter((r) => r.organisationId === organisationId && isWebhookEvent(r.stream));
    if (hooked.length === 0) continue;
    statements.push(queueWebhooksSql(hooked.map((r) => ({
      organisationId, eventType: r.type, at: r.at,
      payload: { stream: r.stream, seq: r.seq, at: r.at.toISOString(), actorId: r.actorId, ...r.data },
    }))));
  }
  return statements;
}
