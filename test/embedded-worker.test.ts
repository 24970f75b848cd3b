import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { EmbeddedClient } from '../src/db/embedded-client.js';
import { isDatabaseUnavailable, isUniqueViolation } from '../src/db/errors.js';
import { organisations } from '../src/db/schema/index.js';
import { openTestDatabase } from './helpers/test-database.js';

/**
 * The embedded database runs PGlite in a worker thread: what the services rely on must hold across
 * the thread boundary — one transaction at a time on the one connection, PostgreSQL's errors with
 * their codes, the same value types, and a clear failure when the worker is gone.
 */
const onEmbedded = process.env.TRUSTDESK_TEST_DB !== 'postgres';

describe.skipIf(!onEmbedded)('embedded database in a worker thread', () => {
  let database: Database;
  let client: EmbeddedClient;
  beforeAll(async () => {
    database = await openTestDatabase();
    client = (database as Database & { pglite: EmbeddedClient }).pglite;
    await database.query('CREATE TABLE worker_probe (id int PRIMARY KEY, note text NOT NULL)');
  });
  afterAll(async () => { await database?.close(); });

  it("keeps a transaction's statements together while other callers wait, and commits", async () => {
    const seen: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const writer = database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe VALUES (1, 'in the transaction')`);
      await held;
      await tx.execute(sql`INSERT INTO worker_probe VALUES (2, 'in the transaction')`);
      seen.push('writer done');
    });
    // Outside the transaction: must not see row 1 half-written, nor run between its statements.
    const reader = database.query<{ n: number }>('SELECT count(*)::int AS n FROM worker_probe').then((rows) => { seen.push(`reader saw ${rows[0].n}`); });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
    release();
    await Promise.all([writer, reader]);
    expect(seen).toEqual(['writer done', 'reader saw 2']);
  });

  it('rolls back on an error, keeps the PostgreSQL error code, and the connection stays usable', async () => {
    const failed = await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe VALUES (3, 'rolled back')`);
      await tx.execute(sql`INSERT INTO worker_probe VALUES (1, 'duplicate')`);
    }).catch((err: unknown) => err);
    expect(isUniqueViolation(failed)).toBe(true);
    const cause = (failed as { cause?: Record<string, unknown> }).cause ?? (failed as Record<string, unknown>);
    expect(cause).toMatchObject({ code: '23505', constraint: 'worker_probe_pkey', table: 'worker_probe' });
    expect(String(cause.message)).toContain('duplicate key value violates unique constraint');
    expect(await database.query('SELECT id FROM worker_probe ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('rolls back a nested transaction (savepoint) alone', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe VALUES (4, 'kept')`);
      await tx.transaction(async (inner) => {
        await inner.execute(sql`INSERT INTO worker_probe VALUES (5, 'undone')`);
        inner.rollback();
      }).catch(() => undefined);
    });
    expect(await database.query('SELECT id FROM worker_probe WHERE id >= 4 ORDER BY id')).toEqual([{ id: 4 }]);
  });

  it('returns the same value types as PGlite: dates, numerics, JSON, bigints and arrays', async () => {
    const [row] = await database.query<Record<string, unknown>>(
      `SELECT timestamptz '2026-03-01 10:00:00+00' AS at, 12.50::numeric AS amount, '{"a":[1,2]}'::jsonb AS doc,
              9007199254740993::bigint AS big, ARRAY['x','y'] AS tags, ARRAY[1,2]::int[] AS nums, NULL::text AS nothing`,
    );
    expect(row.at).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect(row.amount).toBe('12.50');
    expect(row.doc).toEqual({ a: [1, 2] });
    expect(row.big).toBe(9007199254740993n);
    expect(row).toMatchObject({ tags: ['x', 'y'], nums: [1, 2], nothing: null });
    // Through drizzle, timestamps come back as Date objects from the column mapping.
    const [org] = await database.db.select({ createdAt: organisations.createdAt }).from(organisations).limit(1);
    if (org) expect(org.createdAt).toBeInstanceOf(Date);
  });

  it('a dump of the database restores into a new one', async () => {
    const dump = await client.dumpDataDir('gzip');
    const { openDatabase } = await import('../src/db/client.js');
    const copy = await openDatabase({ dataDir: 'memory://', loadDataDir: dump, migrate: false });
    try {
      expect(await copy.query('SELECT id FROM worker_probe ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 4 }]);
    } finally { await copy.close(); }
  });

  it('answers every waiting call with a clear error when the worker dies, and close() still ends', async () => {
    const doomed = await openTestDatabase();
    const doomedClient = (doomed as Database & { pglite: EmbeddedClient }).pglite;
    const pending = doomed.query('SELECT pg_sleep(2)');
    // The thread ending without close() is what a crash of the WebAssembly runtime looks like from here.
    await (doomedClient as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const err = await pending.catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/embedded database worker stopped/);
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isDatabaseUnavailable(await doomed.query('SELECT 1').catch((e: unknown) => e))).toBe(true);
    await doomed.close();
  });
});
