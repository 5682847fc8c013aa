/** Evaluation with real (skipping) inference: token accuracy, exact match, mean exit depth. */
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import { collate } from './batch.js';
import { infer } from './infer.js';
import type { LoopedTransformer } from './model.js';

export interface EvalResult {
  /** Fraction of target tokens predicted correctly from their exit state. */
  readonly accuracy: number;
  /** Fraction of examples with every target token correct. */
  readonly exact: number;
  /** Mean exit depth over target tokens. */
  readonly meanDepth: number;
  readonly tokens: number;
}

/** Evaluate on `examples` in batches of `batchSize`. */
export function evaluate(
  model: LoopedTransformer,
  policy: HaltingPolicy,
  examples: readonly Example[],
  options: { batchSize?: number; tMax?: number; seed?: number } = {},
): EvalResult {
  const bs = options.batchSize ?? 32;
  let correct = 0;
  let tokens = 0;
  let depth = 0;
  let exact = 0;
  for (let s = 0; s < examples.length; s += bs) {
    const batch = collate(examples.slice(s, s + bs));
    const r = infer(model, policy, batch, {
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
