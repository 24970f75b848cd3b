import type { Actor } from '../auth/actor.js';
import type { AppContext } from '../context.js';
import { conductStatusForReport } from '../conduct/status-score.service.js';

/** The conduct status of the latest assessment cycle, as the executive report shows it. */
export interface ConductStatus {
  cycleId: string;
  cycleName: string;
  /** 0–100 status score across every business practice; null before any cell is scored. */
  score: number | null;
  /** True when a critical practice fails somewhere: the score is capped below its average. */
  capped: boolean;
  capReason: string | null;
  weakestUnit: { id: string; name: string; score: number } | null;
  /** Share of assessed cells below the framework's threshold. */
  shareBelowThreshold: number;
  redCells: number;
  /** The worst red cells (critical first), so the weakest pockets are named on the report's page. */
  weakestPockets: Array<{ unitName: string; unitPath: string; practiceTitle: string; critical: boolean; score: number }>;
  overdueActions: number;
}

/** The executive report's one source for its conduct section: null when no cycle exists yet. */
export async function conductSection(ctx: AppContext, actor: Actor, unitId: string | null): Promise<ConductStatus | null> {
  const s = await conductStatusForReport(ctx, actor, { unitId: unitId ?? undefined });
  if (!s) return null;
  return {
    cycleId: s.cycleId, cycleName: s.cycleName, score: s.score, capped: s.capped, capReason: s.capReason,
    weakestUnit: s.weakestUnit ? { id: s.weakestUnit.id, name: s.weakestUnit.name, score: s.weakestUnit.score } : null,
    shareBelowThreshold: s.shareBelowThreshold, redCells: s.redCells.length,
    weakestPockets: s.redCells.slice(0, 5).map((c) => ({ unitName: c.unitName, unitPath: c.unitPath, practiceTitle: c.practiceTitle, critical: c.critical, score: c.score })),
    overdueActions: s.overdueActions.reduce((sum, o) => sum + o.count, 0),
  };
}
