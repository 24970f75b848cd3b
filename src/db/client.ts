import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EmbeddedClient } from './embedded-client.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The one database type the services use, whichever backend is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** Runs raw SQL with parameters; used by bulk paths and the job runner. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** PostgreSQL only: one connection of the pool for the caller alone (bulk loads with COPY); release it after. */
  connect?(): Promise<Connection>;
  /** PostgreSQL only: connections open, idle, and requests waiting for one (for /metrics). */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

/** One PostgreSQL connection: statements through `db` and `copyIn` run in order, in its transaction if one is open. */
export interface Connection {
  db: Db;
  /** `COPY … FROM STDIN` with the data in COPY's text format (whole lines a piece); resolves when the server has stored every row. */
  copyIn(statement: string, data: string[]): Promise<void>;
  release(): void;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  databaseUrl?: string;
  /** Directory for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** A dump of an already migrated embedded database to start from (tests clone one template). */
  loadDataDir?: Blob;
  migrate?: boolean;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const database = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize)
    : await openEmbedded(options);
  if (options.migrate !== false) await migrateDatabase(database);
  return database;
}

/** The embedded database runs in a worker thread (see `embedded-client.ts`); drizzle's pglite driver talks to it unchanged. */
async function openEmbedded(options: OpenOptions): Promise<Database> {
  const dataDir = options.dataDir ?? './data';
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const client = await EmbeddedClient.create({ dataDir, loadDataDir: options.loadDataDir });
  const db = drizzlePglite(client as never, { schema }) as unknown as Db;
  return {
    db,
    kind: 'embedded',
    pglite: client,
    async query(text, params) {
      const result = await client.query(text, params as unknown[] | undefined);
      return result.rows as never[];
    },
    close: () => client.close(),
  } as Database & { pglite: EmbeddedClient };
}

function openPostgres(url: string, poolSize = 10): Database {
  // A request waits at most 10 s for a connection: while the server is down or restarting, callers
  // get a clean 503 instead of hanging; once it is back, new connections are made on demand.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  // A client losing its server (restart, failover) must not crash the process. The pool's own
  // listener covers idle clients only; a client checked out for a transaction that is between two
  // queries would otherwise emit an unhandled 'error' (57P01 on `pg_ctl stop`) and end the process.
  // Its next query fails instead, the request gets a 503, and the pool discards the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => { client.on('error', () => undefined); });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    pool,
    async query(text, params) {
      const result = await pool.query(text, params as unknown[] | undefined);
      return result.rows;
    },
    async connect() {
      const client = await pool.connect();
      return {
        db: drizzlePg(client, { schema }) as unknown as Db,
        copyIn: (statement, data) => new Promise<void>((resolve, reject) => {
          const stream = client.query(copyFrom(statement));
          stream.on('finish', resolve).on('error', reject);
          for (const piece of data) stream.write(piece);
          stream.end();
        }),
        release: () => client.release(),
      };
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolSize }),
    close: () => pool.end(),
  } as Database & { pool: pg.Pool };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'embedded') {
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    // Several processes may start at once on one PostgreSQL: one migrates, the others wait.
    const lockClient = await (database as Database & { pool: pg.Pool }).pool.connect();
    try {
      await lockClient.query('SELECT pg_advisory_lock(727274)');
      await migratePg(database.db as never, { migrationsFolder });
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
      lockClient.release();
    }
  }
}

/** Embedded only: a dump of the data directory, to clone a migrated template quickly. */
export async function dumpEmbedded(database: Database, compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
  const client = (database as Database & { pglite?: EmbeddedClient }).pglite;
  if (!client) throw new Error('dumpEmbedded needs the embedded database');
  return client.dumpDataDir(compression);
}
