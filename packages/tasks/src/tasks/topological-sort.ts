/**
 * topological-sort: a random DAG as `u v` edge pairs, then `:` and Kahn's order where
 * the smallest-id ready node is emitted first (every node is emitted). Difficulty of an
 * emitted node = its longest-path layer (0 for sources, else 1 + max layer of its
 * predecessors), computed here during Kahn's pass; tests recompute it by a memoised DP.
 * The layer is the label, so it is never a feature.
 */
import { defineTask } from '../define-task.js';
import { GRAPH_PARAMS, MAX_NODES, edgeCount, nodeStats, sampleEdges, pushEdges, graphStaticFeatures, graphStaticValues } from '../graph.js';
import { at } from '../checked.js';
import { need } from '../params.js';

const NODES = Array.from({ length: MAX_NODES }, (_, i) => String(i));

export const topologicalSort = defineTask({
  name: 'topological-sort',
  description: 'Emit Kahn\'s topological order of a random DAG (smallest ready id first); difficulty = longest-path layer.',
  params: GRAPH_PARAMS,
  sizeParam: 'nodes',
  sizeDescription: 'Number of nodes in the DAG.',
  tokens: [...NODES, ':'],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['in_degree'],
  features: [
    ...graphStaticFeatures('DAG'),
    { name: 'frontier_size', group: 'dynamic', kind: 'numeric', description: 'Ready-set size when the node is chosen (the node included).' },
    { name: 'newly_enabled', group: 'dynamic', kind: 'numeric', description: 'Nodes that became ready because of the previous emission (0 for the first).' },
  ],
  difficultyRange: (p) => [0, need(p, 'nodes') - 1],
  maxLength: (p) => 2 * edgeCount(need(p, 'nodes'), need(p, 'density'), true) + 1 + need(p, 'nodes'),
  generate(p, rng, b, vocab) {
    const n = need(p, 'nodes');
    const edges = sampleEdges(rng, n, need(p, 'density'), need(p, 'hubProb'), true);
    const stats = nodeStats(n, edges);
    const node0 = vocab.id('0');
    pushEdges(b, edges, node0);
    b.push(vocab.id(':'));
    const indeg = stats.inDegree.slice();
    const layer = new Array<number>(n).fill(0);
    const ready: boolean[] = indeg.map((d) => d === 0);
    let readyCount = ready.filter(Boolean).length;
    let enabled = 0;
    for (let step = 0; step < n; step++) {
      let v = 0;
      while (!ready[v]) v++;
      b.answer(node0 + v, at(layer, v), {
        ...graphStaticValues(stats, edges, v),
        frontier_size: readyCount,
        newly_enabled: enabled,
      });
      ready[v] = false;
      readyCount--;
      enabled = 0;
      for (const w of at(stats.out, v)) {
        layer[w] = Math.max(at(layer, w), at(layer, v) + 1);
        indeg[w] = at(indeg, w) - 1;
        if (indeg[w] === 0) {
          ready[w] = true;
          readyCount++;
          enabled++;
        }
      }
    }
  },
});
