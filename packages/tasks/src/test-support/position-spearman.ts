/**
 * Test-only measurement of the position confound: Spearman's rank correlation between
 * a target token's position (its index i in the sequence) and its difficulty label, over
 * every target token of `n` unbalanced examples (example k uses `deriveExampleSeed(seed, k)`).
 * Ties get average ranks; NaN when either variable is constant.
 */
import { IGNORE } from '../example.js';
import { sampleDataset } from '../generate.js';
import type { ParamInput, Task } from '../task.js';

/** 1-based ranks of `x`, tied values sharing the mean of their ranks. */
export function averageRanks(x: readonly number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const rank = new Array<number>(x.length);
  for (let lo = 0; lo < order.length;) {
    let hi = lo;
    while (hi + 1 < order.length && x[order[hi + 1]!] === x[order[lo]!]) hi++;
    for (let k = lo; k <= hi; k++) rank[order[k]!] = (lo + hi) / 2 + 1;
    lo = hi + 1;
  }
  return rank;
}

/** Spearman's rho of two equal-length samples: Pearson's r of their average ranks. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`spearman: samples differ in length (${x.length} vs ${y.length})`);
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const n = x.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n;
  const my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman(position, difficulty) over the target tokens of `n` examples of `task`. */
export function positionDifficultySpearman(task: Task, params: ParamInput | undefined, n: number, seed: number): number {
  const position: number[] = [];
  const difficulty: number[] = [];
  for (const ex of sampleDataset(task, params, { n, seed })) {
    ex.target.forEach((t, i) => {
      if (t === IGNORE) return;
      position.push(i);
      difficulty.push(ex.difficulty[i]!);
    });
  }
  return spearman(position, difficulty);
}
