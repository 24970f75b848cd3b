import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { api, caseBody, openProcessDatabase, type ProcessDatabase } from './helpers/process-database.js';
import { serverChildren, startServerProcess, type ServerProcess } from './helpers/server-process.js';

const onPostgres = process.env.TRUSTDESK_TEST_DB === 'postgres';
let target: ProcessDatabase;
let server: ServerProcess | undefined;


beforeAll(async () => {
  if (!onPostgres) return;
  target = await openProcessDatabase('Many Cores Bank');
  server = await startServerProcess({ ...target.env, TRUSTDESK_PROCESSES: '2' });
});
afterAll(async () => {
  await server?.stop();
  await target?.close();
});

describe('TRUSTDESK_PROCESSES', { timeout: 90_000 }, () => {
  it('refuses several processes on the embedded database, which belongs to one process', () => {
    expect(() => loadConfig({ TRUSTDESK_PROCESSES: '2' })).toThrow(/several processes need PostgreSQL/);
    expect(loadConfig({ TRUSTDESK_PROCESSES: '2', DATABASE_URL: 'postgres://db.example/trustdesk' }).processes).toBe(2);
  });

  it.skipIf(!onPostgres)('serves one port from two server processes, and SIGTERM drains both and exits 0', async () => {
    const primary = server!.child.pid!;
    await expect.poll(() => server!.output(), { timeout: 60_000 }).toContain('2 server processes share the port');
    expect(serverChildren(primary)).toHaveLength(2);
    const workers = serverChildren(primary);
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      api(`${server!.url}/api/v1/cases`, target.org.token, 'POST', caseBody(target.org, `Opened through the shared port ${i}`))));
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    const refs = new Set(await Promise.all(created.map(async (r) => (await r.json()).ref)));
    expect(refs.size).toBe(40);

    const exitCode = await server!.stop('SIGTERM');
    expect(exitCode, server!.output()).toBe(0);
    for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });
});
