import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  TRUSTDESK_DATA_DIR: z.string().default('./data'),
  TRUSTDESK_DEMO: booleanFlag.default(true),
  TRUSTDESK_SECURE_COOKIES: booleanFlag.default(false),
  TRUSTDESK_TRUST_PROXY: booleanFlag.default(false),
  TRUSTDESK_SESSION_HOURS: z.coerce.number().positive().default(12),
  TRUSTDESK_PUBLIC_URL: z.string().url().optional(),
  TRUSTDESK_BODY_LIMIT: z.coerce.number().int().positive().default(1024 * 1024),
  SMTP_URL: z.string().optional(),
  TRUSTDESK_PORTAL_LINK_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TRUSTDESK_JOB_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  TRUSTDESK_UPLOADS_DIR: z.string().min(1).optional(),
  TRUSTDESK_SCAN_COMMAND: z.string().min(1).optional(),
  TRUSTDESK_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  TRUSTDESK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  TRUSTDESK_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  TRUSTDESK_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  TRUSTDESK_TEST_CLOCK_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  demo: boolean;
  secureCookies: boolean;
  trustProxy: boolean;
  sessionHours: number;
  publicUrl: string;
  bodyLimit: number;
  smtpUrl?: string;
  inboundSmtpPort?: number;
  /** Customer status links stop working this many days after the case closes. */
  portalLinkDays: number;
  jobIntervalMs: number;
  /** Server processes sharing the port (PostgreSQL only); see server/processes.ts. */
  processes: number;
  /** PostgreSQL connections per process at most. */
  dbPoolSize: number;
  /** Bearer token for GET /metrics; without it only loopback clients may read the metrics. */
  metricsToken?: string;
  /** On SIGTERM, in-flight requests and the job step in hand get this long before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Tests of several processes only: a shared file holding a time offset in ms (see src/ops/file-clock.ts). */
  testClockFile?: string;
  logLevel: string;
  /** Where uploaded files live (attachments, evidence); see storage/file-store.ts for the default. */
  uploadsDir?: string;
  /** Virus-scan hook: a command that reads a file on stdin and exits 0 (clean) or 1 (infected). */
  scanCommand?: string;
}

/** Reads the environment once at start; an invalid value stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  if (e.TRUSTDESK_PROCESSES > 1 && !e.DATABASE_URL) {
    throw new Error('Invalid configuration:\n  TRUSTDESK_PROCESSES: several processes need PostgreSQL (set DATABASE_URL); the embedded database belongs to one process');
  }
  const inMemory = e.TRUSTDESK_DATA_DIR.startsWith('memory://');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    // `memory://` keeps the embedded database in memory: throwaway demos and end-to-end tests.
    dataDir: inMemory ? e.TRUSTDESK_DATA_DIR : path.resolve(e.TRUSTDESK_DATA_DIR),
    demo: e.TRUSTDESK_DEMO,
    secureCookies: e.TRUSTDESK_SECURE_COOKIES,
    trustProxy: e.TRUSTDESK_TRUST_PROXY,
    sessionHours: e.TRUSTDESK_SESSION_HOURS,
    publicUrl: e.TRUSTDESK_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    bodyLimit: e.TRUSTDESK_BODY_LIMIT,
    smtpUrl: e.SMTP_URL,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    portalLinkDays: e.TRUSTDESK_PORTAL_LINK_DAYS,
    jobIntervalMs: e.TRUSTDESK_JOB_INTERVAL_MS,
    processes: e.TRUSTDESK_PROCESSES,
    dbPoolSize: e.TRUSTDESK_DB_POOL_SIZE,
    metricsToken: e.TRUSTDESK_METRICS_TOKEN,
    shutdownTimeoutMs: e.TRUSTDESK_SHUTDOWN_TIMEOUT_MS,
    testClockFile: e.TRUSTDESK_TEST_CLOCK_FILE,
    logLevel: e.LOG_LEVEL,
    uploadsDir: e.TRUSTDESK_UPLOADS_DIR ? path.resolve(e.TRUSTDESK_UPLOADS_DIR) : undefined,
    scanCommand: e.TRUSTDESK_SCAN_COMMAND,
  };
}
