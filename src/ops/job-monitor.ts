import { rootCauseMessage } from '../db/errors.js';

/**
 * What the background work of this process last did, for the health endpoint and /metrics.
 * Operational wall-clock times (not business time), so they are plain `new Date()`.
 */
export interface StepOutcome {
  step: string;
  seconds: number;
  error?: unknown;
}

export class JobMonitor {
  /** True once this process runs the background work on a timer (`npm start`, `trustdesk serve`). */
  scheduled = false;
  intervalMs = 5_000;
  /** Per task ("frequent", "slow"): when its last run started and ended, and whether a step failed. */
  readonly runs = new Map<string, { startedAt: Date; finishedAt?: Date; failed: boolean }>();
  lastError?: { step: string; message: string; at: Date };
  private listeners: ((o: StepOutcome) => void)[] = [];

  onStep(listener: (o: StepOutcome) => void) {
    this.listeners.push(listener);
  }

  stepDone(outcome: StepOutcome) {
    if (outcome.error !== undefined) {
      this.lastError = { step: outcome.step, message: rootCauseMessage(outcome.error), at: new Date() };
    }
    for (const l of this.listeners) l(outcome);
  }

  runStarted(task: string) {
    const last = this.runs.get(task);
    this.runs.set(task, { startedAt: new Date(), failed: last?.failed ?? false });
  }

  runFinished(task: string, failed: boolean) {
    const run = this.runs.get(task);
    if (run) Object.assign(run, { finishedAt: new Date(), failed });
  }
}
