import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client.js';

/**
 * A throwaway database for one benchmark: in-memory PGlite, or a new database on the PostgreSQL
 * server of BENCH_DATABASE_URL / TRUSTDESK_TEST_DATABASE_URL (`npm run bench` starts one if neither is set).
 */
export async function withBenchDatabase(kind: 'embedded' | 'postgres', fn: (db: Database) => Promise<void>) {
  await withBenchDatabaseUrl(kind, async (location) => {
    const database = await openDatabase(location ? { ...location, poolSize: 16 } : { dataDir: 'memory://' });
    try { await fn(database); } finally { await database.close(); }
  });
}

/**
 * For benchmarks that start the real server in its own process: `undefined` for the embedded
 * database (the benchmark chooses its folder), or the URL of a new PostgreSQL database.
 */
export async function withBenchDatabaseUrl(kind: 'embedded' | 'postgres', fn: (location: { databaseUrl: string } | undefined) => Promise<void>) {
  if (kind === 'embedded') return fn(undefined);
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TRUSTDESK_TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log('  (skipped PostgreSQL: set BENCH_DATABASE_URL, or run through `npm run bench`)');
    return;
  }
  const name = `trustdesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await fn({ databaseUrl: url.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export function printResult(label: string, value: number, unit: string, target?: string) {
  console.log(`${label.padEnd(58)} ${value.toFixed(1).padStart(10)} ${unit}${target ? `   (target ${target})` : ''}`);
}

export function machineLine(): string {
  const cpu = execFileSync('nproc').toString().trim();
  return `node ${process.version}, ${cpu} cores`;
}
