/**
 * Mid-ranks (average ranks for ties), 1-based, the ranking Spearman's rho is defined on,
 * and dense integer codes of values.
 * Small non-negative integer inputs (depths, difficulties, codes) take an O(n + max)
 * counting path; anything else a native typed-array sort plus binary search. This is
 * what keeps thousands of bootstrap resamples fast.
 */
import { f64 } from './checked.js';

/** Largest value when every value is an integer in [0, limit], else -1. */
function smallIntMax(values: ArrayLike<number>, limit: number): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || !(v >= 0 && v <= limit && Number.isInteger(v))) return -1;
    if (v > max) max = v;
  }
  return max;
}
const countLimit = (n: number): number => Math.max(4 * n, 4096);

/** Index of the first element >= v in ascending `sorted`. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f64(sorted, mid) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ranks of `values` in input order; tied values share the mean of the ranks they span. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const ranks = new Float64Array(n);
  const max = smallIntMax(values, countLimit(n));
  if (max >= 0) {
    const counts = new Float64Array(max + 1);
    for (let i = 0; i < n; i++) counts[values[i]!]!++;
    let below = 0;
    for (let v = 0; v <= max; v++) {
      const c = f64(counts, v);
      counts[v] = below + (c + 1) / 2; // mid-rank of value v
      below += c;
    }
    for (let i = 0; i < n; i++) ranks[i] = counts[values[i]!]!;
    return ranks;
  }
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  // One pass over runs of equal values: uniq[k] and its mid-rank mr[k].
  const uniq = new Float64Array(n);
  const mr = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    uniq[k] = f64(sorted, i);
    mr[k++] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const u = uniq.subarray(0, k);
  for (let i = 0; i < n; i++) ranks[i] = f64(mr, lowerBound(u, values[i]!));
  return ranks;
}

/** Dense codes: code[i] = index of values[i] among the distinct values (ascending). */
export function denseCodes(values: ArrayLike<number>): { codes: Int32Array; levels: number } {
  const n = values.length;
  const codes = new Int32Array(n);
  const max = smallIntMax(values, countLimit(n));
  if (max >= 0) {
    const map = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) map[values[i]!] = 0;
    let k = 0;
    for (let v = 0; v <= max; v++) if (map[v] === 0) map[v] = k++;
    for (let i = 0; i < n; i++) codes[i] = map[values[i]!]!;
    return { codes, levels: k };
  }
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let k = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = f64(sorted, i);
  const uniq = sorted.subarray(0, k);
  for (let i = 0; i < n; i++) codes[i] = lowerBound(uniq, values[i]!);
  return { codes, levels: k };
}
