import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';

/** A fresh database for one test file: a clone of the migrated template, embedded or PostgreSQL. */
export async function openTestDatabase(): Promise<Database & { url?: string }> {
  const testDb = inject('testDb');
  if (testDb.kind === 'embedded') {
    const loadDataDir = new Blob([fs.readFileSync(testDb.templateFile)]);
    return openDatabase({ dataDir: 'memory://', loadDataDir, migrate: false });
  }
  const name = `trustdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDb.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${testDb.template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDb.adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), migrate: false });
  const close = database.close;
  return Object.assign(database, {
    url: url.toString(),
    async close() {
      await close();
      const cleanup = new pg.Client({ connectionString: testDb.adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await cleanup.end();
    },
  });
}
