import { uploadsRoot } from '../storage/file-store.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { MAX_ATTACHMENT_BYTES } from '../cases/attachment.service.js';
import type { AppContext } from '../context.js';
import { rootCauseMessage } from '../db/errors.js';

export type CheckStatus = 'ok' | 'degraded' | 'down' | 'disabled' | 'unknown';

export interface HealthReport {
  /** ok: all fine · degraded: serving, but something needs attention (HTTP 200) · down: the database is unreachable (HTTP 503). */
  status: 'ok' | 'degraded' | 'down';
  database: 'embedded' | 'postgres';
  checks: {
    database: { status: 'ok' | 'down'; message?: string };
    smtp: { status: CheckStatus; queued: number | null; retrying: number | null; failed: number | null; oldestQueuedSeconds: number | null; message?: string };
    storage: { status: 'ok' | 'degraded'; freeBytes: number | null; message?: string };
    jobs: { status: 'ok' | 'degraded' | 'disabled'; lastRunAt: string | null; message?: string };
  };
  problems?: string[];
}

/** A health check must answer even when a dependency hangs: give up on it after this long. */
const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = rootCauseMessage;

async function checkDatabase(ctx: AppContext): Promise<HealthReport['checks']['database']> {
  try {
    await withTimeout(ctx.db.execute(sql`SELECT 1`), 'the database');
    return { status: 'ok' };
  } catch (err) {
    return { status: 'down', message: messageOf(err) };
  }
}

/** Outbox state across organisations; mail waiting on a retry means the SMTP server refused or could not be reached. */
export async function outboxState(ctx: AppContext, now: Date) {
  const [row] = await ctx.database.query<{ queued: number; retrying: number; failed: number; oldest: Date | string | null; last_error: string | null }>(
    `SELECT count(*) FILTER (WHERE o.status = 'queued')::int AS queued,
            count(*) FILTER (WHERE o.status = 'queued' AND o.attempts > 0)::int AS retrying,
            count(*) FILTER (WHERE o.status = 'failed')::int AS failed,
            min(o.created_at) FILTER (WHERE o.status = 'queued') AS oldest,
            (array_agg(o.last_error ORDER BY o.next_attempt_at DESC) FILTER (WHERE o.status = 'queued' AND o.last_error IS NOT NULL))[1] AS last_error
       FROM organisations g JOIN outbox o ON o.organisation_id = g.id AND o.status IN ('queued', 'failed')`);
  const oldest = row.oldest ? new Date(row.oldest) : null;
  return {
    queued: row.queued, retrying: row.retrying, failed: row.failed, lastError: row.last_error,
    oldestQueuedSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
  };
}

async function checkSmtp(ctx: AppContext, databaseUp: boolean): Promise<HealthReport['checks']['smtp']> {
  const empty = { queued: null, retrying: null, failed: null, oldestQueuedSeconds: null };
  if (!databaseUp) return { status: 'unknown', ...empty, message: 'the outbox is in the database, which is down' };
  try {
    const { lastError, ...state } = await withTimeout(outboxState(ctx, ctx.clock.now()), 'the outbox query');
    if (!ctx.config.smtpUrl) return { status: 'disabled', ...state, message: 'SMTP_URL is not set: mail stays in the outbox' };
    if (state.retrying > 0) {
      return { status: 'degraded', ...state, message: `${state.retrying} message(s) waiting to be retried; last error: ${lastError ?? 'unknown'}` };
    }
    return { status: 'ok', ...state };
  } catch (err) {
    return { status: 'unknown', ...empty, message: messageOf(err) };
  }
}

/** The folder itself, or the nearest parent that exists (the folder is made on the first upload). */
async function existingAncestor(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.stat(d);
      return d;
    } catch {
      if (path.dirname(d) === d) return d;
    }
  }
}

/** Degraded when the uploads folder is not writable or has no room for one more file of the largest size. */
async function checkStorage(ctx: AppContext): Promise<HealthReport['checks']['storage']> {
  try {
    const dir = await existingAncestor(uploadsRoot(ctx.config));
    const stats = await fs.statfs(dir);
    const freeBytes = Number(stats.bavail) * Number(stats.bsize);
    try {
      await fs.access(dir, fs.constants.W_OK);
    } catch (err) {
      return { status: 'degraded', freeBytes, message: `uploads folder is not writable: ${messageOf(err)}` };
    }
    if (freeBytes < MAX_ATTACHMENT_BYTES) {
      return { status: 'degraded', freeBytes, message: `only ${Math.floor(freeBytes / 1024)} KiB free for uploads (an attachment may be up to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB)` };
    }
    const last = ctx.ops?.storage.lastError;
    return last ? { status: 'ok', freeBytes, message: `last failed write ${last.at.toISOString()}: ${last.message}` } : { status: 'ok', freeBytes };
  } catch (err) {
    return { status: 'degraded', freeBytes: null, message: messageOf(err) };
  }
}

/** Degraded when this process's last run of background work failed, or a run has been going for far too long. */
function checkJobs(ctx: AppContext): HealthReport['checks']['jobs'] {
  const jobs = ctx.ops?.jobs;
  const runs = jobs ? [...jobs.runs.entries()] : [];
  const lastRunAt = runs.map(([, r]) => r.finishedAt).filter((d): d is Date => d !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
  const view = { lastRunAt: lastRunAt?.toISOString() ?? null };
  if (!jobs?.scheduled) return { status: 'disabled', ...view, message: 'this process does not run background work' };
  const failed = runs.filter(([, r]) => r.failed).map(([task]) => task);
  if (failed.length > 0) {
    const last = jobs.lastError;
    return { status: 'degraded', ...view, message: `the last ${failed.join(' and ')} run failed${last ? ` in ${last.step}: ${last.message}` : ''}` };
  }
  const stuckAfterMs = Math.max(10 * jobs.intervalMs, 120_000);
  const stuck = runs.find(([, r]) => !r.finishedAt && Date.now() - r.startedAt.getTime() > stuckAfterMs);
  if (stuck) return { status: 'degraded', ...view, message: `the ${stuck[0]} run has been going since ${stuck[1].startedAt.toISOString()}` };
  return { status: 'ok', ...view };
}

/**
 * The health report. Anyone may read the statuses (load balancers do); the detail (messages with
 * host names and errors, queue sizes, free space) only an operator (see operatorAccess).
 */
export async function checkHealth(ctx: AppContext, detailed = true): Promise<HealthReport> {
  const [database, storage] = await Promise.all([checkDatabase(ctx), checkStorage(ctx)]);
  const smtp = await checkSmtp(ctx, database.status === 'ok');
  const jobs = checkJobs(ctx);
  const checks = { database, smtp, storage, jobs };
  const failing = Object.entries(checks).filter(([, c]) => c.status === 'down' || c.status === 'degraded');
  const status = database.status === 'down' ? 'down' : failing.length > 0 ? 'degraded' : 'ok';
  if (!detailed) {
    return {
      status, database: ctx.database.kind,
      checks: {
        database: { status: database.status },
        smtp: { status: smtp.status, queued: null, retrying: null, failed: null, oldestQueuedSeconds: null },
        storage: { status: storage.status, freeBytes: null },
        jobs: { status: jobs.status, lastRunAt: jobs.lastRunAt },
      },
      ...(failing.length > 0 ? { problems: failing.map(([name, c]) => `${name}: ${c.status}`) } : {}),
    };
  }
  const problems = failing.map(([name, c]) => `${name}: ${c.message ?? c.status}`);
  return { status, database: ctx.database.kind, checks, ...(problems.length > 0 ? { problems } : {}) };
}
