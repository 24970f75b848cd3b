import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';
import { AppError } from './errors.js';

describe('pagination', () => {
  it('round-trips a cursor', () => {
    const cursor = encodeCursor(['name', 'id-1']);
    expect(decodeCursor(cursor, z.tuple([z.string(), z.string()]))).toEqual(['name', 'id-1']);
  });

  it('rejects a tampered cursor as a validation error', () => {
    expect(() => decodeCursor('not-base64-json', z.tuple([z.string()]))).toThrow(AppError);
  });

  it('returns limit items and a cursor only when there are more', () => {
    const rows = [1, 2, 3];
    expect(toPage(rows, 2, (r) => r, (r) => [r])).toEqual({ items: [1, 2], nextCursor: encodeCursor([2]) });
    expect(toPage(rows, 3, (r) => r, (r) => [r])).toEqual({ items: [1, 2, 3], nextCursor: null });
  });
});
