import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cell,
  compareMoments,
  compareToWhole,
  correlationsFromCells,
  meanFromMoments,
  npsFromCounts,
  driverRanking,
  meanWithConfidence,
  netPromoterScore,
  pearson,
  regularizedIncompleteBeta,
  sampleGuard,
  spearman,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from './statistics.js';

/**
 * Anscombe's quartet (F. J. Anscombe, "Graphs in Statistical Analysis", The American Statistician
 * 27(1), 1973, pp. 17–21; also R's datasets::anscombe). Published summary for every set: n = 11,
 * mean x = 9.0, Σ(x − x̄)² = 110.0, mean y = 7.50, regression y = 3 + 0.5x, R² = 0.667 (r ≈ 0.816).
 */
const anscombe = {
  x: [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5],
  y1: [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68],
  y2: [9.14, 8.14, 8.74, 8.77, 9.26, 8.1, 6.13, 3.1, 9.13, 7.26, 4.74],
  y3: [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73],
  x4: [8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8],
  y4: [6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.5, 5.56, 7.91, 6.89],
};

/** Fails if any number anywhere in the value is NaN (null is the only allowed "undefined"). */
function expectNoNaN(value: unknown): void {
  if (typeof value === 'number') expect(Number.isNaN(value)).toBe(false);
  else if (Array.isArray(value)) value.forEach(expectNoNaN);
  else if (value && typeof value === 'object') Object.values(value).forEach(expectNoNaN);
}

describe('regularized incomplete beta', () => {
  it('matches closed forms (DLMF 8.17.1–8.17.5)', () => {
    for (const x of [0.01, 0.2, 0.5, 0.73, 0.99]) {
      // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b, straight from the integral definition.
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
      expect(regularizedIncompleteBeta(x, 1, 4.25)).toBeCloseTo(1 - (1 - x) ** 4.25, 12);
      // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a) (DLMF 8.17.4).
      expect(regularizedIncompleteBeta(x, 2.5, 7)).toBeCloseTo(1 - regularizedIncompleteBeta(1 - x, 7, 2.5), 12);
    }
    // I_½(a, a) = ½ by symmetry.
    expect(regularizedIncompleteBeta(0.5, 12.5, 12.5)).toBeCloseTo(0.5, 12);
    // Binomial identity (DLMF 8.17.5): I_0.4(2, 3) = P(Bin(4, 0.4) ≥ 2)
    //   = 6·0.4²·0.6² + 4·0.4³·0.6 + 0.4⁴ = 0.3456 + 0.1536 + 0.0256 = 0.5248.
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => regularizedIncompleteBeta(1.5, 2, 3)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).toThrow(RangeError);
  });
});

describe("Student's t distribution", () => {
  it('cdf matches the t table and closed forms', () => {
    // NIST/SEMATECH e-Handbook of Statistical Methods §1.3.6.7.2 (critical values of t):
    // upper 0.025 point for df = 10 is 2.228, so P(T ≤ 2.228 | 10) ≈ 0.975.
    expect(studentTCdf(2.228, 10)).toBeCloseTo(0.975, 4);
    // df = 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π, so F(1) = 0.75 exactly.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    // df = 2 has the closed form F(t) = ½ + t / (2√(2 + t²)).
    for (const t of [-3, -0.4, 0.7, 2, 10]) {
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    expect(studentTCdf(0, 7.3)).toBeCloseTo(0.5, 14);
    expect(studentTCdf(-1.3, 6)).toBeCloseTo(1 - studentTCdf(1.3, 6), 14);
    expect(studentTCdf(Infinity, 5)).toBe(1);
    expect(studentTCdf(-Infinity, 5)).toBe(0);
    // Two-sided: P(|T| ≥ 2.228 | 10) ≈ 0.05 (same table).
    expect(studentTTwoSidedP(-2.228, 10)).toBeCloseTo(0.05, 4);
  });

  it('quantile matches the t table (NIST/SEMATECH §1.3.6.7.2, 3 decimals)', () => {
    const table: Array<[p: number, df: number, t: number]> = [
      [0.975, 1, 12.706],
      [0.975, 5, 2.571],
      [0.975, 7, 2.365],
      [0.975, 10, 2.228],
      [0.975, 20, 2.086],
      [0.975, 30, 2.042],
      [0.975, 100, 1.984],
      [0.95, 10, 1.812],
      [0.995, 10, 3.169],
      [0.995, 1, 63.657],
    ];
    for (const [p, df, t] of table) {
      expect(studentTQuantile(p, df)).toBeCloseTo(t, 3);
      expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 3);
    }
    // Large df tends to the normal quantile 1.960 (table row ∞).
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 3);
    expect(studentTQuantile(0.5, 4)).toBe(0);
  });

  it('quantile matches the closed forms for df = 1 and df = 2 to high precision', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      // df = 1 (Cauchy): t = tan(π(p − ½)).
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      // df = 2: t = (2p − 1) / √(2p(1 − p)).
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
  });

  it('quantile inverts the cdf, including fractional df', () => {
    for (const df of [1, 2.5, 17.776, 60, 1234]) {
      for (const p of [0.001, 0.1, 0.5, 0.9, 0.975]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
      }
    }
  });

  it('rejects p or df outside the domain', () => {
    expect(() => studentTQuantile(1, 10)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => studentTCdf(1, -1)).toThrow(RangeError);
  });
});

describe('netPromoterScore', () => {
  it('counts promoters (9–10), passives (7–8) and detractors (0–6)', () => {
    // Hand-computed: 10 promoters, 6 passives, 4 detractors (n = 20).
    // NPS = 100·(10/20 − 4/20) = 30. Per-respondent variance = (0.5 + 0.2) − (0.5 − 0.2)² = 0.7 − 0.09 = 0.61,
    // MoE = 1.96 · √(0.61 / 20) · 100 = 1.96 · 0.17464 · 100 ≈ 34.23.
    const scores = [...Array(5).fill(9), ...Array(5).fill(10), 7, 7, 8, 8, 8, 7, 0, 3, 6, 6];
    const result = netPromoterScore(scores);
    expect(result).toMatchObject({ n: 20, promoters: 10, passives: 6, detractors: 4 });
    expect(result.nps).toBeCloseTo(30, 10);
    expect(result.marginOfError95).toBeCloseTo(34.23, 2);
  });

  it('reproduces the Cross Validated worked example (½ promoters, ⅓ passives, ⅙ detractors)', () => {
    // Cross Validated, "How can I calculate margin of error in a NPS (Net Promoter Score) result?",
    // accepted answer: with p₁ = 1/2, p₀ = 1/3, p₋₁ = 1/6, NPS = 1/3 and the per-ticket variance is
    // (1 − ⅓)²·½ + (0 − ⅓)²·⅓ + (−1 − ⅓)²·⅙ = 5/9 (= (½ + ⅙) − (½ − ⅙)², the brief's formula).
    // With n = 30 (15 / 10 / 5): MoE = 1.96 · √((5/9)/30) · 100 = 1.96 · 0.13608 · 100 ≈ 26.67.
    const scores = [...Array(15).fill(10), ...Array(10).fill(8), ...Array(5).fill(2)];
    const result = netPromoterScore(scores);
    expect(result.nps).toBeCloseTo(100 / 3, 10);
    expect(result.marginOfError95).toBeCloseTo(26.67, 2);
  });

  it('handles the extremes, non-integer scores and no answers', () => {
    expect(netPromoterScore([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, nps: null, marginOfError95: null });
    expect(netPromoterScore([null, undefined, Number.NaN]).nps).toBeNull();
    // Everybody a promoter: NPS 100 and a zero-width margin (variance 1 − 1² = 0, never a negative root).
    expect(netPromoterScore([9, 10, 10])).toMatchObject({ nps: 100, marginOfError95: 0 });
    expect(netPromoterScore([0, 1, 6])).toMatchObject({ nps: -100, marginOfError95: 0 });
    // 8.9 is a passive, 6.5 a passive, 9.0 a promoter, 6.0 a detractor.
    expect(netPromoterScore([8.9, 6.5, 9.0, 6.0])).toMatchObject({ promoters: 1, passives: 2, detractors: 1, nps: 0 });
  });

  it('rejects scores outside 0–10', () => {
    expect(() => netPromoterScore([5, 11])).toThrow(RangeError);
    expect(() => netPromoterScore([-1])).toThrow(RangeError);
  });
});

describe('meanWithConfidence', () => {
  it("matches Anscombe's x: mean 9, s² = 110/10 = 11, so s/√n = √11/√11 = 1 and the 95 % CI is 9 ± t(0.975, 10) = 9 ± 2.228", () => {
    const result = meanWithConfidence(anscombe.x);
    expect(result.n).toBe(11);
    expect(result.mean).toBeCloseTo(9, 12);
    expect(result.sd).toBeCloseTo(Math.sqrt(11), 12);
    expect(result.lower).toBeCloseTo(9 - 2.228139, 5);
    expect(result.upper).toBeCloseTo(9 + 2.228139, 5);
    // Other levels with the same table (NIST §1.3.6.7.2, df = 10): 90 % → 1.812, 99 % → 3.169.
    expect(meanWithConfidence(anscombe.x, 0.9).marginOfError).toBeCloseTo(1.812, 3);
    expect(meanWithConfidence(anscombe.x, 0.99).marginOfError).toBeCloseTo(3.169, 3);
    // Anscombe's published mean of y (every set) is 7.50.
    expect(meanWithConfidence(anscombe.y1).mean).toBeCloseTo(7.5, 2);
  });

  it('matches a hand-computed small sample', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; Σ(x − x̄)² = 9+1+1+1+0+0+4+16 = 32; s² = 32/7; s = 2.13809.
    // s/√8 = 0.75593; t(0.975, 7) = 2.365 (NIST table); half-width = 2.36462 · 0.75593 = 1.78749.
    const result = meanWithConfidence([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(result.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(result.marginOfError).toBeCloseTo(1.7875, 4);
    expect(result.lower).toBeCloseTo(3.2125, 4);
    expect(result.upper).toBeCloseTo(6.7875, 4);
  });

  it('returns nulls instead of NaN for tiny or flat samples, and drops missing answers', () => {
    expect(meanWithConfidence([])).toMatchObject({ n: 0, mean: null, sd: null, lower: null, upper: null });
    expect(meanWithConfidence([7.5])).toMatchObject({ n: 1, mean: 7.5, sd: null, lower: null, upper: null });
    expect(meanWithConfidence([0.1, 0.1, 0.1])).toMatchObject({ n: 3, mean: 0.1, sd: 0, lower: 0.1, upper: 0.1 });
    expect(meanWithConfidence([4, null, 6, Number.NaN, undefined]).n).toBe(2);
    expect(() => meanWithConfidence([1, 2], 1)).toThrow(RangeError);
  });
});

describe('pearson', () => {
  it("reproduces Anscombe's r ≈ 0.816 for all four sets", () => {
    // Anscombe (1973): R² = 0.667 for every set, r = 0.816. More digits (R's cor() on datasets::anscombe):
    // 0.81642, 0.81624, 0.81629, 0.81652.
    expect(pearson(anscombe.x, anscombe.y1).r).toBeCloseTo(0.81642, 5);
    expect(pearson(anscombe.x, anscombe.y2).r).toBeCloseTo(0.81624, 5);
    expect(pearson(anscombe.x, anscombe.y3).r).toBeCloseTo(0.81629, 5);
    expect(pearson(anscombe.x4, anscombe.y4).r).toBeCloseTo(0.81652, 5);
  });

  it('gives the Fisher-z interval of R cor.test for Anscombe I', () => {
    // z = atanh(0.816421) = 1.145988; se = 1/√(11 − 3) = 0.353553; 1.959964 · se = 0.692952;
    // tanh(1.145988 − 0.692952) = tanh(0.453036) = 0.424391; tanh(1.838940) = 0.950693.
    // R: cor.test(anscombe$x1, anscombe$y1) → 95 % CI 0.4243912 0.9506933.
    const result = pearson(anscombe.x, anscombe.y1);
    expect(result.n).toBe(11);
    expect(result.lower).toBeCloseTo(0.424391, 5);
    expect(result.upper).toBeCloseTo(0.950693, 5);
  });

  it('returns null where r or its interval is undefined, never NaN', () => {
    expect(pearson([1, 2, 3], [2, 4, 7])).toMatchObject({ n: 3, lower: null, upper: null });
    expect(pearson([1, 2, 3, 4], [5, 5, 5, 5])).toEqual({ n: 4, r: null, lower: null, upper: null });
    expect(pearson([1], [1])).toEqual({ n: 1, r: null, lower: null, upper: null });
    // A perfect line: r = 1 (up to rounding) and the interval collapses onto 1 (atanh(1) = ∞,
    // tanh(∞) = 1), never NaN even if rounding pushes |r| past 1 (it is clamped).
    const line = pearson([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(line.r).toBeCloseTo(1, 12);
    expect(line.lower).toBeCloseTo(1, 6);
    expect(line.upper).toBeCloseTo(1, 12);
    // Pairs with a missing value are dropped.
    expect(pearson([1, 2, null, 4, 5], [1, 3, 2, Number.NaN, 5]).n).toBe(3);
    expect(() => pearson([1, 2], [1])).toThrow(RangeError);
  });
});

describe('spearman', () => {
  it("reproduces Wikipedia's worked example (IQ vs hours of TV, no ties): ρ = −29/165 ≈ −0.1758", () => {
    // Wikipedia, "Spearman's rank correlation coefficient", Example: Σd² = 194, n = 10,
    // ρ = 1 − 6·194 / (10·99) = −29/165.
    const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
    expect(spearman(iq, tv).r).toBeCloseTo(-29 / 165, 12);
  });

  it('averages tied ranks (Laerd Statistics English/Maths marks, with the tie at 61)', () => {
    // Data: Laerd Statistics, "Spearman's Rank-Order Correlation" guide (also statstutor), where the two
    // English marks of 61 share rank (4 + 5)/2 = 4.5 (ascending ranks; direction does not change ρ).
    //   English 56 75 45 71 61 64 58 80 76 61 → ranks 2 8 1 7 4.5 6 3 10 9 4.5
    //   Maths   66 70 40 60 65 56 59 77 67 63 → ranks 7 9 1 4 6   2 3 10 8 5
    // Mean rank 5.5 for both. Σ(dev_E)² = 12.25+6.25+20.25+2.25+1+0.25+6.25+20.25+12.25+1 = 82
    // (82.5 without the tie); Σ(dev_M)² = 82.5; Σ dev_E·dev_M = 55.
    // ρ = 55 / √(82 · 82.5) = 55 / 82.2496 = 0.668696.
    // (The no-ties shortcut 1 − 6Σd²/(n(n²−1)) = 1 − 6·54.5/990 = 0.6697 would be slightly off.)
    const english = [56, 75, 45, 71, 61, 64, 58, 80, 76, 61];
    const maths = [66, 70, 40, 60, 65, 56, 59, 77, 67, 63];
    const result = spearman(english, maths);
    expect(result.r).toBeCloseTo(55 / Math.sqrt(82 * 82.5), 12);
    expect(result.r).toBeCloseTo(0.668696, 6);
    // Fisher z: atanh(0.668696) = 0.808; se = 1/√7; tanh(0.808 ∓ 0.7408) → [0.0675, 0.9136].
    expect(result.lower).toBeCloseTo(0.0675, 4);
    expect(result.upper).toBeCloseTo(0.9136, 4);
  });

  it("ranks Anscombe's set IV (ties in x) as Pearson on average ranks", () => {
    // Hand-computed. Ranks of x4: ten 8s share (1+…+10)/10 = 5.5, the 19 gets 11; mean rank 6, so the
    // deviations are ten × −0.5 and one +5: Σdev_x² = 10·0.25 + 25 = 27.5. y4 has no ties and its
    // largest value (12.50) sits with x = 19: rank 11, deviation +5, the other ten deviations sum to −5.
    // Σdev_x·dev_y = −0.5·(−5) + 5·5 = 27.5; Σdev_y² = Σ(k − 6)² for k = 1..11 = 110.
    // ρ = 27.5 / √(27.5 · 110) = √(1/4) = 0.5.
    expect(spearman(anscombe.x4, anscombe.y4).r).toBeCloseTo(0.5, 12);
  });

  it('returns null for constant input and accepts non-integers', () => {
    expect(spearman([3, 3, 3, 3], [1, 2, 3, 4]).r).toBeNull();
    expect(spearman([0.5, 1.5, 2.25, 9.75], [1.1, 1.2, 1.3, 1.4]).r).toBeCloseTo(1, 12);
  });
});

describe('driverRanking', () => {
  it('sorts items by Spearman ρ with the outcome, dropping missing pairs per item', () => {
    const propensity = [2, 4, 5, 6, 8, 9, 10];
    const ranking = driverRanking(
      {
        // Same order as the outcome → ρ = 1.
        listened: [1, 2, 3, 4, 5, 6, 7],
        // Reverse order → ρ = −1.
        paperwork: [7, 6, 5, 4, 3, 2, 1],
        // Two missing answers; the remaining 5 pairs (ranks 1,2,4,3,5 vs 1..5):
        // Σd² = 0+0+1+1+0 = 2, ρ = 1 − 6·2/(5·24) = 0.9.
        explained: [1, null, 2, 4, 3, undefined, 5],
        // Everyone gave the same answer → ρ undefined, listed last.
        called_back: [5, 5, 5, 5, 5, 5, 5],
      },
      propensity,
    );
    expect(ranking.map((d) => d.item)).toEqual(['listened', 'explained', 'paperwork', 'called_back']);
    expect(ranking[0]).toMatchObject({ item: 'listened', n: 7 });
    expect(ranking[0].r).toBeCloseTo(1, 12);
    expect(ranking[1].r).toBeCloseTo(0.9, 12);
    expect(ranking[1].n).toBe(5);
    expect(ranking[1].lower).not.toBeNull();
    expect(ranking[2].item).toBe('paperwork');
    expect(ranking[2].r).toBeCloseTo(-1, 12);
    expect(ranking[3]).toEqual({ item: 'called_back', n: 7, r: null, lower: null, upper: null });
  });

  it('handles no items and rejects misaligned arrays', () => {
    expect(driverRanking({}, [1, 2, 3])).toEqual([]);
    expect(() => driverRanking({ a: [1, 2] }, [1, 2, 3])).toThrow(RangeError);
  });
});

describe('compareToWhole', () => {
  it("reproduces R's Welch test on Student's sleep data", () => {
    // Cushny & Peebles (1905) as used by Student (1908); R datasets::sleep. The example in R's
    // ?t.test, t.test(extra ~ group, data = sleep), prints: t = -1.8608, df = 17.776,
    // p-value = 0.07939; mean in group 1 = 0.75, group 2 = 2.33.
    const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const result = compareToWhole(group1, group2);
    expect(result.segmentMean).toBeCloseTo(0.75, 12);
    expect(result.wholeMean).toBeCloseTo(2.33, 12);
    expect(result.difference).toBeCloseTo(-1.58, 12);
    expect(result.t).toBeCloseTo(-1.8608, 4);
    expect(result.df).toBeCloseTo(17.776, 3);
    expect(result.pValue).toBeCloseTo(0.07939, 5);
    expect(result.significant).toBe(false);
    // At alpha = 0.10 the same difference is flagged.
    expect(compareToWhole(group1, group2, { alpha: 0.1 }).significant).toBe(true);
  });

  it('flags a clear difference and handles undefined cases without NaN', () => {
    // Hand-computed: segment 1..5 (mean 3, s² = 2.5), whole 6..10 (mean 8, s² = 2.5):
    // se = √(0.5 + 0.5) = 1, t = −5, df = 1² / (0.25/4 + 0.25/4) = 8; P(|T₈| ≥ 5) ≈ 0.00105.
    const clear = compareToWhole([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(clear).toMatchObject({ difference: -5, significant: true });
    expect(clear.t).toBeCloseTo(-5, 12);
    expect(clear.df).toBeCloseTo(8, 12);
    expect(clear.pValue).toBeCloseTo(0.00105, 5);

    expect(compareToWhole([], [1, 2, 3])).toMatchObject({ segmentMean: null, difference: null, pValue: null, significant: false });
    expect(compareToWhole([4], [1, 2, 3])).toMatchObject({ difference: 2, t: null, pValue: null, significant: false });
    // Both groups flat: the difference is known, the test is not.
    expect(compareToWhole([7, 7, 7], [5, 5, 5])).toMatchObject({ difference: 2, t: null, df: null, significant: false });
    // One group flat: Welch df falls back to the other group's n − 1.
    expect(compareToWhole([7, 7, 7], [4, 5, 6]).df).toBeCloseTo(2, 12);
  });
});

describe('sampleGuard', () => {
  it('hides below the minimum, warns below 30, else ok', () => {
    expect(sampleGuard(0)).toBe('hide');
    expect(sampleGuard(9)).toBe('hide');
    expect(sampleGuard(10)).toBe('warn');
    expect(sampleGuard(29)).toBe('warn');
    expect(sampleGuard(30)).toBe('ok');
    expect(sampleGuard(4, { hideBelow: 5 })).toBe('hide');
    expect(sampleGuard(5, { hideBelow: 5, warnBelow: 50 })).toBe('warn');
    expect(sampleGuard(Number.NaN)).toBe('hide');
  });
});

describe('no NaN escapes (property)', () => {
  const answer = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, Number.NaN, Infinity) },
  );

  it('holds for every function on arbitrary survey answers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(answer, answer)), fc.array(answer), (pairs, other) => {
        const x = pairs.map((p) => p[0]);
        const y = pairs.map((p) => p[1]);
        expectNoNaN(netPromoterScore(x));
        expectNoNaN(meanWithConfidence(x));
        const p = pearson(x, y);
        const s = spearman(x, y);
        expectNoNaN([p, s]);
        for (const c of [p, s]) {
          if (c.r !== null) expect(Math.abs(c.r)).toBeLessThanOrEqual(1);
          if (c.lower !== null && c.upper !== null) expect(c.lower).toBeLessThanOrEqual(c.upper);
        }
        expectNoNaN(driverRanking({ a: x }, y));
        const cmp = compareToWhole(x, other);
        expectNoNaN(cmp);
        if (cmp.pValue !== null) expect(cmp.pValue >= 0 && cmp.pValue <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('aggregated forms (what SQL GROUP BY sends) agree with the raw-value forms', () => {
  const care = [0, 2, 2, 3, 5, 5, 5, 6, 7, 7, 8, 9, 10, 10, 4, 6];
  const propensity = [1, 1, 3, 2, 4, 6, 5, 7, 6, 8, 8, 9, 9, 10, 5, 5];

  it('correlations from a cross-tabulation equal those of the expanded pairs, ties included', () => {
    const cells = new Map<string, Cell>();
    care.forEach((x, i) => {
      const key = `${x},${propensity[i]}`;
      const cell = cells.get(key) ?? { x, y: propensity[i], count: 0 };
      cell.count++;
      cells.set(key, cell);
    });
    const fromCells = correlationsFromCells([...cells.values()]);
    const raw = { pearson: pearson(care, propensity), spearman: spearman(care, propensity) };
    for (const kind of ['pearson', 'spearman'] as const) {
      expect(fromCells[kind].n).toBe(raw[kind].n);
      expect(fromCells[kind].r).toBeCloseTo(raw[kind].r!, 12);
      expect(fromCells[kind].lower).toBeCloseTo(raw[kind].lower!, 12);
      expect(fromCells[kind].upper).toBeCloseTo(raw[kind].upper!, 12);
    }
    expect(correlationsFromCells([{ x: 5, y: 1, count: 3 }, { x: 5, y: 2, count: 3 }]).spearman.r).toBeNull(); // x constant
  });

  it('mean and t interval from moments equal those from the values', () => {
    const m = meanFromMoments({ n: care.length, sum: care.reduce((a, b) => a + b, 0), sumSquares: care.reduce((a, b) => a + b * b, 0) });
    const v = meanWithConfidence(care);
    expect(m.mean).toBeCloseTo(v.mean!, 12);
    expect(m.lower).toBeCloseTo(v.lower!, 10);
    expect(m.upper).toBeCloseTo(v.upper!, 10);
    expect(meanFromMoments({ n: 0, sum: 0, sumSquares: 0 }).mean).toBeNull();
  });

  it('NPS from counts equals NPS from scores', () => {
    expect(npsFromCounts(3, 3, 10)).toEqual(netPromoterScore(care));
  });

  it('Welch from moments equals Welch from values', () => {
    const mo = (xs: number[]) => ({ n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sumSquares: xs.reduce((a, b) => a + b * b, 0) });
    const fromMoments = compareMoments(mo(care.slice(0, 6)), mo(care));
    const fromValues = compareToWhole(care.slice(0, 6), care);
    expect(fromMoments.t).toBeCloseTo(fromValues.t!, 10);
    expect(fromMoments.pValue).toBeCloseTo(fromValues.pValue!, 10);
  });
});
