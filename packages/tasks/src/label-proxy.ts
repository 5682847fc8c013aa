/**
 * The label-proxy rule (docs/metrics.md): a feature is a **label proxy** when some of its
 * levels determine the label, or a coarsening of it, on at least 20% of target tokens,
 * or when R²(label ~ its levels) is at least 0.7. Levels are the feature's distinct
 * values, a missing value (NaN) being a level of its own (the missing indicator). A
 * level *determines* the label when all its tokens share one label value; it determines
 * a coarsening when the label values it takes occur at no other level. Only levels
 * holding at least `max(10, 1%)` of the tokens count, so that a numeric feature's rare
 * values do not add up by chance. R² is the one-hot (between-level) R², i.e. η².
 * Tokens whose label is made by their position (addition's column 0, graph-DFS's first
 * answer token) count like any other: a feature that marks them determines the label
 * there. Position-group features are the control and are never excluded.
 */
import { present } from './checked.js';

/** Share of target tokens above which decisive levels make a proxy. */
export const PROXY_SHARE = 0.2;
/** R²(label ~ levels) at or above which a feature is a proxy. */
export const PROXY_R2 = 0.7;

export interface LabelProxyStats {
  /** Share of tokens in levels that determine the label or a coarsening of it. */
  readonly decisiveShare: number;
  /** R² of the label on the feature's levels (one-hot), NaN when the label is constant. */
  readonly r2: number;
  readonly proxy: boolean;
}

/** The rule on (label, feature value) pairs of target tokens. */
export function labelProxyStats(pairs: readonly (readonly [number, number])[]): LabelProxyStats {
  const n = pairs.length;
  if (n === 0) return { decisiveShare: Number.NaN, r2: Number.NaN, proxy: false };
  const levels = new Map<string, number[]>();
  for (const [label, value] of pairs) {
    const key = Number.isNaN(value) ? 'NaN' : String(value);
    const list = levels.get(key);
    if (list) list.push(label);
    else levels.set(key, [label]);
  }
  const minSize = Math.max(10, 0.01 * n);
  const labelSets = new Map([...levels].map(([k, ls]) => [k, new Set(ls)]));
  const allLabels = new Set(pairs.map(([l]) => l));
  let decisive = 0;
  for (const [k, own] of labelSets) {
    const labels = present(levels.get(k), `level ${k}`);
    if (labels.length < minSize) continue;
    const pure = own.size === 1 && allLabels.size > 1;
    // a coarsening: the level's label values are a proper subset no other level takes
    const exclusive = own.size < allLabels.size && [...labelSets].every(([other, set]) => other === k || [...own].every((l) => !set.has(l)));
    if (pure || exclusive) decisive += labels.length;
  }
  let mean = 0;
  for (const [l] of pairs) mean += l;
  mean /= n;
  let total = 0;
  for (const [l] of pairs) total += (l - mean) ** 2;
  let within = 0;
  for (const labels of levels.values()) {
    const m = labels.reduce((a, b) => a + b, 0) / labels.length;
    for (const l of labels) within += (l - m) ** 2;
  }
  const r2 = total > 0 ? 1 - within / total : Number.NaN;
  const decisiveShare = decisive / n;
  return { decisiveShare, r2, proxy: decisiveShare >= PROXY_SHARE || r2 >= PROXY_R2 };
}
