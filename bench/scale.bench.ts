/**
 * A million cases: the demo organisation plus N bulk demo cases (with clocks, messages and
 * chained history) loaded through the bulk path, then the real server in its own process:
 * the inbox's first page and a filtered full-text search over HTTP (p50 / p99), and the
 * server's resident memory after them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { issueApiToken } from '../src/auth/auth.service.js';
import { loadConfig } from '../src/config.js';
import { systemClock, type AppContext } from '../src/context.js';
import { openDatabase } from '../src/db/client.js';
import { users } from '../src/db/schema/index.js';
import { seedBulkCases } from '../src/demo/demo-cases.js';
import { seedDemo } from '../src/demo/seed.service.js';
import { freePort, percentile, request, startBenchServer } from './bench-server.js';
import { printResult, withBenchDatabaseUrl } from './bench-helpers.js';

const SAMPLES = Number(process.env.BENCH_READ_SAMPLES ?? 300);

async function timeRequests(base: string, token: string, paths: string[]): Promise<{ p50: number; p99: number; items: number }> {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const p = paths[i % paths.length];
    const t0 = performance.now();
    const res = await request(base, 'GET', p, undefined, token);
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
    items += res.body.items?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), items: items / SAMPLES };
}

export async function benchScale(kind: 'embedded' | 'postgres', count: number) {
  await withBenchDatabaseUrl(kind, async (location) => {
    const dataDir = kind === 'embedded' ? fs.mkdtempSync(path.join(os.tmpdir(), 'trustdesk-scale-')) : undefined;
    try {
      const database = await openDatabase(location ?? { dataDir });
      const ctx: AppContext = { database, db: database.db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock };
      const tokens: string[] = [];
      let compliance: string;
      try {
        const started = performance.now();
        const demo = await seedDemo(ctx);
        await seedBulkCases(database, demo.organisationId, count, ctx.clock.now());
        const seconds = (performance.now() - started) / 1000;
        const total = count + 3000;
        printResult(`demo data, ${kind}, ${total.toLocaleString('en')} cases with clocks and history`, seconds, 's', kind === 'postgres' ? '< 300 s for 1,000,000' : undefined);
        const staff = await database.db.select({ id: users.id, role: users.role }).from(users)
          .where(and(eq(users.organisationId, demo.organisationId), eq(users.active, true)));
        const at = ctx.clock.now();
        for (const agent of staff.filter((u) => u.role === 'agent').slice(0, 10)) {
          tokens.push((await issueApiToken(database.db, demo.organisationId, agent.id, 'bench', null, at)).token);
        }
        compliance = (await issueApiToken(database.db, demo.organisationId, staff.find((u) => u.role === 'compliance')!.id, 'bench', null, at)).token;
      } finally { await database.close(); }

      const server = await startBenchServer(location ?? { dataDir }, freePort());
      try {
        console.log(`  server RSS after start: ${server.rssMb().toFixed(0)} MB`);
        // Each agent's inbox, round the agents: the first page of their open cases in deadline order.
        const inboxes = tokens.map(() => '/api/v1/cases?ownerId=me&status=open&sort=due&limit=50');
        await timeRequests(server.url, tokens[0], inboxes.slice(0, 1));
        const inbox = await timeAcross(server.url, tokens, inboxes);
        const counts = await timeAcross(server.url, tokens, tokens.map(() => '/api/v1/cases/counts?ownerId=me'));
        const searches = ['fee', 'refund', 'fraud', 'overdraft', 'credit report', 'late payment', 'mortgage', 'interest']
          .map((q) => `/api/v1/cases?q=${encodeURIComponent(q)}&status=open,waiting_customer&sort=due&limit=50`);
        await timeRequests(server.url, compliance, searches);
        const search = await timeRequests(server.url, compliance, searches);
        const target = kind === 'postgres' ? 'p50 < 20 ms, p99 < 100 ms' : undefined;
        const verdict = (r: { p50: number; p99: number }) => (kind === 'postgres' ? (r.p50 < 20 && r.p99 < 100 ? ' — PASS' : ' — FAIL') : '');
        printResult(`inbox first page, ${kind}, ${count.toLocaleString('en')}+ cases, p50`, inbox.p50, 'ms', target);
        printResult(`inbox first page, ${kind}, p99`, inbox.p99, 'ms');
        console.log(`  (${inbox.items.toFixed(0)} cases a page${verdict(inbox)})`);
        printResult(`inbox counts by status, ${kind}, p50 / p99`, counts.p50, `ms / ${counts.p99.toFixed(1)} ms`);
        printResult(`filtered search (words + status, whole organisation), ${kind}, p50`, search.p50, 'ms', target);
        printResult(`filtered search, ${kind}, p99`, search.p99, 'ms');
        console.log(`  (${search.items.toFixed(0)} cases a page${verdict(search)})`);
        const rss = server.rssMb();
        // What of it is the JavaScript heap (GET /metrics answers this machine without a token).
        const metrics = String((await request(server.url, 'GET', '/metrics')).body);
        const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576;
        console.log(`  server heap: ${gauge('nodejs_heap_size_used_bytes').toFixed(0)} MB used of ${gauge('nodejs_heap_size_total_bytes').toFixed(0)} MB; external ${gauge('nodejs_external_memory_bytes').toFixed(0)} MB`);
        const limit = kind === 'postgres' ? 300 : 1536;
        printResult(`server RSS, ${kind}, after the reads`, rss, 'MB', `< ${limit.toLocaleString('en')} MB — ${rss < limit ? 'PASS' : 'FAIL'}`);
      } finally { await server.stop(); }
    } finally {
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

/** Requests spread over several callers (each its own token), timed together. */
async function timeAcross(base: string, tokens: string[], paths: string[]) {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const k = i % tokens.length;
    const t0 = performance.now();
    const res = await request(base, 'GET', paths[k], undefined, tokens[k]);
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${paths[k]} answered ${res.status}`);
    items += res.body.items?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), items: items / SAMPLES };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchScale((process.argv[2] ?? 'postgres') as 'embedded' | 'postgres', Number(process.argv[3] ?? 1_000_000));
}
