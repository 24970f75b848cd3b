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
import { sendDueInvitations } from '../surveys/survey.service.js';

/**
 * Background work. Every task claims its rows through the database (FOR UPDATE SKIP LOCKED or a
 * unique key), so any number of processes can run it against one PostgreSQL and each clock
 * event, escalation step and e-mail happens once. A process that was down catches up on start.
 */
export const tasks = {
  /** Every few seconds: deadlines, escalations that climb, hand-offs that wait, mail. */
  async frequent(ctx: AppContext) {
    await sweepClocks(ctx, (tx, fired, at) => onClocksFired(tx, ctx, fired, at));
    await remindUnacknowledged(ctx);
    await climbOverdueEscalations(ctx);
    await escalateWaitingTransfers(ctx);
    await sendDueInvitations(ctx);
    await refreshReportRollups(ctx);
    await deliverOutbox(ctx);
    await deliverWebhooks(ctx);
  },
  /** Every minute: seal history into anchors, drop expired sessions, send daily digests and scheduled reports. */
  async slow(ctx: AppContext) {
    const now = ctx.clock.now();
    for (const org of await listOrganisations(ctx.db)) await anchorHistory(ctx.db, org.id, now);
    await purgeExpiredSessions(ctx.db, now);
    await sendDigests(ctx);
    // Scheduled reports read the rollups: bring them up to date first.
    await refreshReportRollups(ctx);
    await sendScheduledReports(ctx);
    await deliverOutbox(ctx);
  },
};

export interface MaintenanceOptions {
  frequentMs?: number;
  slowMs?: number;
  onError: (err: unknown) => void;
}

export function startMaintenance(ctx: AppContext, options: MaintenanceOptions): { stop: () => Promise<void>; kick: () => void } {
  const running = new Map<string, Promise<void>>();
  const run = (name: keyof typeof tasks) => {
    if (running.has(name)) return;
    const p = tasks[name](ctx).catch(options.onError).finally(() => running.delete(name));
    running.set(name, p);
  };
  run('frequent');
  run('slow');
  const timers = [
    setInterval(() => run('frequent'), options.frequentMs ?? 5_000),
    setInterval(() => run('slow'), options.slowMs ?? 60_000),
  ];
  for (const t of timers) t.unref();
  return {
    /** Stops the timers and waits for the work in hand (graceful shutdown). */
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.all(running.values());
    },
    kick: () => run('frequent'),
  };
}
