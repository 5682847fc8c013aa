/**
 * Flattens a trace into per-token columns (one entry per target token), with the
 * example index of each token as the bootstrap cluster id.
 */
import type { Trace } from '../trace.js';

export interface TokenTable {
  readonly n: number;
  readonly exitDepth: Float64Array;
  /** NaN where the policy defines no expected depth. */
  readonly expectedDepth: Float64Array;
  readonly difficulty: Float64Array;
  readonly correct: Uint8Array;
  readonly flops: Float64Array;
  readonly size: Float64Array;
  /** token.position (position in the example's sequence). */
  readonly position: Float64Array;
  /** 0-based index of the token among its example's target tokens. */
  readonly answerIndex: Float64Array;
  /** Index of the token's example in `trace.examples`. */
  readonly example: Int32Array;
}

export function tokenTable(trace: Trace): TokenTable {
  let n = 0;
  for (const ex of trace.examples) n += ex.tokens.length;
  const t = {
    n,
    exitDepth: new Float64Array(n),
    expectedDepth: new Float64Array(n),
    difficulty: new Float64Array(n),
    correct: new Uint8Array(n),
    flops: new Float64Array(n),
    size: new Float64Array(n),
    position: new Float64Array(n),
    answerIndex: new Float64Array(n),
    example: new Int32Array(n),
  };
  let i = 0;
  trace.examples.forEach((ex, e) => {
    ex.tokens.forEach((tok, k) => {
      t.exitDepth[i] = tok.exitDepth;
      t.expectedDepth[i] = tok.expectedDepth ?? Number.NaN;
      t.difficulty[i] = tok.difficulty;
      t.correct[i] = tok.correct ? 1 : 0;
      t.flops[i] = tok.flops;
      t.size[i] = ex.size;
      t.position[i] = tok.position;
      t.answerIndex[i] = k;
      t.example[i] = e;
      i++;
    });
  });
  return t;
}

/** Mean and sample standard deviation (n - 1); sd is NaN for fewer than 2 values. */
export function meanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i]!;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i]! - m) ** 2;
  return { mean: m, sd: n > 1 ? Math.sqrt(s / (n - 1)) : Number.NaN };
}

/** Human label of a trace: header.label, else "policy (T=tMax)". */
export function traceLabel(trace: Trace): string {
  return trace.header.label ?? `${trace.header.policy} (T=${trace.header.tMax})`;
}
