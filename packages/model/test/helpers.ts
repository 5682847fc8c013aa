/**
 * Test helpers: a tiny synthetic task built by hand (so model tests do not depend
 * on @anira/tasks generators) and backend setup.
 */
import type { Example } from '@anira/tasks';
import { IGNORE } from '@anira/tasks';

/**
 * "Copy": input = [BOS, x1..xn, SEP, x1..xn]; the target at SEP and at each copied
 * token is the next copied token (causal next-token copy). Vocab: 0 pad, 1 BOS,
 * 2 SEP, 3.. symbols.
 */
export function copyExample(symbols: readonly number[], seed = 0): Example {
  const n = symbols.length;
  const input = [1, ...symbols, 2, ...symbols];
  const target = input.map(() => IGNORE);
  for (let i = 0; i < n; i++) target[n + 1 + i] = symbols[i]!;
  const difficulty = target.map((t, i) => (t === IGNORE ? -1 : i - n - 1));
  const pos = input.map((_, i) => i);
  return {
    input, target, difficulty, size: n,
    features: { static: { position: pos }, position: {}, dynamic: { remaining: pos.map((p) => Math.max(0, 2 * n + 1 - p)) } },
    meta: { task: 'copy', params: { n }, seed },
  };
}

/** Deterministic pseudo-random copy example for index `i` (mulberry32). */
export function randomCopy(i: number, n: number, symbols = 4): Example {
  let a = (i * 2654435761 + 12345) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return copyExample(Array.from({ length: n }, () => 3 + Math.floor(next() * symbols)), i);
}

import * as tf from '@tensorflow/tfjs-core';
import { HALTING_SPEC_VERSION, type HaltingPolicy } from '@anira/halting';
import { variable } from '@anira/tensor';

/**
 * A forced-depth policy for tests. Same contract as `createForcedDepthPolicy` from
 * @anira/halting, whose `train()` currently passes a float32 tensor to `tf.oneHot`
 * (reported to the halting owner); this copy builds int32 indices.
 */
export function forcedDepth(depthOf: (b: number, t: number) => number): HaltingPolicy {
  const depths = (b: number, l: number, max: number) => {
    const d = new Int32Array(b * l);
    for (let i = 0; i < b; i++) for (let t = 0; t < l; t++) d[i * l + t] = Math.min(max, Math.max(1, depthOf(i, t)));
    return tf.tensor2d(d, [b, l], 'int32');
  };
  return {
    specificationVersion: HALTING_SPEC_VERSION,
    name: 'forced-depth-test',
    variables: {},
    options: {},
    train({ states }) {
      const [b, l] = states[0]!.shape;
      const d = depths(b, l, states.length);
      const w = tf.cast(tf.oneHot(tf.sub(d, tf.scalar(1, 'int32')), states.length), 'float32') as tf.Tensor3D;
      return { weights: w, combine: 'expected-loss', loss: tf.scalar(0) };
    },
    start({ shallow, tMax }) {
      const [b, l] = shallow.shape;
      const d = depths(b, l, tMax);
      return { plannedDepth: d, expectedDepth: tf.cast(d, 'float32') as tf.Tensor2D, carry: { depth: d } };
    },
    step({ t, carry }) {
      return { halt: tf.cast(tf.lessEqual(carry['depth']!, t), 'float32') as tf.Tensor2D, carry };
    },
    dispose() {},
  };
}

let learnedStepsId = 0;
/**
 * A trainable policy with one learned logit per step (softmax weights over the steps,
 * a small L2 loss), so that checkpoints hold policy weights too. `seed` draws the logits
 * from a normal distribution (distinct from any other policy's); without it they are 0.
 */
export function learnedSteps(tMax: number, seed?: number): HaltingPolicy {
  const init = seed === undefined ? tf.zeros([tMax]) : tf.randomNormal([tMax], 0, 1, 'float32', seed);
  const logits = variable(init, `test-policy-${learnedStepsId++}/logits`);
  return {
    specificationVersion: HALTING_SPEC_VERSION, name: 'learned-steps', variables: { logits }, options: {},
    train: ({ states }) => {
      const [b, t] = states[0]!.shape;
      const w = tf.tile(tf.reshape(tf.softmax(logits), [1, 1, tMax]), [b, t, 1]) as tf.Tensor3D;
      return { weights: w, combine: 'expected-loss', loss: tf.mul(0.01, tf.sum(tf.square(logits))) as tf.Scalar };
    },
    step: ({ active }) => ({ halt: tf.onesLike(active) }),
    dispose: () => logits.dispose(),
  };
}
