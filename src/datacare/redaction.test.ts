import { describe, expect, it } from 'vitest';
import { digestData, REDACTED, redactData } from './redaction.js';

describe('redactData', () => {
  it('keeps identifiers, states, dates, numbers and flags; replaces free text', () => {
    const data = {
      ref: 'C-2026-000001', subject: 'Jane Doe was overcharged', ownerId: 'u1', receivedAt: '2026-01-01T00:00:00Z',
      vulnerable: true, redress: { amount: 25, kind: 'refund' }, summary: 'Refunded Jane',
      changes: { customerEmail: { before: 'jane@example.test', after: 'j@example.test' } },
      clocks: [{ name: 'final', dueAt: '2026-02-01T00:00:00Z' }], memberIds: ['a', 'b'], tags: ['personal'],
    };
    expect(redactData(data)).toEqual({
      ref: 'C-2026-000001', subject: REDACTED, ownerId: 'u1', receivedAt: '2026-01-01T00:00:00Z',
      vulnerable: true, redress: { amount: 25, kind: 'refund' }, summary: REDACTED,
      changes: { customerEmail: { before: REDACTED, after: REDACTED } },
      clocks: [{ name: REDACTED, dueAt: '2026-02-01T00:00:00Z' }], memberIds: ['a', 'b'], tags: [REDACTED],
    });
  });

  it('digests canonically: key order does not matter, content does', () => {
    expect(digestData({ a: 1, b: 'x' })).toBe(digestData({ b: 'x', a: 1 }));
    expect(digestData({ a: 1 })).not.toBe(digestData({ a: 2 }));
  });
});
