import { describe, expect, it } from 'vitest';
import { digestEvents, GENESIS_HASH, hashEvent } from './history.hash.js';

const event = {
  organisationId: 'org', stream: 'case:1', seq: 1, at: new Date('2026-01-01T00:00:00Z'), actorId: null, type: 'case.created',
  data: { b: 1, a: { y: 2, x: 1 } },
};

describe('history hashes', () => {
  it('do not depend on key order (jsonb reorders keys)', () => {
    expect(hashEvent(GENESIS_HASH, event)).toBe(hashEvent(GENESIS_HASH, { ...event, data: { a: { x: 1, y: 2 }, b: 1 } }));
  });

  it('change with any field or the previous hash', () => {
    const base = hashEvent(GENESIS_HASH, event);
    expect(hashEvent('f'.repeat(64), event)).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, { ...event, seq: 2 })).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, { ...event, data: { b: 2, a: { y: 2, x: 1 } } })).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, { ...event, at: new Date('2026-01-01T00:00:00.001Z') })).not.toBe(base);
  });

  it('digest detects removal and reordering', () => {
    const events = [{ id: 1, hash: 'a' }, { id: 2, hash: 'b' }, { id: 3, hash: 'c' }];
    const digest = digestEvents(events);
    expect(digestEvents([events[0], events[2]])).not.toBe(digest);
    expect(digestEvents([events[1], events[0], events[2]])).not.toBe(digest);
  });
});
