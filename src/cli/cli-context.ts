import { loadConfig, type Config } from '../config.js';
import { type AppContext, systemClock } from '../context.js';
import { openDatabase } from '../db/client.js';

/** Opens the configured database for one CLI command and always closes it. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, config: Config = loadConfig(), loadDataDir?: Blob): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, loadDataDir });
  try {
    return await fn({ database, db: database.db, config, clock: systemClock });
  } finally {
    await database.close();
  }
}

/** Prints a friendly message instead of a stack trace for errors a user can fix. */
export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}
