import cluster, { type Worker } from 'node:cluster';

/**
 * `TRUSTDESK_PROCESSES=N` (PostgreSQL only): a supervisor runs N server processes that share the
 * port (node:cluster hands each new connection to the next process), so one machine's every core
 * serves requests. They are ordinary TrustDesk processes — several processes on one PostgreSQL is
 * the supported way to scale (jobs and clocks run once across them).
 *
 * The first process starts alone, since it migrates the database and seeds the demo; the others
 * follow once it listens. SIGTERM or SIGINT reaches every process, each drains as a single process
 * does, and the supervisor exits when all have (0 if all stopped cleanly). A process that dies
 * otherwise is replaced after a second.
 */
export function superviseProcesses(count: number, log: (line: string) => void = (line) => console.log(line)) {
  let stopping = false;
  let failed = false;
  const running = new Set<Worker>();
  const start = () => new Promise<Worker>((resolve, reject) => {
    const worker = cluster.fork();
    running.add(worker);
    worker.once('listening', () => resolve(worker));
    worker.once('exit', (code, signal) => { if (!stopping) reject(new Error(`a server process ended while starting (${signal ?? `exit ${code}`})`)); });
  });

  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    // Stopped by our SIGTERM before it had started listening (it had no handler yet): not a failure.
    if (code !== 0 && !(stopping && signal === 'SIGTERM')) failed = true;
    if (stopping) {
      if (running.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    log(`server process ${worker.process.pid} ended (${signal ?? `exit ${code}`}); starting another`);
    setTimeout(() => { if (!stopping) void start().catch((err: Error) => log(err.message)); }, 1000).unref();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping ${running.size} server processes`);
      if (running.size === 0) process.exit(0);
      // SIGTERM whatever came in: a terminal's Ctrl-C already sent each process its SIGINT, and a
      // second SIGINT would make it exit at once instead of draining.
      for (const worker of running) worker.process.kill('SIGTERM');
    });
  }

  return (async () => {
    await start();
    await Promise.all(Array.from({ length: count - 1 }, start));
    log(`${count} server processes share the port`);
  })();
}
