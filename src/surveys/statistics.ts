/**
 * Pure statistics for the care & trust survey analytics (no I/O; unit-tested in statistics.test.ts
 * against published and hand-computed values).
 *
 * Conventions shared by every function here:
 * - A sample is an array that may hold missing answers (`null`, `undefined`, `NaN`, ±Infinity);
 *   missing answers are dropped (pairwise for correlations) and `n` counts what was used.
 * - Nothing returns NaN: a quantity that is undefined for the data (empty sample, zero variance,
 *   too few pairs) is `null`.
 * - Inputs may be non-integers (averaged item scores, imported data).
 * - Arguments that are programming errors (mismatched lengths, scores outside 0–10, a confidence
 *   level outside (0, 1)) throw a RangeError instead of producing a wrong figure.
 */
import { gammaln, mean, sampleCorrelation, sampleRankCorrelation, sampleStandardDeviation } from 'simple-statistics';

/** One answer per respondent; null/undefined/NaN/±Infinity mean "not answered". */
export type Sample = ReadonlyArray<number | null | undefined>;

/** Standard normal 97.5 % quantile, Φ⁻¹(0.975) (the "1.96" of 95 % intervals), full precision. */
export const Z_95 = 1.959963984540054;

function isPresent(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function present(values: Sample): number[] {
  return values.filter(isPresent);
}

/** Keeps the pairs where both values are present (pairwise deletion). */
function presentPairs(x: Sample, y: Sample): { x: number[]; y: number[] } {
  if (x.length !== y.length) {
    throw new RangeError(`paired samples must have the same length (${x.length} vs ${y.length})`);
  }
  const px: number[] = [];
  const py: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (isPresent(a) && isPresent(b)) {
      px.push(a);
      py.push(b);
    }
  }
  return { x: px, y: py };
}

function isConstant(values: readonly number[]): boolean {
  return values.every((v) => v === values[0]);
}

// ---------------------------------------------------------------------------------------------
// Distributions
// ---------------------------------------------------------------------------------------------

/**
 * Continued fraction for the incomplete beta function, evaluated with the modified Lentz method
 * (Press et al., Numerical Recipes, 3rd ed., §6.4 "betacf"; DLMF 8.17.22).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const MAX_ITERATIONS = 10_000;
  const EPS = 1e-15;
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // even step
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // odd step
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
 * I_x(a,b) = x^a (1−x)^b / (a·B(a,b)) · CF(x; a, b), using the symmetry
 * I_x(a,b) = 1 − I_{1−x}(b,a) where the continued fraction converges slowly
 * (Numerical Recipes §6.4 "betai"; DLMF 8.17.4, 8.17.22). ln Γ from simple-statistics (Lanczos).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`incomplete beta needs finite a, b > 0 (got a=${a}, b=${b})`);
  }
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1 (got ${x})`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  const value =
    x < (a + 1) / (a + b + 2)
      ? (front * betaContinuedFraction(x, a, b)) / a
      : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
  return Math.min(1, Math.max(0, value));
}

function assertDegreesOfFreedom(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`degrees of freedom must be finite and > 0 (got ${df})`);
}

/**
 * Upper tail P(T > t) of Student's t for t ≥ 0: ½ · I_{df/(df+t²)}(df/2, ½)
 * (Abramowitz & Stegun 26.7.1 with 26.5.27). Computed directly, so small tails keep their precision.
 */
function studentTUpperTail(t: number, df: number): number {
  if (t === Infinity) return 0;
  const t2 = t * t;
  // Near t = 0, df/(df+t²) rounds to 1; use the complement I_y(½, df/2), y = t²/(df+t²), there.
  if (t2 < df) return 0.5 * (1 - regularizedIncompleteBeta(t2 / (df + t2), 0.5, df / 2));
  return 0.5 * regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5);
}

/** Cumulative distribution P(T ≤ t) of Student's t with df > 0 degrees of freedom (df may be fractional). */
export function studentTCdf(t: number, df: number): number {
  assertDegreesOfFreedom(df);
  if (Number.isNaN(t)) throw new RangeError('t must be a number');
  return t >= 0 ? 1 - studentTUpperTail(t, df) : studentTUpperTail(-t, df);
}

/** Two-sided p-value P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, ½). */
export function studentTTwoSidedP(t: number, df: number): number {
  assertDegreesOfFreedom(df);
  if (Number.isNaN(t)) throw new RangeError('t must be a number');
  return Math.min(1, 2 * studentTUpperTail(Math.abs(t), df));
}

/**
 * Quantile (inverse CDF) of Student's t: the t with P(T ≤ t) = p, for 0 < p < 1 and df > 0.
 * Solved by bracketing and bisection on the upper tail, which is monotone, so it cannot fail to
 * converge; the result is accurate to ~1e-12 relative (checked against t tables and the closed
 * forms for df = 1 and df = 2).
 */
export function studentTQuantile(p: number, df: number): number {
  assertDegreesOfFreedom(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1) (got ${p})`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tail = 1 - p;
  let lo = 0;
  let hi = 1;
  while (studentTUpperTail(hi, df) > tail && hi < 1e300) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

export interface NetPromoterScore {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100..100; null when nobody answered. */
  nps: number | null;
  /** Half-width of the 95 % interval, in NPS points; null when nobody answered. */
  marginOfError95: number | null;
}

/**
 * Net Promoter Score (Reichheld 2003): NPS = 100 · (p_pro − p_det), promoters 9–10, detractors 0–6
 * (non-integer scores: promoter ≥ 9, detractor ≤ 6, passive in between).
 * Margin of error: each respondent scores +1 / 0 / −1, whose variance is
 * (p_pro + p_det) − (p_pro − p_det)², so MoE = 1.96 · √(that / n) · 100 (normal approximation;
 * derivation in Cross Validated "How can I calculate margin of error in a NPS result?").
 */
export function netPromoterScore(scores: Sample): NetPromoterScore {
  const values = present(scores);
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const s of values) {
    if (s < 0 || s > 10) throw new RangeError(`NPS scores must be between 0 and 10 (got ${s})`);
    if (s >= 9) promoters++;
    else if (s <= 6) detractors++;
    else passives++;
  }
  return npsFromCounts(promoters, passives, detractors);
}

/** The same NPS and margin from counts already made (e.g. by SQL GROUP BY). */
export function npsFromCounts(promoters: number, passives: number, detractors: number): NetPromoterScore {
  const n = promoters + passives + detractors;
  if (n === 0) return { n, promoters, passives, detractors, nps: null, marginOfError95: null };
  const pPro = promoters / n;
  const pDet = detractors / n;
  const variance = Math.max(0, pPro + pDet - (pPro - pDet) ** 2);
  return {
    n,
    promoters,
    passives,
    detractors,
    nps: 100 * (pPro - pDet),
    marginOfError95: 100 * Z_95 * Math.sqrt(variance / n),
  };
}

export interface MeanWithConfidence {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1 denominator); null when n < 2. */
  sd: number | null;
  /** Half-width of the interval: t_{(1+c)/2, n−1} · sd / √n; null when n < 2. */
  marginOfError: number | null;
  lower: number | null;
  upper: number | null;
  confidence: number;
}

/**
 * Mean with a Student-t confidence interval: x̄ ± t_{(1+c)/2, n−1} · s/√n
 * (e.g. Moore, McCabe & Craig, Introduction to the Practice of Statistics, "one-sample t confidence
 * interval"). With zero spread (n ≥ 2, all equal) the interval collapses to the mean.
 */
export function meanWithConfidence(values: Sample, confidence = 0.95): MeanWithConfidence {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1) (got ${confidence})`);
  const xs = present(values);
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, marginOfError: null, lower: null, upper: null, confidence };
  const flat = isConstant(xs);
  const m = flat ? xs[0] : mean(xs); // a flat sample reports its value exactly, free of rounding
  if (n < 2) return { n, mean: m, sd: null, marginOfError: null, lower: null, upper: null, confidence };
  const sd = flat ? 0 : sampleStandardDeviation(xs);
  const marginOfError = (studentTQuantile((1 + confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, marginOfError, lower: m - marginOfError, upper: m + marginOfError, confidence };
}

// ---------------------------------------------------------------------------------------------
// Correlation
// ---------------------------------------------------------------------------------------------

/** Count, sum and sum of squares of a sample: enough for its mean and t interval (SQL aggregates them). */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

function varianceOf({ n, sum, sumSquares }: Moments): number {
  // Guard against tiny negative values from floating-point cancellation.
  return Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
}

/** meanWithConfidence from moments instead of the raw values (same t interval). */
export function meanFromMoments(m: Moments, confidence = 0.95): MeanWithConfidence {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1) (got ${confidence})`);
  const { n } = m;
  if (n === 0) return { n, mean: null, sd: null, marginOfError: null, lower: null, upper: null, confidence };
  const mu = m.sum / n;
  if (n < 2) return { n, mean: mu, sd: null, marginOfError: null, lower: null, upper: null, confidence };
  const sd = Math.sqrt(varianceOf(m));
  const marginOfError = (studentTQuantile((1 + confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: mu, sd, marginOfError, lower: mu - marginOfError, upper: mu + marginOfError, confidence };
}

export interface Correlation {
  /** Number of complete pairs used. */
  n: number;
  /** Coefficient in [−1, 1]; null when n < 2 or either variable is constant. */
  r: number | null;
  /** 95 % Fisher-z interval; null when r is null or n < 4. */
  lower: number | null;
  upper: number | null;
}

/**
 * 95 % interval by Fisher's z-transformation (Fisher 1921): z = atanh(r), se = 1/√(n − 3),
 * back-transformed with tanh(z ± 1.96·se). Same as R's cor.test for Pearson.
 */
function withFisherInterval(r: number, n: number): Correlation {
  if (n < 4) return { n, r, lower: null, upper: null };
  const z = Math.atanh(r); // ±Infinity for r = ±1: tanh brings it back to ±1, never NaN
  const half = Z_95 / Math.sqrt(n - 3);
  return { n, r, lower: Math.tanh(z - half), upper: Math.tanh(z + half) };
}

function correlate(x: Sample, y: Sample, coefficient: (a: number[], b: number[]) => number): Correlation {
  const pairs = presentPairs(x, y);
  const n = pairs.x.length;
  if (n < 2 || isConstant(pairs.x) || isConstant(pairs.y)) return { n, r: null, lower: null, upper: null };
  const raw = coefficient(pairs.x, pairs.y);
  if (!Number.isFinite(raw)) return { n, r: null, lower: null, upper: null };
  return withFisherInterval(Math.max(-1, Math.min(1, raw)), n);
}

/** Pearson product-moment correlation r = cov(x,y) / (s_x s_y) (simple-statistics), with a Fisher-z 95 % interval. */
export function pearson(x: Sample, y: Sample): Correlation {
  return correlate(x, y, sampleCorrelation);
}

/**
 * Spearman's ρ (Spearman 1904) = Pearson's r of the ranks, tied values getting the average of the
 * ranks they span (simple-statistics' sampleRankCorrelation). This is the tie-correct form; the
 * shortcut 1 − 6Σd²/(n(n²−1)) is exact only without ties. Fisher-z 95 % interval with se = 1/√(n−3).
 */
export function spearman(x: Sample, y: Sample): Correlation {
  return correlate(x, y, sampleRankCorrelation);
}

/** One cell of a cross-tabulation of two scores: how many respondents gave x and y. */
export interface Cell {
  x: number;
  y: number;
  count: number;
}

/** Average ranks (1-based, ties sharing the mean of the ranks they span) of each distinct value, weighted by counts. */
function weightedRanks(totals: Map<number, number>): Map<number, number> {
  const ranks = new Map<number, number>();
  let below = 0;
  for (const value of [...totals.keys()].sort((a, b) => a - b)) {
    const c = totals.get(value)!;
    ranks.set(value, below + (c + 1) / 2);
    below += c;
  }
  return ranks;
}

function weightedPearson(cells: { x: number; y: number; count: number }[]): { n: number; r: number | null } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (const c of cells) {
    n += c.count;
    sx += c.count * c.x;
    sy += c.count * c.y;
  }
  if (n < 2) return { n, r: null };
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const c of cells) {
    sxy += c.count * (c.x - mx) * (c.y - my);
    sxx += c.count * (c.x - mx) ** 2;
    syy += c.count * (c.y - my) ** 2;
  }
  if (!(sxx > 0) || !(syy > 0)) return { n, r: null };
  return { n, r: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) };
}

/**
 * Pearson and Spearman from a cross-tabulation instead of raw pairs: identical results to
 * pearson()/spearman() on the expanded pairs (ties get average ranks), but the database only sends
 * one row per distinct (x, y), at most 121 for two 0–10 scales, however many answers there are.
 */
export function correlationsFromCells(cells: readonly Cell[]): { pearson: Correlation; spearman: Correlation } {
  const used = cells.filter((c) => c.count > 0 && isPresent(c.x) && isPresent(c.y));
  const totalsX = new Map<number, number>();
  const totalsY = new Map<number, number>();
  for (const c of used) {
    totalsX.set(c.x, (totalsX.get(c.x) ?? 0) + c.count);
    totalsY.set(c.y, (totalsY.get(c.y) ?? 0) + c.count);
  }
  const rx = weightedRanks(totalsX);
  const ry = weightedRanks(totalsY);
  const finish = ({ n, r }: { n: number; r: number | null }): Correlation => (r === null ? { n, r: null, lower: null, upper: null } : withFisherInterval(r, n));
  return {
    pearson: finish(weightedPearson(used)),
    spearman: finish(weightedPearson(used.map((c) => ({ x: rx.get(c.x)!, y: ry.get(c.y)!, count: c.count })))),
  };
}

export interface Driver extends Correlation {
  item: string;
}

/**
 * Driver ranking: Spearman ρ of every rated item against the outcome (e.g. propensity to do business),
 * each item using the respondents who answered both (pairwise deletion). Sorted by ρ, strongest
 * positive first; items whose ρ is undefined come last; ties by item key for a stable order.
 * Each items[key][i] must belong to the same respondent as outcome[i].
 */
export function driverRanking(items: Readonly<Record<string, Sample>>, outcome: Sample): Driver[] {
  const drivers = Object.entries(items).map(([item, values]) => ({ item, ...spearman(values, outcome) }));
  return drivers.sort((a, b) => {
    if (a.r === null || b.r === null) {
      if (a.r !== b.r) return a.r === null ? 1 : -1;
    } else if (a.r !== b.r) {
      return b.r - a.r;
    }
    return a.item < b.item ? -1 : a.item > b.item ? 1 : 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Comparison and sample-size guards
// ---------------------------------------------------------------------------------------------

export interface Comparison {
  segmentN: number;
  segmentMean: number | null;
  wholeN: number;
  wholeMean: number | null;
  /** segmentMean − wholeMean; null when either is empty. */
  difference: number | null;
  /** Welch's t statistic; null when a group has n < 2 or both have zero variance. */
  t: number | null;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number | null;
  /** Two-sided p-value. */
  pValue: number | null;
  /** pValue < alpha; false whenever the test is undefined. */
  significant: boolean;
}

/**
 * Difference of means with Welch's unequal-variance t-test (Welch 1947):
 * t = (x̄₁ − x̄₂) / √(s₁²/n₁ + s₂²/n₂), df = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)),
 * two-sided p from Student's t (same as R's t.test default). The test assumes independent groups:
 * when the segment is part of the whole this is conservative; pass the rest of the organisation as
 * `whole` for the strict two-group comparison.
 */
export function compareToWhole(segment: Sample, whole: Sample, { alpha = 0.05 }: { alpha?: number } = {}): Comparison {
  const a = present(segment);
  const b = present(whole);
  const moments = (xs: number[]): Moments => ({ n: xs.length, sum: xs.reduce((t, v) => t + v, 0), sumSquares: xs.reduce((t, v) => t + v * v, 0) });
  return compareMoments(moments(a), moments(b), { alpha, exact: { a, b } });
}

/**
 * compareToWhole from moments (count, sum, sum of squares), as SQL aggregates them. `exact` lets
 * compareToWhole pass the raw values so means and spreads are computed without cancellation.
 */
export function compareMoments(a: Moments, b: Moments, { alpha = 0.05, exact }: { alpha?: number; exact?: { a: number[]; b: number[] } } = {}): Comparison {
  const segmentMean = a.n > 0 ? (exact ? mean(exact.a) : a.sum / a.n) : null;
  const wholeMean = b.n > 0 ? (exact ? mean(exact.b) : b.sum / b.n) : null;
  const difference = segmentMean !== null && wholeMean !== null ? segmentMean - wholeMean : null;
  const result: Comparison = { segmentN: a.n, segmentMean, wholeN: b.n, wholeMean, difference, t: null, df: null, pValue: null, significant: false };
  if (difference === null || a.n < 2 || b.n < 2) return result;
  const variance = (m: Moments, xs?: number[]) => (xs ? (isConstant(xs) ? 0 : sampleStandardDeviation(xs) ** 2) : varianceOf(m));
  const va = variance(a, exact?.a) / a.n;
  const vb = variance(b, exact?.b) / b.n;
  const se2 = va + vb;
  if (!(se2 > 0)) return result;
  const t = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  if (!Number.isFinite(t) || !Number.isFinite(df) || !(df > 0)) return result;
  const pValue = studentTTwoSidedP(t, df);
  return { ...result, t, df, pValue, significant: pValue < alpha };
}

export type SampleVerdict = 'hide' | 'warn' | 'ok';

export interface SampleGuardOptions {
  /** Below this n, show the figure with a small-sample warning (default 30). */
  warnBelow?: number;
  /** Below this n, do not show the figure at all (default 10; also the segment anonymity threshold). */
  hideBelow?: number;
}

/** Sample-size guard for every displayed figure: 'hide' below hideBelow, 'warn' below warnBelow, else 'ok'. */
export function sampleGuard(n: number, { warnBelow = 30, hideBelow = 10 }: SampleGuardOptions = {}): SampleVerdict {
  const count = Number.isFinite(n) && n > 0 ? n : 0;
  if (count < hideBelow) return 'hide';
  if (count < warnBelow) return 'warn';
  return 'ok';
}
