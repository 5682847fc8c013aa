/**
 * Kendall's tau-b in O(n log n) (Knight 1966: sort by x then y, count inversions of y
 * with a merge sort), or in O(n + levels_x * levels_y) from the contingency table when
 * both variables have few distinct values (depths, difficulties), with the two-sided p-value from the normal approximation of
 * S = concordant - discordant using the tie-corrected variance
 *   var(S) = (v0 - vt - vu) / 18 + v1 / (2n(n-1)) + v2 / (9n(n-1)(n-2)),
 *   v0 = n(n-1)(2n+5), vt = sum t(t-1)(2t+5), vu = sum u(u-1)(2u+5),
 *   v1 = sum t(t-1) * sum u(u-1), v2 = sum t(t-1)(t-2) * sum u(u-1)(u-2)
 * (Kendall 1970, ch. 4; what R's cor.test(exact = FALSE) and scipy's
 * kendalltau(method = "asymptotic") use; no continuity correction).
 * Written by hand: simple-statistics has no Kendall tau.
 *
 * Degenerate inputs: as in correlation.ts (constant x or y gives NaN).
 */
import { f64, i32 } from './checked.js';
import type { CorrelationResult } from './correlation.js';
import { denseCodes } from './ranks.js';
import { normalTwoSidedP } from './special.js';
import { assertPairs } from './validate.js';

/** Tau-b plus the quantities its p-value needs. */
export interface KendallParts {
  readonly tauB: number;
  /** S = concordant - discordant pairs. */
  readonly s: number;
  readonly varS: number;
}

/** Sizes of runs of equal values in an already sorted sequence (runs of length >= 2). */
function tieRuns(sorted: ArrayLike<number>, sameAsPrev: (i: number) => boolean): number[] {
  const runs: number[] = [];
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sameAsPrev(i)) run++;
    else {
      if (run > 1) runs.push(run);
      run = 1;
    }
  }
  return runs;
}

/** Sorts `a` in place (ascending) and returns the number of strict inversions. */
function mergeCountInversions(a: Float64Array<ArrayBuffer>): number {
  const n = a.length;
  let buf: Float64Array<ArrayBuffer> = new Float64Array(n);
  let src: Float64Array<ArrayBuffer> = a;
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (f64(src, j) < f64(src, i)) {
          swaps += mid - i;
          buf[k++] = f64(src, j++);
        } else buf[k++] = f64(src, i++);
      }
      while (i < mid) buf[k++] = f64(src, i++);
      while (j < hi) buf[k++] = f64(src, j++);
    }
    [src, buf] = [buf, src];
  }
  if (src !== a) a.set(src);
  return swaps;
}

const pairs = (t: number): number => (t * (t - 1)) / 2;

/** Tau-b, S and var(S) without input checks. tauB is NaN when x or y is constant. */
export function kendallParts(x: ArrayLike<number>, y: ArrayLike<number>): KendallParts {
  const n = x.length;
  const { codes: xc, levels: kx } = denseCodes(x);
  const { codes: yc, levels: ky } = denseCodes(y);
  // Tie groups depend only on the counts per x level, per y level and per (x, y) cell.
  const xCount = new Float64Array(kx);
  const yCount = new Float64Array(ky);
  for (const c of xc) xCount[c] = f64(xCount, c) + 1;
  for (const c of yc) yCount[c] = f64(yCount, c) + 1;
  const runsOf = (counts: Float64Array): number[] => Array.from(counts).filter((c) => c > 1);
  const xRuns = runsOf(xCount);
  const yRuns = runsOf(yCount);
  let jointRuns: number[];
  let discordant = 0;
  if (kx * ky <= Math.max(4 * n, 4096)) {
    // Few levels: contingency table; D = sum over cells of c[i][j] * (cells with larger x, smaller y).
    const table = new Float64Array(kx * ky);
    for (let i = 0; i < n; i++) {
      const cell = i32(xc, i) * ky + i32(yc, i);
      table[cell] = f64(table, cell) + 1;
    }
    jointRuns = runsOf(table);
    const below = new Float64Array(ky); // counts of rows > i, per column
    for (let i = kx - 1; i >= 0; i--) {
      let prefix = 0; // sum of below[j'] for j' < j
      for (let j = 0; j < ky; j++) {
        discordant += f64(table, i * ky + j) * prefix;
        prefix += f64(below, j);
      }
      for (let j = 0; j < ky; j++) below[j] = f64(below, j) + f64(table, i * ky + j);
    }
  } else {
    // Many levels (Knight): sort by (x, y) via composite keys, count inversions of y.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = i32(xc, i) * ky + i32(yc, i);
    keys.sort();
    jointRuns = tieRuns(keys, (i) => keys[i] === keys[i - 1]);
    const ys: Float64Array<ArrayBuffer> = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const key = f64(keys, i);
      ys[i] = key - Math.floor(key / ky) * ky;
    }
    discordant = mergeCountInversions(ys);
  }
  const swaps = discordant;
  const n0 = pairs(n);
  const n1 = xRuns.reduce((acc, t) => acc + pairs(t), 0);
  const n2 = yRuns.reduce((acc, u) => acc + pairs(u), 0);
  const n3 = jointRuns.reduce((acc, t) => acc + pairs(t), 0);
  const s = n0 - n1 - n2 + n3 - 2 * swaps;
  const denom = Math.sqrt((n0 - n1) * (n0 - n2));
  const tauB = denom === 0 ? Number.NaN : Math.max(-1, Math.min(1, s / denom));
  const sum = (runs: number[], f: (t: number) => number): number => runs.reduce((acc, t) => acc + f(t), 0);
  const v0 = n * (n - 1) * (2 * n + 5);
  const vt = sum(xRuns, (t) => t * (t - 1) * (2 * t + 5));
  const vu = sum(yRuns, (u) => u * (u - 1) * (2 * u + 5));
  const v1 = sum(xRuns, (t) => t * (t - 1)) * sum(yRuns, (u) => u * (u - 1));
  const v2 = sum(xRuns, (t) => t * (t - 1) * (t - 2)) * sum(yRuns, (u) => u * (u - 1) * (u - 2));
  const varS = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + (n > 2 ? v2 / (9 * n * (n - 1) * (n - 2)) : 0);
  return { tauB, s, varS };
}

/** Kendall tau-b without input checks. */
export function kendallUnchecked(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return kendallParts(x, y).tauB;
}

/** Kendall's tau-b with the normal-approximation two-sided p-value (tie-corrected variance). */
export function kendall(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  assertPairs('kendall', x, y);
  const { tauB, s, varS } = kendallParts(x, y);
  const pValue = Number.isNaN(tauB) ? Number.NaN : normalTwoSidedP(s / Math.sqrt(varS));
  return { statistic: tauB, pValue, n: x.length };
}
