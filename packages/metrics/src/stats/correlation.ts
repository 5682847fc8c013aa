/**
 * Pearson r and Spearman rho with two-sided p-values from the t approximation
 * t = r * sqrt((n - 2) / (1 - r^2)), df = n - 2 (what R's cor.test reports for
 * Pearson, and for Spearman with exact = FALSE). Pearson works on deviations
 * from a corrected two-pass mean, scaled by their largest magnitude (offset data keeps
 * its digits; sums of squares neither overflow at 1e200 nor underflow at 1e-200); Spearman is Pearson on mid-ranks
 * (see ranks.ts).
 *
 * Degenerate inputs: length mismatch, non-finite values or n < 3 throw; a constant
 * x or y gives statistic NaN and p-value NaN (the correlation is undefined).
 */
import { f64 } from './checked.js';
import { midranks } from './ranks.js';
import { studentTTwoSidedP } from './special.js';
import { assertPairs, isConstant } from './validate.js';

/** A correlation with its two-sided p-value. */
export interface CorrelationResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly n: number;
}

const clamp1 = (r: number): number => Math.max(-1, Math.min(1, r));

/** Largest |v|. */
function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

/**
 * Accurate mean: a running mean (no overflow) then one correction pass, the
 * "corrected two-pass" algorithm (Chan, Golub & LeVeque 1983), so offset data such as
 * 1e6 ± 1e-3 keeps its digits.
 */
function accurateMean(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += (v[i]! - m) / (i + 1);
  let c = 0;
  for (let i = 0; i < v.length; i++) c += v[i]! - m;
  return m + c / v.length;
}

/**
 * Pearson r without input checks: deviations from an accurate mean (taken in the
 * original units, so an offset costs no digits), divided by their largest magnitude
 * (r is scale-invariant; scaling keeps the squares in range at 1e±200), then centred
 * sums of products.
 */
export function pearsonUnchecked(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (isConstant(x) || isConstant(y)) return Number.NaN;
  const n = x.length;
  const mx = accurateMean(x), my = accurateMean(y);
  const dx = new Float64Array(n), dy = new Float64Array(n);
  for (let i = 0; i < n; i++) { dx[i] = x[i]! - mx; dy[i] = y[i]! - my; }
  const ax = maxAbs(dx), ay = maxAbs(dy);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = f64(dx, i) / ax, b = f64(dy, i) / ay;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  return clamp1(sxy / Math.sqrt(sxx * syy));
}

/** Spearman rho without input checks. */
export function spearmanUnchecked(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearsonUnchecked(midranks(x), midranks(y));
}

/** Two-sided p-value of a correlation coefficient by the t approximation. */
export function correlationTP(r: number, n: number): number {
  if (Number.isNaN(r)) return Number.NaN;
  if (Math.abs(r) === 1) return 0;
  return studentTTwoSidedP(r * Math.sqrt((n - 2) / (1 - r * r)), n - 2);
}

/** Pearson product-moment correlation with the t-approximation p-value. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  assertPairs('pearson', x, y);
  const r = pearsonUnchecked(x, y);
  return { statistic: r, pValue: correlationTP(r, x.length), n: x.length };
}

/** Spearman rank correlation (mid-ranks for ties) with the t-approximation p-value. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  assertPairs('spearman', x, y);
  const r = spearmanUnchecked(x, y);
  return { statistic: r, pValue: correlationTP(r, x.length), n: x.length };
}
