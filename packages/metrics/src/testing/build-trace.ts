/** Hand-built traces for tests: fill every field a test does not care about. Internal. */
import { TRACE_FORMAT_VERSION, type TokenTrace, type Trace, type TraceHeader } from '../trace.js';

export interface TokenSpec {
  readonly depth: number;
  readonly difficulty: number;
  readonly correct?: boolean;
  readonly expected?: number | null;
  readonly s?: Record<string, number>;
  /** Position-group features. */
  readonly p?: Record<string, number>;
  readonly d?: Record<string, number>;
  readonly flops?: number;
}

export function buildTrace(header: Partial<TraceHeader>, examples: readonly { size: number; tokens: readonly (TokenSpec & { position?: number })[] }[]): Trace {
  return {
    header: {
      kind: 'anira-trace', version: TRACE_FORMAT_VERSION, task: 'toy', policy: 'p', tMax: 8, trainTMax: 8,
      flopsPerIteration: 10, features: [], trainSizes: [1, 2], ...header,
    },
    examples: examples.map((ex, e) => {
      const tokens: TokenTrace[] = ex.tokens.map((t, i) => ({
        position: t.position ?? i, target: 5, prediction: t.correct === false ? 6 : 5, correct: t.correct ?? true,
        exitDepth: t.depth, expectedDepth: t.expected === undefined ? null : t.expected,
        haltProbs: null, stepPredictions: Array(t.depth).fill(5), difficulty: t.difficulty,
        features: { static: t.s ?? {}, ...(t.p ? { position: t.p } : {}), dynamic: t.d ?? {} }, flops: t.flops ?? t.depth * 10,
      }));
      return { meta: { task: 'toy', params: {}, seed: e }, size: ex.size, exact: tokens.every((t) => t.correct), tokens };
    }),
  };
}
