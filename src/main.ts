import cluster from 'node:cluster';
import { loadConfig } from './config.js';
import { superviseProcesses } from './server/processes.js';
import { startServer, stopOnSignals } from './server/start.js';

/** `npm start`: the web UI, the API and the background work in one process (or several: TRUSTDESK_PROCESSES). */
async function main() {
  const config = loadConfig();
  if (config.processes > 1 && cluster.isPrimary) await superviseProcesses(config.processes);
  else stopOnSignals(await startServer(config));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
