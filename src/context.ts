import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { Ops } from './ops/ops.js';

/** Time is injected so clocks, reminders and reports can be tested with a controllable clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every service needs: the database, the configuration and the time. */
export interface AppContext {
  database: Database;
  db: Db;
  config: Config;
  clock: Clock;
  /** This process's operational state (jobs, file store) for health and metrics; set by buildApp. */
  ops?: Ops;
}
