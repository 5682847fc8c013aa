/** Properties every task must satisfy: determinism, shapes, bounds, size monotonicity, param errors. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FEATURE_GROUPS, IGNORE, PAD_ID } from './example.js';
import type { Example } from './example.js';
import { generateExample, sampleDataset } from './generate.js';
import { getTask, listTasks } from './registry.js';
import { seeds, taskParams } from './testing.js';

const levels = (ds: readonly Example[]): number[] =>
  ds.flatMap((e) => e.difficulty.filter((_, i) => e.target[i] !== IGNORE));
const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;

// [task, base params, small size, large size]
const SIZE_PAIRS: [string, Record<string, number>, number, number][] = [
  ['addition', {}, 2, 8],
  ['k-hop', {}, 2, 6],
  ['variable-binding', { variables: 26 }, 2, 6],
  ['listops', {}, 2, 4],
  ['dyck', { depth: 6 }, 8, 40],
  ['agreement', {}, 1, 4],
  ['graph-dfs', {}, 4, 12],
  ['topological-sort', {}, 4, 12],
];

test('registry lists eight tasks and rejects unknown names', () => {
  expect(listTasks().map((t) => t.name)).toEqual(SIZE_PAIRS.map((p) => p[0]));
  expect(() => getTask('nope')).toThrow(/unknown task "nope"; valid tasks are addition, k-hop/);
});

describe.each(listTasks().map((t) => [t.name, t] as const))('%s', (_name, task) => {
  test('same seed gives the same example; seeds give different examples', () => {
    fc.assert(
      fc.property(taskParams(task), seeds(), (params, seed) => {
        expect(generateExample(task, params, seed)).toEqual(generateExample(task, params, seed));
      }),
      { numRuns: 40 },
    );
    const renders = new Set<string>();
    for (let s = 0; s < 200; s++) renders.add(task.render(generateExample(task, {}, s)));
    expect(renders.size).toBeGreaterThanOrEqual(190);
  });

  test('shapes, vocabulary, masks, feature columns and bounds', () => {
    const names = task.features.map((f) => f.name);
    expect(names.slice(0, 2)).toEqual(['position', 'size']);
    fc.assert(
      fc.property(taskParams(task), seeds(), (params, seed) => {
        const ex = generateExample(task, params, seed);
        const L = ex.input.length;
        expect(L).toBeGreaterThan(0);
        expect(L).toBeLessThanOrEqual(task.maxLength(params));
        expect(ex.target).toHaveLength(L);
        expect(ex.difficulty).toHaveLength(L);
        expect(ex.size).toBe(params[task.sizeParam]);
        expect(ex.meta).toEqual({ task: task.name, params, seed });
        const [lo, hi] = task.difficultyRange(params);
        let targets = 0;
        for (let i = 0; i < L; i++) {
          expect(ex.input[i]).toBeGreaterThan(PAD_ID);
          expect(ex.input[i]).toBeLessThan(task.vocab.size);
          const set = ex.target[i] !== IGNORE;
          if (set) {
            targets++;
            expect(ex.target[i]).toBeGreaterThan(PAD_ID);
            expect(ex.target[i]).toBeLessThan(task.vocab.size);
            expect(ex.difficulty[i]).toBeGreaterThanOrEqual(lo);
            expect(ex.difficulty[i]).toBeLessThanOrEqual(hi);
            expect(ex.features.position.position![i]).toBe(i);
            expect(ex.features.static.size![i]).toBe(ex.size);
          } else {
            expect(ex.difficulty[i]).toBe(-1);
          }
          for (const f of task.features) {
            const col = ex.features[f.group][f.name]!;
            expect(col).toHaveLength(L);
            if (!set) expect(col[i]).toBeNaN();
          }
        }
        expect(targets).toBeGreaterThan(0);
        expect(FEATURE_GROUPS.flatMap((g) => Object.keys(ex.features[g])).sort()).toEqual([...names].sort());
      }),
      { numRuns: 60 },
    );
  });

  test('raising the size knob never lowers the difficulty distribution', () => {
    const [, base, small, large] = SIZE_PAIRS.find((p) => p[0] === task.name)!;
    const a = levels(sampleDataset(task, { ...base, [task.sizeParam]: small }, { n: 300, seed: 1 }));
    const b = levels(sampleDataset(task, { ...base, [task.sizeParam]: large }, { n: 300, seed: 2 }));
    const top = Math.max(...a, ...b);
    for (let t = 0; t <= top; t++) {
      const pa = a.filter((v) => v >= t).length / a.length;
      const pb = b.filter((v) => v >= t).length / b.length;
      expect(pb, `P(D >= ${t})`).toBeGreaterThanOrEqual(pa - 0.02);
    }
    expect(mean(b)).toBeGreaterThan(mean(a) + 0.1);
  });

  test('invalid params throw one-line errors naming the param and its range', () => {
    for (const [name, spec] of Object.entries(task.params)) {
      const range = `[${spec.min}, ${spec.max}]`;
      const bad = [spec.min - 1, spec.max + 1, NaN, Infinity, ...(spec.integer ? [spec.min + 0.5] : [])];
      for (const v of bad) {
        const msg = (() => {
          try {
            task.resolveParams({ [name]: v });
          } catch (e) {
            return (e as Error).message;
          }
          return 'did not throw';
        })();
        expect(msg).toContain(`${task.name}: param "${name}" must be`);
        expect(msg).toContain(range);
        expect(msg).not.toContain('\n');
      }
    }
    expect(() => task.resolveParams({ bogus: 1 })).toThrow(/unknown param "bogus"/);
    expect(task.resolveParams()).toEqual(Object.fromEntries(Object.entries(task.params).map(([k, s]) => [k, s.default])));
  });

  test('defaults stay short (<= 48 tokens)', () => {
    for (let s = 0; s < 100; s++) expect(generateExample(task, {}, s).input.length).toBeLessThanOrEqual(48);
  });
});
