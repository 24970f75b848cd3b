import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';

/** The conduct status of the latest assessment cycle, as the conduct feature reports it. */
export interface ConductStatus {
  cycleId: string;
  cycleName: string;
  /** 0–100 status score across every business practice. */
  score: number;
  /** True when a red cell or overdue action capped the score below its average. */
  capped: boolean;
  capReason: string | null;
  weakestUnit: { id: string; name: string; score: number } | null;
  /** Share of assessed cells below the framework's threshold. */
  shareBelowThreshold: number;
  redCells: number;
  overdueActions: number;
}

/**
 * The executive report's one source for its conduct section. The conduct feature exports
 * `conductStatusForReport(ctx, actor, { unitId })` from src/conduct/status-score.service.ts; until
 * it is on main there is no conduct cycle, and the report says so.
 */
export async function conductSection(_ctx: AppContext, _actor: Actor, _unitId: string | null): Promise<ConductStatus | null> {
  return null;
}
