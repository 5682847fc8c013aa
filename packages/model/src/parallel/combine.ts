/**
 * Combining the shards of one update. Every quantity `trainForward` reports is a
 * mean over loss tokens, so the global value is the token-weighted mean of the
 * shards' values: x = sum_w n_w x_w / sum_w n_w (n_w = loss tokens of shard w).
 * Gradients combine the same way. Sums run over the workers in index order in
 * float64, so the result is deterministic for a fixed worker count, and with one
 * worker it is that worker's float32 values unchanged (weight exactly 1).
 */

/** Weight of each shard: n_w / sum n (or 1/W when no shard has a loss token: then every mean is 0). */
export function shardWeights(lossTokens: readonly number[]): number[] {
  const total = lossTokens.reduce((a, b) => a + b, 0);
  return lossTokens.map((n) => (total > 0 ? n / total : 1 / lossTokens.length));
}

/**
 * Token-weighted sum of the W flat gradients in `grads` ([W, P] row-major) into
 * a new Float32Array [P]. `present` ([W, V]) marks which of the V variables
 * (`offsets`/`sizes`) each shard produced; a variable is in the result when any
 * shard produced it (absent shards count as zero, as in the full batch).
 */
export function combineGradients(
  grads: Float32Array, present: Int32Array, weights: readonly number[],
  offsets: readonly number[], sizes: readonly number[],
): { grad: Float32Array; present: boolean[] } {
  const w = weights.length;
  const p = w > 0 ? grads.length / w : 0;
  const v = offsets.length;
  const grad = new Float32Array(p);
  const any = Array.from({ length: v }, (_, j) => {
    for (let k = 0; k < w; k++) if (present[k * v + j]) return true;
    return false;
  });
  for (let j = 0; j < v; j++) {
    if (!any[j]) continue;
    const lo = offsets[j]!;
    const hi = lo + sizes[j]!;
    for (let i = lo; i < hi; i++) {
      let s = 0;
      for (let k = 0; k < w; k++) if (present[k * v + j]) s += weights[k]! * grads[k * p + i]!;
      grad[i] = s;
    }
  }
  return { grad, present: any };
}

/** Token-weighted mean of per-shard scalars (`values[w]`), summed in worker order. */
export function combineScalar(values: readonly number[], weights: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < weights.length; k++) s += weights[k]! * values[k]!;
  return s;
}
