import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { issueApiToken } from '../../src/auth/auth.service.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { createOrganisation } from '../../src/org/organisation.service.js';
import { insertUser } from '../../src/org/user.service.js';
import { openTestDatabase } from './test-database.js';

export const PROCESS_PASSWORD = 'a-strong-password';

export interface ProcessOrg {
  id: string;
  rootUnitId: string;
  adminEmail: string;
  leadEmail: string;
  /** An admin API token. */
  token: string;
}

export interface ProcessDatabase {
  kind: 'embedded' | 'postgres';
  /** What a server process needs to open this database. */
  env: Record<string, string>;
  org: ProcessOrg;
  /** PostgreSQL only: a connection of the test itself, for checks while servers run. */
  database?: Database & { url?: string };
  close(): Promise<void>;
}

export async function seedProcessOrg(database: Database, name: string): Promise<ProcessOrg> {
  const slug = name.toLowerCase().replace(/\W+/g, '');
  const adminEmail = `admin@${slug}.example`;
  const leadEmail = `lead@${slug}.example`;
  const org = await createOrganisation(database.db, { name, adminEmail, adminPassword: PROCESS_PASSWORD }, new Date());
  await database.db.transaction(async (tx) => {
    await insertUser(tx, org.id, null, new Date(), { email: `agent@${slug}.example`, name: 'Agent', role: 'agent', unitId: org.rootUnitId });
    await insertUser(tx, org.id, null, new Date(), { email: leadEmail, name: 'Lead', role: 'lead', unitId: org.rootUnitId });
  });
  const { token } = await issueApiToken(database.db, org.id, org.adminId, 'test', null, new Date());
  return { id: org.id, rootUnitId: org.rootUnitId, adminEmail, leadEmail, token };
}

/**
 * A database for real server processes, of the kind this test run uses: a PostgreSQL clone (the
 * test keeps a connection), or an embedded database in a temporary folder on disk (the server
 * process owns it, so the test's own handle is closed before any server starts).
 */
export async function openProcessDatabase(orgName = 'Process Bank'): Promise<ProcessDatabase> {
  if (process.env.TRUSTDESK_TEST_DB === 'postgres') {
    const database = await openTestDatabase();
    const org = await seedProcessOrg(database, orgName);
    return { kind: 'postgres', env: { DATABASE_URL: database.url! }, org, database, close: () => database.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-proc-'));
  const dataDir = path.join(dir, 'data');
  // The run's migrated template, unpacked into a real folder: much faster than initdb and migrating.
  const testDb = inject('testDb');
  const loadDataDir = testDb.kind === 'embedded' ? new Blob([fs.readFileSync(testDb.templateFile)]) : undefined;
  const database = await openDatabase({ dataDir, loadDataDir, migrate: loadDataDir === undefined });
  const org = await seedProcessOrg(database, orgName);
  await database.close();
  return {
    kind: 'embedded',
    env: { TRUSTDESK_DATA_DIR: dataDir },
    org,
    close: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A complaint as an integrator would send it. */
export function caseBody(org: ProcessOrg, subject: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ subject, description: 'Sent by a process test', customer: { name: 'Customer' }, unitId: org.rootUnitId, ...extra });
}

export async function api(url: string, token: string, method = 'GET', body?: string) {
  return fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
}
