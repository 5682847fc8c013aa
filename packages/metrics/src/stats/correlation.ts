/**
 * Pearson r and Spearman rho with two-sided p-values from the t approximation
 * t = r * sqrt((n - 2) / (1 - r^2)), df = n - 2 (what R's cor.test reports for
 * Pearson, and for Spearman with exact = FALSE). `pearson` uses simple-statistics'
 * sampleCorrelation; Spearman is Pearson on mid-ranks (see ranks.ts).
 *
 * Degenerate inputs: length mismatch, non-finite values or n < 3 throw; a constant
 * x or y gives statistic NaN and p-value NaN (the correlation is undefined).
 */
import { sampleCorrelation } from 'simple-statistics';
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

/**
 * Pearson r without input checks, two-pass centred sums on typed arrays. Used inside
 * bootstraps, where simple-statistics' sampleCorrelation (correct, but it copies to
 * arrays and recomputes means) was the bottleneck; the tests check the two agree.
 */
export function pearsonUnchecked(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (isConstant(x) || isConstant(y)) return Number.NaN;
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]!; my += y[i]!; }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
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

/** Pearson product-moment correlation (simple-statistics) with the t-approximation p-value. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  assertPairs('pearson', x, y);
  const r = isConstant(x) || isConstant(y) ? Number.NaN : clamp1(sampleCorrelation(Array.from(x), Array.from(y)));
  return { statistic: r, pValue: correlationTP(r, x.length), n: x.length };
}

/** Spearman rank correlation (mid-ranks for ties) with the t-approximation p-value. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  assertPairs('spearman', x, y);
  const r = spearmanUnchecked(x, y);
  return { statistic: r, pValue: correlationTP(r, x.length), n: x.length };
}
