import { loadConfig } from './config.js';
import { startServer } from './server/start.js';

/** `npm start`: the web UI, the API and the background work in one process. */
async function main() {
  const server = await startServer(loadConfig());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.app.log.info(`${signal}: draining in-flight work, then stopping`);
      server.stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
