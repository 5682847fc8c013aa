/** graph-dfs vs a recursive DFS over the parsed edge list. */
import { describe, expect, test } from 'vitest';
import { generateExample } from '../generate.js';
import { checkAgainstOracle, graphLevelOracle } from '../test-support/oracle.js';
import type { OracleLabel } from '../test-support/oracle.js';
import { graphDfs } from './graph-dfs.js';

function oracle(tokens: readonly string[], params: Readonly<Record<string, number>>): Map<number, OracleLabel> {
  const bar = tokens.indexOf('|');
  const n = params.nodes!;
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set());
  const indeg = new Array<number>(n).fill(0);
  for (let i = 0; i < bar; i += 2) {
    const u = Number(tokens[i]);
    const v = Number(tokens[i + 1]);
    expect(u).not.toBe(v);
    expect(adj[u]!.has(v)).toBe(false);
    adj[u]!.add(v);
    indeg[v]!++;
  }
  const m = bar / 2;
  const hub = (v: number) => (adj[v]!.size + indeg[v]! >= Math.max(3, (4 * m) / n) ? 1 : 0);
  const graph = graphLevelOracle(tokens.slice(0, bar), n);
  const start = Number(tokens[bar + 1]);
  const visited = new Set<number>();
  const path: number[] = [];
  const out = new Map<number, OracleLabel>();
  let pos = bar + 2;
  let pops = 0;
  const visit = (v: number): void => {
    visited.add(v);
    path.push(v);
    const frontier = new Set(path.flatMap((u) => [...adj[u]!]).filter((w) => !visited.has(w)));
    out.set(pos++, {
      target: String(v),
      difficulty: pops + 1,
      features: { stack_depth: path.length, frontier_size: frontier.size, out_degree: adj[v]!.size, in_degree: indeg[v]!, hub: hub(v), edges: m, ...graph },
    });
    pops = 0;
    for (const w of [...adj[v]!].sort((a, b) => a - b)) {
      if (!visited.has(w)) {
        visit(w);
        pops++;
      }
    }
    path.pop();
  };
  visit(start);
  expect(pos).toBe(tokens.length - 1); // the last answer token predicts nothing
  return out;
}

describe('graph-dfs', () => {
  test('matches the recursive DFS', () => checkAgainstOracle(graphDfs, oracle, 200));
  test('hand-computed graph-level features: a star with centre 0 and one extra edge', () => {
    // Edges 0-1 0-2 0-3 1-0 2-3: degrees 0:4 1:2 2:2 3:2; threshold max(3, 2 * 10 / 4) = 5 -> no hub.
    expect(graphLevelOracle('0 1 0 2 0 3 1 0 2 3'.split(' '), 4)).toEqual({ hubs: 0, max_degree: 4 });
    // Edges 0-1 0-2 0-3 0-4 on 8 nodes: degrees 0:4, threshold max(3, 1) = 3 -> one hub.
    expect(graphLevelOracle('0 1 0 2 0 3 0 4'.split(' '), 8)).toEqual({ hubs: 1, max_degree: 4 });
    const ex = generateExample(graphDfs, { nodes: 8, density: 0.5, hubProb: 0.5 }, 3);
    const at = ex.target.findIndex((t) => t >= 0);
    const stats = graphLevelOracle(graphDfs.render(ex).split(' |')[0]!.split(' '), 8);
    expect([ex.features.static.hubs![at], ex.features.static.max_degree![at]]).toEqual([stats.hubs, stats.max_degree]);
  });
  test('unreachable nodes are not emitted', () => {
    const m = oracle('0 1 2 0 | 0 : 0 1'.split(' '), { nodes: 3 });
    expect([...m.values()].map((l) => l.target)).toEqual(['0', '1']);
  });
  test('regression seed 12345', () => {
    expect(graphDfs.render(generateExample(graphDfs, {}, 12345))).toMatchInlineSnapshot(`"3 1 4 0 3 2 4 5 5 3 0 4 2 1 2 0 0 5 | 3 :⟨3|1⟩ 3⟨1|1⟩ 1⟨2|2⟩ 2⟨0|1⟩ 0⟨4|1⟩ 4⟨5|1⟩ 5"`);
  });
});
