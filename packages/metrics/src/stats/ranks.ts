/**
 * Mid-ranks (average ranks for ties), 1-based, the ranking Spearman's rho is defined on.
 * simple-statistics >= 7.12 also uses mid-ranks, but our declared range (^7.8.8)
 * admits older releases that gave tied values distinct ordinal ranks, so we rank here
 * and never depend on which release is installed.
 */

/** Ranks of `values` in input order; tied values share the mean of the ranks they span. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}
