/**
 * Efficiency: mean depth as a fraction of T_max, executed FLOPs (sum of per-token
 * flops) against a fixed-depth run (tokens x tMax x flopsPerIteration), and the
 * accuracy-compute Pareto front across traces (policies / runs).
 */
import { accuracy } from '../stats/accuracy.js';
import type { Trace } from '../trace.js';
import { traceLabel } from './token-table.js';

export interface EfficiencyResult {
  readonly label: string;
  readonly policy: string;
  readonly tMax: number;
  readonly tokens: number;
  readonly meanDepth: number;
  /** meanDepth / tMax. */
  readonly depthFraction: number;
  readonly executedFlops: number;
  readonly fixedDepthFlops: number;
  /** executedFlops / fixedDepthFlops (NaN when fixedDepthFlops is 0). */
  readonly flopsRatio: number;
  readonly tokenAccuracy: number;
  readonly exactMatch: number;
}

/** Mean depth, depth / T_max, executed against fixed-depth FLOPs and token accuracy of one trace. */
export function efficiency(trace: Trace): EfficiencyResult {
  const { tMax, flopsPerIteration, policy } = trace.header;
  let tokens = 0, depth = 0, flops = 0;
  for (const ex of trace.examples) for (const t of ex.tokens) { tokens++; depth += t.exitDepth; flops += t.flops; }
  const fixed = tokens * tMax * flopsPerIteration;
  const acc = accuracy(trace.examples);
  const meanDepth = tokens ? depth / tokens : Number.NaN;
  return {
    label: traceLabel(trace), policy, tMax, tokens, meanDepth, depthFraction: meanDepth / tMax,
    executedFlops: flops, fixedDepthFlops: fixed, flopsRatio: fixed > 0 ? flops / fixed : Number.NaN,
    tokenAccuracy: acc.tokenAccuracy, exactMatch: acc.exactMatch,
  };
}

export interface ParetoPoint {
  readonly label: string;
  readonly accuracy: number;
  /** Compute per token (lower is better), e.g. mean depth or flops. */
  readonly compute: number;
  /** True when no other point has accuracy >= and compute <= with one strict. */
  readonly onFront: boolean;
}

/** Marks the non-dominated points (maximise accuracy, minimise compute). */
export function paretoFront(points: readonly { label: string; accuracy: number; compute: number }[]): ParetoPoint[] {
  return points.map((p) => ({
    ...p,
    onFront: !points.some((q) => q !== p && q.accuracy >= p.accuracy && q.compute <= p.compute && (q.accuracy > p.accuracy || q.compute < p.compute)),
  }));
}

/** Accuracy-compute points, one per trace: token accuracy vs executed FLOPs per token. */
export function efficiencyPareto(traces: readonly Trace[]): ParetoPoint[] {
  return paretoFront(traces.map((t) => {
    const e = efficiency(t);
    return { label: e.label, accuracy: e.tokenAccuracy, compute: e.tokens ? e.executedFlops / e.tokens : Number.NaN };
  }));
}
