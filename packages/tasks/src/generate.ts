/**
 * Seeded generation entry points: one example from (task, params, seed), and datasets
 * where example i uses `deriveExampleSeed(seed, i)`, optionally balanced over the
 * difficulty levels of their target tokens (greedy acceptance, see `sampleDataset`).
 */
import type { Example } from './example.js';
import { IGNORE } from './example.js';
import { createRng, deriveExampleSeed } from './rng.js';
import type { Task } from './task.js';

/** Resolves `params`, generates with `createRng(seed)` and records `meta.seed = seed`. */
export function generateExample(task: Task, params: Readonly<Record<string, number>> | undefined, seed: number): Example {
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
  /** Candidates examined per requested example before balancing gives up (default 50). */
  readonly maxAttemptsPerExample?: number;
}

/**
 * `n` examples. Unbalanced: example i is `generateExample(task, params, deriveExampleSeed(seed, i))`.
 * Balanced: candidates c = 0, 1, 2, ... use `deriveExampleSeed(seed, c)`; a candidate is
 * accepted iff the mean current count of its target tokens' levels is at most the mean
 * count over all levels seen so far among candidates, i.e. it mostly adds under-represented
 * levels. After `n * maxAttemptsPerExample` candidates the remaining slots take the next
 * candidates unconditionally. Each example's `meta.seed` is its candidate seed, so any
 * example can still be regenerated alone.
 */
export function sampleDataset(task: Task, params: Readonly<Record<string, number>> | undefined, opts: DatasetOptions): Example[] {
  const { n, seed } = opts;
  if (!Number.isInteger(n) || n < 0) throw new Error(`sampleDataset: option "n" must be a non-negative integer, got ${n}`);
  const resolved = task.resolveParams(params);
  const out: Example[] = [];
  if (!opts.balanced) {
    for (let i = 0; i < n; i++) out.push(generateExample(task, resolved, deriveExampleSeed(seed, i)));
    return out;
  }
  const budget = n * (opts.maxAttemptsPerExample ?? 50);
  const counts = new Map<number, number>();
  let seenTotal = 0;
  for (let c = 0; out.length < n; c++) {
    const ex = generateExample(task, resolved, deriveExampleSeed(seed, c));
    const levels: number[] = [];
    for (let i = 0; i < ex.target.length; i++) if (ex.target[i] !== IGNORE) levels.push(ex.difficulty[i]!);
    for (const l of levels) if (!counts.has(l)) counts.set(l, 0);
    let own = 0;
    for (const l of levels) own += counts.get(l)!;
    const accept = c >= budget || levels.length === 0 || own / levels.length <= seenTotal / counts.size;
    if (!accept) continue;
    for (const l of levels) counts.set(l, counts.get(l)! + 1);
    seenTotal += levels.length;
    out.push(ex);
  }
  return out;
}
