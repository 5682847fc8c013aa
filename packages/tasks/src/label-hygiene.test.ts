/**
 * Labels are never explaining features: for every task, over a few hundred examples at
 * default and at random valid params, no declared feature equals the difficulty on every
 * target token, and none is a fixed function of it (some difficulty level meets two
 * different values of the feature), so the decision-timing analysis cannot be handed the
 * label (topological-sort's old `layer`), a shift of it (graph-dfs's old `backtracks` =
 * label - 1) or a coarsening (addition's old `carry_in` = [label > 0]).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FEATURE_GROUPS, IGNORE } from './example.js';
import type { Example } from './example.js';
import { generateExample } from './generate.js';
import { listTasks } from './registry.js';
import { taskParams } from './testing.js';

/** (difficulty, feature value) of every target token, per feature name. */
function pairs(examples: readonly Example[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const ex of examples) {
    for (const g of FEATURE_GROUPS) {
      for (const [name, col] of Object.entries(ex.features[g])) {
        const list = out.get(name) ?? [];
        ex.target.forEach((t, i) => {
          if (t !== IGNORE) list.push([ex.difficulty[i]!, col[i]!]);
        });
        out.set(name, list);
      }
    }
  }
  return out;
}

/** True when the value is a fixed function of the difficulty on these tokens (NaN counts as a value). */
function functionOfDifficulty(list: readonly [number, number][]): boolean {
  const seen = new Map<number, string>();
  for (const [d, v] of list) {
    const key = String(v);
    if ((seen.get(d) ?? key) !== key) return false;
    seen.set(d, key);
  }
  return true;
}

describe.each(listTasks().map((t) => [t.name, t] as const))('%s', (_name, task) => {
  const atDefaults = Array.from({ length: 300 }, (_, s) => generateExample(task, {}, s));
  const atRandom = fc.sample(fc.tuple(taskParams(task), fc.integer({ min: 0, max: 0x7fffffff })), { numRuns: 300, seed: 11 })
    .map(([params, seed]) => generateExample(task, params, seed));

  test('no feature equals the difficulty on every target token', () => {
    for (const examples of [atDefaults, atRandom]) {
      for (const [name, list] of pairs(examples)) {
        expect(list.length).toBeGreaterThan(300);
        expect(list.every(([d, v]) => d === v), `feature ${name} equals the difficulty`).toBe(false);
      }
    }
  });

  test('no feature is a fixed function of the difficulty', () => {
    for (const [name, list] of pairs(atRandom)) {
      expect(functionOfDifficulty(list), `feature ${name} is a function of the difficulty`).toBe(false);
    }
  });

  test('the check flags label-derived columns on this task\'s labels', () => {
    const labels = atRandom.flatMap((e) => e.difficulty.filter((x) => x >= 0));
    expect(functionOfDifficulty(labels.map((x): [number, number] => [x, x - 1]))).toBe(true);
    expect(functionOfDifficulty(labels.map((x): [number, number] => [x, x > 0 ? 1 : 0]))).toBe(true);
    expect(functionOfDifficulty(labels.map((x, i): [number, number] => [x, i]))).toBe(false);
  });
});
