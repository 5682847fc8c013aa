/**
 * The FLOPs formula (multiply-add = 2 FLOPs). Per layer, per executed iteration,
 * per token: Q/K/V/O projections 8*C^2, MLP 4*C*dMlp, attention 4*C*keys (scores
 * and weighted values over the `keys` it may attend). The output head costs 2*C*V
 * per executed iteration (per-step logits feed the policy). Embedding lookups,
 * LayerNorms, softmax, GELU and the policy's own head are not counted.
 */
import { forEachVisibleKey, visibleKeyEnd } from '@anira/tensor';
import type { ModelConfig } from './config.js';

/** FLOPs of one layer for one token attending `keys` keys. */
export function layerFlops(config: ModelConfig, keys: number): number {
  const c = config.dModel;
  return 8 * c * c + 4 * c * config.dMlp + 4 * c * keys;
}

/** FLOPs of one full iteration (all shared layers + head) for one token attending `keys` keys. */
export function iterationFlops(config: ModelConfig, keys: number): number {
  return config.sharedLayers * layerFlops(config, keys) + 2 * config.dModel * config.vocabSize;
}

/** FLOPs of a token that ran `depth` iterations: prelude once + depth iterations. */
export function tokenFlops(config: ModelConfig, keys: number, depth: number): number {
  return config.preludeLayers * layerFlops(config, keys) + depth * iterationFlops(config, keys);
}

/** Number of keys query `t` of a row may attend, given the row's real-token mask. */
export function keysAttended(mask: ArrayLike<number>, offset: number, length: number, t: number, causal: boolean): number {
  let n = 0;
  forEachVisibleKey(mask, offset, length, t, causal, () => n++);
  return n;
}

/**
 * `keysAttended` of every token of a batch, `[B*T]` (T = `length`), in one pass per
 * row: the real keys before each query's visible end, from prefix counts of the mask.
 */
export function keysPerToken(mask: ArrayLike<number>, length: number, causal: boolean): Int32Array {
  const out = new Int32Array(mask.length);
  const before = new Int32Array(length + 1); // before[j]: real tokens among the row's first j positions
  for (let row = 0; row < mask.length; row += length) {
    let count = 0;
    for (let j = 0; j < length; j++) {
      const m = mask[row + j];
      if (m === undefined) throw new Error(`invariant: mask has ${mask.length} entries, none at ${row + j}`);
      if (m > 0) count++;
      before[j + 1] = count;
    }
    for (let t = 0; t < length; t++) out[row + t] = before[visibleKeyEnd(t, length, causal)] ?? 0;
  }
  return out;
}
