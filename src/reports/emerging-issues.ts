/**
 * Pure rules of emerging-issue detection (method in docs/complaint-insights.md).
 *
 * A count is unusual when it lies above the upper control limit of a Poisson process whose rate
 * is the series' own trailing baseline: the smallest k with P(X ≤ k | λ) ≥ 1 − α. With α = 0.001
 * a steady series raises a false alarm about once in twenty years of weekly checks per series.
 */
export const ALPHA = 0.001;
/** Below this many complaints nothing is "emerging", however quiet the baseline was. */
export const MIN_COUNT = 5;

export function poissonUpperLimit(lambda: number, alpha = ALPHA): number {
  if (lambda <= 0) return 0;
  let k = 0;
  let term = Math.exp(-lambda);
  let cdf = term;
  while (cdf < 1 - alpha && k < 100_000) {
    k++;
    term *= lambda / k;
    cdf += term;
  }
  return k;
}

export interface RiseVerdict {
  alert: boolean;
  /** A series with no history at all: any count at or above the minimum is new. */
  isNew: boolean;
  limit: number;
}

export function judgeRise(current: number, baselineRate: number, minCount = MIN_COUNT): RiseVerdict {
  const limit = poissonUpperLimit(baselineRate);
  const isNew = baselineRate === 0;
  return { alert: current >= minCount && current > limit, isNew, limit };
}
