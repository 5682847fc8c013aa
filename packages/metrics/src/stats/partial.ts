/**
 * Partial Spearman correlation of x and y given covariates z_1..z_k: rank-transform x,
 * y and each z (mid-ranks for ties), regress rank(x) and rank(y) on the covariate ranks
 * by OLS with an intercept, and take the Pearson correlation of the two residual
 * vectors. With one covariate this equals
 *   (r_xy - r_xz r_yz) / sqrt((1 - r_xz^2)(1 - r_yz^2))   on Spearman coefficients.
 * Two-sided p-value from t = r sqrt(df / (1 - r^2)), df = n - 2 - k, with k the
 * covariates kept (a constant or collinear covariate ranks is dropped, as OLS would).
 *
 * Undefined (NaN) when x or y is constant. When x or y is (numerically) a linear function
 * of the covariate ranks, e.g. a depth that is an increasing function of position, its
 * residual is ~0 (norm <= 1e-9 of its centred norm: rounding noise, whose correlation
 * would be arbitrary); nothing of it is left to co-vary beyond the covariates, so the
 * partial correlation is reported as 0 (`explainedByCovariates` says so).
 *
 * The regression is modified Gram-Schmidt on centred columns (centring = the intercept),
 * which for k <= a few covariates is the same fit as QR and cheap enough to run inside
 * thousands of bootstrap resamples.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { correlationTP, type CorrelationResult } from './correlation.js';
import { f64 } from './checked.js';
import { midranks } from './ranks.js';
import { assertPairs, assertFinite } from './validate.js';

const REL_TOL = 1e-9;

// Internals take Float64Array only (monomorphic, fast inside bootstrap loops).
/** Subtracts the mean in place; returns the vector. */
function centreInPlace(v: Float64Array): Float64Array {
  const n = v.length;
  let m = 0;
  for (const x of v) m += x;
  m /= n;
  for (let i = 0; i < n; i++) v[i] = f64(v, i) - m;
  return v;
}
function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += f64(a, i) * f64(b, i);
  return s;
}
/** v -= (u . v) u for a unit vector u. */
function projectOut(v: Float64Array, u: Float64Array): void {
  const f = dot(u, v);
  for (let i = 0; i < v.length; i++) v[i] = f64(v, i) - f * f64(u, i);
}

/** Orthonormal basis of the centred covariate rank columns (fresh arrays, modified here); collinear ones skipped. */
function basis(covariateRanks: readonly Float64Array[]): Float64Array[] {
  const q: Float64Array[] = [];
  for (const v of covariateRanks) {
    centreInPlace(v);
    const norm0 = Math.sqrt(dot(v, v));
    for (const u of q) projectOut(v, u);
    const norm = Math.sqrt(dot(v, v));
    if (norm0 === 0 || norm <= 1e-7 * norm0) continue;
    for (let i = 0; i < v.length; i++) v[i] = f64(v, i) / norm;
    q.push(v);
  }
  return q;
}

/** Residual of the ranks `r` (fresh array, modified in place) on the basis; 'constant' or 'explained' when none is left. */
function residual(r: Float64Array, q: readonly Float64Array[]): Float64Array | 'constant' | 'explained' {
  centreInPlace(r);
  const norm0 = Math.sqrt(dot(r, r));
  if (norm0 === 0) return 'constant';
  for (const u of q) projectOut(r, u);
  return Math.sqrt(dot(r, r)) <= REL_TOL * norm0 ? 'explained' : r;
}

interface PartialParts { readonly r: number; readonly k: number; readonly explained: boolean }

function partialParts(x: ArrayLike<number>, y: ArrayLike<number>, covariates: readonly ArrayLike<number>[]): PartialParts {
  const q = basis(covariates.map((z) => midranks(z)));
  const rx = residual(midranks(x), q);
  const ry = residual(midranks(y), q);
  if (rx === 'constant' || ry === 'constant') return { r: Number.NaN, k: q.length, explained: false };
  if (rx === 'explained' || ry === 'explained') return { r: 0, k: q.length, explained: true };
  // Residuals are centred: Pearson r is their cosine. Ranks are <= n, so no scaling is needed.
  const r = dot(rx, ry) / Math.sqrt(dot(rx, rx) * dot(ry, ry));
  return { r: Math.max(-1, Math.min(1, r)), k: q.length, explained: false };
}

/** A partial correlation; `explainedByCovariates` when x or y is a linear function of the covariate ranks (statistic 0). */
export interface PartialCorrelationResult extends CorrelationResult {
  readonly explainedByCovariates: boolean;
  /** Covariates kept (not constant or collinear); the p-value uses df = n - 2 - k. */
  readonly k: number;
}

/** Partial Spearman rho without input checks (for bootstrap resamples); NaN when undefined. */
export function partialSpearmanUnchecked(x: ArrayLike<number>, y: ArrayLike<number>, covariates: readonly ArrayLike<number>[]): number {
  return partialParts(x, y, covariates).r;
}

/** Partial Spearman rho of x and y given the covariates, with its t-approximation p-value. */
export function partialSpearman(x: ArrayLike<number>, y: ArrayLike<number>, covariates: readonly ArrayLike<number>[]): PartialCorrelationResult {
  assertPairs('partialSpearman', x, y);
  covariates.forEach((z, j) => {
    if (z.length !== x.length) throw new AniraInputError(`partialSpearman: covariates[${j}] must have ${x.length} values, got ${z.length}`);
    assertFinite('partialSpearman', `covariates[${j}]`, z);
  });
  const { r, k, explained } = partialParts(x, y, covariates);
  const df = x.length - 2 - k;
  if (df < 1) throw new AniraInputError(`partialSpearman: need n - 2 - k >= 1 (n = ${x.length} pairs, k = ${k} covariates)`, { code: 'insufficient-data' });
  // correlationTP(r, n) uses df = n - 2, so pass n - k to get df = n - 2 - k.
  return { statistic: r, pValue: correlationTP(r, x.length - k), n: x.length, explainedByCovariates: explained, k };
}

/**
 * Partial Spearman given a categorical control: rank x and y over all tokens (mid-ranks),
 * subtract each stratum's mean rank (= OLS on the strata's one-hot indicators), and take
 * the Pearson correlation of the residuals. `strata` codes the cells (e.g. every
 * (size, answer step) pair). As for `partialSpearman`, a residual that is all zero
 * (x or y is a function of the strata) gives 0 with `explained`; NaN when x or y is
 * constant. `k` = strata - 1 indicator columns, for df = n - 2 - k.
 */
export function partialSpearmanStrata(x: ArrayLike<number>, y: ArrayLike<number>, strata: ArrayLike<number>): { r: number; k: number; explained: boolean } {
  const rx = midranks(x), ry = midranks(y);
  // per stratum: sum of x ranks, sum of y ranks, count; `cell[i]` is token i's
  const sums = new Map<number, [number, number, number]>();
  const cell: [number, number, number][] = [];
  for (let i = 0; i < rx.length; i++) {
    const key = strata[i];
    if (key === undefined) throw new Error(`invariant: strata has ${strata.length} values for ${rx.length} tokens`);
    let s = sums.get(key);
    if (s === undefined) sums.set(key, (s = [0, 0, 0]));
    s[0] += f64(rx, i); s[1] += f64(ry, i); s[2] += 1;
    cell.push(s);
  }
  let sxy = 0, sxx = 0, syy = 0;
  let i = 0;
  for (const s of cell) {
    const a = f64(rx, i) - s[0] / s[2], b = f64(ry, i) - s[1] / s[2];
    i++;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  const k = sums.size - 1;
  const centred = (r: Float64Array) => {
    let m = 0;
    for (const v of r) m += v;
    m /= r.length;
    let ss = 0;
    for (const v of r) ss += (v - m) ** 2;
    return ss;
  };
  const tx = centred(rx), ty = centred(ry);
  if (tx === 0 || ty === 0) return { r: Number.NaN, k, explained: false };
  // residual norm <= 1e-9 of the centred norm: rounding noise (see REL_TOL)
  if (sxx <= REL_TOL ** 2 * tx || syy <= REL_TOL ** 2 * ty) return { r: 0, k, explained: true };
  return { r: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))), k, explained: false };
}
