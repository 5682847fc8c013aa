/**
 * Ordinary least squares with an intercept, solved by Householder QR (no normal
 * equations, so no squared condition number). Written by hand: simple-statistics only
 * has single-predictor linear regression.
 *
 * Rank check: columns are taken in order (intercept first); a column whose component
 * orthogonal to the columns already kept has norm <= tol * its own norm (tol = 1e-7,
 * R's lm default) is aliased (collinear) and DROPPED, with a note, as R's lm reports
 * NA for it. So a constant feature or a duplicated column never changes the fit.
 *
 * R^2 = 1 - RSS / TSS (clamped to [0, 1] against rounding); adjusted
 * R^2 = 1 - (1 - R^2)(n - 1)/(n - p - 1) with p the kept non-intercept columns (NaN when
 * n - p - 1 <= 0). Standardized coefficient = b_j * sd(x_j) / sd(y). A constant response
 * (TSS = 0) gives R^2, adjusted R^2 and standardized coefficients NaN.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { f64 } from './checked.js';
import { buildDesign, type FeatureColumn } from './design.js';
import { assertFinite } from './validate.js';

export interface OlsCoefficient {
  readonly name: string;
  readonly feature: string;
  readonly estimate: number;
  readonly standardized: number;
}

export interface OlsResult {
  readonly n: number;
  /** Kept columns including the intercept. */
  readonly rank: number;
  readonly intercept: number;
  readonly coefficients: readonly OlsCoefficient[];
  readonly r2: number;
  readonly adjustedR2: number;
  readonly rss: number;
  readonly tss: number;
  /** Design columns dropped as collinear with earlier ones. */
  readonly dropped: readonly string[];
  readonly notes: readonly string[];
}

export interface OlsOptions {
  /** Relative tolerance of the rank check (default 1e-7). */
  readonly tol?: number;
}

const dotFrom = (a: Float64Array, b: Float64Array, from: number): number => {
  let s = 0;
  for (let i = from; i < a.length; i++) s += f64(a, i) * f64(b, i);
  return s;
};
const sd = (v: Float64Array): number => {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return Math.sqrt(s / (v.length - 1));
};

/** Fits y ~ 1 + features by least squares. Throws on n < 2, length mismatch or non-finite values. */
export function ols(y: ArrayLike<number>, features: readonly FeatureColumn[], options: OlsOptions = {}): OlsResult {
  const n = y.length;
  const tol = options.tol ?? 1e-7;
  if (n < 2) throw new AniraInputError(`ols: need at least 2 observations, got ${n}`, { code: 'insufficient-data' });
  assertFinite('ols', 'y', y);
  const design = buildDesign(features, n);
  const candidates = [{ name: '(intercept)', feature: '(intercept)', values: new Float64Array(n).fill(1) }, ...design];
  // Householder vectors v_k live on rows k..n-1 (stored full length, zeros above k).
  const vs: Float64Array[] = [];
  const rCols: Float64Array[] = []; // column j of R (length rank at the time it was kept)
  const kept: typeof candidates = [];
  const dropped: string[] = [];
  const applyAll = (a: Float64Array): void => {
    vs.forEach((v, k) => {
      const f = (2 * dotFrom(v, a, k)) / dotFrom(v, v, k);
      for (let i = k; i < n; i++) a[i] = f64(a, i) - f * f64(v, i);
    });
  };
  for (const col of candidates) {
    const a = Float64Array.from(col.values);
    const norm0 = Math.sqrt(dotFrom(a, a, 0));
    applyAll(a);
    const r = vs.length;
    const rest = r < n ? Math.sqrt(dotFrom(a, a, r)) : 0;
    if (norm0 === 0 || rest <= tol * norm0) {
      dropped.push(col.name);
      continue;
    }
    const alpha = f64(a, r) > 0 ? -rest : rest;
    const v = new Float64Array(n);
    v.set(a.subarray(r), r);
    v[r] = f64(v, r) - alpha;
    const rc = new Float64Array(r + 1);
    rc.set(a.subarray(0, r));
    rc[r] = alpha;
    vs.push(v);
    rCols.push(rc);
    kept.push(col);
  }
  const rank = kept.length;
  const qty = Float64Array.from(y as ArrayLike<number>);
  applyAll(qty);
  // Back-substitution R b = (Q^T y)[0..rank).
  // Row i of R is read across the columns kept after i: rCols[j][i] for j > i.
  const beta = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = f64(qty, i);
    let diag = Number.NaN;
    for (const [j, rc] of rCols.entries()) {
      if (j === i) diag = f64(rc, i);
      else if (j > i) s -= f64(rc, i) * f64(beta, j);
    }
    beta[i] = s / diag;
  }
  const yArr = Float64Array.from(y as ArrayLike<number>);
  let mean = 0;
  for (const v of yArr) mean += v;
  mean /= n;
  let rss = 0, tss = 0;
  const keptValues = kept.map((c) => c.values);
  for (let i = 0; i < n; i++) {
    let fit = 0;
    let j = 0;
    for (const values of keptValues) fit += f64(beta, j++) * f64(values, i);
    rss += (f64(yArr, i) - fit) ** 2;
    tss += (f64(yArr, i) - mean) ** 2;
  }
  const notes: string[] = [];
  if (dropped.length) notes.push(`dropped collinear column(s): ${dropped.join(', ')}`);
  const r2 = tss === 0 ? Number.NaN : Math.max(0, Math.min(1, 1 - rss / tss));
  if (tss === 0) notes.push('response is constant: R^2 is undefined (NaN)');
  const p = rank - 1;
  const adjustedR2 = n - p - 1 > 0 ? 1 - ((1 - r2) * (n - 1)) / (n - p - 1) : Number.NaN;
  const sdY = sd(yArr);
  const coefficients = kept.slice(1).map((c, j) => ({
    name: c.name,
    feature: c.feature,
    estimate: f64(beta, j + 1),
    standardized: sdY === 0 ? Number.NaN : (f64(beta, j + 1) * sd(c.values)) / sdY,
  }));
  return { n, rank, intercept: f64(beta, 0), coefficients, r2, adjustedR2, rss, tss, dropped, notes };
}

/** Fitted values of `fit` (from `ols(y, features)`) on the same features: intercept plus each kept column times its estimate. */
export function fittedValues(features: readonly FeatureColumn[], fit: OlsResult): Float64Array {
  const design = buildDesign(features, fit.n);
  const byName = new Map(design.map((c) => [c.name, c.values]));
  const out = new Float64Array(fit.n).fill(fit.intercept);
  for (const c of fit.coefficients) {
    const col = byName.get(c.name);
    if (!col) throw new Error(`fittedValues: column "${c.name}" is not in the features`);
    for (let i = 0; i < out.length; i++) out[i] = f64(out, i) + c.estimate * f64(col, i);
  }
  return out;
}
