import { loadConfig } from './config.js';
import { startServer, stopOnSignals } from './server/start.js';

/** `npm start`: the web UI, the API and the background work in one process. */
async function main() {
  stopOnSignals(await startServer(loadConfig()));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
