/**
 * Seeded synthetic inputs for W1/W2: examples of exactly `length` tokens (every
 * position a real token with a target, so no padding changes the work), and
 * per-token forced depths from a geometric distribution clipped to [1, tMax].
 */
import { createRng, type Example } from '@anira/tasks';

/** Example `index`: uniform ids in [1, V-1], targets uniform in [1, V-1]. */
export function syntheticExample(index: number, length: number, vocabSize: number, seed = 0): Example {
  const rng = createRng(seed * 1_000_003 + index);
  const input = Array.from({ length }, () => rng.int(1, vocabSize - 1));
  const target = Array.from({ length }, () => rng.int(1, vocabSize - 1));
  return {
    input, target, difficulty: new Array<number>(length).fill(0), features: { static: {}, position: {}, dynamic: {} },
    size: length, meta: { task: 'synthetic', params: { length }, seed: index },
  };
}

/**
 * `count` depths from Geometric(p = 1/mean) on {1, 2, ...} (inverse-CDF sampling),
 * clipped to [1, tMax]; seeded.
 */
export function clippedGeometricDepths(count: number, mean: number, tMax: number, seed: number): Int32Array {
  if (!(mean >= 1)) throw new Error(`clippedGeometricDepths: "mean" must be a number >= 1, got ${mean}`);
  const rng = createRng(seed);
  const p = 1 / mean;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const u = 1 - rng.float(); // (0, 1]
    const d = p === 1 ? 1 : 1 + Math.floor(Math.log(u) / Math.log(1 - p));
    out[i] = Math.min(tMax, Math.max(1, d));
  }
  return out;
}
