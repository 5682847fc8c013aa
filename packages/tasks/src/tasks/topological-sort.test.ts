/** topological-sort vs a set-based Kahn and a memoised longest-path DP. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle, graphLevelOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { topologicalSort } from './topological-sort.js';

function oracle(tokens: readonly string[], params: Readonly<Record<string, number>>): Map<number, OracleLabel> {
  const colon = tokens.indexOf(':');
  const n = params.nodes!;
  const preds: Set<number>[] = Array.from({ length: n }, () => new Set());
  const outdeg = new Array<number>(n).fill(0);
  for (let i = 0; i < colon; i += 2) {
    preds[Number(tokens[i + 1])]!.add(Number(tokens[i]));
    outdeg[Number(tokens[i])]!++;
  }
  const m = colon / 2;
  const graph = graphLevelOracle(tokens.slice(0, colon), n);
  const memo = new Map<number, number>();
  const layer = (v: number): number => {
    if (!memo.has(v)) memo.set(v, Math.max(0, ...[...preds[v]!].map((u) => layer(u) + 1)));
    return memo.get(v)!;
  };
  const done = new Set<number>();
  const readySet = () => [...Array(n).keys()].filter((v) => !done.has(v) && [...preds[v]!].every((u) => done.has(u)));
  const out = new Map<number, OracleLabel>();
  let prev: number[] | null = null;
  for (let step = 0; step < n; step++) {
    const ready = readySet();
    expect(ready.length).toBeGreaterThan(0); // acyclic
    const v = Math.min(...ready);
    const newly = prev === null ? 0 : ready.filter((w) => !prev!.includes(w)).length;
    const deg = outdeg[v]! + preds[v]!.size;
    out.set(colon + step, {
      target: String(v),
      difficulty: layer(v),
      features: { frontier_size: ready.length, newly_enabled: newly, out_degree: outdeg[v]!, in_degree: preds[v]!.size, hub: deg >= Math.max(3, (4 * m) / n) ? 1 : 0, edges: m, ...graph },
    });
    done.add(v);
    prev = ready;
  }
  return out;
}

describe('topological-sort', () => {
  test('matches the set-based Kahn and longest-path DP', () => checkAgainstOracle(topologicalSort, oracle, 200));
  test('hand-computed diamond', () => {
    const m = oracle('2 0 2 1 0 3 1 3 :'.split(' '), { nodes: 4 });
    expect([...m.values()].map((l) => [l.target, l.difficulty, l.features.newly_enabled])).toEqual([['2', 0, 0], ['0', 1, 2], ['1', 1, 0], ['3', 2, 1]]);
  });
  test('regression seed 12345', () => {
    expect(topologicalSort.render(generateExample(topologicalSort, {}, 12345))).toMatchInlineSnapshot(`"1 5 3 5 2 5 3 4 2 1 :⟨0|0⟩ 0⟨2|0⟩ 2⟨1|1⟩ 1⟨3|0⟩ 3⟨4|1⟩ 4⟨5|2⟩ 5"`);
  });
});
