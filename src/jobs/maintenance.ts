import { purgeExpiredSessions } from '../auth/auth.service.js';
import { sweepClocks } from '../clocks/clock.service.js';
import type { AppContext } from '../context.js';
import { climbOverdueEscalations, escalateWaitingTransfers, onClocksFired, remindUnacknowledged } from '../escalations/escalation.service.js';
import { anchorHistory } from '../history/history.service.js';
import { sendDigests } from '../notify/notification.service.js';
import { deliverOutbox } from '../notify/outbox.service.js';
import { deliverWebhooks } from '../notify/webhook.service.js';
import { listOrganisations } from '../org/organisation.service.js';
import { refreshReportRollups } from '../reports/rollup.service.js';
import { sendScheduledReports } from '../reports/subscription.service.js';
import { analysePendingResponses, sendDueInvitations } from '../surveys/survey.service.js';
import { remindConductActions } from '../conduct/action.service.js';
import { sweepEvidenceExpiry } from '../conduct/evidence.service.js';
import { snapshotConductStatus } from '../conduct/status-score.service.js';
import { runRetention } from '../datacare/retention.service.js';

type Step = readonly [name: string, run: (ctx: AppContext) => Promise<unknown>];

/** Report rollups work off a backlog this long per run at most (see refreshReportRollups). */
const ROLLUP_BUDGET_MS = 2_000;

/** Every few seconds: deadlines, escalations that climb, hand-offs that wait, conduct action reminders, mail. */
const frequentSteps: Step[] = [
  ['clock_sweep', (ctx) => sweepClocks(ctx, (tx, fired, at) => onClocksFired(tx, ctx, fired, at))],
  ['escalation_reminders', remindUnacknowledged],
  ['escalation_climb', climbOverdueEscalations],
  ['transfer_timeouts', escalateWaitingTransfers],
  ['survey_invitations', sendDueInvitations],
  ['report_rollups', (ctx) => refreshReportRollups(ctx, { budgetMs: ROLLUP_BUDGET_MS })],
  ['conduct_action_reminders', remindConductActions],
  ['outbox', deliverOutbox],
  ['webhooks', deliverWebhooks],
];

/** Every minute: seal history into anchors, drop expired sessions, send daily digests, expire evidence, snapshot conduct status, anonymise cases past retention, analyse survey comments saved before analysis. */
const slowSteps: Step[] = [
  ['history_anchor', async (ctx) => {
    const now = ctx.clock.now();
    for (const org of await listOrganisations(ctx.db)) await anchorHistory(ctx.db, org.id, now);
  }],
  ['session_purge', (ctx) => purgeExpiredSessions(ctx.db, ctx.clock.now())],
  ['digests', sendDigests],
  ['evidence_expiry', sweepEvidenceExpiry],
  ['conduct_snapshot', snapshotConductStatus],
  ['retention', runRetention],
  ['survey_text_analysis', analysePendingResponses],
  // Scheduled reports read the rollups: bring them up to date first, then send at once (after a
  // very large import the first report may go out while the backlog is still being worked off).
  ['report_rollups', (ctx) => refreshReportRollups(ctx, { budgetMs: 10 * ROLLUP_BUDGET_MS })],
  ['scheduled_reports', sendScheduledReports],
  ['outbox', deliverOutbox],
];

export interface RunOptions {
  /** Checked between steps: on shutdown the step in hand finishes and the rest wait for the next start. */
  stopping?: () => boolean;
}

/**
 * Runs the steps in order. One failing step (say, webhooks while a receiver is down) does not
 * hold back the others; the first error is rethrown at the end so callers and logs see it.
 */
async function runSteps(ctx: AppContext, task: string, steps: Step[], options: RunOptions = {}) {
  const monitor = ctx.ops?.jobs;
  let firstError: unknown;
  let failed = false;
  monitor?.runStarted(task);
  for (const [step, run] of steps) {
    if (options.stopping?.()) break;
    const started = performance.now();
    try {
      await run(ctx);
      monitor?.stepDone({ step, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      monitor?.stepDone({ step, seconds: (performance.now() - started) / 1000, error });
      if (!failed) firstError = error;
      failed = true;
    }
  }
  monitor?.runFinished(task, failed);
  if (failed) throw firstError;
}

/**
 * Background work. Every task claims its rows through the database (FOR UPDATE SKIP LOCKED or a
 * unique key), so any number of processes can run it against one PostgreSQL and each clock
 * event, escalation step and e-mail happens once. A process that was down catches up on start.
 */
export const tasks = {
  frequent: (ctx: AppContext, options?: RunOptions) => runSteps(ctx, 'frequent', frequentSteps, options),
  slow: (ctx: AppContext, options?: RunOptions) => runSteps(ctx, 'slow', slowSteps, options),
};

export interface MaintenanceOptions {
  frequentMs?: number;
  slowMs?: number;
  onError: (err: unknown) => void;
}

export function startMaintenance(ctx: AppContext, options: MaintenanceOptions): { stop: () => Promise<void>; kick: () => void } {
  const running = new Map<string, Promise<void>>();
  let stopped = false;
  const run = (name: keyof typeof tasks) => {
    if (running.has(name) || stopped) return;
    const p = tasks[name](ctx, { stopping: () => stopped }).catch(options.onError).finally(() => running.delete(name));
    running.set(name, p);
  };
  if (ctx.ops) {
    ctx.ops.jobs.scheduled = true;
    ctx.ops.jobs.intervalMs = options.frequentMs ?? 5_000;
  }
  run('frequent');
  run('slow');
  const timers = [
    setInterval(() => run('frequent'), options.frequentMs ?? 5_000),
    setInterval(() => run('slow'), options.slowMs ?? 60_000),
  ];
  for (const t of timers) t.unref();
  return {
    /** Stops the timers and waits for the step in hand to finish (graceful shutdown). */
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.all(running.values());
      if (ctx.ops) ctx.ops.jobs.scheduled = false;
    },
    kick: () => run('frequent'),
  };
}
