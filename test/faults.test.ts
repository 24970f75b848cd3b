import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { buildOrgTree, type OrgTree } from './helpers/fixtures.js';
import { multipart } from './helpers/multipart.js';
import { startPgCluster, postgresBinDir, type PgCluster } from './helpers/pg-cluster.js';
import { api, caseBody, seedProcessOrg } from './helpers/process-database.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('a full disk for uploads', () => {
  // A real filesystem that fills up: a 12 MiB tmpfs as the uploads folder (needs root to mount).
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-full-'));
  let mounted = false;
  let t: TestApp;
  let tree: OrgTree;

  beforeAll(async () => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch { /* not root: the test says it is skipped */ }
    t = await createTestApp({ env: { TRUSTDESK_UPLOADS_DIR: mountPoint } });
    tree = await buildOrgTree(t);
  });
  afterAll(async () => {
    await t?.close();
    if (mounted) execFileSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  const health = async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/health' });
    return { code: res.statusCode, ...res.json() };
  };
  const upload = (caseId: string, bytes: Buffer) =>
    t.request({ method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, token: tree.users.agentA.token, ...multipart('letter.txt', 'text/plain', bytes) });
  const filesOnDisk = () => (fs.readdirSync(mountPoint, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() && d.name !== 'filler').map((d) => d.name).sort();

  it('refuses an upload that cannot be written with 507, leaves nothing half-written, shows storage degraded, and recovers', async (ctx) => {
    if (!mounted) ctx.skip();
    const res = await t.request({
      method: 'POST', url: '/api/v1/cases', token: tree.org.adminToken,
      payload: { subject: 'Statement dispute', description: 'See attached', customer: { name: 'Ann' }, unitId: tree.units.teamA, ownerId: tree.users.agentA.id },
    });
    const c = res.json();
    expect((await upload(c.id, Buffer.from('A first letter.\n'))).statusCode).toBe(201);
    expect(await health()).toMatchObject({ code: 200, status: 'ok', checks: { storage: { status: 'ok' } } });

    // Fill the disk until 1 MiB is left, then send a 2 MiB file.
    const free = Number(fs.statfsSync(mountPoint).bavail) * Number(fs.statfsSync(mountPoint).bsize);
    fs.writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(free - 1024 * 1024));
    const degraded = await health();
    expect(degraded).toMatchObject({ code: 200, status: 'degraded', checks: { database: { status: 'ok' }, storage: { status: 'degraded' } } });
    expect(degraded.problems.join()).toContain('storage');

    const before = { files: filesOnDisk(), events: (await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/events`, token: tree.org.adminToken })).json().items };
    const refused = await upload(c.id, Buffer.alloc(2 * 1024 * 1024, 'b'));
    expect(refused.statusCode).toBe(507);
    expect(refused.json()).toEqual({ error: { code: 'insufficient_storage', message: expect.stringContaining('nothing was saved') } });
    expect(filesOnDisk()).toEqual(before.files);
    const list = await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/attachments`, token: tree.org.adminToken });
    expect(list.json().items).toHaveLength(1);
    expect((await t.request({ method: 'GET', url: `/api/v1/cases/${c.id}/events`, token: tree.org.adminToken })).json().items).toEqual(before.events);

    // Space is freed: health clears and the same upload goes through.
    fs.rmSync(path.join(mountPoint, 'filler'));
    expect(await health()).toMatchObject({ code: 200, status: 'ok', checks: { storage: { status: 'ok' } } });
    expect((await upload(c.id, Buffer.alloc(2 * 1024 * 1024, 'b'))).statusCode).toBe(201);
  });
});

const canRestartPostgres = process.env.TRUSTDESK_TEST_DB === 'postgres' && postgresBinDir() !== undefined;

describe.skipIf(!canRestartPostgres)('PostgreSQL restarted mid-run', () => {
  let cluster: PgCluster;
  let server: ServerProcess;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    cluster?.destroy();
  });

  it('answers a clean 503 during the outage, reports the database down, reconnects and loses nothing acknowledged', async () => {
    // A failure here most often means the server died: its last words say why.
    onTestFailed(() => console.error(`server output:\n${server?.output()}\nexit: ${server?.child.exitCode} ${server?.child.signalCode}`));
    cluster = await startPgCluster();
    const setup = await openDatabase({ databaseUrl: cluster.url, poolSize: 2 });
    const org = await seedProcessOrg(setup, 'Restart Bank');
    await setup.close();
    server = await startServerProcess({ DATABASE_URL: cluster.url, TRUSTDESK_JOB_INTERVAL_MS: '200' });

    // 4 clients write for the whole run; every answer is either 201 or the documented 503.
    const acknowledged: string[] = [];
    const refused: { status: number; body: unknown }[] = [];
    let phase: 'before' | 'outage' | 'after' = 'before';
    let ackedAfter = 0;
    let running = true;
    const client = async (n: number) => {
      for (let i = 0; running; i++) {
        const res = await api(`${server.url}/api/v1/cases`, org.token, 'POST', caseBody(org, `Restart ${n}-${i}`));
        const body = await res.json();
        if (res.status === 201) {
          acknowledged.push(body.id);
          if (phase === 'after') ackedAfter++;
        } else {
          refused.push({ status: res.status, body });
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const clients = Array.from({ length: 4 }, (_, n) => client(n));
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));

    cluster.stop();
    phase = 'outage';
    const down = await fetch(`${server.url}/api/v1/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'down', checks: { database: { status: 'down' }, smtp: { status: 'unknown' } } });
    const write = await api(`${server.url}/api/v1/cases`, org.token, 'POST', caseBody(org, 'During the outage'));
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBeTruthy();
    expect(await write.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^trustdesk_database_up 0$/m);

    cluster.start();
    for (let i = 0; ; i++) {
      if ((await fetch(`${server.url}/api/v1/health`)).status === 200) break;
      expect(i, 'the pool reconnects after the restart').toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    phase = 'after';
    // The background work failed while the database was away, and says so; it runs again now.
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^trustdesk_job_step_failures_total\{step="[a-z_]+"\} [1-9]/m);
    while (ackedAfter < 20) await new Promise((r) => setTimeout(r, 20));
    running = false;
    await Promise.all(clients);

    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toEqual({ status: 503, body: { error: { code: 'unavailable', message: expect.any(String) } } });
    for (const id of acknowledged) expect((await api(`${server.url}/api/v1/cases/${id}`, org.token)).status, id).toBe(200);
    expect(await (await api(`${server.url}/api/v1/audit/verify`, org.token)).json()).toMatchObject({ ok: true });
  }, 120_000);
});
