import {
  bigint, bigserial, index, uniqueIndex, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './org.schema.js';

/**
 * The append-only, hash-chained history. Each event is chained to the previous event of
 * its own stream (e.g. one case), so writers of different streams never wait for each other.
 */
export const historyEvents = pgTable('history_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  stream: text('stream').notNull(),
  seq: integer('seq').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  actorId: uuid('actor_id'),
  type: text('type').notNull(),
  data: jsonb('data').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [
  uniqueIndex('history_events_stream_uq').on(t.organisationId, t.stream, t.seq),
  index('history_events_org_id_idx').on(t.organisationId, t.id),
]);

/** The head of each stream: its last sequence number and hash. One row lock per stream. */
export const historyStreams = pgTable('history_streams', {
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  stream: text('stream').notNull(),
  lastSeq: integer('last_seq').notNull(),
  lastHash: text('last_hash').notNull(),
}, (t) => [primaryKey({ columns: [t.organisationId, t.stream] })]);

/**
 * Periodic anchors: a digest over every event hash of a range of ids, chained anchor to
 * anchor. A deleted or reordered event (even the last of its stream) breaks an anchor.
 */
export const historyAnchors = pgTable('history_anchors', {
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  seq: integer('seq').notNull(),
  fromEventId: bigint('from_event_id', { mode: 'number' }).notNull(),
  toEventId: bigint('to_event_id', { mode: 'number' }).notNull(),
  eventCount: integer('event_count').notNull(),
  digest: text('digest').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.organisationId, t.seq] })]);
