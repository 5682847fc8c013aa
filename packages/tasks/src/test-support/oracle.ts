/**
 * Test-only harness: generate an example, render it, parse the text back and compare
 * every target, difficulty and listed feature with an independent oracle that sees only
 * the rendered prompt tokens. Not exported from the package.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { generateExample } from '../generate.js';
import { parseRendered } from '../render.js';
import type { Task } from '../task.js';
import { seeds, taskParams } from '../testing.js';

/** What the oracle expects at one position. */
export interface OracleLabel {
  readonly target: string;
  readonly difficulty: number;
  readonly features: Readonly<Record<string, number>>;
}

/** Solves a rendered example from its tokens alone: position -> expected label. */
export type Oracle = (tokens: readonly string[], params: Readonly<Record<string, number>>) => Map<number, OracleLabel>;

/**
 * Graph-level static features from the edge-list tokens `u v u v ...` alone: a node's
 * total degree is the number of times its id occurs in the list (one per endpoint).
 */
export function graphLevelOracle(edgeTokens: readonly string[], nodes: number): { hubs: number; max_degree: number } {
  const occurrences = new Array<number>(nodes).fill(0);
  for (const t of edgeTokens) occurrences[Number(t)]!++;
  const threshold = Math.max(3, (2 * edgeTokens.length) / nodes);
  return { hubs: occurrences.filter((k) => k >= threshold).length, max_degree: Math.max(...occurrences) };
}

/** Asserts generator == oracle on `runs` random (params, seed) pairs. */
export function checkAgainstOracle(task: Task, oracle: Oracle, runs = 150): void {
  fc.assert(
    fc.property(taskParams(task), seeds(), (params, seed) => {
      const ex = generateExample(task, params, seed);
      const parsed = parseRendered(task.render(ex));
      const tokens = parsed.map((p) => p.token);
      expect(tokens.map((t) => task.vocab.id(t))).toEqual(ex.input);
      const want = oracle(tokens, params);
      const [lo, hi] = task.difficultyRange(params);
      let labelled = 0;
      parsed.forEach((p, i) => {
        const w = want.get(i);
        if (p.target === null) {
          expect(w, `unexpected oracle label at ${i}`).toBeUndefined();
          return;
        }
        labelled++;
        expect(w, `oracle has no label at ${i}`).toBeDefined();
        expect({ i, target: p.target, difficulty: p.difficulty }).toEqual({ i, target: w!.target, difficulty: w!.difficulty });
        expect(ex.target[i]).toBe(task.vocab.id(w!.target));
        expect(ex.difficulty[i]).toBe(w!.difficulty);
        expect(w!.difficulty).toBeGreaterThanOrEqual(lo);
        expect(w!.difficulty).toBeLessThanOrEqual(hi);
        for (const [name, value] of Object.entries(w!.features)) {
          const col = ex.features.static[name] ?? ex.features.position[name] ?? ex.features.dynamic[name];
          expect(col, `feature ${name}`).toBeDefined();
          expect({ i, name, v: col![i] }).toEqual({ i, name, v: value });
        }
      });
      expect(labelled).toBe(want.size);
      // The oracle must recompute every task-specific feature (the shared two are checked elsewhere).
      const listed = new Set([...want.values()].flatMap((w) => Object.keys(w.features)));
      const declared = task.features.map((f) => f.name).filter((n) => n !== 'position' && n !== 'size');
      if (want.size > 0) for (const n of declared) expect(listed.has(n), `oracle omits feature ${n}`).toBe(true);
    }),
    { numRuns: runs },
  );
}
