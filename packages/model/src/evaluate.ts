/**
 * Evaluation with real (skipping) inference: token accuracy, exact match, mean
 * exit depth. Written once as a read loop (read-loop.ts); `evaluate` reads
 * synchronously, `evaluateAsync` with `await data()`.
 */
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import { collate } from './batch.js';
import { inferLoop } from './infer.js';
import type { LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';

export interface EvalResult {
  /** Fraction of target tokens predicted correctly from their exit state. */
  readonly accuracy: number;
  /** Fraction of examples with every target token correct. */
  readonly exact: number;
  /** Mean exit depth over target tokens. */
  readonly meanDepth: number;
  readonly tokens: number;
}

export interface EvalOptions {
  readonly batchSize?: number;
  readonly tMax?: number;
  readonly seed?: number;
}

/** Evaluate on `examples` in batches of `batchSize` (synchronous reads). */
export function evaluate(model: LoopedTransformer, policy: HaltingPolicy, examples: readonly Example[], options: EvalOptions = {}): EvalResult {
  return runSync(evaluateLoop(model, policy, examples, options));
}

/** `evaluate` with asynchronous reads (`await data()`); identical results. */
export function evaluateAsync(
  model: LoopedTransformer, policy: HaltingPolicy, examples: readonly Example[], options: EvalOptions = {},
): Promise<EvalResult> {
  return runAsync(evaluateLoop(model, policy, examples, options));
}

/** The evaluation loop (see read-loop.ts). */
export function* evaluateLoop(
  model: LoopedTransformer, policy: HaltingPolicy, examples: readonly Example[], options: EvalOptions = {},
): ReadLoop<EvalResult> {
  const bs = options.batchSize ?? 32;
  let correct = 0;
  let tokens = 0;
  let depth = 0;
  let exact = 0;
  for (let s = 0; s < examples.length; s += bs) {
    const batch = collate(examples.slice(s, s + bs));
    const r = yield* inferLoop(model, policy, batch, {
      ...(options.tMax !== undefined ? { tMax: options.tMax } : {}),
      seed: options.seed ?? 0,
    });
    for (let b = 0; b < batch.batch; b++) {
      let ok = true;
      for (let t = 0; t < batch.length; t++) {
        const i = b * batch.length + t;
        if (batch.target[i]! < 0) continue;
        tokens++;
        depth += r.exitDepth[i]!;
        if (r.prediction[i] === batch.target[i]) correct++;
        else ok = false;
      }
      if (ok) exact++;
    }
  }
  return { accuracy: tokens ? correct / tokens : 0, exact: examples.length ? exact / examples.length : 0, meanDepth: tokens ? depth / tokens : 0, tokens };
}
