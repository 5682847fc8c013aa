/**
 * Seed-level statistics: what decides a claim when training seeds vary more than the
 * examples of one run (science v3: the spread across seeds was 1.5-4.8× the per-run
 * bootstrap SE). A t-interval for a mean over seeds, Welch's interval for the difference
 * of two groups of seeds, and the seeds per group a two-sample t test needs for a given
 * power at an observed effect.
 *
 * Seeds for power: the smallest n per group whose two-sided two-sample t test (df =
 * 2n - 2, noncentrality δ = (effect / sd) sqrt(n / 2), critical value t_c = t_{1-α/2,df})
 * reaches the power, with the noncentral t's upper tail approximated by the normal
 *   power(n) ≈ Φ((δ - t_c) / sqrt(1 + t_c² / (2 df)))
 * (the far tail ignored). Tested against the exact noncentral-t answers of scipy.stats.nct
 * (17 at effect/sd 1, 64 at 0.5, 6 at 2, 23 at power 0.9).
 */
import { normalTwoSidedP, studentTTwoSidedP } from './special.js';

/** x with f(x) = target for a decreasing f on [lo, hi], by bisection to machine precision. */
function solveDecreasing(f: (x: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
    if (hi - lo <= 1e-15 * Math.max(1, hi)) break;
  }
  return (lo + hi) / 2;
}

/** The standard normal quantile z_p for p in (0.5, 1), e.g. z_0.975 = 1.95996. */
export function normalQuantile(p: number): number {
  if (!(p > 0.5 && p < 1)) throw new Error(`normalQuantile: "p" must be in (0.5, 1), got ${p}`);
  return solveDecreasing(normalTwoSidedP, 2 * (1 - p), 0, 40);
}

/** Student's t quantile t_{p, df} for p in (0.5, 1) and df > 0, e.g. t_{0.975, 4} = 2.77645. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1)) throw new Error(`studentTQuantile: "p" must be in (0.5, 1), got ${p}`);
  if (!(df > 0)) throw new Error(`studentTQuantile: "df" must be > 0, got ${df}`);
  return solveDecreasing((t) => studentTTwoSidedP(t, df), 2 * (1 - p), 0, 1e7);
}

export interface SeedInterval {
  readonly n: number;
  readonly mean: number;
  /** Sample sd (n - 1); NaN for n < 2. */
  readonly sd: number;
  /** t-interval bounds at `level` (NaN for n < 2). */
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
}

/** Mean over seeds with its t-interval (df = n - 1); non-finite values are dropped. */
export function tInterval(values: readonly number[], level = 0.95): SeedInterval {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : Number.NaN;
  if (n < 2) return { n, mean, sd: Number.NaN, lower: Number.NaN, upper: Number.NaN, level };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(0.5 + level / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, lower: mean - half, upper: mean + half, level };
}

export interface SeedDifference {
  /** mean(a) - mean(b). */
  readonly difference: number;
  readonly lower: number;
  readonly upper: number;
  /** Welch's two-sided p-value. */
  readonly pValue: number;
  readonly df: number;
  /** sqrt((sd_a² + sd_b²) / 2), the sd used for the power computation. */
  readonly pooledSd: number;
}

/** Welch's t-interval for the difference of two groups' means (each needs >= 2 finite values). */
export function welchDifference(a: readonly number[], b: readonly number[], level = 0.95): SeedDifference {
  const A = tInterval(a, level), B = tInterval(b, level);
  const difference = A.mean - B.mean;
  const pooledSd = Math.sqrt((A.sd ** 2 + B.sd ** 2) / 2);
  const va = A.sd ** 2 / A.n, vb = B.sd ** 2 / B.n;
  const se = Math.sqrt(va + vb);
  if (!(A.n >= 2 && B.n >= 2) || !(se > 0)) return { difference, lower: Number.NaN, upper: Number.NaN, pValue: Number.NaN, df: Number.NaN, pooledSd };
  const df = (va + vb) ** 2 / (va ** 2 / (A.n - 1) + vb ** 2 / (B.n - 1));
  const half = studentTQuantile(0.5 + level / 2, df) * se;
  return { difference, lower: difference - half, upper: difference + half, pValue: studentTTwoSidedP(difference / se, df), df, pooledSd };
}

/** P(Z <= x) for a standard normal Z. */
function normalCdf(x: number): number {
  const tail = normalTwoSidedP(x) / 2;
  return x >= 0 ? 1 - tail : tail;
}

/** The approximate power of the two-sided two-sample t test with `n` per group at standardized effect `d`. */
export function twoSampleTPower(n: number, d: number, alpha = 0.05): number {
  const df = 2 * n - 2;
  const tc = studentTQuantile(1 - alpha / 2, df);
  const nc = Math.abs(d) * Math.sqrt(n / 2);
  return normalCdf((nc - tc) / Math.sqrt(1 + (tc * tc) / (2 * df)));
}

/**
 * Seeds per group for a two-sided two-sample t test to detect `effect` (a difference of
 * means) with power `power` at level `alpha`, when seeds have sd `sd` (see the module
 * comment; at least 2). Infinity when the effect is 0 or not finite, or more than 1e6.
 */
export function seedsForPower(effect: number, sd: number, options: { alpha?: number; power?: number } = {}): number {
  const alpha = options.alpha ?? 0.05, power = options.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`seedsForPower: "alpha" must be in (0, 1), got ${alpha}`);
  if (!(power > 0.5 && power < 1)) throw new Error(`seedsForPower: "power" must be in (0.5, 1), got ${power}`);
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new Error(`seedsForPower: "sd" must be a finite number >= 0, got ${sd}`);
  if (!Number.isFinite(effect) || effect === 0) return Number.POSITIVE_INFINITY;
  if (sd === 0) return 2;
  const d = effect / sd;
  const MAX = 1_000_000;
  if (twoSampleTPower(MAX, d, alpha) < power) return Number.POSITIVE_INFINITY;
  let lo = 2, hi = MAX; // power is increasing in n: the smallest n with power(n) >= target
  if (twoSampleTPower(lo, d, alpha) >= power) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (twoSampleTPower(mid, d, alpha) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}
