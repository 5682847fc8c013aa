/**
 * Random graphs for graph-dfs and topological-sort: `round(density * allowed pairs)`
 * distinct directed edges sampled without replacement (allowed pairs: n(n-1) ordered pairs
 * for a digraph, n(n-1)/2 forward pairs for a DAG), where an edge touching a hub node (each
 * node is a hub with probability hubProb) is HUB_WEIGHT times as likely. For a DAG the
 * edges go forward along a hidden random order, so node ids are not topological.
 * Also the shared static features (degrees, degree-based hub flag, and graph-level hub
 * count and maximum degree).
 */
import type { FeatureSpec, Rng } from './example.js';
import type { ParamSpec } from './task.js';
import { at } from './checked.js';
import { permutation, shuffleInPlace } from './shuffle.js';

/** Edge weight multiplier for edges touching a sampled hub. */
export const HUB_WEIGHT = 4;
export const MAX_NODES = 16;

/** The three knobs both graph tasks share. */
export const GRAPH_PARAMS: Readonly<Record<string, ParamSpec>> = {
  nodes: { default: 6, min: 2, max: MAX_NODES, integer: true, description: 'Number of nodes (ids 0..nodes-1).' },
  density: { default: 0.3, min: 0, max: 1, integer: false, description: 'Edge density: fraction of allowed (u, v) pairs that are edges (n(n-1) for a digraph, n(n-1)/2 for a DAG).' },
  hubProb: { default: 0.2, min: 0, max: 1, integer: false, description: `Probability that a node is a hub (edges touching a hub are ${HUB_WEIGHT}x as likely).` },
};

/** Number of edges the params ask for. */
export function edgeCount(nodes: number, density: number, dag: boolean): number {
  const pairs = dag ? (nodes * (nodes - 1)) / 2 : nodes * (nodes - 1);
  return Math.round(density * pairs);
}

/** Edges as parallel arrays `from[e] -> to[e]`, in random order. */
export interface Edges {
  readonly from: number[];
  readonly to: number[];
}

/** Samples the edge set described in the module comment. */
export function sampleEdges(rng: Rng, nodes: number, density: number, hubProb: number, dag: boolean): Edges {
  const hub: boolean[] = [];
  for (let v = 0; v < nodes; v++) hub.push(rng.float() < hubProb);
  // node at each position of the hidden order (identity for a digraph)
  const order = dag ? permutation(nodes, rng) : Array.from({ length: nodes }, (_, i) => i);
  // candidate edges u -> v with their weights
  const cand: { u: number; v: number; w: number }[] = [];
  let total = 0;
  for (const [i, u] of order.entries()) {
    for (const [j, v] of order.entries()) {
      if (dag ? i >= j : i === j) continue;
      const w = hub[u] || hub[v] ? HUB_WEIGHT : 1;
      cand.push({ u, v, w });
      total += w;
    }
  }
  const m = edgeCount(nodes, density, dag);
  const picked: { u: number; v: number }[] = [];
  for (let e = 0; e < m; e++) {
    // roulette wheel: the first candidate whose weight exceeds what is left of r (the last one at the latest)
    let r = rng.float() * total;
    let k = 0;
    for (const { w } of cand) {
      if (k === cand.length - 1 || r < w) break;
      r -= w;
      k++;
    }
    const c = at(cand, k);
    picked.push(c);
    total -= c.w;
    // remove candidate k: the last one takes its place
    const last = cand.pop();
    if (last !== undefined && k < cand.length) cand[k] = last;
  }
  // Fisher-Yates draws depend only on the length, so shuffling the edges themselves
  // gives the order that shuffling their indices would
  shuffleInPlace(picked, rng);
  return { from: picked.map((c) => c.u), to: picked.map((c) => c.v) };
}

/** Static per-node structure shared by both graph tasks. */
export interface NodeStats {
  readonly outDegree: number[];
  readonly inDegree: number[];
  /** 1 if in + out degree >= max(3, 2 * mean total degree), else 0. */
  readonly hub: number[];
  /** Out-neighbours of each node, sorted by id. */
  readonly out: number[][];
  /** Graph-level: number of nodes whose `hub` flag is 1. */
  readonly hubs: number;
  /** Graph-level: largest in + out degree of any node. */
  readonly maxDegree: number;
}

/** Degrees, sorted adjacency and the degree-based hub flag. */
export function nodeStats(nodes: number, edges: Edges): NodeStats {
  const outDegree = new Array<number>(nodes).fill(0);
  const inDegree = new Array<number>(nodes).fill(0);
  const out: number[][] = Array.from({ length: nodes }, () => []);
  for (const [e, u] of edges.from.entries()) {
    const v = at(edges.to, e);
    outDegree[u] = at(outDegree, u) + 1;
    inDegree[v] = at(inDegree, v) + 1;
    at(out, u).push(v);
  }
  for (const list of out) list.sort((x, y) => x - y);
  const threshold = Math.max(3, (2 * 2 * edges.from.length) / nodes);
  const total = outDegree.map((o, v) => o + at(inDegree, v));
  const hub = total.map((t) => (t >= threshold ? 1 : 0));
  const hubs = hub.filter((h) => h === 1).length;
  return { outDegree, inDegree, hub, out, hubs, maxDegree: Math.max(...total) };
}

/** Write the edge list as prompt tokens `u v u v ...` (node ids offset by `node0`). */
export function pushEdges(b: { push(id: number): void }, edges: Edges, node0: number): void {
  for (const [e, u] of edges.from.entries()) {
    b.push(node0 + u);
    b.push(node0 + at(edges.to, e));
  }
}

/** The static features both graph tasks declare (`what` names the graph kind in descriptions). */
export function graphStaticFeatures(what: 'graph' | 'DAG'): FeatureSpec[] {
  return [
    { name: 'edges', group: 'static', kind: 'numeric', description: `Number of edges in the ${what}.` },
    { name: 'out_degree', group: 'static', kind: 'numeric', description: 'Out-degree of the emitted node.' },
    { name: 'in_degree', group: 'static', kind: 'numeric', description: 'In-degree of the emitted node.' },
    { name: 'hub', group: 'static', kind: 'categorical', description: 'Emitted node has in + out degree >= max(3, 2 * mean total degree).' },
    { name: 'hubs', group: 'static', kind: 'numeric', description: `Number of hub nodes in the ${what} (nodes whose hub flag is 1).` },
    { name: 'max_degree', group: 'static', kind: 'numeric', description: `Largest in + out degree of any node in the ${what}.` },
  ];
}

/** The graph-static feature values at emitted node `v` (names as in `graphStaticFeatures`). */
export function graphStaticValues(stats: NodeStats, edges: Edges, v: number): Record<string, number> {
  return {
    edges: edges.from.length,
    out_degree: at(stats.outDegree, v),
    in_degree: at(stats.inDegree, v),
    hub: at(stats.hub, v),
    hubs: stats.hubs,
    max_degree: stats.maxDegree,
  };
}
