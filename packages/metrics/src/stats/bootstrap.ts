/**
 * Cluster bootstrap percentile confidence intervals. Tokens of one example are not
 * independent, so we resample EXAMPLES (clusters) with replacement, keep all tokens of
 * each drawn example, and recompute the statistic. Seeded with pure-rand
 * (xoroshiro128+), so the same seed gives the same interval on every platform.
 * Percentiles use R's default quantile definition (type 7, linear interpolation).
 * Replicates where the statistic is NaN (e.g. a resample with constant depth) are
 * dropped and counted; with fewer than 2 valid replicates the bounds are NaN.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { f64 } from './checked.js';
import { assertFinite } from './validate.js';

export interface BootstrapOptions {
  /** Number of resamples (default 1000), an integer in [1, 1e6]. */
  readonly resamples?: number;
  /** PRNG seed (default 0). */
  readonly seed?: number;
  /** Confidence level (default 0.95), in (0, 1). */
  readonly level?: number;
}

export interface ConfidenceInterval {
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly resamples: number;
  /** Resamples whose statistic was defined (not NaN); the interval uses only these. */
  readonly validResamples: number;
}

/** Quantile of an ascending-sorted array, R type 7: h = (n - 1) p, linear interpolation. */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Token indices grouped by cluster id, in first-seen order. */
export function groupByCluster(clusterIds: ArrayLike<number | string>): number[][] {
  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < clusterIds.length; i++) {
    const id = clusterIds[i];
    if (id === undefined) throw new Error(`invariant: index ${i} out of range for length ${clusterIds.length}`);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = []));
    g.push(i);
  }
  return [...groups.values()];
}

/** Throws unless the bootstrap options are in range. */
function checkOptions(options: BootstrapOptions): Required<BootstrapOptions> {
  const { resamples = 1000, seed = 0, level = 0.95 } = options;
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > 1e6)
    throw new AniraInputError(`bootstrap: option "resamples" must be an integer in [1, 1000000], got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new AniraInputError(`bootstrap: option "level" must be in (0, 1), got ${level}`);
  return { resamples, seed, level };
}

/**
 * Percentile CI of `statistic(columns)` over cluster resamples, for statistics of
 * several per-token columns (e.g. a partial correlation: depth, difficulty, covariates).
 * `columns[j][i]` is column j's value for token i and `clusterIds[i]` names the example
 * token i belongs to. Each resample draws k clusters with replacement (k = number of
 * clusters) and passes the statistic the drawn tokens' values, column by column.
 * Missing values are not allowed here: every column value must be finite.
 */
export function clusterBootstrapColumnsCI(
  statistic: (columns: readonly Float64Array[]) => number,
  columns: readonly ArrayLike<number>[],
  clusterIds: ArrayLike<number | string>,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const { resamples, seed, level } = checkOptions(options);
  if (columns.length === 0) throw new AniraInputError('bootstrap: need at least 1 column, got 0', { code: 'insufficient-data' });
  columns.forEach((col, j) => {
    if (col.length !== clusterIds.length)
      throw new AniraInputError(`bootstrap: column ${j} and clusterIds must have the same length, got ${col.length} and ${clusterIds.length}`);
    assertFinite('bootstrap', `column ${j}`, col);
  });
  const clusters = groupByCluster(clusterIds);
  const k = clusters.length;
  if (k < 2) throw new AniraInputError(`bootstrap: need at least 2 clusters (examples), got ${k}`, { code: 'insufficient-data' });
  const rng = xoroshiro128plus(seed);
  const values: number[] = [];
  // each column as a Float64Array (reads stay monomorphic) and its resample buffer
  let capacity = clusterIds.length * 2;
  const cols = columns.map((col) => ({ src: Float64Array.from(col as ArrayLike<number>), buf: new Float64Array(capacity) }));
  for (let b = 0; b < resamples; b++) {
    let m = 0;
    for (let c = 0; c < k; c++) {
      const members = clusters[uniformInt(rng, 0, k - 1)];
      if (members === undefined) throw new Error(`invariant: cluster draw out of range for ${k} clusters`);
      if (m + members.length > capacity) {
        capacity = (m + members.length) * 2;
        for (const col of cols) {
          const grown = new Float64Array(capacity);
          grown.set(col.buf.subarray(0, m));
          col.buf = grown;
        }
      }
      for (const { src, buf } of cols) {
        let w = m;
        for (const i of members) buf[w++] = f64(src, i);
      }
      m += members.length;
    }
    const v = m >= 3 ? statistic(cols.map(({ buf }) => buf.subarray(0, m))) : Number.NaN;
    if (!Number.isNaN(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  const ok = values.length >= 2;
  return {
    lower: ok ? quantileType7(values, alpha) : Number.NaN,
    upper: ok ? quantileType7(values, 1 - alpha) : Number.NaN,
    level,
    resamples,
    validResamples: values.length,
  };
}

/**
 * Percentile CI of `statistic(x, y)` over cluster resamples. `x`, `y` are per-token
 * values and `clusterIds[i]` names the example token i belongs to.
 */
export function clusterBootstrapCI(
  statistic: (x: Float64Array, y: Float64Array) => number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  clusterIds: ArrayLike<number | string>,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  checkOptions(options);
  if (x.length !== y.length || x.length !== clusterIds.length)
    throw new AniraInputError(`bootstrap: x, y and clusterIds must have the same length, got ${x.length}, ${y.length}, ${clusterIds.length}`);
  assertFinite('bootstrap', 'x', x);
  assertFinite('bootstrap', 'y', y);
  const pair = (cols: readonly Float64Array[]): number => {
    const [xs, ys] = cols;
    if (xs === undefined || ys === undefined) throw new Error(`invariant: 2 resampled columns expected, got ${cols.length}`);
    return statistic(xs, ys);
  };
  return clusterBootstrapColumnsCI(pair, [x, y], clusterIds, options);
}
