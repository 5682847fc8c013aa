/**
 * graph-dfs: a random directed graph as `u v` edge pairs, then `| s :` and the DFS
 * preorder from s (out-neighbours visited in increasing id order). Nodes unreachable
 * from s are never emitted, so the answer has one token per reachable node.
 * Difficulty of an emitted node = backtracks (stack pops) since the previous emission + 1.
 * The reference here is an explicit-stack DFS; tests check it against a recursive one.
 * The backtrack count is not a feature: it is the label minus one.
 */
import { defineTask } from '../define-task.js';
import { GRAPH_PARAMS, MAX_NODES, edgeCount, nodeStats, sampleEdges, pushEdges, graphStaticFeatures, graphStaticValues } from '../graph.js';
import { at } from '../checked.js';
import { need } from '../params.js';

const NODES = Array.from({ length: MAX_NODES }, (_, i) => String(i));

export const graphDfs = defineTask({
  name: 'graph-dfs',
  description: 'Emit the DFS preorder of a random digraph (smallest id first); difficulty = backtracks + 1.',
  params: GRAPH_PARAMS,
  sizeParam: 'nodes',
  sizeDescription: 'Number of nodes in the graph.',
  tokens: [...NODES, '|', ':'],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['position', 'stack_depth'],
  features: [
    ...graphStaticFeatures('graph'),
    { name: 'stack_depth', group: 'dynamic', kind: 'numeric', description: 'DFS stack size once the node is pushed (start node = 1).' },
    { name: 'frontier_size', group: 'dynamic', kind: 'numeric', description: 'Unvisited out-neighbours of the nodes on the stack, once the node is pushed.' },
  ],
  difficultyRange: (p) => [1, Math.max(1, need(p, 'nodes') - 1)],
  maxLength: (p) => 2 * edgeCount(need(p, 'nodes'), need(p, 'density'), false) + 3 + need(p, 'nodes'),
  generate(p, rng, b, vocab) {
    const n = need(p, 'nodes');
    const edges = sampleEdges(rng, n, need(p, 'density'), need(p, 'hubProb'), false);
    const stats = nodeStats(n, edges);
    const node0 = vocab.id('0');
    pushEdges(b, edges, node0);
    const start = rng.int(0, n - 1);
    b.push(vocab.id('|'));
    b.push(node0 + start);
    b.push(vocab.id(':'));
    const visited = new Array<boolean>(n).fill(false);
    const stack: number[] = [];
    const cursor: number[] = [];
    let backtracks = 0;
    const visit = (v: number): void => {
      visited[v] = true;
      stack.push(v);
      cursor.push(0);
      let frontier = 0;
      const seen = new Array<boolean>(n).fill(false);
      for (const u of stack) {
        for (const w of at(stats.out, u)) {
          if (!visited[w] && !seen[w]) {
            seen[w] = true;
            frontier++;
          }
        }
      }
      b.answer(node0 + v, backtracks + 1, {
        ...graphStaticValues(stats, edges, v),
        stack_depth: stack.length,
        frontier_size: frontier,
      });
      backtracks = 0;
    };
    visit(start);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const nbrs = at(stats.out, at(stack, top));
      let c = at(cursor, top);
      while (c < nbrs.length && visited[at(nbrs, c)]) c++;
      cursor[top] = c;
      if (c < nbrs.length) {
        visit(at(nbrs, c));
      } else {
        stack.pop();
        cursor.pop();
        backtracks++;
      }
    }
  },
});
