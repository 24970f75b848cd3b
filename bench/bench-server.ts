import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverChildren } from '../test/helpers/server-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The real server in its own process (as `npm start` runs it, without demo data or background
 * noise in the log), so its requests go over real HTTP and its memory can be read on its own.
 */
export interface BenchServer {
  url: string;
  pid: number;
  rssMb(): number;
  /** CPU time (user + system) the server process has used so far, in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startBenchServer(database: { databaseUrl?: string; dataDir?: string }, port: number, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraEnv,
    PORT: String(port), HOST: '127.0.0.1', TRUSTDESK_DEMO: 'false', LOG_LEVEL: 'warn',
    // The sweep and the other jobs run as in production, every 5 s.
    TRUSTDESK_JOB_INTERVAL_MS: '5000',
  };
  delete env.DATABASE_URL;
  if (database.databaseUrl) env.DATABASE_URL = database.databaseUrl;
  if (database.dataDir) env.TRUSTDESK_DATA_DIR = database.dataDir;
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', path.join(root, 'src/main.ts')], { env, stdio: ['ignore', 'inherit', 'inherit'], cwd: root });
  // A benchmark that fails must not leave its server running against a database being removed.
  process.once('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const res = await request(url, 'GET', '/api/v1/health');
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (i > 600) throw new Error('the server did not start in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Several processes: the first answers health before the others listen; wait for them all.
  const processes = Number(extraEnv.TRUSTDESK_PROCESSES ?? 1);
  for (let i = 0; processes > 1 && serverChildren(child.pid!).length < processes; i++) {
    if (i > 600) throw new Error(`${processes} server processes did not start in 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    rssMb() {
      // The supervisor and its server processes, when there are several.
      return [child.pid!, ...serverChildren(child.pid!)].reduce((mb, pid) => {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        return mb + Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      }, 0);
    },
    cpuMs: () => treeCpuMs(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc, 100 ticks a second). */
export function processCpuMs(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}


/** CPU used so far by a process and its children (the server processes of TRUSTDESK_PROCESSES). */
export function treeCpuMs(pid: number): number {
  let total = processCpuMs(pid);
  for (const child of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${child}/status`, 'utf8'))?.[1] === String(pid)) total += treeCpuMs(Number(child));
    } catch { /* the process ended meanwhile */ }
  }
  return total;
}

/** CPU used so far by every PostgreSQL process on this machine (the local cluster the benchmark runs against). */
export function postgresCpuMs(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += processCpuMs(Number(pid));
    } catch { /* the process ended meanwhile */ }
  }
  return total;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request on a kept-alive connection; resolves with the status and the parsed body. */
export function request(base: string, method: string, pathAndQuery: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathAndQuery}`, {
      method, agent,
      headers: {
        ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export function freePort(): number {
  return 30000 + Math.floor(Math.random() * 20000);
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
