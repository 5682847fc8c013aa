/**
 * A per-example view of an `InferResult`: for each example of the batch, its target
 * tokens (the positions with a target) with exit depth, prediction, correctness and
 * difficulty, instead of the flat `[B*T]` arrays that need hand indexing.
 */
import { IGNORE, type Example } from '@anira/tasks';
import { AniraInputError } from '@anira/tasks/errors';
import type { InferResult } from './infer.js';

/** One target token of an example. */
export interface TokenResult {
  /** Position in the example's input. */
  readonly position: number;
  readonly target: number;
  /** Argmax of the logits at the token's exit state. */
  readonly prediction: number;
  readonly correct: boolean;
  /** The iteration at which the token halted, in [1, tMax]. */
  readonly exitDepth: number;
  /** The example's ground-truth difficulty at this position. */
  readonly difficulty: number;
  /** FLOPs executed for this token, prelude included. */
  readonly flops: number;
}

/** One example's target tokens and its totals. */
export interface ExampleResult {
  /** Index of the example in the batch. */
  readonly index: number;
  /** The task's size knob of the example. */
  readonly size: number;
  readonly tokens: readonly TokenResult[];
  /** Every target token correct. */
  readonly exactMatch: boolean;
  /** Mean exit depth over the target tokens (NaN when there are none). */
  readonly meanDepth: number;
}

/**
 * The per-example view of `result`, the output of `infer(model, policy,
 * collate(examples))` for these `examples`, in the same order.
 */
export function perExample(result: InferResult, examples: readonly Example[]): ExampleResult[] {
  if (examples.length !== result.batch) {
    throw new AniraInputError(`perExample: "examples" must be the ${result.batch} examples the result was inferred on, got ${examples.length}`, { field: 'examples' });
  }
  return examples.map((ex, b) => {
    if (ex.input.length > result.length) {
      throw new AniraInputError(`perExample: example ${b} has ${ex.input.length} positions, the result's batch has ${result.length}`, { field: 'examples' });
    }
    const tokens: TokenResult[] = [];
    ex.target.forEach((target, t) => {
      if (target === IGNORE) return;
      const i = b * result.length + t; // [B*T] row-major
      const prediction = result.prediction[i]!;
      tokens.push({ position: t, target, prediction, correct: prediction === target, exitDepth: result.exitDepth[i]!, difficulty: ex.difficulty[t]!, flops: result.flops[i]! });
    });
    const meanDepth = tokens.reduce((s, k) => s + k.exitDepth, 0) / tokens.length;
    return { index: b, size: ex.size, tokens, exactMatch: tokens.every((k) => k.correct), meanDepth };
  });
}
