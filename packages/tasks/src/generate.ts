/**
 * Seeded generation entry points: one example from (task, params, seed), and datasets
 * where example i uses `deriveExampleSeed(seed, i)`, optionally balanced over the
 * difficulty levels of their target tokens (best of K candidates, see `sampleDataset`).
 */
import { at } from './checked.js';
import { AniraInputError } from './errors.js';
import type { Example } from './example.js';
import { IGNORE } from './example.js';
import { createRng, deriveExampleSeed } from './rng.js';
import type { ParamInput, Task } from './task.js';

/** Resolves `params`, generates with `createRng(seed)` and records `meta.seed = seed`. */
export function generateExample(task: Task, params: ParamInput | undefined, seed: number): Example {
  const resolved = task.resolveParams(params);
  const ex = task.generate(resolved, createRng(seed));
  return { ...ex, meta: { task: ex.meta.task, params: ex.meta.params, seed } };
}

/** Options of `sampleDataset`. */
export interface DatasetOptions {
  readonly n: number;
  readonly seed: number;
  /** Balance difficulty levels of target tokens (default false). */
  readonly balanced?: boolean;
  /** Balanced mode: candidates drawn per kept example (default 16). */
  readonly candidates?: number;
}

/**
 * `n` examples. Unbalanced: example i is `generateExample(task, params, deriveExampleSeed(seed, i))`.
 * Balanced (best of K): candidate c = 0, 1, 2, ... uses `deriveExampleSeed(seed, c)`; for each
 * slot the next K candidates are scored by the mean, over their target tokens, of how many
 * kept tokens already have that token's difficulty level, and the lowest score wins (first on
 * ties). Rare levels are thus preferred until the histogram is as flat as the spread between
 * examples allows. `meta.seed` is the kept candidate's seed, so it regenerates alone.
 */
export function sampleDataset(task: Task, params: ParamInput | undefined, opts: DatasetOptions): Example[] {
  const { n, seed } = opts;
  if (!Number.isInteger(n) || n < 0) throw new AniraInputError(`sampleDataset: option "n" must be a non-negative integer, got ${n}`);
  const resolved = task.resolveParams(params);
  const out: Example[] = [];
  if (!opts.balanced) {
    for (let i = 0; i < n; i++) out.push(generateExample(task, resolved, deriveExampleSeed(seed, i)));
    return out;
  }
  const k = opts.candidates ?? 16;
  if (!Number.isInteger(k) || k < 1 || k > 1024) throw new AniraInputError(`sampleDataset: option "candidates" must be an integer in [1, 1024], got ${k}`);
  const counts = new Map<number, number>();
  let c = 0;
  while (out.length < n) {
    let best: Example | undefined;
    let bestScore = Infinity;
    for (let j = 0; j < k; j++, c++) {
      const ex = generateExample(task, resolved, deriveExampleSeed(seed, c));
      let sum = 0;
      let m = 0;
      for (const [i, t] of ex.target.entries()) {
        if (t === IGNORE) continue;
        sum += counts.get(at(ex.difficulty, i)) ?? 0;
        m++;
      }
      const score = m === 0 ? Infinity : sum / m;
      if (best === undefined || score < bestScore) {
        best = ex;
        bestScore = score;
      }
    }
    if (best === undefined) throw new Error('invariant: no candidate example (k must be at least 1)');
    for (const [i, t] of best.target.entries()) {
      if (t === IGNORE) continue;
      const l = at(best.difficulty, i);
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    out.push(best);
  }
  return out;
}
