import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../src/auth/auth.service.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/context.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { createOrganisation } from '../src/org/organisation.service.js';
import { buildApp } from '../src/server/app.js';
import { tableCounts } from './helpers/db-snapshot.js';

const run = promisify(execFile);
const bin = path.resolve('bin/trustdesk.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-backup-'));
const source = path.join(root, 'source');
const target = path.join(root, 'target');
const file = path.join(root, 'trustdesk.backup.tgz');

async function trustdesk(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, TRUSTDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (args[0] === '--postgres') {
    args.shift();
    env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let counts: Record<string, number>;

/** A real embedded database on disk with cases, messages and history, made through the API. */
beforeAll(async () => {
  const database = await openDatabase({ dataDir: source });
  const ctx = { database, db: database.db, config: loadConfig({ TRUSTDESK_DATA_DIR: source, LOG_LEVEL: 'silent' }), clock: systemClock };
  const app = await buildApp(ctx, { logger: false, webDist: '/nonexistent' });
  const org = await createOrganisation(ctx.db, { name: 'Backup Bank', adminEmail: 'root@backup.example', adminPassword: 'a-strong-password' }, new Date());
  const { token } = await issueApiToken(ctx.db, org.id, org.adminId, 'test', null, new Date());
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: { authorization: `Bearer ${token}` }, payload: {
      subject: `Backed-up case ${i}`, description: 'Kept safe', customer: { name: `Customer ${i}` }, unitId: org.rootUnitId, ownerId: org.adminId,
    } });
    expect(res.statusCode, res.body).toBe(201);
    await app.inject({ method: 'POST', url: `/api/v1/cases/${res.json().id}/messages`, headers: { authorization: `Bearer ${token}` }, payload: { body: 'Note', visibleToCustomer: false } });
  }
  counts = await tableCounts(database);
  await app.close();
  await database.close();
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('backup and restore of the embedded database', () => {
  it('backs up, restores into a fresh directory, and the history and every table come back', async () => {
    const backup = await trustdesk(source, 'backup', '--out', file);
    expect(backup.code, backup.stderr).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect((await trustdesk(source, 'backup', '--out', file)).stderr).toContain('--force');

    const restore = await trustdesk(target, 'restore', '--in', file);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('history verified');
    const verify = await trustdesk(target, 'audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/backup-bank: ok — \d+ events checked/);

    const restored: Database = await openDatabase({ dataDir: target });
    try {
      expect(await tableCounts(restored)).toEqual(counts);
      expect(counts.cases).toBe(5);
    } finally {
      await restored.close();
    }
  }, 180_000);

  it('refuses to restore over a database unless --force, and then keeps the old one', async () => {
    const refused = await trustdesk(target, 'restore', '--in', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds a database');
    const forced = await trustdesk(target, 'restore', '--in', file, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('previous database was moved to');
    expect(fs.readdirSync(root).some((n) => n.startsWith('target.replaced-'))).toBe(true);
  }, 180_000);

  it('prints the retention report and answers customer data requests from the command line', async () => {
    const report = await trustdesk(source, 'retention', 'report');
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('backup-bank: 0 case(s) anonymised');
    expect(report.stdout).toContain('0 case(s) past their retention date still kept');
    const unknown = await trustdesk(source, 'customer', 'export', '--ref', 'NOBODY');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No data is held about this customer');
    const both = await trustdesk(source, 'customer', 'erase', '--ref', 'A', '--email', 'a@example.test', '--reason', 'x');
    expect(both.stderr).toContain('exactly one of --email or --ref');
  }, 120_000);

  it('points PostgreSQL users to pg_dump', async () => {
    const res = await trustdesk(source, '--postgres', 'backup', '--out', path.join(root, 'pg.backup'));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('pg_dump');
  });
});
